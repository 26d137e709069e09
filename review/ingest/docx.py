"""Word .docx into plain text with offsets for bold spans and heading levels.

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

import io
import re
import zipfile

from ..lang.zh.outline import NUMBERED_START
from ..errors import ReviewError, make_error
from .base import Ingested
from .zipguard import DOCX_LIMITS, archive_problem, member_problem


def read_docx(data: bytes, name: str, ext: str) -> Ingested:
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
        import docx                           # python-docx: only for Word files

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
    problem = archive_problem(infos, DOCX_LIMITS)
    for i in infos:
        problem = problem or member_problem(i, DOCX_LIMITS)
    if problem:
        raise make_error("E107", *problem)


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
        from docx.enum.style import WD_STYLE_TYPE   # python-docx, as above

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
            if label and not NUMBERED_START.match("".join(t for t, _ in runs)):
                self.write(label)
        for t, b in runs:
            self.write(t, b)

    def _runs(self, el, pbold, out) -> None:
        from docx.text.run import Run               # python-docx, as above

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
