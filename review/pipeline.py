"""ingest → segment → analyse → score → report. `review_document` is the library entry point."""
from __future__ import annotations

import os
import re
from pathlib import Path

from spacy.tokens import Span

from .classify import RuleClassifier, SentenceInput
from .doctype import detect_doc_type
from .findings import (SentenceView, area_status, doc_findings, sentence_findings, term_findings,
                       unmatched_findings)
from .ingest import Ingested, read_document
from .nlp import make_doc
from .pairing import pair
from .packs import DEFAULT_PACK, RuleSet, load_pack
from .plan import plan_areas
from .report import Report
from .score import compute_scores
from .sections import assign_sections, role_at
from .segment import heading_level, split_paragraphs, split_sentences

DOC_TYPES = ("self", "team", "critique", "plan")


def review_document(source, *, filename: str | None = None, pack: str | None = None,
                    doc_type: str | None = None, rules: RuleSet | None = None,
                    classifier=None, mode: str | None = None) -> Report:
    """Review one draft. `source` is a path, bytes, or an already ingested document.
    `mode` is "combined" (default: rules and learned models), "model" or "rules".
    Raises review.errors.ReviewError (one line, coded) for unusable input."""
    ing = source if isinstance(source, Ingested) else read_document(source, filename=filename)
    return analyse(ing, pack=pack, doc_type=doc_type, rules=rules, classifier=classifier, mode=mode)


def review_text(text: str, *, filename: str = "text.txt", **kw) -> Report:
    return analyse(Ingested(text=text, filename=filename, fmt="txt", encoding="utf-8",
                            bold_spans=[], heading_levels={}, warnings=[]), **kw)


def analyse(ing: Ingested, *, pack: str | None = None, doc_type: str | None = None,
            rules: RuleSet | None = None, classifier=None, mode: str | None = None) -> Report:
    from .engine import active_rules
    text = ing.text
    p = load_pack(pack or DEFAULT_PACK)
    kind = doc_type or detect_doc_type(text)
    mode = mode or default_mode()
    rules = rules or active_rules(None, mode)

    paras = split_paragraphs(text, ing.bold_spans, ing.heading_levels)
    sections = assign_sections(paras, len(text), kind)
    sents = split_sentences(text, paras)
    doc = make_doc(text)
    heads = {sec.start for sec in sections if sec.heading}
    items = [SentenceInput(s.text, role_at(sections, s.start), kind, is_title=s.is_title,
                           heading_level=heading_level(paras[s.para].marker) if s.is_title else 99,
                           opens_section=s.is_title and paras[s.para].start in heads, para=s.para,
                           tokens=_tokens(doc, s.start, s.end))
             for s in sents]
    # a plan is read for its area list and its terms, not judged sentence by sentence
    judged = (RuleClassifier(p) if kind == "plan" else (classifier or make_classifier(p, mode))).predict(items)

    views, item = [], 0
    for s, x, j in zip(sents, items, judged):
        if s.is_title:
            item += 1
        views.append(SentenceView(s.start, s.end, s.text, x.section, j.function, j.area, j.specificity,
                                  s.is_title, item, j.confidence))

    roles_present = {sec.role for sec in sections}
    findings = term_findings(rules, text, kind)
    pairing: list[dict] = []
    if kind == "plan":
        listed = plan_areas(text)
        areas = [{"id": a.number, "title": a.title, "status": "listed", "start": a.start, "end": a.end} for a in listed]
        score = dict.fromkeys(("overall", "coverage", "structure", "specificity", "patterns"))
        why = {"overall": f"会议方案：列出{len(listed)}个对照检查方面（不评分）"}
    else:
        findings += sentence_findings(rules, views, kind)
        areas = area_status(p, views, kind)
        findings += doc_findings(rules, p, kind, text, roles_present, areas)
        if kind in ("self", "team") and "measures" in roles_present:
            pairing = pair(views, [x.tokens or [] for x in items])
            findings += unmatched_findings(rules, pairing)
        chars = len(re.sub(r"\s", "", text))
        score, why = compute_scores(p, areas, roles_present, chars, views, findings, kind)

    _add_spans(doc, views, findings)
    return Report(
        file=Path(ing.filename).name, doc_type=kind, pack=p.id, text=text, score=score, score_explained=why,
        areas=areas, sections=[{"role": s.role, "start": s.start, "end": s.end} for s in sections],
        sentences=[{"start": v.start, "end": v.end, "section": v.section, "function": v.function,
                    "area": v.area, "specificity": v.specificity} for v in views],
        findings=findings, pack_title=p.title, warnings=list(ing.warnings), doc=doc, pairing=pairing)


def default_mode() -> str:
    """REVIEW_MODE if set; else rules and learned models together when there is a corpus
    to learn from (models are built on first use), rules alone when there is none."""
    from .corpus import corpus_files
    return os.environ.get("REVIEW_MODE") or ("combined" if corpus_files() else "rules")


def make_classifier(pack, mode: str | None = None):
    """The sentence classifier for a mode: "combined", "model" or "rules"."""
    mode = mode or default_mode()
    if mode == "rules":
        return RuleClassifier(pack)
    from .model import ModelClassifier
    return ModelClassifier(pack, mode=mode)


def _tokens(doc, start: int, end: int) -> list[str]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return [t.text for t in span if not t.is_space] if span is not None else []


def _add_spans(doc, views, findings) -> None:
    """Sentences and findings as Doc.spans for renderers."""
    doc.spans["sentences"] = [sp for v in views if (sp := _span(doc, v.start, v.end, v.function))]
    doc.spans["findings"] = [sp for f in findings if f.end > f.start and (sp := _span(doc, f.start, f.end, f.rule))]


def _span(doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")
