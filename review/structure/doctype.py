"""Document type detection (SPEC §1): self / team / critique / plan, from the title first and
the content second. The cues are language data (lang/zh/doctype.yaml)."""
from __future__ import annotations

import re

from ..lang.zh import doctype_cues

PLAN_CUES_NEEDED = 3        # distinct plan markers (参会人员, 会议议程 …) that make a plan
CRITIQUE_CUES_NEEDED = 3    # addresses to colleagues (…同志：) that make a critique
TEAM_OVER_FIRST = 2         # team words per mille over first-person words per mille


def detect_doc_type(text: str) -> str:
    head = text[:400]
    title = next((ln for ln in head.splitlines() if ln.strip()), "")
    title = re.sub(r"[#*\s]", "", title)
    for rule in doctype_cues().titles:
        if re.search(rule.cue, title):
            return rule.doc_type
    return _by_content(text)


def _by_content(text: str) -> str:
    cues = doctype_cues().content
    sample = text[:20000]
    n = max(len(sample), 1)

    def count(name: str) -> int:
        return len(re.findall(cues[name], sample))
    if count("plan") >= PLAN_CUES_NEEDED:
        return "plan"
    if count("critique") >= CRITIQUE_CUES_NEEDED:
        return "critique"
    you = count("second_person")
    if you >= CRITIQUE_CUES_NEEDED and you * 2 >= count("first_person"):
        return "critique"                      # a fragment of criticism spoken to 你
    first, team = count("first_person") / n * 1000, count("team") / n * 1000
    if team > TEAM_OVER_FIRST * max(first, 0.5):
        return "team"
    return "self"
