"""Tests for review.evaluate on small synthetic gold/report pairs."""

import json

import pytest

from review.evaluate.scorer import (
    NA,
    evaluate_dir,
    format_table,
    gold_rules,
    locate,
    score_documents,
)

# made-up 10-character sentences
P1 = "自己服务群众不够主动"
P2 = "本人调查研究不够深入"
P3 = "对分管工作过问不够多"
P4 = "联系群众的次数偏少了"
P5 = "我的纪律意识有所松懈"
R1 = "理论学习是立身之本。"
R2 = "深刻体会到初心的分量"
M1 = "今后要每月下基层一次"


def S(text, sec="problems", fn="problem", area=1, spec=1, **tool):
    """One sentence: gold labels plus optional tool overrides t_fn/t_area/t_spec."""
    assert len(text) == 10
    return {"text": text, "sec": sec, "fn": fn, "area": area, "spec": spec,
            "t_fn": tool.get("t_fn", fn), "t_area": tool.get("t_area", area),
            "t_spec": tool.get("t_spec", float(spec)),
            "t_sec": tool.get("t_sec", sec)}


def build(parts, doc_type="self", name="x.txt", sections=None, findings=(),
          areas=(), **gold_extra):
    """Return (gold, report, text); sentences are laid out back to back."""
    text = "".join(p["text"] for p in parts)
    gold = {"doc_type": doc_type, "pack": "test-pack", "areas_covered": [],
            "sentences": [{"text": p["text"], "section": p["sec"], "function": p["fn"],
                           "area": p["area"], "specificity": p["spec"]} for p in parts]}
    gold.update(gold_extra)
    sents, secs = [], []
    for i, p in enumerate(parts):
        a, b = i * 10, i * 10 + 10
        sents.append({"start": a, "end": b, "section": p["t_sec"], "function": p["t_fn"],
                      "area": p["t_area"], "specificity": p["t_spec"]})
        secs.append({"role": p["t_sec"], "start": a, "end": b})
    report = {"schema": "review-report/1", "file": name, "doc_type": doc_type,
              "text": text, "sections": secs if sections is None else sections,
              "sentences": sents, "findings": list(findings), "areas": list(areas)}
    return gold, report, text


# -- locating -----------------------------------------------------------------

def test_locate_document_order_and_fallback():
    text = P1 + P2 + P1
    found, missing = locate([{"text": P1}, {"text": P2}, {"text": P1}], text)
    assert [a for _, a, _ in found] == [0, 10, 20]
    assert missing == 0
    # out of order: P1 is not after the cursor, found by searching from 0
    found, missing = locate([{"text": P2}, {"text": P1}], P1 + P2)
    assert [a for _, a, _ in found] == [10, 0]


def test_unlocatable_counted_and_excluded():
    gold, report, text = build([S(P1), S(P2), S(P3)])
    gold["sentences"].insert(1, {"text": "报告里没有这一句话", "section": "problems",
                                 "function": "reasoning", "area": 0, "specificity": 1})
    res = score_documents([(gold, report, text)])
    assert res.unlocatable == 1
    assert res.docs[0]["located"] == 3 and res.docs[0]["gold_sentences"] == 4
    assert res.function["n"] == 3
    assert res.function["labels"] == ["problem"]
    assert res.section["chars"] == 30


def test_text_used_when_report_has_none():
    gold, report, text = build([S(P1)])
    del report["text"]
    res = score_documents([(gold, report, text)])
    assert res.unlocatable == 0 and res.section["accuracy"] == 1.0


# -- sections -----------------------------------------------------------------

def test_section_accuracy_half_wrong():
    secs = [{"role": "problems", "start": 0, "end": 15},
            {"role": "causes", "start": 15, "end": 20}]
    gold, report, text = build([S(P1), S(P2)], sections=secs)
    res = score_documents([(gold, report, text)])
    assert res.section["accuracy"] == pytest.approx(0.75)
    assert res.section["chars"] == 20
    assert res.section["confusion"] == {"problems": {"problems": 15, "causes": 5}}


def test_section_uncovered_chars_are_other():
    secs = [{"role": "problems", "start": 0, "end": 10}]
    gold, report, text = build([S(P1), S(P2, sec="other", fn="other")], sections=secs)
    res = score_documents([(gold, report, text)])
    assert res.section["accuracy"] == pytest.approx(1.0)


# -- functions ----------------------------------------------------------------

def test_function_macro_f1_known_confusion():
    parts = [
        S(P1), S(P2, t_fn="reasoning"), S(P3, t_fn="praise"),
        S(R1, fn="reasoning"), S(R2, fn="reasoning"),
        S(M1, sec="preface", fn="other", t_fn="problem"),   # not in the subset
    ]
    res = score_documents([build(parts)])
    fn = res.function
    assert fn["n"] == 5
    assert fn["labels"] == ["problem", "reasoning"]
    # problem: P 1, R 1/3, F1 .5 ; reasoning: P 2/3, R 1, F1 .8
    assert fn["macro_f1"] == pytest.approx(0.65)
    pc = fn["per_class"]
    assert pc["problem"]["precision"] == pytest.approx(1.0)
    assert pc["problem"]["recall"] == pytest.approx(1 / 3)
    assert pc["reasoning"]["f1"] == pytest.approx(0.8)
    assert pc["praise"]["support"] == 0 and pc["praise"]["predicted"] == 1
    assert pc["praise"]["precision"] == 0.0 and pc["praise"]["recall"] is None
    assert [w["gold"] + ">" + w["tool"] for w in res.worst["x.txt"]] == [
        "problem>reasoning", "problem>praise"]
    assert res.worst["x.txt"][0]["text"] == P2


def test_function_critique_uses_all_sentences():
    parts = [S(P1, sec="preface", fn="praise"), S(P2, sec="other", fn="hope")]
    res = score_documents([build(parts, doc_type="critique")])
    assert res.function["n"] == 2 and res.function["macro_f1"] == pytest.approx(1.0)


def test_function_unmatched_gold_predicts_none():
    gold, report, text = build([S(P1), S(P2)])
    report["sentences"] = report["sentences"][:1]
    res = score_documents([(gold, report, text)])
    assert res.function["per_class"]["(none)"]["predicted"] == 1
    assert res.function["macro_f1"] == pytest.approx(2 / 3)


# -- pattern rules ------------------------------------------------------------

def test_gold_rule_definitions():
    assert gold_rules({"section": "problems", "function": "reasoning"}, "self") == {
        "pattern.reasoning-for-problems"}
    assert gold_rules({"section": "preface", "function": "praise"}, "critique") == {
        "pattern.praise-first"}
    assert gold_rules({"section": "preface", "function": "praise"}, "self") == set()
    assert gold_rules({"section": "problems", "function": "deflect"}, "team") == {
        "pattern.team-for-personal"}
    assert gold_rules({"section": "problems", "function": "deflect"}, "critique") == set()
    assert gold_rules({"section": "other", "function": "hope"}, "critique") == {
        "pattern.hope-for-criticism"}
    assert gold_rules({"section": "causes", "function": "cause_objective"}, "self") == {
        "pattern.objective-causes"}


def test_pattern_tp_fp_fn_and_half_threshold():
    rule = "pattern.reasoning-for-problems"
    findings = [
        {"rule": rule, "start": 0, "end": 10},    # R1 fully -> TP
        {"rule": rule, "start": 10, "end": 13},   # R2: union 10..14 = 40% -> FN
        {"rule": rule, "start": 12, "end": 14},   #   (a plain sum would be 50%)
        {"rule": rule, "start": 20, "end": 25},   # P1 exactly 50% -> FP
        {"rule": rule, "start": 0, "end": 0},     # doc-level: ignored
        {"rule": "pattern.vague-measure", "start": 30, "end": 40},  # not scored
    ]
    parts = [S(R1, fn="reasoning"), S(R2, fn="reasoning"), S(P1), S(P2)]
    res = score_documents([build(parts, findings=findings)])
    m = res.patterns[rule]
    assert (m["tp"], m["predicted"], m["support"]) == (1, 2, 2)
    assert m["precision"] == 0.5 and m["recall"] == 0.5 and m["f1"] == 0.5
    empty = res.patterns["pattern.hope-for-criticism"]
    assert empty["precision"] is None and empty["recall"] is None and empty["f1"] is None
    assert NA in format_table(res)


def test_pattern_prediction_without_gold_positive():
    rule = "pattern.objective-causes"
    parts = [S(P5, sec="causes", fn="cause_subjective")]
    res = score_documents([build(parts, findings=[{"rule": rule, "start": 0, "end": 10}])])
    m = res.patterns[rule]
    assert m["precision"] == 0.0 and m["recall"] is None and m["f1"] == 0.0


# -- areas, coverage, specificity ----------------------------------------------

def test_area_accuracy():
    parts = [S(P1, area=1), S(P2, area=2), S(P3, area=3, t_area=5), S(P4, area=0),
             S(R1, fn="reasoning", area=1, t_area=2)]          # not a problem: ignored
    res = score_documents([build(parts)])
    assert res.area == {"accuracy": 0.75, "correct": 3, "n": 4}


def test_coverage_accuracy_overall_and_per_area():
    d1 = build([S(P1)], name="a.txt", areas=[
        {"id": 1, "status": "covered"}, {"id": 2, "status": "thin"},
        {"id": 3, "status": "missing"}], areas_covered=[1, 3])
    d2 = build([S(P1)], name="b.txt", areas=[{"id": 1, "status": "missing"}],
               areas_covered=[])
    res = score_documents([d1, d2])
    cov = res.coverage
    assert (cov["correct"], cov["n"], cov["accuracy"]) == (2, 4, 0.5)
    assert {k: v["accuracy"] for k, v in cov["per_area"].items()} == {
        1: 1.0, 2: 0.0, 3: 0.0}


def test_spearman_monotone_is_one():
    parts = [S(P1, spec=1, t_spec=1.2), S(P2, spec=2, t_spec=2.0),
             S(P3, spec=3, t_spec=2.9),
             S(R1, fn="reasoning", spec=1, t_spec=3.0)]        # secondary only
    res = score_documents([build(parts)])
    prim, sec = res.specificity["problem_sentences"], res.specificity["problems_section"]
    assert prim["n"] == 3 and prim["spearman"] == pytest.approx(1.0)
    assert sec["n"] == 4 and sec["spearman"] < 1.0


def test_spearman_constant_is_na():
    parts = [S(P1, spec=1, t_spec=2.0), S(P2, spec=2, t_spec=2.0)]
    res = score_documents([build(parts)])
    assert res.specificity["problem_sentences"]["spearman"] is None
    assert res.to_dict()["specificity"]["problem_sentences"]["spearman"] is None
    assert "problem sentences —" in format_table(res)


# -- document findings ---------------------------------------------------------

def test_doc_findings_bare_gold_key():
    findings = [
        {"rule": "coverage.topic-missing", "start": 0, "end": 0, "topic": "意识形态工作"},
        {"rule": "coverage.area-missing", "start": 0, "end": 0, "area": 4},
        {"rule": "coverage.area-thin", "start": 0, "end": 0, "area": 2},       # FP
        {"rule": "pattern.reasoning-for-problems", "start": 0, "end": 10},    # not doc
    ]
    gold_keys = ["coverage.topic-missing", "coverage.area-missing:4",
                 "structure.part-missing:personal_matters"]
    d1 = build([S(P1)], name="a.txt", findings=findings, doc_findings=gold_keys)
    thin = [{"rule": "coverage.area-thin", "start": 0, "end": 0, "area": 2},
            {"rule": "coverage.area-thin", "start": 0, "end": 0, "area": 3}]
    d2 = build([S(P1)], name="b.txt", findings=thin, doc_findings=["coverage.area-thin"])
    d3 = build([S(P1)], name="c.txt", findings=thin)          # no doc_findings key
    res = score_documents([d1, d2, d3])
    df = res.doc_findings
    assert df["per_doc"]["a.txt"] == {
        "false_positives": ["coverage.area-thin:2"],
        "false_negatives": ["structure.part-missing:personal_matters"]}
    assert df["per_doc"]["b.txt"] == {"false_positives": [], "false_negatives": []}
    assert "c.txt" not in df["per_doc"]
    # tool keys 3 + 2, matched 2 + 2; gold keys 3 + 1, matched 2 + 1
    assert (df["tool"], df["gold"]) == (5, 4)
    assert df["precision"] == pytest.approx(4 / 5)
    assert df["recall"] == pytest.approx(3 / 4)


# -- directory run and output ----------------------------------------------------

def test_evaluate_dir_with_plans_and_errors(tmp_path):
    gold, _, text = build([S(P1), S(R1, fn="reasoning")])
    (tmp_path / "self-x.txt").write_text(text, encoding="utf-8")
    (tmp_path / "self-x.gold.json").write_text(json.dumps(gold, ensure_ascii=False),
                                               encoding="utf-8")
    (tmp_path / "plan-x.txt").write_text("会议方案正文", encoding="utf-8")
    (tmp_path / "broken.txt").write_text("坏文件", encoding="utf-8")

    def review_fn(path):
        if path.name == "broken.txt":
            raise ValueError("cannot read")
        t = path.read_text(encoding="utf-8")
        plan = path.name.startswith("plan")
        return {"doc_type": "plan" if plan else "self", "text": t,
                "areas": [{"id": 1, "status": "covered"}] * (5 if plan else 1),
                "sections": [{"role": "problems", "start": 0, "end": len(t)}],
                "sentences": [{"start": 0, "end": len(t), "function": "problem",
                               "area": 1, "specificity": 1.0}],
                "findings": []}

    seen = []
    res = evaluate_dir(tmp_path, review_fn, progress=seen.append)
    assert seen == ["broken.txt", "plan-x.txt", "self-x.txt"]
    assert res.plans == [{"name": "plan-x.txt", "doc_type": "plan", "areas": 5}]
    assert res.errors[0]["name"] == "broken.txt"
    assert res.docs[0]["name"] == "self-x.txt"
    assert res.section["accuracy"] == 1.0
    table = format_table(res)
    for s in ("plan-x.txt", "macro-F1", "Worst items", "reasoning → problem", "ERROR"):
        assert s in table
    json.dumps(res.to_dict(), ensure_ascii=False)
