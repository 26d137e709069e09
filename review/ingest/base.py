"""What every reader returns, and the size guard they share."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ReviewError, make_error

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Ingested:
    text: str                 # plain text; line endings normalised to "\n"
    filename: str
    fmt: str                  # "docx" | "txt" | "md" | "pdf"
    encoding: str | None      # txt/md: "utf-8", "utf-8-sig", "gb18030", "utf-16" (BOM), "utf-16-le"/"-be" (no BOM)
    bold_spans: list[tuple[int, int]] = field(default_factory=list)  # docx only, end-exclusive
    heading_levels: dict[int, int] = field(default_factory=dict)     # docx only: line start -> level
    warnings: list[str] = field(default_factory=list)


def mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB"


def too_large(size: int, limit: int) -> ReviewError:
    return make_error("E110", f"{mb(size)}，上限 {mb(limit)}", f"{mb(size)}, limit {mb(limit)}")
