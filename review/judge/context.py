"""Each sentence seen with its item and its document (issue 10): who it speaks of, whether
its item ever speaks as 我, whether a problem was named before it, what the rules made of
its neighbours. Plain functions over SentenceInputs and the rules' verdicts; the learned
models read the result as features (review.judge.features)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..lang.zh import agents
from ..lang.zh.outline import strip_marker
from .cues import has_cue
from .rules import Judgement, SentenceInput

AGENT_CLASSES = ("unit", "team", "others", "you", "we", "self")
NOT_OWN = {"unit", "team", "others"}


@lru_cache(maxsize=1)
def _agent_patterns() -> list[tuple[str, re.Pattern]]:
    lex = agents()
    return [(name, re.compile("|".join(lex[name]))) for name in AGENT_CLASSES]


def agents_of(text: str) -> tuple[str, set[str]]:
    """The sentence's first agent (the class mentioned earliest, 'none' without one) and
    every class it mentions."""
    first, at, seen = "none", len(text) + 1, set()
    taken: list[tuple[int, int]] = []
    for name, rx in _agent_patterns():
        for m in rx.finditer(text):
            if any(s <= m.start() < e for s, e in taken):     # 我局 is the unit, not 我
                continue
            taken.append((m.start(), m.end()))
            seen.add(name)
            if m.start() < at:
                first, at = name, m.start()
    return first, seen


def _bucket(share: float) -> str:
    return "0" if share == 0 else "low" if share < 0.34 else "mid" if share < 0.67 else "high"


def item_bounds(items: list[SentenceInput]) -> list[tuple[int, int]]:
    """Items as [start, end) index ranges: the run of sentences of one part under one title
    (a numbered item, a colleague in a critique); the title opens it."""
    bounds, start = [], 0
    for i, x in enumerate(items):
        if i and (x.is_title or x.section != items[i - 1].section):
            bounds.append((start, i))
            start = i
    if items:
        bounds.append((start, len(items)))
    return bounds


def item_ids(items: list[SentenceInput]) -> list[int]:
    out = [0] * len(items)
    for k, (s, e) in enumerate(item_bounds(items)):
        out[s:e] = [k] * (e - s)
    return out


def item_contexts(items: list[SentenceInput], ruled: list[Judgement]) -> list[dict]:
    """One feature dict per sentence, from its item and its document."""
    texts = [strip_marker(x.text) or x.text for x in items]
    who = [agents_of(t) for t in texts]
    bounds = item_bounds(items)
    in_problems = [i for i, x in enumerate(items) if x.section == "problems" and not x.is_title]
    doc_self = _bucket(sum("self" in who[i][1] for i in in_problems) / len(in_problems)) if in_problems else "na"
    out: list[dict] = [{} for _ in items]
    for s, e in bounds:
        body = [i for i in range(s, e) if not items[i].is_title] or list(range(s, e))
        self_share = sum("self" in who[i][1] or "we" in who[i][1] for i in body) / len(body)
        other_share = sum(who[i][0] in NOT_OWN for i in body) / len(body)
        problem_seen = False
        for i in range(s, e):
            d = out[i]
            d["agent"] = who[i][0]
            d["item_self"] = _bucket(self_share)
            d["item_other"] = _bucket(other_share)
            d["item_unowned"] = float(self_share == 0 and other_share > 0)
            d["doc_self"] = doc_self
            d["pos"] = "first" if i == s else "last" if i == e - 1 else "mid"
            d["problem_before"] = float(problem_seen)
            d["prev"] = ruled[i - 1].function if i > s else "start"
            d["next"] = ruled[i + 1].function if i + 1 < e else "end"
            if ruled[i].function in ("problem", "deflect") or (not items[i].is_title and has_cue("shortcoming", texts[i])):
                problem_seen = True
    return out

