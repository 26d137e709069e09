"""The report of one draft: SPEC §8 JSON, and a spaCy Doc built on first use."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from .checks.findings import Finding
from .domain import SEVERITY_ORDER
from .errors import ReviewError
from .packs import load_pack

SCHEMA = "review-report/1"


@dataclass
class Report:
    file: str
    doc_type: str
    pack: str
    text: str
    score: dict
    score_explained: dict
    areas: list[dict]
    sections: list[dict]
    sentences: list[dict]
    findings: list[Finding]
    pack_title: str = ""
    warnings: list[str] = field(default_factory=list)
    pairing: list[dict] = field(default_factory=list)   # problem item -> the measures answering it
    words: list[str] | None = field(default=None, repr=False)   # the draft's segmentation
    _doc: object = field(default=None, repr=False)

    @property
    def doc(self):
        """The spaCy Doc: tokens, spans["sentences"] (labelled by function) and
        spans["findings"] (labelled by rule id). Built on first use: spaCy loads only then."""
        if self._doc is None:
            from .nlp import make_doc      # spaCy: only for callers that ask for a Doc
            doc = make_doc(self.text, self.words)
            doc.spans["sentences"] = [sp for s in self.sentences
                                      if (sp := _span(doc, s["start"], s["end"], s["function"]))]
            doc.spans["findings"] = [sp for f in self.findings
                                     if f.end > f.start and (sp := _span(doc, f.start, f.end, f.rule))]
            self._doc = doc
        return self._doc

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        """A Report from its SPEC §8 dict (the app re-renders edited reports); no Doc."""
        names = {f.name for f in fields(Finding)} - {"extra"}
        findings = [Finding(**{k: v for k, v in f.items() if k in names},
                            extra={k: v for k, v in f.items() if k not in names}) for f in d.get("findings", [])]
        try:
            title = load_pack(d.get("pack")).title
        except ReviewError:
            title = ""
        return cls(file=d.get("file", ""), doc_type=d.get("doc_type", ""), pack=d.get("pack", ""),
                   text=d.get("text", ""), score=d.get("score", {}), score_explained=d.get("score_explained", {}),
                   areas=d.get("areas", []), sections=d.get("sections", []), sentences=d.get("sentences", []),
                   findings=findings, pack_title=title, warnings=list(d.get("warnings", [])),
                   pairing=d.get("pairing", []))

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "file": self.file, "doc_type": self.doc_type, "pack": self.pack,
                "text": self.text, "score": self.score, "score_explained": self.score_explained,
                "areas": self.areas, "sections": self.sections, "sentences": self.sentences,
                "findings": [f.to_dict() for f in self.sorted_findings()], "pairing": self.pairing,
                "warnings": self.warnings}

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.start, f.rule))

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def quote(self, f: Finding, width: int = 60) -> str:
        q = " ".join(self.text[f.start:f.end].split())
        return q if len(q) <= width else q[: width - 1] + "…"


def _span(doc, start: int, end: int, label: str):
    return doc.char_span(start, end, label=label, alignment_mode="expand")
