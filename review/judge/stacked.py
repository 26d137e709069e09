"""The context model: a second stage over the sentence model (stacking).

Stage one (the sentence model) judges each sentence alone. Stage two reads, for each
sentence, stage one's probabilities for it, for its neighbours in the item and for the item
as a whole, with the item context of review.judge.context (who speaks, does the item ever
say 我, was a problem named before), and gives the function. It is a multinomial logistic
regression learned from whole drafts only, where that context is real; stored as plain
arrays, applied here in numpy. Fitting lives in review.judge.train."""
from __future__ import annotations

import numpy as np

from .cues import has_cue

# whether stage one reads the rules' features. Measured both ways: without them validation
# function macro-F1 stayed 0.89 and dev fell from 0.98 to 0.94, so stage one keeps them
BASE_READS_RULES = True


def stack_dicts(classes, proba: np.ndarray, xs: list[dict], ctxs: list[dict], item_ids: list[int]) -> list[dict]:
    """Stage two's input for each sentence of one document, in document order."""
    classes = [str(c) for c in classes]
    n = len(xs)
    out = []
    item_mean: dict[int, np.ndarray] = {}
    for item in set(item_ids):
        rows = [i for i in range(n) if item_ids[i] == item and not xs[i]["is_title"]] or \
               [i for i in range(n) if item_ids[i] == item]
        item_mean[item] = proba[rows].mean(axis=0)
    for i, (x, c) in enumerate(zip(xs, ctxs)):
        where = f"{x['section']}|{x['doc_type']}"
        d: dict[str, float] = {f"sec_doc={where}": 1.0, "title": float(x["is_title"]),
                               f"rule={x['rule_function']}|{where}": 1.0}
        for k, cl in enumerate(classes):
            d[f"p:{cl}"] = float(proba[i, k])
            d[f"p:{cl}|{x['doc_type']}"] = float(proba[i, k])
            d[f"item:{cl}"] = float(item_mean[item_ids[i]][k])
        for name, j in (("prev", i - 1), ("next", i + 1)):
            if 0 <= j < n and item_ids[j] == item_ids[i]:
                for k, cl in enumerate(classes):
                    d[f"{name}:{cl}"] = float(proba[j, k])
            else:
                d[f"{name}:none"] = 1.0
        for k, v in c.items():
            if isinstance(v, str):
                d[f"{k}={v}"] = 1.0
                d[f"{k}={v}|{where}"] = 1.0
            else:
                d[k] = float(v)
                d[f"{k}|{where}"] = float(v)
        wish = has_cue("hope", x["text"]) or has_cue("suggestion", x["text"])
        d[f"wish|before={float(wish)}|{c['problem_before']:.0f}|{x['doc_type']}"] = 1.0
        d[f"agent|unowned={c['agent']}|{c['item_unowned']:.0f}|{where}"] = 1.0
        out.append(d)
    return out


class ContextModel:
    """Multinomial logistic regression over stack_dicts, from its compiled arrays."""

    def __init__(self, spec: dict):
        self.classes = np.asarray(spec["classes"])
        self.index = {t: k for k, t in enumerate(spec["vocabulary"])}
        self.coef = np.asarray(spec["coef"], dtype=np.float64)          # (classes, features)
        self.intercept = np.asarray(spec["intercept"], dtype=np.float64)
        self.base_reads_rules = bool(spec.get("base_reads_rules", True))

    def predict_proba(self, dicts: list[dict]) -> np.ndarray:
        X = np.zeros((len(dicts), self.coef.shape[1]))
        for i, d in enumerate(dicts):
            for k, v in d.items():
                j = self.index.get(k)
                if j is not None:
                    X[i, j] = v
        z = X @ self.coef.T + self.intercept
        if z.shape[1] == 1:                                 # binary: scikit-learn keeps one row
            z = np.hstack([-z, z])
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def compile_context_model(dv, lr, base_reads_rules: bool = True) -> dict:
    terms = [None] * len(dv.vocabulary_)
    for t, j in dv.vocabulary_.items():
        terms[j] = t
    return {"classes": [str(c) for c in lr.classes_], "vocabulary": terms,
            "coef": np.asarray(lr.coef_, dtype=np.float64), "intercept": np.asarray(lr.intercept_, dtype=np.float64),
            "base_reads_rules": base_reads_rules}
