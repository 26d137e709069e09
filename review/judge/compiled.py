"""The fitted learned models in an inference-only form: numpy arrays and plain Python data.

`compile_models` reads the fitted scikit-learn models (the dict of fit_models) into plain
data; `save_compiled` / `load_compiled` store it in one file; `CompiledModels` reproduces
scikit-learn's transforms and predictions (TfidfVectorizer, DictVectorizer, FeatureUnion,
CalibratedClassifierCV(LinearSVC, sigmoid), Ridge) in numpy. Nothing here imports
scikit-learn, scipy or another review module: the context features and the hand-made
specificity features are functions the caller passes in.

File format: one uncompressed numpy .npz (a zip of .npy members), read with
allow_pickle=False. Each array of the structure is one member; the member "__meta__" is
the rest of the structure as UTF-8 JSON (stored as a uint8 array): vocabularies,
settings, classes, scalars, with every array replaced by {"$array": member name}.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from numbers import Number
from pathlib import Path
from typing import Callable

import numpy as np

FORMAT = "review-compiled-models"
VERSION = 1
UNIONS = ("features", "features_plain")
CLASSIFIERS = {"function": "features", "area": "features", "function_plain": "features_plain"}
META = "__meta__"
ARRAY_REF = "$array"

# scikit-learn's _VectorizerMixin._white_spaces: runs of two or more become one space
_WHITE_SPACES = re.compile(r"\s\s+")

ContextFn = Callable[[dict, bool], dict]
HandFn = Callable[[str], list]


# ---------------------------------------------------------------- compiling (fitted → plain)

def compile_models(fitted: dict) -> dict:
    """The plain form of fit_models' dict: numpy arrays, lists, dicts, str, numbers."""
    out = {"format": FORMAT, "version": VERSION}
    for name in UNIONS:
        out[name] = _compile_union(fitted[name])
    for name, union in CLASSIFIERS.items():
        out[name] = _compile_classifier(name, fitted[name], fitted[union])
    out["specificity"] = _compile_ridge(fitted["specificity"], fitted["features"], out["features"]["width"])
    return out


def _is_dropped(step) -> bool:
    return step is None or (isinstance(step, str) and step in ("drop", "passthrough"))


def _compile_union(union) -> dict:
    weights = union.transformer_weights or {}
    parts, offset = [], 0
    for name, step in union.transformer_list:
        if isinstance(step, str) and step == "passthrough":
            raise ValueError(f"feature union part {name!r}: 'passthrough' is not supported")
        if _is_dropped(step):
            continue
        part = _compile_part(name, step)
        weight = weights.get(name)
        part.update(offset=offset, weight=1.0 if weight is None else float(weight))
        offset += part["width"]
        parts.append(part)
    return {"parts": parts, "width": offset}


def _compile_part(name: str, pipeline) -> dict:
    """One part of the union: a source step (Column or Context) then a vectorizer."""
    steps = [s for _, s in getattr(pipeline, "steps", [(None, pipeline)]) if not _is_dropped(s)]
    if len(steps) != 2:
        raise ValueError(f"feature union part {name!r}: expected a source step and a vectorizer")
    source, vectorizer = steps
    if hasattr(vectorizer, "analyzer") and hasattr(vectorizer, "vocabulary_"):
        if not hasattr(source, "key"):
            raise ValueError(f"feature union part {name!r}: a text vectorizer needs a Column step first")
        return {"name": name, "kind": "tfidf", "input": source.key, **_compile_tfidf(name, vectorizer)}
    if hasattr(vectorizer, "separator") and hasattr(vectorizer, "vocabulary_"):
        if not hasattr(source, "use_rules"):
            raise ValueError(f"feature union part {name!r}: a DictVectorizer needs a Context step first")
        return {"name": name, "kind": "dict", "use_rules": bool(source.use_rules),
                **_compile_dict_vectorizer(name, vectorizer)}
    raise ValueError(f"feature union part {name!r}: unsupported vectorizer {type(vectorizer).__name__}")


def _vocabulary_list(name: str, vocabulary: dict) -> list[str]:
    terms = [None] * len(vocabulary)
    for term, i in vocabulary.items():
        terms[i] = term
    if not all(isinstance(t, str) for t in terms):
        raise ValueError(f"feature union part {name!r}: vocabulary terms must be strings")
    return terms


def _compile_tfidf(name: str, vec) -> dict:
    problems = [what for what, bad in (
        ("input other than 'content'", vec.input != "content"),
        ("a preprocessor", vec.preprocessor is not None),
        ("strip_accents", bool(vec.strip_accents)),
        ("a dtype other than float64", np.dtype(vec.dtype) != np.float64),
        ("a norm other than l1, l2 or None", vec.norm not in (None, "l1", "l2")),
    ) if bad]
    if callable(vec.analyzer):
        probe = ["Ab", "  ", "x y"]
        if list(vec.analyzer(list(probe))) != probe:
            problems.append("a callable analyzer other than identity")
        analyzer = "identity"
    elif vec.analyzer == "char":
        analyzer = "char"
    else:
        problems.append(f"analyzer {vec.analyzer!r}")
        analyzer = str(vec.analyzer)
    if problems:
        raise ValueError(f"feature union part {name!r}: unsupported TfidfVectorizer setting: " + ", ".join(problems))
    terms = _vocabulary_list(name, vec.vocabulary_)
    return {"analyzer": analyzer, "ngram_range": [int(n) for n in vec.ngram_range],
            "lowercase": bool(vec.lowercase), "binary": bool(vec.binary),
            "sublinear_tf": bool(vec.sublinear_tf), "norm": vec.norm,
            "encoding": vec.encoding, "decode_error": vec.decode_error,
            "vocabulary": terms, "width": len(terms),
            "idf": np.asarray(vec.idf_, dtype=np.float64) if vec.use_idf else None}


def _compile_dict_vectorizer(name: str, dv) -> dict:
    if np.dtype(dv.dtype) != np.float64:
        raise ValueError(f"feature union part {name!r}: DictVectorizer dtype must be float64")
    terms = _vocabulary_list(name, dv.vocabulary_)
    return {"separator": dv.separator, "vocabulary": terms, "width": len(terms)}


def _plain(value):
    """A numpy scalar as a Python one (for JSON)."""
    return value.item() if isinstance(value, np.generic) else value


def _compile_classifier(name: str, pipeline, union) -> dict:
    steps = [s for _, s in pipeline.steps]
    if len(steps) != 2 or steps[0] is not union:
        raise ValueError(f"{name}: expected Pipeline([features, classifier]) over the shared fitted union")
    clf = steps[1]
    if getattr(clf, "method", None) != "sigmoid":
        raise ValueError(f"{name}: only sigmoid-calibrated classifiers are supported")
    classes = [_plain(c) for c in clf.classes_]
    members = []
    for cc in clf.calibrated_classifiers_:
        est = cc.estimator
        encoded = {c: i for i, c in enumerate(_plain(c) for c in getattr(cc, "classes", clf.classes_))}
        positions = [encoded[_plain(c)] for c in est.classes_]
        coef = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
        if len(classes) == 2:        # binary: one decision column, for the second class
            positions = [positions[0] + 1]
        if coef.shape[0] != len(positions) or len(cc.calibrators) != len(positions):
            raise ValueError(f"{name}: decision columns, calibrators and classes do not match")
        members.append({
            "coef": np.ascontiguousarray(coef.T),                      # (n_features, n_columns)
            "intercept": np.atleast_1d(np.asarray(est.intercept_, dtype=np.float64)),
            "a": np.array([float(c.a_) for c in cc.calibrators]),
            "b": np.array([float(c.b_) for c in cc.calibrators]),
            "columns": positions,                                     # proba column of each
        })
    return {"classes": classes, "members": members}


def _compile_ridge(pipeline, shared_union, shared_width: int) -> dict:
    steps = [s for _, s in pipeline.steps]
    union, reg = steps[0], steps[-1]
    parts = [s for _, s in union.transformer_list if not _is_dropped(s)]
    if len(steps) != 2 or len(parts) != 2 or parts[0] is not shared_union or union.transformer_weights:
        raise ValueError("specificity: expected Pipeline([FeatureUnion([shared features, hand]), regressor])")
    coef = np.asarray(reg.coef_, dtype=np.float64)
    if coef.ndim != 1 or coef.size < shared_width:
        raise ValueError("specificity: expected a single-output linear regressor")
    return {"coef_shared": coef[:shared_width].copy(), "coef_hand": coef[shared_width:].copy(),
            "intercept": float(np.asarray(reg.intercept_).reshape(-1)[0])}


# ---------------------------------------------------------------- the file

def save_compiled(obj: dict, path) -> None:
    """Write `obj` (as from compile_models) to `path` atomically: temp file + os.replace."""
    path = Path(path)
    arrays: dict[str, np.ndarray] = {}
    meta = _externalize(obj, arrays, "m")
    arrays[META] = np.frombuffer(json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                                 dtype=np.uint8)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_compiled(path) -> dict:
    """Read a file of save_compiled; ValueError when it is not one (OSError when unreadable)."""
    with open(path, "rb") as f:                      # our own handle: closed also on errors
        try:
            npz = np.load(f, allow_pickle=False)
            if not hasattr(npz, "files") or META not in npz.files:     # a lone .npy, another .npz
                raise ValueError(f"{path}: not a compiled model file")
            obj = _internalize(json.loads(npz[META].tobytes().decode("utf-8")), npz)
        except (zipfile.BadZipFile, EOFError, KeyError) as e:
            raise ValueError(f"{path}: not a compiled model file ({type(e).__name__})") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT or obj.get("version") != VERSION:
        raise ValueError(f"{path}: not a compiled model file of version {VERSION}")
    return obj


def _externalize(value, arrays: dict, key: str):
    """JSON-able copy of `value`, its arrays moved into `arrays` under their path."""
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise TypeError(f"{key}: object arrays cannot be stored")
        arrays[key] = value
        return {ARRAY_REF: key}
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value) or ARRAY_REF in value:
            raise TypeError(f"{key}: dict keys must be strings other than {ARRAY_REF!r}")
        return {k: _externalize(v, arrays, f"{key}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_externalize(v, arrays, f"{key}.{i}") for i, v in enumerate(value)]
    value = _plain(value)
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"{key}: cannot store a {type(value).__name__}")


def _internalize(value, npz):
    if isinstance(value, dict):
        if ARRAY_REF in value:
            return npz[value[ARRAY_REF]]
        return {k: _internalize(v, npz) for k, v in value.items()}
    if isinstance(value, list):
        return [_internalize(v, npz) if isinstance(v, (dict, list)) else v for v in value]
    return value


# ---------------------------------------------------------------- inference

class SparseRows:
    """A sparse matrix in CSR layout (as scipy's): row i holds the columns
    indices[indptr[i]:indptr[i + 1]] (sorted) with the values data[same slice]."""

    __slots__ = ("indptr", "indices", "data", "shape")

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, n_cols: int):
        self.indptr, self.indices, self.data = indptr, indices, data
        self.shape = (len(indptr) - 1, n_cols)

    def __len__(self) -> int:
        return self.shape[0]

    def toarray(self) -> np.ndarray:
        out = np.zeros(self.shape)
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        np.add.at(out, (rows, self.indices), self.data)
        return out

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """self @ weights for dense weights of shape (n_cols,) or (n_cols, k)."""
        weights = np.asarray(weights)
        out = np.zeros((self.shape[0],) + weights.shape[1:])
        if self.data.size:
            values = self.data if weights.ndim == 1 else self.data[:, None]
            terms = weights[self.indices] * values
            starts = self.indptr[:-1]
            filled = self.indptr[1:] > starts      # reduceat needs non-empty segments
            out[filled] = np.add.reduceat(terms, starts[filled], axis=0)
        return out


def _coalesce(rows: np.ndarray, cols: np.ndarray, values: np.ndarray | None, width: int):
    """(row, col) pairs sorted, duplicates summed; values None: count the pairs."""
    keys = rows * width + cols
    if values is None:
        keys, counts = np.unique(keys, return_counts=True)
        values = counts.astype(np.float64)
    else:
        keys, inverse = np.unique(keys, return_inverse=True)
        values = np.bincount(inverse.reshape(-1), weights=values, minlength=keys.size)
    return keys // width, keys % width, values


def _normalize(rows: np.ndarray, values: np.ndarray, norm: str | None, n_rows: int) -> np.ndarray:
    """Row normalisation as sklearn.preprocessing.normalize (rows of norm 0 left as they are)."""
    if norm is None:
        return values
    size = np.bincount(rows, weights=np.abs(values) if norm == "l1" else values * values, minlength=n_rows)
    if norm == "l2":
        size = np.sqrt(size)
    size[size == 0] = 1.0
    return values / size[rows]


_EMPTY = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))


class _TfidfPart:
    """TfidfVectorizer.transform of one field of each sentence dict."""

    def __init__(self, spec: dict):
        self.key, self.width = spec["input"], spec["width"]
        self.index = {term: i for i, term in enumerate(spec["vocabulary"])}
        self.char = spec["analyzer"] == "char"
        self.low, self.high = spec["ngram_range"]
        self.lowercase, self.binary = spec["lowercase"], spec["binary"]
        self.sublinear, self.norm = spec["sublinear_tf"], spec["norm"]
        self.encoding, self.decode_error = spec["encoding"], spec["decode_error"]
        idf = spec["idf"]
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)

    def _char_ngrams(self, text) -> list[str]:
        if isinstance(text, bytes):
            text = text.decode(self.encoding, self.decode_error)
        if self.lowercase:
            text = text.lower()
        text = _WHITE_SPACES.sub(" ", text)
        grams = list(text) if self.low == 1 else []
        for n in range(max(self.low, 2), min(self.high, len(text)) + 1):
            grams += [text[i:i + n] for i in range(len(text) - n + 1)]
        return grams

    def transform(self, X: list[dict], context_fn: ContextFn):
        if not self.width:
            return _EMPTY
        get, key = self.index.get, self.key
        found, lengths = [], []
        for x in X:
            terms = self._char_ngrams(x[key]) if self.char else x[key]
            ids = [i for i in map(get, terms) if i is not None]      # unknown terms ignored
            found += ids
            lengths.append(len(ids))
        rows = np.repeat(np.arange(len(X), dtype=np.int64), lengths)
        rows, cols, tf = _coalesce(rows, np.array(found, dtype=np.int64), None, self.width)
        if self.binary:
            tf[:] = 1.0
        if self.sublinear:
            tf = np.log(tf) + 1.0
        if self.idf is not None:
            tf *= self.idf[cols]
        return rows, cols, _normalize(rows, tf, self.norm, len(X))


class _DictPart:
    """DictVectorizer.transform of context_fn(x, use_rules) of each sentence dict."""

    def __init__(self, spec: dict):
        self.width, self.use_rules, self.separator = spec["width"], spec["use_rules"], spec["separator"]
        self.index = {term: i for i, term in enumerate(spec["vocabulary"])}

    def _items(self, d: dict):
        """(feature name, value) as DictVectorizer names them: strings become "key=value": 1."""
        sep = self.separator
        for f, v in d.items():
            if isinstance(v, str):
                yield f"{f}{sep}{v}", 1.0
            elif isinstance(v, Number) or v is None:
                yield f, np.nan if v is None else float(v)
            elif isinstance(v, Iterable) and not isinstance(v, Mapping):
                for vv in v:
                    if not isinstance(vv, str):
                        raise TypeError(f"context feature {f!r}: only iterables of strings are supported")
                    yield f"{f}{sep}{vv}", 1.0
            else:
                raise TypeError(f"context feature {f!r}: unsupported value type {type(v).__name__}")

    def transform(self, X: list[dict], context_fn: ContextFn):
        if not self.width:
            return _EMPTY
        index = self.index
        rows, cols, values = [], [], []
        for r, x in enumerate(X):
            for name, v in self._items(context_fn(x, self.use_rules)):
                i = index.get(name)
                if i is not None:                     # features not seen in fitting are ignored
                    rows.append(r)
                    cols.append(i)
                    values.append(v)
        return _coalesce(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
                         np.array(values, dtype=np.float64), self.width)


class _Union:
    """FeatureUnion.transform: the parts side by side, in order."""

    def __init__(self, spec: dict):
        self.width = spec["width"]
        self.parts = [(_TfidfPart(p) if p["kind"] == "tfidf" else _DictPart(p), p["offset"], p["weight"])
                      for p in spec["parts"]]

    def transform(self, X: list[dict], context_fn: ContextFn) -> SparseRows:
        n = len(X)
        rows, cols, values = [_EMPTY[0]], [_EMPTY[1]], [_EMPTY[2]]
        for part, offset, weight in self.parts:
            r, c, v = part.transform(X, context_fn)
            rows.append(r)
            cols.append(c + offset)
            values.append(v * weight if weight != 1.0 else v)
        rows = np.concatenate(rows)
        order = np.argsort(rows, kind="stable")        # each part is sorted: rows first, then parts
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        return SparseRows(indptr, np.concatenate(cols)[order], np.concatenate(values)[order], self.width)


class _Calibrated:
    """CalibratedClassifierCV(linear model, method="sigmoid").predict_proba."""

    def __init__(self, spec: dict):
        self.classes = np.asarray(spec["classes"])
        self.classes.flags.writeable = False
        self.members = [{k: (np.asarray(v) if k != "columns" else list(v)) for k, v in m.items()}
                        for m in spec["members"]]

    def predict_proba(self, feats: SparseRows) -> np.ndarray:
        total = np.zeros((len(feats), len(self.classes)))
        for m in self.members:
            total += self._member_proba(m, feats)
        return total / len(self.members)

    def _member_proba(self, m: dict, feats: SparseRows) -> np.ndarray:
        k = len(self.classes)
        scores = feats.dot(m["coef"]) + m["intercept"]                 # decision_function
        proba = np.zeros((len(feats), k))
        with np.errstate(over="ignore"):
            proba[:, m["columns"]] = 1.0 / (1.0 + np.exp(m["a"] * scores + m["b"]))   # expit(-(a·s + b))
        if k == 2:
            proba[:, 0] = 1.0 - proba[:, 1]
        else:
            total = proba.sum(axis=1, keepdims=True)
            proba = np.divide(proba, total, out=np.full_like(proba, 1.0 / k), where=total != 0)
        proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba


class CompiledModels:
    """The learned models at run time, from load_compiled (or compile_models) output.

    context_fn(x, use_rules) -> {feature: value}: the context features of one sentence dict;
    hand_fn(text) -> [float]: its hand-made specificity features."""

    def __init__(self, obj: dict, context_fn: ContextFn, hand_fn: HandFn):
        if obj.get("format") != FORMAT or obj.get("version") != VERSION:
            raise ValueError(f"not compiled models of version {VERSION}")
        self.context_fn, self.hand_fn = context_fn, hand_fn
        self._unions = {name: _Union(obj[name]) for name in UNIONS}
        self._classifiers = {name: _Calibrated(obj[name]) for name in CLASSIFIERS}
        spec = obj["specificity"]
        self._ridge_shared = np.asarray(spec["coef_shared"], dtype=np.float64)
        self._ridge_hand = np.asarray(spec["coef_hand"], dtype=np.float64)
        self._ridge_intercept = float(spec["intercept"])

    def features(self, X: list[dict], plain: bool = False) -> SparseRows:
        """The FeatureUnion output for sentence dicts X ("features", or "features_plain")."""
        return self._unions["features_plain" if plain else "features"].transform(X, self.context_fn)

    def _features_of(self, X, feats, union: str) -> SparseRows:
        if feats is None:
            if X is None:
                raise TypeError("pass the sentence dicts X or their features")
            return self._unions[union].transform(X, self.context_fn)
        if feats.shape[1] != self._unions[union].width:
            raise ValueError(f"features have {feats.shape[1]} columns, {union!r} has {self._unions[union].width}")
        return feats

    def _proba(self, name: str, X, feats) -> tuple[np.ndarray, np.ndarray]:
        clf = self._classifiers[name]
        return clf.classes, clf.predict_proba(self._features_of(X, feats, CLASSIFIERS[name]))

    def function_proba(self, X: list[dict] | None = None, feats: SparseRows | None = None,
                       plain: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(classes, probabilities) of the function model (plain: without the rules' features)."""
        return self._proba("function_plain" if plain else "function", X, feats)

    def area_proba(self, feats: SparseRows) -> tuple[np.ndarray, np.ndarray]:
        """(classes, probabilities) of the area model, from features(X)."""
        return self._proba("area", None, feats)

    def specificity(self, X: list[dict], feats: SparseRows | None = None) -> np.ndarray:
        """The ridge prediction over [features(X) | hand_fn(text)], not clipped."""
        feats = self._features_of(X, feats, "features")
        hand = np.array([self.hand_fn(x["text"]) for x in X], dtype=np.float64).reshape(len(X), self._ridge_hand.size)
        return feats.dot(self._ridge_shared) + hand @ self._ridge_hand + self._ridge_intercept
