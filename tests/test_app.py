"""The Streamlit front end (app.py, run headless with AppTest) and the HTML it shows
(review/render/highlight.py: escaping, one data-rule element per finding)."""
from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from review.render.highlight import (areas_html, finding_html, heatmap_html, highlight_html, hover_text, legend_html,
                              rule_colour)

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SAMPLES = ROOT / "samples"
WEAK = (SAMPLES / "self-weak.txt").read_bytes()
GOOD = (SAMPLES / "self-good.txt").read_bytes()
CORRUPT_DOCX = b"PK\x03\x04garbage"


# ---- review/render/highlight.py -----------------------------------------------------------------

class Tree(HTMLParser):
    """Elements with their attributes, whether tags balance, and the text content."""

    VOID = {"br", "img", "hr", "input", "meta", "link"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.balanced = True
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.balanced = False
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def with_attr(self, name: str) -> list[dict]:
        return [a for _, a in self.elements if name in a]


def F(rule, start, end, message="原因", severity="warning", **kw):
    return {"rule": rule, "severity": severity, "start": start, "end": end, "message": message,
            "clause": "不能以讲道理、谈体会代替摆问题", "suggestion": "写出具体的事。", **kw}


HOSTILE = "开头<script>alert(1)</script>中间<img src=x onerror=alert(2)>结尾 & \"引号\" 'x'"


def test_draft_text_is_escaped():
    f = [F("pattern.praise-first", 0, len(HOSTILE))]
    for out in (highlight_html(HOSTILE, f), highlight_html(HOSTILE, [])):
        assert "<script" not in out and "<img" not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
        assert "&lt;img src=x onerror=alert(2)&gt;" in out
        t = Tree(out)
        assert t.balanced and not t.stack
        assert "".join(t.text) == HOSTILE                      # nothing lost, nothing added
        assert {tag for tag, _ in t.elements} <= {"div", "mark"}


def test_hover_title_holds_the_message_escaped():
    msg = '这里"><script>alert(3)</script>讲道理 & <b>x</b>'
    f = F("pattern.reasoning-for-problems", 2, 6, message=msg, confidence=0.87)
    out = highlight_html("我认为学习很重要。", [f])
    assert "<script" not in out and "<b>" not in out
    marks = Tree(out).with_attr("data-rule")
    assert len(marks) == 1
    title = marks[0]["title"]
    assert msg in title and title == hover_text(f)
    assert "把握：87%" in title and "依据：" in title and "建议：" in title
    assert marks[0]["data-rule"] == "pattern.reasoning-for-problems"
    assert (marks[0]["data-start"], marks[0]["data-end"]) == ("2", "6")


def _check(text: str, findings: list[dict]) -> Tree:
    out = highlight_html(text, findings)
    t = Tree(out)
    assert t.balanced and not t.stack, out
    assert "".join(t.text) == text
    spanned = [f for f in findings if max(0, min(f["start"], len(text))) < min(f["end"], len(text))]
    primary = t.with_attr("data-rule")
    assert len(primary) == len(spanned)                       # exactly one element per finding
    assert sorted((int(a["data-start"]), int(a["data-end"]), a["data-rule"]) for a in primary) == \
        sorted((f["start"], min(f["end"], len(text)), f["rule"]) for f in spanned)
    ids = [a["data-of"] for a in primary]
    assert len(set(ids)) == len(ids)
    for a in t.with_attr("data-of"):                          # continuations belong to a finding
        assert "data-rule" in a or a["data-of"] in ids
    return t


def test_one_element_per_finding_with_overlaps():
    text = "一二三四五六七八九十" * 3
    findings = [F("pattern.praise-first", 0, 10),
                F("specificity.vague", 5, 15),                # crosses the first
                F("terms.nonstandard", 5, 15),                # identical span, other rule
                F("terms.nonstandard", 5, 15),                # identical finding twice
                F("pattern.team-for-personal", 2, 4),         # nested inside the first
                F("pattern.vague-measure", 10, 20),           # adjacent to the first
                F("pattern.objective-causes", 0, 30),         # around everything
                F("coverage.area-missing", 0, 0),             # document level: not marked
                F("pattern.hope-for-criticism", 28, 99)]      # runs past the end: clamped
    t = _check(text, findings)
    assert len(t.with_attr("data-rule")) == 8
    assert t.with_attr("data-cont-rule")                      # the crossing one was split


def test_random_overlaps_keep_the_invariants():
    rng = random.Random(7)
    rules = ["pattern.praise-first", "specificity.vague", "terms.nonstandard", "batch.copied"]
    for _ in range(300):
        text = "".join(rng.choice("我们在<>&\"'学习工作\n") for _ in range(rng.randint(0, 40)))
        findings = []
        for _ in range(rng.randint(0, 8)):
            s = rng.randint(0, len(text) + 2)
            findings.append(F(rng.choice(rules), s, s + rng.randint(-1, 12)))
        _check(text, findings)


def test_rules_filter_and_finding_objects():
    from review.checks.findings import Finding
    text = "甲乙丙丁戊己庚辛"
    fs = [Finding("terms.nonstandard", "warning", 0, 2, "m", "c", "s"),
          Finding("specificity.vague", "info", 1, 5, "m2", "c", "s", confidence=0.5)]
    assert len(Tree(highlight_html(text, fs)).with_attr("data-rule")) == 2
    only = Tree(highlight_html(text, fs, rules_filter=["specificity.vague"])).with_attr("data-rule")
    assert [a["data-rule"] for a in only] == ["specificity.vague"]
    assert highlight_html(text, fs, rules_filter=[]).count("<mark") == 0


def test_legend_and_tables_escape_and_never_use_data_rule():
    leg = legend_html({"pattern.praise-first": 2, "x.<script>": 1})
    assert "<script" not in leg and "data-rule" not in leg and "先讲成绩" in leg
    assert "data-rule" not in legend_html(["terms.nonstandard"])
    assert rule_colour("unknown.rule") == rule_colour("unknown.rule")
    areas = [{"id": 1, "title": "<b>t</b>", "short": "<i>s</i>", "status": "thin", "problems": 2, "concrete": 0},
             {"id": 2, "title": "t2", "short": "s2", "status": "missing", "problems": 0, "concrete": 0}]
    out = areas_html(areas)
    assert "<i>" not in out and "<b>" not in out and 'data-status="thin"' in out and "较空" in out
    hm = heatmap_html([("<img src=x>", areas)], areas)
    assert "<img" not in hm and hm.count("data-status=") == 2
    card = finding_html(F("batch.copied", 0, 5, message="<script>", **{"with": "<x>.txt", "similarity": 0.5}),
                        "<svg onload=1>abc")
    assert "<script" not in card and "<svg" not in card and "<x>" not in card and "50%" in card
    assert "data-dismissed=\"yes\"" in finding_html(F("a.b", 0, 1), "x", dismissed=True)


# ---- the Streamlit app -------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _rules_mode(monkeypatch):
    monkeypatch.setenv("REVIEW_MODE", "rules")            # the app passes REVIEW_MODE to the pipeline


def _app(page: str = "single"):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["start_page"] = page
    return at.run()


def _report_html(at) -> str:
    found = [h.value for h in at.html if 'class="rv-report"' in h.value]
    assert len(found) == 1
    return found[0]


def _expected(data: bytes, name: str) -> dict:
    from review.api import review_document
    return review_document(data, filename=name, mode="rules").to_dict()


def _assert_report_shown(at, data: bytes, name: str) -> dict:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    d = _expected(data, name)
    assert at.subheader[0].value.startswith("审阅结果")
    shown = {m.label: m.value for m in at.metric}
    from review.render.labels import SCORE_ZH
    for k, label in SCORE_ZH.items():
        v = d["score"][k]
        assert shown[label] == ("—" if v is None else str(v))
    html = _report_html(at)
    spanned = [f for f in d["findings"] if f["end"] > f["start"]]
    assert len(Tree(html).with_attr("data-rule")) == len(spanned)
    assert f'data-marked="{len(spanned)}"' in html
    labels = " ".join(e.label for e in at.expander)
    for rule in {f["rule"] for f in d["findings"]}:
        assert f"（{rule}）" in labels                          # one expander per rule
    assert len(at.checkbox) == len(d["findings"])               # one dismissal box per finding
    cards = [h.value for h in at.html if 'class="rv-finding"' in h.value]
    assert len(cards) == len(d["findings"])
    assert {b.label for b in at.get("download_button")} == {"下载批注版 Word (.docx)", "下载审阅报告 (.md)"}
    return d


def test_single_page_upload_shows_scores_findings_and_highlights():
    at = _app()
    assert not at.exception
    assert at.info and "请上传材料" in at.info[0].value
    at.file_uploader(key="single_upload").set_value(("weak.txt", WEAK, "text/plain"))
    at.run()
    d = _assert_report_shown(at, WEAK, "weak.txt")
    assert sum(f["end"] > f["start"] for f in d["findings"]) > 10
    # the explanations are shown under the scores
    captions = " ".join(c.value for c in at.caption)
    assert "必备部分" in captions
    # structure checklist: the parts the report says are missing are marked missing
    checklist = next(h.value for h in at.html if 'class="rv-checklist"' in h.value)
    missing = sum(f["rule"] == "structure.part-missing" for f in d["findings"])
    assert checklist.count('data-present="no"') >= missing > 0

    # filter to one rule: only that rule is highlighted
    rule = "pattern.team-for-personal"
    ms = next(m for m in at.multiselect if m.label == "按规则筛选")
    ms.set_value([rule]).run()
    n = sum(f["rule"] == rule and f["end"] > f["start"] for f in d["findings"])
    marks = Tree(_report_html(at)).with_attr("data-rule")
    assert len(marks) == n > 0 and {m["data-rule"] for m in marks} == {rule}


def test_dismissed_findings_leave_the_view_and_the_downloads():
    at = _app()
    at.selectbox(key="single_sample").set_value("self-weak.txt").run()
    d = _assert_report_shown(at, WEAK, "self-weak.txt")
    spanned = [f for f in d["findings"] if f["end"] > f["start"]]
    f0 = spanned[0]
    box = next(c for c in at.checkbox if f"|{f0['rule']}|{f0['start']}|{f0['end']}|" in c.key)
    box.check().run()
    assert not at.exception
    assert len(Tree(_report_html(at)).with_attr("data-rule")) == len(spanned) - 1
    assert len(at.session_state["dismissed"]) == 1
    assert any("已去掉不采纳的 1 条" in c.value for c in at.caption)
    assert any('data-dismissed="yes"' in h.value for h in at.html)     # greyed in the list

    # what the downloads are built from
    sys.path.insert(0, str(ROOT))
    try:
        import app
    finally:
        sys.path.remove(str(ROOT))
    kept = {**d, "findings": d["findings"][1:]}
    md = app.markdown_bytes(kept).decode("utf-8")
    assert md.startswith("# 审阅报告：self-weak.txt") and md.count("依据：") == len(kept["findings"])
    from docx import Document
    assert Document(io.BytesIO(app.docx_bytes(kept))).paragraphs


def test_corrupt_docx_shows_an_error_and_the_page_keeps_working():
    at = _app()
    up = at.file_uploader(key="single_upload")
    up.set_value(("坏文件.docx", CORRUPT_DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    msg = at.error[0].value
    assert "E106" in msg and "Word 文件已损坏" in msg and "corrupt" in msg
    assert not at.metric and not [h for h in at.html if "rv-report" in h.value]

    at.file_uploader(key="single_upload").set_value(("good.txt", GOOD, "text/plain"))
    at.run()
    _assert_report_shown(at, GOOD, "good.txt")


def test_old_word_file_is_refused_with_what_to_do():
    at = _app()
    at.file_uploader(key="single_upload").set_value(("旧.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "application/msword"))
    at.run()
    assert not at.exception
    assert "E103" in at.error[0].value and "另存为 .docx" in at.error[0].value


def test_document_type_override():
    at = _app()
    at.selectbox(key="single_sample").set_value("critique.txt").run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["覆盖"] == "—"          # a critique is not scored on coverage
    at.selectbox(key="single_type").set_value("self").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["覆盖"] != "—"


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_every_bundled_sample_renders(sample):
    at = _app()
    at.selectbox(key="single_sample").set_value(sample).run()
    _assert_report_shown(at, (SAMPLES / sample).read_bytes(), sample)


def test_combined_mode_renders(monkeypatch):
    monkeypatch.delenv("REVIEW_MODE")                      # the default: rules and learned models
    at = _app()
    at.selectbox(key="single_sample").set_value("self-weak.txt").run()
    assert not at.exception and not at.error
    html = _report_html(at)
    n = int(re.search(r'data-marked="(\d+)"', html)[1])
    assert len(Tree(html).with_attr("data-rule")) == n > 0
    assert {m.label for m in at.metric} >= {"总分", "覆盖", "结构", "具体度", "规范性"}


def test_batch_page_member_table_heat_map_copies_and_errors():
    at = _app("batch")
    assert not at.exception
    assert at.title[0].value == "批量审阅"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("坏.docx", CORRUPT_DOCX)
        zf.writestr("../副本.txt", WEAK)
    at.file_uploader(key="batch_upload").set_value([("weak.txt", WEAK, "text/plain"),
                                                    ("good.txt", GOOD, "text/plain"),
                                                    ("材料.zip", buf.getvalue(), "application/zip")])
    at.run()
    at.button(key="batch_run").click().run()
    assert not at.exception, [e.value for e in at.exception]

    table = at.dataframe[0].value
    assert list(table["文件"]) == ["weak.txt", "good.txt", "副本.txt"]
    assert {"姓名", "类型", "总分", "覆盖", "错误", "警告"} <= set(table.columns)
    assert any(c.startswith("1.") for c in table.columns)                # one column per area
    assert "pattern.team-for-personal" in table.columns                   # counts by rule
    assert table.loc[table["文件"] == "weak.txt", "总分"].iloc[0] == _expected(WEAK, "weak.txt")["score"]["overall"]

    heat = next(h.value for h in at.html if 'class="rv-heatmap"' in h.value)
    assert heat.count("data-status=") == 3 * 5                          # 3 drafts × 5 areas
    assert len(at.dataframe) >= 2                                        # the copied passages table
    copies = at.dataframe[1].value
    assert {"weak.txt", "副本.txt"} <= set(copies["文件"])
    assert len(at.error) == 1 and "坏.docx" in at.error[0].value and "E106" in at.error[0].value
    assert {b.label for b in at.get("download_button")} >= {"下载汇总表 (summary.xlsx)", "下载全部报告 (report.json)"}
    result = at.session_state["batch_result"]
    assert result["xlsx"][:2] == b"PK"
    import json
    assert [r["file"] for r in json.loads(result["json"])] == ["weak.txt", "good.txt", "副本.txt"]
    assert "/tmp" not in result["json"].decode("utf-8")                  # no temporary paths leak

    # open one member: the same highlighted view
    at.selectbox(key="batch_member").set_value(1).run()
    assert not at.exception
    html = _report_html(at)
    assert 'data-file="good.txt"' in html


def test_batch_page_two_text_files():
    at = _app("batch")
    at.file_uploader(key="batch_upload").set_value([("a.txt", WEAK, "text/plain"), ("b.txt", GOOD, "text/plain")])
    at.run()
    at.button(key="batch_run").click().run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert list(table["文件"]) == ["a.txt", "b.txt"] and list(table["姓名"]) == ["刘某某", "王某某"]
    assert {m.label: m.value for m in at.metric}["已审阅"] == "2"


def test_private_by_default_config():
    tomllib = pytest.importorskip("tomllib")               # Python 3.11+
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["server"]["headless"] is True and cfg["server"]["maxUploadSize"] == 50
    assert cfg["client"]["showErrorLinks"] is False and cfg["client"]["toolbarMode"] == "minimal"
    for f in (ROOT / "app.py", ROOT / "review" / "render" / "highlight.py"):
        assert not re.search(r"https?://|fonts\.g|cdn", f.read_text(encoding="utf-8"))
    # a page's icon becomes the favicon, and a Material favicon is fetched from the web
    assert not re.search(r"(page_)?icon=\":material", (ROOT / "app.py").read_text(encoding="utf-8").split("def main")[1])


def test_report_html_counts_and_escapes_the_file_name():
    from review.render.highlight import report_html
    text = "甲乙丙丁戊己"
    out = report_html(text, [F("terms.nonstandard", 0, 2), F("terms.nonstandard", 1, 3), F("coverage.area-thin", 0, 0)],
                      file='"><script>x</script>.txt')
    t = Tree(out)
    assert t.balanced and "<script" not in out
    assert t.elements[0][1]["data-marked"] == "2" and len(t.with_attr("data-rule")) == 2
    assert t.elements[0][1]["data-file"] == '"><script>x</script>.txt'
    assert "×2" in out                                                   # the legend counts


def test_batch_page_long_upload_name():
    """A 90-character upload name (270 bytes in UTF-8) is reviewed under its own name: uploads are
    handed over as bytes, and no output file name is made from it."""
    name = "关于加强党的作风建设专题民主生活会个人对照检查材料" * 4
    name = name[:90] + ".txt"
    at = _app("batch")
    at.file_uploader(key="batch_upload").set_value([(name, WEAK, "text/plain"), ("b.txt", GOOD, "text/plain")])
    at.run()
    at.button(key="batch_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert list(table["文件"]) == [name, "b.txt"]
    import json
    assert [r["file"] for r in json.loads(at.session_state["batch_result"]["json"])] == [name, "b.txt"]
