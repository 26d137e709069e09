"""Check whole drafts with gold labels (SPEC §7): every NAME.txt has a NAME.gold.json whose
sentences are exact substrings in document order, with valid sections, functions, areas
and specificity levels. Usage: python tools/check_gold.py DIR [DIR …]; exit 1 on a problem."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from review.domain import FUNCTIONS, ROLES as SECTIONS

DOC_TYPES = {"self", "team", "critique"}          # drafts; plans carry no sentence labels


def check(txt: Path) -> list[str]:
    gold = txt.with_name(txt.stem + ".gold.json")
    if not gold.exists():
        return [f"{txt.name}: no {gold.name}"]
    text = txt.read_text(encoding="utf-8")
    try:
        g = json.loads(gold.read_text(encoding="utf-8"))
    except ValueError as e:
        return [f"{gold.name}: not JSON: {e}"]
    errs = []
    if g.get("doc_type") not in DOC_TYPES:
        errs.append(f"{gold.name}: doc_type {g.get('doc_type')!r}")
    pos = 0
    for i, s in enumerate(g.get("sentences", [])):
        where = f"{gold.name} sentence {i}"
        k = text.find(s.get("text", "\0"), pos)
        if not s.get("text") or k < 0:
            errs.append(f"{where}: not a substring after the previous one: {s.get('text', '')[:30]!r}")
            continue
        pos = k + len(s["text"])
        if s.get("section") not in SECTIONS:
            errs.append(f"{where}: section {s.get('section')!r}")
        if s.get("function") not in FUNCTIONS:
            errs.append(f"{where}: function {s.get('function')!r}")
        if not isinstance(s.get("area"), int) or not 0 <= s["area"] <= 9:
            errs.append(f"{where}: area {s.get('area')!r}")
        if s.get("specificity") not in (1, 2, 3):
            errs.append(f"{where}: specificity {s.get('specificity')!r}")
    least = 8 if g.get("excerpt") else 20          # a published excerpt is short by nature
    if len(g.get("sentences", [])) < least:
        errs.append(f"{gold.name}: only {len(g.get('sentences', []))} labelled sentences")
    return errs


def main(argv: list[str]) -> int:
    errs, n = [], 0
    for d in argv or ["."]:
        for txt in sorted(Path(d).rglob("*.txt")):
            n += 1
            errs += check(txt)
    for e in errs:
        print(e)
    print(f"{n} drafts, {len(errs)} problems")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
