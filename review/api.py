"""The thin wiring: settings → pack, verified rules and classifier → the pipeline.

`review_document` is the library's entry point. Verified rules are the rulebook validated
against the registry of kinds, less the rules whose own examples fail; the examples'
verdicts are cached on disk per (rulebook, code version, models, mode), so a cold
`review check` does not re-run them. `review rules test` and the test suite always run
them for real."""
from __future__ import annotations

import sys
from functools import lru_cache

from . import cache, settings
from .checks import registry, selftest
from .checks.tiers import load_calibration
from .ingest import Ingested, read_document
from .judge.corpus import corpus_files
from .judge.rules import RuleClassifier
from .packs import DEFAULT_PACK, Pack, load_pack
from .pipeline import analyse
from .report import Report
from .rulebook import RuleSet, default_rulebook_path, load_rulebook

__all__ = ["review_document", "review_text", "active_rules", "make_classifier", "default_mode"]


def review_document(source, *, filename: str | None = None, pack: str | None = None,
                    doc_type: str | None = None, rules: RuleSet | None = None,
                    classifier=None, mode: str | None = None) -> Report:
    """Review one draft. `source` is a path, bytes, or an already ingested document.
    `mode` is "combined" (default: rules and learned models), "model" or "rules".
    Raises review.errors.ReviewError (one line, coded) for unusable input."""
    ing = source if isinstance(source, Ingested) else read_document(source, filename=filename)
    return _review(ing, pack=pack, doc_type=doc_type, rules=rules, classifier=classifier, mode=mode)


def review_text(text: str, *, filename: str = "text.txt", **kw) -> Report:
    return _review(Ingested(text=text, filename=filename, fmt="txt", encoding="utf-8"), **kw)


def _review(ing: Ingested, *, pack=None, doc_type=None, rules=None, classifier=None, mode=None) -> Report:
    p = load_pack(pack or DEFAULT_PACK)
    mode = mode or default_mode()
    rules = rules or active_rules(None, mode)
    return analyse(ing, pack=p, rules=rules, classifier=classifier or make_classifier(p, mode), doc_type=doc_type,
                   calibration=calibration_for(mode))


def calibration_for(mode: str):
    """The 待核 thresholds measured in this mode (none when REVIEW_TIERS=0, for calibrating)."""
    if not settings.current().tiers:
        return None
    cal = load_calibration()
    return cal if cal is not None and cal.mode == mode else None


def default_mode() -> str:
    """REVIEW_MODE if set; else rules and learned models together when there is a corpus
    to learn from (models are built on first use), rules alone when there is none."""
    return settings.current().mode or ("combined" if corpus_files() else "rules")


def make_classifier(pack: Pack, mode: str | None = None):
    """The sentence classifier for a mode: "combined", "model" or "rules"."""
    mode = mode or default_mode()
    if mode == "rules":
        return RuleClassifier(pack)
    from .judge.model import ModelClassifier     # numpy and the compiled models: only when used
    return ModelClassifier(pack, mode=mode)


def load_checked_rulebook(path: str | None = None) -> RuleSet:
    """The rulebook as written, validated against the registry of kinds."""
    return registry.validate(load_rulebook(path))


def active_rules(path: str | None = None, mode: str | None = None) -> RuleSet:
    mode = mode or default_mode()
    return _active(str(path or default_rulebook_path()), mode, _models_digest(mode))


@lru_cache(maxsize=8)
def _active(path: str | None, mode: str, models_digest: str) -> RuleSet:
    """The rules whose examples hold in this judgement mode; refusals printed on stderr."""
    rules = load_checked_rulebook(path)
    key = cache.digest(rules.digest, cache.code_version(), models_digest, mode)

    def review(text, **kw):
        return review_text(text, mode=mode, **kw)
    why = cache.cached(f"rule-verdicts-{mode}", key, lambda: selftest.verdicts(rules, review))
    bad = {rid: reason for rid, reason in why.items() if reason}
    for rid, reason in sorted(bad.items()):
        print(f"review: 规则“{rid}”的示例未通过，已停用 (rule refused, its own examples fail): {reason}",
              file=sys.stderr)
    return rules.without(set(bad))


def _models_digest(mode: str) -> str:
    if mode == "rules":
        return "-"
    from .judge.model import load_models      # numpy and the model files: not in rules mode
    return load_models().digest + ("" if settings.current().context else "-nocontext")
