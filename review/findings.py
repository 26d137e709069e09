"""Applying rules to an analysed document: the findings (SPEC §6, stable schema §8).

Rules are data (rules/patterns.yaml); how a rule fires is here. Most rules fire on a
sentence function in a section; a few add an item-level test (vague measures, vague
problems). Adjacent flagged sentences merge into one passage.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .classify import _has
from .packs import Pack, Rule, RuleSet

CONCRETE_LEVEL = 2.5      # a sentence at or above this specificity is "level 3"
VAGUE_ITEM_LEVEL = 1.8    # an item whose best sentence stays below this is boilerplate


@dataclass
class Finding:
    rule: str
    severity: str
    start: int
    end: int
    message: str
    clause: str
    suggestion: str
    area: int | None = None
    part: str | None = None
    topic: str | None = None
    confidence: float | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if v is not None and k != "extra"}
        d.update(self.extra)
        return d


@dataclass
class SentenceView:
    """What the rules see of a sentence."""
    start: int
    end: int
    text: str
    section: str
    function: str
    area: int
    specificity: float
    is_title: bool
    item: int                    # index of the numbered item (block under a title) it belongs to
    confidence: float | None = None


def _fmt(template: str, **kw) -> str:
    class Safe(dict):
        def __missing__(self, k):
            return "{" + k + "}"
    return template.format_map(Safe(**kw))


def make_finding(rule: Rule, start: int, end: int, **kw) -> Finding:
    fields = {k: kw.pop(k) for k in ("area", "part", "topic", "confidence") if k in kw}
    return Finding(rule.id, rule.severity, start, end, _fmt(rule.message, **kw, **fields),
                   rule.clause, _fmt(rule.suggestion, **kw, **fields), **fields)


def _fires(rule: Rule, s: SentenceView, doc_type: str) -> bool:
    if doc_type not in rule.doc_types or not rule.functions or s.function not in rule.functions:
        return False
    if rule.sections and doc_type != "critique" and s.section not in rule.sections:
        return False
    if rule.cues and not re.search("|".join(rule.cues), s.text):
        return False
    return True


def sentence_findings(rules: RuleSet, sents: list[SentenceView], doc_type: str) -> list[Finding]:
    out: list[Finding] = []
    claimed: set[int] = set()        # one function finding per sentence: first rule wins
    for rule in rules.rules:
        if not rule.functions:
            continue
        hits = [i for i, s in enumerate(sents) if i not in claimed and _fires(rule, s, doc_type)]
        hits = ITEM_TESTS.get(rule.id, lambda h, ss: h)(hits, sents)
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


def _by_item(hits: list[int], sents: list[SentenceView]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for i in hits:
        groups.setdefault(sents[i].item, []).append(i)
    return groups


def _vague_measures(hits: list[int], sents: list[SentenceView]) -> list[int]:
    """A measure item with no time limit, number or concrete action anywhere in it."""
    keep = []
    for item, idx in _by_item(hits, sents).items():
        body = "".join(s.text for s in sents if s.item == item)
        if not _has("concrete_action", body):
            keep.extend(i for i in idx if not sents[i].is_title)
    return keep


def _vague_problems(hits: list[int], sents: list[SentenceView]) -> list[int]:
    """Problem items none of whose sentences reaches role-or-field level."""
    keep = []
    for idx in _by_item(hits, sents).values():
        if max(sents[i].specificity for i in idx) < VAGUE_ITEM_LEVEL:
            keep.extend(i for i in idx if not sents[i].is_title)
    return keep


ITEM_TESTS = {"pattern.vague-measure": _vague_measures, "specificity.vague": _vague_problems}


def term_findings(rules: RuleSet, text: str, doc_type: str) -> list[Finding]:
    from .terms import find_nonstandard
    rule = next((r for r in rules.rules if r.id == "terms.nonstandard"), None)
    if rule is None or doc_type not in rule.doc_types:
        return []
    return [make_finding(rule, h.start, h.end, found=h.found, standard=h.standard)
            for h in find_nonstandard(text)]


def area_status(pack: Pack, sents: list[SentenceView], doc_type: str = "self") -> list[dict]:
    """Per area: problem sentences (a critique's criticisms) and how many are concrete."""
    rows = []
    for a in pack.areas:
        probs = [s for s in sents if s.function == "problem" and s.area == a.id
                 and (s.section == "problems" or doc_type == "critique")]
        concrete = sum(1 for s in probs if s.specificity >= CONCRETE_LEVEL)
        status = "missing" if not probs else ("covered" if concrete else "thin")
        rows.append({"id": a.id, "title": a.title, "short": a.short, "status": status,
                     "problems": len(probs), "concrete": concrete})
    return rows


def doc_findings(rules: RuleSet, pack: Pack, doc_type: str, text: str,
                 roles_present: set[str], areas: list[dict]) -> list[Finding]:
    if doc_type not in ("self", "team"):
        return []
    from .sections import role_title
    get = {r.id: r for r in rules.rules}
    out = []
    if "structure.part-missing" in get:
        for part in pack.parts_for(doc_type):
            if part not in roles_present:
                out.append(make_finding(get["structure.part-missing"], 0, 0, part=part, part_title=role_title(part)))
    chars = len(re.sub(r"\s", "", text))
    if "structure.too-short" in get and chars < pack.min_chars:
        out.append(make_finding(get["structure.too-short"], 0, 0, chars=chars,
                                pages=round(chars / pack.page_chars, 1),
                                min_pages=round(pack.min_chars / pack.page_chars)))
    for row in areas:
        rid = {"missing": "coverage.area-missing", "thin": "coverage.area-thin"}.get(row["status"])
        if rid in get:
            out.append(make_finding(get[rid], 0, 0, area=row["id"], area_title=row["short"]))
    if "coverage.topic-missing" in get:
        for t in pack.topics:
            if doc_type in t.doc_types and not re.search("|".join(t.cues), text):
                out.append(make_finding(get["coverage.topic-missing"], 0, 0, topic=t.title))
    return out


def unmatched_findings(rules: RuleSet, pairing: list[dict]) -> list[Finding]:
    """Problem items no measure answers, anchored on the item's title sentence."""
    rule = next((r for r in rules.rules if r.id == "pattern.unmatched-problem"), None)
    out = []
    for row in pairing if rule else []:
        if row["measures"]:
            continue
        p = row["problem"]
        f = make_finding(rule, p["head_start"], p["head_end"], area=p["area"] or None, problem=p["title"])
        f.extra.update({"item_start": p["start"], "item_end": p["end"]})
        out.append(f)
    return out
