"""``terms.nonstandard``: a standard formulation miswritten.

The table of standard formulations lives in ``lang/zh/terms.yaml`` (kind ``terms``).  Two detectors run
over a text in a single pass:

* **known** -- an exact, listed wrong form (四种意识 -> 四个意识), unless that
  occurrence sits inside a correct longer phrase of the table;
* **slip** -- a stretch of text that differs from a standard term of length >= 4 in
  exactly one position (substitution only): 形式丰义 -> 形式主义.

Both run on the text folded for matching (``lang.zh.chars.fold_for_matching``), so
invisible or full-width characters slipped inside a term (四\u200b种意识, 四种\u3000意识)
do not hide it; hits are mapped back to offsets into the original text.

A slip is *not* reported when

* the stretch is itself a standard or allowed phrase, or part of one;
* the differing character is not a Han character (punctuation, line break, digits), or
  both characters are numerals (十九届五中全会 is a different plenum, not a typo);
* the differing character is covered by a correct occurrence of a standard or allowed
  phrase in the text;
* the differing character is a function character (的, 和, 在 …: 奋斗的精神 is not
  斗争精神 miswritten);
* the differing character makes an ordinary word that stands in for a word of the term
  (主要责任 for 主体责任, 历史时刻 for 历史时期, 四个方面 for 四个全面), or a word
  with the text just outside the stretch (代替|摆问题 is not 查摆问题, 围绕|基层减负
  is not 为基层减负): a typo rarely produces a real word, a legitimate neighbour phrase
  nearly always does.  The word list is jieba's own dictionary, loaded only when a
  candidate turns up.  Typos that do make a real word (形势主义, 形式主意) belong in
  the table's ``wrong`` lists;
* at the first or last position, a one-character word of the term is replaced by a very
  common standalone character (组织生活时 is 组织生活 + 时, not 组织生活会);
* it is listed in the table's ``allow`` lists.

Finding candidates is one pass over the text: every term of length L >= 4 is split
into two halves, and a single substitution leaves one half intact.  The halves are
indexed by their first two characters, so the scan is one dict look-up per text
position plus a ``startswith`` per probe that shares that bigram.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ..cache import cached, digest
from ..errors import CODES, ReviewError
from ..lang.zh import terms_path
from ..lang.zh.chars import FUNCTION_CHARS, NUMERAL_CHARS, fold_for_matching, is_han
from ..loader import line_of, read_yaml
from ..rulebook import Rule
from .context import DocContext
from .findings import Finding, make_finding

__all__ = [
    "RULE_ID",
    "TermEntry",
    "TermHit",
    "TermTable",
    "TermsFileError",
    "find_nonstandard",
    "load_terms",
]

RULE_ID = "terms.nonstandard"

MIN_SLIP_LEN = 4
# A text word must be at least this frequent in jieba's dictionary to excuse a
# one-character difference (the dictionary holds many one-off names: 丰义 has 2).
MIN_WORD_FREQ = 3
MAX_WORD_LEN = 4
# At the first or last position of the window, a single-character word of the term
# replaced by a very common standalone character is where the phrase ends and the next
# word starts (组织生活时, 真正为群众…): not a slip.
EDGE_CHAR_FREQ = 20000


# --------------------------------------------------------------------------- schema


class TermsFileError(ReviewError):
    """The terms file is missing, unreadable (E201) or invalid (E202); the one-line message
    names the file, the entry and its line."""

    def __init__(self, msg: str, code: str = "E202"):
        zh, _, hint_zh, hint_en = CODES[code]
        super().__init__(code, zh, msg, hint_zh, hint_en)

    def __reduce__(self):
        return (ReviewError, (self.code, self.zh, self.en, self.hint_zh, self.hint_en))


def _check_phrase(value: str) -> str:
    if len(value) < 2:
        raise ValueError("a phrase needs at least 2 characters")
    if any(ch.isspace() for ch in value):
        raise ValueError("a phrase may not contain whitespace")
    return value


class TermEntry(BaseModel):
    """One standard formulation, its known wrong forms and legitimate look-alikes."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    standard: str
    wrong: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()

    @field_validator("standard")
    @classmethod
    def _standard_ok(cls, v: str) -> str:
        return _check_phrase(v)

    @field_validator("wrong", "allow", mode="before")
    @classmethod
    def _list_to_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v

    @field_validator("wrong", "allow")
    @classmethod
    def _phrases_ok(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            _check_phrase(p)
        if len(set(v)) != len(v):
            raise ValueError("a phrase is listed twice")
        return v


class _TermsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    terms: list[TermEntry]
    allow: list[str] = []

    @field_validator("allow")
    @classmethod
    def _allow_ok(cls, v: list[str]) -> list[str]:
        for p in v:
            _check_phrase(p)
        return v


def _entry_label(raw: Any, index: int) -> str:
    label = f"terms[{index}]"
    if isinstance(raw, dict) and isinstance(raw.get("standard"), str):
        label += f" (standard {raw['standard']!r})"
    return label


def _format_validation_error(source: str, raw: Any, err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        loc = e.get("loc", ())
        if len(loc) >= 2 and loc[0] == "terms" and isinstance(loc[1], int):
            raw_entry = None
            if isinstance(raw, dict) and isinstance(raw.get("terms"), list):
                if loc[1] < len(raw["terms"]):
                    raw_entry = raw["terms"][loc[1]]
            where = _entry_label(raw_entry, loc[1])
            rest = loc[2:]
        else:
            where, rest = "top level", loc
        if e.get("type") == "extra_forbidden" and rest:
            what = f"unknown key {rest[-1]!r}"
        else:
            field = ".".join(str(x) for x in rest)
            what = f"{field}: {e.get('msg')}" if field else str(e.get("msg"))
        lines.append(f"{source}: {where}: {what}")
    return "\n".join(lines)


# ------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TermHit:
    start: int  # 0-based, into the scanned text
    end: int  # exclusive
    found: str  # the text as written, text[start:end]
    standard: str  # the standard formulation it should be
    kind: str  # "known" (listed wrong form) | "slip" (one character off)


# --------------------------------------------------------------------------- table


class TermTable:
    """Validated terms with the indexes the detectors need (build once, reuse)."""

    def __init__(
        self,
        entries: Iterable[TermEntry],
        allow: Iterable[str] = (),
        source: str = "<terms>",
    ) -> None:
        self.entries: tuple[TermEntry, ...] = tuple(entries)
        self.source = source
        self.standards: tuple[str, ...] = tuple(e.standard for e in self.entries)
        self.allow: tuple[str, ...] = tuple(allow)
        self._validate()

        self.wrong_forms: dict[str, str] = {
            w: e.standard for e in self.entries for w in e.wrong
        }
        protected = set(self.standards) | set(self.allow)
        for e in self.entries:
            protected.update(e.allow)
        self._protected: frozenset[str] = frozenset(protected)

        # Every substring (of slip length or more) of a correct phrase.
        subs: set[str] = set()
        for p in protected:
            n = len(p)
            for i in range(n):
                for j in range(i + MIN_SLIP_LEN, n + 1):
                    subs.add(p[i:j])
        self._protected_subs: frozenset[str] = frozenset(subs)

        # char -> [(phrase, offset of char in phrase)] for the "covered" test.
        by_char: dict[str, list[tuple[str, int]]] = {}
        for p in protected:
            for k, ch in enumerate(p):
                by_char.setdefault(ch, []).append((p, k))
        self._protected_by_char = by_char

        # wrong form -> correct longer phrases containing it, with its offset there.
        shadows: dict[str, list[tuple[str, int]]] = {}
        for w in self.wrong_forms:
            for p in protected:
                if len(p) > len(w):
                    k = p.find(w)
                    while k >= 0:
                        shadows.setdefault(w, []).append((p, k))
                        k = p.find(w, k + 1)
        self._shadows = shadows

        # First bigram -> [(probe string, [(kind, term, offset, other), ...])].
        #   kind "known": the probe is a wrong form, term its standard.
        #   kind "head"/"tail": the probe is half of term, found at term[offset:];
        #   other is the remaining half to compare against.
        grouped: dict[str, list[tuple[str, str, int, str, int, int]]] = {}
        for w, std in self.wrong_forms.items():
            grouped.setdefault(w, []).append(("known", std, 0, "", len(w), 0))
        for t in self.standards:
            if len(t) < MIN_SLIP_LEN:
                continue
            h = len(t) // 2
            head, tail = t[:h], t[h:]
            L = len(t)
            grouped.setdefault(head, []).append(("head", t, 0, tail, L, L - h))
            grouped.setdefault(tail, []).append(("tail", t, h, head, L, h))
        probes: dict[str, list[tuple[str, tuple[tuple[str, str, int, str, int, int], ...]]]] = {}
        for probe, payloads in grouped.items():
            probes.setdefault(probe[:2], []).append((probe, tuple(payloads)))
        self._probes = probes

        self._bounds_cache: dict[str, frozenset[int]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"TermTable({len(self.entries)} terms from {self.source})"

    def _validate(self) -> None:
        src = self.source
        first: dict[str, int] = {}
        for i, e in enumerate(self.entries):
            if e.standard in first:
                raise TermsFileError(
                    f"{src}: terms[{i}] (standard {e.standard!r}): duplicate standard "
                    f"(first listed at terms[{first[e.standard]}])"
                )
            first[e.standard] = i
        wrong_at: dict[str, int] = {}
        allow_all = set(self.allow)
        for i, e in enumerate(self.entries):
            where = f"{src}: terms[{i}] (standard {e.standard!r})"
            for w in e.wrong:
                if w in first:
                    raise TermsFileError(
                        f"{where}: wrong form {w!r} is itself a standard "
                        f"(terms[{first[w]}])"
                    )
                if w in wrong_at:
                    raise TermsFileError(
                        f"{where}: wrong form {w!r} already listed at terms[{wrong_at[w]}]"
                    )
                wrong_at[w] = i
            for a in e.allow:
                if a in first:
                    raise TermsFileError(
                        f"{where}: allowed phrase {a!r} is a standard (terms[{first[a]}])"
                    )
            allow_all.update(e.allow)
        for a in self.allow:
            if a in first:
                raise TermsFileError(
                    f"{src}: allow: {a!r} is a standard (terms[{first[a]}])"
                )
        for w, i in wrong_at.items():
            if w in allow_all:
                raise TermsFileError(
                    f"{src}: terms[{i}] (standard {self.entries[i].standard!r}): "
                    f"wrong form {w!r} is also an allowed phrase"
                )

    # -- helpers used by the slip detector ------------------------------------

    def _term_bounds(self, term: str, lex: "_Lexicon") -> frozenset[int]:
        b = self._bounds_cache.get(term)
        if b is None:
            b = lex.segment_bounds(term)
            self._bounds_cache[term] = b
        return b

    def _is_word_swap(self, term: str, window: str, j: int, lex: "_Lexicon") -> bool:
        """True if window[j] forms a word that stands in for a word of the term."""
        L = len(term)
        bounds = None
        for a in range(max(0, j - MAX_WORD_LEN + 1), j + 1):
            for b in range(max(a + 2, j + 1), min(L, a + MAX_WORD_LEN) + 1):
                tw = window[a:b]
                if lex.freq(tw) < MIN_WORD_FREQ and tw not in self._protected:
                    continue
                rw = term[a:b]
                if lex.freq(rw) > 0 or rw in self._protected:
                    return True
                if bounds is None:
                    bounds = self._term_bounds(term, lex)
                if a in bounds and b in bounds:
                    return True
        return False

    def _is_edge_cut(self, term: str, window: str, j: int, lex: "_Lexicon") -> bool:
        """True if the window's first/last character is just the next word of the text."""
        if j != 0 and j != len(term) - 1:
            return False
        if lex.freq(window[j]) < EDGE_CHAR_FREQ:
            return False
        bounds = self._term_bounds(term, lex)
        return j in bounds and j + 1 in bounds

    @staticmethod
    def _crossing_word(text: str, start: int, end: int, pos: int, lex: "_Lexicon") -> bool:
        """True if text[pos] forms a word with text outside [start, end)."""
        n = len(text)
        for a in range(max(0, pos - MAX_WORD_LEN + 1), pos + 1):
            for b in range(max(a + 2, pos + 1), min(n, a + MAX_WORD_LEN) + 1):
                if (a < start or b > end) and lex.freq(text[a:b]) >= MIN_WORD_FREQ:
                    return True
        return False

    def _covered(self, text: str, pos: int) -> bool:
        """True if text[pos] lies inside a correct standard/allowed phrase."""
        for p, k in self._protected_by_char.get(text[pos], ()):
            s = pos - k
            if s >= 0 and text.startswith(p, s):
                return True
        return False


# ------------------------------------------------------------------------- lexicon


class _Lexicon:
    """Word frequencies (words of 1-4 characters) from jieba's main dictionary."""

    def __init__(self, freqs: dict[str, int]) -> None:
        self._f = freqs
        self._log_total = math.log(max(1, sum(freqs.values())))

    def freq(self, w: str) -> int:
        return self._f.get(w, 0)

    def segment_bounds(self, s: str) -> frozenset[int]:
        """Word boundaries of s under a maximum-probability segmentation."""
        n = len(s)
        best = [0.0] * (n + 1)
        nxt = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            best_score, best_j = -math.inf, i + 1
            for j in range(i + 1, min(n, i + MAX_WORD_LEN) + 1):
                f = self._f.get(s[i:j], 0)
                if f == 0 and j > i + 1:
                    continue
                score = math.log(max(f, 1)) - self._log_total + best[j]
                if score > best_score:
                    best_score, best_j = score, j
            best[i], nxt[i] = best_score, best_j
        out, i = {0}, 0
        while i < n:
            i = nxt[i]
            out.add(i)
        return frozenset(out)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """jieba's main dictionary, parsed once and cached on disk (parsing takes ~1.5 s)."""
    import jieba  # only needed once a slip candidate turns up

    def build() -> dict[str, int]:
        freqs: dict[str, int] = {}
        with jieba.get_dict_file() as fh:
            for raw in fh:
                line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                parts = line.split()
                if len(parts) >= 2 and len(parts[0]) <= MAX_WORD_LEN:
                    try:
                        freqs[parts[0]] = int(parts[1])
                    except ValueError:
                        continue
        return freqs

    return _Lexicon(cached("terms-lexicon", digest(jieba.__version__, str(MAX_WORD_LEN)), build))


# ------------------------------------------------------------------------- loading


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int, size: int) -> TermTable:
    try:
        raw = read_yaml(Path(path))
    except ReviewError as exc:
        raise TermsFileError(f"{path}: not valid YAML: {exc.en}", "E201") from None
    if not isinstance(raw, dict):
        raise TermsFileError(f"{path}: expected a mapping with a 'terms' list")
    try:
        parsed = _TermsFile.model_validate(raw)
        return TermTable(parsed.terms, parsed.allow, source=path)
    except ValidationError as exc:
        msg = _format_validation_error(path, raw, exc)
        loc = tuple(exc.errors()[0].get("loc", ()))
    except TermsFileError as exc:
        msg = exc.en
        m = re.search(r"terms\[(\d+)\]", msg)
        loc = ("terms", int(m.group(1))) if m else ()
    line = line_of(Path(path), loc)
    raise TermsFileError(f"{msg} (line {line})" if line else msg) from None


def load_terms(path: str | Path | None = None) -> TermTable:
    """Load and validate a terms file (default ``lang/zh/terms.yaml``).

    Cached per file: the same unchanged file gives the same TermTable object.
    Raises TermsFileError naming the file and the offending entry.
    """
    p = Path(path) if path is not None else terms_path()
    try:
        p = p.resolve()
        st = p.stat()
    except OSError as exc:
        raise TermsFileError(f"{p}: cannot read terms file: {exc}", "E201") from None
    return _load_cached(str(p), st.st_mtime_ns, st.st_size)


def term_findings(ctx: DocContext, rules: list[Rule]) -> list[Finding]:
    """Kind `terms`: every miswritten standard formulation, with its standard form."""
    rule = rules[0]
    if ctx.doc_type not in rule.doc_types:
        return []
    return [make_finding(rule, h.start, h.end, found=h.found, standard=h.standard)
            for h in find_nonstandard(ctx.text)]


# ------------------------------------------------------------------------ detector


def _one_mismatch(a: str, b: str) -> int:
    """Index of the single differing position of equal-length a, b; -1 otherwise."""
    k = -1
    for i in range(len(a)):
        if a[i] != b[i]:
            if k >= 0:
                return -1
            k = i
    return k


def _drop_contained(hits: list[TermHit]) -> list[TermHit]:
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[TermHit] = []
    max_end = -1
    for h in hits:
        if h.end <= max_end:
            continue  # inside (or equal to) an earlier, longer hit
        kept.append(h)
        max_end = h.end
    return kept


def find_nonstandard(text: str, table: TermTable | None = None) -> list[TermHit]:
    """All miswritten standard formulations in text, ordered by position.

    Matching runs on the folded text (``fold_for_matching``: NFKC, no zero-width or
    direction marks, no spaces inside Han runs), so 四\u200b种意识 is found; every hit's
    start/end are offsets into ``text`` and ``found`` is text[start:end] as written."""
    if table is None:
        table = load_terms()
    folded, origin = fold_for_matching(text)
    hits = _find_in(folded, table)
    if origin is None:
        return hits
    out = []
    for h in hits:
        start, end = origin[h.start], origin[h.end - 1] + 1
        out.append(TermHit(start, end, text[start:end], h.standard, h.kind))
    return out


def _find_in(text: str, table: TermTable) -> list[TermHit]:
    n = len(text)
    probes = table._probes
    get = probes.get

    known: list[TermHit] = []
    # (start, term, index of differing char within the term)
    candidates: list[tuple[int, str, int]] = []

    for p in range(n - 1):
        lst = get(text[p : p + 2])
        if lst is None:
            continue
        for s_probe, payloads in lst:
            if not text.startswith(s_probe, p):
                continue
            for kind, term, off, other, L, m in payloads:
                if kind == "known":
                    blocked = False
                    for phrase, k in table._shadows.get(s_probe, ()):
                        if p - k >= 0 and text.startswith(phrase, p - k):
                            blocked = True
                            break
                    if not blocked:
                        known.append(TermHit(p, p + L, s_probe, term, "known"))
                    continue
                if kind == "head":
                    start = p
                    seg_start = p + off + (L - m)
                else:  # tail: compare the head before it
                    start = p - off
                    seg_start = start
                if start < 0 or start + L > n:
                    continue
                seg = text[seg_start : seg_start + m]
                # Exactly one differing position, cheap rejections first.
                if seg[0] != other[0]:
                    if seg[1:] != other[1:]:
                        continue
                    k = 0
                elif seg[-1] != other[-1]:
                    if seg[:-1] != other[:-1]:
                        continue
                    k = m - 1
                elif m == 3:
                    if seg[1] == other[1]:
                        continue  # exact occurrence
                    k = 1
                else:
                    k = _one_mismatch(seg, other)  # -1 if exact or 2+ apart
                    if k < 0:
                        continue
                candidates.append((start, term, seg_start - start + k))

    slips: dict[int, TermHit] = {}  # differing text position -> longest slip there
    verdicts: dict[tuple[str, str, int], bool] = {}
    lex: _Lexicon | None = None
    for start, term, j in candidates:
        L = len(term)
        window = text[start : start + L]
        tc, rc = window[j], term[j]
        if not is_han(tc):
            continue
        if tc in FUNCTION_CHARS or (tc in NUMERAL_CHARS and rc in NUMERAL_CHARS):
            continue
        if window in table._protected_subs:
            continue
        q = start + j
        prev = slips.get(q)
        if prev is not None and prev.end - prev.start >= L:
            continue
        key = (term, window, j)
        ok = verdicts.get(key)
        if ok is None:
            if lex is None:
                lex = _lexicon()
            ok = not (
                table._is_word_swap(term, window, j, lex)
                or table._is_edge_cut(term, window, j, lex)
            )
            verdicts[key] = ok
        if not ok:
            continue
        assert lex is not None
        if table._crossing_word(text, start, start + L, q, lex) or table._covered(text, q):
            continue
        slips[q] = TermHit(start, start + L, window, term, "slip")

    # Kept hits are not nested, so both their starts and ends increase: the last known
    # hit starting before a slip's end is the only one that can overlap it.
    known = _drop_contained(known)
    known_starts = [k.start for k in known]
    slip_list = []
    for h in slips.values():
        i = bisect_left(known_starts, h.end) - 1
        if i >= 0 and known[i].end > h.start:
            continue  # a listed wrong form already covers it
        slip_list.append(h)
    slip_list = _drop_contained(slip_list)
    return sorted(known + slip_list, key=lambda h: (h.start, h.end))
