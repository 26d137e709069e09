"""Whole drafts to learn from (corpora/drafts/**/NAME.txt + NAME.gold.json, SPEC §7): each
draft is read as at run time (review.judge.reading), judged by the rules, and every tool
sentence that a gold sentence covers becomes a training row with its item context."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..packs import load_pack
from .context import item_contexts, item_ids
from .model import sentence_dict
from .reading import read_draft
from .rules import RuleClassifier

MIN_OVERLAP = 0.5      # share of a tool sentence a gold sentence must cover to label it


@dataclass
class Row:
    x: dict              # the model's input (review.judge.model.sentence_dict)
    function: str
    area: int
    specificity: int
    group: str           # the draft it comes from (or the corpus file): folds keep a group together


@dataclass
class DraftDoc:
    """Every sentence of one draft as the models see it, with its gold row where one covers it."""
    group: str
    xs: list[dict]
    ctxs: list[dict]
    items: list[int]
    rows: list[Row | None]


def draft_files(root: Path) -> list[Path]:
    return sorted((Path(root) / "drafts").rglob("*.gold.json"))


def gold_spans(text: str, gold: dict) -> list[tuple[int, int, dict]]:
    """Gold sentences located in the text, in order (a sentence not found is skipped)."""
    out, pos = [], 0
    for g in gold.get("sentences", []):
        k = text.find(g["text"], pos)
        if k < 0:
            continue
        out.append((k, k + len(g["text"]), g))
        pos = k + len(g["text"])
    return out


def read_gold_draft(txt: Path, gold: dict, group: str) -> DraftDoc:
    text = txt.read_text(encoding="utf-8")
    kind = gold["doc_type"]
    read = read_draft(text, kind)
    ruled = RuleClassifier(load_pack(None)).predict(read.items)
    ctxs = item_contexts(read.items, ruled)
    spans = gold_spans(text, gold)
    xs, rows, j = [], [], 0
    for s, x, r in zip(read.sents, read.items, ruled):
        xd = sentence_dict(x.text, x.section, kind, x.is_title, x.tokens, r.function)
        xs.append(xd)
        while j < len(spans) and spans[j][1] <= s.start:
            j += 1
        best, cover = None, 0
        for gs, ge, g in spans[j:j + 3]:
            ov = min(ge, s.end) - max(gs, s.start)
            if ov > cover:
                best, cover = g, ov
        if best is None or cover < MIN_OVERLAP * (s.end - s.start):
            rows.append(None)
            continue
        rows.append(Row(xd, best["function"], int(best.get("area", 0)), int(best["specificity"]), group))
    return DraftDoc(group, xs, ctxs, item_ids(read.items), rows)


def load_drafts(root: Path) -> list[DraftDoc]:
    docs: list[DraftDoc] = []
    for gold_path in draft_files(root):
        txt = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
        if not txt.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        docs.append(read_gold_draft(txt, gold, gold_path.parent.name + "/" + txt.stem))
    return docs
