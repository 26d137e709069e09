"""Sentence features for the learned models, as plain functions (no scikit-learn here):
context (section, document type, title, the rules' cue families and verdict) and
Speciteller-style specificity features. review.judge.train wraps them for fitting."""
from __future__ import annotations

import re

from ..lang.zh.outline import strip_marker
from .cues import has_cue
from .specificity import has_marker, specificity

CUE_FAMILIES = ("shortcoming", "praise", "reasoning", "commitment", "deflect_self", "deflect_team",
                "ownership", "objective", "subjective", "hope", "suggestion", "meta", "concrete_action")


def context_dict(x: dict, use_rules: bool = True) -> dict[str, float]:
    """One sentence's context features, for a DictVectorizer."""
    t = x["text"]
    d = {f"sec={x['section']}": 1, f"doc={x['doc_type']}": 1, f"sec_doc={x['section']}|{x['doc_type']}": 1,
         "title": float(x["is_title"])}
    if use_rules:
        for fam in CUE_FAMILIES:
            if has_cue(fam, t):
                d[f"cue={fam}"] = 1
        d[f"rule={x['rule_function']}"] = 1
        d[f"rule_sec={x['rule_function']}|{x['section']}"] = 1
    return d


def specificity_features(text: str) -> list[float]:
    t = strip_marker(text)
    n = max(len(t), 1)
    return [
        min(len(t), 150) / 150,
        len(re.findall(r"\d", t)) / n * 10,
        float(has_marker("num_unit", t)),
        float(has_marker("date", t)),
        float(has_marker("time", t)),
        float(has_marker("person", t)),
        float(has_marker("place", t)),
        float(has_marker("example", t)),
        float(has_marker("field", t)),
        float(has_marker("stock", t)),
        float(bool(re.search(r"我|本人|自己", t))),
        len(re.findall(r"[“\"《]", t)) / 2,
        specificity(text) - 1,
    ]

