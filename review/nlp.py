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
