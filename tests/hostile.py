"""Builders for normal and hostile input files, created at test time (no binary fixtures)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def docx_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def sample_docx() -> bytes:
    """Heading, bold run-in titles, a numbered list, a table with a merged row."""
    d = docx.Document()
    d.add_heading("个人对照检查材料", level=1)
    d.add_paragraph("按照民主生活会的要求，现对照检查如下。")
    p = d.add_paragraph()
    p.add_run("一、存在的主要问题").bold = True
    p = d.add_paragraph()
    p.add_run("（一）理论学习方面。").bold = True
    p.add_run("学习不够深入系统。")
    d.add_paragraph("学习不够深入", style="List Number")
    d.add_paragraph("联系实际不够", style="List Number")
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "问题", "整改措施"
    t.cell(1, 0).text, t.cell(1, 1).text = "学习不深", "加强学习"
    t.cell(2, 0).merge(t.cell(2, 1)).text = "合并单元格"
    d.add_heading("二、整改措施", level=2)
    d.add_paragraph("结尾段落。")
    return docx_bytes(d)


CN_NUM_ID = 90


def add_chinese_numbering(d) -> None:
    """Word's own list numbering in `d`: level 0 "%1、" (一、二、), level 1 "（%2）" (（一）)."""
    root = d.part.numbering_part.element
    root.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{CN_NUM_ID}">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        '</w:abstractNum>'))
    root.append(parse_xml(
        f'<w:num xmlns:w="{W_NS}" w:numId="{CN_NUM_ID}"><w:abstractNumId w:val="{CN_NUM_ID}"/></w:num>'))


def numbered_paragraph(d, text: str, ilvl: int):
    """A paragraph numbered by add_chinese_numbering's list at level `ilvl`."""
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{CN_NUM_ID}"/></w:numPr>'))
    return p


def chinese_numbering_docx() -> bytes:
    """Automatic numbering with lvlText "%1、" (一二三) and "（%2）"."""
    d = docx.Document()
    add_chinese_numbering(d)
    for text, ilvl in [("存在的主要问题", 0), ("理论学习方面", 1), ("作风方面", 1),
                       ("整改措施", 0), ("二、已经手写了编号", 0)]:
        numbered_paragraph(d, text, ilvl)
    return docx_bytes(d)


def tracked_changes_docx() -> bytes:
    """A paragraph with an insertion, a deletion, a hyperlink and a content control."""
    d = docx.Document()
    d.add_paragraph("前文")
    body = d.element.body
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    p = parse_xml(
        f'<w:p xmlns:w="{W_NS}" xmlns:r="{r}">'
        '<w:r><w:t>保留</w:t></w:r>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
        '<w:hyperlink r:id="rIdX"><w:r><w:t>链接</w:t></w:r></w:hyperlink>'
        '</w:p>')
    sdt = parse_xml(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr/><w:sdtContent>'
        '<w:p><w:r><w:t>控件内文字</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    sect = body[-1]  # keep sectPr last
    sect.addprevious(p)
    sect.addprevious(sdt)
    return docx_bytes(d)


def zip_bomb_docx(path: Path, mb: int = 100) -> None:
    """A valid-looking docx carrying ``mb`` MB of zeros, streamed (never held in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        with zf.open("word/media/zeros.bin", "w") as f:
            chunk = bytes(1 << 20)
            for _ in range(mb):
                f.write(chunk)


def many_members_zip(n: int = 2001) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        for i in range(n):
            zf.writestr(f"x/{i}.xml", "")
    return buf.getvalue()


def ole_file(encrypted: bool = False) -> bytes:
    """OLE2 compound-file header + padding; optionally the EncryptedPackage stream name."""
    data = OLE_MAGIC + bytes(504)
    if encrypted:
        data += "EncryptedPackage".encode("utf-16-le")
    return data + bytes(1024)


def pdf_bytes(page_texts: list[str | None]) -> bytes:
    """A tiny valid PDF with Helvetica; ``None`` gives an empty page (no text layer)."""
    n = len(page_texts)
    font_id = 3
    objs: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = []
    for i, text in enumerate(page_texts):
        page_id, content_id = 4 + 2 * i, 5 + 2 * i
        kids.append(f"{page_id} 0 R".encode())
        stream = b"" if text is None else f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
        objs[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        objs[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                         b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id)
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), n)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for oid in sorted(objs):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (oid, objs[oid])
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for oid in range(1, size):
        out += b"%010d 00000 n \n" % offsets[oid]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def encrypted_pdf(text: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes([text])))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
