"""Build the learned models once, before any test (a fresh checkout has none: they are
built from the corpus on first use, which prints a notice a test of stderr would see)."""
import pytest


@pytest.fixture(scope="session", autouse=True)
def trained_models():
    from review import settings
    from review.judge.corpus import corpus_files
    if corpus_files() and settings.current().mode != "rules":
        from review.judge.model import load_models
        load_models()
