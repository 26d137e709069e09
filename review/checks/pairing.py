"""Which measures answer which problems (整改措施要对着问题去).

A problem item is a numbered block of the problems part (its title and sentences); a
measure item likewise in the measures part. Items are compared on their content words
(TF-IDF cosine over the document's own items) and their area; a problem item that no
measure item answers becomes `pattern.unmatched-problem`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import math
from collections import Counter

from ..rulebook import Rule
from .context import DocContext
from .findings import Finding, SentenceView, make_finding

UNMATCHED = "pattern.unmatched-problem"

MATCH_SIMILARITY = 0.12    # word-overlap cosine at which a measure answers a problem
AREA_BONUS = 0.10          # the same area counts as some overlap
STOP = set("的 了 和 与 及 在 对 是 有 不 也 还 就 都 要 把 将 以 为 等 中 上 下 方面 工作 问题 进一步 加强 不够 存在 自己 我 我们 一是 二是 三是 四是 五是".split())


@dataclass
class Item:
    kind: str                   # "problem" | "measure"
    start: int
    end: int
    title: str
    area: int
    head_start: int             # the title sentence (or first sentence): where a remark goes
    head_end: int
    words: list[str] = field(default_factory=list)


def _items(views: list[SentenceView], tokens: list[list[str]], section: str, functions: tuple[str, ...]) -> list[Item]:
    groups: dict[int, list[int]] = {}
    for i, v in enumerate(views):
        if v.section == section and (v.function in functions or v.is_title):
            groups.setdefault(v.item, []).append(i)
    out = []
    for idx in groups.values():
        body = [i for i in idx if views[i].function in functions]
        if not any(not views[i].is_title for i in body):
            continue                 # a heading over sub-items is not an item of its own
        areas = [views[i].area for i in body if views[i].area]
        head = views[next((i for i in idx if views[i].is_title), body[0])]
        words = [w for i in idx for w in tokens[i] if len(w) >= 2 and w not in STOP]
        out.append(Item("problem" if section == "problems" else "measure", views[idx[0]].start, views[idx[-1]].end,
                        _short(head.text.strip("*# ")), max(set(areas), key=areas.count) if areas else 0,
                        head.start, head.end, words))
    return out


def pair(views: list[SentenceView], tokens: list[list[str]]) -> list[dict]:
    """For each problem item, the measure items that answer it (best first)."""
    problems = _items(views, tokens, "problems", ("problem", "deflect"))
    measures = _items(views, tokens, "measures", ("measure",))
    if not problems:
        return []
    vecs = tfidf([it.words for it in problems + measures])
    sims = [[cosine(vecs[i], vecs[len(problems) + j]) for j in range(len(measures))] for i in range(len(problems))]
    out = []
    for p, row in zip(problems, sims):
        scored = []
        for q, s in zip(measures, row):
            s += AREA_BONUS if p.area and p.area == q.area else 0.0
            if s >= MATCH_SIMILARITY:
                scored.append((round(s, 2), q))
        scored.sort(key=lambda t: -t[0])
        out.append({"problem": {"start": p.start, "end": p.end, "title": p.title, "area": p.area,
                                "head_start": p.head_start, "head_end": p.head_end},
                    "measures": [{"start": q.start, "end": q.end, "title": q.title, "similarity": s} for s, q in scored]})
    return out


def _short(t: str, n: int = 28) -> str:
    return t if len(t) <= n else t[: n - 1] + "…"


def tfidf(docs: list[list[str]]) -> list[dict[str, float]]:
    """Sublinear TF-IDF vectors over the document's own items (a handful: plain Python)."""
    df = Counter(w for d in docs for w in set(d))
    n = len(docs)
    return [{w: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in Counter(d).items()} for d in docs]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def check(ctx: DocContext, rules: list[Rule]) -> list[Finding]:
    """Kind `pairing`: problem items no measure answers, anchored on the item's title."""
    rule = rules[0]
    out = []
    for row in ctx.pairing:
        if row["measures"]:
            continue
        p = row["problem"]
        f = make_finding(rule, p["head_start"], p["head_end"], area=p["area"] or None, problem=p["title"])
        f.extra.update({"item_start": p["start"], "item_end": p["end"]})
        out.append(f)
    return out
