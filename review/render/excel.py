"""A batch of reviews as one Excel workbook, for the person who has to read forty drafts.

`write_workbook(reports, path, ...)` takes SPEC §8 report dicts (`Report.to_dict()`, each
optionally with `"member"`), plus the batch-level results (copied passages, boilerplate
candidates) and the inputs that could not be read, and writes:

- 汇总        one row per input (in input order, unreadable ones included): scores, the
              status of every area, a count per rule id, and a grade (等级);
- 问题清单    one row per finding of every report, with line number and quoted text;
- 雷同段落    passages that two drafts share;
- 套话        boilerplate sentences found in several drafts;
- 方面×成员   areas × members heat map, with per-area counts underneath;
- 说明        how the grade is computed, what the colours mean, the areas and rules.

Colours come from conditional formatting rules (colour scale on scores, "cell equals"
rules on statuses, grades and severities), never from per-cell fills, so a sheet of
30,000 rows costs no more than its values. The workbook is written in openpyxl's
write-only (streaming) mode.

Text from a draft is untrusted: control characters that XML cannot hold are removed, and
a string that a spreadsheet could take for a formula or an error value (leading `=`, `+`,
`-`, `@`, or `#N/A` and the like) is written as a string cell (`t="inlineStr"`, never a
`<f>` formula) with the quote-prefix flag set, so that editing the cell in Excel does not
turn it into a formula either. The text itself is kept unchanged (no invisible prefix).
"""
from __future__ import annotations

import re
from collections import Counter
from os import PathLike
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..rulebook import load_rulebook
from .labels import SCORE_ZH, SEVERITY_ZH, STATUS_ZH, TYPE_ZH, UNCERTAIN_ZH, severity_label

SCORE_KEYS = list(SCORE_ZH)                      # overall, coverage, structure, specificity, patterns

GRADE_FAIL, GRADE_REVISE, GRADE_OK = "不达标", "需修改", "基本达标"
GRADE_NA = "不评分"                               # a meeting plan is not graded
UNREADABLE = "无法读取"
GRADE_RULE = ("等级规则：有“错误”级问题或总分低于60分为“不达标”；否则总分低于80分或有“警告”级问题为“需修改”；"
              "其余为“基本达标”。会议方案不评分；无法读取的文件标“无法读取”。")
SCORE_SCALE_NOTE = "分数色阶：0分红、60分黄、100分绿。"
STATUS_NOTE = "方面状态颜色：缺失红、较空琥珀、已覆盖绿、方案所列蓝。"

SUMMARY, FINDINGS, COPIES, BOILERPLATE, HEATMAP, README = (
    "汇总", "问题清单", "雷同段落", "套话", "方面×成员", "说明")
PARTIAL_MARK = "（未完成）"                      # after 汇总 when a run was interrupted

MAX_CELL = 32767                                 # Excel's limit on a cell's text
QUOTE_MAX = 200                                  # 原文 column: characters kept from the span
# XML 1.0 cannot hold C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF;
# DEL and the C1 controls are legal XML but are control characters all the same.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORMULA_LEAD = ("=", "+", "-", "@")
_ERROR_CODES = frozenset(ERROR_CODES)
ROLE_ZH = {"preface": "开头", "rectification_review": "上年度整改落实情况", "problems": "存在的主要问题",
           "personal_matters": "个人有关事项说明", "causes": "问题产生的原因", "measures": "整改措施"}

# (fill, font) pairs in Excel's own "good / neutral / bad" palette
_RED = ("FFC7CE", "9C0006")
_AMBER = ("FFEB9C", "9C5700")
_GREEN = ("C6EFCE", "006100")
_BLUE = ("DDEBF7", "1F4E78")
_GREY = ("D9D9D9", "404040")
STATUS_COLOURS = {STATUS_ZH["missing"]: _RED, STATUS_ZH["thin"]: _AMBER,
                  STATUS_ZH["covered"]: _GREEN, STATUS_ZH["listed"]: _BLUE}
GRADE_COLOURS = {GRADE_FAIL: _RED, GRADE_REVISE: _AMBER, GRADE_OK: _GREEN, GRADE_NA: _BLUE, UNREADABLE: _GREY}
SEVERITY_COLOURS = {SEVERITY_ZH["error"]: _RED, SEVERITY_ZH["warning"]: _AMBER, SEVERITY_ZH["info"]: _BLUE, UNCERTAIN_ZH: _BLUE}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)


def write_workbook(reports: list[dict], path: str | PathLike, *, copies: list[dict] = (),
                   boilerplate: list[dict] = (), errors: list[dict] = (),
                   pack_areas: list[dict] | None = None, partial: str | None = None) -> None:
    """Write the batch workbook to `path`.

    reports      SPEC §8 report dicts, each possibly with "member" (a name or "").
    copies       {"file", "start", "end", "text", "with", "other_start", "other_end",
                 "other_text", "similarity"} — similarity 0..1 (a value above 1 is read as a percent).
    boilerplate  {"text", "count", "files": [...]}.
    errors       {"file", "code", "message"} for inputs that could not be read; one with an
                 integer "index" (its position among all inputs) is placed there in 汇总,
                 the others follow the reports.
    pack_areas   [{"id", "short", "title"}]; default: the areas of the first report that is
                 not a meeting plan (else of the first report). Areas are matched by id.
    partial      a note for a run that did not finish: the 汇总 sheet is then titled
                 汇总（未完成）and 说明 opens with the note.
    """
    reports = list(reports)
    areas = _pack_areas(reports) if pack_areas is None else [dict(a) for a in pack_areas]
    area_heads = [_area_head(a) for a in areas]
    rules = _rule_ids(reports)
    texts = {r.get("file"): r.get("text", "") for r in reports}

    wb = Workbook(write_only=True)
    _summary_sheet(wb, _input_order(reports, errors), areas, area_heads, rules,
                   title=SUMMARY + PARTIAL_MARK if partial else SUMMARY)
    _findings_sheet(wb, reports, areas)
    _copies_sheet(wb, copies, texts)
    _boilerplate_sheet(wb, boilerplate)
    _heatmap_sheet(wb, reports, areas, area_heads)
    _readme_sheet(wb, reports, areas, area_heads, rules, partial)
    _save(wb, path)


def grade(report: dict) -> str:
    """不达标 / 需修改 / 基本达标 (不评分 for a meeting plan); see GRADE_RULE."""
    if report.get("doc_type") == "plan":
        return GRADE_NA
    overall = (report.get("score") or {}).get("overall")
    severities = {f.get("severity") for f in report.get("findings") or ()}
    if "error" in severities or (overall is not None and overall < 60):
        return GRADE_FAIL
    if "warning" in severities or (overall is not None and overall < 80):
        return GRADE_REVISE
    return GRADE_OK


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# ---------------------------------------------------------------- sheets

def _summary_sheet(wb, inputs, areas, area_heads, rules, title=SUMMARY):
    ws = wb.create_sheet(title)
    head = ["文件", "姓名", "类型", *(SCORE_ZH[k] for k in SCORE_KEYS), *area_heads, *rules, "等级", "备注"]
    rows = []
    for kind, item in inputs:
        if kind == "error":
            note = "：".join(str(x) for x in (item.get("code"), item.get("message")) if x)
            rows.append([item.get("file", ""), item.get("member", ""), UNREADABLE,
                         *[None] * (len(SCORE_KEYS) + len(areas) + len(rules)), UNREADABLE, note])
            continue
        score = item.get("score") or {}
        status = {a.get("id"): a.get("status") for a in item.get("areas") or ()}
        counts = Counter(f.get("rule") for f in item.get("findings") or ())
        rows.append([item.get("file", ""), item.get("member", ""),
                     TYPE_ZH.get(item.get("doc_type"), item.get("doc_type")),
                     *(score.get(k) for k in SCORE_KEYS),
                     *(_status_zh(status.get(a.get("id"))) for a in areas),
                     *(counts.get(r, 0) for r in rules),
                     grade(item), "；".join(item.get("warnings") or ())])
    widths = _widths(head, rows, caps={2: 24, len(head) - 1: 60})
    for i in range(3, 3 + len(SCORE_KEYS)):
        widths[i] = max(widths[i], 7)
    for i in range(3 + len(SCORE_KEYS) + len(areas), 3 + len(SCORE_KEYS) + len(areas) + len(rules)):
        widths[i] = min(widths[i], 14)           # rule ids are long; the header wraps
    last, n = _table(ws, head, rows, widths, freeze="C2")

    s0 = 4
    _colour_scale(ws, f"{_col(s0)}2:{_col(s0 + len(SCORE_KEYS) - 1)}{n}")
    if areas:
        a0 = s0 + len(SCORE_KEYS)
        _equals(ws, f"{_col(a0)}2:{_col(a0 + len(areas) - 1)}{n}", STATUS_COLOURS)
    _equals(ws, f"{_col(len(head) - 1)}2:{_col(len(head) - 1)}{n}", GRADE_COLOURS)
    ws.auto_filter.ref = f"A1:{last}{n}"
    ws.append([])
    ws.append([GRADE_RULE])
    ws.append([SCORE_SCALE_NOTE + STATUS_NOTE])


def _findings_sheet(wb, reports, areas):
    ws = wb.create_sheet(FINDINGS)
    head = ["文件", "姓名", "级别", "规则", "行号", "原文", "说明", "依据", "修改建议", "把握", "方面"]
    short = {a.get("id"): _area_head(a) for a in areas}
    rows = []
    for r in reports:
        text, file, member = r.get("text") or "", r.get("file", ""), r.get("member", "")
        for f in r.get("findings") or ():
            start, end = f.get("start") or 0, f.get("end") or 0
            located = end > start
            conf = f.get("confidence")
            rows.append([file, member, severity_label(f), f.get("rule"),
                         line_of(text, start) if located else "全文",
                         _cut(text[start:end], QUOTE_MAX) if located else None,
                         f.get("message"), f.get("clause"), f.get("suggestion"),
                         round(conf, 2) if isinstance(conf, (int, float)) else None,
                         _finding_about(f, short)])
    widths = _widths(head, rows, caps={5: 50, 6: 40, 7: 30, 8: 40})
    widths[4] = max(widths[4], 6)
    last, n = _table(ws, head, rows, widths, freeze="C2")
    _equals(ws, f"C2:C{n}", SEVERITY_COLOURS)
    ws.auto_filter.ref = f"A1:{last}{n}"


def _copies_sheet(wb, copies, texts):
    ws = wb.create_sheet(COPIES)
    head = ["文件", "与之雷同的文件", "相似度", "本文段落", "对方段落", "本文行号", "对方行号"]
    rows = []
    for c in copies:
        sim = c.get("similarity")
        if isinstance(sim, (int, float)):
            sim = _percent(ws, sim / 100 if sim > 1 else sim)
        rows.append([c.get("file", ""), c.get("with", ""), sim, c.get("text", ""), c.get("other_text", ""),
                     _line_or_none(texts.get(c.get("file")), c.get("start")),
                     _line_or_none(texts.get(c.get("with")), c.get("other_start"))])
    widths = _widths(head, rows, caps={3: 60, 4: 60})
    widths[2] = max(widths[2], 8)
    last, n = _table(ws, head, rows, widths, freeze="C2")
    ws.conditional_formatting.add(f"C2:C{n}", ColorScaleRule(
        start_type="num", start_value=0.5, start_color="FFFFFF", end_type="num", end_value=1, end_color="F8696B"))
    ws.auto_filter.ref = f"A1:{last}{n}"


def _boilerplate_sheet(wb, boilerplate):
    ws = wb.create_sheet(BOILERPLATE)
    head = ["套话", "出现篇数", "涉及文件"]
    rows = [[b.get("text", ""), b.get("count", len(b.get("files") or ())), "、".join(map(str, b.get("files") or ()))]
            for b in boilerplate]
    last, n = _table(ws, head, rows, _widths(head, rows, caps={0: 60, 2: 60}), freeze="A2")
    ws.auto_filter.ref = f"A1:{last}{n}"


def _heatmap_sheet(wb, reports, areas, area_heads):
    ws = wb.create_sheet(HEATMAP)
    head = ["成员", "文件", *area_heads]
    rows = []
    for r in reports:
        if r.get("doc_type") == "plan":          # a plan lists the areas; it is nobody's draft
            continue
        status = {a.get("id"): a.get("status") for a in r.get("areas") or ()}
        rows.append([r.get("member") or r.get("file", ""), r.get("file", ""),
                     *(_status_zh(status.get(a.get("id"))) for a in areas)])
    widths = _widths(head, rows)
    last, n = _table(ws, head, rows, widths, freeze="C2")
    if areas:
        _equals(ws, f"C2:{last}{n}", STATUS_COLOURS)
    ws.auto_filter.ref = f"A1:{last}{n}"
    ws.append([])
    for key in ("covered", "thin", "missing"):
        label = STATUS_ZH[key]
        ws.append([f"{label}（篇）", None, *(sum(1 for row in rows if row[2 + i] == label)
                                              for i in range(len(areas)))])


def _readme_sheet(wb, reports, areas, area_heads, rules, partial=None):
    ws = wb.create_sheet(README)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 80
    lines = [["项目", "内容", ""],
             ["等级", GRADE_RULE, ""],
             ["颜色", SCORE_SCALE_NOTE + STATUS_NOTE + "等级：不达标红、需修改琥珀、基本达标绿。", ""],
             ["行号", "问题清单的行号按换行符计数，从1起；“全文”表示针对整篇材料的问题。", ""],
             ["原文", f"问题清单的原文最多取{QUOTE_MAX}字。", ""],
             [], ["方面", "简称", "全称"]]
    if partial:
        lines.insert(1, ["未完成", partial, ""])
    lines += [[a.get("id"), h, a.get("title", "")] for a, h in zip(areas, area_heads)]
    clause = {}
    total = Counter()
    for r in reports:
        for f in r.get("findings") or ():
            clause.setdefault(f.get("rule"), f.get("clause", ""))
            total[f.get("rule")] += 1
    book = load_rulebook()
    lines += [[], ["规则", "本批出现次数", "依据", "名称"]]
    lines += [[rule, total[rule], clause.get(rule, ""), book.label(rule)] for rule in rules]
    for row in lines:
        ws.append([_safe(ws, v) for v in row])


# ---------------------------------------------------------------- helpers

def _save(wb, path):
    """Workbook.save, with fast deflate: the sheets of a large batch are mostly repeated
    text, which level 1 packs nearly as well as the default level 6, in a third of the time."""
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1)
    try:
        ExcelWriter(wb, archive).save()          # closes the archive
    except BaseException:
        archive.close()
        raise


def _input_order(reports, errors):
    items = [("report", r) for r in reports]
    placed = sorted((e for e in errors if isinstance(e.get("index"), int)), key=lambda e: e["index"])
    for e in placed:
        items.insert(min(max(e["index"], 0), len(items)), ("error", e))
    items += [("error", e) for e in errors if not isinstance(e.get("index"), int)]
    return items


def _pack_areas(reports):
    src = next((r for r in reports if r.get("doc_type") != "plan" and r.get("areas")), None) \
        or next((r for r in reports if r.get("areas")), None)
    if src is None:
        return []
    return [{"id": a.get("id"), "short": a.get("short"), "title": a.get("title", "")} for a in src["areas"]]


def _area_head(a):
    label = a.get("short") or _cut(a.get("title") or "", 10)
    return f"{a.get('id')}.{label}" if a.get("id") is not None else label


def _finding_about(f, short):
    """What a finding is about: its area, else its topic or (document) part."""
    if f.get("area") is not None:
        return short.get(f["area"], f["area"])
    if f.get("part"):
        return ROLE_ZH.get(f["part"], f["part"])
    return f.get("topic")


def _rule_ids(reports):
    seen = {f.get("rule") for r in reports for f in r.get("findings") or () if f.get("rule")}
    book = load_rulebook()
    return sorted(seen, key=lambda rule: (book.order(rule), rule))      # the rulebook's order


def _status_zh(status):
    return None if status is None else STATUS_ZH.get(status, status)


def _line_or_none(text, offset):
    if text is None or not isinstance(offset, int):
        return None
    return line_of(text, offset)


def _cut(s: str, width: int) -> str:
    return s if len(s) <= width else s[: width - 1] + "…"


def _clean(s: str) -> str:
    s = _ILLEGAL.sub("", s)
    return s if len(s) <= MAX_CELL else s[: MAX_CELL - 1] + "…"


def _safe(ws, value):
    """A value ready for ws.append: cleaned text; a would-be formula as a plain string cell."""
    if not isinstance(value, str):
        return value
    value = _clean(value)
    if not value:
        return None
    if value.startswith(_FORMULA_LEAD) or value in _ERROR_CODES:
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"                     # written as inlineStr text, never <f>
        cell.quotePrefix = True                  # and Excel keeps it text when edited
        return cell
    return value


def _percent(ws, x):
    cell = WriteOnlyCell(ws, x)
    cell.number_format = "0.0%"
    return cell


def _table(ws, head, rows, widths, *, freeze):
    """Column widths, frozen panes, a styled header, then the rows.
    Returns the last column's letter and the table's last row (at least 2, so that the
    ranges given to filters and conditional formats stay valid for an empty table)."""
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = freeze
    header = []
    for h in head:
        c = WriteOnlyCell(ws, _clean(h))
        c.font, c.fill, c.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        header.append(c)
    ws.append(header)
    for row in rows:
        ws.append([_safe(ws, v) for v in row])
    return get_column_letter(max(len(head), 1)), max(len(rows) + 1, 2)


def _widths(head, rows, caps=None, sample=300):
    caps = caps or {}
    out = []
    for i, h in enumerate(head):
        w = _display_width(h)
        for row in rows[:sample]:
            v = row[i]
            if v is not None and not hasattr(v, "coordinate"):
                w = max(w, _display_width(str(v)))
        out.append(min(w + 2, caps.get(i, 40)))
    return out


def _display_width(s: str) -> int:
    s = s.split("\n", 1)[0]
    return len(s) + sum(1 for ch in s if ord(ch) >= 0x1100)   # CJK and full-width: two columns


def _fill(colours):
    fill, font = colours
    return PatternFill("solid", fgColor=fill, bgColor=fill), Font(color=font)


def _equals(ws, ref, palette):
    for value, colours in palette.items():
        fill, font = _fill(colours)
        ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{value}"'], fill=fill, font=font))


def _colour_scale(ws, ref):
    ws.conditional_formatting.add(ref, ColorScaleRule(
        start_type="num", start_value=0, start_color="F8696B",
        mid_type="num", mid_value=60, mid_color="FFEB84",
        end_type="num", end_value=100, end_color="63BE7B"))


def _col(i: int) -> str:
    return get_column_letter(i)
