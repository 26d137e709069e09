"""Per-rule thresholds for the 待核 tier (review.checks.tiers), measured on our validation
drafts: the lowest confidence at which a pattern rule's findings reach precision ≥ 0.90,
with precision and recall at that tier and over both tiers. Never on ../shared/eval/dev."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import yaml

from ..checks.tiers import TARGET_PRECISION
from .scorer import aligned, collect, pattern_rules, score_patterns


def calibrate(gold_dir, review_fn: Callable, mode: str) -> dict:
    pairs, _, _ = collect(gold_dir, review_fn)
    docs = aligned(pairs)
    out = {}
    for rule in pattern_rules():
        confs = sorted({f["confidence"] for d in docs for f in d.report.get("findings", [])
                        if f.get("rule") == rule and f.get("confidence") is not None})
        every = score_patterns(docs, {rule: 0.0})[rule]
        chosen = None
        for t in [0.0] + confs:
            m = score_patterns(docs, {rule: t})[rule]
            if m["predicted"] and m["precision"] >= TARGET_PRECISION:
                chosen = (t, m)
                break
        if chosen is None:            # no level reaches the target: everything is 待核
            t = round((confs[-1] if confs else 0.0) + 0.001, 3)
            chosen = (t, {"precision": None, "recall": 0.0 if every["support"] else None, "support": every["support"],
                          "predicted": 0, "tp": 0})
        t, m = chosen
        out[rule] = {"threshold": round(float(t), 3), "precision": _r(m["precision"]), "recall": _r(m["recall"]),
                     "support": m["support"], "warnings": m["predicted"],
                     "precision_all": _r(every["precision"]), "recall_all": _r(every["recall"])}
    return {"mode": mode, "target_precision": TARGET_PRECISION,
            "measured_on": f"{Path(gold_dir).as_posix()} ({len(docs)} drafts)", "rules": out}


def _r(x):
    return None if x is None else round(float(x), 3)


def write_calibration(data: dict, path: Path) -> None:
    head = ("# Thresholds of the 待核 tier (review.checks.tiers), written by `review rules calibrate`.\n"
            "# A pattern finding below its rule's threshold is shown apart, as info. Measured on our\n"
            "# validation drafts (never on ../shared/eval/dev): precision/recall at the warning tier,\n"
            "# and *_all over both tiers.\n")
    path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
