"""The learned models: deterministic training, manifest and staleness, the combination
with the rules, and the corpus's own guarantees (counts, no evaluation text)."""
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from review.api import review_document
from review.errors import ReviewError
from review.judge import model as M
from review.judge import train as T
from review.judge.compiled import CompiledModels, load_compiled
from review.judge.corpus import Record, corpus_dir, corpus_hash, load_corpus
from review.judge.features import context_dict, specificity_features

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """A fixed subset of the corpus (the first 70 records of every function)."""
    d = tmp_path_factory.mktemp("corpus")
    seen = Counter()
    with open(d / "subset.jsonl", "w", encoding="utf-8") as f:
        for r in load_corpus():
            if seen[r.function] < 70:
                seen[r.function] += 1
                f.write(json.dumps(r.model_dump(), ensure_ascii=False) + "\n")
    return d


def _compiled(d: Path) -> CompiledModels:
    return CompiledModels(load_compiled(d / M.COMPILED_FILE), context_dict, specificity_features)


def test_training_is_deterministic(small_corpus, tmp_path):
    a = T.train(tmp_path / "a", cv=False, corpus_dir=small_corpus, progress=lambda m: None)
    b = T.train(tmp_path / "b", cv=False, corpus_dir=small_corpus, progress=lambda m: None)
    assert a["corpus_hash"] == b["corpus_hash"] == corpus_hash(small_corpus)
    ca, cb = _compiled(tmp_path / "a"), _compiled(tmp_path / "b")
    rows = [M.sentence_dict(t, "problems", "self", False) for t in
            ["我对分管工作调研不够深入。", "通过学习，我深刻体会到理想信念的重要。", "今年3月我只下乡两次。"]]
    fa, fb = ca.features(rows), cb.features(rows)
    assert np.array_equal(ca.function_proba(feats=fa)[1], cb.function_proba(feats=fb)[1])
    assert np.array_equal(ca.area_proba(fa)[1], cb.area_proba(fb)[1])
    assert np.array_equal(ca.specificity(rows, fa), cb.specificity(rows, fb))
    assert np.array_equal(ca.function_proba(rows, plain=True)[1], cb.function_proba(rows, plain=True)[1])


def test_manifest_and_staleness(small_corpus, tmp_path, monkeypatch):
    out = tmp_path / "m"
    manifest = T.train(out, cv=False, corpus_dir=small_corpus, progress=lambda m: None)
    saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert saved == manifest and {"corpus_hash", "depends", "records", "versions", "metrics", "seed"} <= set(saved)
    assert saved["versions"]["sklearn"]
    monkeypatch.setattr(M, "corpus_hash", lambda root=None: corpus_hash(small_corpus))
    assert M.model_status(out)[0] == "ok"
    monkeypatch.setattr(M, "corpus_hash", lambda root=None: "changed")
    assert M.model_status(out)[0] == "stale"
    assert M.model_status(tmp_path / "nothing")[0] == "missing"
    with pytest.raises(ReviewError) as e:
        M.load_models(str(tmp_path / "nothing"), auto_train=False)
    assert e.value.code == "E303" and "review train" in str(e.value)


def test_a_changed_lexicon_makes_the_models_stale(small_corpus, tmp_path, monkeypatch):
    """The models learned from the cue lexicons' verdicts: editing them retrains."""
    out = tmp_path / "m"
    T.train(out, cv=False, corpus_dir=small_corpus, progress=lambda m: None)
    monkeypatch.setattr(M, "corpus_hash", lambda root=None: corpus_hash(small_corpus))
    assert M.model_status(out)[0] == "ok"
    from review.lang import zh
    cues = tmp_path / "functions.yaml"
    cues.write_text(zh.lang_path("functions.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(M, "data_files", lambda: [cues, *zh.data_files()[1:]])
    assert M.model_status(out)[0] == "stale"


def test_reviewing_never_imports_scikit_learn_or_spacy():
    import subprocess
    import sys
    M.load_models()                                   # fresh models: training does import them
    code = ("import sys; from review.api import review_document; "
            "r = review_document('samples/self-weak.txt', mode='combined'); "
            "print(sorted(m for m in ('sklearn', 'scipy', 'spacy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


def test_combined_findings_say_how_confident_they_are():
    rep = review_document(ROOT / "samples" / "self-weak.txt", mode="combined")
    pattern = [f for f in rep.findings if f.rule.startswith("pattern.") and f.end > f.start
               and f.rule != "pattern.unmatched-problem"]
    assert pattern and all(f.confidence is not None and 0 < f.confidence <= 1 for f in pattern)
    assert all("confidence" in f for f in rep.to_dict()["findings"] if f["rule"] in {p.rule for p in pattern})
    assert all(f.confidence is None for f in review_document(ROOT / "samples" / "self-weak.txt", mode="rules").findings)


def test_modes_differ_and_rules_mode_needs_no_models(monkeypatch):
    monkeypatch.setattr(M, "load_models", lambda *a, **k: (_ for _ in ()).throw(AssertionError("models loaded")))
    monkeypatch.setattr(M, "ModelClassifier", lambda *a, **k: (_ for _ in ()).throw(AssertionError("models used")))
    rep = review_document(ROOT / "samples" / "self-good.txt", mode="rules")
    assert rep.sentences


# ---- the corpus -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_size_and_cells(corpus):
    assert len(corpus) >= 4000
    cells = Counter((r.function, r.doc_type) for r in corpus)
    possible = [(f, d) for d in ("self", "team") for f in
                ("problem", "reasoning", "praise", "deflect", "hope", "cause_subjective", "cause_objective", "measure", "other")]
    possible += [(f, "critique") for f in ("problem", "reasoning", "praise", "hope", "measure", "other")]
    assert {c: cells[c] for c in possible if cells[c] < 100} == {}
    areas = Counter(r.area for r in corpus if r.function == "problem")
    assert all(areas[a] >= 300 for a in range(1, 6)), areas
    levels = Counter(r.specificity for r in corpus)
    assert all(levels[k] / len(corpus) >= 0.25 for k in (1, 2, 3)), levels


def test_corpus_records_are_valid_and_unique():
    for path in sorted(corpus_dir().glob("*.jsonl")):
        texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(texts) == len(set(texts)), path.name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                Record.model_validate(json.loads(line))


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared/eval is not beside the checkout")
def test_no_evaluation_text_in_the_corpus(corpus):
    needles = set()
    for g in list((SHARED / "eval").rglob("*.txt")) + list((SHARED / "seeds").glob("*.txt")):
        if g.name.startswith("plan-"):
            continue
        t = re.sub(r"\s+", "", g.read_text(encoding="utf-8", errors="ignore"))
        needles.update(t[i:i + 16] for i in range(len(t) - 15))
    hits = [r.text for r in corpus if any(re.sub(r"\s+", "", r.text)[i:i + 16] in needles
                                          for i in range(max(1, len(r.text) - 15)))]
    assert hits == []


@pytest.mark.skipif(not (SHARED / "eval" / "dev").is_dir(), reason="../shared/eval/dev is not beside the checkout")
def test_ablation_command(capsys):
    from review.cli import main
    assert main(["eval", str(SHARED / "eval" / "dev"), "--ablation"]) == 0
    out = capsys.readouterr().out
    assert "rules" in out and "model" in out and "combined" in out and "function macro-F1" in out
