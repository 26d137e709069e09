"""A meeting plan's own list of areas: the enumeration after 重点从以下N个方面进行对照检查."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十"
_ANCHOR = re.compile(rf"(重点|主要)(从|围绕|查找|对照|聚焦)?(以下)?[\d{_CN}]{{1,2}}个?(重点)?方面|以下[\d{_CN}]{{1,2}}个方面")
# item styles: (name, regex with a group for the number)
_STYLES = [
    ("cn_paren", re.compile(rf"(?:^|(?<=[。；\n]))[\s*#]*[（(]([{_CN}]{{1,2}})[）)]")),
    ("num_paren", re.compile(r"(?:^|(?<=[。；\n]))[\s*#]*[（(](\d{1,2})[）)]")),
    ("num", re.compile(r"(?:^|(?<=[。；\n]))[\s*#]*(\d{1,2})\s*\\?[.．、](?!\d)")),
    ("ordinal", re.compile(rf"(?:^|(?<=[。；：:\n]))[\s*#]*([{_CN}])是")),
    ("cn", re.compile(rf"(?:^|(?<=[。；\n]))[\s*#]*([{_CN}]{{1,2}})[、．]")),
]


@dataclass
class PlanArea:
    number: int
    title: str
    start: int
    end: int


def _num(s: str) -> int:
    return int(s) if s.isdigit() else _CN.index(s[-1]) + 1 + (10 if len(s) > 1 else 0)


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
    for _, rx in _STYLES:
        found = [(m.start(), _num(m.group(1)), m.end()) for m in rx.finditer(window)]
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
    m = re.search(r"\n\s*\n|\n(?=[\s*#]*[（(]?[一二三四五六七八九十\d]+[）)、.])", window[start:])
    return start + m.start() if m else len(window)
