"""Paragraphs, headings and sentences with character offsets into the plain text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..lang.zh.outline import clean_heading, marker_of

SENT_END = "。！？!?；;"
_SENT_RE = re.compile(rf"[^{SENT_END}\n]*(?:[{SENT_END}]+[”’\"'」』）)]*(?:\*\*)?|\n|$)")
# inside a paragraph rejoined from hard-wrapped lines, a line break ends nothing
_SENT_RE_WRAPPED = re.compile(rf"[^{SENT_END}]*(?:[{SENT_END}]+[”’\"'」』）)]*(?:\*\*)?|$)")
_LINE_END = re.compile(r"[。！？!?；;：:”’\"'」』）)\]】]$|^\W*$")
_AREA_HEAD = re.compile(r"方面(的(问题|情况|差距))?[。：:]?$")
MAX_SENT = 400  # hard split of run-on "sentences" (keeps every later step linear)


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    marker: str | None = None     # kind of numbering marker, e.g. "cn", "cn_paren"
    md_heading: int = 0           # markdown "#" level, 0 if none
    bold: bool = False            # the paragraph is entirely bold (a heading line)
    title_end: int | None = None  # end offset of a bold or short run-in title, if any

    @property
    def is_heading_line(self) -> bool:
        """A line that is only a heading: markdown/bold, or numbered, short, one sentence at most."""
        if self.md_heading or self.bold:
            return True
        c = self.clean
        one_sentence = not re.search(r"[。；;！？!?]", c[:-1])
        return bool(self.marker) and one_sentence and (len(c) <= 40 or _AREA_HEAD.search(c) is not None)

    @property
    def clean(self) -> str:
        return clean_heading(self.text)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    para: int                      # index into the paragraph list
    is_title: bool = False         # a heading line or a run-in title
    marker: str | None = None
    extra: dict = field(default_factory=dict)


def split_paragraphs(text: str, bold_spans: list[tuple[int, int]] | None = None,
                     heading_levels: dict[int, int] | None = None) -> list[Paragraph]:
    """Non-empty lines. From a .docx: bold runs and Word heading styles (offset -> level)."""
    paras: list[Paragraph] = []
    bold_spans = bold_spans or []
    heading_levels = heading_levels or {}
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group(0)
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip())
        start, end = m.start() + lead, m.end() - (len(raw) - len(raw.rstrip()))
        body = text[start:end]
        p = Paragraph(start, end, body)
        md = re.match(r"^(#{1,6})\s", body)
        p.md_heading = len(md.group(1)) if md else heading_levels.get(start, heading_levels.get(m.start(), 0))
        p.marker = marker_of(body)
        stripped = body.lstrip("# ")
        if stripped.startswith("**"):
            close = stripped.find("**", 2)
            if close > 0:
                t_end = start + (len(body) - len(stripped)) + close + 2
                p.bold = t_end >= end - 1
                p.title_end = t_end
        for bs, be in bold_spans:   # .docx: bold runs from the file itself
            if bs <= start + 1 and be > start:
                p.bold = be >= end - 1
                p.title_end = min(be, end)
                break
        paras.append(p)
    return paras


def join_broken_lines(paras: list[Paragraph], text: str) -> list[Paragraph]:
    """Rejoin lines broken inside a sentence (text pasted from a web page or a PDF): a line
    that ends mid-sentence, below the title line with a comma inside or below the title block
    with at least 25 characters, continues on the next line unless that line opens a new item (a number, a
    heading or an indent)."""
    out: list[Paragraph] = []
    for p in paras:
        prev = out[-1] if out else None
        last = text[prev.start:prev.end].rsplit("\n", 1)[-1] if prev else ""
        if (prev is not None and not prev.md_heading and not prev.bold and not prev.is_heading_line
                and p.marker is None and not p.md_heading and not p.bold and not _LINE_END.search(last)
                and ((len(out) >= 2 and re.search(r"[，,]", last)) or (len(out) >= 3 and len(last) >= 25))
                and not _indented(text, p.start)
                and text[prev.end:p.start].count("\n") == 1):
            out[-1] = Paragraph(prev.start, p.end, text[prev.start:p.end], prev.marker, 0, False, prev.title_end)
            continue
        out.append(p)
    return out


def _indented(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return text[line_start:start] != "" and ("\u3000" in text[line_start:start] or start - line_start >= 2)


def split_sentences(text: str, paras: list[Paragraph]) -> list[Sentence]:
    out: list[Sentence] = []
    for i, p in enumerate(paras):
        heading_line = p.is_heading_line
        rx = _SENT_RE_WRAPPED if "\n" in p.text else _SENT_RE
        for m in rx.finditer(text, p.start, p.end):
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s or not re.search(r"\w", text[s:e]):
                continue
            for cs, ce, address in ((x, y, adr) for a, b, adr in _address_then_rest(text, s, e)
                                    for x, y in _hard_split(text, a, b)):
                is_first = cs == p.start or not out or out[-1].para != i
                # a bold run-in title counts as the typed one does (短, or an area heading), so
                # the same draft as .docx and as .txt has the same items
                run_in = p.title_end is not None and ce <= p.title_end + 2 and _title_sized(text[cs:ce])
                title = heading_line or run_in or address or (is_first and _is_run_in_title(text[cs:ce], p))
                out.append(Sentence(cs, ce, text[cs:ce], i, title, p.marker if is_first else None))
    return out


def _title_sized(sent: str) -> bool:
    c = clean_heading(sent)
    return len(c) <= 40 or _AREA_HEAD.search(c) is not None


def _is_run_in_title(sent: str, p: Paragraph) -> bool:
    """A numbered lead sentence opening a longer paragraph: short ("一是学习系统性不够。")
    or an area heading ending in 方面 ("（一）带头……方面。")."""
    c = clean_heading(sent)
    return bool(p.marker) and (len(c) <= 40 or _AREA_HEAD.search(c) is not None) and (p.end - p.start) > len(sent) + 10


# "对王某某同志（县长）：" run into the criticism that follows it: the address is a title
_ADDRESS = re.compile(r"(?:[一二三四五六七八九十\d]{1,2}[、.．]\s*)?(?:对|给|致)?[^，,。：:；\n]{1,10}同志"
                      r"(?:（[^）]{0,24}）|\([^)]{0,24}\))?(?:提的|的)?(?:批评意见|意见)?[：:]")


def _address_then_rest(text: str, s: int, e: int):
    m = _ADDRESS.match(text, s, e)
    if m and m.end() < e and re.search(r"\w", text[m.end():e]):
        rest = m.end()
        while rest < e and text[rest].isspace():
            rest += 1
        yield s, m.end(), True
        yield rest, e, False
    else:
        yield s, e, False


def _hard_split(text: str, s: int, e: int):
    """Cut sentences longer than MAX_SENT at a comma (or anywhere), so work stays linear."""
    while e - s > MAX_SENT:
        window = text[s + MAX_SENT // 2: s + MAX_SENT]
        cut = max(window.rfind("，"), window.rfind(","), window.rfind("："))
        cut = s + MAX_SENT // 2 + cut + 1 if cut >= 0 else s + MAX_SENT
        yield s, cut
        s = cut
    if e > s:
        yield s, e
