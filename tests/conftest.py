"""Build the learned models once, before any test (a fresh checkout has none: they are
built from corpora/ on first use, which prints a notice a test of stderr would see)."""
import pytest


@pytest.fixture(scope="session", autouse=True)
def trained_models():
    from review.corpus import corpus_files
    if corpus_files():
        from review.model import load_models
        load_models()
