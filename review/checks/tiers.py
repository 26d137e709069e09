"""The 待核 (to be checked) tier: a pattern finding whose confidence is below its rule's
threshold, calibrated on our validation set for precision ≥ 0.90, is kept but shown apart,
as info (issue 10: precision before recall). Score adjustment apart from the checks, as
Presidio keeps it; the thresholds are data (rules/calibration.yaml), written by
`review rules calibrate`."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import resources
from ..loader import read_yaml
from .findings import Finding

UNCERTAIN = "uncertain"
TARGET_PRECISION = 0.90


@dataclass(frozen=True)
class Calibration:
    mode: str                                    # the judgement mode it was measured in
    thresholds: dict[str, float] = field(default_factory=dict)
    measured: dict[str, dict] = field(default_factory=dict)   # rule -> precision, recall … on validation
    source: str = ""


def calibration_path() -> Path:
    return resources.data_path("rules") / "calibration.yaml"


@lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> Calibration | None:
    data = read_yaml(Path(path)) or {}
    rules = data.get("rules") or {}
    return Calibration(str(data.get("mode", "combined")),
                       {rid: float(v["threshold"]) for rid, v in rules.items() if "threshold" in v},
                       {rid: dict(v) for rid, v in rules.items()}, str(data.get("measured_on", "")))


def load_calibration(path: Path | None = None) -> Calibration | None:
    p = Path(path or calibration_path())
    if not p.exists():
        return None
    return _load(str(p), p.stat().st_mtime)


def apply_tiers(findings: list[Finding], calibration: Calibration | None) -> list[Finding]:
    """Findings below their rule's threshold move to the 待核 tier (severity info)."""
    if calibration is None:
        return findings
    for f in findings:
        t = calibration.thresholds.get(f.rule)
        if t is not None and f.confidence is not None and f.confidence < t:
            f.severity = "info"
            f.extra["tier"] = UNCERTAIN
    return findings


def is_uncertain(f) -> bool:
    extra = f.get("tier") if isinstance(f, dict) else f.extra.get("tier")
    return extra == UNCERTAIN


EXCERPT_DEMOTED = ("structure.", "coverage.topic-missing")
EXCERPT_DEMOTED_WITHOUT_PROBLEMS = ("coverage.area-",)


def apply_excerpt(findings: list[Finding], reason: str | None, roles_present: set[str]) -> list[Finding]:
    """An excerpt's missing parts, length and topics (and its areas, when it holds no problems
    part) say nothing of the whole draft: they move to the 待核 tier, with the reason."""
    if not reason:
        return findings
    demoted = EXCERPT_DEMOTED + (EXCERPT_DEMOTED_WITHOUT_PROBLEMS if "problems" not in roles_present else ())
    for f in findings:
        if f.rule.startswith(demoted):
            f.severity = "info"
            f.extra["tier"] = UNCERTAIN
            f.extra["uncertain_why"] = reason
            f.message = f"{f.message}（{reason}，仅供核对）"
    return findings
