"""The compiled (numpy-only) models give scikit-learn's features and predictions, survive a
save/load round trip, and import without scikit-learn or scipy."""
import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from review.judge import compiled
from review.judge.train import draft_rows, fit_models, training_data

ROOT = Path(__file__).resolve().parent.parent


def adapters(fitted: dict):
    """context_fn and hand_fn from the very transformers the fitted pipelines use (so this
    test does not depend on which module defines them)."""
    ctx_class = type(dict(fitted["features"].transformer_list)["ctx"].steps[0][1])
    hand = dict(fitted["specificity"].steps[0][1].transformer_list)["hand"]

    def context_fn(x: dict, use_rules: bool) -> dict:
        return ctx_class(use_rules).transform([x])[0]

    def hand_fn(text: str) -> list[float]:
        return list(hand.transform([{"text": text}])[0])

    return context_fn, hand_fn


def odd_rows(base: dict) -> list[dict]:
    """Inputs at the edges of the analyzers."""
    return [
        dict(base, text="", tokens=[]),
        dict(base, text="我  深刻\t\t反思\n\n问题 \u3000 所在\t一个制表符", tokens=["我", "  ", "深刻", "\t"]),
        # upper-case Latin: the char analyzer lowercases ("xx", "dr" are in its vocabulary),
        # the identity analyzer does not ("XX", "DRG" are in its vocabulary, "xx" is not)
        dict(base, text="PPT 汇报 XX同志 DRG 付费 Word", tokens=["PPT", "XX", "同志", "DRG", "xx", "drg"]),
        dict(base, text="𠀀𠀁𠀂", tokens=["从未见过的词语xyz", "𠀀𠀁𠀂"]),
        dict(base, text="在学习上有差距", tokens=["在", "学习", "上", "有", "差距"],
             section="never-seen-section", doc_type="never-seen-type", is_title=True, rule_function="never-seen"),
        dict(base, text="  前后有空格  ", tokens=["前后", "有", "空格"], is_title=True),
    ]


@pytest.fixture(scope="module")
def setup():
    corpus, docs = training_data()
    fitted = fit_models(corpus[::4] + draft_rows(docs[::2]))
    X = [r.x for r in corpus[1::4][::3]] + [x for d in docs[1::2] for x in d.xs]
    X += odd_rows(X[0])
    context_fn, hand_fn = adapters(fitted)
    obj = compiled.compile_models(fitted)
    return fitted, obj, compiled.CompiledModels(obj, context_fn, hand_fn), X, (context_fn, hand_fn)


def test_features_equal_sklearn(setup):
    fitted, _, m, X, _ = setup
    for plain, name in ((False, "features"), (True, "features_plain")):
        ours = m.features(X, plain=plain)
        theirs = fitted[name].transform(X)
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=0, atol=1e-12)
        assert all(np.all(np.diff(ours.indices[a:b]) > 0) for a, b in zip(ours.indptr, ours.indptr[1:]))


def test_probabilities_equal_sklearn(setup):
    fitted, _, m, X, _ = setup
    feats = m.features(X)
    for name, (classes, proba) in (("function", m.function_proba(X)),
                                   ("function_plain", m.function_proba(X, plain=True)),
                                   ("area", m.area_proba(feats))):
        assert list(classes) == list(fitted[name].classes_), name
        np.testing.assert_allclose(proba, fitted[name].predict_proba(X), rtol=0, atol=1e-9, err_msg=name)
    np.testing.assert_array_equal(m.function_proba(feats=feats)[1], m.function_proba(X)[1])


def test_specificity_equals_sklearn(setup):
    fitted, _, m, X, _ = setup
    np.testing.assert_allclose(m.specificity(X, m.features(X)), fitted["specificity"].predict(X), rtol=0, atol=1e-9)
    np.testing.assert_array_equal(m.specificity(X), m.specificity(X, m.features(X)))


def test_features_of_the_other_union_are_refused(setup):
    _, _, m, X, _ = setup
    with pytest.raises(ValueError):
        m.function_proba(feats=m.features(X[:3], plain=True))
    with pytest.raises(TypeError):
        m.function_proba()


def test_no_sentences(setup):
    _, _, m, _, _ = setup
    assert m.features([]).shape[0] == 0
    assert m.function_proba([])[1].shape == (0, len(m.function_proba([])[0]))
    assert m.specificity([]).shape == (0,)


def test_sparse_rows_dot_with_empty_rows():
    # rows: empty, [1 at col 0, 2 at col 2], empty, [3 at col 1], empty
    rows = compiled.SparseRows(np.array([0, 0, 2, 2, 3, 3]), np.array([0, 2, 1]), np.array([1.0, 2.0, 3.0]), 3)
    w = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(rows.dot(w), rows.toarray() @ w)
    np.testing.assert_array_equal(rows.dot(w[:, 0]), rows.toarray() @ w[:, 0])


def _plain_types(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_types(v) for v in value)
    if isinstance(value, np.ndarray):
        return not value.dtype.hasobject
    return value is None or isinstance(value, (str, bool, int, float))


def test_compiled_form_is_plain_data(setup):
    _, obj, _, _, _ = setup
    assert _plain_types(obj)


def test_save_load_round_trip(setup, tmp_path):
    _, obj, m, X, (context_fn, hand_fn) = setup
    path = tmp_path / "models.npz"
    compiled.save_compiled(obj, path)
    compiled.save_compiled(obj, path)                # replaces the file in place
    assert [p.name for p in tmp_path.iterdir()] == ["models.npz"]     # no temp file left
    loaded = compiled.CompiledModels(compiled.load_compiled(path), context_fn, hand_fn)
    a, b = m.features(X), loaded.features(X)
    np.testing.assert_array_equal(a.toarray(), b.toarray())
    for plain in (False, True):
        ca, pa = m.function_proba(X, plain=plain)
        cb, pb = loaded.function_proba(X, plain=plain)
        assert list(ca) == list(cb)
        np.testing.assert_array_equal(pa, pb)
    np.testing.assert_array_equal(m.area_proba(a)[1], loaded.area_proba(b)[1])
    assert list(m.area_proba(a)[0]) == list(loaded.area_proba(b)[0])
    np.testing.assert_array_equal(m.specificity(X, a), loaded.specificity(X, b))


def test_a_file_that_is_not_a_model_is_refused(setup, tmp_path):
    _, obj, _, _, _ = setup
    good = tmp_path / "models.npz"
    compiled.save_compiled(obj, good)
    for name, content in (("text.npz", b"not a model"), ("empty.npz", b""),
                          ("truncated.npz", good.read_bytes()[:1000])):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValueError):
            compiled.load_compiled(tmp_path / name)
    np.savez(tmp_path / "other.npz", x=np.arange(3))
    with pytest.raises(ValueError):
        compiled.load_compiled(tmp_path / "other.npz")


def test_module_imports_no_other_review_module():
    tree = ast.parse(Path(compiled.__file__).read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    allowed = {"__future__", "numpy"} | set(sys.stdlib_module_names)
    assert all(m.split(".")[0] in allowed and not m.startswith("review") for m in imported), imported
    assert not any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(tree))


def test_imports_without_sklearn_or_scipy():
    code = (f"import sys, {compiled.__name__}; "
            "print(sorted(m for m in ('sklearn', 'scipy', 'spacy', 'jieba') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout


def test_the_context_model_reproduces_scikit_learn():
    """Stage two (review.judge.stacked) gives scikit-learn's probabilities from its arrays."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from review.judge.stacked import ContextModel, compile_context_model
    corpus, docs = training_data()
    model = fit_models(corpus[::3])["function"]
    dicts, labels = [], []
    for d in docs[:8]:
        proba = model.predict_proba(d.xs)
        from review.judge.stacked import stack_dicts
        sd = stack_dicts(model.classes_, proba, d.xs, d.ctxs, d.items)
        dicts += [x for x, r in zip(sd, d.rows) if r is not None]
        labels += [r.function for r in d.rows if r is not None]
    dv = DictVectorizer().fit(dicts)
    lr = LogisticRegression(max_iter=3000).fit(dv.transform(dicts), labels)
    ours = ContextModel(compile_context_model(dv, lr))
    assert list(ours.classes) == list(lr.classes_)
    np.testing.assert_allclose(ours.predict_proba(dicts), lr.predict_proba(dv.transform(dicts)), atol=1e-9)
