"""Hostile batches: hanging files, names no file system or terminal likes, inputs that used
to vanish, links, interrupted runs, an output folder inside the input, and -o misuse.
Every input ends as a row or a refusal with its reason; nothing is written through a link."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import review.batch.run as batch
from review.batch import collect_inputs, run_batch
from review.cli import main
from review.batch.names import distinct, safe_name, shown, unique_names

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
LONG_83 = "关于加强和改进党的作风建设专题民主生活会个人对照检查材料" * 3    # 87 characters
LONG_83 = LONG_83[:83]
GBK_NAME = "王某某.txt".encode("gbk")


def draft(i: int, name: str = "") -> str:
    who = name or f"成员{i}"
    return (f"{who}同志专题民主生活会个人发言提纲\n一、存在的主要问题\n"
            f"我对理论学习抓得不紧，第{i}季度只参加了{i % 5 + 1}次集中学习。\n"
            f"二、产生问题的原因\n理想信念有所松懈。\n三、整改措施\n每月到基层调研{i % 3 + 1}次。\n")


def zip_bytes(members: dict) -> bytes:
    """A zip of {name or ZipInfo: content}."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def rows_of(xlsx: Path) -> list[list]:
    import openpyxl
    ws = openpyxl.load_workbook(xlsx, read_only=True).worksheets[0]
    rows = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        if not row or row[0] is None:
            break
        rows.append(list(row))
    return rows


# ---- 1. a per-file time budget, in a batch of 300 with hostile files ---------------------------

def hostile_folder(d: Path, n_plain: int) -> None:
    """n_plain ordinary drafts and ten hostile files, each of which is one row."""
    d.mkdir()
    for i in range(n_plain):
        (d / f"m{i:03}.txt").write_text(draft(i), encoding="utf-8")
    (d / "hang.txt").write_text(draft(900), encoding="utf-8")              # made slow by the test
    fd = os.open(os.path.join(os.fsencode(d), GBK_NAME), os.O_WRONLY | os.O_CREAT)
    os.write(fd, draft(901, "王某某").encode("utf-8"))
    os.close(fd)
    (d / f"{LONG_83}.txt").write_text(draft(902), encoding="utf-8")
    (d / "坏\x1b[31m\n名.txt").write_text(draft(903), encoding="utf-8")
    (d / "x.rtf").write_bytes(b"{\\rtf1 text}")
    (d / "README").write_text("说明", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (d / "链接.txt").symlink_to("/etc/passwd")
    (d / "nest.zip").write_bytes(zip_bytes({"inner.zip": zip_bytes({"深层.txt": draft(904)})}))
    (d / ".DS_Store").write_bytes(b"\0\0")                                  # hidden: skipped, counted


def hanging_review(monkeypatch) -> None:
    """review_document sleeps on hang.txt (forked workers inherit the patch)."""
    real = batch.review_document

    def slow(src, *, filename=None, **kw):
        if filename == "hang.txt":
            time.sleep(60)
        return real(src, filename=filename, **kw)
    monkeypatch.setattr(batch, "review_document", slow)


def test_300_files_with_a_hanging_one_all_end_as_rows(tmp_path, monkeypatch, capsys):
    hostile_folder(tmp_path / "in", 290)
    hanging_review(monkeypatch)
    t = time.perf_counter()
    res = run_batch([str(tmp_path / "in")], tmp_path / "out", mode="rules", workers=2, progress=False,
                    write_docx=False, budget=2)
    seconds = time.perf_counter() - t
    assert seconds < 10
    assert len(res.reports) + len(res.errors) == 300
    codes = {e["file"]: e["code"] for e in res.errors}
    assert codes == {"hang.txt": "E118", "x.rtf": "E112", "README": "E112", "empty.txt": "E102",
                     "old.doc": "E103", "链接.txt": "E135"}
    hang = next(e for e in res.errors if e["file"] == "hang.txt")
    assert "hang.txt" in hang["message"] and "2 秒" in hang["message"]
    names = {r["file"] for r in res.reports}
    assert {"王某某.txt", f"{LONG_83}.txt", "坏[31m名.txt", "深层.txt"} <= names
    assert res.skipped == {"hidden": 1, "own_outputs": 0}
    assert len(rows_of(tmp_path / "out" / "summary.xlsx")) == 300
    manifest = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete" and manifest["counts"]["inputs"] == 300
    assert manifest["time_budget"] == {"seconds": 2, "enforced": True}
    json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    print(f"\n300-file batch: reviewed {len(res.reports)}, refused {len(res.errors)}, "
          f"hidden {res.skipped['hidden']} in {seconds:.1f} s", file=sys.__stderr__)


def test_budget_in_process_in_the_main_thread(tmp_path, monkeypatch):
    (tmp_path / "hang.txt").write_text(draft(1), encoding="utf-8")
    (tmp_path / "ok.txt").write_text(draft(2), encoding="utf-8")
    hanging_review(monkeypatch)
    res = run_batch([str(tmp_path / "hang.txt"), str(tmp_path / "ok.txt")], tmp_path / "out", mode="rules",
                    workers=1, progress=False, write_docx=False, budget=1)
    assert [e["code"] for e in res.errors] == ["E118"] and [r["file"] for r in res.reports] == ["ok.txt"]


def test_budget_is_skipped_outside_the_main_thread(tmp_path):
    """The app runs batches in a thread: no signal there, and no crash for trying."""
    import threading
    (tmp_path / "a.txt").write_text(draft(1), encoding="utf-8")
    got = {}
    th = threading.Thread(target=lambda: got.update(res=run_batch(
        [str(tmp_path / "a.txt")], tmp_path / "out", mode="rules", workers=1, progress=False,
        write_docx=False, budget=1)))
    th.start()
    th.join(30)
    assert len(got["res"].reports) == 1
    assert got["res"].manifest["time_budget"]["enforced"] is False


def test_a_worker_that_dies_costs_one_file(tmp_path, monkeypatch):
    for i in range(12):
        (tmp_path / f"m{i:02}.txt").write_text(draft(i), encoding="utf-8")
    (tmp_path / "m05.txt").write_text(draft(5) + "DIE", encoding="utf-8")
    real = batch.review_document

    def dying(src, *, filename=None, **kw):
        if filename == "m05.txt":
            os._exit(9)
        return real(src, filename=filename, **kw)
    monkeypatch.setattr(batch, "review_document", dying)
    res = run_batch([str(tmp_path)], tmp_path / "out", mode="rules", workers=2, progress=False, write_docx=False)
    assert len(res.reports) + len(res.errors) == 12
    assert [(e["file"], e["code"]) for e in res.errors] == [("m05.txt", "E900")]


# ---- 2. names that used to crash a batch ---------------------------------------------------

def test_gbk_long_and_zip_long_names_give_valid_outputs(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    fd = os.open(os.path.join(os.fsencode(d), GBK_NAME), os.O_WRONLY | os.O_CREAT)
    os.write(fd, draft(1, "王某某").encode("utf-8"))
    os.close(fd)
    (d / f"{LONG_83}.txt").write_text(draft(2), encoding="utf-8")
    (d / f"{LONG_83[:-1]}乙.txt").write_text(draft(3), encoding="utf-8")   # same first 200 bytes
    member = "成员" * 50 + ".txt"                                           # 100 CJK characters
    (d / "a.zip").write_bytes(zip_bytes({member: draft(4)}))
    code, out, err = cli(capsys, "batch", d, "-o", tmp_path / "out", "--mode", "rules")
    assert code in (0, 1), err
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    files = [r["file"] for r in data]
    assert "王某某.txt" in files and f"{LONG_83}.txt" in files and any(f.endswith(".txt") and len(f) > 90
                                                                     for f in files if f.startswith("成员"))
    docx = sorted(p.name for p in (tmp_path / "out").glob("*.review.docx"))
    assert len(docx) == 4 and all(len(n.encode("utf-8")) <= 255 for n in docx)
    assert not list((tmp_path / "out").glob(".review-tmp-*"))


def test_names_are_capped_distinct_and_readable():
    stems = unique_names([LONG_83 + ".txt", LONG_83[:-1] + "乙.txt", "王某某.txt", "王某某.docx"])
    assert all(len(s.encode("utf-8")) <= 200 for s in stems) and len(set(stems)) == 4
    assert stems[2:] == ["王某某", "王某某-2"]
    assert safe_name(os.fsdecode(GBK_NAME)) == "王某某.txt"
    long = safe_name("成员" * 100 + ".docx")
    assert long.endswith(".docx") and len(long) == 120


# ---- 3. inputs that vanished ------------------------------------------------------------

def test_every_zip_member_and_folder_entry_ends_as_a_row_or_a_refusal(tmp_path, capsys):
    long_member = "问" * 130 + ".txt"
    inner = zip_bytes({"内层.txt": draft(1), "更深.zip": zip_bytes({"x.txt": draft(2)})})
    link = zipfile.ZipInfo("链接.txt")                               # a link member: its text is a path
    link.external_attr = 0o120777 << 16
    archive = zip_bytes({"inner.zip": inner, long_member: draft(3), "格式.rtf": b"{\\rtf1 x}",
                         "无扩展名": draft(4), "__MACOSX/._x.txt": "x", link: "/etc/passwd"})
    (tmp_path / "a.zip").write_bytes(archive)
    d = tmp_path / "d"
    d.mkdir()
    (d / "表.xlsx").write_bytes(b"PK\x03\x04")
    (d / ".hidden.txt").write_text(draft(5), encoding="utf-8")
    (d / "~$临时.docx").write_bytes(b"x")
    code, out, err = cli(capsys, "batch", tmp_path / "a.zip", d, "-o", tmp_path / "out", "--mode", "rules",
                         "--no-docx")
    assert code == 2
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert sorted(r["file"] for r in data) == sorted(["内层.txt", safe_name(long_member)])
    assert safe_name(long_member).endswith(".txt")
    assert "E134" in err and "更深.zip" in err
    assert "E112" in err and ".rtf" in err and "无扩展名" in err and ".xlsx" in err
    assert "E135" in err and "链接.txt" in err
    assert "reviewed 2, unreadable 5" in out and "skipped 3 hidden" in out
    assert len(rows_of(tmp_path / "out" / "summary.xlsx")) == 7


def test_archive_allowance_covers_nested_members(tmp_path, monkeypatch):
    from review.batch.inputs import Allowance
    monkeypatch.setattr(Allowance, "__init__", lambda self: (setattr(self, "members", 3),
                                                             setattr(self, "bytes", 10 ** 9))[0])
    inner = zip_bytes({f"{k}.txt": draft(k) for k in range(5)})
    (tmp_path / "a.zip").write_bytes(zip_bytes({"inner.zip": inner}))
    inputs, errors = collect_inputs([str(tmp_path / "a.zip")])
    assert len(inputs) == 2 and [e["code"] for e in errors] == ["E130"]


# ---- 4. links ------------------------------------------------------------------------------

def test_a_link_in_the_output_folder_is_never_written_through(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(draft(1), encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.xlsx").symlink_to(victim)
    for extra in ([], ["--overwrite"]):
        code, _, err = cli(capsys, "batch", tmp_path / "a.txt", "-o", out, "--mode", "rules", "--no-docx", *extra)
        assert code == 2 and "[E142]" in err and len(err.strip().splitlines()) == 1
    assert victim.read_text(encoding="utf-8") == "keep me"
    link_out = tmp_path / "linked-out"
    link_out.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    code, _, err = cli(capsys, "batch", tmp_path / "a.txt", "-o", link_out, "--mode", "rules", "--no-docx")
    assert code == 2 and "[E142]" in err and not (tmp_path / "elsewhere").exists()


def test_links_in_an_input_folder_are_not_followed(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(draft(1), encoding="utf-8")
    (d / "链接.txt").symlink_to("/etc/passwd")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_text(draft(2), encoding="utf-8")
    (d / "目录").symlink_to(outside, target_is_directory=True)
    code, _, err = cli(capsys, "batch", d, "-o", tmp_path / "out", "--mode", "rules", "--no-docx")
    assert code == 2 and err.count("[E135]") == 2
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in data] == ["a.txt"]


def test_a_file_swapped_for_a_link_after_the_walk_is_refused(tmp_path):
    from review.batch.inputs import Input, open_input
    (tmp_path / "x.txt").symlink_to("/etc/passwd")
    with pytest.raises(batch.ReviewError) as e:
        open_input(Input("x.txt", str(tmp_path / "x.txt"), path=tmp_path / "x.txt", in_folder=True))
    assert e.value.code == "E135"


# ---- 5. interrupted ------------------------------------------------------------------------

def _group(pgid: int) -> list[int]:
    """Live processes in a process group (from /proc)."""
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                fields = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(d))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_sigterm_stops_the_workers_and_marks_the_run_interrupted(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    good = (SAMPLES / "self-good.txt").read_text(encoding="utf-8")
    for i in range(200):
        (d / f"m{i:03}.txt").write_text(good.replace("王某某", f"成员{i}"), encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, REVIEW_MODE="rules")
    p = subprocess.Popen([sys.executable, "-m", "review", "batch", str(d), "-o", str(out), "--workers", "2"],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.time() + 30
        while len(_group(p.pid)) < 2 and p.poll() is None and time.time() < deadline:   # workers forked
            time.sleep(0.05)
        time.sleep(1.0)                                                              # some reviewed
        assert p.poll() is None, "the batch ended before it could be interrupted"
        p.send_signal(signal.SIGTERM)
        t = time.time()
        _, err = p.communicate(timeout=5)
        while _group(p.pid) and time.time() - t < 5:
            time.sleep(0.05)
        assert _group(p.pid) == []
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    err = err.decode("utf-8")
    assert p.returncode == 128 + signal.SIGTERM and "Traceback" not in err and "已中断" in err
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted" and manifest["signal"] == "SIGTERM"
    counts = manifest["counts"]
    assert counts["inputs"] == 200 and counts["reviewed"] + counts["refused"] + counts["not_reviewed"] == 200
    assert counts["not_reviewed"] > 0 and len(manifest["not_reviewed"]) == counts["not_reviewed"]
    import openpyxl
    wb = openpyxl.load_workbook(out / "summary.xlsx", read_only=True)
    assert wb.sheetnames[0] == "汇总（未完成）"
    note = [r for r in wb["说明"].iter_rows(values_only=True) if r and r[0] == "未完成"]
    assert note and "中断" in note[0][1]
    print(f"\nSIGTERM: exit {p.returncode}, reviewed {counts['reviewed']}, not reviewed {counts['not_reviewed']}, "
          f"stopped in {time.time() - t:.1f} s, no process left", file=sys.__stderr__)


def test_a_complete_run_is_not_marked(tmp_path):
    (tmp_path / "a.txt").write_text(draft(1), encoding="utf-8")
    res = run_batch([str(tmp_path / "a.txt")], tmp_path / "out", mode="rules", progress=False, write_docx=False)
    import openpyxl
    wb = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx", read_only=True)
    assert wb.sheetnames[0] == "汇总" and res.manifest["status"] == "complete"


# ---- 6. the output folder inside the input folder ------------------------------------------

def test_out_inside_the_input_is_not_reviewed_again(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    text = (SAMPLES / "self-good.txt").read_text(encoding="utf-8")
    (d / "a.txt").write_text(text, encoding="utf-8")
    (d / "b.txt").write_text(draft(2), encoding="utf-8")
    (d / "old.review.docx").write_bytes(b"PK\x03\x04")            # ours from another run
    for extra in ([], ["--overwrite"]):
        code, out, err = cli(capsys, "batch", d, "-o", d / "结果", "--mode", "rules", *extra)
        assert code in (0, 1), err
    data = json.loads((d / "结果" / "report.json").read_text(encoding="utf-8"))
    assert sorted(r["file"] for r in data) == ["a.txt", "b.txt"]
    assert not any(r["rule"] == "batch.copied" for rep in data for r in rep["findings"])
    assert "skipped 0 hidden and 2 own outputs" in out              # the folder and old.review.docx


# ---- 7. -o misuse and earlier results ---------------------------------------------------------

def test_out_that_is_a_file_is_refused_with_e140(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(draft(1), encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = cli(capsys, "batch", tmp_path / "a.txt", "-o", tmp_path / "file", "--mode", "rules")
    assert code == 2 and "[E140]" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli(capsys, "batch", tmp_path / "a.txt", "-o", tmp_path / "file" / "sub", "--mode", "rules")
    assert code == 2 and "[E140]" in err


def test_earlier_results_need_overwrite(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(draft(1), encoding="utf-8")
    args = ["batch", tmp_path / "a.txt", "-o", tmp_path / "out", "--mode", "rules", "--no-docx"]
    assert cli(capsys, *args)[0] in (0, 1)
    before = (tmp_path / "out" / "summary.xlsx").read_bytes()
    code, _, err = cli(capsys, *args)
    assert code == 2 and "[E141]" in err and "--overwrite" in err
    assert (tmp_path / "out" / "summary.xlsx").read_bytes() == before
    assert cli(capsys, *args, "--overwrite")[0] in (0, 1)


# ---- 8. messages and duplicate names --------------------------------------------------------

def test_names_with_escapes_and_newlines_stay_on_one_line(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    (d / "坏\x1b[31m红\n第二行.rtf").write_bytes(b"{\\rtf1 x}")
    (d / "\u202etxt.exe").write_bytes(b"x")                          # right-to-left override
    code, _, err = cli(capsys, "batch", d, "-o", tmp_path / "out", "--mode", "rules", "--no-docx")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all(ln.startswith("review: ") for ln in lines)
    assert "\x1b" not in err and "\u202e" not in err and "\\x1b" in err and "\\u202e" in err
    assert shown("a\nb\x07\x9b") == "a\\nb\\x07\\x9b"


def test_duplicate_names_never_collide(tmp_path):
    assert distinct(["王某某.txt", "王某某.txt", "王某某.txt"]) == ["王某某.txt", "王某某-2.txt", "王某某-3.txt"]
    assert distinct(["王某某.txt", "王某某.txt", "王某某-2.txt"]) == ["王某某.txt", "王某某-3.txt", "王某某-2.txt"]
    assert distinct(["A.txt", "a.txt"]) == ["A.txt", "a-2.txt"]
    for k, d in enumerate(["a", "b", "c"]):
        (tmp_path / d).mkdir()
        (tmp_path / d / "王某某.txt").write_text(draft(k, "王某某"), encoding="utf-8")
    (tmp_path / "c" / "王某某-2.txt").write_text(draft(9), encoding="utf-8")
    inputs, _ = collect_inputs([str(tmp_path / d) for d in "abc"])
    names = [i.name for i in inputs]
    assert len(set(names)) == 4 and names[0] == "王某某.txt" and "王某某-2.txt" in names


def test_zip_member_names_in_utf8_without_the_flag_and_in_gbk(tmp_path):
    """Both kinds of unflagged names come out as written (no mojibake)."""
    z = tmp_path / "a.zip"
    body = (Path(__file__).resolve().parent.parent / "samples" / "self-good.txt").read_bytes()
    class RawName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):                      # store the name's bytes as given, flag off
            return self.filename.encode("cp437"), self.flag_bits & ~0x800

    with zipfile.ZipFile(z, "w") as zf:
        for raw in ("张某某.txt".encode("utf-8"), "李某某.txt".encode("gbk")):
            zf.writestr(RawName(raw.decode("cp437")), body)
    inputs, errors = collect_inputs([str(z)])
    assert sorted(i.name for i in inputs) == ["张某某.txt", "李某某.txt"] and not errors
