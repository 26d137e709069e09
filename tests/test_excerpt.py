"""An excerpt (a text opening on a later part, on 上述问题…, or a news report) is no whole
draft: its missing parts and length go to the 待核 tier and its structure is not scored."""
from pathlib import Path

import pytest

from review.api import review_text
from review.checks.tiers import is_uncertain
from review.structure.excerpt import excerpt_reason

ROOT = Path(__file__).resolve().parent.parent
VALIDATION = ROOT / "eval" / "validation"
WHOLE = sorted((ROOT.parent / "shared" / "eval" / "dev").glob("self-*.txt")) + sorted((ROOT / "samples").glob("*.txt"))


@pytest.mark.parametrize("name", ["v3/v3-05.txt", "v3/v3-11.txt", "v4/v4-01.txt", "v4/v4-03.txt", "v4/v4-07.txt"])
def test_an_excerpt_is_read_as_one(name):
    assert excerpt_reason((VALIDATION / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", WHOLE, ids=lambda p: p.name)
def test_a_whole_draft_is_no_excerpt(path):
    assert excerpt_reason(path.read_text(encoding="utf-8")) is None


def test_an_excerpts_missing_parts_are_to_be_checked_and_not_scored():
    text = (VALIDATION / "v4" / "v4-03.txt").read_text(encoding="utf-8")      # a causes part alone
    rep = review_text(text, filename="v4-03.txt", doc_type="self")
    structural = [f for f in rep.findings if f.rule.startswith(("structure.", "coverage."))]
    assert structural and all(is_uncertain(f) and f.severity == "info" for f in structural)
    assert rep.score["structure"] is None and rep.score["coverage"] is None
    assert rep.score["overall"] == rep.score["patterns"]
    assert any("节选" in w for w in rep.warnings)


def test_a_whole_drafts_structure_findings_stay_firm():
    text = (ROOT / "samples" / "self-weak.txt").read_text(encoding="utf-8")
    rep = review_text(text, filename="self-weak.txt")
    structural = [f for f in rep.findings if f.rule.startswith("structure.")]
    assert rep.score["structure"] is not None and len(structural) == 3
    assert not any(is_uncertain(f) for f in structural)
