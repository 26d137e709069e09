"""Sentence features for the learned models: text n-grams, jieba words, context, rule cues
and Speciteller-style specificity features. Every transformer is stateless or fitted
by scikit-learn, so the pipelines pickle with joblib."""
from __future__ import annotations

import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from . import classify as C

CUE_FAMILIES = ("shortcoming", "praise", "reasoning", "commitment", "deflect_self", "deflect_team",
                "ownership", "objective", "subjective", "hope", "suggestion", "meta", "concrete_action")


def identity(x):
    """Analyzer for pre-tokenised input (module level, so pipelines pickle)."""
    return x


class Column(BaseEstimator, TransformerMixin):
    """Pick one field of each sentence dict."""

    def __init__(self, key: str):
        self.key = key

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [x[self.key] for x in X]


class Context(BaseEstimator, TransformerMixin):
    """Section, document type, title flag, rule cue families and (optionally) the rules'
    own function, as a dict for DictVectorizer."""

    def __init__(self, use_rules: bool = True):
        self.use_rules = use_rules

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        out = []
        for x in X:
            t = x["text"]
            d = {f"sec={x['section']}": 1, f"doc={x['doc_type']}": 1, f"sec_doc={x['section']}|{x['doc_type']}": 1,
                 "title": float(x["is_title"])}
            if self.use_rules:
                for fam in CUE_FAMILIES:
                    if C._has(fam, t):
                        d[f"cue={fam}"] = 1
                d[f"rule={x['rule_function']}"] = 1
                d[f"rule_sec={x['rule_function']}|{x['section']}"] = 1
            out.append(d)
        return out


def specificity_features(text: str) -> list[float]:
    t = C.strip_marker(text)
    n = max(len(t), 1)
    return [
        min(len(t), 150) / 150,
        len(re.findall(r"\d", t)) / n * 10,
        float(bool(C._NUM_UNIT.search(t))),
        float(bool(C._DATE.search(t))),
        float(bool(C._TIME.search(t))),
        float(bool(C._PERSON.search(t))),
        float(bool(C._PLACE.search(t))),
        float(bool(C._EXAMPLE.search(t))),
        float(bool(C._FIELD.search(t))),
        float(bool(C._STOCK.search(t))),
        float(bool(re.search(r"我|本人|自己", t))),
        len(re.findall(r"[“\"《]", t)) / 2,
        C.specificity(text) - 1,
    ]


class Specific(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.array([specificity_features(x["text"]) for x in X], dtype=float)
