"""What a document-level check is given: one analysed draft."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..packs import Pack
from .findings import SentenceView


@dataclass
class DocContext:
    pack: Pack
    doc_type: str
    text: str
    sentences: list[SentenceView]
    roles_present: set[str]
    areas: list[dict] = field(default_factory=list)      # filled by area_status
    pairing: list[dict] = field(default_factory=list)    # problem item -> measures
    words: list[str] | None = None                       # the draft's segmentation (simplified text), if made
