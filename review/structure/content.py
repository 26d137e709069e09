"""Parts read from content (issue 10): when a draft has no recognisable headings, or an
excerpt starts in the middle, each paragraph is scored for preface / problems / causes /
measures / closing by its words, and the parts are decoded in the outline's order (a
draft never goes back from causes to problems) with a cost for every switch: Viterbi
over a left-to-right chain."""
from __future__ import annotations

import math
import re
from functools import lru_cache

from ..lang.zh import content_cues, function_cues

STATES = ("preface", "problems", "causes", "measures", "closing")
ROLE_OF_STATE = {"closing": "measures"}        # the closing lines belong to the last part
LEAD_WEIGHT = 8.0     # a lead sentence outweighs the shortcoming words a cause is written in
SMOOTH = 0.5          # added to every count (a paragraph with no cue is undecided)
SWITCH = 1.5          # log-cost of opening a new part (1.0 and 1.5 measured alike; 2.0 missed short prefaces)
# log-cost of a text starting in each part: an excerpt without cues is read as problems
START_COST = {"problems": 0.0, "preface": 0.3, "causes": SWITCH / 2, "measures": SWITCH / 2}
# families of functions.yaml that also speak for a part
_FAMILIES = {"problems": ("shortcoming",), "causes": ("subjective", "objective"), "measures": ("commitment",)}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[re.Pattern]]:
    words, families = content_cues(), function_cues()
    out = {}
    for state in STATES + ("causes_lead", "measures_lead"):
        rx = list(words.get(state, []))
        for fam in _FAMILIES.get(state, ()):
            rx += families[fam]
        out[state] = [re.compile(r) for r in rx]
    return out


def paragraph_scores(text: str, leads: list[str] | None = None) -> dict[str, float]:
    """Distinct cue words of each part found in a paragraph; a sentence that opens the
    causes or the measures (深挖上述问题的根源) weighs as LEAD_WEIGHT of them."""
    pats = _patterns()
    out = {s: float(sum(1 for rx in pats[s] if rx.search(text))) for s in STATES}
    for state in (_leads(text) if leads is None else leads):
        out[state] += LEAD_WEIGHT
    return out


def _leads(text: str) -> list[str]:
    """The parts a paragraph opens by a lead sentence (深挖上述问题的根源 → causes)."""
    pats = _patterns()
    return [state for state, lead in (("causes", "causes_lead"), ("measures", "measures_lead"))
            if any(rx.search(text) for rx in pats[lead])]


def decode(texts: list[str], states: tuple[str, ...] = STATES) -> list[str]:
    """The most likely part of each paragraph, parts in outline order (each may be absent)."""
    if not texts:
        return []
    n_s = len(states)
    emit = []
    for t in texts:
        opened = _leads(t)
        sc = paragraph_scores(t, opened)
        total = sum(sc[s] for s in states) + SMOOTH * n_s
        row = [math.log((sc[s] + SMOOTH) / total) for s in states]
        # a lead sentence is a heading in other words: nothing before its part from here on
        leads = [states.index(s) for s in opened if s in states]
        if leads:
            floor = max(leads)
            row = [-math.inf if k < floor else v for k, v in enumerate(row)]
        emit.append(row)
    best = [emit[0][k] - START_COST.get(states[k], SWITCH) for k in range(n_s)]
    back: list[list[int]] = []
    for row in emit[1:]:
        nxt, ptr = [], []
        for k in range(n_s):
            stay = best[k]
            j = max(range(k), key=lambda i: best[i], default=None)
            move = best[j] - SWITCH if j is not None else -math.inf
            nxt.append((stay if stay >= move else move) + row[k])
            ptr.append(k if stay >= move else j)
        best, back = nxt, back + [ptr]
    k = max(range(n_s), key=lambda i: best[i])
    path = [k]
    for ptr in reversed(back):
        k = ptr[k]
        path.append(k)
    return [ROLE_OF_STATE.get(states[k], states[k]) for k in reversed(path)]
