"""Scores 0–100, each with a one-line account of how it was computed."""
from __future__ import annotations

from .checks.document import CONCRETE_LEVEL, TOPIC_MISSING
from .checks.findings import Finding, SentenceView
from .packs import Pack
from .rulebook import RuleSet

WEIGHTS = {"coverage": 0.3, "structure": 0.2, "specificity": 0.25, "patterns": 0.25}
ZH = {"coverage": "覆盖", "structure": "结构", "specificity": "具体度", "patterns": "规范性"}
CONTENT = ("problems", "causes", "measures")


def compute_scores(pack: Pack, areas: list[dict], roles_present: set[str], chars: int,
                   sents: list[SentenceView], findings: list[Finding], doc_type: str,
                   rules: RuleSet, excerpt: str | None = None) -> tuple[dict, dict]:
    score, why = {}, {}
    against = {r.id for r in rules.rules if r.score == "patterns"}   # rules that count against 规范性
    findings_p = [f for f in findings if f.rule in against]
    n = len(areas) or 1
    cov = sum(1.0 if a["status"] == "covered" else 0.5 if a["status"] == "thin" else 0 for a in areas) / n
    topics_missing = sum(1 for f in findings if f.rule == TOPIC_MISSING)
    score["coverage"] = _clip(100 * cov - 10 * topics_missing)
    why["coverage"] = (f"{sum(a['status'] == 'covered' for a in areas)}个方面有具体事例、"
                       f"{sum(a['status'] == 'thin' for a in areas)}个方面较空（各计半分），共{len(areas)}个方面；"
                       f"缺少重点内容{topics_missing}项，每项扣10分")

    if doc_type == "critique":
        return _critique_scores(sents, findings_p)
    parts = pack.parts_for(doc_type)
    have = sum(1 for p in parts if p in roles_present) if doc_type in ("self", "team") else len(parts)
    length = min(1.0, chars / pack.min_chars) if pack.min_chars else 1.0
    score["structure"] = _clip(80 * have / max(len(parts), 1) + 20 * length)
    why["structure"] = f"必备部分{have}/{len(parts)}（80分）＋篇幅{chars}/{pack.min_chars}字（20分）"
    if excerpt:                               # an excerpt's parts and length are not the draft's
        score["structure"], why["structure"] = None, f"{excerpt}，结构不评分"

    probs = [s for s in sents if s.section == "problems" and s.function == "problem"]
    items = {}
    for s in probs:
        items[s.item] = max(items.get(s.item, 1.0), s.specificity)
    concrete_share = sum(v >= CONCRETE_LEVEL for v in items.values()) / len(items) if items else 0.0
    mean = sum(s.specificity for s in probs) / len(probs) if probs else 1.0
    score["specificity"] = _clip(100 * (0.6 * concrete_share + 0.4 * (mean - 1) / 2))
    why["specificity"] = (f"{len(items)}条问题中{round(concrete_share * len(items))}条见人见事（60分）；"
                          f"问题句平均具体度{mean:.1f}/3（40分）")

    content = [s for s in sents if s.section in CONTENT or doc_type == "critique"]
    flagged = {i for i, s in enumerate(content)
               if any(f.start < s.end and s.start < f.end for f in findings_p)}
    share = len(flagged) / len(content) if content else 0.0
    score["patterns"] = _clip(100 * (1 - share))
    why["patterns"] = f"查摆、剖析、措施中{len(flagged)}/{len(content)}句触犯“不能以……代替……”等规则"

    if excerpt and "problems" not in roles_present:     # nothing to cover or make concrete
        for k in ("coverage", "specificity"):
            score[k], why[k] = None, f"{excerpt}，没有查摆问题部分，不评分"
    weights = {k: w for k, w in WEIGHTS.items() if score[k] is not None}
    score["overall"] = _clip(sum(score[k] * w for k, w in weights.items()) / sum(weights.values()))
    why["overall"] = ("覆盖30%＋结构20%＋具体度25%＋规范性25%" if len(weights) == len(WEIGHTS)
                      else "按适用的分项折算（" + "、".join(ZH[k] for k in WEIGHTS if k not in weights) + "不评分）")
    return {k: score[k] for k in ("overall", *WEIGHTS)}, why


def _critique_scores(sents: list[SentenceView], findings: list[Finding]) -> tuple[dict, dict]:
    """A critique names colleagues' problems: no areas or parts to score, only how concrete
    and how direct its criticisms are."""
    probs = [s for s in sents if s.function == "problem"]
    concrete = sum(s.specificity >= CONCRETE_LEVEL for s in probs)
    spec = _clip(100 * concrete / len(probs)) if probs else 0
    flagged = sum(1 for s in sents if s.function != "other" and
                  any(f.start < s.end and s.start < f.end for f in findings))
    content = sum(1 for s in sents if s.function != "other") or 1
    pat = _clip(100 * (1 - flagged / content))
    score = {"overall": _clip(0.5 * spec + 0.5 * pat), "coverage": None, "structure": None,
             "specificity": spec, "patterns": pat}
    why = {"overall": "相互批评意见：具体度50%＋规范性50%（不评覆盖和结构）",
           "coverage": "不适用（相互批评意见不按方面评分）", "structure": "不适用",
           "specificity": f"{len(probs)}条批评意见中{concrete}条有具体事实",
           "patterns": f"{flagged}/{content}句以提希望、提建议、先肯定成绩代替批评"}
    return score, why


def _clip(x: float) -> int:
    return int(round(max(0.0, min(100.0, x))))
