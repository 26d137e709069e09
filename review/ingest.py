"""Read an uploaded draft (.docx / .txt / .md / .pdf) into plain text.

The real format is decided by magic bytes first and the extension second.
Every failure is a one-line ``ReviewError`` with an E1xx code (see errors.py).

DOCX rendering (best effort, documented here because downstream offsets depend on it):
  * body walked in document order: one paragraph per line, "\\n" between lines;
    content controls (w:sdt) are entered, tracked insertions kept, deletions dropped;
    text boxes, headers/footers, footnotes and comments are NOT read (a warning says so);
  * tables: a row is one line with cells joined by "\\t" (paragraphs inside a cell
    joined by " "); a row with a single cell, or with a cell holding several
    paragraphs / a nested table, is written cell by cell as ordinary lines.
    Merged cells are written once (vertical-merge continuations are empty);
  * automatic list numbering (w:numPr) is rendered from numbering.xml
    (decimal, 一二三, 甲乙丙, ①, a/A, i/I; lvlText such as "（%1）" or "%1、");
    counters are kept per abstract list, deeper levels restart when a higher
    level advances. Bullets are not rendered. The label is only added when the
    paragraph text does not already start with a number;
  * bold_spans: runs whose effective bold (run > character style > paragraph
    style, following basedOn) is on; touching spans are merged;
  * heading_levels: line start -> level from a direct outline level, a
    "Heading N"/"标题 N" style name or a style outline level (basedOn followed).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReviewError, make_error

MAX_BYTES = 20 * 1024 * 1024
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_TOTAL = 200 * 1024 * 1024      # sum of declared uncompressed sizes
ZIP_MAX_DOCUMENT_XML = 50 * 1024 * 1024
ZIP_MAX_RATIO = 200                    # only judged for members above ZIP_RATIO_MIN_SIZE
ZIP_RATIO_MIN_SIZE = 1024 * 1024       # tiny highly-compressible parts are harmless
PDF_MIN_CHARS_PER_PAGE = 20

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
CTRL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26)) + b"\x7f"
CTRL_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
BINARY_RATIO = 0.01


@dataclass
class Ingested:
    text: str                 # plain text; line endings normalised to "\n"
    filename: str
    fmt: str                  # "docx" | "txt" | "md" | "pdf"
    encoding: str | None      # txt/md: "utf-8", "utf-8-sig", "gb18030", "utf-16" (BOM), "utf-16-le"/"-be" (no BOM)
    bold_spans: list[tuple[int, int]] = field(default_factory=list)  # docx only, end-exclusive
    heading_levels: dict[int, int] = field(default_factory=dict)     # docx only: line start -> level
    warnings: list[str] = field(default_factory=list)


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
        return _read_docx(data, name, ext)
    if head.lstrip().startswith(b"%PDF"):
        return _read_pdf(data, name, ext)
    for magic, (code, zh, en) in OTHER_MAGICS.items():
        if data.startswith(magic):
            raise make_error(code, zh, en)
    if ext == ".doc":
        raise make_error("E103", "文件不是有效的 Word 文档", "not a valid Word file")
    if ext == ".wps":
        raise make_error("E104")
    if ext in (".docx", ".docm", ".dotx"):
        raise make_error("E106", f"扩展名为 {ext}，但内容不是 Word 文档（像是纯文本或其他格式）",
                         f"named {ext} but the content is not a Word document")
    if ext == ".pdf":
        raise make_error("E109", "扩展名为 .pdf，但内容不是 PDF", "named .pdf but it is not a PDF")
    if ext in UNSUPPORTED_EXTS:
        raise make_error("E112", ext, ext)
    return _read_text(data, name, ext)


# ---------------------------------------------------------------- loading

def _mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB"


def _too_large(size: int, limit: int) -> ReviewError:
    return make_error("E110", f"{_mb(size)}，上限 {_mb(limit)}", f"{_mb(size)}, limit {_mb(limit)}")


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
            raise _too_large(st.st_size, max_bytes)
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
        raise _too_large(len(data), max_bytes)
    return data, name


def _ole_error(data: bytes, ext: str) -> ReviewError:
    if ENCRYPTED_OLE in data:
        return make_error("E105")
    if ext == ".wps":
        return make_error("E104")
    if ext in (".docx", ".docm"):
        return make_error("E105", "扩展名为 .docx，但实际是加密的 Office 文件或改了扩展名的旧版 .doc",
                          "named .docx but it is an encrypted Office file or a renamed .doc")
    if ext in ("", ".doc", ".dot", ".txt", ".md"):
        return make_error("E103")
    return make_error("E112", f"{ext}（旧版 Office 二进制格式）", f"{ext} (old binary Office format)")


# ---------------------------------------------------------------- text

def _sniff_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: many NULs at alternate byte positions (ASCII-heavy text)."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    ne, no = even.count(0) / len(even), odd.count(0) / len(odd)
    if no > 0.3 and ne < 0.05:
        return "utf-16-le"
    if ne > 0.3 and no < 0.05:
        return "utf-16-be"
    return None


def _read_text(data: bytes, name: str, ext: str) -> Ingested:
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        candidates = ["utf-16"]
    elif enc16 := _sniff_utf16(data):
        candidates = [enc16]
    else:
        if len(data) - len(data.translate(None, CTRL_BYTES)) > BINARY_RATIO * len(data):
            raise make_error("E111", name, name)
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise make_error("E113", f"{name} 不是 UTF-8/GBK/GB18030/UTF-16",
                         f"{name} is not UTF-8, GBK, GB18030 or UTF-16")
    if enc == "gb18030":
        warnings.append("按 GBK/GB18030 编码读取 (decoded as GB18030)")
    ctrl = len(CTRL_RE.findall(text))
    if ctrl > BINARY_RATIO * len(text):
        raise make_error("E111", name, name)
    if ctrl:
        warnings.append(f"文本含 {ctrl} 个控制字符 (contains {ctrl} control characters)")
    if not text.strip():
        raise make_error("E102", name, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = "md" if ext in (".md", ".markdown") else "txt"
    return Ingested(text, name, fmt, enc, warnings=warnings)


# ---------------------------------------------------------------- pdf

def _read_pdf(data: bytes, name: str, ext: str) -> Ingested:
    import logging
    import pypdf

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


# ---------------------------------------------------------------- docx

def _read_docx(data: bytes, name: str, ext: str) -> Ingested:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as e:
        raise make_error("E106", name, type(e).__name__) from None
    _check_zip_shape(infos)
    if not any(i.filename == "word/document.xml" for i in infos):
        if ext in (".docx", ".docm", ".dotx"):
            raise make_error("E106", "缺少 word/document.xml", "word/document.xml is missing")
        raise make_error("E112", "这是压缩包或其他格式（如 Excel、PPT、OFD），不是 Word 文档",
                         "a zip / other Office format, not a Word document")
    try:
        import docx

        doc = docx.Document(io.BytesIO(data))  # its lxml parser does not resolve entities
        out = _DocxText(doc).render()
    except ReviewError:
        raise
    except Exception as e:
        raise make_error("E106", name, type(e).__name__) from None
    if not out.text.strip():
        raise make_error("E114", name, name)
    out.filename = name
    if ext not in (".docx", ".docm", ".dotx"):
        out.warnings.append(f"扩展名为 {ext or '(无)'}，内容是 Word 文档，已按 .docx 读取 (read as .docx)")
    return out


def _check_zip_shape(infos) -> None:
    def bomb(zh, en):
        return make_error("E107", zh, en)

    if len(infos) > ZIP_MAX_MEMBERS:
        raise bomb(f"内部文件 {len(infos)} 个", f"{len(infos)} members")
    total = sum(i.file_size for i in infos)
    if total > ZIP_MAX_TOTAL:
        raise bomb(f"解压后 {_mb(total)}", f"{_mb(total)} uncompressed")
    for i in infos:
        if i.filename == "word/document.xml" and i.file_size > ZIP_MAX_DOCUMENT_XML:
            raise bomb(f"正文 {_mb(i.file_size)}", f"document.xml is {_mb(i.file_size)}")
        if i.file_size > ZIP_RATIO_MIN_SIZE and i.file_size > ZIP_MAX_RATIO * max(i.compress_size, 1):
            raise bomb("压缩比异常", f"compression ratio > {ZIP_MAX_RATIO} in {i.filename}")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _int(s, default=None):
    try:
        return int(s)
    except (TypeError, ValueError):
        return default


def _val(el, *path):
    """w:val of the element reached by following child tags ``path`` from ``el``."""
    for tag in path:
        if el is None:
            return None
        el = el.find(_w(tag))
    return None if el is None else el.get(_w("val"))


# elements that hold blocks / cells / rows through a wrapper (content controls, custom XML)
_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml")}
# run containers inside a paragraph that must NOT be read
_SKIP_IN_P = {_w("pPr"), _w("del"), _w("moveFrom"), _w("sdtPr"), _w("sdtEndPr"),
              "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",
              "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"}
_NUM_START = re.compile(r"\s*(?:[（(]?[0-9０-９一二三四五六七八九十〇零百]+[）)、.．,，:：]|[①-⑳])")
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)


def _children(el, tag: str):
    """Children named ``tag``, looking through sdt/customXml wrappers."""
    for c in el:
        if c.tag == tag:
            yield c
        elif c.tag in _WRAPPERS:
            yield from _children(c, tag)


def _merged_away(tc) -> bool:
    """True for the continuation part of a merged cell (its text lives in the first part)."""
    tcpr = tc.find(_w("tcPr"))
    for tag in ("vMerge", "hMerge"):
        m = tcpr.find(_w(tag)) if tcpr is not None else None
        if m is not None and m.get(_w("val")) != "restart":
            return True
    return False


def _style_chain(style):
    for _ in range(20):  # guard against basedOn cycles
        if style is None:
            return
        yield style
        style = style.base_style


class _DocxText:
    def __init__(self, doc):
        from docx.enum.style import WD_STYLE_TYPE

        self.doc, self.part = doc, doc.part
        self.P, self.C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
        self.buf: list[str] = []
        self.pos = 0
        self.lines = 0
        self.bold: list[list[int]] = []
        self.headings: dict[int, int] = {}
        self.numbering = _Numbering(doc)
        self.pstyle_cache: dict = {}
        self.cbold_cache: dict = {}

    def render(self) -> Ingested:
        body = self.doc.element.body
        warnings = []
        if next(body.iter(_w("txbxContent")), None) is not None:
            warnings.append("文档含文本框，其中文字未读取 (text boxes were skipped)")
        if next(body.iter(_w("ins"), _w("del")), None) is not None:
            warnings.append("文档含修订痕迹，已按接受修订后的文字读取 (tracked changes accepted)")
        self.block(body)
        return Ingested("".join(self.buf), "", "docx", None,
                        [tuple(s) for s in self.bold], self.headings, warnings)

    # -- output
    def write(self, s: str, bold: bool = False) -> None:
        if not s:
            return
        start = self.pos
        self.buf.append(s)
        self.pos += len(s)
        if bold:
            if self.bold and self.bold[-1][1] == start:
                self.bold[-1][1] = self.pos
            else:
                self.bold.append([start, self.pos])

    def newline(self) -> None:
        if self.lines:
            self.write("\n")
        self.lines += 1

    # -- blocks
    def block(self, el) -> None:
        for c in el:
            if c.tag == _w("p"):
                self.newline()
                self.paragraph(c, top=True)
            elif c.tag == _w("tbl"):
                self.table(c)
            elif c.tag in _WRAPPERS:
                self.block(c)

    def table(self, tbl) -> None:
        for tr in _children(tbl, _w("tr")):
            cells = [None if _merged_away(tc) else tc for tc in _children(tr, _w("tc"))]
            live = [tc for tc in cells if tc is not None]
            if not any("".join(tc.itertext()).strip() for tc in live):
                continue
            if len(cells) == 1 or any(self._complex(tc) for tc in live):
                for tc in live:
                    self.block(tc)
                continue
            self.newline()
            for i, tc in enumerate(cells):
                if i:
                    self.write("\t")
                first = True
                for p in (_children(tc, _w("p")) if tc is not None else ()):
                    if not "".join(p.itertext()).strip():
                        continue
                    if not first:
                        self.write(" ")
                    self.paragraph(p, top=False)
                    first = False

    @staticmethod
    def _complex(tc) -> bool:
        if next(tc.iter(_w("tbl")), None) is not None:
            return True
        return sum(1 for p in tc.iter(_w("p")) if "".join(p.itertext()).strip()) > 1

    # -- paragraphs
    def _pstyle(self, style_id):
        """(bold, heading level, numPr) of a paragraph style, following basedOn."""
        if style_id not in self.pstyle_cache:
            bold = level = num = None
            for s in _style_chain(self.part.get_style(style_id, self.P)):
                if bold is None:
                    bold = s.font.bold
                ppr = s.element.find(_w("pPr"))
                if level is None:
                    m = _HEADING_NAME.match((s.name or "").strip())
                    lvl = _int(_val(ppr, "outlineLvl"))
                    level = int(m.group(1)) if m else (lvl + 1 if lvl is not None and lvl < 9 else None)
                if num is None and ppr is not None and ppr.find(_w("numPr")) is not None:
                    num = (_val(ppr, "numPr", "numId"), _val(ppr, "numPr", "ilvl"))
            self.pstyle_cache[style_id] = (bool(bold), level, num)
        return self.pstyle_cache[style_id]

    def _cbold(self, style_id):
        if style_id not in self.cbold_cache:
            b = None
            if style_id is not None:
                for s in _style_chain(self.part.get_style(style_id, self.C)):
                    if s.font.bold is not None:
                        b = s.font.bold
                        break
            self.cbold_cache[style_id] = b
        return self.cbold_cache[style_id]

    def paragraph(self, p, top: bool) -> None:
        start = self.pos
        ppr = p.find(_w("pPr"))
        pbold, slevel, snum = self._pstyle(_val(ppr, "pStyle"))
        lvl = _int(_val(ppr, "outlineLvl"))
        level = lvl + 1 if lvl is not None and lvl < 9 else slevel
        if top and level:
            self.headings[start] = level
        num = snum
        if ppr is not None and ppr.find(_w("numPr")) is not None:
            num = (_val(ppr, "numPr", "numId"), _val(ppr, "numPr", "ilvl") or (snum or (0, 0))[1])
        runs: list[tuple[str, bool]] = []
        self._runs(p, pbold, runs)
        if num is not None:
            label = self.numbering.label(_int(num[0], 0), _int(num[1], 0) or 0)
            if label and not _NUM_START.match("".join(t for t, _ in runs)):
                self.write(label)
        for t, b in runs:
            self.write(t, b)

    def _runs(self, el, pbold, out) -> None:
        from docx.text.run import Run

        for c in el:
            if c.tag == _w("r"):
                run = Run(c, self.doc)
                text = run.text
                if text:
                    b = run.font.bold
                    if b is None:
                        b = self._cbold(_val(c.find(_w("rPr")), "rStyle"))
                    out.append((text, pbold if b is None else bool(b)))
            elif isinstance(c.tag, str) and c.tag not in _SKIP_IN_P and c.tag != _w("p"):
                self._runs(c, pbold, out)  # hyperlink, ins, smartTag, sdt, fldSimple ...


_CN_DIGITS = "〇一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _cn_number(n: int) -> str:
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    s = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    return s + (_CN_DIGITS[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + r, n - v
    return out


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _fmt_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _cn_number(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt[0] == "u" else _letters(n).lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt[0] == "u" else _roman(n).lower()
    return str(n)


class _Numbering:
    """Counters for Word automatic numbering (best effort, see module docstring)."""

    def __init__(self, doc):
        self.nums: dict[int, tuple[str, dict[int, int]]] = {}   # numId -> (absId, start overrides)
        self.levels: dict[tuple[str, int], tuple[str, str | None, int, str]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.seen: set[int] = set()
        try:
            root = doc.part.part_related_by(
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
            ).element
        except Exception:
            return
        for a in root.iterchildren(_w("abstractNum")):
            aid = a.get(_w("abstractNumId"))
            for lvl in a.iterchildren(_w("lvl")):
                self.levels[(aid, _int(lvl.get(_w("ilvl")), 0))] = (
                    _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText"),
                    _int(_val(lvl, "start"), 1), _val(lvl, "suff") or "tab")
        for n in root.iterchildren(_w("num")):
            over = {}
            for o in n.iterchildren(_w("lvlOverride")):
                s = _int(_val(o, "startOverride"))
                if s is not None:
                    over[_int(o.get(_w("ilvl")), 0)] = s
            self.nums[_int(n.get(_w("numId")), -1)] = (_val(n, "abstractNumId"), over)

    def label(self, num_id: int, ilvl: int) -> str:
        if num_id == 0 or not 0 <= ilvl < 9:
            return ""  # numId 0 switches numbering off
        aid, over = self.nums.get(num_id, (f"?{num_id}", {}))
        info = lambda k: self.levels.get((aid, k), ("decimal", None, 1, "tab"))  # noqa: E731
        ctr = self.counters.setdefault(aid, [None] * 9)
        if num_id not in self.seen:  # first use of a restarted list instance
            self.seen.add(num_id)
            for k, s in over.items():
                if 0 <= k < 9:
                    ctr[k] = s - 1
        fmt, text, start, suff = info(ilvl)
        ctr[ilvl] = start if ctr[ilvl] is None else ctr[ilvl] + 1
        for k in range(ilvl + 1, 9):
            ctr[k] = None
        for k in range(ilvl):
            if ctr[k] is None:
                ctr[k] = info(k)[2]
        if fmt in ("bullet", "none"):
            return ""
        text = text if text is not None else f"%{ilvl + 1}."
        label = re.sub(r"%([1-9])", lambda m: _fmt_number(ctr[int(m.group(1)) - 1] or 0,
                                                          info(int(m.group(1)) - 1)[0]), text)
        if not label.strip():
            return ""
        return label + ("" if suff == "nothing" or not label[-1].isascii() else " ")
