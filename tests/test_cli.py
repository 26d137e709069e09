"""The command line: exit codes, the SPEC §8 JSON report, formats, packs, types, eval, .docx.

Most tests call ``review.cli.main([...])`` in-process (fast); a few run ``python -m review``
in a real subprocess to prove the entry point works.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from review.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_NAMES = ["self-good", "self-weak", "team", "critique", "plan"]
EVAL_DEV = ROOT.parent / "shared" / "eval" / "dev"

# SPEC §2, §3, §6, §8
SCHEMA = "review-report/1"
DOC_TYPES = {"self", "team", "critique", "plan"}
ROLES = {"preface", "rectification_review", "problems", "personal_matters", "causes", "measures", "other"}
FUNCTIONS = {"problem", "reasoning", "praise", "deflect", "hope", "cause_subjective", "cause_objective",
             "measure", "other"}
SEVERITIES = {"error", "warning", "info"}
SCORE_KEYS = {"overall", "coverage", "structure", "specificity", "patterns"}
REQUIRED_KEYS = {"schema", "file", "doc_type", "pack", "text", "score", "areas", "sections", "sentences",
                 "findings"}
ERROR_LINE = re.compile(r"^review: .+: \[E\d{3}\] \S.* \(.+\)")


def sample(name: str) -> Path:
    return SAMPLES / f"{name}.txt"


def run(capsys, *argv) -> tuple[int, str, str]:
    """In-process CLI run: (exit code, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, "check", *argv, "--format", "json")
    return code, json.loads(out), err


def normalise(content: str) -> str:
    return content.replace("\r\n", "\n").replace("\r", "\n")


def is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_report(d: dict, *, file: str | None = None, source: str | None = None) -> None:
    """Strict SPEC §8 shape check of one report object."""
    assert isinstance(d, dict)
    missing = REQUIRED_KEYS - set(d)
    assert not missing, f"missing keys {missing}"
    assert d["schema"] == SCHEMA
    assert d["doc_type"] in DOC_TYPES
    assert isinstance(d["pack"], str) and d["pack"]
    if file is not None:
        assert d["file"] == file
    text = d["text"]
    assert isinstance(text, str) and text
    assert "\r" not in text
    if source is not None:
        assert text == normalise(source)
    n, kind = len(text), d["doc_type"]

    # score: five ints 0-100; a critique has no coverage/structure (null); a plan is not scored (all null)
    score = d["score"]
    assert isinstance(score, dict)
    assert SCORE_KEYS <= set(score), f"score keys {sorted(score)}"
    for k in SCORE_KEYS:
        v = score[k]
        if v is None:
            assert kind == "plan" or (kind == "critique" and k in ("coverage", "structure")), f"score.{k} is null"
        else:
            assert kind != "plan" and is_int(v) and 0 <= v <= 100, f"score.{k} = {v!r}"

    # areas
    assert isinstance(d["areas"], list)
    ids = [a["id"] for a in d["areas"]]
    assert all(is_int(i) and i >= 1 for i in ids) and len(ids) == len(set(ids))
    for a in d["areas"]:
        assert isinstance(a["title"], str) and a["title"]
        if kind == "plan":
            assert a["status"] == "listed"
        else:
            assert a["status"] in {"covered", "thin", "missing"}
            assert is_int(a["problems"]) and is_int(a["concrete"]) and 0 <= a["concrete"] <= a["problems"]

    # sections: roles, in order, inside the text
    prev = 0
    for s in d["sections"]:
        assert s["role"] in ROLES
        assert is_int(s["start"]) and is_int(s["end"]) and prev <= s["start"] <= s["end"] <= n
        prev = s["end"]

    # sentences
    assert isinstance(d["sentences"], list)
    for s in d["sentences"]:
        assert is_int(s["start"]) and is_int(s["end"]) and 0 <= s["start"] < s["end"] <= n, s
        assert text[s["start"]:s["end"]].strip(), s
        assert s["section"] in ROLES and s["function"] in FUNCTIONS
        assert is_int(s["area"]) and s["area"] >= 0, s
        if kind != "plan":  # a plan's `areas` are the ones it lists; its sentences use the pack's ids
            assert s["area"] == 0 or s["area"] in ids, s
        assert is_num(s["specificity"]) and 1 <= s["specificity"] <= 3, s

    # findings
    for f in d["findings"]:
        assert re.fullmatch(r"[a-z]+\.[a-z-]+", f["rule"]), f
        assert f["severity"] in SEVERITIES
        assert is_int(f["start"]) and is_int(f["end"]) and 0 <= f["start"] <= f["end"] <= n, f
        for k in ("message", "clause", "suggestion"):
            assert isinstance(f[k], str) and f[k].strip(), (k, f)
        if f["start"] == f["end"]:
            assert f["start"] == 0, f"empty span not at 0: {f}"  # a document-level finding
        if f["rule"].startswith("coverage.") or f["rule"].startswith("structure."):
            assert f["start"] == f["end"] == 0, f
        if f["rule"].startswith("coverage."):
            assert (is_int(f.get("area")) and f["area"] in ids) or (isinstance(f.get("topic"), str) and f["topic"]), f
        if f["rule"] in ("coverage.area-missing", "coverage.area-thin"):
            assert f.get("area") in ids, f
        if f["rule"] == "structure.part-missing":
            assert f.get("part") in ROLES, f


# ---------------------------------------------------------------- exit codes

def test_exit_code_good_draft_is_0(capsys):
    code, out, err = run(capsys, "check", sample("self-good"))
    assert code == 0 and out.strip() and err == ""


def test_exit_code_weak_draft_is_1(capsys):
    code, out, err = run(capsys, "check", sample("self-weak"))
    assert code == 1 and err == ""
    assert "structure.part-missing" in out


def test_missing_file_is_2_with_one_line(capsys, tmp_path):
    path = tmp_path / "没有这个文件.docx"
    code, out, err = run(capsys, "check", path)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "[E10" in lines[0] and ERROR_LINE.match(lines[0]), err
    assert lines[0].startswith(f"review: {path}: [E101]")


@pytest.mark.parametrize("argv", [[], ["check"], ["check", "x.txt", "--format", "xml"],
                                  ["check", "x.txt", "--type", "letter"], ["frobnicate"]])
def test_usage_error_is_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and "usage" in err


def test_help_is_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "check" in out


# ---------------------------------------------------------------- JSON report (SPEC §8)

@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_json_shape_on_samples(capsys, name):
    path = sample(name)
    code, d, err = run_json(capsys, path)
    assert code in (0, 1) and err == ""
    check_report(d, file=path.name, source=path.read_text(encoding="utf-8"))
    assert d["areas"] and d["sections"] and d["sentences"]


def test_json_plan_score_has_the_spec_keys(capsys):
    """SPEC §8 keys are never dropped: an unscored plan has them, all null."""
    _, d, _ = run_json(capsys, sample("plan"))
    assert {k: d["score"][k] for k in SCORE_KEYS} == dict.fromkeys(SCORE_KEYS)


def test_json_critique_has_null_coverage_and_structure(capsys):
    _, d, _ = run_json(capsys, sample("critique"))
    assert d["score"]["coverage"] is None and d["score"]["structure"] is None
    assert is_int(d["score"]["overall"])


def test_json_document_level_findings_name_their_subject(capsys):
    code, d, _ = run_json(capsys, sample("self-weak"))
    assert code == 1
    doc = {(f["rule"], f.get("part") or f.get("area") or f.get("topic"))
           for f in d["findings"] if f["start"] == f["end"] == 0}
    assert {("structure.part-missing", "rectification_review"), ("structure.part-missing", "personal_matters"),
            ("coverage.area-missing", 3), ("coverage.area-missing", 4)} <= doc
    assert any(r == "coverage.topic-missing" and isinstance(s, str) for r, s in doc)
    assert any(f["severity"] == "error" for f in d["findings"])


@pytest.mark.parametrize("name", ["self-weak", "self-good"])
def test_json_offsets_hold_for_crlf_file(capsys, tmp_path, name):
    content = sample(name).read_text(encoding="utf-8")
    crlf = content.replace("\n", "\r\n")
    path = tmp_path / f"{name}-crlf.txt"
    path.write_bytes(crlf.encode("utf-8"))
    _, d, _ = run_json(capsys, path)
    check_report(d, file=path.name, source=crlf)
    text = d["text"]
    assert text == content
    original = path.read_bytes().decode("utf-8")
    assert "\r\n" in original
    for s in d["sentences"]:
        piece = text[s["start"]:s["end"]]
        assert piece in original, s
    for f in d["findings"]:
        piece = text[f["start"]:f["end"]]
        assert piece.replace("\n", "\r\n") in original, f
    # and the report of the CRLF copy is the report of the LF file, offset for offset
    _, d_lf, _ = run_json(capsys, sample(name))
    assert d["sentences"] == d_lf["sentences"]
    assert [(f["rule"], f["start"], f["end"]) for f in d["findings"]] == \
           [(f["rule"], f["start"], f["end"]) for f in d_lf["findings"]]


# ---------------------------------------------------------------- several files

def test_several_files_give_a_list(capsys):
    paths = [sample(n) for n in SAMPLE_NAMES]
    code, out, err = run(capsys, "check", *paths, "--format", "json")
    assert code == 1 and err == ""  # self-weak has an error finding
    data = json.loads(out)
    assert isinstance(data, list) and [d["file"] for d in data] == [p.name for p in paths]
    for d, p in zip(data, paths):
        check_report(d, file=p.name, source=p.read_text(encoding="utf-8"))


def test_one_bad_file_among_good_ones(capsys, tmp_path):
    bad = tmp_path / "old.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    good = [sample("self-good"), sample("team")]
    code, out, err = run(capsys, "check", good[0], bad, good[1], "--format", "json")
    assert code == 2
    data = json.loads(out)
    assert isinstance(data, list) and [d["file"] for d in data] == [p.name for p in good]
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"review: {bad}: [E103]"), err


def test_single_json_file_is_an_object_not_a_list(capsys):
    _, d, _ = run_json(capsys, sample("team"))
    assert isinstance(d, dict)


# ---------------------------------------------------------------- packs and types

def test_pack_option(capsys):
    code, d, _ = run_json(capsys, sample("self-weak"), "--pack", "2013-four-winds")
    check_report(d)
    assert d["pack"] == "2013-four-winds"
    assert [a["id"] for a in d["areas"]] == [1, 2, 3, 4]


def test_unknown_pack_is_2_and_lists_packs(capsys):
    code, out, err = run(capsys, "check", sample("self-weak"), "--pack", "nosuch")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "nosuch" in lines[0]
    assert "2013-four-winds" in lines[0] and "2021-five-leads" in lines[0]


def test_type_override(capsys):
    _, d, _ = run_json(capsys, sample("self-good"), "--type", "team")
    check_report(d)
    assert d["doc_type"] == "team"


@pytest.mark.parametrize("name,kind", [("self-good", "self"), ("self-weak", "self"), ("team", "team"),
                                       ("critique", "critique"), ("plan", "plan")])
def test_doc_type_detection(capsys, name, kind):
    _, d, _ = run_json(capsys, sample(name))
    assert d["doc_type"] == kind
    if kind == "plan":
        assert [a["id"] for a in d["areas"]] == [1, 2, 3, 4, 5]
        assert {a["status"] for a in d["areas"]} == {"listed"}


# ---------------------------------------------------------------- text / markdown

def test_markdown_output(capsys):
    code, out, err = run(capsys, "check", sample("self-weak"), "--format", "markdown")
    assert code == 1 and err == ""
    assert out.startswith("# 审阅报告：self-weak.txt")
    for heading in ("## 评分", "## 对照检查方面", "## 发现的问题"):
        assert re.search(rf"^{heading}$", out, re.M), heading
    assert re.search(r"^\|---\|---\|", out, re.M)            # a table separator row
    assert re.search(r"^\| 总分 \| \d+ \|", out, re.M)


def test_text_output_has_line_numbers(capsys):
    code, out, _ = run(capsys, "check", sample("self-weak"), "--format", "text")
    assert code == 1
    assert out.startswith("self-weak.txt")
    lines = [int(m) for m in re.findall(r"第(\d+)行", out)]
    assert lines and all(1 <= x <= sample("self-weak").read_text(encoding="utf-8").count("\n") + 1 for x in lines)


def test_good_draft_text_has_no_error(capsys):
    _, out, _ = run(capsys, "check", sample("self-good"))
    assert "[错误]" not in out


# ---------------------------------------------------------------- rules, packs, eval

def test_rules_test(capsys):
    code, out, err = run(capsys, "rules", "test")
    assert code == 0
    m = re.search(r"^(\d+) passed, 0 failed$", out, re.M)
    assert m and int(m.group(1)) > 0, out[-500:]


def test_packs_lists_both(capsys):
    code, out, _ = run(capsys, "packs")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert {"2013-four-winds", "2021-five-leads"} <= set(names)


def test_eval_dev(capsys):
    if not EVAL_DEV.is_dir():
        pytest.skip(f"{EVAL_DEV} not present")
    code, out, err = run(capsys, "eval", EVAL_DEV)
    assert code == 0 and "Section roles" in out


def test_eval_missing_dir_is_2(capsys, tmp_path):
    code, out, err = run(capsys, "eval", tmp_path / "nope")
    assert code == 2 and len(err.splitlines()) == 1 and "[E120]" in err


# ---------------------------------------------------------------- .docx

def build_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("县科技局副局长张某某个人对照检查材料", level=1)
    d.add_paragraph("按照会议安排，我认真学习了规定篇目，与分管科室同志逐一谈心，征求到意见建议6条，"
                    "现把个人查摆的问题报告如下。")
    p = d.add_paragraph()
    p.add_run("一、存在的主要问题").bold = True
    items = [
        ("（一）理论学习方面。", "我对理论学习抓得不够紧，今年4月以来有3次中心组学习因外出招商请假，"
                             "事后没有及时补学，学用结合也不够。"),
        ("（二）履职尽责方面。", "我分管的科技特派员工作推进偏慢，全县28个特派员服务站中还有7个没有开展活动，"
                             "我只听了汇报，没有到现场督促。"),
        ("（三）联系群众方面。", "我到基层调研次数偏少，今年只到联系村去过2次，对种植户反映的技术培训问题"
                             "没有跟踪落实。"),
    ]
    for head, body in items:
        p = d.add_paragraph()
        p.add_run(head).bold = True
        p.add_run(body)
    p = d.add_paragraph()
    p.add_run("二、原因剖析").bold = True
    d.add_paragraph("一是理想信念有所松懈，对理论学习的重要性认识不足。二是宗旨意识有所淡化，"
                    "深入基层、服务群众的主动性不强。")
    p = d.add_paragraph()
    p.add_run("三、整改措施").bold = True
    d.add_paragraph("一是每月至少参加1次集中学习，12月底前补齐缺学内容。二是11月底前逐一走访7个没有开展活动的服务站，"
                    "列出问题清单限期整改。三是每季度到联系村调研不少于2次。")
    d.save(path)


def test_docx_is_reviewed(capsys, tmp_path):
    path = tmp_path / "对照检查材料.docx"
    build_docx(path)
    code, out, err = run(capsys, "check", path, "--format", "json")
    assert code in (0, 1) and err == ""
    d = json.loads(out)
    check_report(d, file=path.name)
    assert "一、存在的主要问题" in d["text"] and "特派员服务站" in d["text"]
    assert "problems" in {s["role"] for s in d["sections"]}
    problems = [s for s in d["sentences"] if s["section"] == "problems"]
    assert problems and any(s["function"] == "problem" for s in problems)


# ---------------------------------------------------------------- real subprocesses

def subprocess_env() -> dict:
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


def run_module(*argv, timeout: float = 120) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "review", *map(str, argv)], cwd=ROOT, env=subprocess_env(),
                       capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    assert "Traceback" not in r.stdout + r.stderr, r.stderr[-2000:]
    return r


def test_python_m_review_json():
    r = run_module("check", sample("self-good"), "--format", "json")
    assert r.returncode == 0, r.stderr
    check_report(json.loads(r.stdout), file="self-good.txt")


def test_python_m_review_weak_and_missing(tmp_path):
    missing = tmp_path / "missing.txt"
    r = run_module("check", sample("self-weak"), missing)
    assert r.returncode == 2                 # input error wins over findings
    assert "self-weak.txt" in r.stdout
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"review: {missing}: [E101]"), r.stderr


def test_python_m_review_usage_error():
    r = run_module("check")
    assert r.returncode == 2 and "usage" in r.stderr


def test_internal_error_is_one_line_not_a_traceback(capsys, monkeypatch):
    import review.api

    def boom(*a, **k):
        raise RuntimeError("simulated\nbug")

    monkeypatch.setattr(review.api, "review_document", boom)
    code, out, err = run(capsys, "check", sample("self-good"), sample("team"))
    assert code not in (0, 1, 2)             # an internal error is neither a verdict nor an input error
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("review: ") for line in lines), err


def test_json_for_several_files_all_refused_is_an_empty_list(capsys, tmp_path):
    from review.cli import main
    a, b = tmp_path / "a.doc", tmp_path / "b.txt"
    a.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    b.write_bytes(b"")
    assert main(["check", str(a), str(b), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out) == [] and len(err.strip().splitlines()) == 2


def test_output_piped_into_a_closed_pipe_is_quiet():
    import subprocess
    import sys
    p = subprocess.run(f"{sys.executable} -m review check samples/self-good.txt samples/team.txt | head -1",
                       shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in p.stderr and p.stdout.strip()


def test_report_round_trips_through_its_dict():
    from review.api import review_document
    from review.api import active_rules
    from review.render.text import render_markdown
    from review.report import Report
    rep = review_document(sample("self-weak"), mode="rules")
    again = Report.from_dict(rep.to_dict())
    assert again.to_dict() == rep.to_dict()
    rules = active_rules()
    assert render_markdown(again, rules) == render_markdown(rep, rules)
