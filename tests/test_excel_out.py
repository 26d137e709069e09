"""The batch workbook (review.excel_out): sheets, layout, colours, and hostile cell text."""
import zipfile
from pathlib import Path

import openpyxl
import pytest

from review.render.excel import (BOILERPLATE, COPIES, FINDINGS, GRADE_FAIL, GRADE_NA, GRADE_OK, GRADE_REVISE,
                              HEATMAP, README, SUMMARY, UNREADABLE, grade, write_workbook)
from review.api import review_document
from review.render.labels import SCORE_ZH, STATUS_ZH

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
MEMBERS = {"critique": "张三", "plan": "", "self-good": "李四", "self-weak": "王\x01五", "team": "班子"}
INJECTED = '=HYPERLINK("x")'


@pytest.fixture(scope="module")
def base_reports():
    out = []
    for p in sorted(SAMPLES.glob("*.txt")):
        d = review_document(p, mode="rules").to_dict()
        d["member"] = MEMBERS[p.stem]
        out.append(d)
    return out


@pytest.fixture()
def batch(base_reports):
    reports = [dict(r, findings=list(r["findings"])) for r in base_reports]
    weak = next(r for r in reports if r["file"] == "self-weak.txt")
    # a hostile line in a draft, quoted by a finding whose message carries a control character
    start = len(weak["text"]) + 1
    weak["text"] = weak["text"] + "\n" + INJECTED + "\n"
    weak["findings"].append({"rule": "terms.nonstandard", "severity": "info", "start": start,
                             "end": start + len(INJECTED), "message": "坏\x07字符\x00", "clause": "+依据",
                             "suggestion": "@建议"})
    good = next(r for r in reports if r["file"] == "self-good.txt")
    copies = [{"file": "self-good.txt", "start": 0, "end": 20, "text": good["text"][:20],
               "with": "team.txt", "other_start": 5, "other_end": 25, "other_text": "-雷同\x0b段落",
               "similarity": 0.875}]
    boilerplate = [{"text": "理论学习不够深入系统", "count": 3, "files": ["self-good.txt", "self-weak.txt", "team.txt"]}]
    errors = [{"file": "broken.docx", "code": "E_DOCX", "message": "文件已损坏", "index": 2}]
    return reports, copies, boilerplate, errors


@pytest.fixture()
def book(batch, tmp_path):
    reports, copies, boilerplate, errors = batch
    path = tmp_path / "batch.xlsx"
    write_workbook(reports, path, copies=copies, boilerplate=boilerplate, errors=errors)
    return path, openpyxl.load_workbook(path), batch


def table_rows(ws):
    """Data rows under the header, up to the first empty row."""
    rows = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def cf_rules(ws):
    return {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}


def header(ws):
    return [c.value for c in ws[1]]


def test_sheet_names(book):
    _, wb, _ = book
    assert wb.sheetnames == [SUMMARY, FINDINGS, COPIES, BOILERPLATE, HEATMAP, README]


def test_summary_one_row_per_input_in_order(book):
    _, wb, (reports, _, _, errors) = book
    ws = wb[SUMMARY]
    rows = table_rows(ws)
    files = [r["file"] for r in reports]
    files.insert(2, "broken.docx")
    assert [r[0] for r in rows] == files
    head = header(ws)
    assert head[:8] == ["文件", "姓名", "类型", *SCORE_ZH.values()]
    assert head[-2:] == ["等级", "备注"]
    broken = rows[2]
    assert broken[2] == UNREADABLE and broken[head.index("等级")] == UNREADABLE
    assert "文件已损坏" in broken[head.index("备注")]
    # one column per rule that occurs in the batch, holding that report's count
    weak = next(r for r in reports if r["file"] == "self-weak.txt")
    weak_row = next(r for r in rows if r[0] == "self-weak.txt")
    occurring = {f["rule"] for r in reports for f in r["findings"]}
    assert occurring <= set(head)
    for rule in occurring:
        assert weak_row[head.index(rule)] == sum(f["rule"] == rule for f in weak["findings"])
    # area columns hold the Chinese status; a plan's areas read 方案所列
    plan_row = next(r for r in rows if r[0] == "plan.txt")
    assert STATUS_ZH["listed"] in plan_row
    assert weak_row[head.index("等级")] == GRADE_FAIL
    assert weak_row[1] == "王五"                                      # control character stripped
    assert "等级规则" in "".join(str(c.value) for c in ws["A"] if c.value)


def test_summary_layout_and_colours(book):
    _, wb, (reports, _, _, _) = book
    ws = wb[SUMMARY]
    n = len(reports) + 2                                              # header + reports + the error
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header(ws)))}{n}"
    rules = cf_rules(ws)
    assert [r.type for r in rules[f"D2:H{n}"]] == ["colorScale"]
    head = header(ws)
    first = openpyxl.utils.get_column_letter(head.index("1." + reports[0]["areas"][0]["short"]) + 1)
    area_ref = next(ref for ref in rules if ref.startswith(f"{first}2:"))
    formulas = {r.formula[0] for r in rules[area_ref] if r.type == "cellIs"}
    assert {'"缺失"', '"较空"', '"已覆盖"'} <= formulas
    assert all(r.dxf.fill is not None for r in rules[area_ref])
    grade_col = openpyxl.utils.get_column_letter(head.index("等级") + 1)
    assert {'"不达标"', '"需修改"', '"基本达标"'} <= {r.formula[0] for r in rules[f"{grade_col}2:{grade_col}{n}"]}
    assert ws.column_dimensions["A"].width >= 10


def test_findings_sheet(book):
    _, wb, (reports, _, _, _) = book
    ws = wb[FINDINGS]
    assert header(ws)[:10] == ["文件", "姓名", "级别", "规则", "行号", "原文", "说明", "依据", "修改建议", "把握"]
    total = sum(len(r["findings"]) for r in reports)
    assert ws.max_row - 1 == total == len(table_rows(ws))
    assert ws.freeze_panes and ws.freeze_panes.endswith("2")
    assert ws.auto_filter.ref == f"A1:K{total + 1}"
    assert cf_rules(ws)[f"C2:C{total + 1}"]
    rows = table_rows(ws)
    doc_level = [r for r in rows if r[3] == "coverage.area-missing"]
    assert doc_level and all(r[4] == "全文" and r[5] is None for r in doc_level)
    weak = next(r for r in reports if r["file"] == "self-weak.txt")
    located = next(f for f in weak["findings"] if f["end"] > f["start"] and f["rule"] != "terms.nonstandard")
    row = next(r for r in rows if r[0] == "self-weak.txt" and r[3] == located["rule"])
    assert row[4] == weak["text"].count("\n", 0, located["start"]) + 1
    assert row[5] == weak["text"][located["start"]:located["end"]][:200] or row[5].endswith("…")
    assert all(r[5] is None or len(r[5]) <= 200 for r in rows)


def test_formula_text_is_stored_as_text(book):
    path, wb, _ = book
    ws = wb[FINDINGS]
    cells = [row[5] for row in ws.iter_rows(min_row=2) if row[5].value == INJECTED]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix
    hostile = next(row for row in ws.iter_rows(min_row=2) if row[5].value == INJECTED)
    assert hostile[6].value == "坏字符"                               # \x07 and \x00 stripped
    assert hostile[7].value == "+依据" and hostile[7].data_type == "s"
    assert hostile[8].value == "@建议"
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any("<f>" in z.read(n).decode() for n in sheets)
        assert any("HYPERLINK" in z.read(n).decode() for n in sheets)


def test_copies_and_boilerplate(book):
    _, wb, (_, copies, boilerplate, _) = book
    ws = wb[COPIES]
    assert header(ws)[:5] == ["文件", "与之雷同的文件", "相似度", "本文段落", "对方段落"]
    (row,) = list(ws.iter_rows(min_row=2, max_row=2))
    assert row[0].value == "self-good.txt" and row[1].value == "team.txt"
    assert row[2].value == pytest.approx(0.875) and "%" in row[2].number_format
    assert row[4].value == "-雷同段落" and row[4].data_type == "s"
    ws = wb[BOILERPLATE]
    assert header(ws) == ["套话", "出现篇数", "涉及文件"]
    assert table_rows(ws) == [("理论学习不够深入系统", 3, "self-good.txt、self-weak.txt、team.txt")]


def test_area_member_heatmap(book):
    _, wb, (reports, _, _, _) = book
    ws = wb[HEATMAP]
    members = [r for r in reports if r["doc_type"] != "plan"]
    rows = table_rows(ws)
    assert len(rows) == len(members)
    assert [r[0] for r in rows] == [r["member"].replace("\x01", "") or r["file"] for r in members]
    n_areas = len(reports[0]["areas"])
    assert len(header(ws)) == 2 + n_areas
    assert ws.freeze_panes == "C2"
    last = openpyxl.utils.get_column_letter(2 + n_areas)
    assert {'"缺失"', '"较空"', '"已覆盖"'} <= {r.formula[0] for r in cf_rules(ws)[f"C2:{last}{len(rows) + 1}"]}
    counts = {r[0]: r[2:] for r in ws.iter_rows(min_row=len(rows) + 3, values_only=True) if r[0]}
    for key in ("covered", "thin", "missing"):
        label = STATUS_ZH[key]
        got = next(v for k, v in counts.items() if k.startswith(label))
        assert list(got) == [sum(r[2 + i] == label for r in rows) for i in range(n_areas)]
    assert sum(sum(v) for v in counts.values()) == len(rows) * n_areas


def test_grade_rule():
    def rep(overall, *severities, doc_type="self"):
        return {"doc_type": doc_type, "score": {"overall": overall},
                "findings": [{"severity": s} for s in severities]}
    assert grade(rep(95)) == GRADE_OK
    assert grade(rep(95, "info")) == GRADE_OK
    assert grade(rep(95, "warning")) == GRADE_REVISE
    assert grade(rep(79)) == GRADE_REVISE
    assert grade(rep(59)) == GRADE_FAIL
    assert grade(rep(95, "error")) == GRADE_FAIL
    assert grade(rep(None, doc_type="plan")) == GRADE_NA


def test_empty_batch_and_explicit_areas(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_workbook([], path, errors=[{"file": "a.pdf", "code": "E_PDF", "message": "加密"}],
                   pack_areas=[{"id": 1, "short": "甲", "title": "甲方面"}])
    wb = openpyxl.load_workbook(path)
    assert [r[0] for r in table_rows(wb[SUMMARY])] == ["a.pdf"]
    assert "1.甲" in header(wb[SUMMARY])
    assert table_rows(wb[FINDINGS]) == [] and table_rows(wb[HEATMAP]) == []


def test_control_characters_everywhere_do_not_raise(base_reports, tmp_path):
    nasty = "".join(chr(i) for i in range(32)) + "\ud800\ufffe=1+1"
    r = dict(base_reports[0], file="x" + nasty, member=nasty, warnings=[nasty])
    write_workbook([r], tmp_path / "nasty.xlsx", copies=[{"file": nasty, "with": nasty, "text": nasty,
                                                         "other_text": nasty, "similarity": 1}],
                   boilerplate=[{"text": nasty, "count": 1, "files": [nasty]}],
                   errors=[{"file": nasty, "code": nasty, "message": nasty}])
    wb = openpyxl.load_workbook(tmp_path / "nasty.xlsx")
    assert wb[SUMMARY]["B2"].value == "\t\n\r=1+1"
