"""The rulebook and the registry of kinds: a misspelt kind or id, or a kind left without
its rule, fails at load with one coded line naming the file and the rule."""
import subprocess
import sys

import pytest
import yaml

from review.checks.registry import KINDS, validate
from review.errors import ReviewError
from review.render.highlight import rule_colour, rule_label
from review.rulebook import default_rulebook_path, load_rulebook


def _real() -> dict:
    return yaml.safe_load(default_rulebook_path().read_text(encoding="utf-8"))


def _write(tmp_path, data) -> str:
    p = tmp_path / "rules.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(p)


def _load_error(tmp_path, data) -> ReviewError:
    with pytest.raises(ReviewError) as e:
        validate(load_rulebook(_write(tmp_path, data)))
    assert "\n" not in str(e.value)
    return e.value


def test_the_real_rulebook_validates_and_every_kind_has_its_rules():
    rules = validate(load_rulebook())
    assert {r.kind for r in rules.rules} == set(KINDS)


def test_misspelt_kind_is_refused_naming_file_line_and_rule(tmp_path):
    data = _real()
    data["rules"][1]["kind"] = "sentense-function"
    err = _load_error(tmp_path, data)
    assert err.code == "E204" and "rules.yaml" in str(err) and data["rules"][1]["id"] in str(err)
    assert "sentense-function" in str(err) and "line " in str(err)


def test_misspelt_id_of_a_fixed_kind_is_refused(tmp_path):
    data = _real()
    rule = next(r for r in data["rules"] if r["id"] == "structure.too-short")
    rule["id"] = "structure.too-shrot"
    err = _load_error(tmp_path, data)
    assert err.code == "E205" and "structure.too-shrot" in str(err)


def test_a_kind_whose_rule_is_missing_is_refused(tmp_path):
    data = _real()
    data["rules"] = [r for r in data["rules"] if r["id"] != "pattern.unmatched-problem"]
    err = _load_error(tmp_path, data)
    assert err.code == "E206" and "pattern.unmatched-problem" in str(err)


def test_unknown_item_test_is_refused(tmp_path):
    data = _real()
    rule = next(r for r in data["rules"] if r.get("item_test"))
    rule["item_test"] = "no-such-test"
    err = _load_error(tmp_path, data)
    assert err.code == "E207" and "no-such-test" in str(err)


def test_cli_reports_a_misspelt_kind_in_one_line(tmp_path):
    import os
    data = _real()
    data["rules"][0]["kind"] = "sentence-functoin"
    env = {**os.environ, "REVIEW_RULEBOOK": _write(tmp_path, data), "REVIEW_MODE": "rules"}
    r = subprocess.run([sys.executable, "-m", "review", "check", "samples/self-good.txt", "samples/team.txt"],
                       capture_output=True, text=True, timeout=120, env=env)
    lines = r.stderr.strip().splitlines()             # once for the call, not once per file
    assert r.returncode == 2 and len(lines) == 1 and "[E204]" in lines[0], r.stderr


def test_a_rule_added_in_yaml_alone_is_labelled_and_coloured_everywhere(tmp_path, monkeypatch):
    """The README's worked example: a new sentence rule in the rulebook, no code change.
    It flags its examples, and the renderers show its label and colour."""
    data = _real()
    data["rules"].insert(0, NEW_RULE)
    monkeypatch.setenv("REVIEW_RULEBOOK", _write(tmp_path, data))
    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path / "cache"))
    from review.api import active_rules, review_text
    from review.render.docx import comment_text
    rules = active_rules(None, "rules")
    assert "pattern.slogan-for-problem" in {r.id for r in rules.rules}      # its examples held
    rep = review_text("某某同志个人发言提纲\n一、存在的主要问题\n我们要坚决做到两个维护，始终同党中央保持高度一致。",
                      doc_type="self", mode="rules")
    f = next(f for f in rep.findings if f.rule == "pattern.slogan-for-problem")
    assert rule_label(f.rule) == "以喊口号代替摆问题" and rule_colour(f.rule) == "#ffd6e7"
    assert comment_text(f.to_dict()).startswith("【警告】以喊口号代替摆问题（pattern.slogan-for-problem）")
    from review.render.highlight import legend_html
    legend = legend_html({f.rule: 1})                   # the app's legend above the highlighted text
    assert "以喊口号代替摆问题" in legend and "#ffd6e7" in legend


NEW_RULE = yaml.safe_load("""
id: pattern.slogan-for-problem
kind: sentence-function
label: 以喊口号代替摆问题
colour: "#ffd6e7"
score: patterns
severity: warning
clause: 不能以表态代替查摆问题
message: 这里在喊口号、表决心，没有摆出自己的问题。
suggestion: 删去口号，写出自己在这方面做得不够的一件具体的事。
doc_types: [self, team]
sections: [problems]
functions: [measure, reasoning, problem]
cues: ["^我们?要", "坚决做到", "始终同党中央"]
should_flag:
  - text: "[[我们要坚决做到两个维护，始终同党中央保持高度一致。]]"
  - text: "[[我要坚决做到对党忠诚，始终同党中央保持高度一致。]]"
should_not_flag:
  - text: "我对分管科室的干部管得不严，有的问题发现了也没有及时批评。"
  - text: "今年以来我只参加了两次支部集中学习，个人自学没有形成计划。"
""")


def test_every_error_code_in_the_code_is_in_the_one_table():
    """No code is written inline without its entry in review/errors.py."""
    import re
    from pathlib import Path

    from review.errors import CODES
    root = Path(__file__).resolve().parent.parent
    used = set()
    for p in list((root / "review").rglob("*.py")) + [root / "app.py"]:
        used |= set(re.findall(r"[\"'](E\d{3})[\"']", p.read_text(encoding="utf-8")))
    assert used and used <= set(CODES), sorted(used - set(CODES))


def test_a_broken_terms_file_is_a_coded_data_error_not_internal(tmp_path):
    from review.checks.terms import load_terms
    p = tmp_path / "terms.yaml"
    p.write_text("terms:\n  - standard: 四个意识\n  - standard: 形式主义\n    wrng: [形势主义]\n", encoding="utf-8")
    with pytest.raises(ReviewError) as e:
        load_terms(p)
    assert e.value.code == "E202" and "terms.yaml" in str(e.value) and "line 4" in str(e.value)
    assert "\n" not in str(e.value)


def test_a_broken_language_file_names_its_line(tmp_path):
    from review.lang.zh import FunctionCues
    from review.loader import load_model
    p = tmp_path / "functions.yaml"
    p.write_text("cues:\n  praise: [\"较好地\", \"取得(成绩\"]\n", encoding="utf-8")
    with pytest.raises(ReviewError) as e:
        load_model(FunctionCues, p)
    assert e.value.code == "E202" and "functions.yaml" in str(e.value) and "line 2" in str(e.value)
    assert "bad regex" in str(e.value) and "\n" not in str(e.value)
