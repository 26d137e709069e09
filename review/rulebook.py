"""The rulebook (review/rules/rules.yaml): what each rule is, in one place.

A rule declares its kind (which registered check runs it: review.checks.registry), its
Chinese label and colour (every renderer reads them here), its severity, the plan clause
it enforces, its message and suggestion, and, for sentence rules, its own examples.
File order is the order rules are tried and shown in."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import settings
from .cache import file_digest
from .domain import DocType, Function, Role, Severity
from .loader import check_regexes, load_model, read_yaml
from .resources import rules_path

class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(Strict):
    text: str                        # should-flag examples mark the flagged span as [[…]]
    section: Role = "problems"
    doc_type: DocType = "self"
    note: str = ""


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z]+\.[a-z-]+$")     # family.name
    kind: str                        # a registered check kind (checks.registry.KINDS)
    label: str                       # short Chinese label: legends, comments, sheets
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")   # highlight colour
    severity: Severity
    clause: str                      # the plan clause it enforces, quoted in every finding
    message: str
    suggestion: str
    doc_types: list[DocType] = ["self", "team", "critique"]
    sections: list[Role] = []        # empty: anywhere
    functions: list[Function] = []   # sentence functions that trigger it (sentence rules)
    cues: list[str] = []             # extra regex narrowing which sentences fire (optional)
    item_test: str | None = None     # a registered item-level test (checks.sentence.ITEM_TESTS)
    score: Literal["patterns", "none"] = "none"   # the score part its passages count against
    evaluate: bool = False           # scored against gold labels through its trigger (SPEC §7)
    should_flag: list[Example] = []
    should_not_flag: list[Example] = []

    _v = field_validator("cues")(lambda cls, v: check_regexes(v))


    def gold_positive(self, section: str | None, function: str | None, doc_type: str) -> bool:
        """Whether a gold sentence is a positive of this rule: its trigger without the cues."""
        if not self.evaluate or doc_type not in self.doc_types or function not in self.functions:
            return False
        return not self.sections or doc_type == "critique" or section in self.sections


class RuleSet(Strict):
    rules: list[Rule]
    source: str = ""                 # the file it was read from
    digest: str = ""                 # content hash of that file

    @model_validator(mode="after")
    def _unique(self):
        seen = set()
        for r in self.rules:
            if r.id in seen:
                raise ValueError(f"duplicate rule id {r.id}")
            seen.add(r.id)
        return self

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def without(self, ids: set[str]) -> "RuleSet":
        return RuleSet(rules=[r for r in self.rules if r.id not in ids], source=self.source, digest=self.digest)

    def label(self, rule_id: str) -> str:
        r = self.get(rule_id)
        return r.label if r else rule_id

    def colour(self, rule_id: str) -> str:
        r = self.get(rule_id)
        return r.colour if r else "#e0e0e0"

    def order(self, rule_id: str) -> int:
        return next((i for i, r in enumerate(self.rules) if r.id == rule_id), len(self.rules))


def default_rulebook_path() -> Path:
    """$REVIEW_RULEBOOK when set, else the package's own rules/rules.yaml."""
    return settings.current().rulebook or rules_path("rules.yaml")


def load_rulebook(path: str | None = None) -> RuleSet:
    """The rulebook as written (validated against the schema; kinds are checked by
    checks.registry, examples by checks.selftest)."""
    return _load(str(path or default_rulebook_path()))


@lru_cache(maxsize=8)
def _load(path: str) -> RuleSet:
    p = Path(path)
    data = read_yaml(p)
    if isinstance(data, dict):
        data = {**data, "source": str(p), "digest": file_digest(p)}
    return load_model(RuleSet, p, data)
