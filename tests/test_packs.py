"""Rule packs and rule files are validated on load; errors name the file and the place."""
import pytest

from review.errors import ReviewError
from review.packs import available_packs, load_pack
from review.rulebook import load_rulebook as load_rules


def test_both_packs_load_with_their_areas():
    assert {"2021-five-leads", "2013-four-winds"} <= set(available_packs())
    five = load_pack("2021-five-leads")
    assert [a.id for a in five.areas] == [1, 2, 3, 4, 5]
    assert five.min_chars == 3700 and [t.title for t in five.topics] == ["意识形态工作"]
    four = load_pack("2013-four-winds")
    assert [a.short for a in four.areas] == ["形式主义", "官僚主义", "享乐主义", "奢靡之风"]


def test_unknown_pack_names_the_available_ones():
    with pytest.raises(ReviewError) as e:
        load_pack("nosuch")
    assert e.value.code == "E203" and "2013-four-winds" in str(e.value)


def _pack(tmp_path, body):
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    return str(p)


GOOD_AREA = "  - {id: 1, title: t, short: s, cues: {'学习': 1}}\n"


@pytest.mark.parametrize("body,where", [
    ("id: x\ntitle: t\nmin_chars: 1\nrequired_parts: [problems]\ncolour: red\nareas:\n" + GOOD_AREA, "colour"),
    ("id: x\ntitle: t\nmin_chars: 1\nrequired_parts: [problems]\nareas:\n" + GOOD_AREA + GOOD_AREA, "areas"),
    ("id: x\ntitle: t\nmin_chars: 1\nrequired_parts: [problems]\nareas:\n  - {id: 1, title: t, short: s, cues: {'学(习': 1}}\n", "cues"),
    ("id: x\ntitle: t\nmin_chars: 1\nrequired_parts: [summary]\nareas:\n" + GOOD_AREA, "required_parts"),
])
def test_invalid_pack_is_rejected_naming_file_and_place(tmp_path, body, where):
    with pytest.raises(ReviewError) as e:
        load_pack(_pack(tmp_path, body))
    msg = str(e.value)
    assert e.value.code == "E202" and "bad.yaml" in msg and where in msg and "\n" not in msg


RULE = ("  - {id: pattern.praise-first, kind: sentence-function, label: l, colour: '#ffffff', severity: warning,"
        " clause: c, message: m, suggestion: s}\n")
KIND = "kind: sentence-function, label: l, colour: '#ffffff'"


@pytest.mark.parametrize("body,where", [
    ("rules:\n" + RULE + RULE, "duplicate rule id pattern.praise-first"),
    ("rules:\n  - {id: pattern.x, " + KIND + ", severity: fatal, clause: c, message: m, suggestion: s}\n", "severity"),
    ("rules:\n  - {id: pattern.x, " + KIND + ", severity: info, clause: c, message: m, suggestion: s, cues: ['(']}\n",
     "cues"),
    ("rules:\n  - {id: Pattern X, " + KIND + ", severity: info, clause: c, message: m, suggestion: s}\n", "rules.0.id"),
    ("rules:\n  - {id: pattern.x, kind: k, label: l, colour: red, severity: info, clause: c, message: m, suggestion: s}\n",
     "colour"),
    ("rules:\n  - {id: pattern.x, colour: '#ffffff', severity: info, clause: c, message: m, suggestion: s}\n",
     "line 2"),
])
def test_invalid_rule_file_is_rejected(tmp_path, body, where):
    with pytest.raises(ReviewError) as e:
        load_rules(_pack(tmp_path, body))
    assert e.value.code == "E202" and where in str(e.value)


def test_unparsable_yaml_is_a_coded_error(tmp_path):
    with pytest.raises(ReviewError) as e:
        load_rules(_pack(tmp_path, "rules: [unclosed"))
    assert e.value.code == "E201" and "\n" not in str(e.value)
