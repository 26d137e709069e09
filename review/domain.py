"""The domain's closed vocabularies (SPEC §1–§3): document types, section roles,
sentence functions, severities. Everything else refers to these names."""
from __future__ import annotations

from typing import Literal

DocType = Literal["self", "team", "critique", "plan"]
Role = Literal["preface", "rectification_review", "problems", "personal_matters", "causes", "measures", "other"]
Function = Literal["problem", "reasoning", "praise", "deflect", "hope", "cause_subjective",
                   "cause_objective", "measure", "other"]
Severity = Literal["error", "warning", "info"]

DOC_TYPES: tuple[str, ...] = DocType.__args__
ROLES: tuple[str, ...] = Role.__args__
FUNCTIONS: tuple[str, ...] = Function.__args__
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
