"""Cue families (lang/zh/functions.yaml) asked of sentence texts: the rules and the models'
features ask the same questions, and `prime_cues` answers them for a whole draft at once."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from ..lang.zh import function_cues


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern]:
    data = function_cues()
    # MULTILINE: ^ marks a sentence start also when sentences are scanned joined by "\n"
    return {k: re.compile("|".join(f"(?:{v})" for v in vs), re.M) for k, vs in data.items()}


def cue_pattern(kind: str) -> re.Pattern:
    """The compiled regex of one cue family."""
    return _cues()[kind]


_HAS: dict[tuple[str, str], bool] = {}


def has_cue(kind: str, text: str) -> bool:
    """Whether a cue family fires. Rules and model features ask the same questions, and
    `prime_cues` answers them for a whole draft in one pass per family."""
    key = (kind, text)
    hit = _HAS.get(key)
    if hit is None:
        if len(_HAS) > 200_000:
            _HAS.clear()
        hit = _HAS[key] = _cues()[kind].search(text) is not None
    return hit


def hits_per_line(rx: re.Pattern, joined: str, starts: list[int]) -> set[int]:
    """Indices of the lines (sentences joined by "\n") in which rx matches."""
    return {bisect_right(starts, m.start()) - 1 for m in rx.finditer(joined)}


def joined_lines(texts: list[str]) -> tuple[str, list[int]]:
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return "\n".join(texts), starts


def prime_cues(texts: list[str]) -> None:
    """Answer every cue family for every text at once (texts must not contain "\n")."""
    texts = [t for t in texts if "\n" not in t]
    joined, starts = joined_lines(texts)
    if len(_HAS) > 200_000:
        _HAS.clear()
    for kind, rx in _cues().items():
        hits = hits_per_line(rx, joined, starts)
        for i, t in enumerate(texts):
            _HAS[(kind, t)] = i in hits


def forget() -> None:
    """Drop the memo of answers (benchmarks time a draft as if seen for the first time)."""
    _HAS.clear()
