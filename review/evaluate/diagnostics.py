"""Per-rule diagnostics in the manner of Snorkel's LFAnalysis.

Each cue family of lang/zh/functions.yaml is a labelling function voting for one sentence
function. Over a set of labelled sentences we report, per LF: coverage (share of sentences
it fires on), overlaps (fires together with another LF), conflicts (fires with an LF voting
for another function), disagreement with the model, and its accuracy against the labels.
"""
from __future__ import annotations

import pandas as pd

from ..judge.cues import has_cue
from ..lang.zh.outline import strip_marker

# cue family -> the function it votes for
LF_LABEL = {"shortcoming": "problem", "praise": "praise", "reasoning": "reasoning", "commitment": "measure",
            "deflect_self": "deflect", "deflect_team": "deflect", "objective": "cause_objective",
            "subjective": "cause_subjective", "hope": "hope", "suggestion": "hope", "meta": "other"}


def lf_votes(texts: list[str]) -> pd.DataFrame:
    """A sentences × LFs frame of votes (the function label, or None where it does not fire)."""
    rows = []
    for t in texts:
        clean = strip_marker(t)
        rows.append({lf: (label if has_cue(lf, clean) else None) for lf, label in LF_LABEL.items()})
    return pd.DataFrame(rows)


def lf_analysis(texts: list[str], gold: list[str], model_pred: list[str] | None = None) -> pd.DataFrame:
    votes = lf_votes(texts)
    fired = votes.notna()
    n_fired = fired.sum(axis=1)
    out = []
    for lf, label in LF_LABEL.items():
        on = fired[lf]
        others = votes.drop(columns=[lf])
        conflict = on & others.apply(lambda r, label=label: any(v is not None and v != label for v in r), axis=1)
        row = {"lf": lf, "votes_for": label, "coverage": on.mean(), "overlaps": (on & (n_fired > 1)).mean(),
               "conflicts": conflict.mean(),
               "accuracy": (pd.Series(gold)[on] == label).mean() if on.any() else float("nan")}
        if model_pred is not None:
            row["model_disagrees"] = (pd.Series(model_pred)[on] != label).mean() if on.any() else float("nan")
        out.append(row)
    return pd.DataFrame(out).set_index("lf").round(3)


def confusion(gold: list[str], pred: list[str]) -> pd.DataFrame:
    return pd.crosstab(pd.Series(gold, name="gold"), pd.Series(pred, name="predicted"))
