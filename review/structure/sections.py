"""Section roles (SPEC §2): which part of the outline each paragraph belongs to."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang.zh import section_headings
from ..lang.zh.outline import LEADING_NUMBER, clean_heading, heading_level
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
    if not any(r in ROLE_ORDER[1:] for _, r, _ in marks):
        # no recognisable outline: the body is all 查摆 content
        marks = [(o, "problems" if r == "preface" else r, h) for o, r, h in marks]
    out = []
    for k, (off, role, head) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else text_len
        if end > off:
            out.append(Section(role, off, end, head))
    if out:
        out[0].start = 0
    return out


def _clean_title(p: Paragraph) -> str:
    return clean_heading(p.text[: (p.title_end or p.end) - p.start])


def role_at(sections: list[Section], offset: int) -> str:
    for s in sections:
        if s.start <= offset < s.end:
            return s.role
    return "other"
