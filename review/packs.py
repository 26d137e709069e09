"""Rule packs: YAML under rules/, validated with pydantic on load.

A pack names the areas a meeting checks, its extra required topics, the required parts
and the minimum length. Pattern rules (rules/patterns.yaml) are shared by all packs and
each carries its own should-flag / should-not-flag examples.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ReviewError

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
PACKS_DIR = RULES_DIR / "packs"
DEFAULT_PACK = "2021-five-leads"

Role = Literal["preface", "rectification_review", "problems", "personal_matters", "causes", "measures", "other"]
Function = Literal["problem", "reasoning", "praise", "deflect", "hope", "cause_subjective",
                   "cause_objective", "measure", "other"]
DocType = Literal["self", "team", "critique", "plan"]
Severity = Literal["error", "warning", "info"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regexes(values: list[str]) -> list[str]:
    for v in values:
        try:
            re.compile(v)
        except re.error as e:
            raise ValueError(f"bad regex {v!r}: {e}") from None
    return values


class Area(Strict):
    id: int = Field(ge=1)
    title: str
    short: str
    description: str = ""
    cues: dict[str, float]          # regex -> weight; matched on sentence text
    heading_cues: list[str] = []    # regexes that mark a sub-heading as this area

    _v = field_validator("heading_cues")(lambda cls, v: _check_regexes(v))

    @field_validator("cues")
    @classmethod
    def _cues(cls, v):
        _check_regexes(list(v))
        return v


class Topic(Strict):
    id: str
    title: str
    cues: list[str]
    doc_types: list[DocType] = ["self", "team"]
    _v = field_validator("cues")(lambda cls, v: _check_regexes(v))


class Pack(Strict):
    id: str
    title: str
    source: str = ""
    areas: list[Area]
    topics: list[Topic] = []
    required_parts: list[Role]
    team_required_parts: list[Role] | None = None   # a team material's parts; default: all but personal_matters
    min_chars: int = Field(ge=0)
    page_chars: int = 616

    @model_validator(mode="after")
    def _unique(self):
        ids = [a.id for a in self.areas]
        if len(ids) != len(set(ids)):
            raise ValueError(f"areas: area ids not unique: {ids}")
        return self

    def parts_for(self, doc_type: str) -> list[str]:
        if doc_type == "team":
            if self.team_required_parts is not None:
                return list(self.team_required_parts)
            return [p for p in self.required_parts if p != "personal_matters"]
        return list(self.required_parts)

    def area(self, area_id: int) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)


class Example(Strict):
    text: str                        # should-flag examples mark the flagged span as [[…]]
    section: Role = "problems"
    doc_type: DocType = "self"
    note: str = ""


class Rule(Strict):
    id: str
    severity: Severity
    clause: str                      # the plan clause it enforces, quoted in every finding
    message: str
    suggestion: str
    doc_types: list[DocType] = ["self", "team", "critique"]
    sections: list[Role] = []        # empty: anywhere
    functions: list[Function] = []   # sentence functions that trigger it (function rules)
    cues: list[str] = []             # extra regex narrowing which sentences fire (optional)
    should_flag: list[Example] = []
    should_not_flag: list[Example] = []

    _v = field_validator("cues")(lambda cls, v: _check_regexes(v))

    @field_validator("id")
    @classmethod
    def _id(cls, v):
        if not re.fullmatch(r"[a-z]+\.[a-z-]+", v):
            raise ValueError(f"rule id {v!r} is not of the form family.name")
        return v


class RuleSet(Strict):
    rules: list[Rule]

    @model_validator(mode="after")
    def _unique(self):
        seen = set()
        for r in self.rules:
            if r.id in seen:
                raise ValueError(f"duplicate rule id {r.id}")
            seen.add(r.id)
        return self

    def get(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def _load_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise ReviewError("E201", f"规则文件无法读取：{path.name}",
                          f"rule file unreadable: {path}: {e}".replace("\n", " ")) from None


def _validate(model, data, path: Path):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "top level"
        raise ReviewError("E202", f"规则文件有误：{path.name}（{where}）",
                          f"invalid rule file {path.name} at {where}: {first['msg']}") from None


def available_packs() -> list[str]:
    return sorted(p.stem for p in PACKS_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def load_pack(name: str | None = None) -> Pack:
    name = name or DEFAULT_PACK
    path = Path(name) if name.endswith((".yaml", ".yml")) else PACKS_DIR / f"{name}.yaml"
    if not path.exists():
        raise ReviewError("E203", f"找不到规则包“{name}”", f"no rule pack named {name!r}",
                          f"可用：{', '.join(available_packs())}", f"available: {', '.join(available_packs())}")
    return _validate(Pack, _load_yaml(path), path)


@lru_cache(maxsize=None)
def load_rules(path: str | None = None) -> RuleSet:
    p = Path(path) if path else RULES_DIR / "patterns.yaml"
    return _validate(RuleSet, _load_yaml(p), p)


@lru_cache(maxsize=None)
def load_data(name: str) -> dict:
    """A language-data file under rules/ (sections.yaml, functions.yaml)."""
    return _load_yaml(RULES_DIR / name)
