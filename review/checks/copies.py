"""Passages shared between the drafts of one batch (SPEC §6 `batch.copied`).

严禁抄袭照搬；防止"左右一个样""上下一般粗": members of one leading group must not copy
from each other or from one template. This module finds passages two drafts share, and
the passages many drafts share (套话 candidates, reported apart, not as copying).

Method (Schleimer, Wilkerson & Aiken 2003, "Winnowing: local algorithms for document
fingerprinting", the MOSS method), linear in the total text, no all-pairs comparison:

1. Normalise every text for matching: keep letters and digits only (NFKC, lower case),
   dropping whitespace and punctuation; an int array maps each normalised position back
   to its offset in the original text.
2. Hash every k-gram (k = 8 characters) with a stable 64-bit hash (a polynomial over the
   code points, finished with the splitmix64 mixer: the same on every run and platform,
   unlike Python's randomised ``hash()``), vectorised with numpy over a chunk of drafts
   laid end to end (k-grams and windows that run into the next draft are masked).
3. Winnow: in every window of w = 8 consecutive k-grams keep the minimum hash (rightmost
   on ties). Any match of at least k + w - 1 = 15 normalised characters is then certain to
   share a fingerprint.
4. Inverted index fingerprint -> [(draft, position)] by sorting. Fingerprints of the
   ``ignore`` texts (area titles, plan clauses, standard formulations) are dropped. A
   fingerprint in >= ``boilerplate_docs`` drafts is boilerplate; one in exactly 2 drafts
   (more generally 2 .. boilerplate_docs-1) is evidence of copying between that pair.
5. Per pair, evidence is chained into passages (ordered in both drafts, gaps <= 2(k+w)),
   every seed is extended exactly along its diagonal by comparing the normalised strings,
   the passage is the union of those exact runs, trimmed of ignored wording at its edges,
   kept when it spans >= ``min_chars`` original characters on both sides, holds an exact
   run of >= k + w - 1 characters and is at least half matched (MIN_SIMILARITY), and is
   mapped back to original offsets. similarity = matched / spanned normalised characters,
   per side.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field

import numpy as np

K = 8                      # k-gram length (normalised characters)
W = 8                      # winnowing window (k-grams); guarantee threshold K + W - 1
GAP = 2 * (K + W)          # largest gap between chained fingerprints (normalised chars)
_BASE = np.uint64(0x100000001B3)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
MIN_SIMILARITY = 0.5       # a passage less than half matched is two drafts sharing phrases, not a passage
MIN_RUN = K + W - 1        # a passage holds at least one exact run this long (the guarantee threshold)
_CHUNK = 1 << 20           # characters hashed and winnowed at a time
_MAX_CROSS = 16            # cap on positions per draft for a fingerprint repeated inside a draft


@dataclass
class CopiedPassage:
    """One side of a copied pair: [start, end) of `file` matches [other_start, other_end) of `other`."""
    file: str
    start: int
    end: int
    other: str
    other_start: int
    other_end: int
    similarity: float


@dataclass
class Boilerplate:
    """A passage recurring in `count` drafts (套话 candidate), as written in the first of them."""
    text: str
    count: int
    files: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- normalisation

_TABLE: np.ndarray | None = None


def _fold(ch: str) -> int:
    """The code point a character matches as, 0 if it is dropped (space, punctuation)."""
    if not ch.isalnum():
        return 0
    t = unicodedata.normalize("NFKC", ch).lower()
    return ord(t) if len(t) == 1 and t.isalnum() else ord(ch)


def _table() -> np.ndarray:
    global _TABLE
    if _TABLE is None:
        _TABLE = np.fromiter((_fold(chr(c)) for c in range(0x10000)), dtype=np.uint32, count=0x10000)
    return _TABLE


def _normalise(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(folded code points kept, their offsets in `text`) as int arrays."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _table()
    astral = codes >= 0x10000
    if astral.any():
        folded = table[np.where(astral, 0, codes)]
        idx = np.flatnonzero(astral)
        folded[idx] = [_fold(text[i]) for i in idx.tolist()]
    else:
        folded = table[codes]
    offsets = np.flatnonzero(folded).astype(np.int32 if len(codes) < 2**31 else np.int64)
    return folded[offsets], offsets


def _kgram_hashes(codes: np.ndarray) -> np.ndarray:
    """Stable 64-bit hash of every k-gram of a code-point array (len(codes) - K + 1 values)."""
    m = len(codes) - K + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = codes[:m].astype(np.uint64)
        for j in range(1, K):
            h *= _BASE
            np.add(h, codes[j:j + m], out=h, casting="unsafe")
        h ^= h >> np.uint64(30)
        h *= _M1
        h ^= h >> np.uint64(27)
        h *= _M2
        h ^= h >> np.uint64(31)
    return h


def _hash_and_winnow(codes: np.ndarray, bounds: np.ndarray, h_out: np.ndarray,
                     kvalid_out: np.ndarray) -> np.ndarray:
    """Hash the k-grams of some drafts laid end to end (draft i is codes[bounds[i]:bounds[i+1]]),
    write hashes and validity into h_out / kvalid_out, return the winnowed positions."""
    n = len(codes)
    h = _kgram_hashes(codes)
    m = len(h)
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    h_out[:m] = h
    kvalid_out[:m] = True
    ends = bounds[1:]
    for e in ends.tolist():                           # k-grams running into the next draft
        kvalid_out[max(e - K + 1, 0):min(e, m)] = False
    nwin = m - W + 1
    if nwin <= 0:
        return np.zeros(0, dtype=np.int64)
    # rightmost minimum of every window of W k-grams (sparse-table doubling over indices)
    idx = np.arange(m, dtype=np.int32 if n < 2**31 else np.int64)
    size = 1
    while size * 2 <= W:
        a, b = idx[:-size], idx[size:]
        idx = np.where(h[b] <= h[a], b, a)
        size *= 2
    if size < W:
        a, b = idx[:-(W - size)], idx[W - size:]
        idx = np.where(h[b] <= h[a], b, a)
    win_ok = np.ones(nwin, dtype=bool)
    for e in ends.tolist():                           # windows reaching into the next draft
        win_ok[max(e - (K + W - 1) + 1, 0):min(e, nwin)] = False
    sel = idx[:nwin][win_ok].astype(np.int64)
    if len(sel):
        sel = sel[np.r_[True, sel[1:] != sel[:-1]]]   # the window minima are non-decreasing
    return sel


# ---------------------------------------------------------------- exact extension

def _member(values: np.ndarray, sorted_unique: np.ndarray) -> np.ndarray:
    """values[i] in sorted_unique, for uint64 hashes: a bitmap on the low bits, then a search."""
    out = np.zeros(len(values), dtype=bool)
    if len(values) == 0 or len(sorted_unique) == 0:
        return out
    bits = int(min(26, max(16, int(len(sorted_unique)).bit_length() + 3)))
    mask = np.uint64((1 << bits) - 1)
    bitmap = np.zeros(1 << bits, dtype=bool)
    bitmap[(sorted_unique & mask).astype(np.int64)] = True
    for c0 in range(0, len(values), _CHUNK):
        part = values[c0:c0 + _CHUNK]
        cand = np.flatnonzero(bitmap[(part & mask).astype(np.intp)])
        if len(cand):
            v = part[cand]
            i = np.searchsorted(sorted_unique, v)
            i[i == len(sorted_unique)] = 0
            out[c0 + cand[sorted_unique[i] == v]] = True
    return out


def _common_prefix(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of a[i:] and b[j:]."""
    lim = min(len(a) - i, len(b) - j)
    n, step = 0, 16
    while n < lim:
        s = min(step, lim - n)
        if a[i + n:i + n + s] == b[j + n:j + n + s]:
            n += s
            step = min(step * 2, 4096)
        else:
            while a[i + n] == b[j + n]:
                n += 1
            return n
    return n


def _common_suffix(a: str, i: int, b: str, j: int) -> int:
    """Length of the common suffix of a[:i] and b[:j]."""
    lim = min(i, j)
    n, step = 0, 16
    while n < lim:
        s = min(step, lim - n)
        if a[i - n - s:i - n] == b[j - n - s:j - n]:
            n += s
            step = min(step * 2, 4096)
        else:
            while a[i - n - 1] == b[j - n - 1]:
                n += 1
            return n
    return n


def _common_ext(ref: str, i: int, others: list[tuple[str, int]], *, backward: bool) -> int:
    """How far ref and all others agree before (backward) or after their positions."""
    size = 32
    while True:
        if backward:
            strs = [ref[max(i - size, 0):i][::-1]] + [s[max(j - size, 0):j][::-1] for s, j in others]
        else:
            strs = [ref[i:i + size]] + [s[j:j + size] for s, j in others]
        n = len(os.path.commonprefix(strs))
        if n < size:
            return n
        size *= 4


def _union_len(intervals: list[tuple[int, int]], lo: int, hi: int) -> int:
    total, cur_s, cur_e = 0, None, None
    for s, e in sorted((max(s, lo), min(e, hi)) for s, e in intervals):
        if s >= e:
            continue
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


# ---------------------------------------------------------------- the detector

def find_copies(docs: list[tuple[str, str]], ignore: list[str] = (), *, min_chars: int = 30,
                boilerplate_docs: int = 3) -> tuple[list[CopiedPassage], list[Boilerplate]]:
    """Passages copied between pairs of drafts (both sides reported) and boilerplate passages.

    `docs` is [(file name, text)]; passages made of `ignore` wording are never reported.
    Results are sorted: passages by (file, start, end, other, ...), boilerplate by (-count, text);
    a boilerplate's files are in the order of `docs`, its text as written in the first of them.
    """
    boilerplate_docs = max(int(boilerplate_docs), 2)
    names = [name for name, _ in docs]
    texts = [text or "" for _, text in docs]
    nd = len(docs)
    if nd < 2:
        return [], []

    # 1. normalise, concatenate
    norm_codes, offsets = [], []
    for t in texts:
        c, o = _normalise(t)
        norm_codes.append(c)
        offsets.append(o)
    lengths = np.array([len(c) for c in norm_codes], dtype=np.int64)
    starts = np.zeros(nd + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    total = int(starts[-1])
    if total < K + W - 1:
        return [], []
    nstr = [c.tobytes().decode("utf-32-le") for c in norm_codes]

    # 2-3. k-gram hashes and winnowing, a chunk of whole drafts at a time (bounded temporaries)
    h = np.zeros(total, dtype=np.uint64)             # h[p]: hash of the k-gram starting at p
    kvalid = np.zeros(total, dtype=bool)              # the k-gram at p lies inside one draft
    sel_parts = []
    d0 = 0
    while d0 < nd:
        d1 = d0 + 1
        while d1 < nd and starts[d1 + 1] - starts[d0] <= _CHUNK:
            d1 += 1
        c0, c1 = int(starts[d0]), int(starts[d1])
        sel = _hash_and_winnow(np.concatenate(norm_codes[d0:d1]), starts[d0:d1 + 1] - c0,
                               h[c0:c1], kvalid[c0:c1])
        if len(sel):
            sel_parts.append(sel + c0)
        d0 = d1
    del norm_codes
    if not sel_parts:
        return [], []
    # the drafts a fingerprint is in: every k-gram (not only the selected ones) with its hash,
    # since winnowing may select a shared k-gram in one draft and not in another
    fph = np.sort(h[np.concatenate(sel_parts)])
    del sel_parts
    fph = fph[np.r_[True, fph[1:] != fph[:-1]]]

    # ignored wording: drop its fingerprints, mark its characters for edge trimming
    ign_cover = None
    ign = [_kgram_hashes(_normalise(t)[0]) for t in ignore if t]
    ign = [x for x in ign if len(x)]
    if ign:
        ign_hashes = np.sort(np.concatenate(ign))
        ign_hashes = ign_hashes[np.r_[True, ign_hashes[1:] != ign_hashes[:-1]]]
        fph = fph[~_member(fph, ign_hashes)]
        hit = _member(h, ign_hashes) & kvalid
        # character p is covered if an ignored k-gram starts in [p-K+1, p]
        ign_cover = hit.copy()
        for j in range(1, K):
            ign_cover[j:] |= hit[:-j]
        del hit
    occ = np.flatnonzero(_member(h, fph) & kvalid)

    # 4. inverted index by sorting (hash, doc, pos)
    hs = h[occ]
    del h
    order = np.argsort(hs, kind="stable")            # occ is in position order: (hash, doc, pos)
    hs, occ = hs[order], occ[order]
    del order
    ds = np.searchsorted(starts, occ, side="right") - 1
    ps = occ - starts[ds]
    del occ
    n = len(hs)
    if n == 0:
        return [], []
    gstart = np.flatnonzero(np.r_[True, hs[1:] != hs[:-1]])
    gend = np.r_[gstart[1:], n]
    newdoc = np.r_[True, (hs[1:] != hs[:-1]) | (ds[1:] != ds[:-1])]
    cdoc = np.cumsum(newdoc)
    gndocs = cdoc[gend - 1] - cdoc[gstart] + 1
    gsize = gend - gstart

    # 5a. copying evidence: fingerprints in 2 .. boilerplate_docs-1 drafts
    ev = (gndocs >= 2) & (gndocs < boilerplate_docs)
    simple = ev & (gsize == 2)                          # the usual case, vectorised
    s0 = gstart[simple]
    ev_da, ev_pa, ev_db, ev_pb = [ds[s0]], [ps[s0]], [ds[s0 + 1]], [ps[s0 + 1]]
    rest = np.flatnonzero(ev & (gsize > 2))
    if len(rest):
        xa, xpa, xb, xpb = [], [], [], []
        for g in rest.tolist():
            gs, ge = int(gstart[g]), int(gend[g])
            per: dict[int, list[int]] = {}
            for d, p in zip(ds[gs:ge].tolist(), ps[gs:ge].tolist()):
                lst = per.setdefault(d, [])
                if len(lst) < _MAX_CROSS:
                    lst.append(p)
            dl = sorted(per)
            for i1 in range(len(dl)):
                for i2 in range(i1 + 1, len(dl)):
                    for p1 in per[dl[i1]]:
                        for p2 in per[dl[i2]]:
                            xa.append(dl[i1]); xpa.append(p1); xb.append(dl[i2]); xpb.append(p2)
        ev_da.append(np.array(xa, dtype=np.int64)); ev_pa.append(np.array(xpa, dtype=np.int64))
        ev_db.append(np.array(xb, dtype=np.int64)); ev_pb.append(np.array(xpb, dtype=np.int64))
    da, pa = np.concatenate(ev_da), np.concatenate(ev_pa)
    db, pb = np.concatenate(ev_db), np.concatenate(ev_pb)
    passages = _pair_passages(da, pa, db, pb, nstr, offsets, starts, ign_cover, names, min_chars)

    # 5b. boilerplate: fingerprints in >= boilerplate_docs drafts
    boiler = _boilerplate(np.flatnonzero(gndocs >= boilerplate_docs), gstart, gndocs, newdoc, ds, ps,
                          nstr, offsets, texts, names)
    return passages, boiler


def _pair_passages(da, pa, db, pb, nstr, offsets, starts, ign_cover, names, min_chars):
    if len(da) == 0:
        return []
    o = np.lexsort((pb, pa, db, da))
    da, pa, db, pb = da[o], pa[o], db[o], pb[o]
    brk = np.r_[True, (da[1:] != da[:-1]) | (db[1:] != db[:-1]) | (pa[1:] - pa[:-1] > GAP)
                | (pb[1:] <= pb[:-1]) | (pb[1:] - pb[:-1] > GAP)]
    seg_s = np.flatnonzero(brk)
    seg_e = np.r_[seg_s[1:], len(da)]
    da_l, pa_l, db_l, pb_l = da.tolist(), pa.tolist(), db.tolist(), pb.tolist()

    # chains -> exact runs along their diagonals
    raw = []                                          # (a, b, sA, eA, sB, eB, runs)
    for s, e in zip(seg_s.tolist(), seg_e.tolist()):
        a, b = da_l[s], db_l[s]
        A, B = nstr[a], nstr[b]
        runs = []
        reach: dict[int, int] = {}                    # diagonal -> end (in A) already covered
        for i in range(s, e):
            x, y = pa_l[i], pb_l[i]
            diag = y - x
            if reach.get(diag, -1) >= x + K:
                continue
            if A[x:x + K] != B[y:y + K]:              # hash collision
                continue
            left = _common_suffix(A, x, B, y)
            right = _common_prefix(A, x + K, B, y + K)
            runs.append((x - left, x + K + right, y - left, y + K + right))
            reach[diag] = x + K + right
        if runs:
            raw.append([a, b, min(r[0] for r in runs), max(r[1] for r in runs),
                        min(r[2] for r in runs), max(r[3] for r in runs), runs])

    # merge passages of one pair that overlap on both sides
    raw.sort(key=lambda r: (r[0], r[1], r[2], r[4]))
    merged = []
    for r in raw:
        last = merged[-1] if merged else None
        if (last is not None and last[0] == r[0] and last[1] == r[1] and r[2] <= last[3]
                and r[4] <= last[5] and r[5] >= last[4]):
            last[3] = max(last[3], r[3])
            last[4] = min(last[4], r[4])
            last[5] = max(last[5], r[5])
            last[6].extend(r[6])
        else:
            merged.append(r)

    out = []
    for a, b, sA, eA, sB, eB, runs in merged:
        if ign_cover is not None:                     # never report ignored wording at the edges
            sA, eA = _trim(ign_cover, int(starts[a]), sA, eA)
            sB, eB = _trim(ign_cover, int(starts[b]), sB, eB)
            if eA <= sA or eB <= sB:
                continue
        oa, ob = offsets[a], offsets[b]
        a0, a1 = int(oa[sA]), int(oa[eA - 1]) + 1
        b0, b1 = int(ob[sB]), int(ob[eB - 1]) + 1
        if a1 - a0 < min_chars or b1 - b0 < min_chars:
            continue
        if max(min(r[1], eA) - max(r[0], sA) for r in runs) < MIN_RUN:
            continue
        sim_a = _union_len([(r[0], r[1]) for r in runs], sA, eA) / (eA - sA)
        sim_b = _union_len([(r[2], r[3]) for r in runs], sB, eB) / (eB - sB)
        if min(sim_a, sim_b) < MIN_SIMILARITY:
            continue
        out.append(CopiedPassage(names[a], a0, a1, names[b], b0, b1, round(min(sim_a, 1.0), 4)))
        out.append(CopiedPassage(names[b], b0, b1, names[a], a0, a1, round(min(sim_b, 1.0), 4)))
    out.sort(key=lambda c: (c.file, c.start, c.end, c.other, c.other_start, c.other_end))
    return out


def _trim(cover: np.ndarray, base: int, s: int, e: int) -> tuple[int, int]:
    while s < e and cover[base + s]:
        s += 1
    while e > s and cover[base + e - 1]:
        e -= 1
    return s, e


def _boilerplate(groups, gstart, gndocs, newdoc, ds, ps, nstr, offsets, texts, names) -> list[Boilerplate]:
    """Merge boilerplate fingerprints with the same set of drafts into phrases, extended exactly."""
    if len(groups) == 0:
        return []
    first = np.flatnonzero(newdoc)                    # first position of each (hash, draft)
    fd, fp = ds[first], ps[first]
    u0 = (np.cumsum(newdoc) - 1)[gstart[groups]]      # a group's first entry in `first`
    by_set: dict[tuple, list[tuple[int, int]]] = {}
    for a, cnt in zip(u0.tolist(), gndocs[groups].tolist()):
        by_set.setdefault(tuple(fd[a:a + cnt].tolist()), []).append((int(fp[a]), a))

    out = []
    for key, fps in by_set.items():
        fps.sort()
        rep = key[0]
        R = nstr[rep]
        done_e = -1                                   # end of the last phrase made for this set
        i = 0
        while i < len(fps):
            j = i
            while j + 1 < len(fps) and fps[j + 1][0] - fps[j][0] <= W:
                j += 1
            p_first, a1 = fps[i]
            p_last, a2 = fps[j]
            i = j + 1
            if p_last + K <= done_e:                  # inside the phrase already made
                continue
            others = list(zip(key[1:], fp[a1 + 1:a1 + len(key)].tolist()))
            left = _common_ext(R, p_first, [(nstr[d], q) for d, q in others], backward=True)
            others = list(zip(key[1:], fp[a2 + 1:a2 + len(key)].tolist()))
            right = _common_ext(R, p_last + K, [(nstr[d], q + K) for d, q in others], backward=False)
            s, e = p_first - left, p_last + K + right
            if e <= done_e:
                continue
            done_e = e
            if e - s < K + W - 1:
                continue
            o = offsets[rep]
            out.append(Boilerplate(text=texts[rep][int(o[s]):int(o[e - 1]) + 1], count=len(key),
                                   files=[names[d] for d in key]))
    out.sort(key=lambda b: (-b.count, b.text, b.files))
    return out
