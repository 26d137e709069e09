"""ingest → segment → analyse → score → report. `review_document` is the library entry point."""
from __future__ import annotations

import re
from pathlib import Path

from spacy.tokens import Span

from .classify import RuleClassifier, SentenceInput
from .doctype import detect_doc_type
from .findings import SentenceView, area_status, doc_findings, sentence_findings, term_findings
from .ingest import Ingested, read_document
from .nlp import make_doc
from .packs import DEFAULT_PACK, RuleSet, load_pack
from .plan import plan_areas
from .report import Report
from .score import compute_scores
from .sections import assign_sections, role_at
from .segment import heading_level, split_paragraphs, split_sentences

DOC_TYPES = ("self", "team", "critique", "plan")


def review_document(source, *, filename: str | None = None, pack: str | None = None,
                    doc_type: str | None = None, rules: RuleSet | None = None,
                    classifier=None) -> Report:
    """Review one draft. `source` is a path, bytes, or an already ingested document.
    Raises review.errors.ReviewError (one line, coded) for unusable input."""
    ing = source if isinstance(source, Ingested) else read_document(source, filename=filename)
    return analyse(ing, pack=pack, doc_type=doc_type, rules=rules, classifier=classifier)


def review_text(text: str, *, filename: str = "text.txt", **kw) -> Report:
    return analyse(Ingested(text=text, filename=filename, fmt="txt", encoding="utf-8",
                            bold_spans=[], heading_levels={}, warnings=[]), **kw)


def analyse(ing: Ingested, *, pack: str | None = None, doc_type: str | None = None,
            rules: RuleSet | None = None, classifier=None) -> Report:
    from .engine import active_rules
    text = ing.text
    p = load_pack(pack or DEFAULT_PACK)
    kind = doc_type or detect_doc_type(text)
    rules = rules or active_rules()

    paras = split_paragraphs(text, ing.bold_spans, ing.heading_levels)
    sections = assign_sections(paras, len(text), kind)
    sents = split_sentences(text, paras)
    heads = {sec.start for sec in sections if sec.heading}
    items = [SentenceInput(s.text, role_at(sections, s.start), kind, is_title=s.is_title,
                           heading_level=heading_level(paras[s.para].marker) if s.is_title else 99,
                           opens_section=s.is_title and paras[s.para].start in heads, para=s.para)
             for s in sents]
    judged = (classifier or RuleClassifier(p)).predict(items)

    views, item = [], 0
    for s, x, j in zip(sents, items, judged):
        if s.is_title:
            item += 1
        views.append(SentenceView(s.start, s.end, s.text, x.section, j.function, j.area, j.specificity, s.is_title, item))

    roles_present = {sec.role for sec in sections}
    findings = term_findings(rules, text, kind)
    if kind == "plan":
        listed = plan_areas(text)
        areas = [{"id": a.number, "title": a.title, "status": "listed", "start": a.start, "end": a.end} for a in listed]
        score = dict.fromkeys(("overall", "coverage", "structure", "specificity", "patterns"))
        why = {"overall": f"会议方案：列出{len(listed)}个对照检查方面（不评分）"}
    else:
        findings += sentence_findings(rules, views, kind)
        areas = area_status(p, views, kind)
        findings += doc_findings(rules, p, kind, text, roles_present, areas)
        chars = len(re.sub(r"\s", "", text))
        score, why = compute_scores(p, areas, roles_present, chars, views, findings, kind)

    doc = _spacy_doc(text, views, findings)
    return Report(
        file=Path(ing.filename).name, doc_type=kind, pack=p.id, text=text, score=score, score_explained=why,
        areas=areas, sections=[{"role": s.role, "start": s.start, "end": s.end} for s in sections],
        sentences=[{"start": v.start, "end": v.end, "section": v.section, "function": v.function,
                    "area": v.area, "specificity": v.specificity} for v in views],
        findings=findings, pack_title=p.title, warnings=list(ing.warnings), doc=doc)


def _spacy_doc(text: str, views, findings):
    """Tokens from spaCy+jieba; sentences and findings as Doc.spans for renderers."""
    doc = make_doc(text)
    doc.spans["sentences"] = [sp for v in views if (sp := _span(doc, v.start, v.end, v.function))]
    doc.spans["findings"] = [sp for f in findings if f.end > f.start and (sp := _span(doc, f.start, f.end, f.rule))]
    return doc


def _span(doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")
