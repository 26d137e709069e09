"""Word automatic list numbering (numbering.xml) rendered as label text.

Formats: decimal, 一二三, 甲乙丙, ①, a/A, i/I; lvlText such as "（%1）" or "%1、".
Counters are kept per abstract list; deeper levels restart when a higher level advances.
Bullets are not rendered. Bounded against hostile files: a counter above MAX_STYLED is
written as plain decimal, counters are clamped to MAX_COUNTER, and a label longer than
MAX_LABEL characters (or an lvlText that long) is dropped.
"""
from __future__ import annotations

import re

from .docx_xml import int_or, val, w

MAX_STYLED = 1000          # letters/roman/circled above this are written as decimal
MAX_COUNTER = 2**31 - 1     # w:start is a 32-bit number
MAX_LABEL = 40             # a real label is "（十二）" or "1.2.3."

_CN_DIGITS = "〇一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_CN_FORMATS = {"chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand"}
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_PLACEHOLDER = re.compile(r"%([1-9])")


def _cn_number(n: int) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    s = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    return s + (_CN_DIGITS[ones] if ones else "")


def _roman(n: int) -> str:
    out = []
    for v, r in _ROMAN:
        k, n = divmod(n, v)
        out.append(r * k)
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if not 0 < n <= MAX_STYLED and fmt != "decimalZero":
        return str(n)
    if fmt in _CN_FORMATS:
        return _cn_number(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt[0] == "u" else _letters(n).lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt[0] == "u" else _roman(n).lower()
    return str(n)


def _clamp(n: int) -> int:
    return max(0, min(n, MAX_COUNTER))


class Numbering:
    """Counters for Word automatic numbering (best effort, see module docstring)."""

    def __init__(self, root):
        self.nums: dict[int, tuple[str, dict[int, int]]] = {}   # numId -> (absId, start overrides)
        self.levels: dict[tuple[str, int], tuple[str, str | None, int, str]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.seen: set[int] = set()
        if root is None:
            return
        for a in root.iterchildren(w("abstractNum")):
            aid = a.get(w("abstractNumId"))
            for lvl in a.iterchildren(w("lvl")):
                self.levels[(aid, int_or(lvl.get(w("ilvl")), 0))] = (
                    val(lvl, "numFmt") or "decimal", val(lvl, "lvlText"),
                    _clamp(int_or(val(lvl, "start"), 1)), val(lvl, "suff") or "tab")
        for n in root.iterchildren(w("num")):
            over = {}
            for o in n.iterchildren(w("lvlOverride")):
                s = int_or(val(o, "startOverride"))
                if s is not None:
                    over[int_or(o.get(w("ilvl")), 0)] = _clamp(s)
            self.nums[int_or(n.get(w("numId")), -1)] = (val(n, "abstractNumId"), over)

    def _info(self, aid: str, k: int):
        return self.levels.get((aid, k), ("decimal", None, 1, "tab"))

    def label(self, num_id: int, ilvl: int) -> str:
        if num_id == 0 or not 0 <= ilvl < 9:
            return ""  # numId 0 switches numbering off
        aid, over = self.nums.get(num_id, (f"?{num_id}", {}))
        ctr = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.seen:  # first use of a restarted list instance
            self.seen.add(num_id)
            for k, s in over.items():
                if 0 <= k < 9:
                    ctr[k] = s - 1
        fmt, text, start, suff = self._info(aid, ilvl)
        ctr[ilvl] = start if ctr[ilvl] is None else _clamp(ctr[ilvl] + 1)
        for k in range(ilvl + 1, 9):
            ctr[k] = None
        for k in range(ilvl):
            if ctr[k] is None:
                ctr[k] = self._info(aid, k)[2]
        if fmt in ("bullet", "none"):
            return ""
        text = text if text is not None else f"%{ilvl + 1}."
        if len(text) > MAX_LABEL:
            return ""
        label = _PLACEHOLDER.sub(lambda m: format_number(ctr[int(m.group(1)) - 1] or 0,
                                                         self._info(aid, int(m.group(1)) - 1)[0]), text)
        if not label.strip() or len(label) > MAX_LABEL:
            return ""
        return label + ("" if suff == "nothing" or not label[-1].isascii() else " ")
