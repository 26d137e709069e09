"""Bring drafts' gold labels to the development set's convention for numbered sub-headings:
a sub-heading that states a problem, a cause or a measure is labelled by what it states
(（一）理论学习抓得不紧。 → cause_subjective), only topic headings (（一）在……方面, 二、原因剖析)
stay `other`; a critique's sentences all sit in section `other`. Usage: python tools/normalise_gold.py DIR [DIR …] [--dry-run]."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from review.judge.cues import has_cue
from review.lang.zh.outline import marker_of, strip_marker
from review.structure.sections import role_of_heading

TOPIC_ONLY = re.compile(r"(方面|情况|问题|原因|措施|方向|如下|剖析|整改)[。：:]?$|^对.{0,12}同志|^(主要|具体)?(表现|体现)在")


def sub_heading_function(text: str, section: str, doc_type: str) -> str | None:
    """The function a stating sub-heading gets, or None when it stays `other`."""
    body = strip_marker(text)
    if marker_of(text) in (None, "cn") or len(body) > 40 or len(body) < 4:
        return None
    if role_of_heading(text) or TOPIC_ONLY.search(body):
        return None
    if section == "measures":
        return "measure"
    if section == "causes":
        return "cause_objective" if has_cue("objective", body) and not has_cue("subjective", body) else "cause_subjective"
    if section == "problems" and doc_type in ("self", "team") and has_cue("shortcoming", body):
        return "problem"
    return None


def normalise(gold: dict) -> list[tuple[str, str, str]]:
    changed = []
    sents = gold["sentences"]
    if gold["doc_type"] == "critique":             # a critique has no parts (SPEC §2 is a self draft's)
        for s in sents:
            if s["section"] != "other":
                changed.append((s["section"], "section other", s["text"]))
                s["section"] = "other"
    for i, s in enumerate(sents):
        if s["function"] != "other":
            continue
        fn = sub_heading_function(s["text"], s["section"], gold["doc_type"])
        if fn is None:
            continue
        s["function"] = fn
        if fn in ("problem", "measure"):
            nxt = next((t for t in sents[i + 1:] if t.get("area", 0) > 0), None)
            s["area"] = nxt["area"] if nxt else 0
            if "campaign_area" in s or (nxt and "campaign_area" in nxt):
                s["campaign_area"] = nxt.get("campaign_area", 0) if nxt else 0
        changed.append((s["section"], fn, s["text"]))
    return changed


def main(argv: list[str]) -> int:
    dry = "--dry-run" in argv
    for d in [a for a in argv if a != "--dry-run"]:
        for path in sorted(Path(d).rglob("*.gold.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            changed = normalise(gold)
            for sec, fn, text in changed:
                print(f"{path.name}: {sec}: other → {fn}: {text[:40]}")
            if changed and not dry:
                path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
