"""Chinese language data: cue lexicons, section headings, document-type cues, specificity
markers, quotations, standard terms and the jieba user dictionary (files beside this
module), and outline numbering (`outline`).

Each YAML file is read once through review.loader and validated here."""
from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_validator

from ...loader import Regex, load_model, require_keys
from ...resources import lang_path


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FunctionCues(_Strict):
    cues: dict[str, list[Regex]]     # cue family -> regexes


class RoleHeading(_Strict):
    role: str
    title: str
    heading: list[Regex]


class SectionHeadings(_Strict):
    roles: list[RoleHeading]
    content: dict[str, list[Regex]]     # part -> words marking a paragraph as that part

    _keys = field_validator("content")(lambda cls, v: require_keys(
        v, {"preface", "problems", "causes", "measures", "closing", "causes_lead", "measures_lead"}, "content cues"))


class SpecificityMarkers(_Strict):
    slogan_after: Regex
    markers: dict[str, list[Regex]]

    _keys = field_validator("markers")(lambda cls, v: require_keys(
        v, {"num_unit", "date", "time", "example", "person", "place", "field", "stock"}, "marker lists"))


class TitleCue(_Strict):
    doc_type: str
    cue: Regex


class DoctypeCues(_Strict):
    titles: list[TitleCue]
    content: dict[str, Regex]
    excerpt: dict[str, Regex]

    _keys = field_validator("content")(lambda cls, v: require_keys(
        v, {"plan", "critique", "first_person", "team"}, "content cues"))
    _excerpt_keys = field_validator("excerpt")(lambda cls, v: require_keys(
        v, {"later_part", "back_reference", "news"}, "excerpt cues"))


class Agents(_Strict):
    agents: dict[str, list[Regex]]     # agent class -> regexes, in the order they are tried

    _keys = field_validator("agents")(lambda cls, v: require_keys(
        v, {"unit", "team", "others", "you", "we", "self"}, "agent classes"))


class Quotations(_Strict):
    quotations: list[str]


@lru_cache(maxsize=1)
def function_cues() -> dict[str, list[str]]:
    return load_model(FunctionCues, lang_path("functions.yaml")).cues


@lru_cache(maxsize=1)
def section_headings() -> list[RoleHeading]:
    return load_model(SectionHeadings, lang_path("sections.yaml")).roles


@lru_cache(maxsize=1)
def content_cues() -> dict[str, list[str]]:
    """Words that mark a paragraph as a part, for drafts without recognisable headings."""
    return load_model(SectionHeadings, lang_path("sections.yaml")).content


def role_title(role: str) -> str:
    """Chinese title of a section role, for messages."""
    for r in section_headings():
        if r.role == role:
            return r.title
    return {"preface": "开头", "other": "其他"}.get(role, role)


@lru_cache(maxsize=1)
def specificity_markers() -> SpecificityMarkers:
    return load_model(SpecificityMarkers, lang_path("specificity.yaml"))


@lru_cache(maxsize=1)
def doctype_cues() -> DoctypeCues:
    return load_model(DoctypeCues, lang_path("doctype.yaml"))


@lru_cache(maxsize=1)
def agents() -> dict[str, list[str]]:
    return load_model(Agents, lang_path("agents.yaml")).agents


@lru_cache(maxsize=1)
def quotations() -> list[str]:
    return load_model(Quotations, lang_path("quotations.yaml")).quotations


def user_dict_path():
    return lang_path("userdict.txt")


def terms_path():
    return lang_path("terms.yaml")


def data_files() -> list:
    """The language files the rule classifier and the models depend on (for staleness)."""
    return [lang_path(n) for n in ("functions.yaml", "sections.yaml", "specificity.yaml", "agents.yaml", "userdict.txt")]
