"""The fixed finding schema (SPEC §6, §8), what the checks see of a sentence, and the one
way a finding is made from its rule."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..rulebook import Rule

CONCRETE_LEVEL = 2.5      # a sentence at or above this specificity is "level 3"
VAGUE_ITEM_LEVEL = 1.8    # an item whose best sentence stays below this is boilerplate


@dataclass
class Finding:
    rule: str
    severity: str
    start: int
    end: int
    message: str
    clause: str
    suggestion: str
    area: int | None = None
    part: str | None = None
    topic: str | None = None
    confidence: float | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if v is not None and k != "extra"}
        d.update(self.extra)
        return d


@dataclass
class SentenceView:
    """What the rules see of a sentence."""
    start: int
    end: int
    text: str
    section: str
    function: str
    area: int
    specificity: float
    is_title: bool
    item: int                    # index of the numbered item (block under a title) it belongs to
    confidence: float | None = None


def fill(template: str, **kw) -> str:
    class Safe(dict):
        def __missing__(self, k):
            return "{" + k + "}"
    return template.format_map(Safe(**kw))


def make_finding(rule: Rule, start: int, end: int, **kw) -> Finding:
    fields = {k: kw.pop(k) for k in ("area", "part", "topic", "confidence") if k in kw}
    return Finding(rule.id, rule.severity, start, end, fill(rule.message, **kw, **fields),
                   rule.clause, fill(rule.suggestion, **kw, **fields), **fields)
