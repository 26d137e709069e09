"""Section roles (SPEC §2): which part of the outline each paragraph belongs to."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang.zh import section_headings
from ..lang.zh.outline import LEADING_NUMBER, clean_heading, heading_level
from .content import STATES, decode, paragraph_scores
from .segment import Paragraph

ROLE_ORDER = ["preface", "rectification_review", "personal_matters", "problems", "causes", "measures"]


@dataclass
class Section:
    role: str
    start: int
    end: int
    heading: str = ""


@lru_cache(maxsize=1)
def _role_patterns() -> list[tuple[str, re.Pattern]]:
    return [(r.role, re.compile("|".join(r.heading))) for r in section_headings()]


def role_of_heading(text: str) -> str | None:
    """The role a heading announces, or None. Headings longer than a title are not headings."""
    t = LEADING_NUMBER.sub("", text)
    if len(t) > 40:
        return None
    for role, rx in _role_patterns():
        if rx.search(t):
            return role
    return None


def _is_title_block(p: Paragraph, idx: int) -> bool:
    """Document title and date lines at the very top."""
    c = p.clean
    if p.marker or idx > 2:
        return False
    if idx == 0:
        return p.md_heading > 0 or p.bold or (len(c) <= 80 and not re.search(r"[。；]", c))
    if role_of_heading(c):
        return False
    return p.md_heading > 0 or re.fullmatch(r"[\d年月日\s.\-/（）()]+|.{0,20}(同志|日期)[:：]?.{0,20}", c) is not None


def assign_sections(paras: list[Paragraph], text_len: int, doc_type: str) -> list[Section]:
    """Contiguous role spans. The first role heading fixes the outline's top heading level;
    only headings of that level (or markdown/bold headings) switch the part."""
    if doc_type in ("critique", "plan"):
        return [Section("other", 0, text_len)]
    marks: list[tuple[int, str, str]] = []     # (offset, role, heading text)
    top_level = None
    body_start = None
    for i, p in enumerate(paras):
        if body_start is None and _is_title_block(p, i):
            if not marks:
                marks.append((p.start, "other", p.clean))
            continue
        if body_start is None:
            body_start = p.start
            marks.append((p.start, "preface", ""))
        if not (p.is_heading_line or p.title_end):
            continue
        head = p.clean if p.is_heading_line else _clean_title(p)
        role = role_of_heading(head)
        if role is None:
            continue
        if p.marker:                 # unnumbered (bold/markdown) headings never fix the level
            lvl = heading_level(p.marker)
            if top_level is None:
                top_level = lvl
            elif lvl > top_level:
                continue
        if marks and marks[-1][1] == role:
            continue
        marks.append((p.start, role, head))
    if body_start is not None:
        if top_level is not None:
            marks = _unnamed_part_marks(paras, marks, top_level, body_start)
        marks = _content_marks(paras, marks, body_start)
    out = []
    for k, (off, role, head) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else text_len
        if end > off:
            out.append(Section(role, off, end, head))
    if out:
        out[0].start = 0
    return out


CONTENT_ROLES = ("preface", "problems", "causes", "measures")


def _unnamed_part_marks(paras: list[Paragraph], marks, top_level: int, body_start: int):
    """A part heading of the outline's top level whose words name no part (二、摊开来讲)
    opens the part its content reads as, in outline order between its neighbours."""
    tops = [p for p in paras if p.start >= body_start and p.marker and p.is_heading_line
            and heading_level(p.marker) == top_level]
    unnamed = [p for p in tops if role_of_heading(p.clean) is None]
    if not unnamed:
        return marks
    starts = sorted({p.start for p in tops} | {m[0] for m in marks})
    out = list(marks)
    for h in unnamed:
        end = next((s for s in starts if s > h.start), None)
        span = " ".join(p.text for p in paras if p.start >= h.start and (end is None or p.start < end))
        sc = paragraph_scores(span)
        before = [m for m in out if m[0] < h.start]
        after = [m for m in out if m[0] > h.start]
        lo = _order(before[-1][1]) if before else 0
        hi = min((_order(m[1]) for m in after if m[1] in ROLE_ORDER), default=len(ROLE_ORDER))
        allowed = [r for r in CONTENT_ROLES if lo <= _order(r) <= hi] or ["problems"]
        role = max(allowed, key=lambda r: (sc[r], -_order(r)))
        out = sorted(before + [(h.start, role, h.clean)] + after)
    merged = []
    for m in out:
        if not merged or merged[-1][1] != m[1]:
            merged.append(m)
    return merged


def _order(role: str) -> int:
    order = ["other", "preface", "rectification_review", "problems", "personal_matters", "causes", "measures"]
    return order.index(role) if role in order else 0


def _content_marks(paras: list[Paragraph], marks: list[tuple[int, str, str]], body_start: int):
    """Parts read from content where the outline says nothing: the whole body of a draft
    without recognisable part headings, or the text before the first heading when that
    heading opens causes or measures (an excerpt that starts in the middle)."""
    heads = [m for m in marks if m[1] in ROLE_ORDER[1:]]
    if heads and heads[0][1] not in ("causes", "measures"):
        return marks
    end = heads[0][0] if heads else None
    span = [p for p in paras if p.start >= body_start and (end is None or p.start < end)]
    if not span:
        return marks
    states = STATES if end is None else STATES[:STATES.index(heads[0][1])]
    roles = decode([p.text for p in span], states)
    read, last = [], None
    for p, role in zip(span, roles):
        if role != last:
            read.append((p.start, role, ""))
            last = role
    before = [m for m in marks if m[0] < body_start]
    after = [m for m in marks if end is not None and m[0] >= end]
    return before + read + after


def _clean_title(p: Paragraph) -> str:
    return clean_heading(p.text[: (p.title_end or p.end) - p.start])


def role_at(sections: list[Section], offset: int) -> str:
    for s in sections:
        if s.start <= offset < s.end:
            return s.role
    return "other"
