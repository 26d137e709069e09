"""Read an uploaded draft (.docx/.docm/.dotx / .txt / .md / .pdf) into plain text.

The real format is decided by magic bytes first and the extension second; one module a
format (text + encoding, pdf, docx + docx_package/_styles/_numbering), one zip guard
(zipguard) shared with batch archives. Every failure is a one-line ``ReviewError`` with
an E1xx code (see review/errors.py); every reader stops at MAX_CHARS characters (E115).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ReviewError, make_error
from .base import MAX_BYTES, MAX_CHARS, Ingested, too_large
from .docx import read_docx
from .docx_package import WORD_EXTS
from .pdf import read_pdf
from .text import read_text

__all__ = ["Ingested", "MAX_BYTES", "MAX_CHARS", "read_document"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# other recognisable binaries: magic -> (code, zh detail, en detail)
OTHER_MAGICS = {
    b"{\\rtf": ("E112", "这是 RTF 格式，请另存为 .docx", "RTF format, save as .docx"),
    b"\x89PNG": ("E111", "这是图片文件 (PNG)", "a PNG image"),
    b"\xff\xd8\xff": ("E111", "这是图片文件 (JPEG)", "a JPEG image"),
    b"GIF8": ("E111", "这是图片文件 (GIF)", "a GIF image"),
    b"Rar!": ("E111", "这是 RAR 压缩包", "a RAR archive"),
    b"7z\xbc\xaf": ("E111", "这是 7z 压缩包", "a 7z archive"),
    b"\x1f\x8b": ("E111", "这是 gzip 压缩包", "a gzip archive"),
}
UNSUPPORTED_EXTS = {
    ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps", ".odt", ".ofd", ".rtf", ".html", ".htm",
    ".mht", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".zip", ".rar", ".7z",
}
ENCRYPTED_OLE = "EncryptedPackage".encode("utf-16-le")  # OOXML encrypted with a password


def read_document(source, *, filename: str | None = None, max_bytes: int = MAX_BYTES) -> Ingested:
    """Read ``source`` (path as str/PathLike, bytes, or a binary file object).

    A str is always a path, never content. ``filename`` supplies/overrides the
    name (and so the extension) used for messages and format hints."""
    data, name = _load(source, filename, max_bytes)
    ext = os.path.splitext(name)[1].lower()
    if not data:
        raise make_error("E102", name, name)
    head = data[:1024]
    if data.startswith(OLE_MAGIC):
        raise _ole_error(data, ext)
    if data[:4] in ZIP_MAGICS:
        return read_docx(data, name, ext)
    if head.lstrip().startswith(b"%PDF"):
        return read_pdf(data, name, ext)
    for magic, (code, zh, en) in OTHER_MAGICS.items():
        if data.startswith(magic):
            raise make_error(code, zh, en)
    if ext == ".doc":
        raise make_error("E103", "文件不是有效的 Word 文档", "not a valid Word file")
    if ext == ".wps":
        raise make_error("E104")
    if ext in WORD_EXTS:
        raise make_error("E106", f"扩展名为 {ext}，但内容不是 Word 文档（像是纯文本或其他格式）",
                         f"named {ext} but the content is not a Word document")
    if ext == ".pdf":
        raise make_error("E109", "扩展名为 .pdf，但内容不是 PDF", "named .pdf but it is not a PDF")
    if ext in UNSUPPORTED_EXTS:
        raise make_error("E112", ext, ext)
    return read_text(data, name, ext)


def _load(source, filename, max_bytes) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), filename or ""
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = filename or path.name
        try:
            st = path.stat()
        except OSError:
            raise make_error("E101", name, name) from None
        if not stat.S_ISREG(st.st_mode):
            raise make_error("E101", f"{name} 不是普通文件", f"{name} is not a regular file")
        if st.st_size > max_bytes:  # refuse before reading anything
            raise too_large(st.st_size, max_bytes)
        try:
            with open(path, "rb") as f:
                data = f.read(max_bytes + 1)
        except OSError:
            raise make_error("E101", name, name) from None
    elif hasattr(source, "read"):
        data = source.read(max_bytes + 1)
        if not isinstance(data, bytes):
            raise TypeError("file object must be opened in binary mode")
        name = filename or os.path.basename(str(getattr(source, "name", "") or ""))
    else:
        raise TypeError(f"unsupported source type: {type(source).__name__}")
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    return data, name


def _ole_error(data: bytes, ext: str) -> ReviewError:
    if ENCRYPTED_OLE in data:
        return make_error("E105")
    if ext == ".wps":
        return make_error("E104")
    if ext in WORD_EXTS:
        return make_error("E105", "扩展名为 .docx，但实际是加密的 Office 文件或改了扩展名的旧版 .doc",
                          "named .docx but it is an encrypted Office file or a renamed .doc")
    if ext in ("", ".doc", ".dot", ".txt", ".md"):
        return make_error("E103")
    return make_error("E112", f"{ext}（旧版 Office 二进制格式）", f"{ext} (old binary Office format)")

