"""Kind `cross-document`: findings that need the whole group's drafts (a batch): passages
copied between two members, and team problems no member takes up."""
from __future__ import annotations

from ..lang.zh import quotations
from ..nlp import get_jieba
from ..packs import Pack
from ..rulebook import RuleSet
from .copies import find_copies
from .findings import make_finding
from .pairing import cosine, tfidf
from .terms import load_terms

COPIED, UNCLAIMED = "batch.copied", "batch.unclaimed-team-problem"


def copied_passages(reports: list[dict], pack: Pack, rules: RuleSet) -> tuple[list[dict], list[dict]]:
    """batch.copied findings added to each report; boilerplate candidates returned."""
    drafts = [r for r in reports if r["doc_type"] != "plan"]
    ignore = [a.title for a in pack.areas] + [a.description for a in pack.areas if a.description]
    ignore += [r["text"] for r in reports if r["doc_type"] == "plan"]           # plans are quoted by all
    ignore += [rule.clause for rule in rules.rules]
    ignore += list(load_terms().standards) + quotations()
    pairs, boiler = find_copies([(r["file"], _content_only(r)) for r in drafts], ignore)
    rule = rules.get(COPIED)
    by_file = {r["file"]: r for r in drafts}
    copies = []
    for c in pairs:
        rep, other = by_file[c.file], by_file[c.other]
        entry = {"file": c.file, "start": c.start, "end": c.end, "text": rep["text"][c.start:c.end],
                 "with": c.other, "other_start": c.other_start, "other_end": c.other_end,
                 "other_text": other["text"][c.other_start:c.other_end], "similarity": round(c.similarity, 3)}
        copies.append(entry)
        if rule is not None:
            f = make_finding(rule, c.start, c.end, other=c.other, similarity=f"{c.similarity:.0%}")
            f.extra.update({"with": c.other, "similarity": round(c.similarity, 3),
                            "other_start": c.other_start, "other_end": c.other_end})
            rep["findings"].append(f.to_dict())
    boilerplate = [{"text": b.text, "count": b.count, "files": list(b.files)} for b in boiler]
    return copies, boilerplate


def _content_only(report: dict) -> str:
    """The text with headings, transitions and meta text blanked (same length, so offsets
    hold): everyone shares the area headings; 左右一个样 is about what is written under them."""
    chars = list(report["text"])
    for s in report["sentences"]:
        if s["function"] == "other":
            chars[s["start"]:s["end"]] = " " * (s["end"] - s["start"])
    return "".join(chars)


def unclaimed_team_problems(reports: list[dict], rules: RuleSet) -> None:
    """班子成员要认领班子的共同责任: a team problem item that no member's draft takes up."""
    rule = rules.get(UNCLAIMED)
    teams = [r for r in reports if r["doc_type"] == "team"]
    members = [r for r in reports if r["doc_type"] == "self"]
    if rule is None or not teams or not members:
        return
    jb = get_jieba()

    def words(text: str) -> list[str]:
        return [w for w in jb.lcut(text) if len(w) >= 2]
    member_problems = [(m, s) for m in members for s in m["sentences"]
                       if s["section"] == "problems" and s["function"] == "problem"]
    member_words = [words(m["text"][s["start"]:s["end"]]) for m, s in member_problems]
    for team in teams:
        for row in team.get("pairing", []):
            p = row["problem"]
            item_words = words(team["text"][p["start"]:p["end"]])
            vecs = tfidf([item_words] + member_words)
            owners = {member_problems[k][0]["file"] for k in range(len(member_problems))
                      if cosine(vecs[0], vecs[k + 1]) + (0.1 if member_problems[k][1]["area"] == p["area"] else 0) >= 0.25}
            if not owners:
                f = make_finding(rule, p["head_start"], p["head_end"], area=p["area"] or None, problem=p["title"])
                team["findings"].append(f.to_dict())
