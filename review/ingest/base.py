"""What every reader returns, and the size guards they share."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ReviewError, make_error

MAX_BYTES = 20 * 1024 * 1024
# A real draft is 3,000-30,000 characters; 200,000 is about 320 pages. Readers count
# while extracting and stop as soon as the cap is passed.
MAX_CHARS = 200_000


@dataclass
class Ingested:
    text: str                 # plain text; line endings normalised to "\n"
    filename: str
    fmt: str                  # "docx" | "txt" | "md" | "pdf"
    encoding: str | None      # txt/md: "utf-8", "utf-8-sig", "gb18030", "big5", "utf-16" (BOM), "utf-16-le"/"-be" (no BOM)
    bold_spans: list[tuple[int, int]] = field(default_factory=list)  # docx only, end-exclusive
    heading_levels: dict[int, int] = field(default_factory=dict)     # docx only: line start -> level
    warnings: list[str] = field(default_factory=list)


def mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB"


def too_large(size: int, limit: int) -> ReviewError:
    return make_error("E110", f"{mb(size)}，上限 {mb(limit)}", f"{mb(size)}, limit {mb(limit)}")


def too_much_text(count: int, limit: int = MAX_CHARS, *, at_least: bool = True) -> ReviewError:
    """E115 with the count: ``at_least`` when reading stopped early at ``count``."""
    zh = f"{'至少' if at_least else '共'} {count:,} 字，上限 {limit:,} 字"
    en = f"{'at least ' if at_least else ''}{count:,} characters, limit {limit:,}"
    return make_error("E115", zh, en)


class CharBudget:
    """Counts the characters a reader has extracted; E115 as soon as it passes the cap."""

    def __init__(self, limit: int = MAX_CHARS):
        self.limit, self.used = limit, 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise too_much_text(self.used, self.limit)
