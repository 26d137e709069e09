"""PDFs with a text layer (pypdf); image-only PDFs are refused.

Bounded (E115), as pypdf parses content streams at about 1 MB/s: at most MAX_PDF_PAGES
pages; MAX_PDF_CONTENT bytes of content streams (a page's own and the forms its
resources hold, counted for every page that uses them) checked before a page is read;
MAX_CHARS characters and MAX_PDF_OPERATIONS operations counted while pypdf extracts, so
a page is abandoned as soon as a cap is passed. A font is parsed once per document, not
once per page (pypdf rebuilds a 65,536-entry ToUnicode map on every page otherwise), and
all pages together get MAX_PDF_SECONDS.
"""
from __future__ import annotations

import io
import logging
import time
from contextlib import contextmanager

from ..errors import ReviewError, make_error
from .base import CharBudget, Ingested, mb

PDF_MIN_CHARS_PER_PAGE = 20
MAX_PDF_PAGES = 500              # a draft is a few dozen pages
MAX_PDF_CONTENT = 4 * 1024 * 1024   # a 40-page draft has about 1 MB
MAX_PDF_OPERATIONS = 500_000        # a text page needs a few hundred
MAX_FORM_DEPTH = 10
MAX_PDF_SECONDS = 8.0            # wall clock for all pages: past it, E118 (a hostile file)


class _Stop(BaseException):
    """Raised from a pypdf visitor; BaseException so pypdf's `except Exception` lets it through."""

    def __init__(self, error: ReviewError):
        self.error = error


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
        n_pages = len(reader.pages)
    except ReviewError:
        raise
    except Exception as e:
        raise make_error("E109", name, type(e).__name__) from None
    if not n_pages:
        raise make_error("E109", "PDF 没有页面", "the PDF has no pages")
    if n_pages > MAX_PDF_PAGES:
        raise make_error("E115", f"PDF 共 {n_pages:,} 页，上限 {MAX_PDF_PAGES} 页",
                         f"{n_pages:,} pages, limit {MAX_PDF_PAGES}")
    with _fonts_parsed_once():
        texts, failed = _extract(reader, n_pages)
    if failed == n_pages:
        raise make_error("E109", name, "no page could be read")
    text = "\n".join(texts).replace("\r\n", "\n").replace("\r", "\n")
    if len("".join(text.split())) < PDF_MIN_CHARS_PER_PAGE * n_pages:
        raise make_error("E108", name, name)
    warnings = [f"{failed} 页无法读取 ({failed} pages could not be read)"] if failed else []
    if ext != ".pdf":
        warnings.append(f"扩展名为 {ext or '(无)'}，内容是 PDF，已按 PDF 读取 (read as PDF)")
    return Ingested(text, name, "pdf", None, warnings=warnings)


def _extract(reader, n_pages: int) -> tuple[list[str], int]:
    """Each page's text and the number of pages that failed, within the caps."""
    budget = CharBudget()
    ops = [0]

    def on_text(text, *_):
        try:
            budget.take(len(text))
        except ReviewError as e:
            raise _Stop(e) from None

    def on_operation(*_):
        ops[0] += 1
        if ops[0] > MAX_PDF_OPERATIONS:
            raise _Stop(make_error("E115", f"PDF 内容过多（超过 {MAX_PDF_OPERATIONS:,} 个绘制指令）",
                                   f"more than {MAX_PDF_OPERATIONS:,} content operations"))

    texts, failed, content = [], 0, 0
    t0 = time.monotonic()
    try:
        for i in range(n_pages):
            if time.monotonic() - t0 > MAX_PDF_SECONDS:
                raise _Stop(make_error("E118", f"PDF 读取超过 {MAX_PDF_SECONDS:.0f} 秒（第 {i} 页）",
                                       f"reading took over {MAX_PDF_SECONDS:.0f} s (page {i})"))
            try:
                content += _content_bytes(reader.pages[i])
                if content > MAX_PDF_CONTENT:
                    raise _Stop(make_error("E115", f"PDF 页面内容超过 {mb(MAX_PDF_CONTENT)}",
                                           f"more than {mb(MAX_PDF_CONTENT)} of page content"))
                texts.append(reader.pages[i].extract_text(visitor_text=on_text,
                                                          visitor_operand_before=on_operation) or "")
            except (_Stop, MemoryError, RecursionError):
                raise
            except Exception:
                failed += 1
                texts.append("")
    except _Stop as stop:
        raise stop.error from None
    except RecursionError:
        raise make_error("E109", "PDF 结构嵌套过深", "the PDF is nested too deeply") from None
    return texts, failed


def _content_bytes(page) -> int:
    """Decoded size of the page's content streams and of the forms its resources hold."""
    total, seen = 0, set()

    def streams(obj):
        obj = obj.get_object() if obj is not None else None
        return [o.get_object() for o in obj] if isinstance(obj, list) else [obj] if obj is not None else []

    def forms(resources, depth):
        nonlocal total
        resources = resources.get_object() if resources is not None else None
        if depth > MAX_FORM_DEPTH or not hasattr(resources, "get"):
            return
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for ref in getattr(xobjects, "values", lambda: ())():
            x = ref.get_object()
            if id(x) in seen or not hasattr(x, "get_data") or x.get("/Subtype") != "/Form":
                continue
            seen.add(id(x))
            total += len(x.get_data())
            forms(x.get("/Resources"), depth + 1)

    for s in streams(page.get("/Contents")):
        if hasattr(s, "get_data"):
            total += len(s.get_data())
    forms(page.get("/Resources"), 0)
    return total


@contextmanager
def _fonts_parsed_once():
    """While one PDF is read, pypdf's Font.from_font_resource answers each font dictionary
    once (pypdf keeps resolved objects, so a shared font is the same object on every page)."""
    from pypdf._page import Font            # pypdf's own name for the class it calls per page
    original = Font.__dict__["from_font_resource"]
    seen: dict[int, tuple] = {}

    def cached(cls, pdf_font_dict):
        hit = seen.get(id(pdf_font_dict))
        if hit is None or hit[0] is not pdf_font_dict:
            hit = seen[id(pdf_font_dict)] = (pdf_font_dict, original.__func__(cls, pdf_font_dict))
        return hit[1]

    Font.from_font_resource = classmethod(cached)
    try:
        yield
    finally:
        Font.from_font_resource = original
