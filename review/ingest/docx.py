"""Word (.docx, .docm, .dotx) into plain text with offsets for bold spans and heading levels.

DOCX rendering (best effort, documented here because downstream offsets depend on it):
  * body walked in document order: one paragraph per line, "\\n" between lines;
    content controls (w:sdt) are entered, tracked insertions kept, deletions dropped;
    of an mc:AlternateContent only the first mc:Choice is read (mc:Fallback when there
    is no Choice), never both;
  * hidden text (w:vanish on the run, its character style or its paragraph style) is
    skipped, as Word does not print it;
  * text boxes, headers/footers, footnotes and comments are NOT read (a warning says so).
    A file whose only text is in text boxes is refused with E117 (the user moves the
    text into the body), not read: text boxes come twice (DrawingML and VML) and in no
    reliable reading order;
  * tables: a row is one line with cells joined by "\\t" (paragraphs inside a cell
    joined by " "); a row with a single cell, or with a cell holding several
    paragraphs / a nested table, is written cell by cell as ordinary lines.
    Merged cells are written once (vertical-merge continuations are empty);
  * automatic list numbering (w:numPr) is rendered by docx_numbering. The label is only
    added when the paragraph text does not already start with a number;
  * bold_spans: runs whose effective bold (run > character style > paragraph
    style, following basedOn) is on; touching spans are merged;
  * heading_levels: line start -> level from a direct outline level, a
    "Heading N"/"标题 N" style name or a style outline level (basedOn followed);
  * at most MAX_CHARS characters: reading stops with E115 as soon as they are passed.
"""
from __future__ import annotations

from ..errors import ReviewError, make_error
from ..lang.zh.outline import NUMBERED_START
from .base import CharBudget, Ingested, too_much_text
from .docx_numbering import Numbering
from .docx_package import WORD_EXTS, open_word
from .docx_styles import Styles, outline_level
from .docx_xml import alternate_branch, int_or, mc, toggle, val, w


def read_docx(data: bytes, name: str, ext: str) -> Ingested:
    doc = None
    try:
        doc = open_word(data, name, ext)
        out = _DocxText(doc).render()
    except ReviewError:
        raise
    except Exception as e:
        raise make_error("E106", name, type(e).__name__) from None
    if not out.text.strip():
        if _has_text_box_text(doc.element.body):
            raise make_error("E117", name, name)
        raise make_error("E114", name, name)
    out.filename = name
    if ext not in WORD_EXTS:
        out.warnings.append(f"扩展名为 {ext or '(无)'}，内容是 Word 文档，已按 .docx 读取 (read as .docx)")
    return out


def _has_text_box_text(body) -> bool:
    return any("".join(t.itertext()).strip() for t in body.iter(w("txbxContent")))


_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# elements that hold blocks / cells / rows through a wrapper (content controls, custom XML)
_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml")}
_ALTERNATE = mc("AlternateContent")
# run containers inside a paragraph that must NOT be read
_SKIP_IN_P = {w("pPr"), w("del"), w("moveFrom"), w("sdtPr"), w("sdtEndPr"),
              "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",
              "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"}


def _children(el, tag: str):
    """Children named ``tag``, looking through sdt/customXml wrappers."""
    for c in el:
        if c.tag == tag:
            yield c
        elif c.tag in _WRAPPERS:
            yield from _children(c, tag)


def _merged_away(tc) -> bool:
    """True for the continuation part of a merged cell (its text lives in the first part)."""
    tcpr = tc.find(w("tcPr"))
    for tag in ("vMerge", "hMerge"):
        m = tcpr.find(w(tag)) if tcpr is not None else None
        if m is not None and m.get(w("val")) != "restart":
            return True
    return False


def _part_root(part, reltype: str):
    try:
        return part.part_related_by(_RELS + reltype).element
    except Exception:
        return None


class _DocxText:
    def __init__(self, doc):
        self.doc = doc
        self.buf: list[str] = []
        self.pos = 0
        self.lines = 0
        self.budget = CharBudget()
        self.pending = 0              # characters of the paragraph being collected
        self.bold: list[list[int]] = []
        self.headings: dict[int, int] = {}
        self.numbering = Numbering(_part_root(doc.part, "numbering"))
        self.styles = Styles(_part_root(doc.part, "styles"))

    def render(self) -> Ingested:
        body = self.doc.element.body
        warnings = []
        if next(body.iter(w("txbxContent")), None) is not None:
            warnings.append("文档含文本框，其中文字未读取 (text boxes were skipped)")
        if next(body.iter(w("ins"), w("del")), None) is not None:
            warnings.append("文档含修订痕迹，已按接受修订后的文字读取 (tracked changes accepted)")
        self.block(body)
        return Ingested("".join(self.buf), "", "docx", None,
                        [tuple(s) for s in self.bold], self.headings, warnings)

    # -- output
    def write(self, s: str, bold: bool = False) -> None:
        if not s:
            return
        self.budget.take(len(s))
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
            if c.tag == w("p"):
                self.newline()
                self.paragraph(c, top=True)
            elif c.tag == w("tbl"):
                self.table(c)
            elif c.tag in _WRAPPERS:
                self.block(c)
            elif c.tag == _ALTERNATE and (branch := alternate_branch(c)) is not None:
                self.block(branch)

    def table(self, tbl) -> None:
        for tr in _children(tbl, w("tr")):
            cells = [None if _merged_away(tc) else tc for tc in _children(tr, w("tc"))]
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
                for p in (_children(tc, w("p")) if tc is not None else ()):
                    if not "".join(p.itertext()).strip():
                        continue
                    if not first:
                        self.write(" ")
                    self.paragraph(p, top=False)
                    first = False

    @staticmethod
    def _complex(tc) -> bool:
        if next(tc.iter(w("tbl")), None) is not None:
            return True
        return sum(1 for p in tc.iter(w("p")) if "".join(p.itertext()).strip()) > 1

    # -- paragraphs
    def paragraph(self, p, top: bool) -> None:
        start = self.pos
        ppr = p.find(w("pPr"))
        pstyle = self.styles.props(val(ppr, "pStyle"))
        level = outline_level(ppr) or pstyle.level
        if top and level:
            self.headings[start] = level
        num = pstyle.num
        if ppr is not None and ppr.find(w("numPr")) is not None:
            num = (val(ppr, "numPr", "numId"), val(ppr, "numPr", "ilvl") or (num or (0, 0))[1])
        runs: list[tuple[str, bool]] = []
        self.pending = 0
        hidden = self._runs(p, pstyle, runs)
        if num is not None and (runs or not hidden):
            label = self.numbering.label(int_or(num[0], 0), int_or(num[1], 0) or 0)
            if label and not NUMBERED_START.match("".join(t for t, _ in runs)):
                self.write(label)
        for t, b in runs:
            self.write(t, b)

    def _runs(self, el, pstyle, out) -> bool:
        """Append the visible runs of ``el`` to ``out``; True if a hidden run was skipped."""
        from docx.text.run import Run               # python-docx, only for Word files

        hidden_seen = False
        for c in el:
            if c.tag == w("r"):
                rpr = c.find(w("rPr"))
                cstyle = self.styles.props(val(rpr, "rStyle"), "character")
                if _first(toggle(rpr, "vanish"), cstyle.hidden, pstyle.hidden):
                    hidden_seen = True
                    continue
                text = Run(c, self.doc).text
                if text:
                    out.append((text, bool(_first(toggle(rpr, "b"), cstyle.bold, pstyle.bold))))
                    self.pending += len(text)
                    if self.budget.used + self.pending > self.budget.limit:  # one huge paragraph
                        raise too_much_text(self.budget.used + self.pending)
            elif c.tag == _ALTERNATE:
                branch = alternate_branch(c)
                if branch is not None:
                    hidden_seen |= self._runs(branch, pstyle, out)
            elif isinstance(c.tag, str) and c.tag not in _SKIP_IN_P and c.tag != w("p"):
                hidden_seen |= self._runs(c, pstyle, out)  # hyperlink, ins, smartTag, sdt, fldSimple ...
        return hidden_seen


def _first(*values):
    """The first value that is set (not None)."""
    return next((v for v in values if v is not None), None)
