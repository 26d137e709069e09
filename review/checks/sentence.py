"""Kind `sentence-function`: a rule fires on sentences of given functions in given sections
(optionally narrowed by cue regexes, and by a registered item-level test). A sentence is
flagged by the first rule in rulebook order that fires; adjacent flagged sentences merge."""
from __future__ import annotations

import re
from typing import Callable

from ..judge.cues import has_cue
from ..rulebook import Rule
from .context import DocContext
from .findings import Finding, SentenceView, make_finding

VAGUE_ITEM_LEVEL = 1.8    # an item whose best sentence stays below this is boilerplate


def _fires(rule: Rule, s: SentenceView, doc_type: str) -> bool:
    if doc_type not in rule.doc_types or not rule.functions or s.function not in rule.functions:
        return False
    if rule.sections and doc_type != "critique" and s.section not in rule.sections:
        return False
    if rule.cues and not re.search("|".join(rule.cues), s.text):
        return False
    return True


def _by_item(hits: list[int], sents: list[SentenceView]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for i in hits:
        groups.setdefault(sents[i].item, []).append(i)
    return groups


def no_concrete_action(hits: list[int], sents: list[SentenceView]) -> list[int]:
    """A measure item with no time limit, number or concrete action anywhere in it."""
    keep = []
    for item, idx in _by_item(hits, sents).items():
        body = "".join(s.text for s in sents if s.item == item)
        if not has_cue("concrete_action", body):
            keep.extend(i for i in idx if not sents[i].is_title)
    return keep


def all_below_role_level(hits: list[int], sents: list[SentenceView]) -> list[int]:
    """Problem items none of whose sentences reaches role-or-field level."""
    keep = []
    for idx in _by_item(hits, sents).values():
        if max(sents[i].specificity for i in idx) < VAGUE_ITEM_LEVEL:
            keep.extend(i for i in idx if not sents[i].is_title)
    return keep


# item-level tests a rule may name in `item_test:`
ITEM_TESTS: dict[str, Callable[[list[int], list[SentenceView]], list[int]]] = {
    "no-concrete-action": no_concrete_action,
    "all-below-role-level": all_below_role_level,
}


def check(ctx: DocContext, rules: list[Rule]) -> list[Finding]:
    sents = ctx.sentences
    out: list[Finding] = []
    claimed: set[int] = set()        # one function finding per sentence: first rule wins
    for rule in rules:
        hits = [i for i, s in enumerate(sents) if i not in claimed and _fires(rule, s, ctx.doc_type)]
        if rule.item_test:
            hits = ITEM_TESTS[rule.item_test](hits, sents)
        claimed.update(hits)
        for run in _runs(hits):
            a, b = sents[run[0]], sents[run[-1]]
            conf = [sents[i].confidence for i in run if sents[i].confidence is not None]
            f = make_finding(rule, a.start, b.end, area=a.area or None,
                             confidence=round(sum(conf) / len(conf), 2) if conf else None)
            if a.section == "problems" and not _item_names_problem(sents, a.item):
                f.message += "（本部分通篇没有摆出一条问题）"
                f.extra["item_without_problem"] = True
            out.append(f)
    return out


def _item_names_problem(sents: list[SentenceView], item: int) -> bool:
    return any(s.item == item and s.function in ("problem", "deflect") for s in sents)


def _runs(idx: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in sorted(idx):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
