"""Batch review: inputs from files, folders and zips (safely), per-file errors, copied
passages, team problems nobody owns, and the three outputs."""
import io
import json
import zipfile
from pathlib import Path

import pytest

from review.batch import collect_inputs, member_name, run_batch, safe_name, unique_names

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PLANTED = ("我在分管的城区老旧小区改造中，前期入户征求意见只走了两个小区，施工方案没有逐户公示，"
           "导致开工后有十几户居民反映管线改道影响出行，我没有第一时间到现场协调，拖了半个多月才解决。")


def _member(name: str, extra: str = "") -> str:
    body = (SAMPLES / "self-weak.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    return f"{name}同志专题民主生活会个人发言提纲\n" + body.replace("一、", "一、", 1) + ("\n" + extra if extra else "")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    inp = root / "in"
    inp.mkdir()
    (inp / "王某某.txt").write_text((SAMPLES / "self-good.txt").read_text(encoding="utf-8").replace(
        "三、存在的主要问题", "三、存在的主要问题\n" + PLANTED, 1), encoding="utf-8")
    (inp / "team.txt").write_text((SAMPLES / "team.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (inp / "critique.txt").write_text((SAMPLES / "critique.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (inp / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("材料/李某某.txt", _member("李某某", PLANTED))
        zf.writestr("../../escape.txt", _member("赵某某"))
        zf.writestr("/abs/evil.txt", _member("钱某某"))
        zf.writestr("__MACOSX/._junk.txt", "x")
        zf.writestr("empty.txt", "")
    (root / "members.zip").write_bytes(buf.getvalue())
    out = root / "out"
    res = run_batch([str(inp), str(root / "members.zip"), str(root / "missing.docx")], out,
                    workers=2, progress=False, mode="rules")
    return root, out, res


def test_every_input_is_reviewed_or_reported(batch):
    _, _, res = batch
    reviewed = sorted(r["file"] for r in res.reports)
    assert reviewed == sorted(["王某某.txt", "team.txt", "critique.txt", "李某某.txt", "escape.txt", "evil.txt"])
    failed = {e["file"]: e["code"] for e in res.errors}
    assert failed == {"old.doc": "E103", "empty.txt": "E102", "missing.docx": "E101"}
    assert all("\n" not in e["message"] for e in res.errors)
    assert res.skipped == {"hidden": 1, "own_outputs": 0}              # __MACOSX/._junk.txt


def test_nothing_is_written_outside_out(batch):
    root, out, _ = batch
    # where a ../ member would land: beside the fixture's folder or anywhere inside it (other
    # tests' folders beside it may well have "escape" in their names)
    landed = [p for p in root.parent.rglob("*escape*") if p.is_file() and (p.parent == root.parent or root in p.parents)]
    outside = [p for p in landed if out not in p.parents] + \
              [p for p in root.rglob("*") if p.is_file() and out not in p.parents and p.parent.name not in ("in",)
               and p.name != "members.zip"]
    assert outside == []
    assert not Path("/abs/evil.txt").exists()


def test_copied_paragraph_is_found_between_the_two_members(batch):
    _, _, res = batch
    pairs = {(c["file"], c["with"]) for c in res.copies}
    assert ("王某某.txt", "李某某.txt") in pairs and ("李某某.txt", "王某某.txt") in pairs
    for r in res.reports:
        copied = [f for f in r["findings"] if f["rule"] == "batch.copied"]
        if r["file"] in ("王某某.txt", "李某某.txt"):
            assert any(PLANTED[10:40] in r["text"][f["start"]:f["end"]] for f in copied)
            assert all(f["with"] in ("王某某.txt", "李某某.txt", "escape.txt", "evil.txt") and f["similarity"] > 0.5
                       for f in copied)


def test_members_named_and_team_problems_nobody_owns(batch):
    _, _, res = batch
    by = {r["file"]: r for r in res.reports}
    assert by["王某某.txt"]["member"] == "王某某" and by["李某某.txt"]["member"] == "李某某"
    assert by["team.txt"]["doc_type"] == "team"
    unclaimed = [f for f in by["team.txt"]["findings"] if f["rule"] == "batch.unclaimed-team-problem"]
    assert unclaimed and all(f["severity"] == "info" and f["end"] > f["start"] for f in unclaimed)


def test_outputs(batch):
    import docx
    import openpyxl
    _, out, res = batch
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    first = wb.worksheets[0]
    assert first.max_row - 1 >= len(res.reports) + len(res.errors)     # one row per input
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in data] == [r["file"] for r in res.reports]
    assert all(d["schema"] == "review-report/1" for d in data)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["status"] == "complete" and run["counts"]["inputs"] == len(res.reports) + len(res.errors)
    assert len(res.outputs["docx"]) == len(res.reports)
    for report, path in zip(res.reports, res.outputs["docx"]):
        d = docx.Document(path)
        spans = [f for f in report["findings"] if f["end"] > f["start"]]
        assert len(list(d.comments)) == len(spans), path


def test_safe_names_and_unique_stems():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\王某某.docx") == "王某某.docx"
    assert safe_name("\x00\x01") == "未命名"
    assert unique_names(["a/王.docx", "b/王.txt", "c.txt"]) == ["王", "王-2", "c"]


def test_member_name_from_title_or_name_line():
    assert member_name("# **张某某同志党史学习教育专题民主生活会发言提纲**\n正文") == "张某某"
    assert member_name("发言提纲\n姓名：刘某\n") == "刘某"
    assert member_name("领导班子对照检查材料\n") == ""


def test_zip_bomb_shaped_archive_is_refused(tmp_path):
    p = tmp_path / "bomb.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", "学" * (8 * 1024 * 1024))
    inputs, errors = collect_inputs([str(p)])
    assert inputs == [] and errors and errors[0]["code"] == "E131"


def test_batch_command_exit_codes(tmp_path, capsys):
    from review.cli import main
    (tmp_path / "a.txt").write_text((SAMPLES / "self-good.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["batch", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--mode", "rules", "--no-docx"]) == 0
    assert main(["batch", str(tmp_path / "a.txt"), str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o2"),
                 "--mode", "rules", "--no-docx"]) == 2
    out = capsys.readouterr()
    assert "summary.xlsx" in out.out and "nope.txt" in out.err and "Traceback" not in out.err


def test_same_name_in_two_places_stays_two_inputs(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "王某某.txt").write_text(_member("王某某"), encoding="utf-8")
    inputs, errors = collect_inputs([str(tmp_path / "a"), str(tmp_path / "b")])
    assert [i.name for i in inputs] == ["王某某.txt", "王某某-2.txt"] and errors == []
    res = run_batch([str(tmp_path / "a"), str(tmp_path / "b")], tmp_path / "out", workers=1, progress=False,
                    mode="rules", write_docx=False)
    assert {(c["file"], c["with"]) for c in res.copies} >= {("王某某.txt", "王某某-2.txt")}
