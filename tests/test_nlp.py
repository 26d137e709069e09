"""The NLP engine: spaCy blank zh + jieba + our user dictionary, offline."""
from pathlib import Path

import pytest

from review.nlp import get_nlp, make_doc
from review.api import review_text

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.txt"))


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in SAMPLES] +
                         ["一、问题 \n\n  我 对 学习\t抓得不紧。 A  B\n", "  前导空格", "末尾空格 ", ""])
def test_make_doc_tokenises_exactly_like_the_spacy_pipeline(text):
    fast, ref = make_doc(text), get_nlp()(text)
    assert fast.text == text
    assert [t.text_with_ws for t in fast] == [t.text_with_ws for t in ref]


def test_party_terms_stay_whole():
    words = [t.text for t in make_doc("坚决做到两个维护，心怀国之大者，落实一岗双责，持续纠治四风。")]
    for term in ("两个维护", "国之大者", "一岗双责", "四风"):
        assert term in words


def test_report_doc_carries_sentences_and_findings_as_spans():
    rep = review_text("个人发言提纲\n一、存在的主要问题\n通过学习，我深刻体会到，理想信念是共产党人的精神之钙。\n我对分管工作抓得不紧。",
                      doc_type="self")
    labels = [s.label_ for s in rep.doc.spans["sentences"]]
    assert "reasoning" in labels and "problem" in labels
    assert "pattern.reasoning-for-problems" in [s.label_ for s in rep.doc.spans["findings"]]
