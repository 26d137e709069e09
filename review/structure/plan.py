"""A meeting plan's own list of areas: the enumeration after 重点从以下N个方面进行对照检查."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..lang.zh.outline import CN_NUMERALS, ITEM_STYLES, NEXT_NUMBERED_LINE, number_value

_ANCHOR = re.compile(rf"(重点|主要)(从|围绕|查找|对照|聚焦)?(以下)?[\d{CN_NUMERALS}]{{1,2}}个?(重点)?方面|以下[\d{CN_NUMERALS}]{{1,2}}个方面")


@dataclass
class PlanArea:
    number: int
    title: str
    start: int
    end: int


def plan_areas(text: str) -> list[PlanArea]:
    """Areas listed after the first anchor that is followed by a run of numbered items."""
    for anchor in _ANCHOR.finditer(text):
        items = _items_after(text, anchor.end())
        if len(items) >= 2:
            return items
    return []


def _items_after(text: str, pos: int) -> list[PlanArea]:
    window = text[pos: pos + 6000]
    best: list[PlanArea] = []
    for _, rx in ITEM_STYLES:
        found = [(m.start(), number_value(m.group(1)), m.end()) for m in rx.finditer(window)]
        if not found or found[0][1] != 1 or found[0][0] > 400:
            continue
        run = [found[0]]
        for f in found[1:]:
            if f[1] == run[-1][1] + 1:
                run.append(f)
            elif f[1] == 1:
                break
        if len(run) > len(best):
            best = []
            for k, (s, n, e) in enumerate(run):
                stop = run[k + 1][0] if k + 1 < len(run) else _item_end(window, e)
                body = window[e:stop].strip().replace("**", "")
                title = re.split(r"[。；\n]", body)[0][:120]
                best.append(PlanArea(n, title, pos + s, pos + stop))
    return best


def _item_end(window: str, start: int) -> int:
    m = NEXT_NUMBERED_LINE.search(window[start:])
    return start + m.start() if m else len(window)
