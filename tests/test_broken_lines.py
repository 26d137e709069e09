"""Text pasted from a web page or a PDF breaks lines inside sentences; the draft is judged as
if it had not been broken, and a typed draft's titles and headings are never joined."""
import json
import re
from pathlib import Path

import pytest

from review.api import review_text
from review.structure.segment import join_broken_lines, split_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("self-*.txt"))


def break_lines(text: str) -> str:
    """Break every long paragraph after each second comma, as a narrow web page would."""
    out = []
    for line in text.split("\n"):
        if len(line) > 60 and not line.startswith(" "):
            n = 0

            def cut(m):
                nonlocal n
                n += 1
                return m.group(0) + ("\n" if n % 2 == 0 else "")
            line = re.sub(r"，", cut, line)
        out.append(line)
    return "\n".join(out)


def _judged(report):
    text = report.text
    return [(re.sub(r"\s", "", text[s["start"]:s["end"]]), s["section"], s["function"]) for s in report.sentences]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_a_draft_with_broken_lines_is_judged_like_the_unbroken_one(path):
    text = path.read_text(encoding="utf-8")
    broken = break_lines(text)
    assert broken.count("\n") > text.count("\n") + 5          # the test really breaks lines
    whole, pasted = review_text(text, filename=path.name), review_text(broken, filename=path.name)
    assert _judged(pasted) == _judged(whole)
    assert sorted(f.rule for f in pasted.findings) == sorted(f.rule for f in whole.findings)


def _typed(path: Path) -> bool:
    """Drafts typed as paragraphs (not those its writer pasted from a web page or a PDF)."""
    gold = path.with_name(path.stem + ".gold.json")
    style = json.loads(gold.read_text(encoding="utf-8")).get("style", "") if gold.exists() else ""
    return not re.search(r"pasted|粘贴|网页|web page|PDF", style)


TYPED = SAMPLES + [p for p in sorted((ROOT / "eval" / "validation").rglob("*.txt")) if _typed(p)]


@pytest.mark.parametrize("path", TYPED, ids=lambda p: p.name)
def test_typed_drafts_keep_every_line_a_paragraph(path):
    text = path.read_text(encoding="utf-8")
    paras = split_paragraphs(text)
    assert len(join_broken_lines(paras, text)) >= len(paras) - 1   # at most one real break per draft


def test_title_lines_are_never_joined():
    text = "某某局党组成员、副局长　张某某\n2024年度专题民主生活会个人发言提纲（征求意见稿）\n按照要求，我认真学习了有关材料。\n"
    paras = split_paragraphs(text)
    assert len(join_broken_lines(paras, text)) == 3


def test_the_pasted_validation_draft_is_rejoined():
    pasted = [p for p in sorted((ROOT / "eval" / "validation").rglob("*.txt")) if not _typed(p)]
    assert pasted
    for p in pasted:
        text = p.read_text(encoding="utf-8")
        paras = split_paragraphs(text)
        assert len(join_broken_lines(paras, text)) < len(paras) - 3
