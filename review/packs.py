"""Rule packs: one meeting's areas, extra topics, required parts and minimum length
(review/rules/packs/*.yaml), validated on load."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .domain import DocType, Role
from .errors import make_error
from .loader import check_regexes, load_model
from .resources import rules_path

DEFAULT_PACK = "2021-five-leads"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(Strict):
    id: int = Field(ge=1)
    title: str
    short: str
    description: str = ""
    cues: dict[str, float]          # regex -> weight; matched on sentence text
    heading_cues: list[str] = []    # regexes that mark a sub-heading as this area

    _v = field_validator("heading_cues")(lambda cls, v: check_regexes(v))

    @field_validator("cues")
    @classmethod
    def _cues(cls, v):
        check_regexes(list(v))
        return v


class Topic(Strict):
    id: str
    title: str
    cues: list[str]
    doc_types: list[DocType] = ["self", "team"]
    _v = field_validator("cues")(lambda cls, v: check_regexes(v))


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


def packs_dir() -> Path:
    return rules_path("packs")


def available_packs() -> list[str]:
    return sorted(p.stem for p in packs_dir().glob("*.yaml"))


@lru_cache(maxsize=None)
def load_pack(name: str | None = None) -> Pack:
    """A pack by name (review packs lists them) or by the path of a .yaml file."""
    name = name or DEFAULT_PACK
    path = Path(name) if name.endswith((".yaml", ".yml")) else packs_dir() / f"{name}.yaml"
    if not path.exists():
        names = ", ".join(available_packs())
        raise make_error("E203", f"“{name}”", repr(name), hint=(f"可用：{names}", f"available: {names}"))
    return load_model(Pack, path)
