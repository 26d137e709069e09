"""Hostile uploads through the command line (`review check FILE`).

A refusal is exit 2 with exactly one stderr line ``review: <file>: [E1xx] <中文> (<English>) — <hint>``;
a readable-but-odd file is reviewed (exit 0 or 1) with a valid SPEC §8 report. Never a traceback.
Elapsed times are printed (``pytest -s``); only a generous guard is asserted.
"""
from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hostile
import test_ingest_hostile as adv
from review.cli import main
from test_cli import ROOT, check_report, subprocess_env

CJK = re.compile(r"[\u4e00-\u9fff]")
TIMINGS: dict[str, tuple[str, int, float]] = {}

# A small self-inspection draft written for this test (fictional), GBK-encodable.
DRAFT = """县水利局副局长赵某某个人对照检查发言提纲
按照这次民主生活会的安排，我认真学习了规定篇目，征求意见建议5条，现将个人对照检查情况报告如下。
一、存在的主要问题
（一）理论学习方面。我对理论学习抓得不够紧，今年3月以来有2次中心组学习因下乡调研请假，事后没有及时补学。
（二）担当作为方面。我分管的小型水库除险加固推进偏慢，全县12座水库中还有4座没有完工，我没有到现场督促。
（三）联系群众方面。我到基层走访不够，今年只到联系村去过3次，对群众反映的饮水问题没有跟踪落实。
二、原因剖析
一是理想信念有所松懈，对理论学习的重要性认识不足。二是宗旨意识有所淡化，深入群众的主动性不强。
三、整改措施
一是每月至少参加1次集中学习，12月底前补齐缺学内容。二是11月底前完成4座水库除险加固。三是每季度到联系村走访不少于2次。
"""


def _random_binary() -> bytes:
    data = random.Random(0).randbytes(8192)
    assert not data.startswith((b"PK", b"%PDF", hostile.OLE_MAGIC))
    return data


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as f:
        f.truncate(size)


# case id -> (file name, builder(path), expected: "E1xx" refusal code or "review")
CASES = {
    "truncated-docx": ("half.docx", lambda p: p.write_bytes(hostile.sample_docx()[: len(hostile.sample_docx()) // 2]),
                       "E106"),
    "txt-renamed-docx": ("draft.docx", lambda p: p.write_text(DRAFT, encoding="utf-8"), "E106"),
    "docx-renamed-txt": ("draft.txt", lambda p: p.write_bytes(hostile.sample_docx()), "review"),
    "zip-bomb-docx": ("bomb.docx", lambda p: hostile.zip_bomb_docx(p, mb=100), "E107"),
    "ole-doc": ("old.doc", lambda p: p.write_bytes(hostile.ole_file()), "E103"),
    "ole-wps": ("old.wps", lambda p: p.write_bytes(hostile.ole_file()), "E104"),
    "encrypted-ole-docx": ("locked.docx", lambda p: p.write_bytes(hostile.ole_file(encrypted=True)), "E105"),
    "gbk-text": ("gbk.txt", lambda p: p.write_bytes(DRAFT.encode("gbk")), "review"),
    "utf16-text": ("utf16.txt", lambda p: p.write_bytes(DRAFT.encode("utf-16")), "review"),
    "empty": ("empty.txt", lambda p: p.write_bytes(b""), "E102"),
    "60mb-sparse": ("big.docx", lambda p: _sparse(p, 60 * 1024 * 1024), "E110"),
    "random-binary": ("blob.txt", lambda p: p.write_bytes(_random_binary()), "E111"),
    "image-only-pdf": ("scan.pdf", lambda p: p.write_bytes(hostile.pdf_bytes([None])), "E108"),
    # from the adversarial report (builders in test_ingest_hostile.py)
    "19.5mb-text": ("big.txt", lambda p: p.write_bytes(DRAFT.encode() * (int(19.5 * 2**20) // len(DRAFT.encode()))),
                    "E115"),
    "3000-page-pdf": ("many.pdf", lambda p: p.write_bytes(adv.shared_stream_pdf(3000, adv.text_stream(18_000))),
                      "E115"),
    "roman-2e9-numbering": ("roman.docx", lambda p: p.write_bytes(adv.numbered_docx("upperRoman", 2_000_000_000, 60)),
                            "review"),
    "strict-ooxml": ("strict.docx", lambda p: p.write_bytes(adv.strict_docx()), "E116"),
    "text-box-only": ("box.docx", lambda p: p.write_bytes(adv.text_box_docx()), "E117"),
    "docm": ("draft.docm", lambda p: p.write_bytes(adv.retyped_docx(adv.DOCM_TYPE)), "review"),
    "big5-text": ("big5.txt", lambda p: p.write_bytes(adv.BIG5_DRAFT.encode("big5")), "review"),
    "utf16-le-no-bom": ("u16.txt", lambda p: p.write_bytes(DRAFT.encode("utf-16-le")), "review"),
}


@pytest.fixture(scope="module", autouse=True)
def timing_table():
    yield
    print(f"\n\n  {'hostile input':34} {'run':11} exit   elapsed")
    for case, (how, code, secs) in TIMINGS.items():
        print(f"  {case:34} {how:11} {code:>4}   {secs * 1000:8.0f} ms")
    print("  (the first in-process call of a session also pays the spaCy/jieba import and load)")


def _record(case: str, how: str, code: int, secs: float) -> None:
    TIMINGS[case] = (how, code, secs)
    print(f"\n{case}: exit {code} in {secs * 1000:.0f} ms ({how})")


def assert_refusal(code: int, out: str, err: str, path: Path, expected: str) -> None:
    assert "Traceback" not in out + err
    assert code == 2, (code, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].strip(), err
    line = lines[0]
    assert line.startswith(f"review: {path}: [{expected}] "), line
    assert CJK.search(line) and re.search(r"\([A-Za-z][^)]*\)", line) and " — " in line, line


def assert_reviewed(code: int, out: str, err: str, path: Path) -> dict:
    assert "Traceback" not in out + err
    assert code in (0, 1), (code, err)
    assert err == ""
    d = json.loads(out)
    check_report(d, file=path.name)
    return d


def _check_content(case: str, d: dict) -> None:
    if case == "big5-text":
        assert d["text"] == adv.BIG5_DRAFT and any("Big5" in w for w in d["warnings"])
    elif case == "docm":
        assert "一、存在的主要问题" in d["text"]
    elif case == "roman-2e9-numbering":
        assert d["text"].startswith("2000000000. ")
    elif case in ("gbk-text", "utf16-text", "utf16-le-no-bom"):
        assert d["text"] == DRAFT                      # decoded correctly, nothing lost
        assert "problems" in {s["role"] for s in d["sections"]}
        if case == "gbk-text":
            assert any("GB18030" in w for w in d["warnings"])
    elif case == "docx-renamed-txt":
        assert "一、存在的主要问题" in d["text"]
        assert any(".docx" in w for w in d["warnings"])


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_in_process(capsys, tmp_path, case):
    name, build, expected = CASES[case]
    path = tmp_path / name
    build(path)
    t = time.perf_counter()
    code = main(["check", str(path), "--format", "json"])
    secs = time.perf_counter() - t
    out, err = capsys.readouterr()
    with capsys.disabled():
        _record(case, "in-process", code, secs)
    if expected == "review":
        _check_content(case, assert_reviewed(code, out, err, path))
    else:
        assert_refusal(code, out, err, path, expected)
    assert secs < (30 if case in ("gbk-text", "truncated-docx") else 10)  # the first calls load the models


def run_module(*argv, timeout: float = 120):
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "review", *map(str, argv)], cwd=ROOT, env=subprocess_env(),
                       capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    return r, time.perf_counter() - t


@pytest.mark.parametrize("case", ["truncated-docx", "encrypted-ole-docx", "gbk-text"])
def test_hostile_subprocess(tmp_path, case):
    name, build, expected = CASES[case]
    path = tmp_path / name
    build(path)
    r, secs = run_module("check", path, "--format", "json")
    _record(f"{case} (python -m)", "subprocess", r.returncode, secs)
    if expected == "review":
        _check_content(case, assert_reviewed(r.returncode, r.stdout, r.stderr, path))
    else:
        assert_refusal(r.returncode, r.stdout, r.stderr, path, expected)


def test_600k_char_line_without_punctuation(tmp_path):
    """Over the 200,000-character cap: refused with E115 at once, not reviewed for seconds."""
    rng = random.Random(1)
    line = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(600_000))
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="utf-8")
    r, secs = run_module("check", path, "--format", "json", timeout=60)
    _record("600k-char-line (python -m)", "subprocess", r.returncode, secs)
    assert_refusal(r.returncode, r.stdout, r.stderr, path, "E115")
    assert "200,000" in r.stderr
    assert secs < 10
