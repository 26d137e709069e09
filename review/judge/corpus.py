"""The labelled corpus we write ourselves (review/corpora/*.jsonl, format in its SCHEMA.md)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import settings
from ..domain import Function, Role
from ..errors import make_error


def corpus_dir() -> Path:
    return settings.current().corpus_dir


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=2, max_length=400)
    function: Function
    area: int = Field(ge=0, le=9)
    specificity: Literal[1, 2, 3]
    doc_type: Literal["self", "team", "critique"]
    section: Role
    is_title: bool = False
    writer: str = ""
    campaign: str = ""
    hard: str = ""


def corpus_files(root: Path | None = None) -> list[Path]:
    return sorted(Path(root or corpus_dir()).glob("*.jsonl"))


def load_corpus(root: Path | None = None) -> list[Record]:
    """All records, deduplicated by (text, doc_type, section), in a fixed order."""
    out: dict[tuple, Record] = {}
    for path in corpus_files(root):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = Record.model_validate(json.loads(line))
            except (ValidationError, json.JSONDecodeError) as e:
                raise make_error("E301", f"{path.name} 第{n}行",
                                 f"{path.name}:{n}: " + " ".join(str(e).split())[:200]) from None
            out.setdefault((rec.text, rec.doc_type, rec.section), rec)
    return list(out.values())


def corpus_hash(root: Path | None = None) -> str:
    """Hash of the sentence files and the whole drafts (drafts/**) the models learn from."""
    h = hashlib.sha256()
    base = Path(root or corpus_dir())
    drafts = sorted(p for p in (base / "drafts").rglob("*") if p.suffix in (".txt", ".json"))
    for path in corpus_files(root) + drafts:
        h.update(path.relative_to(base).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


