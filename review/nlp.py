"""The NLP engine: jieba with our user dictionary, and spaCy's blank Chinese pipeline on
top of the same segmentation (built only when a caller asks for a spaCy Doc).

Offline by construction: no model is downloaded. jieba's prefix dictionary, with the user
dictionary applied, is cached in review's cache folder keyed by both files' contents and
read in one piece (jieba's own cache reader takes three times as long)."""
from __future__ import annotations

import logging
import os
from functools import lru_cache

from . import cache, settings
from .lang.zh import user_dict_path

LONG_LINE = 3000   # longer than any real paragraph: segment without jieba's (slow) HMM step


@lru_cache(maxsize=1)
def get_jieba():
    import jieba                            # its dictionary loads here, once, on first use
    jieba.setLogLevel(logging.WARNING)
    cache_dir = settings.current().cache_dir
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(cache_dir)       # never jieba's shared file in /tmp
    except OSError:
        pass
    user = user_dict_path()
    key = cache.digest(jieba.__version__, cache.file_digest(user), _dict_stamp(jieba))

    def build():
        jieba.dt.initialize()
        if user.exists():
            jieba.load_userdict(str(user))
        return jieba.dt.FREQ, jieba.dt.total

    if not jieba.dt.initialized:
        jieba.dt.FREQ, jieba.dt.total = cache.cached("jieba-dict", key, build)
        jieba.dt.initialized = True
    return jieba


def _dict_stamp(jieba) -> str:
    try:
        st = os.stat(jieba.get_dict_file().name)
        return f"{st.st_size}-{st.st_mtime_ns}"
    except (OSError, AttributeError):
        return "-"


def segment(text: str) -> list[str]:
    """jieba's tokens line by line (jieba splits at line breaks anyway); a line longer than
    LONG_LINE skips the HMM guess for unknown words, which costs ~50 µs a character.
    The tokens concatenate back to `text` exactly."""
    jb = get_jieba()
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        out.extend(jb.cut(line, cut_all=False, HMM=len(line) <= LONG_LINE))
    return out


@lru_cache(maxsize=1)
def get_nlp():
    get_jieba()
    from spacy.lang.zh import Chinese      # spaCy loads only when a Doc is asked for
    return Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def make_doc(text: str, words: list[str] | None = None):
    """A spaCy Doc of `text` from the pipeline's own jieba segmentation (`words`, when the
    caller has segmented already). Built from the tokens directly: spaCy's generic
    alignment of words to text is quadratic on very long lines."""
    from spacy.tokens import Doc           # spaCy only when a Doc is asked for
    nlp = get_nlp()
    toks: list[str] = []
    spaces: list[bool] = []
    for w in (words if words is not None else segment(text)):
        if not w:
            continue
        if w == " " and toks and not spaces[-1] and not toks[-1].isspace():
            spaces[-1] = True       # spaCy's convention: one space is the token's trailing space
        elif w.isspace() and toks and toks[-1].isspace():
            toks[-1] += w           # and a run of whitespace is one token
        else:
            toks.append(w)
            spaces.append(False)
    doc = Doc(nlp.vocab, words=toks, spaces=spaces)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
