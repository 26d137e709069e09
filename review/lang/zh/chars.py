"""Character classes of Chinese used by the checks (spaCy keeps such sets in lang/, too)."""
from __future__ import annotations

# numeral characters: 十九届五中全会 against 十九届六中全会 is a different plenum, not a typo
NUMERAL_CHARS = frozenset("〇零一二三四五六七八九十百千万两")

# function characters: a typo practically never turns a content character into one of
# these, while ordinary text puts them right after or inside a near-miss
# (奋斗的精神 vs 斗争精神, 民主生活的 vs 民主生活会)
FUNCTION_CHARS = frozenset("的地得了着过和与及或等是在把被将从向于之其也都就还又很更最所而但并且让使给跟这那该每各")


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)
