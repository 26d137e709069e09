"""PDFs with a text layer (pypdf); image-only PDFs are refused."""
from __future__ import annotations

import io
import logging

from ..errors import ReviewError, make_error
from .base import Ingested

PDF_MIN_CHARS_PER_PAGE = 20

def read_pdf(data: bytes, name: str, ext: str) -> Ingested:
    import pypdf                            # only for PDFs

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf is chatty on odd files
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")  # owner-password-only PDFs open with ""
            except Exception:
                ok = 0
            if not ok:
                raise make_error("E105", "PDF 设置了打开密码", "password-protected PDF")
        pages = list(reader.pages)
    except ReviewError:
        raise
    except Exception as e:
        raise make_error("E109", name, type(e).__name__) from None
    if not pages:
        raise make_error("E109", "PDF 没有页面", "the PDF has no pages")
    texts, failed = [], 0
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:
            failed += 1
            texts.append("")
    if failed == len(pages):
        raise make_error("E109", name, "no page could be read")
    text = "\n".join(texts).replace("\r\n", "\n").replace("\r", "\n")
    if len("".join(text.split())) < PDF_MIN_CHARS_PER_PAGE * len(pages):
        raise make_error("E108", name, name)
    warnings = [f"{failed} 页无法读取 ({failed} pages could not be read)"] if failed else []
    if ext != ".pdf":
        warnings.append(f"扩展名为 {ext or '(无)'}，内容是 PDF，已按 PDF 读取 (read as PDF)")
    return Ingested(text, name, "pdf", None, warnings=warnings)

