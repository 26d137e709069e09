"""Score review reports against gold files (SPEC §7).

API
---
``evaluate_dir(gold_dir, review_fn, *, progress=None) -> EvalResult``
    For every ``NAME.gold.json`` in *gold_dir* the document ``NAME.txt`` is
    reviewed with ``review_fn(Path)`` (a SPEC §8 report dict) and scored.
    Every ``NAME.txt`` without a gold file (the plans) is reviewed too and
    listed with its detected ``doc_type`` and number of areas.  An exception
    raised by *review_fn* is recorded in ``EvalResult.errors``; the run goes on.
    *progress*, if given, is called with the file name before each review.
``score_documents([(gold, report, text), ...]) -> EvalResult``
    Pure scoring.  ``report["text"]`` is what gold is located in (offsets refer
    to it); *text* (the file's own text) is used only when the report has none.
    The document name is ``report["file"]`` (else ``doc1``, ``doc2``, ...).
``format_table(result) -> str``  plain-text summary for a terminal.
``EvalResult.to_dict()``          JSON-able dict (nan -> None).

Decisions
---------
* Locating gold: each gold sentence is searched as an exact substring of the
  report text, starting at the end of the previous match; if not found there,
  from 0; if still not found (or empty) it is *unlocatable*: counted per
  document and in total, and left out of every sentence-level score.
* Matching: the report sentence covering the most characters of the gold span
  (earliest wins a tie).  No overlapping sentence -> no match: function
  "(none)", area wrong, specificity pair skipped.
* Section roles, char-weighted: each gold character takes the role of the
  first ``report["sections"]`` entry containing it, else "other".
  accuracy = matching chars / gold chars; confusion is gold role -> tool role
  -> chars.
* Function: subset = gold sentences whose gold section is problems / causes /
  measures, plus every sentence of a doc whose gold doc_type is critique.
  Macro-F1 (sklearn) is over the labels that occur in GOLD in that subset;
  per-class P/R/F1/support/predicted is given for every label in gold or
  predictions (an undefined P or R is None, shown "—").
* Pattern rules, sentence level over all located gold sentences of all docs.
  Gold positives: reasoning-for-problems <- reasoning in problems;
  praise-first <- praise in problems (any doc type) or anywhere in a critique;
  team-for-personal <- deflect in problems of a self or team doc;
  hope-for-criticism <- hope in a critique; objective-causes <-
  cause_objective in causes.  A sentence is predicted positive for rule R when
  the union of R's findings with start < end covers >= 50 % of its chars.
  P = TP / predicted, R = TP / gold positives, F1 = 2TP / (2TP + FP + FN);
  each is None ("—") when its denominator is 0.  Other pattern rules have no
  gold definition and are not scored.
* Area accuracy: gold function problem; matched tool sentence's area == gold
  area (both compared as int).
* Coverage: for each gold doc and each area id in ``report["areas"]``:
  gold covered = id in gold areas_covered; tool covered = status in
  (covered, thin).  Accuracy over all (doc, area) pairs, and per area id.
* Specificity: Spearman (scipy; pandas ranks if scipy is missing) of tool vs
  gold specificity over gold problem sentences (primary) and over all gold
  sentences in the problems section (secondary).  Fewer than 2 pairs or nan
  -> None ("n/a").
* Doc findings, only for docs whose gold has a "doc_findings" key.  Tool doc
  findings = start == end == 0, or rule starting with coverage./structure.,
  outside the 待核 tier;
  key = rule + ":area" | ":part" | "" (topic findings -> bare rule id); keys
  are deduplicated per doc.  A bare gold key matches any tool key of that
  rule, or any finding of that rule outside the 待核 tier (a sentence-level
  pattern finding answers "this draft has that fault"); such findings add no
  tool keys, so they never count as false positives.  Micro over all docs: P = tool keys matched by some gold key / tool
  keys; R = gold keys matched by some tool key / gold keys.  FP/FN lists per
  document.
* Worst items: per doc up to 10 sentences of the function subset whose
  function was mispredicted (gold -> tool, first 30 chars of the gold text).
"""

from __future__ import annotations

import json
import math
import warnings
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from ..rulebook import load_rulebook

FUNCTION_SECTIONS = ("problems", "causes", "measures")
PATTERN_THRESHOLD = 0.5
NO_MATCH = "(none)"
NA = "—"


# --------------------------------------------------------------------------
# result


@dataclass
class EvalResult:
    docs: list = field(default_factory=list)         # per scored doc
    unlocatable: int = 0
    section: dict = field(default_factory=dict)
    function: dict = field(default_factory=dict)
    patterns: dict = field(default_factory=dict)
    area: dict = field(default_factory=dict)
    coverage: dict = field(default_factory=dict)
    specificity: dict = field(default_factory=dict)
    doc_findings: dict = field(default_factory=dict)
    plans: list = field(default_factory=list)        # docs without gold
    worst: dict = field(default_factory=dict)        # doc -> mispredictions
    misjudged: list = field(default_factory=list)    # every misjudged sentence, with its evidence
    by_doc_type: dict = field(default_factory=dict)  # doc type -> function scores
    errors: list = field(default_factory=list)       # review_fn failures

    def to_dict(self) -> dict:
        return _jsonable(asdict(self))


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else float(x)
    return x


# --------------------------------------------------------------------------
# alignment of gold sentences to the report


@dataclass
class _Item:
    gold: dict
    start: int
    end: int
    tool: dict | None      # matched report sentence


@dataclass
class _Doc:
    name: str
    gold: dict
    report: dict
    text: str
    items: list
    unlocatable: int

    @property
    def doc_type(self) -> str:
        return self.gold.get("doc_type", "")


def locate(gold_sentences: list, text: str) -> tuple[list, int]:
    """Return ([(gold, start, end)], unlocatable count), in document order."""
    found, missing, cursor = [], 0, 0
    for g in gold_sentences:
        s = g.get("text", "")
        pos = text.find(s, cursor) if s else -1
        if pos < 0 and s:
            pos = text.find(s)
        if pos < 0:
            missing += 1
            continue
        found.append((g, pos, pos + len(s)))
        cursor = pos + len(s)
    return found, missing


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match_sentence(start: int, end: int, sentences: list) -> dict | None:
    """The report sentence covering most chars of [start, end); None if none."""
    best, best_n = None, 0
    for s in sentences:
        n = _overlap(start, end, s.get("start", 0), s.get("end", 0))
        if n > best_n:
            best, best_n = s, n
    return best


def _align(i: int, gold: dict, report: dict, text: str) -> _Doc:
    rtext = report.get("text")
    rtext = text if rtext is None else rtext
    located, missing = locate(gold.get("sentences", []), rtext)
    sents = report.get("sentences", [])
    items = [_Item(g, a, b, match_sentence(a, b, sents)) for g, a, b in located]
    name = report.get("file") or f"doc{i + 1}"
    return _Doc(name, gold, report, rtext, items, missing)


# --------------------------------------------------------------------------
# section roles


def _role_array(sections: list, n: int) -> list:
    roles = ["other"] * n
    for sec in reversed(sections):          # reversed: first entry wins
        a, b = max(0, sec.get("start", 0)), min(n, sec.get("end", 0))
        roles[a:b] = [sec.get("role", "other")] * max(0, b - a)
    return roles


def score_sections(docs: list) -> dict:
    confusion = defaultdict(Counter)
    for d in docs:
        roles = _role_array(d.report.get("sections", []), len(d.text))
        for it in d.items:
            confusion[it.gold.get("section", "other")].update(roles[it.start:it.end])
    total = sum(sum(c.values()) for c in confusion.values())
    right = sum(c[g] for g, c in confusion.items())
    return {"accuracy": right / total if total else None, "chars": total,
            "confusion": {g: dict(c) for g, c in confusion.items()}}


# --------------------------------------------------------------------------
# functions


def _tool_value(it: _Item, key: str):
    return it.tool.get(key) if it.tool else None


def _function_subset(d: _Doc) -> list:
    if d.doc_type == "critique":
        return list(d.items)
    return [it for it in d.items if it.gold.get("section") in FUNCTION_SECTIONS]


def _nan_none(x):
    x = float(x)
    return None if math.isnan(x) else x


def score_functions(docs: list) -> dict:
    items = [it for d in docs for it in _function_subset(d)]
    y_true = [it.gold.get("function", "other") for it in items]
    y_pred = [_tool_value(it, "function") or NO_MATCH for it in items]
    if not items:
        return {"macro_f1": None, "labels": [], "n": 0, "per_class": {},
                "confusion": {}}
    gold_labels = sorted(set(y_true))
    all_labels = sorted(set(y_true) | set(y_pred))
    macro = f1_score(y_true, y_pred, labels=gold_labels, average="macro",
                     zero_division=0)
    p, r, f, sup = precision_recall_fscore_support(
        y_true, y_pred, labels=all_labels, zero_division=np.nan)
    n_pred = Counter(y_pred)
    per_class = {lab: {"precision": _nan_none(p[k]), "recall": _nan_none(r[k]),
                       "f1": _nan_none(f[k]), "support": int(sup[k]),
                       "predicted": n_pred[lab]}
                 for k, lab in enumerate(all_labels)}
    confusion = defaultdict(Counter)
    for t, q in zip(y_true, y_pred):
        confusion[t][q] += 1
    return {"macro_f1": float(macro), "labels": gold_labels, "n": len(items),
            "per_class": per_class,
            "confusion": {g: dict(c) for g, c in confusion.items()}}


def worst_functions(docs: list, limit: int = 10) -> dict:
    out = {}
    for d in docs:
        bad = [{"gold": it.gold.get("function"),
                "tool": _tool_value(it, "function") or NO_MATCH,
                "text": it.gold.get("text", "")[:30]}
               for it in _function_subset(d)
               if (_tool_value(it, "function") or NO_MATCH) != it.gold.get("function")]
        if bad:
            out[d.name] = bad[:limit]
    return out


def misjudged(docs: list) -> list:
    """Every scored sentence whose function the tool got wrong: gold, predicted, and the
    evidence that decided (the rules' cue families, the model's probability)."""
    out = []
    for d in docs:
        for it in _function_subset(d):
            tool = _tool_value(it, "function") or NO_MATCH
            if tool == it.gold.get("function"):
                continue
            s = it.tool or {}
            out.append({"doc": d.name, "doc_type": d.doc_type, "section": it.gold.get("section"),
                        "gold": it.gold.get("function"), "tool": tool, "tool_section": s.get("section"),
                        "cues": s.get("cues") or [], "confidence": s.get("confidence"),
                        "text": it.gold.get("text", "")})
    return out


# --------------------------------------------------------------------------
# pattern rules


def pattern_rules() -> tuple[str, ...]:
    """The rules scored against gold labels: those the rulebook marks `evaluate: true`."""
    return tuple(r.id for r in load_rulebook().rules if r.evaluate)


def gold_rules(g: dict, doc_type: str) -> set:
    """The pattern rules a gold sentence is a positive of: each rule's own trigger
    (functions, sections, document types; SPEC §7), read from the rulebook."""
    sec, fn = g.get("section"), g.get("function")
    return {r.id for r in load_rulebook().rules if r.gold_positive(sec, fn, doc_type)}


def _covered(start: int, end: int, spans: list) -> int:
    """Chars of [start, end) covered by the union of spans."""
    marks = bytearray(max(0, end - start))
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a < b:
            marks[a - start:b - start] = b"\x01" * (b - a)
    return sum(marks)


def predicted_rules(it: _Item, spans_by_rule: dict) -> set:
    n = it.end - it.start
    return {rule for rule, spans in spans_by_rule.items()
            if n and _covered(it.start, it.end, spans) >= PATTERN_THRESHOLD * n}


def _span_findings(report: dict, min_confidence: dict | None = None) -> dict:
    """Spans of the warning-tier pattern findings (the 待核 tier is not a warning), or, with
    min_confidence (rule -> threshold), of every finding at or above its rule's threshold."""
    spans = defaultdict(list)
    for f in report.get("findings", []):
        if min_confidence is None and f.get("tier") == "uncertain":
            continue
        if min_confidence is not None and (f.get("confidence") is not None
                                           and f["confidence"] < min_confidence.get(f.get("rule"), 0.0)):
            continue
        if f.get("rule") in pattern_rules() and f.get("start", 0) < f.get("end", 0):
            spans[f["rule"]].append((f["start"], f["end"]))
    return spans


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    fp, fn = n_pred - tp, n_gold - tp
    return {"precision": tp / n_pred if n_pred else None,
            "recall": tp / n_gold if n_gold else None,
            "f1": 2 * tp / (2 * tp + fp + fn) if (tp + fp + fn) else None,
            "tp": tp, "support": n_gold, "predicted": n_pred}


def score_patterns(docs: list, min_confidence: dict | None = None) -> dict:
    tp, pred, gold = Counter(), Counter(), Counter()
    for d in docs:
        spans = _span_findings(d.report, min_confidence)
        for it in d.items:
            g, p = gold_rules(it.gold, d.doc_type), predicted_rules(it, spans)
            gold.update(g)
            pred.update(p)
            tp.update(g & p)
    return {rule: prf(tp[rule], pred[rule], gold[rule]) for rule in pattern_rules()}


# --------------------------------------------------------------------------
# areas, coverage, specificity


def _as_int(x):
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def score_areas(docs: list) -> dict:
    items = [it for d in docs for it in d.items
             if it.gold.get("function") == "problem"]
    right = sum(_as_int(_tool_value(it, "area")) == _as_int(it.gold.get("area"))
                and _as_int(it.gold.get("area")) is not None for it in items)
    return {"accuracy": right / len(items) if items else None,
            "correct": right, "n": len(items)}


def score_coverage(docs: list) -> dict:
    per_area = defaultdict(lambda: [0, 0])        # id -> [correct, total]
    for d in docs:
        gold = {_as_int(a) for a in d.gold.get("areas_covered", [])}
        for a in d.report.get("areas", []):
            aid = _as_int(a.get("id"))
            tool = a.get("status") in ("covered", "thin")
            per_area[aid][0] += tool == (aid in gold)
            per_area[aid][1] += 1
    right = sum(c for c, _ in per_area.values())
    total = sum(t for _, t in per_area.values())
    return {"accuracy": right / total if total else None,
            "correct": right, "n": total,
            "per_area": {aid: {"accuracy": c / t, "correct": c, "n": t}
                         for aid, (c, t) in sorted(per_area.items(), key=_area_order)}}


def _area_order(kv):
    return (kv[0] is None, kv[0] or 0)


def spearman(x: list, y: list) -> float | None:
    if len(x) < 2:
        return None
    try:
        from scipy.stats import spearmanr       # heavy, and only for evaluation
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rho = spearmanr(x, y).statistic
    except ImportError:
        import pandas as pd                    # the fallback without scipy
        rx, ry = pd.Series(x).rank(), pd.Series(y).rank()
        rho = rx.corr(ry)
    rho = float(rho)
    return None if math.isnan(rho) else rho


def _spec_pairs(items: list) -> tuple[list, list]:
    pairs = [(float(_tool_value(it, "specificity")), float(it.gold["specificity"]))
             for it in items
             if _tool_value(it, "specificity") is not None
             and it.gold.get("specificity") is not None]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def score_specificity(docs: list) -> dict:
    out = {}
    subsets = {
        "problem_sentences": lambda it: it.gold.get("function") == "problem",
        "problems_section": lambda it: it.gold.get("section") == "problems",
    }
    for key, keep in subsets.items():
        tool, gold = _spec_pairs([it for d in docs for it in d.items if keep(it)])
        out[key] = {"spearman": spearman(tool, gold), "n": len(tool)}
    return out


# --------------------------------------------------------------------------
# document-level findings


def finding_key(f: dict) -> str:
    rule = f.get("rule", "")
    if "area" in f:
        return f"{rule}:{f['area']}"
    if "part" in f:
        return f"{rule}:{f['part']}"
    return rule


def tool_doc_keys(report: dict) -> set:
    keys = set()
    for f in report.get("findings", []):
        if f.get("tier") == "uncertain":          # 待核: shown apart, not a finding of the draft
            continue
        rule = f.get("rule", "")
        doc_level = f.get("start", 0) == 0 and f.get("end", 0) == 0
        if doc_level or rule.startswith(("coverage.", "structure.")):
            keys.add(finding_key(f))
    return keys


def raised_rules(report: dict) -> set:
    """Rule ids raised anywhere in the report, 待核 findings left out."""
    return {f.get("rule", "") for f in report.get("findings", [])
            if f.get("tier") != "uncertain"}


def _key_match(gold_key: str, tool_key: str) -> bool:
    if ":" not in gold_key:                      # bare rule id
        return tool_key.split(":", 1)[0] == gold_key
    return gold_key == tool_key


def score_doc_findings(docs: list) -> dict:
    n_tool = n_gold = tool_hit = gold_hit = 0
    per_doc = {}
    for d in docs:
        if "doc_findings" not in d.gold:
            continue
        gold, tool = set(d.gold["doc_findings"]), tool_doc_keys(d.report)
        fp = sorted(t for t in tool if not any(_key_match(g, t) for g in gold))
        raised = raised_rules(d.report)
        fn = sorted(g for g in gold if not any(_key_match(g, t) for t in tool)
                    and not (":" not in g and g in raised))
        n_tool, n_gold = n_tool + len(tool), n_gold + len(gold)
        tool_hit, gold_hit = tool_hit + len(tool) - len(fp), gold_hit + len(gold) - len(fn)
        per_doc[d.name] = {"false_positives": fp, "false_negatives": fn}
    p = tool_hit / n_tool if n_tool else None
    r = gold_hit / n_gold if n_gold else None
    f1 = None
    if p is not None and r is not None:
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "tool": n_tool,
            "gold": n_gold, "per_doc": per_doc}


# --------------------------------------------------------------------------
# entry points


def _doc_summary(d: _Doc) -> dict:
    return {"name": d.name, "gold_doc_type": d.doc_type,
            "tool_doc_type": d.report.get("doc_type"),
            "gold_sentences": len(d.gold.get("sentences", [])),
            "located": len(d.items), "unlocatable": d.unlocatable}


def aligned(pairs: Iterable) -> list:
    """[(gold, report, text)] matched sentence by sentence, as every score reads them."""
    return [_align(i, g, r, t) for i, (g, r, t) in enumerate(pairs)]


def score_documents(pairs: Iterable) -> EvalResult:
    """Score [(gold, report, text)] triples; see the module docstring."""
    docs = [_align(i, g, r, t) for i, (g, r, t) in enumerate(pairs)]
    return EvalResult(
        docs=[_doc_summary(d) for d in docs],
        unlocatable=sum(d.unlocatable for d in docs),
        section=score_sections(docs),
        function=score_functions(docs),
        patterns=score_patterns(docs),
        area=score_areas(docs),
        coverage=score_coverage(docs),
        specificity=score_specificity(docs),
        doc_findings=score_doc_findings(docs),
        worst=worst_functions(docs),
        misjudged=misjudged(docs),
        by_doc_type={t: score_functions([d for d in docs if d.doc_type == t])
                     for t in sorted({d.doc_type for d in docs})},
    )


def read_text(path: Path) -> str:
    """File text with newlines normalised to \\n (UTF-8, else GB18030)."""
    data = path.read_bytes()
    try:
        s = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        s = data.decode("gb18030")
    return s.replace("\r\n", "\n").replace("\r", "\n")


def evaluate_dir(gold_dir, review_fn: Callable, *,
                 progress: Callable[[str], None] | None = None) -> EvalResult:
    pairs, plans, errors = collect(gold_dir, review_fn, progress=progress)
    result = score_documents(pairs)
    result.plans, result.errors = plans, errors
    return result


def collect(gold_dir, review_fn: Callable, *, progress: Callable[[str], None] | None = None):
    """([(gold, report, text)], plans, errors) for every draft under gold_dir."""
    gold_dir = Path(gold_dir)
    pairs, plans, errors = [], [], []
    for txt in sorted(gold_dir.rglob("*.txt")):            # sub-folders too (eval/validation/v1 …)
        if progress:
            progress(txt.name)
        gold_path = txt.with_name(txt.stem + ".gold.json")
        try:
            report = dict(review_fn(txt))
        except Exception as exc:                 # keep going; report it
            errors.append({"name": txt.name, "error": f"{type(exc).__name__}: {exc}"})
            continue
        report.setdefault("file", txt.name)
        if gold_path.exists():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            pairs.append((gold, report, read_text(txt)))
        else:
            plans.append({"name": txt.name, "doc_type": report.get("doc_type"),
                          "areas": len(report.get("areas", []))})
    return pairs, plans, errors


# --------------------------------------------------------------------------
# terminal table


def _f(x) -> str:
    return NA if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2f}"


def _rows(header: list, rows: list, indent: str = "  ") -> list:
    cols = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in cols) for k in range(len(header))]
    fmt = lambda r: indent + "  ".join(  # noqa: E731
        c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(r, widths)))
    return [fmt(r) for r in cols]


def _fmt_docs(res: EvalResult) -> list:
    lines = [f"Documents: {len(res.docs)} scored, {res.unlocatable} gold sentences "
             f"unlocatable, {len(res.plans)} without gold, {len(res.errors)} errors"]
    rows = [[d["name"], d["gold_doc_type"], d["tool_doc_type"],
             f"{d['located']}/{d['gold_sentences']}"] for d in res.docs]
    if rows:
        lines += _rows(["doc", "gold type", "tool type", "located"], rows)
    lines += [f"  ERROR {e['name']}: {e['error']}" for e in res.errors]
    return lines


def _fmt_sections(res: EvalResult) -> list:
    s = res.section
    lines = [f"Section roles (char-weighted): accuracy {_f(s.get('accuracy'))} "
             f"over {s.get('chars', 0)} chars"]
    conf = s.get("confusion", {})
    tool_roles = sorted({t for c in conf.values() for t in c})
    if conf:
        rows = [[g] + [conf[g].get(t, 0) for t in tool_roles] for g in sorted(conf)]
        lines += _rows(["gold\\tool"] + [t[:8] for t in tool_roles], rows)
    return lines


def _fmt_functions(res: EvalResult) -> list:
    fn = res.function
    lines = [f"Function: macro-F1 {_f(fn.get('macro_f1'))} over gold labels "
             f"({', '.join(fn.get('labels', []))}), n={fn.get('n', 0)}"]
    rows = [[lab, _f(m["precision"]), _f(m["recall"]), _f(m["f1"]),
             m["support"], m["predicted"]] for lab, m in fn.get("per_class", {}).items()]
    if rows:
        lines += _rows(["label", "P", "R", "F1", "support", "pred"], rows)
    return lines


def _fmt_patterns(res: EvalResult) -> list:
    rows = [[rule, _f(m["precision"]), _f(m["recall"]), _f(m["f1"]),
             m["support"], m["predicted"]] for rule, m in res.patterns.items()]
    return ["Pattern rules (sentence level, >=50% covered)"] + _rows(
        ["rule", "P", "R", "F1", "support", "pred"], rows)


def _fmt_areas(res: EvalResult) -> list:
    a, c, sp = res.area, res.coverage, res.specificity
    per = "  ".join(f"{aid}:{_f(m['accuracy'])}({m['n']})"
                    for aid, m in c.get("per_area", {}).items())
    ps, sec = sp.get("problem_sentences", {}), sp.get("problems_section", {})
    return [f"Area accuracy (gold problem sentences): {_f(a.get('accuracy'))} "
            f"(n={a.get('n', 0)})",
            f"Coverage accuracy: {_f(c.get('accuracy'))} (n={c.get('n', 0)})  "
            f"per area {per}",
            f"Specificity Spearman: problem sentences {_f(ps.get('spearman'))} "
            f"(n={ps.get('n', 0)}); problems section {_f(sec.get('spearman'))} "
            f"(n={sec.get('n', 0)})"]


def _fmt_doc_findings(res: EvalResult) -> list:
    df = res.doc_findings
    lines = [f"Doc findings: P {_f(df.get('precision'))} R {_f(df.get('recall'))} "
             f"F1 {_f(df.get('f1'))} (tool {df.get('tool', 0)}, gold {df.get('gold', 0)})"]
    for name, m in df.get("per_doc", {}).items():
        lines.append(f"  {name}")
        lines.append(f"    FP: {', '.join(m['false_positives']) or '-'}")
        lines.append(f"    FN: {', '.join(m['false_negatives']) or '-'}")
    return lines


def _fmt_plans(res: EvalResult) -> list:
    if not res.plans:
        return []
    rows = [[p["name"], p["doc_type"], p["areas"]] for p in res.plans]
    return ["Documents without gold"] + _rows(["doc", "doc_type", "areas"], rows)


def _fmt_worst(res: EvalResult) -> list:
    if not res.worst:
        return []
    lines = ["Worst items (function mispredicted: gold → tool)"]
    for name, bad in res.worst.items():
        lines.append(f"  {name}")
        lines += [f"    {b['gold']} → {b['tool']}  {b['text']}" for b in bad]
    return lines


def format_errors(res: EvalResult) -> str:
    """Every misjudged sentence (gold → tool), with the evidence, then the function
    confusion per document type."""
    out = [f"Misjudged sentences: {len(res.misjudged)} of {res.function.get('n', 0)} scored"]
    doc = None
    for m in res.misjudged:
        if m["doc"] != doc:
            doc = m["doc"]
            out.append(f"  {doc} ({m['doc_type']})")
        why = "+".join(m["cues"]) or "no cue"
        p = f" p={m['confidence']:.2f}" if m["confidence"] is not None else ""
        sec = m["section"] if m["section"] == m["tool_section"] else f"{m['section']}→{m['tool_section']}"
        out.append(f"    {m['gold']} → {m['tool']}  [{sec}; rules: {why};{p}]  {' '.join(m['text'].split())[:60]}")
    for t, f in res.by_doc_type.items():
        out += ["", f"Function by doc type: {t}: macro-F1 {_f(f.get('macro_f1'))}, n={f.get('n', 0)}"]
        labels = sorted({k for row in f.get("confusion", {}).values() for k in row} | set(f.get("confusion", {})))
        rows = [[g] + [str(f["confusion"].get(g, {}).get(q, "")) for q in labels] for g in labels if g in f["confusion"]]
        out += _rows(["gold\\tool"] + [q[:8] for q in labels], rows, "  ")
    return "\n".join(out)


def format_table(result: EvalResult) -> str:
    blocks = [_fmt_docs, _fmt_sections, _fmt_functions, _fmt_patterns,
              _fmt_areas, _fmt_doc_findings, _fmt_plans, _fmt_worst]
    parts = [b(result) for b in blocks]
    return "\n\n".join("\n".join(lines) for lines in parts if lines)


def headline(res: EvalResult) -> dict:
    """The numbers the issues name, from one result."""
    pat = res.patterns or {}

    def f1(rule):
        return (pat.get(rule) or {}).get("f1")
    return {
        "section accuracy": res.section.get("accuracy"),
        "function macro-F1": res.function.get("macro_f1"),
        "area accuracy": res.area.get("accuracy"),
        "coverage accuracy": res.coverage.get("accuracy"),
        "specificity Spearman": (res.specificity.get("problem_sentences") or {}).get("spearman"),
        "reasoning-for-problems F1": f1("pattern.reasoning-for-problems"),
        "praise-first F1": f1("pattern.praise-first"),
        "team-for-personal F1": f1("pattern.team-for-personal"),
        "doc findings F1": res.doc_findings.get("f1"),
    }


def ablation_table(results: dict) -> str:
    """Rules alone, model alone and combined side by side (one EvalResult per mode)."""
    modes = list(results)
    heads = {m: headline(r) for m, r in results.items()}
    rows = [[k] + [_f(heads[m][k]) for m in modes] for k in heads[modes[0]]]
    return "\n".join(["Ablation on " + ", ".join(f"{m}" for m in modes)] + _rows(["measure"] + modes, rows))
