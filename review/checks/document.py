"""Kinds `structure` (required parts, length) and `document-coverage` (areas, extra topics):
findings about the whole draft, anchored at 0/0."""
from __future__ import annotations

import re

from ..packs import Pack
from ..rulebook import Rule
from ..lang.zh import role_title
from .context import DocContext
from .findings import Finding, SentenceView, make_finding

CONCRETE_LEVEL = 2.5      # a sentence at or above this specificity is "level 3"

PART_MISSING, TOO_SHORT = "structure.part-missing", "structure.too-short"
AREA_MISSING, AREA_THIN, TOPIC_MISSING = "coverage.area-missing", "coverage.area-thin", "coverage.topic-missing"


def area_status(pack: Pack, sents: list[SentenceView], doc_type: str = "self") -> list[dict]:
    """Per area: problem sentences (a critique's criticisms) and how many are concrete."""
    rows = []
    for a in pack.areas:
        probs = [s for s in sents if s.function == "problem" and s.area == a.id
                 and (s.section == "problems" or doc_type == "critique")]
        concrete = sum(1 for s in probs if s.specificity >= CONCRETE_LEVEL)
        status = "missing" if not probs else ("covered" if concrete else "thin")
        rows.append({"id": a.id, "title": a.title, "short": a.short, "status": status,
                     "problems": len(probs), "concrete": concrete})
    return rows


def structure(ctx: DocContext, rules: list[Rule]) -> list[Finding]:
    if ctx.doc_type not in ("self", "team"):
        return []
    get = {r.id: r for r in rules}
    out = []
    for part in ctx.pack.parts_for(ctx.doc_type):
        if part not in ctx.roles_present:
            out.append(make_finding(get[PART_MISSING], 0, 0, part=part, part_title=role_title(part)))
    chars = len(re.sub(r"\s", "", ctx.text))
    if chars < ctx.pack.min_chars:
        out.append(make_finding(get[TOO_SHORT], 0, 0, chars=chars, pages=round(chars / ctx.pack.page_chars, 1),
                                min_pages=round(ctx.pack.min_chars / ctx.pack.page_chars)))
    return out


def coverage(ctx: DocContext, rules: list[Rule]) -> list[Finding]:
    if ctx.doc_type not in ("self", "team"):
        return []
    get = {r.id: r for r in rules}
    out = []
    for row in ctx.areas:
        rid = {"missing": AREA_MISSING, "thin": AREA_THIN}.get(row["status"])
        if rid:
            out.append(make_finding(get[rid], 0, 0, area=row["id"], area_title=row["short"]))
    for t in ctx.pack.topics:
        if ctx.doc_type in t.doc_types and not re.search("|".join(t.cues), ctx.text):
            out.append(make_finding(get[TOPIC_MISSING], 0, 0, topic=t.title))
    return out
