"""One loader for every YAML data file: parse, validate with a pydantic model, and report
a broken file with its code, file and line (E201 unreadable, E202 invalid)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ValidationError

from .errors import make_error

M = TypeVar("M", bound=BaseModel)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when present: 10× faster


class DataError(ValueError):
    """A semantic problem found after validation; `loc` names the place in the file."""

    def __init__(self, msg: str, loc: tuple = ()):
        super().__init__(msg)
        self.loc = loc


def check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as e:
        raise ValueError(f"bad regex {value!r}: {e}") from None
    return value


def check_regexes(values: list[str]) -> list[str]:
    """A pydantic validator's helper: every value compiles as a regex."""
    for v in values:
        check_regex(v)
    return values


Regex = Annotated[str, AfterValidator(check_regex)]     # a str field that must compile


def require_keys(mapping: dict, names: set[str], what: str) -> dict:
    missing = names - set(mapping)
    if missing:
        raise ValueError(f"missing {what}: {', '.join(sorted(missing))}")
    return mapping


def read_yaml(path: Path):
    """Parsed YAML of a data file (E201 when unreadable or not YAML)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise make_error("E201", Path(path).name, f"{path}: {type(e).__name__}") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"第{mark.line + 1}行" if mark else ""
        where = f" line {mark.line + 1}" if mark else ""
        raise make_error("E201", f"{Path(path).name} {line}".strip(),
                         f"{Path(path).name}{where}: {getattr(e, 'problem', None) or 'not valid YAML'}") from None


def load_model(model: type[M], path: Path, data=None) -> M:
    """`path` parsed (or `data`, already parsed from it) and validated as `model`."""
    data = read_yaml(path) if data is None else data
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        raise invalid(path, tuple(first["loc"]), first["msg"]) from None


def invalid(path: Path, loc: tuple, msg: str):
    """E202 naming the file, the line and the place (a pydantic loc path)."""
    path = Path(path)
    where = ".".join(str(x) for x in loc) or "top level"
    line = line_of(path, loc)
    at_zh = f"第{line}行，{where}" if line else where
    at_en = f"line {line}, {where}" if line else where
    return make_error("E202", f"{path.name}（{at_zh}）", f"{path.name} at {at_en}: {msg}")


def line_of(path: Path, loc: tuple) -> int | None:
    """1-based line of the node at `loc` (the deepest that exists), or None."""
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(key)), None)
            if child is None:                  # an unknown key: point at the key itself
                child = next((k for k, _ in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line
