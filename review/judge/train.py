"""Training the learned models (scikit-learn): fit, cross-validate, and save them in the
compiled, scikit-learn-free form that review.judge.model loads at run time.

Deterministic for a given corpus and library versions (fixed seeds)."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .. import settings
from ..errors import make_error
from ..packs import DEFAULT_PACK
from .compiled import compile_models, save_compiled
from .corpus import Record, corpus_hash, load_corpus
from .drafts import DraftDoc, Row, load_drafts
from .stacked import BASE_READS_RULES, compile_context_model, stack_dicts
from .features import context_dict, specificity_features
from .model import COMPILED_FILE, MANIFEST_FILE, load_models, sentence_dict, staleness_key

SEED = 0


def identity(x):
    """Analyzer for pre-tokenised input."""
    return x


class Column(BaseEstimator, TransformerMixin):
    """Pick one field of each sentence dict."""

    def __init__(self, key: str):
        self.key = key

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [x[self.key] for x in X]


class Context(BaseEstimator, TransformerMixin):
    """features.context_dict for each sentence, for a DictVectorizer."""

    def __init__(self, use_rules: bool = True):
        self.use_rules = use_rules

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [context_dict(x, self.use_rules) for x in X]


class Specific(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.array([specificity_features(x["text"]) for x in X], dtype=float)


def text_features(use_rules: bool) -> FeatureUnion:
    """Character n-grams, jieba words and context (with the rules' cues when use_rules)."""
    return FeatureUnion([
        ("char", Pipeline([("col", Column("text")),
                           ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True))])),
        ("word", Pipeline([("col", Column("tokens")),
                           ("tfidf", TfidfVectorizer(analyzer=identity, min_df=2, sublinear_tf=True))])),
        ("ctx", Pipeline([("ctx", Context(use_rules)), ("dv", DictVectorizer())])),
    ])


def _classifier() -> CalibratedClassifierCV:
    """A linear SVM (fast on sparse n-grams: 0.4 s against 10 s for logistic regression
    here) with sigmoid calibration for probabilities. ensemble=False: one model at
    prediction time, calibrated on cross-validated predictions."""
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=SEED)
    return CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)



def _rows(records: list[Record]) -> list[Row]:
    """Corpus sentences as rows of their own (each an item of one sentence)."""
    return [Row(sentence_dict(r.text, r.section, r.doc_type, r.is_title), r.function, r.area, r.specificity,
                f"sentence:{k}") for k, r in enumerate(records)]


def training_data(corpus_dir: Path | None = None, drafts: bool = True) -> tuple[list[Row], list[DraftDoc]]:
    """The sentence corpus as rows, and (unless drafts=False) the whole drafts."""
    root = Path(corpus_dir or settings.current().corpus_dir)
    return _rows(load_corpus(root)), (load_drafts(root) if drafts else [])


def draft_rows(docs: list[DraftDoc]) -> list[Row]:
    return [r for d in docs for r in d.rows if r is not None]


MIN_CLASS = 6   # calibration folds need a few examples of every class


def _enough(labels: list) -> list[int]:
    """Indices whose label has at least MIN_CLASS examples (rarer labels cannot be learned)."""
    counts = Counter(labels)
    rare = sorted(str(k) for k, n in counts.items() if n < MIN_CLASS)
    if rare:
        warnings.warn(f"labels with fewer than {MIN_CLASS} examples left out of training: {', '.join(rare)}", stacklevel=3)
    return [i for i, y in enumerate(labels) if counts[y] >= MIN_CLASS]


def fit_function(records: list[Row], use_rules: bool = BASE_READS_RULES) -> Pipeline:
    """The sentence model of function alone (stage one of the context model)."""
    X = [r.x for r in records]
    feats = text_features(use_rules).fit(X)
    keep = _enough([r.function for r in records])
    clf = _classifier().fit(feats.transform(X)[keep], [records[i].function for i in keep])
    return Pipeline([("features", feats), ("clf", clf)])


CONTEXT_FOLDS = 5
CONTEXT_C = 1.0


def stacked_out_of_fold(corpus: list[Row], docs: list[DraftDoc], folds: int = CONTEXT_FOLDS):
    """Stage two's inputs and labels for every labelled draft sentence, each from a sentence
    model that never saw its draft. Returns (dicts, labels, groups)."""
    dicts, labels, groups = [], [], []
    for k in range(folds):
        held = docs[k::folds]
        rest = [d for i, d in enumerate(docs) if i % folds != k]
        model = fit_function(corpus + draft_rows(rest))
        classes = model.classes_
        for d in held:
            proba = model.predict_proba(d.xs)
            for row, sd in zip(d.rows, stack_dicts(classes, proba, d.xs, d.ctxs, d.items)):
                if row is not None:
                    dicts.append(sd)
                    labels.append(row.function)
                    groups.append(d.group)
    return dicts, labels, groups


def _context_classifier() -> LogisticRegression:
    return LogisticRegression(C=CONTEXT_C, max_iter=5000)


def fit_context(corpus: list[Row], docs: list[DraftDoc]):
    """(DictVectorizer, LogisticRegression) of stage two, or None with too few drafts."""
    if len(docs) < 2 * CONTEXT_FOLDS:
        return None, {}
    dicts, labels, groups = stacked_out_of_fold(corpus, docs)
    dv = DictVectorizer().fit(dicts)
    X = dv.transform(dicts)
    metrics = _context_cv(X, np.array(labels), groups)
    return (dv, _context_classifier().fit(X, labels)), metrics


def _context_cv(X, y, groups, folds: int = 5) -> dict:
    """Stage two cross-validated by draft, against stage one's own verdicts on the same sentences."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold
    pred = np.empty_like(y)
    for tr, te in GroupKFold(folds).split(X, y, groups):
        pred[te] = _context_classifier().fit(X[tr], y[tr]).predict(X[te])
    return {"drafts_function_macro_f1_context": round(float(f1_score(y, pred, average="macro")), 3)}


def fit_models(records: list[Row]) -> dict:
    """Fit every model on `records`; deterministic for a given corpus and library versions."""
    X = [r.x for r in records]
    feats = text_features(True).fit(X)
    Xm = feats.transform(X)
    keep = _enough([r.function for r in records])
    fn = _classifier().fit(Xm[keep], [records[i].function for i in keep])
    area_idx = [i for i, r in enumerate(records) if r.area > 0]
    keep_a = [area_idx[k] for k in _enough([records[i].area for i in area_idx])]
    area = _classifier().fit(Xm[keep_a], [records[i].area for i in keep_a])
    hand = Specific()
    spec = Ridge(alpha=1.0, random_state=SEED).fit(hstack([Xm, hand.transform(X)]).tocsr(),
                                                    [float(r.specificity) for r in records])
    plain = text_features(False).fit(X)
    fn_plain = _classifier().fit(plain.transform(X)[keep], [records[i].function for i in keep])
    return {"features": feats, "function": Pipeline([("features", feats), ("clf", fn)]),
            "area": Pipeline([("features", feats), ("clf", area)]),
            "specificity": Pipeline([("features", FeatureUnion([("shared", feats), ("hand", hand)])), ("reg", spec)]),
            "features_plain": plain, "function_plain": Pipeline([("features", plain), ("clf", fn_plain)])}


def train(out_dir: Path | None = None, *, cv: bool = True, corpus_dir: Path | None = None,
          progress=print, drafts: bool = True) -> dict:
    """Rebuild all models from the corpus (or `corpus_dir`); returns the manifest."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir or settings.current().model_dir)
    corpus, docs = training_data(corpus_dir, drafts)
    records = corpus + draft_rows(docs)
    if len(records) < 50:
        raise make_error("E302", f"{len(records)}条", f"{len(records)} records")
    n_drafts = len(docs)
    progress(f"training on {len(records)} sentences ({n_drafts} whole drafts) …")
    metrics = cross_validate(records) if cv else {}
    fitted = fit_models(records)
    context, context_metrics = fit_context(corpus, docs)
    metrics.update(context_metrics)
    manifest = {"corpus_hash": corpus_hash(corpus_dir), "depends": staleness_key(), "records": len(records),
                "drafts": n_drafts,
                "pack": DEFAULT_PACK,
                "versions": _versions(), "metrics": metrics, "seed": SEED,
                "seconds": round(time.perf_counter() - t0, 1)}
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir, prefix=".tmp-"))
    compiled = compile_models(fitted)
    if context is not None:
        compiled["context"] = compile_context_model(*context, base_reads_rules=BASE_READS_RULES)
    save_compiled(compiled, tmp / COMPILED_FILE)
    (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    for name in (COMPILED_FILE, MANIFEST_FILE):      # replace atomically, one file at a time
        os.replace(tmp / name, out_dir / name)
    tmp.rmdir()
    load_models.cache_clear()
    progress(f"models written to {out_dir} in {manifest['seconds']} s")
    return manifest


def _versions() -> dict:
    import jieba
    import sklearn
    return {"python": sys.version.split()[0], "sklearn": sklearn.__version__, "numpy": np.__version__,
            "jieba": jieba.__version__}


def cross_validate(records: list[Row], folds: int = 5) -> dict:
    """Stratified k-fold on the corpus, a whole draft always in one fold: function macro-F1
    (with and without rule features), area accuracy, specificity Spearman."""
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold
    X = [r.x for r in records]
    y = np.array([r.function for r in records])
    groups = [r.group for r in records]
    pred_c, pred_p = np.empty_like(y), np.empty_like(y)
    areas_true, areas_pred, spec_true, spec_pred = [], [], [], []
    for train_i, test_i in StratifiedGroupKFold(folds, shuffle=True, random_state=SEED).split(X, y, groups):
        m = fit_models([records[i] for i in train_i])
        Xt = [X[i] for i in test_i]
        pred_c[test_i] = m["function"].predict(Xt)
        pred_p[test_i] = m["function_plain"].predict(Xt)
        ai = [i for i in test_i if records[i].area > 0]
        areas_true += [records[i].area for i in ai]
        areas_pred += list(m["area"].predict([X[i] for i in ai]))
        spec_true += [records[i].specificity for i in test_i]
        spec_pred += list(m["specificity"].predict(Xt))
    return {"folds": folds,
            "function_macro_f1_combined": round(float(f1_score(y, pred_c, average="macro")), 3),
            "function_macro_f1_model": round(float(f1_score(y, pred_p, average="macro")), 3),
            "area_accuracy": round(float(np.mean(np.array(areas_true) == np.array(areas_pred))), 3),
            "specificity_spearman": round(float(spearmanr(spec_true, spec_pred).statistic), 3)}


