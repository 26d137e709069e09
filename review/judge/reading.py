"""A draft read as the judge sees it: paragraphs, parts, sentences and one SentenceInput per
sentence. The pipeline and the training on whole drafts both read drafts here, so a model
learns from exactly the inputs it is given at run time."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..lang.zh.chars import to_simplified
from ..lang.zh.outline import heading_level
from ..nlp import segment
from ..structure.segment import Paragraph, Sentence, join_broken_lines, split_paragraphs, split_sentences
from ..structure.sections import Section, assign_sections, role_at
from .rules import SentenceInput


@dataclass
class Reading:
    paras: list[Paragraph]
    sections: list[Section]
    sents: list[Sentence]
    items: list[SentenceInput]
    words: list[str]


def read_draft(text: str, kind: str, *, bold_spans=None, heading_levels=None) -> Reading:
    """The draft as the judge reads it: in simplified characters (same offsets), so that a
    draft in traditional characters meets the same cues, headings and models."""
    text = to_simplified(text)
    paras = split_paragraphs(text, bold_spans, heading_levels)
    paras = join_broken_lines(paras, text)    # pasted from the web or a PDF, also into Word
    sections = assign_sections(paras, len(text), kind)
    sents = split_sentences(text, paras)
    words = segment(text)
    token_at = _token_index(words)
    heads = {sec.start for sec in sections if sec.heading}
    items = [SentenceInput(s.text, role_at(sections, s.start), kind, is_title=s.is_title,
                           heading_level=heading_level(paras[s.para].marker) if s.is_title else 99,
                           opens_section=s.is_title and paras[s.para].start in heads, para=s.para,
                           tokens=token_at(s.start, s.end))
             for s in sents]
    return Reading(paras, sections, sents, items, words)


def _token_index(words: list[str]):
    """tokens(start, end): the non-space tokens overlapping [start, end)."""
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w)

    def tokens(start: int, end: int) -> list[str]:
        i = max(0, bisect_right(starts, start) - 1)
        j = bisect_left(starts, end)
        return [w for w in words[i:j] if not w.isspace()]
    return tokens
