import pickle
import random
import re
import time

import pytest

import hostile
import review.ingest as ingest
from review.errors import CODES, ReviewError, make_error
from review.ingest import read_document

CJK = re.compile(r"[\u4e00-\u9fff]")


def expect_error(code, source, **kw) -> ReviewError:
    with pytest.raises(ReviewError) as ei:
        read_document(source, **kw)
    err = ei.value
    msg = str(err)
    assert err.code == code, msg
    assert msg.startswith(f"[{code}] ")
    assert "\n" not in msg and "\r" not in msg
    assert CJK.search(msg), msg                        # Chinese words
    assert re.search(r"\b[a-z]{3,}\b", msg), msg       # ASCII English words
    return err


# ---------------------------------------------------------------- errors module

def test_error_one_line_and_table():
    err = make_error("E103")
    assert str(err) == ("[E103] 无法读取旧版 Word (.doc) 文件 (old binary Word .doc format is not supported)"
                        " — 请在 Word/WPS 中另存为 .docx 后再上传 (save as .docx and try again)")
    assert err.one_line() == str(err)
    assert all(re.fullmatch(r"E[1239]\d\d", c) for c in CODES)
    e2 = ReviewError("E199", "多行\n消息", "multi\nline", "提示\r\n", "")
    assert "\n" not in str(e2) and "\r" not in str(e2)
    assert str(pickle.loads(pickle.dumps(e2))) == str(e2)


# ---------------------------------------------------------------- docx

def test_docx_text_order_table_numbering_bold_headings(tmp_path):
    path = tmp_path / "材料.docx"
    path.write_bytes(hostile.sample_docx())
    r = read_document(path)
    assert r.fmt == "docx" and r.filename == "材料.docx" and r.encoding is None
    assert r.text.split("\n") == [
        "个人对照检查材料",
        "按照民主生活会的要求，现对照检查如下。",
        "一、存在的主要问题",
        "（一）理论学习方面。学习不够深入系统。",
        "1. 学习不够深入",
        "2. 联系实际不够",
        "问题\t整改措施",
        "学习不深\t加强学习",
        "合并单元格",          # merged cell written once
        "二、整改措施",
        "结尾段落。",
    ]
    bold = [r.text[s:e] for s, e in r.bold_spans]
    # headings are bold through their style; run-in title only up to the bold run
    assert bold == ["个人对照检查材料", "一、存在的主要问题", "（一）理论学习方面。", "二、整改措施"]
    assert r.heading_levels == {0: 1, r.text.index("二、整改措施"): 2}


def test_docx_chinese_automatic_numbering():
    r = read_document(hostile.chinese_numbering_docx(), filename="n.docx")
    assert r.text.split("\n") == [
        "一、存在的主要问题", "（一）理论学习方面", "（二）作风方面", "二、整改措施", "二、已经手写了编号"]


def test_docx_tracked_changes_hyperlink_content_control():
    r = read_document(hostile.tracked_changes_docx(), filename="t.docx")
    assert r.text.split("\n") == ["前文", "保留新增链接", "控件内文字"]
    assert any("修订" in w for w in r.warnings)


def test_docx_split_bold_runs_and_vertical_merge():
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("一、存在").bold = True
    p.add_run("的主要问题").bold = True
    p.add_run("：").bold = False
    p.add_run("正文")
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "类别", "内容"
    t.cell(1, 1).text, t.cell(2, 1).text = "第一项", "第二项"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "纵向合并"
    # text left inside the hidden continuation part of the merge must not be read
    t.rows[2]._tr.tc_lst[0].p_lst[0].append(
        hostile.parse_xml(f'<w:r xmlns:w="{hostile.W_NS}"><w:t>隐藏</w:t></w:r>'))
    r = read_document(hostile.docx_bytes(d), filename="m.docx")
    assert r.bold_spans == [(0, 9)]                     # one span for the two bold runs
    assert r.text.split("\n") == ["一、存在的主要问题：正文", "类别\t内容", "纵向合并\t第一项", "\t第二项"]
    assert r.text.count("纵向合并") == 1 and "隐藏" not in r.text


def test_docx_truncated_is_corrupt(tmp_path):
    data = hostile.sample_docx()
    path = tmp_path / "half.docx"
    path.write_bytes(data[: len(data) // 2])
    expect_error("E106", path)


def test_docx_renamed_to_txt_is_read_as_docx(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes(hostile.sample_docx())
    r = read_document(path)
    assert r.fmt == "docx" and "一、存在的主要问题" in r.text
    assert any(".docx" in w for w in r.warnings)


def test_txt_renamed_to_docx_is_clear_error(tmp_path):
    path = tmp_path / "draft.docx"
    path.write_text("一、存在的主要问题\n学习不够深入。", encoding="utf-8")
    err = expect_error("E106", path)
    assert "不是 Word 文档" in str(err)


def test_zip_bomb_docx_refused_fast(tmp_path):
    path = tmp_path / "bomb.docx"
    hostile.zip_bomb_docx(path, mb=100)
    assert path.stat().st_size < 2 * 1024 * 1024
    t = time.perf_counter()
    expect_error("E107", path)
    assert time.perf_counter() - t < 1.0


def test_zip_with_too_many_members():
    expect_error("E107", hostile.many_members_zip(2001), filename="many.docx")


def test_zip_without_document_xml():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    expect_error("E106", buf.getvalue(), filename="x.docx")
    expect_error("E112", buf.getvalue(), filename="x.zip")


def test_docx_with_only_empty_paragraphs():
    import docx

    d = docx.Document()
    d.add_paragraph("")
    d.add_paragraph("   ")
    expect_error("E114", hostile.docx_bytes(d), filename="blank.docx")


# ---------------------------------------------------------------- OLE / binary formats

def test_ole_doc(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(hostile.ole_file())
    expect_error("E103", path)


def test_ole_wps():
    expect_error("E104", hostile.ole_file(), filename="x.wps")


def test_encrypted_office_file():
    expect_error("E105", hostile.ole_file(encrypted=True), filename="x.docx")
    expect_error("E105", hostile.ole_file(encrypted=True), filename="x.doc")


def test_ole_named_docx_says_encrypted_or_renamed_doc():
    err = expect_error("E105", hostile.ole_file(), filename="x.docx")
    assert ".doc" in err.zh and "加密" in err.zh


def test_doc_extension_with_text_content():
    expect_error("E103", "随便写的".encode(), filename="x.doc")


def test_random_binary_is_not_text(tmp_path):
    data = random.Random(0).randbytes(8192)
    assert not data.startswith((b"PK", b"%PDF", hostile.OLE_MAGIC))
    for name in ("blob.txt", "blob.bin", "blob"):
        path = tmp_path / name
        path.write_bytes(data)
        expect_error("E111", path)


def test_image_and_unsupported_extension():
    expect_error("E111", b"\x89PNG\r\n\x1a\n" + bytes(100), filename="scan.txt")
    expect_error("E112", "文字".encode(), filename="表格.xlsx")


# ---------------------------------------------------------------- text encodings

TEXT = "一、存在的主要问题\n（一）理论学习方面。学习不够深入，对新思想领会不透。\n二、整改措施"


@pytest.mark.parametrize("enc,expected", [("gbk", "gb18030"), ("gb18030", "gb18030"),
                                          ("utf-8", "utf-8")])
def test_text_encodings(tmp_path, enc, expected):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode(enc))
    r = read_document(path)
    assert (r.text, r.encoding, r.fmt) == (TEXT, expected, "txt")


def test_gb18030_only_characters():
    text = "问题清单：㐀䶮 𠮷 €"
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    r = read_document(data, filename="a.txt")
    assert r.text == text and r.encoding == "gb18030"


def test_utf16_le_bom_and_utf8_bom():
    r = read_document(b"\xff\xfe" + TEXT.encode("utf-16-le"), filename="a.txt")
    assert (r.text, r.encoding) == (TEXT, "utf-16")
    r = read_document(b"\xfe\xff" + TEXT.encode("utf-16-be"), filename="a.txt")
    assert (r.text, r.encoding) == (TEXT, "utf-16")
    r = read_document(TEXT.encode("utf-8-sig"), filename="a.md")
    assert (r.text, r.encoding, r.fmt) == (TEXT, "utf-8-sig", "md")
    assert not r.text.startswith("\ufeff")


def test_utf16_without_bom():
    text = "Section 1: 学习 study notes\n" * 20
    r = read_document(text.encode("utf-16-le"), filename="a.txt")
    assert (r.text, r.encoding) == (text, "utf-16-le")


def test_crlf_normalised_and_offsets_hold():
    content = "第一段\r\n第二段，内容。\r\n\r\n第三段\r旧式换行"
    r = read_document(content.encode("utf-8"), filename="a.txt")
    assert r.text == content.replace("\r\n", "\n").replace("\r", "\n")
    i = r.text.index("第三段")
    assert r.text[i:i + 3] == "第三段"


def test_undecodable_text():
    data = "问题".encode("utf-8") + b"\x80\xff\x80\xff" + "测试".encode("utf-8")
    expect_error("E113", data, filename="a.txt")


def test_unknown_extension_text_accepted():
    r = read_document(TEXT.encode("utf-8"), filename="draft.note")
    assert r.fmt == "txt" and r.text == TEXT


@pytest.mark.parametrize("content", [b"", b"   \r\n\t  \n", "\u3000 \n".encode("utf-8")])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    expect_error("E102", path)


def test_missing_file_and_directory(tmp_path):
    expect_error("E101", tmp_path / "nope.docx")
    expect_error("E101", tmp_path)


def test_huge_file_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.docx"
    with open(path, "wb") as f:
        f.truncate(60 * 1024 * 1024)  # sparse: instant
    monkeypatch.setattr(ingest, "open", lambda *a, **k: pytest.fail("file was opened"), raising=False)
    t = time.perf_counter()
    err = expect_error("E110", path)
    assert time.perf_counter() - t < 0.5
    assert "60.0 MB" in str(err) and "20.0 MB" in str(err)


def test_size_limit_parameter_and_bytes():
    expect_error("E110", b"x" * 2000, filename="a.txt", max_bytes=1000)
    assert read_document(b"x" * 1000, filename="a.txt", max_bytes=1000).text == "x" * 1000


def test_very_long_single_line(tmp_path):
    rng = random.Random(1)
    line = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(600_000))
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="utf-8")
    t = time.perf_counter()
    err = expect_error("E115", path)                  # over the 200,000-character cap
    assert time.perf_counter() - t < 0.5
    assert "200,000" in err.en
    r = read_document(line[:150_000].encode("utf-8"), filename="long.txt")
    assert r.text == line[:150_000]


def test_binary_file_object_source():
    import io

    r = read_document(io.BytesIO(TEXT.encode("gbk")), filename="a.txt")
    assert r.text == TEXT


# ---------------------------------------------------------------- pdf

PDF_TEXT = "Self inspection report for the democratic life meeting"


def test_text_pdf(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(hostile.pdf_bytes([PDF_TEXT]))
    r = read_document(path)
    assert r.fmt == "pdf" and PDF_TEXT in r.text


def test_image_only_pdf():
    expect_error("E108", hostile.pdf_bytes([None]), filename="scan.pdf")
    # a little text spread over many pages is still "no text layer"
    expect_error("E108", hostile.pdf_bytes(["p1", None, None]), filename="scan.pdf")


def test_garbage_pdf():
    expect_error("E109", b"%PDF-1.7\n" + random.Random(2).randbytes(3000), filename="bad.pdf")
    expect_error("E109", "这不是PDF".encode(), filename="bad.pdf")


def test_encrypted_pdf():
    expect_error("E105", hostile.encrypted_pdf(PDF_TEXT), filename="locked.pdf")
