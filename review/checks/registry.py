"""The registry of check kinds: each kind a rule may declare maps to the one function that
runs it and the rule ids it produces (None: any id, the rules are pure data). Loading a
rulebook validates it here: an unknown kind, an id its kind does not produce, a kind whose
rule is missing, or an unknown item test is refused with a coded error naming the rule."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import make_error
from ..loader import line_of
from ..rulebook import Rule, RuleSet
from . import crossdoc, document, pairing, sentence, slips, terms
from .context import DocContext
from .findings import Finding


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable[[DocContext, list[Rule]], list[Finding]] | None   # None: run by the batch
    produces: frozenset[str] | None          # None: any id (a data-only rule)
    needs_examples: bool = False             # its rules must carry their own examples


def _ids(*ids: str) -> frozenset[str]:
    return frozenset(ids)


# in the order they run on a draft
KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("terms", terms.term_findings, _ids(terms.RULE_ID), needs_examples=True),
    Kind("slips", slips.slip_findings, _ids(slips.RULE_ID), needs_examples=True),
    Kind("sentence-function", sentence.check, None, needs_examples=True),
    Kind("structure", document.structure, _ids(document.PART_MISSING, document.TOO_SHORT)),
    Kind("document-coverage", document.coverage,
         _ids(document.AREA_MISSING, document.AREA_THIN, document.TOPIC_MISSING)),
    Kind("pairing", pairing.check, _ids(pairing.UNMATCHED)),
    Kind("cross-document", None, _ids(crossdoc.COPIED, crossdoc.UNCLAIMED)),
]}


def validate(rules: RuleSet) -> RuleSet:
    """`rules` if every rule fits its kind; else E204–E207 naming the file, line and rule."""
    for i, r in enumerate(rules.rules):
        where = _where(rules, i, r)
        kind = KINDS.get(r.kind)
        if kind is None:
            raise make_error("E204", f"{where}：kind {r.kind}",
                             f"{where}: kind {r.kind!r} (known: {', '.join(KINDS)})")
        if kind.produces is not None and r.id not in kind.produces:
            raise make_error("E205", f"{where}：{r.kind} 只产生 {', '.join(sorted(kind.produces))}",
                             f"{where}: kind {r.kind} produces only {', '.join(sorted(kind.produces))}")
        if r.kind == "sentence-function" and not r.functions:
            raise make_error("E207", f"{where}：缺少 functions", f"{where}: a sentence-function rule needs functions")
        if r.item_test is not None and r.item_test not in sentence.ITEM_TESTS:
            raise make_error("E207", f"{where}：item_test {r.item_test}",
                             f"{where}: item_test {r.item_test!r} (known: {', '.join(sentence.ITEM_TESTS)})")
    present = {r.id for r in rules.rules}
    for kind in KINDS.values():
        missing = sorted((kind.produces or frozenset()) - present)
        if missing:
            raise make_error("E206", f"{_file(rules)}：{kind.name} 需要 {', '.join(missing)}",
                             f"{_file(rules)}: kind {kind.name} needs rule {', '.join(missing)}")
    return rules


def rules_of(rules: RuleSet, kind: str) -> list[Rule]:
    return [r for r in rules.rules if r.kind == kind]


def run_document_checks(ctx: DocContext, rules: RuleSet) -> list[Finding]:
    """Every registered kind that runs on one draft, in registry order."""
    out: list[Finding] = []
    for kind in KINDS.values():
        mine = rules_of(rules, kind.name)
        if kind.run is not None and mine:
            out += kind.run(ctx, mine)
    return out


def _file(rules: RuleSet) -> str:
    return Path(rules.source).name if rules.source else "rules.yaml"


def _where(rules: RuleSet, i: int, r: Rule) -> str:
    line = line_of(rules.source, ("rules", i, "kind")) if rules.source else None
    return f"{_file(rules)}" + (f" line {line}" if line else "") + f" rule {r.id}"
