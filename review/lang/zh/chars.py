"""Character classes of Chinese used by the checks (spaCy keeps such sets in lang/, too),
and the folding of a text for matching standard formulations."""
from __future__ import annotations

import re
import unicodedata

# numeral characters: 十九届五中全会 against 十九届六中全会 is a different plenum, not a typo
NUMERAL_CHARS = frozenset("〇零一二三四五六七八九十百千万两")

# function characters: a typo practically never turns a content character into one of
# these, while ordinary text puts them right after or inside a near-miss
# (奋斗的精神 vs 斗争精神, 民主生活的 vs 民主生活会)
FUNCTION_CHARS = frozenset("的地得了着过和与及或等是在把被将从向于之其也都就还又很更最所而但并且让使给跟这那该每各")

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# characters that folding leaves as they are (Han, visible ASCII, common CJK punctuation)
_PLAIN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff!-~\n\u3001\u3002\u300a-\u3011\u201c\u201d\u2018\u2019]+")
_SPACE_IN_HAN = re.compile(f"(?<=[{_HAN}])[^\\S\n]+(?=[{_HAN}])")


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def fold_for_matching(text: str) -> tuple[str, list[int] | None]:
    """``text`` as term matching sees it: NFKC per character, format characters
    (category Cf: zero-width space/joiners, soft hyphen, BOM, direction marks) dropped,
    and spaces (also full-width) between Han characters dropped.

    Returns (folded, origin): folded[i] comes from text[origin[i]]; origin is None when
    nothing changed (then folded is text)."""
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _PLAIN.finditer(text):
        _fold_odd(text, pos, m.start(), parts, origin)
        parts.append(m.group())
        origin.extend(range(m.start(), m.end()))
        pos = m.end()
    _fold_odd(text, pos, len(text), parts, origin)
    folded = "".join(parts)
    if _SPACE_IN_HAN.search(folded):
        keep = [True] * len(folded)
        for m in _SPACE_IN_HAN.finditer(folded):
            keep[m.start():m.end()] = [False] * (m.end() - m.start())
        origin = [o for o, k in zip(origin, keep) if k]
        folded = _SPACE_IN_HAN.sub("", folded)
    if folded == text:
        return text, None
    return folded, origin


def _fold_odd(text: str, start: int, end: int, parts: list[str], origin: list[int]) -> None:
    for i in range(start, end):
        ch = text[i]
        if unicodedata.category(ch) == "Cf":
            continue
        n = unicodedata.normalize("NFKC", ch)
        parts.append(n)
        origin.extend([i] * len(n))


def to_simplified(text: str) -> str:
    """The text in simplified characters, character for character (offsets unchanged), for
    judging a draft written in traditional characters; the text itself when it has none.
    OpenCC is imported only when the text has characters outside GB2312's simplified set."""
    try:
        text.encode("gb2312")
        return text                                   # nothing traditional in it
    except UnicodeEncodeError:
        pass
    import opencc
    conv = _converter(opencc)
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(c := conv.convert(ch)) == 1 else ch for ch in text)


_T2S = []


def _converter(opencc):
    if not _T2S:
        _T2S.append(opencc.OpenCC("t2s"))
    return _T2S[0]
