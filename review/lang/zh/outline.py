"""Outline numbering as Chinese official documents write it: 一、 （一） 1. （1） 一是 第一 ①.

The one place these markers are defined; segmenting, section roles, plan areas, the
rule classifier and the Word reader all ask here."""
from __future__ import annotations

import re

CN_NUMERALS = "一二三四五六七八九十"
_N = CN_NUMERALS

# kind of marker -> regex at a heading's start, most to least prominent (the heading level)
MARKERS: list[tuple[str, re.Pattern]] = [
    ("cn", re.compile(rf"^[{_N}]{{1,3}}[、．.]")),                      # 一、
    ("cn_paren", re.compile(rf"^[（(][{_N}]{{1,3}}[）)]")),              # （一）
    ("num", re.compile(r"^\d{1,2}\s*(?:\\?[.．、](?!\d)|\s)")),          # 1. 1、 1\.
    ("num_paren", re.compile(r"^[（(]\d{1,2}[）)]")),                     # （1）
    ("ordinal", re.compile(rf"^[{_N}]是")),                               # 一是
    ("di", re.compile(rf"^第[{_N}]{{1,3}}[，,、是部]")),                   # 第一，
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")),
]
_LEVELS = [name for name, _ in MARKERS]

# a plan's enumerated items: kind -> regex with the item's number as group 1, at a line or
# sentence start (plans run items on in one paragraph)
_AT_START = r"(?:^|(?<=[。；\n]))[\s*#]*"
ITEM_STYLES: list[tuple[str, re.Pattern]] = [
    ("cn_paren", re.compile(rf"{_AT_START}[（(]([{_N}]{{1,2}})[）)]")),
    ("num_paren", re.compile(rf"{_AT_START}[（(](\d{{1,2}})[）)]")),
    ("num", re.compile(rf"{_AT_START}(\d{{1,2}})\s*\\?[.．、](?!\d)")),
    ("ordinal", re.compile(rf"(?:^|(?<=[。；：:\n]))[\s*#]*([{_N}])是")),
    ("cn", re.compile(rf"{_AT_START}([{_N}]{{1,2}})[、．]")),
]

# a leading number of any common style, with its punctuation (一、 （二） 3. 4）)
LEADING_NUMBER = re.compile(rf"^[（(]?[{_N}\d]{{1,3}}[）)、.．]?\s*")
# a numbered line start, as the Word reader sees automatic list numbering
NUMBERED_START = re.compile(r"\s*(?:[（(]?[0-9０-９一二三四五六七八九十〇零百]+[）)、.．,，:：]|[①-⑳])")
# the next numbered line (where a run-on plan item ends)
NEXT_NUMBERED_LINE = re.compile(rf"\n\s*\n|\n(?=[\s*#]*[（(]?[{_N}\d]+[）)、.])")

_MD_NOISE = re.compile(r"^[#>\s*]+")
_HEAD_NOISE = re.compile(rf"^[#*\s]*(?:[（(]?[{_N}\d]{{1,3}}[）)、.．]|[{_N}]是|第[{_N}]+[，,、])?\s*")


def clean_heading(s: str) -> str:
    """Text of a heading without markdown noise (#, **, backslash escapes)."""
    s = _MD_NOISE.sub("", s)
    return s.replace("**", "").replace("\\", "").strip()


def marker_of(text: str) -> str | None:
    """The kind of numbering a line starts with, or None."""
    t = clean_heading(text)
    for name, rx in MARKERS:
        if rx.match(t):
            return name
    return None


def heading_level(marker: str | None) -> int:
    """1 for 一、, 2 for （一）…; 99 for no marker."""
    return _LEVELS.index(marker) + 1 if marker in _LEVELS else 99


def strip_marker(text: str) -> str:
    """A sentence without its markdown marks and its leading number."""
    return _HEAD_NOISE.sub("", text.replace("**", "").replace("\\", "")).strip()


def number_value(s: str) -> int:
    """3 for "3", 3 for "三", 12 for "十二"."""
    return int(s) if s.isdigit() else _N.index(s[-1]) + 1 + (10 if len(s) > 1 else 0)
