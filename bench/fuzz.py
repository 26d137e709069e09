"""Fuzz `review check FILE` (a script, also driven by tests/test_fuzz.py).

Mutated inputs are made from the bundled samples (samples/*.txt, README.md) and from
.docx, .pdf and .zip versions of them built here, with a fixed seed: input ``i`` is made
by ``random.Random(f"{seed}-{i}")`` alone, so one input can be made again by its index.

  * byte level, on any format: bit flips, truncation, chunk duplication / deletion,
    insertion or overwriting of random and "interesting" bytes, control characters,
    invalid UTF-8, BOMs, other formats' magic bytes, splices of two formats;
  * .txt: GBK, Big5, GB18030, UTF-16 LE/BE with and without BOM, UTF-32, mixed
    encodings, very long lines, many lines, zero-width characters, odd line breaks
    (U+2028, NEL, \\x1c, \\v, \\f, CR), markdown, outline numbering, odd Unicode;
  * .docx: w:t texts and attribute values, numbering.xml (huge w:start, every numFmt,
    odd lvlText), deleted / duplicated members, [Content_Types].xml, relationships,
    styles (basedOn cycles), tables, nesting, entities (billion laughs, XXE), Strict
    OOXML, text boxes, lying zip directory sizes, extreme compression ratios (files on
    disk kept under ~20 MB), many paragraphs, bytes of the XML members;
  * .pdf (written by hand, CJK text via a ToUnicode CMap): page counts, broken xref,
    huge numbers, page-tree loops, deep nesting, Flate bombs, stream lengths, many pages,
    garbage /Encrypt and CMaps;
  * .zip: archives holding a few of the above, nested, odd member names, many members.

Each input is reviewed IN-PROCESS by one of ``--workers`` worker processes (forked after
the parent has loaded the pipeline once), which calls
``review.cli.main(["check", path, "--format", "json"])`` with sys.stdout/sys.stderr and
file descriptors 1/2 captured. Watchdog: the parent gives each input ``--timeout``
seconds (10); a worker still busy then is killed (SIGKILL, by its pid), the input is
counted as a hang and a fresh worker is forked. A second before the kill the worker's
faulthandler writes its stack, so a hang names the function it hung in. An E900 keeps
the traceback of the exception behind it (``review.cli.internal_error`` is wrapped in
the worker), so every failure names the module it points at. Workers run with an
address-space cap (``--mem-gb`` above what they already use), so an input that wants
the whole machine shows as a MemoryError instead of the OOM killer.

A failure is: a traceback (text "Traceback" in stdout/stderr, or an exception escaping
``main``), exit 3 or "[E900]", a hang, more than one stderr line, an exit code other
than 0/1/2, a worker crash, exit 2 without one "review: FILE: [E1xx] …" line, stderr
output or non-JSON stdout with exit 0/1, or a local file's content in the report (XXE).

Usage: python bench/fuzz.py [--n 2000] [--seed 0] [--mode rules|combined] [--keep DIR]
                            [--only KIND] [--log FILE.jsonl] [--workers 2] [--timeout 10]

Prints one summary line

    fuzz: N inputs in S s, failures F (tracebacks T, exit3 X, hangs H, multiline K), slowest Ms

then the first failures with their kind; exits 1 if there is any failure.
"""
from __future__ import annotations

import argparse
import codecs
import contextlib
import hashlib
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MAX_FILE = 20 * 1024 * 1024          # the readers' own cap: stay a little under/over it
FIXED_DATE = (2024, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

INTERESTING = [
    b"\x00", b"\xff", b"\x7f", b"\x80", b"\xfe\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00",
    b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe4\xb8", b"\xf0\x9f", b"\x1a", b"\r", b"\r\n",
    b"\x0b", b"\x0c", b"\x1c", b"\x1e", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xe2\x80\x8b",
    b"\xe2\x80\xae", b"\xef\xbf\xbf", b"PK\x03\x04", b"PK\x05\x06", b"PK\x01\x02", b"%PDF-1.7\n", b"%%EOF",
    OLE_MAGIC, b"{\\rtf1", b"\x89PNG", b"\x1f\x8b", b"<", b">", b"&", b"&amp;", b"&#0;", b"]]>",
    b"<!DOCTYPE x [<!ENTITY a 'aa'>]>", b"99999999999999999999", b"-1", b"0", b"2147483648",
    b"4294967295", b"18446744073709551616", b"1e308", b"NaN", b" obj ", b"endobj", b"stream\r\n",
    b"endstream", b" 0 R", b"<<", b">>", b"[", b"]", b"(", b")", b"\\", b"%1", "一、".encode(),
    "（一）".encode(), "\u3000".encode(), "一是".encode(), "①".encode(), b"**", b"# ", b"\n\n\n",
]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202e", "\u034f"]
ODD_BREAKS = ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c", "\r", "\r\n", "\n\r"]
ODD_CHARS = ["\U0001F600", "\U00020000", "\U0002A6D6", "\ue000", "\ufffd", "\ufffe", "\u0301", "\u3000",
             "\uff0c", "\u00a0", "\t", "\u2003", "<script>alert(1)</script>", "&lt;b&gt;", "%s%n", "{0}",
             "\\", "\"", "'", "[[", "]]", "**", "#", "一、", "（一）", "1.", "（1）", "一是", "第一", "①"]
NUMBERS = ["", "-1", "0", "1", "9", "10", "255", "256", "65535", "2147483647", "2147483648", "-2147483649",
           "4294967296", "99999999999999999999", "1" + "0" * 400, "1e308", "-1e308", "NaN", "inf", "abc", "%1",
           "true", "false", "restart", "continue", "0x10", " 1", "1.5", "9" * 5000]
NUM_FMTS = ["decimal", "upperLetter", "lowerLetter", "upperRoman", "lowerRoman", "chineseCounting",
            "chineseCountingThousand", "ideographTraditional", "decimalEnclosedCircle", "decimalZero",
            "decimalFullWidth", "bullet", "none", "ordinal", "cardinalText", "", "bogus"]
LVL_TEXTS = ["%1、", "（%1）", "%1.", "%1.%2.", "%1.%2.%3.%4.%5.%6.%7.%8.%9", "%1" * 3000, "", " ", "%0",
             "%10", "%", "%%1", "第%1条", "%9", "\u200b%1", None]
STARTS = [0, 1, -1, -5, 26, 27, 3999, 4000, 10 ** 5, 10 ** 6, 10 ** 9, 2 ** 31, 2 ** 63, 10 ** 18, 10 ** 30]


# ----------------------------------------------------------------------------- bases

@dataclass
class Bases:
    texts: dict[str, str]                       # sample name -> text
    txt: dict[str, bytes] = field(default_factory=dict)
    docx: dict[str, bytes] = field(default_factory=dict)
    pdf: dict[str, bytes] = field(default_factory=dict)
    zip: dict[str, bytes] = field(default_factory=dict)

    def any(self, rng: random.Random) -> tuple[str, str, bytes]:
        fmt = rng.choice(["txt", "txt", "docx", "docx", "pdf", "zip"])
        pool = getattr(self, fmt)
        name = rng.choice(sorted(pool))
        return fmt, name, pool[name]


def rezip(members: list[tuple[str, bytes]], compression=zipfile.ZIP_DEFLATED, level: int | None = 6,
          comment: bytes = b"") -> bytes:
    """A zip with fixed dates (deterministic bytes); duplicate names are kept."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, warnings_off():
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            zi.compress_type = compression
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data, compress_type=compression, compresslevel=level)
        zf.comment = comment
    return buf.getvalue()


@contextlib.contextmanager
def warnings_off():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


_CN_HEAD = re.compile(r"^[一二三四五六七八九十]+、")
_CN_SUB = re.compile(r"^（[一二三四五六七八九十]+）")
_NUM_ITEM = re.compile(r"^\d+[.．、]")


def build_docx(text: str) -> bytes:
    """The sample as Word: title heading, 一、 parts as headings or automatic numbering,
    （一） run-in bold titles, 1. items as List Number, and a table of measures."""
    import datetime

    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    cp = d.core_properties
    cp.created = cp.modified = datetime.datetime(2024, 1, 1)
    cp.last_modified_by, cp.revision = "fuzz", 1
    root = d.part.numbering_part.element
    root.insert(0, parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>'))
    root.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines:
        d.add_heading(lines[0], level=1)
    for k, line in enumerate(lines[1:]):
        if _CN_HEAD.match(line):
            if k % 2:
                p = d.add_paragraph(_CN_HEAD.sub("", line))
                p._p.get_or_add_pPr().append(parse_xml(
                    f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
            else:
                d.add_heading(line, level=2)
        elif _CN_SUB.match(line):
            head, sep, rest = line.partition("。")
            p = d.add_paragraph()
            p.add_run(head + sep).bold = True
            if rest:
                p.add_run(rest)
        elif _NUM_ITEM.match(line):
            d.add_paragraph(_NUM_ITEM.sub("", line), style="List Number")
        else:
            d.add_paragraph(line)
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "问题", "整改措施"
    t.cell(1, 0).text, t.cell(1, 1).text = "学习不深", "每月参加1次集中学习"
    t.cell(2, 0).merge(t.cell(2, 1)).text = "12月底前完成整改"
    buf = io.BytesIO()
    d.save(buf)
    return rezip(unzip(buf.getvalue()))


_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
         b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
         b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> "
         b"endbfrange endcmap CMapName currentdict /CMap defineresource pop end end")


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def pdf_objects(pages: list[list[str]]) -> dict[int, bytes]:
    """Objects of a text PDF: a Type0 font with Identity-H and a ToUnicode CMap, so the
    Chinese text is extracted as written. Object 1 catalog, 2 pages, 3-5 font."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
               b"/DescendantFonts [5 0 R] /ToUnicode 4 0 R >>",
            4: _stream(_CMAP),
            5: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
               b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>"}
    kids = []
    for i, lines in enumerate(pages):
        pid, cid = 6 + 2 * i, 7 + 2 * i
        kids.append(b"%d 0 R" % pid)
        body = b" ".join(b"<" + ln.encode("utf-16-be", "replace").hex().encode() + b"> Tj T*" for ln in lines)
        objs[cid] = _stream(b"BT /F1 10 Tf 12 TL 40 800 Td " + body + b" ET")
        objs[pid] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                     b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % cid)
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    return objs


def pdf_serialize(objs: dict[int, bytes], *, trailer_extra: bytes = b"", xref_shift: int = 0,
                  startxref: bytes | None = None, xref: bool = True, size: int | None = None) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for oid in sorted(objs):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (oid, objs[oid])
    xref_at = len(out)
    n = (max(objs) + 1) if objs else 1
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % n
        for oid in range(1, n):
            out += b"%010d 00000 n \n" % (offsets.get(oid, 0) + xref_shift)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%s\n%%%%EOF\n" % (
        size if size is not None else n, trailer_extra, startxref if startxref is not None else b"%d" % xref_at)
    return bytes(out)


def text_pages(text: str, per_page: int = 30, width: int = 40) -> list[list[str]]:
    lines = []
    for ln in text.splitlines():
        while len(ln) > width:
            lines.append(ln[:width])
            ln = ln[width:]
        lines.append(ln)
    return [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[""]]


def load_bases() -> Bases:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))}
    b = Bases(texts)
    for name, text in texts.items():
        b.txt[name] = text.encode("utf-8")
        b.docx[name] = build_docx(text)
        b.pdf[name] = pdf_serialize(pdf_objects(text_pages(text)))
    readme = ROOT / "samples" / "README.md"
    if readme.exists():
        b.txt["README"] = readme.read_bytes()
    names = sorted(texts)
    b.zip["mixed"] = rezip([(f"{names[0]}.txt", b.txt[names[0]]), (f"{names[1 % len(names)]}.docx",
                            b.docx[names[1 % len(names)]]), (f"{names[2 % len(names)]}.pdf", b.pdf[names[2 % len(names)]])])
    b.zip["docx-only"] = rezip([(f"成员/{n}.docx", b.docx[n]) for n in names[:3]])
    return b


# ----------------------------------------------------------------------------- byte level

def _pos(rng, data):
    return rng.randrange(len(data) + 1) if data else 0


def m_bitflip(rng, data):
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 8, 32, 256])):
        if b:
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def m_truncate(rng, data):
    if not data:
        return data
    how = rng.random()
    if how < 0.1:
        return data[: rng.choice([1, 2, 3, 4, 8, 16, 64])]
    if how < 0.2:
        return data[: len(data) - rng.choice([1, 2, 22, 100])]
    return data[: rng.randrange(len(data))]


def m_dup(rng, data):
    if not data:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.choice([1, 16, 256, 4096, 65536]))
    reps = rng.choice([1, 2, 10, 100, 1000])
    chunk = data[a:b] * reps
    chunk = chunk[: MAX_FILE - len(data) + 1024]
    p = _pos(rng, data)
    return data[:p] + chunk + data[p:]


def m_delete(rng, data):
    if not data:
        return data
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.choice([1, 8, 256, 4096, len(data)]):]


def m_insert_random(rng, data):
    for _ in range(rng.choice([1, 3, 10])):
        p = _pos(rng, data)
        data = data[:p] + rng.randbytes(rng.choice([1, 4, 64, 512])) + data[p:]
    return data


def m_insert_interesting(rng, data):
    for _ in range(rng.choice([1, 2, 8, 32])):
        p = _pos(rng, data)
        tok = rng.choice(INTERESTING)
        if rng.random() < 0.5:
            data = data[:p] + tok + data[p:]
        else:
            data = data[:p] + tok + data[p + len(tok):]
    return data


def m_ctrl(rng, data):
    k = rng.choice([1, 5, 50, max(1, len(data) // 200), max(1, len(data) // 50)])
    b = bytearray(data)
    for _ in range(k):
        b.insert(_pos(rng, b), rng.choice(list(range(0, 32)) + [127]))
    return bytes(b)


def m_bad_utf8(rng, data):
    bad = [b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf",
           b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xfe", b"\xff", b"\xe4\xb8", b"\xf0\x9f\x98"]
    for _ in range(rng.choice([1, 3, 30])):
        p = _pos(rng, data)
        data = data[:p] + rng.choice(bad) + data[p:]
    return data


BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE,
        codecs.BOM_UTF8 * 2, codecs.BOM_UTF8 + codecs.BOM_UTF16_LE, b"\x2b\x2f\x76\x38", b"\x84\x31\x95\x33"]


def m_bom(rng, data):
    bom = rng.choice(BOMS)
    where = rng.random()
    if where < 0.6:
        return bom + data
    if where < 0.8:
        p = _pos(rng, data)
        return data[:p] + bom + data[p:]
    return data + bom


def m_magic(rng, data):
    magic = rng.choice([b"PK\x03\x04", b"%PDF-1.4\n", OLE_MAGIC, b"{\\rtf1", b"\x89PNG", b"GIF89a", b"Rar!",
                        b"\x1f\x8b", b"7z\xbc\xaf", b"  \n\t%PDF", b"PK\x05\x06" + bytes(18)])
    return magic + data[len(magic) if rng.random() < 0.5 else 0:]


def m_splice(rng, data, bases: Bases):
    _, _, other = bases.any(rng)
    return data[: _pos(rng, data)] + other[_pos(rng, other):]


BYTE_MUTATORS = {"bitflip": m_bitflip, "truncate": m_truncate, "dup": m_dup, "delete": m_delete,
                 "insert-random": m_insert_random, "insert-interesting": m_insert_interesting,
                 "ctrl": m_ctrl, "bad-utf8": m_bad_utf8, "bom": m_bom, "magic": m_magic}

EXT = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf", "zip": ".zip"}
ODD_EXTS = [".txt", ".md", ".docx", ".pdf", ".doc", ".wps", ".docm", ".zip", "", ".TXT", ".DocX", ".xlsx", ".rtf",
            ".txt.docx", ".markdown"]


def g_bytes(rng, bases: Bases):
    fmt, _, data = bases.any(rng)
    name = rng.choice(sorted(BYTE_MUTATORS) + ["splice"])
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        data = m_splice(rng, data, bases) if name == "splice" else BYTE_MUTATORS[name](rng, data)
    ext = EXT[fmt] if rng.random() < 0.85 else rng.choice(ODD_EXTS)
    return f"{fmt}-bytes.{name}", ext, data


# ----------------------------------------------------------------------------- .txt

def _text(rng, bases):
    return bases.texts[rng.choice(sorted(bases.texts))]


def g_txt(rng, bases: Bases):
    text = _text(rng, bases)
    how = rng.choice(["gbk", "big5", "gb18030", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf32",
                      "utf8-bom", "mixed-enc", "longline", "manylines", "zerowidth", "breaks", "markdown",
                      "outline", "unicode", "huge", "tiny", "whitespace", "repeat-lines"])
    ext = ".md" if how == "markdown" or rng.random() < 0.1 else ".txt"
    if how == "gbk":
        data = text.encode("gbk", "replace")
    elif how == "big5":
        data = text.encode("big5", "replace")
    elif how == "gb18030":
        data = (text + "".join(rng.choice(["\u20ac", "\U00020000", "\u00e9", "\u30a2", "\uac00"]) for _ in range(50))
                ).encode("gb18030")
    elif how == "utf16le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif how == "utf16be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    elif how == "utf16le":
        data = text.encode("utf-16-le")
    elif how == "utf16be":
        data = text.encode("utf-16-be")
    elif how == "utf32":
        data = text.encode(rng.choice(["utf-32", "utf-32-le", "utf-32-be"]))
    elif how == "utf8-bom":
        data = codecs.BOM_UTF8 + text.encode("utf-8")
    elif how == "mixed-enc":
        cut = rng.randrange(len(text))
        encs = ["utf-8", "gbk", "utf-16-le", "big5"]
        data = text[:cut].encode(rng.choice(encs), "replace") + text[cut:].encode(rng.choice(encs), "replace")
    elif how == "longline":
        body = text.replace("\n", rng.choice(["", "，", " "]))
        target = rng.choice([20_000, 200_000, 1_000_000, 3_000_000])
        data = (body * (target // max(1, len(body)) + 1))[:target].encode("utf-8")
    elif how == "manylines":
        lines = text.splitlines()
        k = rng.choice([5_000, 50_000, 200_000])
        data = "\n".join(rng.choice(lines)[: rng.choice([0, 1, 3, 20, 200])] for _ in range(k)).encode("utf-8")
    elif how == "zerowidth":
        zw = rng.choice(ZERO_WIDTH)
        rate = rng.choice([0.01, 0.2, 1.0])
        data = "".join(c + (zw if rng.random() < rate else "") for c in text).encode("utf-8")
    elif how == "breaks":
        br = rng.choice(ODD_BREAKS)
        data = text.replace("\n", br).encode(rng.choice(["utf-8", "utf-8", "gb18030"]), "replace")
    elif how == "markdown":
        out = []
        for ln in text.splitlines():
            r = rng.random()
            if _CN_HEAD.match(ln) or r < 0.05:
                out.append("#" * rng.choice([1, 2, 3, 6, 7, 40]) + " " + ln)
            elif _CN_SUB.match(ln):
                head, sep, rest = ln.partition("。")
                out.append(f"**{head}{sep}**{rest}" if rng.random() < 0.8 else f"**{ln}")
            elif r < 0.1:
                out.append(rng.choice(["- ", "* ", "> ", "1. ", "```", "---", "| a | b |", "<div>"]) + ln)
            else:
                out.append(ln)
        data = "\n".join(out).encode("utf-8")
    elif how == "outline":
        marks = ["一、", "（一）", "1.", "（1）", "一是", "第一", "①", "1、", "(1)", "1）", "一．", "二十、", "九十九、",
                 "（一百）", "第一百零一", "⑳", "㉑", "Ⅰ.", "A.", "a)"]
        lines = text.splitlines()
        out = [rng.choice(marks) * rng.choice([1, 1, 2, 50]) + (rng.choice(lines) if rng.random() < 0.7 else "")
               for _ in range(rng.choice([10, 200, 3000]))]
        data = "\n".join(out).encode("utf-8")
    elif how == "unicode":
        data = "".join(c + (rng.choice(ODD_CHARS) if rng.random() < 0.05 else "") for c in text).encode(
            "utf-8", "surrogatepass")
    elif how == "huge":
        target = rng.choice([5 * 1024 * 1024, MAX_FILE - 1000, MAX_FILE + 1000])
        raw = text.encode("utf-8")
        data = (raw * (target // len(raw) + 1))[:target]
    elif how == "tiny":
        data = rng.choice(["一", "。", "一、", "\n", " ", "问题", "一、存在的主要问题", "a", "\ufeff", "\u3000"]).encode(
            rng.choice(["utf-8", "utf-16", "gbk"]), "replace")
    elif how == "whitespace":
        data = "".join(rng.choice([" ", "\t", "\n", "\u3000", "\u00a0", "\r\n", "\u200b"]) for _ in range(
            rng.choice([1, 100, 10000]))).encode("utf-8")
    else:  # repeat-lines: the same sentence many times (copy detection, dedup paths)
        ln = rng.choice([s for s in text.splitlines() if s.strip()] or ["一"])
        data = ("\n".join([ln] * rng.choice([100, 2000, 20000]))).encode("utf-8")
    return f"txt.{how}", ext, data


# ----------------------------------------------------------------------------- .docx

def _members(bases, rng):
    return unzip(bases.docx[rng.choice(sorted(bases.docx))])


def _get(members, name):
    for n, d in members:
        if n == name:
            return d
    return None


def _set(members, name, data):
    out, done = [], False
    for n, d in members:
        if n == name and not done:
            out.append((n, data))
            done = True
        else:
            out.append((n, d))
    if not done:
        out.append((name, data))
    return out


def _docx_body(paras_xml: str, extra_ns: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"{extra_ns}><w:body>{paras_xml}'
            '<w:sectPr/></w:body></w:document>').encode("utf-8")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _p(text: str, ppr: str = "", bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}<w:r>{rpr}<w:t xml:space=\"preserve\">{_esc(text)}</w:t></w:r></w:p>"


def _sample_lines(rng, bases, k):
    lines = [ln for ln in _text(rng, bases).splitlines() if ln.strip()]
    return [rng.choice(lines) for _ in range(k)]


_WT = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
_ATTR = re.compile(rb'(w:[A-Za-z]+=")([^"]*)(")')


def d_text(rng, bases, m):
    doc = _get(m, "word/document.xml")
    hits = list(_WT.finditer(doc))
    picks = set(rng.sample(range(len(hits)), k=min(len(hits), rng.choice([1, 5, 50, len(hits)]))))
    choice = rng.choice(["zerowidth", "odd", "ctrl-ref", "ctrl-raw", "long", "empty", "breaks", "escaped", "outline"])

    def new(old: bytes) -> bytes:
        s = old.decode("utf-8", "replace")
        if choice == "zerowidth":
            return "".join(c + rng.choice(ZERO_WIDTH) for c in s).encode()
        if choice == "odd":
            return _esc(s + rng.choice(ODD_CHARS) * rng.choice([1, 10])).encode("utf-8", "surrogatepass")
        if choice == "ctrl-ref":
            return s.encode() + b"&#%d;" % rng.choice([0, 1, 8, 11, 12, 27, 31, 0xFFFE, 0x110000])
        if choice == "ctrl-raw":
            return s.encode() + bytes([rng.choice([1, 8, 11, 12, 27, 31])])
        if choice == "long":
            return (s * rng.choice([100, 1000, 20000])).encode()[: 8 * 1024 * 1024]
        if choice == "empty":
            return b"" if rng.random() < 0.5 else b"   "
        if choice == "breaks":
            return _esc(s.replace("，", rng.choice(ODD_BREAKS))).encode("utf-8")
        if choice == "escaped":
            return b"&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;" + s.encode()
        return _esc(rng.choice(["一、", "（一）", "1.", "一是", "第一", "①"]) + s).encode()

    out, last = bytearray(), 0
    for i, h in enumerate(hits):
        out += doc[last:h.start(2)]
        out += new(h.group(2)) if i in picks else h.group(2)
        last = h.end(2)
    out += doc[last:]
    return f"text-{choice}", _set(m, "word/document.xml", bytes(out))


def d_attr(rng, bases, m):
    part = rng.choice(["word/document.xml", "word/document.xml", "word/styles.xml", "word/numbering.xml",
                       "word/settings.xml"])
    data = _get(m, part) or b""
    hits = list(_ATTR.finditer(data))
    if not hits:
        return "attr-none", m
    picks = set(rng.sample(range(len(hits)), k=min(len(hits), rng.choice([1, 3, 20, 200]))))
    out, last = bytearray(), 0
    for i, h in enumerate(hits):
        out += data[last:h.start(2)]
        out += _esc(rng.choice(NUMBERS)).encode() if i in picks else h.group(2)
        last = h.end(2)
    out += data[last:]
    return f"attr-{part.split('/')[-1].split('.')[0]}", _set(m, part, bytes(out))


def d_numbering(rng, bases, m):
    lvls = []
    for ilvl in range(9):
        start = rng.choice(STARTS)
        fmt = rng.choice(NUM_FMTS)
        text = rng.choice(LVL_TEXTS)
        lt = "" if text is None else f'<w:lvlText w:val="{_esc(text)}"/>'
        lvls.append(f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{lt}'
                    f'<w:suff w:val="{rng.choice(["nothing", "tab", "space"])}"/></w:lvl>')
    over = ""
    if rng.random() < 0.4:
        over = "".join(f'<w:lvlOverride w:ilvl="{rng.choice([0, 1, 8, 9, -1, 99999])}">'
                       f'<w:startOverride w:val="{rng.choice(STARTS)}"/></w:lvlOverride>' for _ in range(3))
    numbering = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W_NS}">'
                 f'<w:abstractNum w:abstractNumId="7">{"".join(lvls)}</w:abstractNum>'
                 f'<w:num w:numId="5"><w:abstractNumId w:val="7"/>{over}</w:num>'
                 f'<w:num w:numId="6"><w:abstractNumId w:val="{rng.choice(["7", "99", "", "-1"])}"/></w:num>'
                 '</w:numbering>').encode()
    paras = []
    for line in _sample_lines(rng, bases, rng.choice([5, 30, 300, 2000])):
        ilvl = rng.choice(["0", "0", "1", "2", "8", "9", "-1", "99999999999", ""])
        num = rng.choice(["5", "5", "5", "6", "0", "77", "-1", "99999999999999999999"])
        paras.append(_p(line, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'))
    m = _set(m, "word/numbering.xml", numbering)
    return "numbering", _set(m, "word/document.xml", _docx_body("".join(paras)))


def d_del_member(rng, bases, m):
    names = [n for n, _ in m]
    victim = rng.choice(names + ["word/document.xml", "[Content_Types].xml", "_rels/.rels"])
    return f"del-{victim.strip('[]').replace('/', '_')}", [(n, d) for n, d in m if n != victim]


def d_dup_member(rng, bases, m):
    n, d = rng.choice(m)
    if rng.random() < 0.5:
        d = _get(_members(bases, rng), n) or d          # a duplicate name with other content
    m = list(m)
    m.insert(rng.randrange(len(m) + 1), (n, d))
    return "dup-member", m


CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def d_content_types(rng, bases, m):
    ct = _get(m, "[Content_Types].xml").decode()
    how = rng.choice(["empty", "garbage", "macro", "template", "text", "no-override", "no-default", "huge"])
    if how == "empty":
        new = ""
    elif how == "garbage":
        new = "<Types><Default Extension=\"xml\" ContentType=\"\"/>\x00"
    elif how == "macro":
        new = ct.replace(CT_MAIN, "application/vnd.ms-word.document.macroEnabled.main+xml")
    elif how == "template":
        new = ct.replace(CT_MAIN, "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")
    elif how == "text":
        new = ct.replace(CT_MAIN, "text/plain")
    elif how == "no-override":
        new = re.sub(r'<Override PartName="/word/document.xml"[^>]*/>', "", ct)
    elif how == "no-default":
        new = re.sub(r"<Default [^>]*/>", "", ct)
    else:
        new = ct.replace("</Types>", "".join(f'<Override PartName="/x{i}.xml" ContentType="a/b"/>'
                                             for i in range(20000)) + "</Types>")
    return f"content-types-{how}", _set(m, "[Content_Types].xml", new.encode())


def d_rels(rng, bases, m):
    name = "word/_rels/document.xml.rels"
    rels = (_get(m, name) or b"").decode()
    how = rng.choice(["empty", "no-styles", "no-numbering", "abs-target", "up-target", "external", "dup-ids",
                      "self", "garbage"])
    if how == "empty":
        new = ""
    elif how == "no-styles":
        new = re.sub(r"<Relationship [^>]*styles\.xml\"/>", "", rels)
    elif how == "no-numbering":
        new = re.sub(r"<Relationship [^>]*numbering\.xml\"/>", "", rels)
    elif how == "abs-target":
        new = rels.replace('Target="numbering.xml"', 'Target="/etc/passwd"')
    elif how == "up-target":
        new = rels.replace('Target="styles.xml"', 'Target="../../../../../../etc/passwd"')
    elif how == "external":
        new = rels.replace('Target="numbering.xml"', 'Target="http://127.0.0.1:9/x" TargetMode="External"')
    elif how == "dup-ids":
        new = re.sub(r'Id="rId\d+"', 'Id="rId1"', rels)
    elif how == "self":
        new = rels.replace('Target="styles.xml"', 'Target="document.xml"')
    else:
        new = "<Relationships><Relationship Id=\"rId1\"/>"
    return f"rels-{how}", _set(m, name, new.encode())


def d_styles(rng, bases, m):
    how = rng.choice(["cycle", "self", "outline", "missing", "many"])
    ids = [f"S{i}" for i in range(rng.choice([2, 5, 50]))]
    styles = []
    for i, sid in enumerate(ids):
        based = {"cycle": ids[(i + 1) % len(ids)], "self": sid}.get(how, ids[i - 1] if i else "")
        outline = rng.choice(NUMBERS) if how == "outline" else str(rng.choice([0, 1, 8, 9]))
        name = rng.choice(["Heading 1", "heading 9", "标题 3", "Heading 99", "", "Normal", "Title", sid])
        styles.append(f'<w:style w:type="{rng.choice(["paragraph", "character", "table", "x"])}" w:styleId="{sid}">'
                      f'<w:name w:val="{name}"/>' + (f'<w:basedOn w:val="{based}"/>' if based else "")
                      + f'<w:pPr><w:outlineLvl w:val="{_esc(outline)}"/>'
                      + ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>' if rng.random() < 0.3 else "")
                      + '</w:pPr><w:rPr><w:b w:val="' + rng.choice(["1", "0", "true", "x", ""]) + '"/></w:rPr></w:style>')
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">'
           + "".join(styles) + "</w:styles>").encode()
    paras = []
    for line in _sample_lines(rng, bases, rng.choice([10, 100, 1000])):
        sid = rng.choice(ids + ["Missing", ""])
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="{sid}"/></w:pPr><w:r><w:rPr><w:rStyle w:val="{rng.choice(ids)}"/>'
                     f'</w:rPr><w:t>{_esc(line)}</w:t></w:r></w:p>')
    m = _set(m, "word/styles.xml", xml)
    return f"styles-{how}", _set(m, "word/document.xml", _docx_body("".join(paras)))


def d_table(rng, bases, m):
    how = rng.choice(["wide", "gridspan", "vmerge", "nested", "empty-cells", "many-rows"])
    lines = _sample_lines(rng, bases, 50)

    def tc(text, pr=""):
        return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{_p(text)}</w:tc>"
    if how == "wide":
        rows = ["<w:tr>" + "".join(tc(rng.choice(lines)) for _ in range(rng.choice([50, 1000, 5000]))) + "</w:tr>"]
    elif how == "gridspan":
        rows = ["<w:tr>" + "".join(tc(rng.choice(lines), f'<w:gridSpan w:val="{rng.choice(NUMBERS)}"/>')
                                   for _ in range(5)) + "</w:tr>" for _ in range(10)]
    elif how == "vmerge":
        rows = ["<w:tr>" + "".join(tc(rng.choice(lines), rng.choice(['<w:vMerge/>', '<w:vMerge w:val="restart"/>',
                                   '<w:hMerge/>', '<w:vMerge w:val="continue"/>', '<w:vMerge w:val="x"/>', ""]))
                                   for _ in range(4)) + "</w:tr>" for _ in range(30)]
    elif how == "nested":
        depth = rng.choice([5, 30, 60, 100])
        inner = _p(rng.choice(lines))
        for _ in range(depth):
            inner = f"<w:tbl><w:tr><w:tc>{inner}{_p(rng.choice(lines))}</w:tc><w:tc>{_p('x')}</w:tc></w:tr></w:tbl>"
        rows = None
        body = inner
    elif how == "empty-cells":
        rows = ["<w:tr>" + "<w:tc/>" * 5 + "</w:tr>" for _ in range(1000)]
    else:
        rows = ["<w:tr>" + tc(rng.choice(lines)) + tc(rng.choice(lines)) + "</w:tr>" for _ in range(20000)]
    if rows is not None:
        body = "<w:tbl>" + "".join(rows) + "</w:tbl>"
    return f"table-{how}", _set(m, "word/document.xml", _docx_body(_p(lines[0]) + body))


def d_nesting(rng, bases, m):
    how = rng.choice(["sdt", "hyperlink", "ins", "customXml", "smartTag"])
    depth = rng.choice([10, 100, 250, 300, 1000, 20000])
    lines = _sample_lines(rng, bases, 20)
    if how in ("sdt", "customXml"):
        inner = "".join(_p(t) for t in lines)
        for _ in range(depth):
            inner = (f"<w:sdt><w:sdtPr/><w:sdtContent>{inner}</w:sdtContent></w:sdt>" if how == "sdt"
                     else f'<w:customXml w:element="x">{inner}</w:customXml>')
        body = inner
    else:
        inner = f"<w:r><w:t>{_esc(lines[0])}</w:t></w:r>"
        tag = {"hyperlink": "w:hyperlink", "ins": 'w:ins w:id="1" w:author="a"', "smartTag": "w:smartTag"}[how]
        close = tag.split()[0]
        for _ in range(depth):
            inner = f"<{tag}>{inner}</{close}>"
        body = "".join(_p(t) for t in lines) + f"<w:p>{inner}</w:p>"
    return f"nest-{how}", _set(m, "word/document.xml", _docx_body(body))


def d_entities(rng, bases, m):
    how = rng.choice(["laughs", "xxe-file", "xxe-param", "internal", "quadratic"])
    line = _esc(_sample_lines(rng, bases, 1)[0])
    if how == "laughs":
        ents = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
            f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10))
        dtd, use = f"<!DOCTYPE w:document [{ents}]>", "&a9;"
    elif how == "xxe-file":
        dtd, use = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"
    elif how == "xxe-param":
        dtd, use = '<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', ""
    elif how == "internal":
        dtd, use = '<!DOCTYPE w:document [<!ENTITY x "一、存在的主要问题">]>', "&x;"
    else:
        dtd, use = f'<!DOCTYPE w:document [<!ENTITY x "{"问" * 50000}">]>', "&x;" * 2000
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{dtd}'
           f'<w:document xmlns:w="{W_NS}"><w:body>{_p(line)}<w:p><w:r><w:t>{use}</w:t></w:r></w:p>'
           f'<w:sectPr/></w:body></w:document>').encode()
    return f"entities-{how}", _set(m, "word/document.xml", xml)


def d_special(rng, bases, m):
    how = rng.choice(["strict", "textbox", "no-body", "empty-body", "not-xml", "utf16-xml", "other-root",
                      "comments-only", "math"])
    lines = _sample_lines(rng, bases, 30)
    if how == "strict":
        strict_w = "http://purl.oclc.org/ooxml/wordprocessingml/main"
        xml = _docx_body("".join(_p(t) for t in lines)).replace(W_NS.encode(), strict_w.encode())
    elif how == "textbox":
        box = "".join(_p(t) for t in lines)
        xml = _docx_body('<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
                         f'<w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')
    elif how == "no-body":
        xml = f'<w:document xmlns:w="{W_NS}"/>'.encode()
    elif how == "empty-body":
        xml = _docx_body("<w:p/>" * rng.choice([1, 10000]))
    elif how == "not-xml":
        xml = "\n".join(lines).encode()
    elif how == "utf16-xml":
        xml = _docx_body("".join(_p(t) for t in lines)).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"'
                                                                        ).encode("utf-16")
    elif how == "other-root":
        xml = f'<w:styles xmlns:w="{W_NS}"><w:body>{_p(lines[0])}</w:body></w:styles>'.encode()
    elif how == "comments-only":
        xml = _docx_body('<w:p><w:commentRangeStart w:id="0"/><w:commentRangeEnd w:id="0"/></w:p>')
    else:
        xml = _docx_body('<w:p><m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
                         f'<m:r><m:t>{_esc(lines[0])}</m:t></m:r></m:oMath></w:p>' + _p(lines[1]))
    return f"special-{how}", _set(m, "word/document.xml", xml)


def d_big(rng, bases, m):
    k = rng.choice([2_000, 10_000, 40_000])
    lines = _sample_lines(rng, bases, 200)
    body = "".join(_p(rng.choice(lines) + str(rng.randrange(10 ** 6)), bold=rng.random() < 0.05) for _ in range(k))
    return f"big-{k}", _set(m, "word/document.xml", _docx_body(body))


def d_xml_bytes(rng, bases, m):
    part = rng.choice(["word/document.xml", "word/document.xml", "word/styles.xml", "word/numbering.xml",
                       "[Content_Types].xml", "word/_rels/document.xml.rels", "_rels/.rels"])
    data = _get(m, part) or b""
    name = rng.choice(sorted(BYTE_MUTATORS))
    return f"xml-bytes-{name}", _set(m, part, BYTE_MUTATORS[name](rng, data))


def d_compress(rng, bases, m):
    """Extreme ratios and sizes; the file on disk stays under ~20 MB."""
    how = rng.choice(["pad-xml", "zeros-member", "stored-big", "many-members", "level0", "comment"])
    if how == "pad-xml":
        doc = _get(m, "word/document.xml")
        pad = b" " * rng.choice([500_000, 1_100_000, 5_000_000, 60_000_000])
        return f"compress-{how}-{len(pad) // 1000}k", _set(m, "word/document.xml", doc.replace(b"<w:body>", b"<w:body>" + pad, 1))
    if how == "zeros-member":
        size = rng.choice([900_000, 1_048_577, 30_000_000, 150_000_000])
        return f"compress-{how}-{size // 1000}k", m + [("word/media/image1.png", bytes(size))]
    if how == "stored-big":
        size = rng.choice([5_000_000, 19_000_000])
        return f"compress-{how}", m + [("word/media/image1.bin", random.Random(size).randbytes(size))], zipfile.ZIP_STORED
    if how == "many-members":
        k = rng.choice([1500, 1999, 2001, 5000])
        return f"compress-{how}-{k}", m + [(f"customXml/item{i}.xml", b"") for i in range(k)]
    if how == "level0":
        return f"compress-{how}", m, zipfile.ZIP_STORED
    return f"compress-{how}", m, zipfile.ZIP_DEFLATED, b"x" * 65535


def patch_central_sizes(rng, data: bytes) -> bytes:
    """Lie in the central directory: declared sizes, names' lengths, offsets."""
    b = bytearray(data)
    heads = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    for h in rng.sample(heads, k=min(len(heads), rng.choice([1, 2, len(heads)]))):
        field_off, width = rng.choice([(20, 4), (24, 4), (28, 2), (42, 4), (16, 4)])
        val = rng.choice([0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, rng.randrange(1 << 32)]) & ((1 << (8 * width)) - 1)
        b[h + field_off:h + field_off + width] = val.to_bytes(width, "little")
    return bytes(b)


DOCX_MUTATORS = {"text": d_text, "attr": d_attr, "numbering": d_numbering, "del": d_del_member,
                 "dup": d_dup_member, "content-types": d_content_types, "rels": d_rels, "styles": d_styles,
                 "table": d_table, "nest": d_nesting, "entities": d_entities, "special": d_special, "big": d_big,
                 "xml-bytes": d_xml_bytes, "compress": d_compress}
DOCX_WEIGHTS = {"text": 8, "attr": 8, "numbering": 10, "del": 4, "dup": 3, "content-types": 3, "rels": 3,
                "styles": 5, "table": 5, "nest": 4, "entities": 3, "special": 5, "big": 2, "xml-bytes": 8,
                "compress": 4}


def g_docx(rng, bases: Bases):
    m = _members(bases, rng)
    name = rng.choices(list(DOCX_WEIGHTS), weights=list(DOCX_WEIGHTS.values()))[0]
    res = DOCX_MUTATORS[name](rng, bases, m)
    kind, m = res[0], res[1]
    compression = res[2] if len(res) > 2 else zipfile.ZIP_DEFLATED
    comment = res[3] if len(res) > 3 else b""
    level = 9 if name == "compress" else 6
    data = rezip(m, compression, level if compression == zipfile.ZIP_DEFLATED else None, comment)
    if rng.random() < 0.08:
        data, kind = patch_central_sizes(rng, data), kind + "+cd-lie"
    ext = ".docx" if rng.random() < 0.9 else rng.choice(ODD_EXTS)
    return f"docx.{kind}", ext, data


# ----------------------------------------------------------------------------- .pdf

_FLATE: dict[int, bytes] = {}


def _flate_spaces(size: int) -> bytes:
    if size not in _FLATE:
        co = zlib.compressobj(9)
        _FLATE[size] = b"".join(co.compress(b" " * 1_000_000) for _ in range(size // 1_000_000)) + co.flush()
    return _FLATE[size]


def g_pdf(rng, bases: Bases):
    text = _text(rng, bases)
    objs = pdf_objects(text_pages(text))
    npages = sum(1 for k, v in objs.items() if b"/Type /Page " in v)
    how = rng.choice(["count", "xref", "numbers", "many-pages", "loop", "deep", "flate-bomb", "length",
                      "encrypt", "cmap", "text-ops", "no-root", "kids", "startxref", "incremental"])
    ser = {}
    if how == "count":
        c = rng.choice(["0", "-1", "1", str(npages + 1), "2147483648", "99999999999999999999", "1e9", "(x)", "null"])
        objs[2] = re.sub(rb"/Count \d+", b"/Count " + c.encode(), objs[2])
    elif how == "xref":
        ser = rng.choice([{"xref_shift": rng.choice([-1, 1, 7, 10 ** 6])}, {"xref": False},
                          {"size": rng.choice([0, 1, 2, 10 ** 9])}])
    elif how == "numbers":
        oid = rng.choice(sorted(objs))
        objs[oid] = re.sub(rb"\b\d+\b", lambda _m: rng.choice(NUMBERS[1:]).encode()[:400] if rng.random() < 0.3
                           else _m.group(0), objs[oid])
    elif how == "many-pages":
        k = rng.choice([200, 2000, 20000])
        lines = [ln[:40] for ln in text.splitlines() if ln.strip()]
        objs = pdf_objects([[rng.choice(lines)] * rng.choice([1, 3]) for _ in range(k)])
    elif how == "loop":
        objs[2] = objs[2].replace(b"/Kids [", b"/Kids [2 0 R ")
        if rng.random() < 0.5:
            objs[6] = objs[6].replace(b"/Type /Page ", b"/Type /Pages /Kids [6 0 R 2 0 R] /Count 2 ")
    elif how == "deep":
        d = rng.choice([100, 1000, 100000])
        objs[5] = objs[5].replace(b"/DW 1000", b"/W " + b"[" * d + b"1" + b"]" * d)
    elif how == "flate-bomb":
        size = rng.choice([10_000_000, 80_000_000, 300_000_000])
        z = _flate_spaces(size)
        first_content = min(k for k in objs if k >= 7 and k % 2)
        objs[first_content] = _stream(z, b" /Filter /FlateDecode")
    elif how == "length":
        oid = rng.choice([k for k, v in objs.items() if b"stream" in v])
        objs[oid] = re.sub(rb"/Length \d+", b"/Length " + rng.choice(NUMBERS[1:]).encode()[:100], objs[oid])
    elif how == "encrypt":
        objs[90] = rng.choice([b"<< /Filter /Standard /V 99 /R 99 /O (x) /U (y) /P -1 >>", b"<< >>", b"null",
                               b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <00> /U <00> /P -4 >>"])
        ser = {"trailer_extra": b" /Encrypt 90 0 R /ID [<00><00>]"}
    elif how == "cmap":
        bad = rng.choice([b"1 beginbfrange <0000> <FFFFFFFF> <0000> endbfrange", b"99999999 beginbfchar",
                          b"1 beginbfrange <FFFF> <0000> <0000> endbfrange", b"begincmap " * 1000,
                          b"1 beginbfrange <0000> <FFFF> [<0041>] endbfrange", b"\x00\xff" * 100])
        objs[4] = _stream(_CMAP.replace(b"1 beginbfrange <0000> <FFFF> <0000> endbfrange", bad))
    elif how == "text-ops":
        first_content = min(k for k in objs if k >= 7 and k % 2)
        ops = rng.choice([b"BT /F1 1e308 Tf 1e308 0 Td <4e00> Tj ET", b"BT [<4e00> -99999999999 <4e8c>] TJ ET",
                          b"BT " * 10000 + b"<4e00> Tj", b"q " * 100000 + b"BT /F1 10 Tf <4e00> Tj ET",
                          b"BT /F1 10 Tf 1 0 0 1 NaN NaN Tm <4e00> Tj ET", b"BT /F9 10 Tf <4e00> Tj ET",
                          b"BT /F1 10 Tf 0 Tz 0 Tc <4e00> ' ET", b"BT /F1 10 Tf <" + b"4e00" * 500000 + b"> Tj ET"])
        objs[first_content] = _stream(ops)
    elif how == "no-root":
        del objs[1]
    elif how == "kids":
        objs[2] = re.sub(rb"/Kids \[[^\]]*\]", rng.choice([b"/Kids []", b"/Kids 2 0 R", b"/Kids [999 0 R]",
                                                            b"/Kids [(x) 1 0 R null]", b"/Kids"]), objs[2])
    elif how == "startxref":
        ser = {"startxref": rng.choice([b"0", b"-1", b"99999999999999999999", b"x", b""])}
    else:  # incremental: an update section appended, pointing back wrongly
        data = pdf_serialize(objs)
        extra = b"6 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n" \
                b"<< /Size 7 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
                    rng.choice([0, 10 ** 12, len(data) - 30]), len(data))
        return "pdf.incremental", ".pdf", data + extra
    data = pdf_serialize(objs, **ser)
    ext = ".pdf" if rng.random() < 0.9 else rng.choice(ODD_EXTS)
    return f"pdf.{how}", ext, data


# ----------------------------------------------------------------------------- .zip

def g_zip(rng, bases: Bases):
    how = rng.choice(["archive", "nested", "names", "many", "docx-as-zip", "empty", "only-dirs"])
    names = sorted(bases.texts)
    if how == "archive":
        mem = []
        for _ in range(rng.choice([1, 3, 6])):
            fmt = rng.choice(["txt", "docx", "pdf"])
            n = rng.choice(names)
            mem.append((f"{n}{EXT[fmt]}", getattr(bases, fmt)[n]))
        data = rezip(mem)
    elif how == "nested":
        data = bases.docx[rng.choice(names)]
        for _ in range(rng.choice([1, 2, 5])):
            data = rezip([("inner.zip" if rng.random() < 0.5 else "word/document.xml", data)])
    elif how == "names":
        odd = ["../../etc/passwd.txt", "/abs/x.txt", "C:\\x\\y.txt", "a/" * 200 + "x.txt", "\u6210\u5458.txt",
               "x\x00y.txt", "", ".", "..", "word/document.xml/", "x" * 60000, "word\\document.xml"]
        data = rezip([(rng.choice(odd), bases.txt[rng.choice(names)]) for _ in range(3)])
    elif how == "many":
        data = rezip([(f"d/{i}.txt", b"x") for i in range(rng.choice([100, 2001, 10000]))], zipfile.ZIP_STORED)
    elif how == "docx-as-zip":
        data = bases.docx[rng.choice(names)]
    elif how == "empty":
        data = rezip([])
    else:
        data = rezip([(f"d{i}/", b"") for i in range(5)] + [("word/", b"")])
    ext = rng.choice([".zip", ".zip", ".docx", ""])
    return f"zip.{how}", ext, data


GENERATORS = {"bytes": (g_bytes, 30), "txt": (g_txt, 20), "docx": (g_docx, 32), "pdf": (g_pdf, 12),
              "zip": (g_zip, 6)}


@dataclass
class Input:
    index: int
    kind: str
    ext: str
    data: bytes

    @property
    def filename(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9_.+-]", "_", self.kind)
        return f"{safe}-{self.index:05d}{self.ext}"


def make_input(index: int, seed: int, bases: Bases) -> Input:
    rng = random.Random(f"{seed}-{index}")
    fam = rng.choices(list(GENERATORS), weights=[w for _, w in GENERATORS.values()])[0]
    kind, ext, data = GENERATORS[fam][0](rng, bases)
    if rng.random() < 0.05 and fam != "bytes":   # a structural mutation, then some bytes
        data = BYTE_MUTATORS[rng.choice(["bitflip", "insert-interesting", "truncate"])](rng, data)
        kind += "+bytes"
    return Input(index, kind, ext, data[: MAX_FILE + 4096])


def generate(n: int, seed: int = 0, only: str | None = None, bases: Bases | None = None):
    """Yield ``n`` inputs (with ``only``: the first n whose kind contains it)."""
    bases = bases or load_bases()
    i = made = 0
    while made < n and (only is None or i < 200 * n):
        inp = make_input(i, seed, bases)
        i += 1
        if only and only not in inp.kind:
            continue
        made += 1
        yield inp


# ----------------------------------------------------------------------------- workers

def _frames_of(tb) -> list[str]:
    import traceback
    return [f"{_rel(f.filename)}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]


def _rel(filename: str) -> str:
    for marker in ("/site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _where(frames: list[str]) -> str:
    """Innermost frame in the review package (the module to fix), else the innermost frame."""
    own = [f for f in frames if f.startswith("review/")]
    return (own or frames or ["?"])[-1]


def _run_one(cli, path: str, internal: list) -> dict:
    out, err = io.StringIO(), io.StringIO()
    fd_out, fd_err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            s.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(fd_out.fileno(), 1)
    os.dup2(fd_err.fileno(), 2)
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    escaped = None
    t = time.perf_counter()
    try:
        code = cli.main(["check", path, "--format", "json"])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException as e:                 # escaped main: a real CLI would print a traceback
        import traceback
        escaped = {"exc": f"{type(e).__name__}: {str(e)[:300]}", "frames": _frames_of(e.__traceback__)}
        err.write("".join(traceback.format_exception(e))[-4000:])
        code = 1
    secs = time.perf_counter() - t
    sys.stdout, sys.stderr = old
    for s in (sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            s.flush()
    os.dup2(saved[0], 1)
    os.dup2(saved[1], 2)
    os.close(saved[0])
    os.close(saved[1])
    fd_out.seek(0)
    fd_err.seek(0)
    stdout = out.getvalue() + fd_out.read().decode("utf-8", "replace")
    stderr = err.getvalue() + fd_err.read().decode("utf-8", "replace")
    fd_out.close()
    fd_err.close()
    json_ok = None
    if code in (0, 1):
        try:
            json_ok = isinstance(json.loads(stdout), dict)
        except ValueError:
            json_ok = False
    ecode = re.search(r"\[(E\d{3})\]", stderr)
    return {"code": code, "ecode": ecode.group(1) if ecode else None, "secs": secs, "stderr": stderr[-3000:], "stderr_lines": len(stderr.splitlines()),
            "traceback": "Traceback" in stdout or "Traceback" in stderr or escaped is not None,
            "e900": "[E900]" in stderr, "json_ok": json_ok, "stdout_len": len(stdout),
            "leak": "root:x:0:0" in stdout or "root:x:0:0" in stderr,
            "escaped": escaped, "internal": list(internal)}


def _worker_main(conn, hang_path: str, dump_after: float, mem_gb: float) -> None:
    import faulthandler
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)          # the parent handles Ctrl-C
    if mem_gb > 0:
        with contextlib.suppress(Exception):
            import resource
            with open("/proc/self/statm") as f:
                vsz = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            cap = vsz + int(mem_gb * (1 << 30))
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import review.cli as cli
    internal: list = []
    orig = cli.internal_error

    def spy(exc):                              # keep the traceback behind an E900
        internal.append({"exc": f"{type(exc).__name__}: {str(exc)[:300]}", "frames": _frames_of(exc.__traceback__)})
        return orig(exc)
    cli.internal_error = spy
    hang = open(hang_path, "w")
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        internal.clear()
        hang.seek(0)
        hang.truncate()
        faulthandler.dump_traceback_later(dump_after, repeat=False, file=hang)
        try:
            res = _run_one(cli, msg, internal)
        finally:
            faulthandler.cancel_dump_traceback_later()
        conn.send(res)


def _mp_context():
    import multiprocessing as mp
    try:
        return mp.get_context("fork")          # workers inherit the loaded pipeline
    except ValueError:
        return mp.get_context("spawn")


class Worker:
    def __init__(self, ctx, workdir: Path, n: int, timeout: float, mem_gb: float):
        self.hang_path = str(workdir / f"hang-{n}.txt")
        self.conn, child = ctx.Pipe()
        with warnings_off():
            self.proc = ctx.Process(target=_worker_main, args=(child, self.hang_path, max(0.5, timeout - 1.0), mem_gb),
                                    daemon=True)
            self.proc.start()
        child.close()
        self.task = None
        self.t0 = 0.0

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()                    # by pid: only the worker we started
        self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(5)
        if self.proc.is_alive():
            self.kill()

    def hang_stack(self) -> list[str]:
        try:
            text = Path(self.hang_path).read_text(errors="replace")
        except OSError:
            return []
        # the main thread's stack, most recent call first
        blocks = re.split(r"\n(?=(?:Current thread|Thread) 0x)", text)
        with_frames = [b for b in blocks if 'File "' in b]
        main = next((b for b in with_frames if b.startswith("Current thread")), with_frames[-1] if with_frames else "")
        frames = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', main)
        return [f"{_rel(f)}:{ln} in {fn}" for f, ln, fn in reversed(frames)]   # innermost last


# ----------------------------------------------------------------------------- run

CODED = re.compile(r"^review: .*\[E1\d\d\] ")


def failure_reasons(r: dict) -> list[str]:
    if r.get("hang"):
        return ["hang"]
    if r.get("crash"):
        return ["crash"]
    why = []
    if r["traceback"]:
        why.append("traceback")
    if r["code"] == 3 or r["e900"]:
        why.append("exit3")
    if r["stderr_lines"] > 1:
        why.append("multiline")
    if r["code"] not in (0, 1, 2, 3):
        why.append(f"exit{r['code']}")
    if r["code"] == 2 and (r["stderr_lines"] != 1 or not CODED.match(r["stderr"])) and "multiline" not in why:
        why.append("uncoded")
    if r["code"] in (0, 1) and r["stderr"].strip() and not why:
        why.append("stderr-on-success")
    if r["code"] in (0, 1) and r["json_ok"] is False and "traceback" not in why:
        why.append("bad-json")
    if r.get("leak"):
        why.append("leak")
    return why


@contextlib.contextmanager
def _env(var: str, value: str | None):
    old = os.environ.get(var)
    if value is not None:
        os.environ[var] = value
    try:
        yield
    finally:
        if value is not None:
            if old is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = old


def _warm_up(bases: Bases, workdir: Path) -> None:
    """Load the pipeline (and python-docx, pypdf) once in the parent, before forking."""
    from review.cli import main
    name = sorted(bases.texts)[0]
    for ext, data in ((".txt", bases.txt[name]), (".docx", bases.docx[name]), (".pdf", bases.pdf[name])):
        p = workdir / f"warm{ext}"
        p.write_bytes(data)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["check", str(p), "--format", "json"])
        p.unlink()


@dataclass
class Summary:
    n: int
    seconds: float
    results: list[dict]
    failures: list[dict]
    counts: dict[str, int]
    slowest: float
    slowest_kind: str
    digest: str

    def line(self) -> str:
        c = self.counts
        return (f"fuzz: {self.n} inputs in {self.seconds:.1f} s, failures {len(self.failures)} "
                f"(tracebacks {c.get('traceback', 0)}, exit3 {c.get('exit3', 0)}, hangs {c.get('hang', 0)}, "
                f"multiline {c.get('multiline', 0)}), slowest {self.slowest:.2f}s")

    def details(self, limit: int = 10) -> list[str]:
        out = []
        other = {k: v for k, v in self.counts.items() if k not in ("traceback", "exit3", "hang", "multiline")}
        if other:
            out.append("  other failures: " + ", ".join(f"{k} {v}" for k, v in sorted(other.items())))
        for r in self.failures[:limit]:
            out.append(f"  #{r['index']} {r['kind']} ({r['file']}): {'+'.join(r['why'])}, exit {r.get('code')}, "
                       f"{r.get('secs', 0):.2f}s")
            if r.get("stderr", "").strip():
                out.append(f"      stderr: {r['stderr'].strip().splitlines()[-1][:300]}")
            for key in ("escaped", "internal"):
                items = r.get(key) or []
                for x in ([items] if isinstance(items, dict) else items)[:1]:
                    out.append(f"      {x['exc'][:200]}  at {_where(x['frames'])}")
            if r.get("hang_stack"):
                out.append(f"      hung in {_where(r['hang_stack'])}  (innermost: {r['hang_stack'][-1]})")
            if r.get("kept"):
                out.append(f"      kept: {r['kept']}")
        if len(self.failures) > limit:
            out.append(f"  … and {len(self.failures) - limit} more")
        return out


def run(n: int = 2000, seed: int = 0, mode: str | None = "rules", keep: str | None = None, workers: int = 2,
        timeout: float = 10.0, only: str | None = None, log: str | None = None, mem_gb: float = 4.0,
        progress: bool = False) -> Summary:
    """Generate and review ``n`` inputs; REVIEW_MODE is ``mode`` for the run (restored after)."""
    from multiprocessing.connection import wait
    t_start = time.perf_counter()
    keep_dir = Path(keep) if keep else None
    if keep_dir:
        keep_dir.mkdir(parents=True, exist_ok=True)
    bases = load_bases()
    results: list[dict] = []
    digest = hashlib.sha256()
    workdir = Path(tempfile.mkdtemp(prefix="review-fuzz-"))
    logf = open(log, "w", encoding="utf-8") if log else None
    pool: list[Worker] = []
    try:
        with _env("REVIEW_MODE", mode):
            _warm_up(bases, workdir)
            ctx = _mp_context()
            spawned = 0

            def new_worker():
                nonlocal spawned
                spawned += 1
                return Worker(ctx, workdir, spawned, timeout, mem_gb)
            pool = [new_worker() for _ in range(max(1, workers))]
            inputs = generate(n, seed, only, bases)
            exhausted = False

            def finish(w: Worker, res: dict) -> None:
                inp, path = w.task
                w.task = None
                res.update(index=inp.index, kind=inp.kind, file=inp.filename, size=len(inp.data))
                res["why"] = failure_reasons(res)
                if res["why"] and keep_dir:
                    dest = keep_dir / inp.filename
                    shutil.copyfile(path, dest)
                    res["kept"] = str(dest)
                    info = {k: v for k, v in res.items() if k != "kept"}
                    (keep_dir / (inp.filename + ".json")).write_text(json.dumps(info, ensure_ascii=False, indent=1),
                                                                     encoding="utf-8")
                with contextlib.suppress(OSError):
                    os.unlink(path)
                results.append(res)
                if logf:
                    logf.write(json.dumps({k: v for k, v in res.items() if k != "stderr" or res["why"]},
                                          ensure_ascii=False) + "\n")
                if progress and len(results) % 250 == 0:
                    print(f"  … {len(results)} inputs, {sum(1 for r in results if r['why'])} failures, "
                          f"{time.perf_counter() - t_start:.0f} s", file=sys.stderr, flush=True)

            while True:
                for w in pool:
                    if w.task is None and not exhausted:
                        inp = next(inputs, None)
                        if inp is None:
                            exhausted = True
                            break
                        digest.update(inp.filename.encode() + hashlib.sha256(inp.data).digest())
                        path = workdir / inp.filename
                        path.write_bytes(inp.data)
                        w.task, w.t0 = (inp, str(path)), time.perf_counter()
                        w.conn.send(str(path))
                busy = [w for w in pool if w.task is not None]
                if not busy:
                    break
                now = time.perf_counter()
                wait_for = max(0.0, min(w.t0 + timeout - now for w in busy))
                ready = wait([w.conn for w in busy], timeout=wait_for)
                for w in busy:
                    if w.conn in ready:
                        try:
                            res = w.conn.recv()
                        except (EOFError, OSError):
                            code = w.proc.exitcode
                            w.kill()
                            res = {"crash": True, "code": code, "secs": time.perf_counter() - w.t0,
                                   "stderr": f"worker died (exit code {code})", "stderr_lines": 0}
                            finish(w, res)
                            pool[pool.index(w)] = new_worker()
                            continue
                        finish(w, res)
                    elif time.perf_counter() - w.t0 >= timeout:
                        stack = w.hang_stack()
                        w.kill()
                        finish(w, {"hang": True, "code": None, "secs": time.perf_counter() - w.t0,
                                   "stderr": "", "stderr_lines": 0, "hang_stack": stack})
                        pool[pool.index(w)] = new_worker()
    finally:
        for w in pool:
            w.stop()
        if logf:
            logf.close()
        shutil.rmtree(workdir, ignore_errors=True)
    failures = [r for r in results if r["why"]]
    counts: dict[str, int] = {}
    for r in failures:
        for why in r["why"]:
            counts[why] = counts.get(why, 0) + 1
    slow = max(results, key=lambda r: r.get("secs", 0), default={"secs": 0.0, "kind": "-"})
    return Summary(len(results), time.perf_counter() - t_start, results, failures, counts,
                   slow.get("secs", 0.0), slow.get("kind", "-"), digest.hexdigest()[:12])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Fuzz `review check FILE` with mutated samples.")
    ap.add_argument("--n", type=int, default=2000, help="number of inputs (default 2000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mode", choices=["rules", "combined", "model"], default="rules", help="sets REVIEW_MODE")
    ap.add_argument("--keep", default=None, help="save every failing input (and a .json of what happened) here")
    ap.add_argument("--only", default=None, help="only inputs whose kind contains this text, e.g. docx.numbering")
    ap.add_argument("--log", default=None, help="one JSON line per input")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before an input counts as a hang")
    ap.add_argument("--mem-gb", type=float, default=4.0, help="address-space cap per worker above its start (0: none)")
    ap.add_argument("--failures", type=int, default=15, help="how many failures to list")
    args = ap.parse_args(argv)
    s = run(args.n, args.seed, args.mode, args.keep, args.workers, args.timeout, args.only, args.log,
            args.mem_gb, progress=sys.stderr.isatty())
    print(f"  seed {args.seed}, mode {args.mode}, inputs digest {s.digest}, slowest input: {s.slowest_kind}")
    print(s.line())
    for ln in s.details(args.failures):
        print(ln)
    return 1 if s.failures else 0


if __name__ == "__main__":
    sys.exit(main())
