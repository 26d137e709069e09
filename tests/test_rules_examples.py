"""Every rule's own examples are its tests: one case per example, id = rule id + number."""
import textwrap
import warnings

import pytest

from review.engine import active_rules, check_example, run_examples, sentence_rule_problems
from review.packs import load_rules

RULES = load_rules()
CASES = [(r, kind, i, ex) for r in RULES.rules for kind in ("should_flag", "should_not_flag")
         for i, ex in enumerate(getattr(r, kind), 1)]


@pytest.mark.parametrize("rule,kind,number,example", CASES,
                         ids=[f"{r.id}-{'flag' if k == 'should_flag' else 'ok'}{i}" for r, k, i, _ in CASES])
def test_rule_example(rule, kind, number, example):
    res = check_example(rule, kind, number, example, RULES)
    assert res.passed, f"{res.case_id}: {res.detail}\n{example.text}"


def test_every_sentence_rule_has_two_examples_of_each_kind():
    assert [r.id for r in RULES.rules if sentence_rule_problems(r)] == []
    assert len(CASES) >= 4 * len([r for r in RULES.rules if r.functions])


def test_all_spec_rule_ids_are_defined():
    spec_ids = {"coverage.area-missing", "coverage.area-thin", "coverage.topic-missing", "structure.part-missing",
                "structure.too-short", "pattern.reasoning-for-problems", "pattern.team-for-personal",
                "pattern.praise-first", "pattern.hope-for-criticism", "pattern.suggestion-for-criticism",
                "pattern.objective-causes", "pattern.vague-measure", "specificity.vague", "terms.nonstandard"}
    assert spec_ids <= {r.id for r in RULES.rules}
    for r in RULES.rules:
        assert r.clause and r.message and r.suggestion


BROKEN = textwrap.dedent("""
    rules:
      - id: pattern.praise-first
        severity: warning
        clause: 不能先肯定成绩再指出不足
        message: m
        suggestion: s
        sections: [problems]
        functions: [praise]
        should_flag:
          - text: "[[我对分管工作抓得不紧，全年只下乡两次。]]"
          - text: "[[一年来我较好地完成了各项任务，取得了明显成效。]]"
        should_not_flag:
          - text: "我对分管的信访工作过问少。"
          - text: "自己下基层次数少。"
      - id: pattern.reasoning-for-problems
        severity: warning
        clause: 不能以讲道理、谈体会代替摆问题
        message: m
        suggestion: s
        sections: [problems]
        functions: [reasoning]
        should_flag:
          - text: "[[通过学习，我深刻体会到，理想信念是共产党人的精神之钙。]]"
          - text: "[[这次学习让我深受教育、倍感振奋。]]"
        should_not_flag:
          - text: "我对理论学习抓得不紧。"
          - text: "自己学用结合做得不够。"
""")


def test_rule_whose_example_fails_is_refused_at_load(tmp_path):
    path = tmp_path / "patterns.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        active = active_rules(str(path))
    assert [r.id for r in active.rules] == ["pattern.reasoning-for-problems"]
    assert any("pattern.praise-first" in str(w.message) for w in caught)
    failed = [x.case_id for x in run_examples(load_rules(str(path))) if not x.passed]
    assert failed == ["pattern.praise-first-flag1"]
