"""slips.typo: doubled characters, idioms one homophone off, standard formulations with
a character left out and words written the wrong way round are found; clean drafts raise none (precision first)."""
from pathlib import Path

import pytest

from review.api import review_text
from review.checks.slips import find_dropped, find_slips, find_transposed

ROOT = Path(__file__).resolve().parent.parent
CLEAN = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "eval" / "validation").rglob("*.txt"))


@pytest.mark.parametrize("text, found, fix", [
    ("我自己也也没有坚持下来。", "也也", "也"),
    ("今后要持之一恒地抓好学习。", "持之一恒", "持之以恒"),
    ("我们要再接再励，把工作做实。", "再接再励", "再接再厉"),
    ("坚持实事求事，不搞形式。", "实事求事", "实事求是"),
])
def test_a_slip_is_found_with_its_correction(text, found, fix):
    assert [(h[2], h[3]) for h in find_slips(text)] == [(found, fix)]


def test_a_character_left_out_of_a_standard_formulation():
    assert [(h[2], h[3]) for h in find_dropped("落实全面从严党责任不到位。")] == [("全面从严党", "全面从严治党")]
    assert find_dropped("要端正政绩观，落实全面从严治党责任。") == []


@pytest.mark.parametrize("text, found, fix", [
    ("推进国企革改的步子不快。", "革改", "改革"),
    ("镇供水站的史历遗留账目没有清理。", "史历", "历史"),
])
def test_two_characters_the_wrong_way_round(text, found, fix):
    assert [(h[2], h[3]) for h in find_transposed(text)] == [(found, fix)]


@pytest.mark.parametrize("text", ["开展批评时有顾虑。", "项目回报期长，负债偏高。", "坚持依法依规办案。",
                                  "要有功成不必在我的境界。"])
def test_a_pair_that_reads_well_both_ways_is_no_transposition(text):
    assert find_transposed(text) == []


def test_the_real_drafts_slips_are_all_found_and_nothing_else():
    """self-c, a real draft, writes 革改 for 改革 three times, 也也 once and 持之一恒 once."""
    text = (ROOT.parent / "shared" / "eval" / "dev" / "self-c.txt").read_text(encoding="utf-8")
    hits = [f for f in review_text(text, filename="self-c.txt").findings if f.rule == "slips.typo"]
    assert sorted(text[f.start:f.end] for f in hits) == sorted(["革改"] * 3 + ["也也", "持之一恒"])


@pytest.mark.parametrize("text", ["对群众反映的问题不能不了了之。", "我常常下基层，看看就走。",
                                  "三心二意的作风要不得。", "钉钉子精神，基层组织建设。"])
def test_ordinary_writing_is_no_slip(text):
    assert find_slips(text) == [] and find_dropped(text) == []


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name)
def test_clean_drafts_raise_no_slip(path):
    rep = review_text(path.read_text(encoding="utf-8"), filename=path.name)
    assert [f for f in rep.findings if f.rule == "slips.typo"] == []


def test_a_slip_in_a_draft_becomes_a_finding_with_its_clause():
    text = (ROOT / "samples" / "self-good.txt").read_text(encoding="utf-8").replace("，", "，也也", 1)
    hits = [f for f in review_text(text, filename="x.txt").findings if f.rule == "slips.typo"]
    assert len(hits) == 1 and text[hits[0].start:hits[0].end] == "也也"
    assert hits[0].severity == "warning" and "错别字" in hits[0].clause
