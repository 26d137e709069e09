"""``slips.typo``: obvious slips beyond the term table, precision first (issue 10).

* **doubled** -- a function character typed twice (自己也也, 的的) where jieba reads the two
  as separate words (不了了之 is one word, so it is never flagged);
* **idiom** -- a four-character stretch one character off an idiom of jieba's dictionary
  (tags ``i``, ``l``, or a very common four-character word), the wrong character a homophone of the right one (持之一恒 → 持之以恒),
  and the stretch itself no word;
* **dropped** -- a standard formulation of the term table with one character left out
  (全面从严治 for 全面从严治党), never beside a correct occurrence.

* **transposed** -- two characters that are no word while their reverse is a common one
  (企业革改 → 企业改革), flagged only when the reversal makes the stretch around them far
  likelier under jieba's word frequencies (best-path log probability, ``TRANSPOSED_MARGIN``):
  时有/有时 or 期长/长期 read well both ways and are left alone.

jieba's dictionary is the lexicon (read once, indexed, cached by its hash); pypinyin
decides homophones and is imported only when a candidate turns up."""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .. import cache
from ..lang.zh.chars import FUNCTION_CHARS, NUMERAL_CHARS, to_simplified
from ..nlp import get_jieba
from ..rulebook import Rule
from .context import DocContext
from .findings import Finding, make_finding
from .terms import load_terms

RULE_ID = "slips.typo"
# function characters that are never doubled in writing (常常, 天天, 看看 are; 也也 is not)
DOUBLE_NEVER = frozenset("也的了在是和与及把被将从向而但并就还又都其该之于以为因所很更最我")
MIN_IDIOM_FREQ = 50           # idioms (tags i, l) rarer than this in jieba's counts are not used
MIN_PHRASE_FREQ = 1000        # other four-character words used as fixed phrases (实事求是)
MIN_REVERSED_FREQ = 1000     # the word a transposition is read as must be common (改革)
TRANSPOSED_MARGIN = 8.0      # log-probability gain of the reversal, over a window of 8 characters
MIN_WORD_FREQ = 10            # below this a dictionary entry is no word (jieba lists 持之一恒 at 3)
_HAN4 = re.compile(r"[\u4e00-\u9fff]{4}$")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    """{"idioms": {masked key: [idiom]}, "words": {word: freq}} from jieba's dictionary."""
    jb = get_jieba()
    jb.dt.check_initialized()

    def build():
        idioms: dict[str, list[str]] = {}
        with jb.get_dict_file() as f:
            for raw in f:
                parts = raw.decode("utf-8").split()
                if len(parts) == 3 and len(parts[0]) == 4 and (
                        (parts[2] in ("i", "l") and int(parts[1]) >= MIN_IDIOM_FREQ) or int(parts[1]) >= MIN_PHRASE_FREQ):
                    w = parts[0]
                    for k in range(4):
                        idioms.setdefault(w[:k] + "?" + w[k + 1:], []).append(w)
        return idioms
    key = cache.digest(jb.__version__, str(len(jb.dt.FREQ)), cache.code_version())
    return {"idioms": cache.cached("slip-idioms", key, build), "words": jb.dt.FREQ}


@lru_cache(maxsize=4096)
def _sounds(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin
    return frozenset(p for alts in pinyin(ch, style=Style.NORMAL, heteronym=True) for p in alts)


def _homophones(a: str, b: str) -> bool:
    return bool(_sounds(a) & _sounds(b))


def _is_word(w: str, words: dict) -> bool:
    return words.get(w, 0) >= MIN_WORD_FREQ


def _tokens(text: str, words: list[str] | None) -> list[tuple[int, str]]:
    """(offset, token) of the draft's segmentation (made here when not given)."""
    if words is None or sum(map(len, words)) != len(text):
        words = get_jieba().lcut(text)
    out, pos = [], 0
    for tok in words:
        out.append((pos, tok))
        pos += len(tok)
    return out


def find_slips(text: str, words: list[str] | None = None, tokens=None) -> list[tuple[int, int, str, str]]:
    """(start, end, found, suggestion) of every slip, in text order."""
    lex = _lexicon()
    freq, idioms = lex["words"], lex["idioms"]
    out: list[tuple[int, int, str, str]] = []
    tokens = tokens if tokens is not None else _tokens(text, words)
    for p0, a in tokens:                       # jieba's HMM may join a doubled character into one "word"
        if len(a) == 2 and a[0] == a[1] and a[0] in DOUBLE_NEVER:
            out.append((p0, p0 + 2, a, a[0]))
    for (p0, a), (p1, b) in zip(tokens, tokens[1:]):
        if a == b and len(a) == 1 and a in DOUBLE_NEVER:
            out.append((p0, p1 + 1, a + b, a))
    for s, _ in tokens:                        # a miswritten idiom starts where a word starts
        w = text[s:s + 4]
        if len(w) < 4 or not _HAN4.match(w) or _is_word(w, freq):
            continue
        for k in range(4):
            cands = [c for c in idioms.get(w[:k] + "?" + w[k + 1:], ()) if c != w]
            if len(cands) != 1 or (w[k] in NUMERAL_CHARS and cands[0][k] in NUMERAL_CHARS):
                continue                          # 三心二意 / 三心两意: numbers are not slips
            if _homophones(w[k], cands[0][k]):
                out.append((s, s + 4, w, cands[0]))
                break
    out.sort()
    kept, last_end = [], -1
    for hit in out:                      # overlapping hits: the first one stands
        if hit[0] >= last_end:
            kept.append(hit)
            last_end = hit[1]
    return kept


def _best_logprob(s: str, freq: dict, log_total: float) -> float:
    """Log probability of the likeliest segmentation of s into dictionary words (jieba's DAG)."""
    n = len(s)
    route = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best = -math.inf
        for j in range(i + 1, min(n, i + 4) + 1):
            f = freq.get(s[i:j], 0)
            if f or j == i + 1:
                best = max(best, math.log(f or 1) - log_total + route[j])
        route[i] = best
    return route[0]


def find_transposed(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, found, suggestion) of two characters written the wrong way round."""
    jb = get_jieba()
    freq, log_total = _lexicon()["words"], math.log(jb.dt.total)
    out = []
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a == b or not (_is_han(a) and _is_han(b)) or a in FUNCTION_CHARS or b in FUNCTION_CHARS:
            continue
        if freq.get(a + b, 0) or freq.get(b + a, 0) < MIN_REVERSED_FREQ:
            continue
        if text[i - 1:i + 1] == b + a or text[i + 1:i + 3] == b + a:
            continue                                  # 依法依规: the right order is beside it
        lo, hi = max(0, i - 3), min(len(text), i + 5)
        gain = (_best_logprob(text[lo:i] + b + a + text[i + 2:hi], freq, log_total)
                - _best_logprob(text[lo:hi], freq, log_total))
        if gain >= TRANSPOSED_MARGIN:
            out.append((i, i + 2, a + b, b + a))
    return out


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


@lru_cache(maxsize=1)
def _dropped_index() -> dict[str, str]:
    """A standard formulation of 5+ characters with one character left out → the standard."""
    table = load_terms()
    keep = set(table.standards)
    allowed = {a for e in table.entries for a in e.allow}
    out: dict[str, str] = {}
    for t in table.standards:
        if len(t) >= 5:
            for k in range(1, len(t) - 1):            # an end left out is often a legitimate shorter phrase
                key = t[:k] + t[k + 1:]
                if t[k] in FUNCTION_CHARS or t[k] in (t[k - 1], t[k + 1]):
                    continue                          # 以人民为中心发展思想, 钉子精神: not slips
                if key not in keep and key not in allowed:
                    out.setdefault(key, t)
    return out


def find_dropped(text: str, words: list[str] | None = None, tokens=None) -> list[tuple[int, int, str, str]]:
    """A standard formulation with a character missing (两个维 for 两个维护 is too short to
    tell; 全面从严治 for 全面从严治党 is not): never inside a correct occurrence."""
    index = _dropped_index()
    freq = _lexicon()["words"]
    tokens = tokens if tokens is not None else _tokens(text, words)
    bounds = {p for p, _ in tokens} | {len(text)}
    lengths = sorted({len(k) for k in index})
    out = []
    for s, _ in tokens:                           # a slip starts and ends on word boundaries
        for n in lengths:
            w = text[s:s + n]
            t = index.get(w)
            if t is None or _is_word(w, freq) or s + n not in bounds:
                continue                              # 端正|政绩观 is no 正确政绩观 miswritten
            if text.find(t, max(0, s - len(t)), s + n + len(t)) >= 0:
                continue                              # the correct form is right there
            out.append((s, s + n, w, t))
    return out


def slip_findings(ctx: DocContext, rules: list[Rule]) -> list[Finding]:
    rule = next((r for r in rules if r.id == RULE_ID), None)
    if rule is None:
        return []
    text = to_simplified(ctx.text)                    # same offsets; 廉潔 is no slip of 廉洁
    tokens = _tokens(text, ctx.words)
    hits = sorted(find_slips(text, tokens=tokens) + find_dropped(text, tokens=tokens) + find_transposed(text))
    kept, last_end = [], -1
    for hit in hits:
        if hit[0] >= last_end:
            kept.append(hit)
            last_end = hit[1]
    return [make_finding(rule, s, e, found=found, standard=fix) for s, e, found, fix in kept]
