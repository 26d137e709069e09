"""Every rule carries its own examples (LanguageTool, prh): each should-flag example is
flagged on its marked span, no should-not-flag example is flagged. A rule whose examples
fail is refused. The review function is an argument: this module never imports the pipeline."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..rulebook import Example, Rule, RuleSet
from .registry import KINDS

# review_text(text, doc_type=…, rules=…) -> a report with .findings and .sentences
ReviewFn = Callable[..., object]

_HEADINGS = {"problems": "一、存在的主要问题", "causes": "二、问题产生的原因", "measures": "三、整改措施",
             "rectification_review": "一、上年度民主生活会整改落实情况", "personal_matters": "二、个人有关事项说明"}
_TITLES = {"self": "某某同志专题民主生活会个人发言提纲", "team": "局领导班子专题民主生活会对照检查材料",
           "critique": "相互批评意见", "plan": "专题民主生活会实施方案"}


@dataclass
class ExampleResult:
    rule: str
    kind: str          # "should_flag" | "should_not_flag"
    number: int
    example: Example
    passed: bool
    detail: str

    @property
    def case_id(self) -> str:
        return f"{self.rule}-{'flag' if self.kind == 'should_flag' else 'ok'}{self.number}"


def build_example(ex: Example) -> tuple[str, int, int, tuple[int, int] | None]:
    """The mini document an example stands in: title, section heading, example text.
    Returns (text, example start, example end, marked span or None)."""
    head = _TITLES[ex.doc_type] + "\n"
    if ex.doc_type in ("self", "team") and ex.section in _HEADINGS:
        head += _HEADINGS[ex.section] + "\n"
    m = re.search(r"\[\[(.+?)\]\]", ex.text, re.S)
    body = ex.text.replace("[[", "").replace("]]", "")
    base = len(head)
    mark = (base + m.start(), base + m.start() + len(m.group(1))) if m else None
    return head + body, base, base + len(body), mark


def check_example(rule: Rule, kind: str, number: int, ex: Example, rules: RuleSet,
                  review: ReviewFn) -> ExampleResult:
    text, s, e, mark = build_example(ex)
    rep = review(text, doc_type=ex.doc_type, rules=rules)
    mine = [f for f in rep.findings if f.rule == rule.id and f.end > f.start]
    if kind == "should_flag":
        if mark is None:
            return ExampleResult(rule.id, kind, number, ex, False, "no [[…]] span marked")
        a, b = mark
        covered = sum(max(0, min(b, f.end) - max(a, f.start)) for f in mine)
        ok = covered * 2 >= (b - a)
        detail = "flagged" if ok else f"not flagged; got {_describe(rep, s, e)}"
    else:
        hit = [f for f in mine if f.start < e and s < f.end]
        ok = not hit
        detail = "not flagged" if ok else f"wrongly flagged: {text[hit[0].start:hit[0].end]!r}"
    return ExampleResult(rule.id, kind, number, ex, ok, detail)


def _describe(rep, s, e) -> str:
    fs = [f"{x['function']}/{x['section']}" for x in rep.sentences if x["start"] < e and s < x["end"]]
    return "sentences " + ", ".join(fs)


def run_examples(rules: RuleSet, review: ReviewFn) -> list[ExampleResult]:
    out = []
    for r in rules.rules:
        for kind in ("should_flag", "should_not_flag"):
            for i, ex in enumerate(getattr(r, kind), 1):
                out.append(check_example(r, kind, i, ex, rules, review))
    return out


def example_problems(rule: Rule) -> list[str]:
    """A rule of a kind that fires on text must carry at least two examples of each kind."""
    if not KINDS[rule.kind].needs_examples:
        return []
    errs = []
    if len(rule.should_flag) < 2:
        errs.append("fewer than two should_flag examples")
    if len(rule.should_not_flag) < 2:
        errs.append("fewer than two should_not_flag examples")
    return errs


def verdicts(rules: RuleSet, review: ReviewFn) -> dict[str, str]:
    """rule id -> why it is refused ("" for a rule whose examples all hold)."""
    out = {r.id: "; ".join(example_problems(r)) for r in rules.rules}
    for x in run_examples(rules, review):
        if not x.passed and not out[x.rule]:
            out[x.rule] = f"{x.case_id}: {x.detail}"
    return out
