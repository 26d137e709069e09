"""The NLP engine: spaCy's blank Chinese pipeline segmenting with jieba and our user dictionary.

Offline by construction: no model is downloaded. jieba's prefix-dictionary cache goes to a
per-user folder so concurrent users do not collide on one temp file.
"""
from __future__ import annotations

import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from .packs import RULES_DIR

USER_DICT = RULES_DIR / "userdict.txt"
LONG_LINE = 3000   # longer than any real paragraph: segment without jieba's (slow) HMM step


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    d = Path(base) / "review-jieba"
    try:
        d.mkdir(parents=True, exist_ok=True)
        return d
    except OSError:
        return Path(tempfile.mkdtemp(prefix="review-jieba-"))


@lru_cache(maxsize=1)
def get_jieba():
    import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(_cache_dir())
    if USER_DICT.exists():
        jieba.load_userdict(str(USER_DICT))
    return jieba


@lru_cache(maxsize=1)
def get_nlp():
    get_jieba()
    from spacy.lang.zh import Chinese
    return Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def make_doc(text: str):
    """A Doc of `text` with the pipeline's own jieba segmentation.

    jieba's tokens concatenate back to the text exactly, so the Doc is built from them
    directly: spaCy's generic alignment of words to text is quadratic on very long lines."""
    from spacy.tokens import Doc
    nlp = get_nlp()
    words: list[str] = []
    spaces: list[bool] = []
    for w in _segment(nlp.tokenizer.jieba_seg, text):
        if not w:
            continue
        if w == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True       # spaCy's convention: one space is the token's trailing space
        elif w.isspace() and words and words[-1].isspace():
            words[-1] += w          # and a run of whitespace is one token
        else:
            words.append(w)
            spaces.append(False)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _segment(jieba, text: str):
    """jieba's tokens line by line (jieba splits at line breaks anyway); a line longer than
    LONG_LINE skips the HMM guess for unknown words, which costs ~50 µs a character."""
    for line in text.splitlines(keepends=True):
        yield from jieba.cut(line, cut_all=False, HMM=len(line) <= LONG_LINE)
