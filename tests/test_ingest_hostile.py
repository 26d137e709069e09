"""Hostile uploads from the adversarial report, built here at test time (no binaries):
small files that hang or exhaust memory, encodings read wrongly, Word variants.

Each case asserts the exact outcome (the ReviewError code, or the text read) and that
the answer comes within its time; ``pytest -s`` prints the measured times.
"""
from __future__ import annotations

import io
import random
import re
import time
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

import hostile
from review.errors import ReviewError
from review.ingest import MAX_CHARS, read_document
from review.ingest.docx_numbering import MAX_LABEL
from review.ingest.docx_package import MAX_DOCUMENT_XML
from review.ingest.pdf import MAX_PDF_PAGES
from test_cli import ROOT

W_NS = hostile.W_NS
CJK = re.compile(r"[\u4e00-\u9fff]")
SAMPLE = (ROOT / "samples" / "self-good.txt").read_text(encoding="utf-8")
SENTENCES = [s for s in re.split(r"(?<=[。；])", SAMPLE.replace("\n", "")) if s.strip()]


def timed(source, **kw):
    """(Ingested or ReviewError, seconds)."""
    t = time.perf_counter()
    try:
        out = read_document(source, **kw)
    except ReviewError as e:
        out = e
    secs = time.perf_counter() - t
    print(f"  {kw.get('filename', source if isinstance(source, str) else '')}: "
          f"{getattr(out, 'code', 'read')} in {secs * 1000:.0f} ms")
    return out, secs


def refused(code: str, source, *, within: float, **kw) -> ReviewError:
    err, secs = timed(source, **kw)
    assert isinstance(err, ReviewError), f"read, expected {code}"
    msg = str(err)
    assert err.code == code, msg
    assert "\n" not in msg and CJK.search(msg) and re.search(r"\b[a-z]{3,}\b", msg), msg
    assert secs < within, f"{code} after {secs:.1f} s"
    return err


# ------------------------------------------------------------------ builders

def _repack(data: bytes, replace: dict[str, bytes | str]) -> bytes:
    """The zip ``data`` with some members' contents replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            zo.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return out.getvalue()


def _member(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name).decode("utf-8")


def _with_body(body_xml: str) -> bytes:
    """A python-docx document whose body is ``body_xml`` (+ the final sectPr); its root
    already declares the mc: and v: namespaces."""
    data = hostile.docx_bytes(docx.Document())
    head, rest = _member(data, "word/document.xml").split("<w:body>", 1)
    return _repack(data, {"word/document.xml": head + "<w:body>" + body_xml + rest})


def _p(text: str, rpr: str = "") -> str:
    return f"<w:p><w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}<w:t>{text}</w:t></w:r></w:p>"


def numbered_docx(fmt: str, start: int, n_paragraphs: int, lvl_text: str = "%1.") -> bytes:
    d = docx.Document()
    root = d.part.numbering_part.element
    root.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="77"><w:lvl w:ilvl="0">'
        f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{lvl_text}"/>'
        '</w:lvl></w:abstractNum>'))
    root.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for i in range(n_paragraphs):
        p = d.add_paragraph(SENTENCES[i % len(SENTENCES)])
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>'))
    return hostile.docx_bytes(d)


def _sentences_docx(n_chars: int, per_paragraph: int = 3) -> bytes:
    """Paragraphs of random sample sentences, ``n_chars`` characters in all."""
    rng = random.Random(0)
    parts, size = [], 0
    while size < n_chars:
        text = "".join(rng.choice(SENTENCES) for _ in range(per_paragraph))
        parts.append(_p(text))
        size += len(text) + 1
    return _with_body("".join(parts))


def shared_stream_pdf(n_pages: int, stream: bytes) -> bytes:
    """``n_pages`` pages that all draw the same content stream."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)}
    for i in range(n_pages):
        objs[5 + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n_pages))
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages)
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for oid in sorted(objs):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (oid, objs[oid])
    xref, size = len(out), max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[oid] for oid in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def text_stream(n_chars: int) -> bytes:
    line = b"(Self inspection report of the leading group, line of text.) Tj T* "
    return b"BT /F1 10 Tf 12 TL 72 720 Td " + line * (n_chars // 56 + 1) + b"ET"


# ------------------------------------------------------- 1. numbering that hangs

@pytest.mark.parametrize("fmt,start,n,lvl_text", [
    ("upperRoman", 2_000_000_000, 60, "%1."),      # the roman formatter was quadratic
    ("upperLetter", 100_000_000, 60, "%1."),       # 230 M characters of AAAA…
    ("decimal", 1, 500, "%1" * 30_000),            # 42 M characters of labels
])
def test_numbering_values_and_labels_are_bounded(fmt, start, n, lvl_text):
    data = numbered_docx(fmt, start, n, lvl_text)
    assert len(data) < 300_000
    r, secs = timed(data, filename="numbered.docx")
    assert not isinstance(r, ReviewError), r
    assert secs < 2.0
    lines = r.text.split("\n")
    assert len(lines) == n
    for i, line in enumerate(lines):
        sentence = SENTENCES[i % len(SENTENCES)]
        assert line.endswith(sentence)
        assert len(line) - len(sentence) <= MAX_LABEL + 1
    if fmt != "decimal":                             # huge counters: plain decimal
        assert lines[0] == f"{start}. {SENTENCES[0]}"
        assert lines[1].startswith(f"{start + 1}. ")


def test_numbering_small_values_keep_their_format():
    r = read_document(numbered_docx("upperRoman", 4, 3), filename="n.docx")
    assert [line.split(" ")[0] for line in r.text.split("\n")] == ["IV.", "V.", "VI."]
    r = read_document(numbered_docx("lowerLetter", 26, 2), filename="n.docx")
    assert [line.split(" ")[0] for line in r.text.split("\n")] == ["z.", "aa."]


# ------------------------------------------------------- 1. too much text

def test_docx_with_huge_document_xml_refused_before_parsing():
    data = _sentences_docx(MAX_DOCUMENT_XML // 3 + 500_000, per_paragraph=40)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("word/document.xml")
    assert info.file_size > MAX_DOCUMENT_XML and info.file_size < 200 * info.compress_size  # not a "bomb"
    err = refused("E115", data, filename="big.docx", within=1.0)
    assert "document.xml" in err.en and "20.0 MB" in err.en


def test_docx_over_the_character_cap_stops_early():
    data = _sentences_docx(3 * MAX_CHARS)                    # ~600,000 characters, ~2 MB of XML
    err = refused("E115", data, filename="long.docx", within=3.0)
    assert f"limit {MAX_CHARS:,}" in err.en
    ok = read_document(_sentences_docx(MAX_CHARS // 2), filename="half.docx")
    assert MAX_CHARS // 2 <= len(ok.text) <= MAX_CHARS


def test_pdf_of_3000_pages_sharing_one_stream():
    data = shared_stream_pdf(3000, text_stream(18_000))
    assert len(data) < 600_000
    err = refused("E115", data, filename="many.pdf", within=3.0)
    assert "3,000" in err.en and str(MAX_PDF_PAGES) in err.en


def test_pdf_over_the_character_cap_stops_early():
    data = shared_stream_pdf(400, text_stream(18_000))    # 7 M characters if all were read
    err = refused("E115", data, filename="long.pdf", within=3.0)
    assert f"limit {MAX_CHARS:,}" in err.en


def test_pdf_with_a_huge_content_stream():
    data = shared_stream_pdf(1, b"0 0 m 1 1 l " * 600_000)    # 7 MB of path operations, no text
    refused("E115", data, filename="paths.pdf", within=2.0)


def test_txt_just_under_the_file_limit_is_refused_without_decoding():
    line = "".join(SENTENCES).encode("utf-8") + b"\n"
    data = line * (int(19.5 * 1024 * 1024) // len(line))
    assert 19 * 1024 * 1024 < len(data) < 20 * 1024 * 1024
    err = refused("E115", data, filename="big.txt", within=0.5)
    assert "at least" in err.en


def test_txt_character_cap_is_exact():
    text = ("学" * 99 + "\n") * (MAX_CHARS // 100)
    assert len(text) == MAX_CHARS
    assert read_document(text.encode("utf-8"), filename="a.txt").text == text
    err = refused("E115", (text + "学").encode("utf-8"), filename="a.txt", within=0.5)
    assert f"{MAX_CHARS + 1:,} characters" in err.en


# ------------------------------------------------------- 3. encodings

BIG5_DRAFT = (
    "縣水利局副局長趙某某個人對照檢查發言提綱\n"
    "一、存在的主要問題\n"
    "（一）理論學習方面。我對理論學習抓得不夠緊，今年3月以來有2次中心組學習因下鄉調研請假，事後沒有及時補學。\n"
    "（二）擔當作為方面。我分管的小型水庫除險加固推進偏慢，全縣12座水庫中還有4座沒有完工。\n"
    "二、整改措施\n"
    "一是每月至少參加1次集中學習，12月底前補齊缺學內容。二是11月底前完成4座水庫除險加固。\n"
)


@pytest.mark.parametrize("n_lines", [2, 6])
def test_big5_is_read_as_big5_with_a_warning(n_lines):
    text = "\n".join(BIG5_DRAFT.split("\n")[:n_lines])
    data = text.encode("big5")
    r, secs = timed(data, filename="big5.txt")
    assert not isinstance(r, ReviewError), r
    assert (r.text, r.encoding) == (text, "big5")
    assert any("Big5" in w for w in r.warnings)
    assert secs < 1.0


def test_gbk_still_read_as_gb18030():
    text = "".join(SENTENCES[:20])
    r = read_document(text.encode("gbk"), filename="gbk.txt")
    assert (r.text, r.encoding) == (text, "gb18030")


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("n", [1, 3, 40])
def test_utf16_without_bom_chinese(enc, n):
    text = "\n".join(SENTENCES[:n]) + "\n"
    r, secs = timed(text.encode(enc), filename="u16.txt")
    assert not isinstance(r, ReviewError), r
    assert (r.text, r.encoding) == (text, enc)
    assert secs < 1.0


# ------------------------------------------------------- 4. Word variants

CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOTX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def retyped_docx(content_type: str) -> bytes:
    """The sample draft with its main part declared as ``content_type`` (.docm, .dotx)."""
    data = hostile.sample_docx()
    types = _member(data, "[Content_Types].xml")
    assert CT_MAIN in types
    return _repack(data, {"[Content_Types].xml": types.replace(CT_MAIN, content_type)})


def strict_docx() -> bytes:
    """The sample draft in Strict Open XML namespaces (document and package relationship)."""
    data = hostile.sample_docx()
    rels = _member(data, "_rels/.rels").replace(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
    return _repack(data, {"word/document.xml": _member(data, "word/document.xml").replace(W_NS, STRICT_NS),
                          "_rels/.rels": rels})


def text_box_docx() -> bytes:
    """All the text inside one VML text box."""
    return _with_body('<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>'
                      + _p("一、存在的主要问题") + _p("学习不够深入。")
                      + '</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')


@pytest.mark.parametrize("ext,content_type", [(".docm", DOCM_TYPE), (".dotx", DOTX_TYPE)])
def test_docm_and_dotx_are_read(ext, content_type):
    r, secs = timed(retyped_docx(content_type), filename=f"draft{ext}")
    assert not isinstance(r, ReviewError), r
    assert r.text == read_document(hostile.sample_docx(), filename="d.docx").text
    assert not r.warnings and secs < 1.0


def test_strict_ooxml_is_refused_with_e116():
    err = refused("E116", strict_docx(), filename="strict.docx", within=1.0)
    assert "另存为" in str(err) and "Save As" in str(err)


def test_alternate_content_is_read_once():
    body = ('<w:p><w:r><w:t>前文</w:t></w:r><mc:AlternateContent>'
            '<mc:Choice Requires="w14"><w:r><w:t>选择文字</w:t></w:r></mc:Choice>'
            '<mc:Fallback><w:r><w:t>备用文字</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>'
            '<w:p><mc:AlternateContent><mc:Fallback><w:r><w:t>只有备用</w:t></w:r></mc:Fallback>'
            '</mc:AlternateContent></w:p>'
            '<mc:AlternateContent><mc:Choice Requires="w14">' + _p("块级选择") + '</mc:Choice>'
            '<mc:Fallback>' + _p("块级备用") + '</mc:Fallback></mc:AlternateContent>')
    r = read_document(_with_body(body), filename="alt.docx")
    assert r.text.split("\n") == ["前文选择文字", "只有备用", "块级选择"]


def test_hidden_text_is_skipped():
    d = docx.Document()
    hidden = d.styles.add_style("隐藏字符", docx.enum.style.WD_STYLE_TYPE.CHARACTER)
    hidden.font.hidden = True
    p = d.add_paragraph("看得见的文字")
    p.add_run("隐藏的文字").font.hidden = True
    p.add_run("样式隐藏", style="隐藏字符")
    p.add_run("，结尾。")
    d.add_paragraph().add_run("整段隐藏").font.hidden = True
    shown = d.add_paragraph().add_run("明确不隐藏")
    shown.font.hidden = False
    r = read_document(hostile.docx_bytes(d), filename="hidden.docx")
    assert r.text.split("\n") == ["看得见的文字，结尾。", "", "明确不隐藏"]


def test_text_box_only_file_is_e117():
    err = refused("E117", text_box_docx(), filename="box.docx", within=1.0)
    assert "文本框" in str(err)
    refused("E114", _with_body("<w:p/>"), filename="empty.docx", within=1.0)  # no text at all: still E114
