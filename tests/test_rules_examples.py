"""Every rule's own examples are its tests: one case per example, id = rule id + number.
Here they always run for real; only the CLI's start-up reuses cached verdicts."""
import subprocess
import sys

import pytest
import yaml

from review.api import active_rules, load_checked_rulebook, review_text
from review.checks.selftest import check_example, example_problems, run_examples
from review.rulebook import default_rulebook_path

RULES = load_checked_rulebook()
CASES = [(r, kind, i, ex) for r in RULES.rules for kind in ("should_flag", "should_not_flag")
         for i, ex in enumerate(getattr(r, kind), 1)]


@pytest.mark.parametrize("rule,kind,number,example", CASES,
                         ids=[f"{r.id}-{'flag' if k == 'should_flag' else 'ok'}{i}" for r, k, i, _ in CASES])
def test_rule_example(rule, kind, number, example):
    res = check_example(rule, kind, number, example, RULES, review_text)
    assert res.passed, f"{res.case_id}: {res.detail}\n{example.text}"


def test_every_sentence_rule_has_two_examples_of_each_kind():
    assert [r.id for r in RULES.rules if example_problems(r)] == []
    assert len(CASES) >= 4 * len([r for r in RULES.rules if r.functions])


def test_all_spec_rule_ids_are_defined():
    spec_ids = {"coverage.area-missing", "coverage.area-thin", "coverage.topic-missing", "structure.part-missing",
                "structure.too-short", "pattern.reasoning-for-problems", "pattern.team-for-personal",
                "pattern.praise-first", "pattern.hope-for-criticism", "pattern.suggestion-for-criticism",
                "pattern.objective-causes", "pattern.vague-measure", "specificity.vague", "terms.nonstandard"}
    assert spec_ids <= {r.id for r in RULES.rules}
    for r in RULES.rules:
        assert r.clause and r.message and r.suggestion and r.label and r.colour


def broken_rulebook(tmp_path, name="rules.yaml"):
    """The real rulebook with praise-first's first should-flag example replaced by an
    owned problem, which the rule rightly does not flag: its example fails."""
    data = yaml.safe_load(default_rulebook_path().read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "pattern.praise-first")
    rule["should_flag"][0] = {"text": "[[我对分管工作抓得不紧，全年只下乡两次。]]"}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_rule_whose_example_fails_is_refused_and_named_on_stderr(tmp_path, capsys):
    path = broken_rulebook(tmp_path)
    active = active_rules(str(path), "rules")
    ids = {r.id for r in active.rules}
    assert "pattern.praise-first" not in ids and "pattern.reasoning-for-problems" in ids
    err = capsys.readouterr().err
    assert "pattern.praise-first" in err and "pattern.praise-first-flag1" in err
    failed = [x.case_id for x in run_examples(load_checked_rulebook(str(path)), review_text) if not x.passed]
    assert failed == ["pattern.praise-first-flag1"]


def test_cached_verdicts_still_refuse_and_print(tmp_path, monkeypatch, capsys):
    """The second load reads the verdicts from the disk cache and refuses the same rule."""
    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path / "cache"))
    path = broken_rulebook(tmp_path)
    from review import api
    for _ in range(2):
        api._active.cache_clear()
        assert "pattern.praise-first" not in {r.id for r in active_rules(str(path), "rules").rules}
        assert "pattern.praise-first" in capsys.readouterr().err
    assert list((tmp_path / "cache").glob("rule-verdicts-rules-*.marshal"))


def test_cli_prints_the_refusal_despite_its_warning_filter(tmp_path):
    """review check with a rulebook whose example fails: the refusal reaches stderr, the
    draft is still reviewed, with the other rules."""
    import os
    path = broken_rulebook(tmp_path)
    env = {**os.environ, "REVIEW_RULEBOOK": str(path), "REVIEW_CACHE_DIR": str(tmp_path / "c"), "REVIEW_MODE": "rules"}
    r = subprocess.run([sys.executable, "-m", "review", "check", "samples/self-weak.txt"],
                       capture_output=True, text=True, timeout=300, env=env)
    refusals = [ln for ln in r.stderr.splitlines() if "pattern.praise-first" in ln]
    assert len(refusals) == 1 and "rule refused" in refusals[0], r.stderr
    assert "Traceback" not in r.stderr and r.returncode == 1 and "总分" in r.stdout
