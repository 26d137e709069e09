"""Learned judgement at run time: function, area and specificity from the trained models.

The models are trained by review.judge.train (scikit-learn) and stored compiled, as plain
arrays (review.judge.compiled), so that reviewing a draft never imports scikit-learn.
`ModelClassifier` has the rule classifier's predict() and combines the two: the rules'
output is a feature of the model ("combined"), or left out ("model").
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from .. import resources, settings
from ..cache import file_digest
from ..errors import make_error
from ..lang.zh import data_files
from ..lang.zh.outline import strip_marker
from ..nlp import get_jieba
from ..packs import DEFAULT_PACK, Pack, packs_dir
from .compiled import CompiledModels, load_compiled
from .context import item_contexts, item_ids
from .stacked import ContextModel, stack_dicts
from .corpus import corpus_hash
from .features import context_dict, specificity_features
from .rules import Judgement, RuleClassifier, SentenceInput, predict_function

COMPILED_FILE = "models.npz"
MANIFEST_FILE = "manifest.json"
MODES = ("rules", "model", "combined")
# code whose change alters the features a model was trained on
_FEATURE_CODE = ("features.py", "context.py", "cues.py", "specificity.py", "compiled.py", "train.py",
                 "drafts.py", "reading.py")


def sentence_dict(text: str, section: str, doc_type: str, is_title: bool, tokens: list[str] | None = None,
                  rule_function: str | None = None) -> dict:
    """A sentence as the sentence models read it (its item context goes to the context
    model separately, review.judge.stacked)."""
    clean = strip_marker(text) or text
    if rule_function is None:
        rule_function = predict_function(SentenceInput(text, section, doc_type, is_title))[0]
    return {"text": clean, "tokens": tokens if tokens is not None else get_jieba().lcut(clean),
            "section": section, "doc_type": doc_type, "is_title": is_title, "rule_function": rule_function}


def staleness_key() -> str:
    """What a trained model depends on besides the corpus: the lexicons and cue files, the
    default pack's area cues, the feature code and scikit-learn's version."""
    judge = resources.package_dir() / "judge"
    return file_digest(*data_files(), packs_dir() / f"{DEFAULT_PACK}.yaml",
                       *(judge / n for n in _FEATURE_CODE)) + "-" + metadata.version("scikit-learn")


@dataclass
class Models:
    compiled: CompiledModels
    manifest: dict
    digest: str                   # content hash of the compiled file: keys cached verdicts
    context: ContextModel | None = None   # stage two over the sentence model (whole drafts)


def model_status(model_dir: Path | None = None) -> tuple[str, dict | None]:
    """'ok', 'missing' or 'stale' (corpus, lexicons, feature code or scikit-learn changed)."""
    d = Path(model_dir or settings.current().model_dir)
    if not (d / MANIFEST_FILE).exists() or not (d / COMPILED_FILE).exists():
        return "missing", None
    try:
        manifest = json.loads((d / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "stale", None
    if manifest.get("corpus_hash") != corpus_hash() or manifest.get("depends") != staleness_key():
        return "stale", manifest
    return "ok", manifest


def load_models(model_dir: str | None = None, auto_train: bool = True) -> Models:
    """The trained models, rebuilt first when missing or stale (a one-line notice)."""
    return _load(str(model_dir or settings.current().model_dir), auto_train)


@lru_cache(maxsize=2)
def _load(model_dir: str, auto_train: bool) -> Models:
    d = Path(model_dir)
    status, manifest = model_status(d)
    if status != "ok":
        state_zh = "未训练" if status == "missing" else "已过期"
        if not auto_train:
            raise make_error("E303", state_zh, status)
        print(f"review: 模型{state_zh} (models {status}): training from the corpus …", file=sys.stderr)
        from .train import train       # scikit-learn: imported only to train
        manifest = train(d, cv=False, progress=lambda m: print(f"review: {m}", file=sys.stderr))
    try:
        obj = load_compiled(d / COMPILED_FILE)
        compiled = CompiledModels(obj, context_dict, specificity_features)
        context = ContextModel(obj["context"]) if "context" in obj else None
    except (OSError, ValueError, KeyError) as e:
        raise make_error("E304", str(d / COMPILED_FILE), type(e).__name__) from None
    return Models(compiled, manifest, file_digest(d / COMPILED_FILE), context)


load_models.cache_clear = _load.cache_clear


CUE_BONUS = np.log(3.0)      # the rules' cue-based area: three times the odds
OVERRIDE = 0.7               # model probability needed to overrule a rule that fired on a cue
SPECIFICITY_BLEND = 0.7      # combined: share of the model's specificity (chosen on validation: 0.83 vs 0.76 rules-only)
WEAK_CUES = {(), ("continues",), ("ownership",)}   # the rules guessed
# verdicts from context the model cannot see (it learned from sentences alone): a wish
# after a problem named in the same item is that item's measure (SPEC §3)
CONTEXT_CUES: set = set()


class ModelClassifier:
    """The learned models behind the rule classifier's interface.

    mode "combined": the rules' function is a feature, headings pass their area on (as odds);
    mode "model": text and context only."""

    def __init__(self, pack: Pack, models: Models | None = None, mode: str = "combined"):
        self.pack, self.mode = pack, mode
        self.use_context = settings.current().context
        self.models = models or load_models()
        self.rules = RuleClassifier(pack)

    def fit(self, X=None, y=None):
        return self

    def predict(self, items: list[SentenceInput]) -> list[Judgement]:
        if not items:
            return []
        ruled = self.rules.predict(items)
        ctx = item_contexts(items, ruled)
        X = [sentence_dict(x.text, x.section, x.doc_type, x.is_title, x.tokens, r.function)
             for x, r in zip(items, ruled)]
        m = self.models.compiled
        Xm = m.features(X)                                 # computed once, shared below
        if self.mode == "combined":
            cm = self.models.context if self.use_context else None
            if cm is not None and not cm.base_reads_rules:
                classes, proba = m.function_proba(X, plain=True)
            else:
                classes, proba = m.function_proba(feats=Xm)
            if cm is not None:
                proba = self._in_context(classes, proba, X, ctx, item_ids(items))
        else:
            classes, proba = m.function_proba(X, plain=True)
        classes = np.asarray(classes)
        fns = classes[proba.argmax(1)]
        spec = np.clip(m.specificity(X, Xm), 1.0, 3.0)
        areas = self._areas(Xm, ruled)
        index = {c: k for k, c in enumerate(classes)}
        out = []
        for i, (x, r) in enumerate(zip(items, ruled)):
            fn = str(fns[i])
            if self.mode == "combined":
                fn = self._combine(x, r, fn, float(proba[i].max()))
            # specificity: mostly the model's, which ranks better on drafts it has not seen
            # (validation 0.83 against the rules' 0.76); the rest the rules' marker score
            s = float(spec[i]) if self.mode == "model" else (
                SPECIFICITY_BLEND * float(spec[i]) + (1 - SPECIFICITY_BLEND) * r.specificity)
            conf = float(proba[i][index[fn]]) if fn in index else float(proba[i].max())
            out.append(Judgement(fn, areas[i], round(s, 2), r.cues, round(conf, 3)))
        return out

    def _in_context(self, classes, proba, X, ctx, items) -> np.ndarray:
        """Stage two's probabilities, in stage one's class order."""
        cm = self.models.context
        p2 = cm.predict_proba(stack_dicts(classes, proba, X, ctx, items))
        order = [list(cm.classes).index(c) if c in cm.classes else None for c in classes]
        return np.column_stack([p2[:, k] if k is not None else np.zeros(len(X)) for k in order])

    @staticmethod
    def _combine(x: SentenceInput, r: Judgement, model_fn: str, p: float) -> str:
        """Rules first where they have evidence, the model where they guessed."""
        if x.opens_section or (x.section == "other" and x.doc_type != "critique") or x.section == "measures":
            return r.function                           # the outline decides
        if r.cues in CONTEXT_CUES or r.cues == ("title",):
            return r.function                           # a heading, by its form
        if r.cues == ("commitment",) and model_fn == "reasoning":
            return r.function                           # 我将…: a pledge is never a general truth
        if r.cues in WEAK_CUES:
            return model_fn
        return model_fn if p >= OVERRIDE else r.function

    def _areas(self, Xm, ruled: list[Judgement]) -> list[int]:
        if self.pack.id != self.models.manifest.get("pack", DEFAULT_PACK):
            return [r.area for r in ruled]                 # no labels for this pack: the rules decide
        classes, proba = self.models.compiled.area_proba(Xm)
        classes = [int(c) for c in classes]
        logp = np.log(np.clip(proba, 1e-6, 1.0))
        out = []
        for i, r in enumerate(ruled):
            if self.mode == "combined" and r.area_from_heading:
                out.append(r.area)                      # the draft's own sub-heading names the area
                continue
            scores = logp[i].copy()
            if self.mode == "combined" and r.area in classes:
                scores[classes.index(r.area)] += CUE_BONUS
            out.append(int(classes[int(scores.argmax())]))
        return out
