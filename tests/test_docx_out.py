"""The annotated Word copy: summary tables, the draft line by line, one comment per passage
finding anchored on exactly text[start:end]."""
import io
import re
import time
from collections import Counter
from pathlib import Path

import docx
import pytest

from review.render.docx import FINDING_HEADER, SCORE_HEADER, clean, comment_text, write_annotated_docx
from review.api import review_document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# -- reading the written file back -----------------------------------------------------------

def anchored_texts(doc) -> dict[int, str]:
    """comment id -> the text between its w:commentRangeStart and w:commentRangeEnd
    (paragraphs joined by \\n), read from the body XML in document order."""
    open_ids: dict[int, list[str]] = {}
    done: dict[int, str] = {}
    for el in doc.element.body.iter():
        tag = el.tag
        if tag == W + "commentRangeStart":
            open_ids[int(el.get(W + "id"))] = []
        elif tag == W + "commentRangeEnd":
            cid = int(el.get(W + "id"))
            done[cid] = "".join(open_ids.pop(cid))
        elif tag == W + "p":
            for buf in open_ids.values():
                buf.append("\n")
        elif tag == W + "t":
            for buf in open_ids.values():
                buf.append(el.text or "")
        elif tag == W + "tab":
            for buf in open_ids.values():
                buf.append("\t")
    assert not open_ids, "a comment range was never closed"
    return done


def comments(doc) -> dict[int, str]:
    return {c.comment_id: c.text for c in doc.comments}


def table_with_header(doc, header):
    for t in doc.tables:
        if tuple(c.text for c in t.rows[0].cells) == tuple(header):
            return t
    raise AssertionError(f"no table headed {header}")


def draft_paragraphs(doc) -> list[str]:
    """The body paragraphs after the one that ends the summary with a page break."""
    paras = doc.paragraphs
    idx = [i for i, p in enumerate(paras)
           if p._p.xpath(".//w:br[@w:type='page']")]
    assert len(idx) == 1
    return [p.text for p in paras[idx[0] + 1:]]


def shown(s: str) -> str:
    """How draft text reads back: characters invalid in XML (and \r) dropped."""
    return clean(s).replace("\r", "")


def spanned(findings):
    return [f for f in findings if f["start"] < f["end"]]


def _rule_in(comment: str) -> str:
    """The rule id a comment names: 【级别】label（id）： or, for an id the rulebook lacks, 【级别】id："""
    m = re.match(r"【[^】]*】(?:[^（：]*（(\S+?)）|(\S+?))：", comment)
    return m.group(1) or m.group(2)


def check_roundtrip(report: dict, path) -> docx.document.Document:
    """The invariants every written copy must satisfy."""
    write_annotated_docx(report, path)
    doc = docx.Document(path)
    text = report["text"]
    found = spanned(report["findings"])

    # one comment per finding with a span, by the review assistant
    assert len(doc.comments) == len(found)
    assert all(c.author == "审阅助手" and c.initials == "审" for c in doc.comments)

    # each comment names its rule and sits on exactly the finding's text
    anchored = anchored_texts(doc)
    texts = comments(doc)
    assert set(anchored) == set(texts)
    got = Counter((_rule_in(texts[cid]), anchored[cid]) for cid in texts)
    want = Counter((f["rule"], shown(text[f["start"]:f["end"]]).strip("\n")) for f in found)
    assert got == want
    for f in found:
        piece = text[f["start"]:f["end"]]
        if "\n" not in piece:       # single-paragraph finding: the run text is text[start:end] itself
            assert (f["rule"], shown(piece)) in got

    # the draft: one paragraph per line, text as is
    assert draft_paragraphs(doc) == shown(text).split("\n")

    # the summary: scores, and one row per document-level finding
    scores = table_with_header(doc, SCORE_HEADER)
    assert [r.cells[0].text for r in scores.rows[1:6]] == ["总分", "覆盖", "结构", "具体度", "规范性"]
    doc_level = [f for f in report["findings"] if f["start"] == f["end"] == 0]
    table = table_with_header(doc, FINDING_HEADER)
    assert len(table.rows) == 1 + len(doc_level)
    assert Counter(r.cells[1].text for r in table.rows[1:]) == Counter(f["rule"] for f in doc_level)
    return doc


# -- real reports ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_reports():
    return {p.stem: review_document(p, mode="rules").to_dict() for p in sorted(SAMPLES.glob("*.txt"))}


@pytest.mark.parametrize("name", ["critique", "plan", "self-good", "self-weak", "team"])
def test_samples_roundtrip(sample_reports, name, tmp_path):
    report = sample_reports[name]
    doc = check_roundtrip(report, tmp_path / f"{name}.review.docx")
    heading = doc.paragraphs[0].text
    assert heading == f"审阅意见：{report['file']}"


def test_weak_sample_has_comments_and_scores(sample_reports, tmp_path):
    report = sample_reports["self-weak"]
    assert len(spanned(report["findings"])) >= 10
    assert any("\n" in report["text"][f["start"]:f["end"]] for f in spanned(report["findings"])), \
        "the sample should exercise a finding over several paragraphs"
    doc = check_roundtrip(report, tmp_path / "weak.docx")
    scores = table_with_header(doc, SCORE_HEADER)
    assert scores.rows[1].cells[1].text == str(report["score"]["overall"])
    line = next(p.text for p in doc.paragraphs if "处文字加了批注" in p.text)
    assert f"共 {len(spanned(report['findings']))} 条批注" in line


def test_weak_sample_is_fast(sample_reports, tmp_path):
    report = sample_reports["self-weak"]
    write_annotated_docx(report, tmp_path / "warm.docx")
    times = []
    for i in range(5):
        t = time.perf_counter()
        write_annotated_docx(report, tmp_path / f"t{i}.docx")
        times.append(time.perf_counter() - t)
    assert min(times) < 0.2       # ~20 ms on the dev machine; generous for loaded CI hosts


# -- hand-made reports -------------------------------------------------------------------------

TEXT = ("张某某同志发言提纲\n"
        "\n"
        "一是理论学习不够深入，“四种意识”不强，学习浮在面上。\n"
        "二是班子成员抓落实不力，下属科室形式主意突出。\n"
        "\n"
        "今后要加强学习，切实整改")


def at(s: str, occurrence: int = 0) -> int:
    i = -1
    for _ in range(occurrence + 1):
        i = TEXT.index(s, i + 1)
    return i


def finding(rule, start, end, severity="warning", **extra):
    return {"rule": rule, "severity": severity, "start": start, "end": end,
            "message": f"{rule} 的说明", "clause": "依据条文", "suggestion": "修改建议", **extra}


def hand_report(text=TEXT, findings=None, **kw):
    r = {"schema": "review-report/1", "file": "self-x.txt", "doc_type": "self", "pack": "2021-five-leads",
         "text": text, "score": {"overall": 55, "coverage": 60, "structure": None, "specificity": 40, "patterns": 70},
         "score_explained": {"overall": "加权"}, "areas": [{"id": 1, "title": "方面一", "status": "thin",
                                                          "problems": 2, "concrete": 0}],
         "sections": [], "sentences": [], "findings": findings or []}
    r.update(kw)
    return r


def overlapping_findings():
    line3 = at("一是")
    line3_end = TEXT.index("\n", line3)
    term = at("四种意识")
    team = at("二是")
    return [
        finding("structure.too-short", 0, 0, "warning"),
        finding("coverage.area-missing", 0, 0, "error", area=3),
        finding("specificity.vague", line3, line3_end, "info", confidence=0.874),     # whole line
        finding("terms.nonstandard", term, term + 4),                                # inside it
        finding("pattern.reasoning-for-problems", term - 2, line3_end + 5, confidence=0.6),  # straddles lines
        finding("pattern.team-for-personal", team, team + 10, confidence=0.94),
        finding("batch.copied", team, team + 10, with_="self-y.txt", similarity=0.93),  # same span
        finding("terms.nonstandard", at("形式主意"), at("形式主意") + 4),
        finding("pattern.vague-measure", at("今后"), len(TEXT), "info"),             # at the very end
    ]


def fix_with(findings):
    for f in findings:
        if "with_" in f:
            f["with"] = f.pop("with_")
    return findings


def test_overlapping_and_batch_findings(tmp_path):
    report = hand_report(findings=fix_with(overlapping_findings()), member="张某某")
    doc = check_roundtrip(report, tmp_path / "x.docx")
    texts = list(comments(doc).values())
    copied = next(t for t in texts if "batch.copied" in t)
    assert "（与 self-y.txt 相似度 93%）" in copied
    vague = next(t for t in texts if "specificity.vague" in t)
    assert vague.startswith("【提示】不具体、不见人见事（specificity.vague）：specificity.vague 的说明（把握 87%）")
    assert "\n依据：依据条文\n建议：修改建议" in vague
    assert any("发言人：张某某" in p.text for p in doc.paragraphs[:4])
    scores = table_with_header(doc, SCORE_HEADER)
    assert scores.rows[3].cells[0].text == "结构" and scores.rows[3].cells[1].text == "—"
    table = table_with_header(doc, FINDING_HEADER)
    assert [r.cells[0].text for r in table.rows[1:]] == ["错误", "警告"]      # errors first


def test_comment_text_format():
    f = finding("batch.copied", 3, 9, with_="b.txt", similarity=0.931, confidence=0.5)
    fix_with([f])
    assert comment_text(f) == ("【警告】与他人材料雷同（batch.copied）：batch.copied 的说明（与 b.txt 相似度 93%）（把握 50%）\n"
                               "依据：依据条文\n建议：修改建议")


def test_no_findings(tmp_path):
    doc = check_roundtrip(hand_report(), tmp_path / "none.docx")
    assert any("没有需要加批注" in p.text for p in doc.paragraphs)
    assert any("未发现全文性问题" in p.text for p in doc.paragraphs)


def test_empty_text(tmp_path):
    report = hand_report(text="", findings=[finding("structure.too-short", 0, 0)], score={}, areas=[])
    check_roundtrip(report, tmp_path / "empty.docx")


def test_spans_without_visible_text_go_to_the_summary(tmp_path):
    """A span over line breaks only, or out of range, cannot be anchored: listed, not lost."""
    blank = TEXT.index("\n\n")
    findings = [finding("a.newlines", blank, blank + 2), finding("b.beyond", len(TEXT) + 5, len(TEXT) + 9)]
    path = tmp_path / "odd.docx"
    write_annotated_docx(hand_report(findings=findings), path)
    doc = docx.Document(path)
    assert len(doc.comments) == 0
    table = table_with_header(doc, FINDING_HEADER)
    assert sorted(r.cells[1].text for r in table.rows[1:]) == ["a.newlines", "b.beyond"]


def test_span_with_blank_lines_at_its_edges(tmp_path):
    """Leading/trailing line breaks of a span are not part of the anchor."""
    start = TEXT.index("\n\n")               # starts on the line break after the title
    end = TEXT.index("今后")                  # ends on the line break before the last line
    report = hand_report(findings=[finding("x.edges", start, end)])
    check_roundtrip(report, tmp_path / "edges.docx")
    doc = docx.Document(tmp_path / "edges.docx")
    (anchor,) = anchored_texts(doc).values()
    assert anchor == TEXT[start:end].strip("\n")
    assert anchor.startswith("一是") and anchor.endswith("突出。")


def test_control_characters_and_tabs(tmp_path):
    text = "标题\x00\x07行\n\t缩进\x0b一段\x1f文字\ufffe，\ud800结束\r\n第三行\x0c"
    findings = [finding("x.ctrl", 0, 6), finding("x.tab", text.index("\t"), text.index("一段") + 2),
                finding("x.end", text.index("第三行"), len(text))]
    report = hand_report(text=text, findings=findings, file="坏\x01文件.txt", member="王\x02某")
    check_roundtrip(report, tmp_path / "ctrl.docx")
    doc = docx.Document(tmp_path / "ctrl.docx")
    assert doc.paragraphs[0].text == "审阅意见：坏文件.txt"
    assert "\t缩进一段文字" in draft_paragraphs(doc)[1]


def test_very_long_single_line(tmp_path):
    text = "我在学习上不够深入。" * 60_000          # 600,000 characters, one line
    assert len(text) == 600_000
    findings = [finding("x.first", 0, 10), finding("x.mid", 300_000, 300_050),
                finding("x.last", 599_990, 600_000), finding("x.all", 0, 600_000)]
    t = time.perf_counter()
    check_roundtrip(hand_report(text=text, findings=findings), tmp_path / "long.docx")
    assert time.perf_counter() - t < 20


def test_many_lines(tmp_path):
    text = "\n".join(f"第{i}行，我在工作中存在不足。" for i in range(3000))
    findings = [finding("x.line", text.index(f"第{i}行"), text.index(f"第{i}行") + 5) for i in range(0, 3000, 50)]
    check_roundtrip(hand_report(text=text, findings=findings), tmp_path / "many.docx")


def test_writes_to_a_file_object_and_a_str_path(tmp_path):
    report = hand_report(findings=fix_with(overlapping_findings()))
    buf = io.BytesIO()
    write_annotated_docx(report, buf)
    assert len(docx.Document(io.BytesIO(buf.getvalue())).comments) == len(spanned(report["findings"]))
    write_annotated_docx(report, str(tmp_path / "s.docx"))
    assert (tmp_path / "s.docx").stat().st_size > 0


def test_does_not_change_the_report():
    report = hand_report(findings=fix_with(overlapping_findings()))
    before = repr(report)
    write_annotated_docx(report, io.BytesIO())
    assert repr(report) == before
