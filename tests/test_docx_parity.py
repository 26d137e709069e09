"""A draft as .docx is judged like its .txt: the same findings (rule and passage) whether
its headings are plain paragraphs, Word heading styles, bold lines, or Word's automatic
Chinese numbering (一、 （一） rendered from numbering.xml, not typed)."""
import io
import re
from collections import Counter
from pathlib import Path

import docx
import pytest

from hostile import add_chinese_numbering, numbered_paragraph
from review.api import review_document
from review.lang.zh.outline import MARKERS, marker_of, number_value

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev"
DRAFTS = sorted((ROOT / "samples").glob("*.txt")) + (sorted(DEV.glob("self-*.txt")) if DEV.is_dir() else [])
STYLES = ("plain", "headings", "bold", "numbered", "run-in", "table")
VALIDATION = sorted((ROOT / "eval" / "validation").rglob("*.txt"))
DEV_DRAFTS = sorted(DEV.glob("self-*.txt")) if DEV.is_dir() else []

LEVEL = {"cn": 0, "cn_paren": 1}


def _heading(line: str) -> str | None:
    """The marker kind of a short heading line (一、 or （一）), else None."""
    kind = marker_of(line)
    short = len(line) <= 40 and not re.search(r"[。；]", line[:-1])
    return kind if kind in LEVEL and short else None


def _typed_number(line: str) -> int:
    m = re.match(r"[（(]?([一二三四五六七八九十]{1,3})", line.strip())
    return number_value(m.group(1)) if m else 0


def _numbered(d, line: str, kind: str) -> None:
    """The heading without its typed number, numbered by Word instead."""
    numbered_paragraph(d, dict(MARKERS)[kind].sub("", line, count=1).strip(), LEVEL[kind])


def as_docx(text: str, style: str) -> bytes:
    d = docx.Document()
    if style == "numbered":
        add_chinese_numbering(d)
    counters = [0, 0]                       # what Word's numbering would show next
    for line in text.split("\n"):
        kind = _heading(line)
        run_in = re.match(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]|[一二三四五六七八九十]是)[^。；]{2,40}[。；]", line)
        if style == "run-in" and kind is None and run_in and len(line) > run_in.end():
            p = d.add_paragraph()
            p.add_run(line[:run_in.end()]).bold = True          # the bold run-in title …
            p.add_run(line[run_in.end():])                      # … and the item after it
        elif style == "table" and kind is None and len(line) > 60:
            d.add_table(rows=1, cols=1).cell(0, 0).text = line  # long paragraphs pasted in a one-cell table
        elif kind is None:
            d.add_paragraph(line)
        elif style == "headings":
            d.add_heading(line, level=LEVEL[kind] + 1)
        elif style == "bold":
            d.add_paragraph().add_run(line).bold = True
        elif style == "numbered" and _typed_number(line) == counters[LEVEL[kind]] + 1:
            counters[LEVEL[kind]] += 1
            if kind == "cn":
                counters[1] = 0                 # a deeper level restarts under a new 一、
            _numbered(d, line, kind)
        else:
            d.add_paragraph(line)               # a typed number Word would not produce stays typed
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def findings(rep) -> Counter:
    return Counter((f.rule, " ".join(rep.text[f.start:f.end].split())) for f in rep.findings)


@pytest.mark.parametrize("path", DRAFTS, ids=[p.stem for p in DRAFTS])
@pytest.mark.parametrize("style", STYLES)
def test_docx_is_judged_like_txt(path, style):
    as_txt = review_document(path)
    as_word = review_document(as_docx(path.read_text(encoding="utf-8"), style), filename=path.stem + ".docx")
    assert as_word.doc_type == as_txt.doc_type
    assert [(a["id"], a["status"]) for a in as_word.areas] == [(a["id"], a["status"]) for a in as_txt.areas]
    only_word, only_txt = findings(as_word) - findings(as_txt), findings(as_txt) - findings(as_word)
    assert not only_word and not only_txt, (sorted(only_word)[:5], sorted(only_txt)[:5])


# known gap: 第X部分 headings with bold run-in 一是… items (v3-12) split the causes part differently
KNOWN_GAPS = {("run-in", "v3-12")}


@pytest.mark.parametrize("path", DEV_DRAFTS + VALIDATION, ids=lambda p: p.stem)
@pytest.mark.parametrize("style", STYLES)
def test_every_dev_and_validation_draft_is_judged_alike_as_word(path, style):
    """Every way Word carries an outline (heading styles, bold lines, Word's own numbering,
    bold run-in titles, tables): the same findings and areas as the .txt."""
    if (style, path.stem) in KNOWN_GAPS:
        pytest.xfail("known .docx/.txt gap, reported in issue 10's note")
    test_docx_is_judged_like_txt(path, style)


def test_numbered_style_really_numbers():
    """The 'numbered' copies carry no typed 一、: Word's numbering renders it."""
    text = (ROOT / "samples" / "self-weak.txt").read_text(encoding="utf-8")
    data = as_docx(text, "numbered")
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    heads = [ln for ln in text.split("\n") if _heading(ln) == "cn"]
    assert heads and not any(h in body for h in heads)
    assert all(h in review_document(data, filename="x.docx").text for h in heads)
