"""Rule specificity (SPEC §5): 1 boilerplate · 2 tied to the writer's role or field ·
3 a concrete instance. The markers are language data (lang/zh/specificity.yaml)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..lang.zh import specificity_markers
from ..lang.zh.outline import strip_marker

MARKERS = ("num_unit", "date", "time", "example", "person", "place", "field", "stock")
_CONCRETE = (("num_unit", 0.9), ("person", 1.0), ("place", 0.5), ("example", 0.4))   # marker -> weight


@lru_cache(maxsize=1)
def markers() -> dict[str, re.Pattern]:
    data = specificity_markers()
    out = {}
    for name in MARKERS:
        after = data.slogan_after if name == "num_unit" else ""
        out[name] = re.compile("|".join(f"(?:{rx}){after}" for rx in data.markers[name]))
    return out


def has_marker(name: str, text: str) -> bool:
    return markers()[name].search(text) is not None


@lru_cache(maxsize=16384)
def specificity(text: str) -> float:
    t = strip_marker(text)
    m = markers()
    concrete = sum(w for name, w in _CONCRETE if m[name].search(t))
    concrete += 1.0 if m["date"].search(t) else 0.7 if m["time"].search(t) else 0.0   # a date outweighs 今年
    field = 0.8 if m["field"].search(t) else 0.0
    score = 1.0 + min(concrete, 2.0) + (field if concrete < 1.0 else 0.0)
    if m["stock"].search(t) and concrete == 0:
        score -= 0.3
    return round(max(1.0, min(3.0, score)), 2)
