"""Paragraphs, headings, sentences, section roles and document types on drafts we write."""
import pytest

from review.structure.doctype import detect_doc_type
from review.api import review_text
from review.structure.sections import assign_sections, role_of_heading
from review.lang.zh.outline import heading_level, marker_of
from review.structure.segment import split_paragraphs, split_sentences


@pytest.mark.parametrize("line,marker", [
    ("一、存在的主要问题", "cn"), ("**二、原因剖析**", "cn"), ("（一）理论学习方面", "cn_paren"),
    ("(三)群众观念方面", "cn_paren"), ("1.学习不够系统", "num"), ("2\\.", "num"), ("3、措施", "num"),
    ("（1）具体表现", "num_paren"), ("一是学习不够。", "ordinal"), ("第一，要加强学习", "di"),
    ("①学习", "circled"), ("2021年我局", None), ("1.5倍", None), ("我们一是要", None),
])
def test_heading_markers(line, marker):
    assert marker_of(line) == marker


def test_heading_levels_are_ordered():
    assert heading_level("cn") < heading_level("cn_paren") < heading_level("num") < heading_level("num_paren") < heading_level("ordinal")


@pytest.mark.parametrize("heading,role", [
    ("一、上年度民主生活会整改落实情况", "rectification_review"), ("二、个人有关事项说明", "personal_matters"),
    ("三、存在的主要问题", "problems"), ("三、查摆检视问题", "problems"), ("四、产生问题的原因分析", "causes"),
    ("四、存在问题的根源", "causes"), ("五、下一步努力方向和整改措施", "measures"), ("五、整改措施", "measures"),
    ("（一）理论学习抓得不紧", None),
])
def test_section_roles_from_headings(heading, role):
    assert role_of_heading(heading) == role


DRAFT = """某某同志专题民主生活会发言提纲
2022年1月5日
按照要求，我认真学习，广泛征求意见。现将有关情况汇报如下。
一、上年度民主生活会整改落实情况
上年度查摆的4个问题已全部整改。
二、个人有关事项说明
本人配偶无经商办企业情况。
三、存在的主要问题
（一）带头坚定信仰信念信心方面
一是理论学习不够系统。我去年只读完两本指定书目，学用结合不够。
二是政治敏锐性不强。对朋友圈里的错误言论没有及时批驳。
（二）带头践行以人民为中心的发展思想方面
**对群众诉求回应不及时。**今年3月，某某村12户群众反映饮水问题，我拖了一个月才去现场。
四、产生问题的原因
理想信念有所松懈，放松了主观世界改造。
五、整改措施
每月到分管科室调研1次，3月底前解决饮水问题。
"""


def test_sections_sentences_and_offsets():
    rep = review_text(DRAFT, doc_type="self")
    roles = [s["role"] for s in rep.sections]
    assert roles == ["other", "preface", "rectification_review", "personal_matters", "problems", "causes", "measures"]
    for s in rep.sentences:
        piece = rep.text[s["start"]:s["end"]]
        assert piece and piece == piece.strip() and "\n" not in piece
    texts = [rep.text[s["start"]:s["end"]] for s in rep.sentences]
    assert "一是理论学习不够系统。" in texts                    # run-in numbered title is its own sentence
    assert any(t.startswith("**对群众诉求回应不及时。") for t in texts)   # bold run-in title
    by_text = {rep.text[s["start"]:s["end"]]: s for s in rep.sentences}
    assert by_text["对朋友圈里的错误言论没有及时批驳。"]["area"] == 1          # inherited from its sub-heading
    event = next(s for t, s in by_text.items() if t.startswith("今年3月"))
    assert event["area"] == 3 and event["specificity"] >= 2.5 and event["function"] == "problem"
    assert not [f for f in rep.findings if f.rule == "structure.part-missing"]


def test_unstructured_text_is_read_as_problems():
    rep = review_text("我对分管工作抓得不紧。我下基层次数少。", doc_type="self")
    assert {s["role"] for s in rep.sections} == {"problems"}


def test_long_line_without_punctuation_is_cut_linearly():
    text = "学" * 600_000
    paras = split_paragraphs(text)
    sents = split_sentences(text, paras)
    assert len(sents) == 1500 and sents[-1].end == 600_000
    assert assign_sections(paras, len(text), "self")[0].start == 0


@pytest.mark.parametrize("title,kind", [
    ("某某同志专题民主生活会个人发言提纲", "self"),
    ("领导班子成员专题民主生活会对照检查发言提纲", "self"),
    ("县农业农村局领导班子专题民主生活会对照检查材料", "team"),
    ("相互批评意见", "critique"),
    ("关于召开2021年度专题民主生活会的实施方案", "plan"),
    ("某某局党组专题民主生活会工作方案", "plan"),
])
def test_doc_type_from_title(title, kind):
    assert detect_doc_type(title + "\n正文。") == kind


def test_doc_type_from_content_when_title_is_silent():
    plan = "材料\n一、会议时间\n1月。\n二、参会人员\n班子成员。\n三、会前准备\n重点从以下5个方面进行对照检查。"
    assert detect_doc_type(plan) == "plan"
    assert detect_doc_type("材料\n我对学习抓得不紧，自己下基层少，本人还有差距。") == "self"


def test_docx_heading_styles_and_bold_run_in_titles():
    import io

    import docx

    from review.api import review_document
    d = docx.Document()
    d.add_heading("某某同志专题民主生活会发言提纲", 0)
    d.add_heading("存在的主要问题", 1)
    p = d.add_paragraph()
    p.add_run("学习不够系统。").bold = True
    p.add_run("我去年只读完两本书，学用结合不够。")
    d.add_paragraph("通过学习，我深刻体会到，理想信念是共产党人的精神之钙。")
    d.add_heading("原因剖析", 1)
    d.add_paragraph("由于工作任务重、时间紧，学习时间难以保证。")
    buf = io.BytesIO()
    d.save(buf)
    rep = review_document(buf.getvalue(), filename="提纲.docx")
    by_text = {rep.text[s["start"]:s["end"]]: s for s in rep.sentences}
    assert by_text["存在的主要问题"]["section"] == "problems"
    assert by_text["学习不够系统。"]["function"] == "problem"
    assert by_text["通过学习，我深刻体会到，理想信念是共产党人的精神之钙。"]["function"] == "reasoning"
    assert by_text["由于工作任务重、时间紧，学习时间难以保证。"]["function"] == "cause_objective"
    assert {f.rule for f in rep.findings} >= {"pattern.reasoning-for-problems", "pattern.objective-causes"}


def test_an_excerpt_of_causes_alone_is_read_as_causes():
    """No heading at all: a lead sentence (深挖上述问题的根源) opens the causes, and what
    follows it, though written in shortcoming words, stays causes (issue 10)."""
    text = ("深挖上述问题的根源，主要有以下三个方面。\n"
            "一是理论学习的自觉性有所弱化，满足于读文件、记笔记，没有真正入脑入心。\n"
            "二是党性修养有所放松，对自己要求不够严，把自己混同于一般干部。\n"
            "三是宗旨意识有所淡化，到基层面对面听群众意见少了。\n")
    rep = review_text(text, doc_type="self")
    assert {s["role"] for s in rep.sections} == {"causes"}


def test_a_draft_without_headings_is_read_in_its_parts():
    text = ("按照县委要求，会前我认真学习了有关材料，征求意见12条。\n"
            "在理论学习上，我学得不深不透，今年只参加了3次集中研讨。\n"
            "在服务群众上，我下基层次数少，去年全年只走访了6个村。\n"
            "分析这些问题的原因，主要是理想信念有所松懈，宗旨意识有所淡化。\n"
            "针对上述问题，我将每月到联系村走访一次，年底前完成学习计划。\n")
    rep = review_text(text, doc_type="self")
    assert [s["role"] for s in rep.sections] == ["preface", "problems", "causes", "measures"]
