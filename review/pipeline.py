"""segment → sections and doc type → judge → checks → score → report, as a pure function of
what it is given: the ingested draft, the pack, the verified rules and the classifier.
review.api chooses those; nothing here reads settings or files."""
from __future__ import annotations

import re
from pathlib import Path

from .checks.context import DocContext
from .checks.document import area_status
from .checks.findings import SentenceView
from .checks.pairing import pair
from .checks.registry import run_document_checks
from .checks.tiers import Calibration, apply_excerpt, apply_tiers, is_uncertain
from .ingest import Ingested
from .judge.reading import read_draft
from .judge.rules import RuleClassifier
from .packs import Pack
from .report import Report
from .rulebook import RuleSet
from .score import compute_scores
from .structure.doctype import detect_doc_type
from .structure.excerpt import excerpt_reason
from .structure.plan import plan_areas

DOC_TYPES = ("self", "team", "critique", "plan")


def analyse(ing: Ingested, *, pack: Pack, rules: RuleSet, classifier, doc_type: str | None = None,
            calibration: Calibration | None = None) -> Report:
    text = ing.text
    kind = doc_type or detect_doc_type(text)
    read = read_draft(text, kind, bold_spans=ing.bold_spans, heading_levels=ing.heading_levels)
    sections, sents, items, words = read.sections, read.sents, read.items, read.words
    # a plan is read for its area list and its terms, not judged sentence by sentence
    judged = (RuleClassifier(pack) if kind == "plan" else classifier).predict(items)

    views, item = [], 0
    for s, x, j in zip(sents, items, judged):
        if s.is_title:
            item += 1
        views.append(SentenceView(s.start, s.end, s.text, x.section, j.function, j.area, j.specificity,
                                  s.is_title, item, j.confidence))

    excerpt = excerpt_reason(text) if kind in ("self", "team") else None
    notes = list(ing.warnings) + ([f"{excerpt}：缺少的部分与篇幅不计分 (an excerpt)"] if excerpt else [])
    ctx = DocContext(pack, kind, text, views if kind != "plan" else [], {sec.role for sec in sections}, words=words)
    if kind == "plan":
        listed = plan_areas(text)
        areas = [{"id": a.number, "title": a.title, "status": "listed", "start": a.start, "end": a.end} for a in listed]
        findings = run_document_checks(ctx, rules)
        score = dict.fromkeys(("overall", "coverage", "structure", "specificity", "patterns"))
        why = {"overall": f"会议方案：列出{len(listed)}个对照检查方面（不评分）"}
    else:
        ctx.areas = areas = area_status(pack, views, kind)
        if kind in ("self", "team") and "measures" in ctx.roles_present:
            ctx.pairing = pair(views, [x.tokens or [] for x in items])
        findings = apply_tiers(run_document_checks(ctx, rules), calibration)
        findings = apply_excerpt(findings, excerpt, ctx.roles_present)
        firm = [f for f in findings if not is_uncertain(f)]      # 待核 findings do not cost points
        chars = len(re.sub(r"\s", "", text))
        score, why = compute_scores(pack, areas, ctx.roles_present, chars, views, firm, kind, rules, excerpt)

    return Report(
        file=Path(ing.filename).name, doc_type=kind, pack=pack.id, text=text, score=score, score_explained=why,
        areas=areas, sections=[{"role": s.role, "start": s.start, "end": s.end} for s in sections],
        sentences=[{"start": v.start, "end": v.end, "section": v.section, "function": v.function,
                    "area": v.area, "specificity": v.specificity, "cues": list(j.cues),
                    **({"confidence": j.confidence} if j.confidence is not None else {})}
                   for v, j in zip(views, judged)],
        findings=findings, pack_title=pack.title,
        warnings=notes, pairing=ctx.pairing,
        words=words)

