"""Open a Word package (.docx, .docm, .dotx, .dotm) for the reader, after checking it.

Before python-docx parses anything: the zip's shape (zipguard), Strict Open XML (E116),
the main part, and the XML it would parse: word/document.xml at most MAX_DOCUMENT_XML
(E115), all XML parts together at most MAX_XML_TOTAL (E107) and MAX_XML_TAGS elements
(E115), so parsing stays within a few hundred MB and a second or two.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import make_error
from .base import mb
from .zipguard import DOCX_LIMITS, archive_problem, member_problem

WORD_EXTS = (".docx", ".docm", ".dotx", ".dotm")
MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
MAX_DOCUMENT_XML = 20 * 1024 * 1024     # a 300-page draft's document.xml is a few MB
MAX_XML_TOTAL = 40 * 1024 * 1024
MAX_XML_TAGS = 1_000_000                # a 30-page draft has ~20,000 elements
STRICT_MARKS = (b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
_HEAD = 8192
_CHUNK = 1 << 20


def open_word(data: bytes, name: str, ext: str):
    """The python-docx Document of ``data``, or a coded error (E106/E107/E112/E115/E116)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as e:
        raise make_error("E106", name, type(e).__name__) from None
    with zf:
        infos = zf.infolist()
        _check_shape(infos)
        names = {i.filename: i for i in infos}
        if _is_strict(zf, names):
            raise make_error("E116", name, name)
        if "word/document.xml" not in names:
            if ext in WORD_EXTS:
                raise make_error("E106", "缺少 word/document.xml", "word/document.xml is missing")
            raise make_error("E112", "这是压缩包或其他格式（如 Excel、PPT、OFD），不是 Word 文档",
                             "a zip / other Office format, not a Word document")
        _check_xml(zf, infos)
    return _document(data)


def _check_shape(infos) -> None:
    problem = archive_problem(infos, DOCX_LIMITS)
    for i in infos:
        problem = problem or member_problem(i, DOCX_LIMITS)
    if problem:
        raise make_error("E107", *problem)


def _head(zf, info) -> bytes:
    with zf.open(info) as f:
        return f.read(_HEAD)


def _is_strict(zf, names) -> bool:
    for part in ("_rels/.rels", "word/document.xml"):
        if part in names:
            head = _head(zf, names[part])
            if any(m in head for m in STRICT_MARKS):
                return True
    return False


def _check_xml(zf, infos) -> None:
    doc = next(i for i in infos if i.filename == "word/document.xml")
    if doc.file_size > MAX_DOCUMENT_XML:
        raise make_error("E115", f"word/document.xml 解压后 {mb(doc.file_size)}，上限 {mb(MAX_DOCUMENT_XML)}",
                         f"word/document.xml is {mb(doc.file_size)}, limit {mb(MAX_DOCUMENT_XML)}")
    xml = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
    total = sum(i.file_size for i in xml)
    if total > MAX_XML_TOTAL:
        raise make_error("E107", f"XML 部件共 {mb(total)}", f"{mb(total)} of XML parts")
    tags = 0
    for i in xml:           # in chunks: never a whole part in memory
        with zf.open(i) as f:
            while chunk := f.read(_CHUNK):
                tags += chunk.count(b"<")
                if tags > MAX_XML_TAGS:
                    raise make_error("E115", f"文档含超过 {MAX_XML_TAGS:,} 个 XML 元素",
                                     f"more than {MAX_XML_TAGS:,} XML elements")


def _document(data: bytes):
    from docx.opc.part import PartFactory     # python-docx: only for Word files
    from docx.package import Package
    from docx.parts.document import DocumentPart

    for ct in MAIN_TYPES:                       # .docm/.dotx/.dotm main parts are documents too
        PartFactory.part_type_for.setdefault(ct, DocumentPart)
    part = Package.open(io.BytesIO(data)).main_document_part  # lxml: entities not resolved
    if part.content_type not in MAIN_TYPES or not isinstance(part, DocumentPart):
        raise ValueError(f"main part is {part.content_type}")
    return part.document
