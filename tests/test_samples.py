"""The bundled samples behave as samples/README.md says they should."""
from pathlib import Path

import pytest

from review.api import review_document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def reports():
    return {p.stem: review_document(p) for p in sorted(SAMPLES.glob("*.txt"))}


def rules(rep):
    return {f.rule for f in rep.findings}


def test_types_are_detected(reports):
    assert {k: r.doc_type for k, r in reports.items()} == {
        "critique": "critique", "plan": "plan", "self-good": "self", "self-weak": "self", "team": "team"}


def test_good_draft_is_clean_and_scores_high(reports):
    good = reports["self-good"]
    assert not good.has_error
    assert all(a["status"] == "covered" for a in good.areas)
    assert not rules(good) & {"pattern.reasoning-for-problems", "pattern.praise-first", "pattern.team-for-personal",
                              "pattern.objective-causes", "coverage.topic-missing", "structure.too-short"}
    assert good.score["overall"] >= 80


def test_weak_draft_shows_every_planted_fault(reports):
    weak = reports["self-weak"]
    got = {(f.rule, f.part or f.area) for f in weak.findings}
    assert ("structure.part-missing", "rectification_review") in got
    assert ("structure.part-missing", "personal_matters") in got
    assert ("coverage.area-missing", 3) in got and ("coverage.area-missing", 4) in got
    assert {"pattern.reasoning-for-problems", "pattern.praise-first", "pattern.team-for-personal",
            "pattern.objective-causes", "pattern.vague-measure", "structure.too-short",
            "coverage.topic-missing", "terms.nonstandard"} <= rules(weak)
    terms = {f.message for f in weak.findings if f.rule == "terms.nonstandard"}
    assert any("四种意识" in m for m in terms) and any("形式主意" in m for m in terms)
    assert weak.score["overall"] < reports["self-good"].score["overall"] - 30


def test_team_material_blame_on_subordinates(reports):
    team = reports["team"]
    hits = [f for f in team.findings if f.rule == "pattern.team-for-personal"]
    assert len(hits) == 1 and "个别下属单位" in team.text[hits[0].start:hits[0].end]
    assert ("structure.part-missing", "personal_matters") not in {(f.rule, f.part) for f in team.findings}


def test_critique_faults(reports):
    c = reports["critique"]
    assert {"pattern.hope-for-criticism", "pattern.praise-first"} <= rules(c)
    wish = next(f for f in c.findings if "建议张某某同志加强" in c.text[f.start:f.end])
    assert wish.rule == "pattern.hope-for-criticism"       # a suggestion worded as a wish (进一步……)
    for f in c.findings:
        if f.rule == "pattern.suggestion-for-criticism":
            assert "建议" in c.text[f.start:f.end]
    assert c.score["coverage"] is None and c.score["structure"] is None


def test_plan_lists_its_five_areas(reports):
    assert [a["id"] for a in reports["plan"].areas] == [1, 2, 3, 4, 5]


def test_four_winds_pack_judges_the_same_draft_differently():
    rep = review_document(SAMPLES / "self-weak.txt", pack="2013-four-winds")
    assert rep.pack == "2013-four-winds" and [a["short"] for a in rep.areas] == ["形式主义", "官僚主义", "享乐主义", "奢靡之风"]
    assert any(a["status"] != "missing" for a in rep.areas)
