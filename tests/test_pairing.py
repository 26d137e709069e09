"""Problem items are paired with the measures that answer them (整改措施要对着问题去)."""
from review.api import review_text

DRAFT = """某某同志专题民主生活会发言提纲
一、存在的主要问题
（一）理论学习不够系统。我去年只读完两本指定书目，学用结合不够，理论学习停留在记笔记。
（二）为民办实事不够主动。今年到联系村调研只有两次，群众反映的饮水问题拖了一个月。
（三）防范化解风险能力不足。对辖区企业安全生产隐患排查不细，汛期应急预案没有演练。
二、问题产生的原因
理想信念有所松懈，宗旨意识淡化。
三、整改措施
（一）加强理论学习。每月读一本指定书目，学用结合，每季度撰写一篇理论学习体会。
（二）为民办实事。每月到联系村调研一次，3月底前解决群众反映的饮水问题。
"""


def test_each_problem_is_paired_and_the_unanswered_one_is_flagged():
    rep = review_text(DRAFT, doc_type="self", mode="rules")
    rows = {row["problem"]["title"][:5]: [m["title"][:5] for m in row["measures"]] for row in rep.pairing}
    assert rows["（一）理论"] == ["（一）加强"]
    assert rows["（二）为民"] == ["（二）为民"]
    assert rows["（三）防范"] == []
    flagged = [f for f in rep.findings if f.rule == "pattern.unmatched-problem"]
    assert len(flagged) == 1
    f = flagged[0]
    assert rep.text[f.start:f.end].startswith("（三）防范化解风险能力不足") and "防范化解风险" in f.message
    assert f.extra["item_end"] > f.end


def test_no_pairing_without_a_measures_part():
    rep = review_text(DRAFT.split("三、整改措施")[0], doc_type="self", mode="rules")
    assert not [f for f in rep.findings if f.rule == "pattern.unmatched-problem"]
    assert ("structure.part-missing", "measures") in {(f.rule, f.part) for f in rep.findings}


def test_pairing_is_in_the_json_and_markdown():
    from review.api import active_rules
    from review.render.text import render_markdown
    rep = review_text(DRAFT, doc_type="self", mode="rules")
    assert rep.to_dict()["pairing"][0]["measures"]
    assert "问题与整改措施对应" in render_markdown(rep, active_rules())
