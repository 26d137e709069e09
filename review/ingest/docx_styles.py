"""Word styles (styles.xml) indexed once: the bold, hidden, heading level and list
numbering a paragraph or character style gives, following basedOn.

Lookup follows python-docx: a missing id or one of the wrong type falls back to the
default style of the type; a style id of None is the default paragraph style.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .docx_xml import int_or, toggle, val, w

MAX_CHAIN = 20  # guard against basedOn cycles
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)


@dataclass(frozen=True)
class StyleProps:
    bold: bool | None = None
    hidden: bool | None = None
    level: int | None = None                       # heading level 1-9
    num: tuple[str | None, str | None] | None = None   # (numId, ilvl)


def outline_level(ppr) -> int | None:
    lvl = int_or(val(ppr, "outlineLvl"))
    return lvl + 1 if lvl is not None and 0 <= lvl < 9 else None


class Styles:
    def __init__(self, root):
        self.by_id: dict[str, object] = {}
        self.default: dict[str, object] = {}
        self.cache: dict[tuple[str | None, str], StyleProps] = {}
        for s in (root.iterchildren(w("style")) if root is not None else ()):
            self.by_id.setdefault(s.get(w("styleId")), s)
            if (s.get(w("default")) or "").lower() in ("1", "true", "on"):
                self.default[_type(s)] = s

    def _chain(self, style_id, typ):
        s = self.by_id.get(style_id) if style_id is not None else None
        if s is None or _type(s) != typ:
            s = self.default.get(typ)
        for _ in range(MAX_CHAIN):
            if s is None:
                return
            yield s
            s = self.by_id.get(val(s, "basedOn"))

    def props(self, style_id, typ: str = "paragraph") -> StyleProps:
        """Effective properties of a paragraph or character style (None: not set)."""
        key = (style_id, typ)
        if key not in self.cache:
            if typ == "character" and style_id is None:
                self.cache[key] = StyleProps()
                return self.cache[key]
            bold = hidden = level = num = None
            for s in self._chain(style_id, typ):
                rpr, ppr = s.find(w("rPr")), s.find(w("pPr"))
                bold = toggle(rpr, "b") if bold is None else bold
                hidden = toggle(rpr, "vanish") if hidden is None else hidden
                if level is None:
                    m = _HEADING_NAME.match((val(s, "name") or "").strip())
                    level = int(m.group(1)) if m else outline_level(ppr)
                if num is None and ppr is not None and ppr.find(w("numPr")) is not None:
                    num = (val(ppr, "numPr", "numId"), val(ppr, "numPr", "ilvl"))
            self.cache[key] = StyleProps(bold, hidden, level, num)
        return self.cache[key]


def _type(s) -> str:
    return s.get(w("type")) or "paragraph"
