"""Slips planted into our validation drafts (issue 10, deliverable 8), one per copy of a
draft: a doubled function character (也也), an idiom one homophone off (持之一恒), a
character left out of a standard formulation (全面从严党), two characters of a common word
written the wrong way round (企业革改). Prints precision and recall of
`slips.typo` on the planted slips, and its false alarms per 10,000 characters of the clean
drafts. Usage: python bench/slips.py [--seed N] [DIR ...]   (default eval/validation)"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from review.api import review_text  # noqa: E402
from review.checks.slips import DOUBLE_NEVER, RULE_ID, _lexicon, _sounds  # noqa: E402
from review.checks.terms import load_terms  # noqa: E402
from review.lang.zh.chars import FUNCTION_CHARS, to_simplified  # noqa: E402


def plant_doubled(text: str, rng: random.Random):
    spots = [i for i, c in enumerate(text) if c in DOUBLE_NEVER and text[i + 1:i + 2] != c and text[i - 1:i] != c]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i + 1] + text[i] + text[i + 1:], i


def plant_idiom(text: str, rng: random.Random, by_sound: dict):
    idioms = {w for ws in _lexicon()["idioms"].values() for w in ws}
    found = [(i, text[i:i + 4]) for i in range(len(text) - 3) if text[i:i + 4] in idioms]
    rng.shuffle(found)
    for i, w in found:
        for k in rng.sample(range(4), 4):
            alts = sorted({c for p in _sounds(w[k]) for c in by_sound.get(p, ()) if c != w[k]})
            if alts:
                return text[:i + k] + rng.choice(alts) + text[i + k + 1:], i
    return None


def plant_dropped(text: str, rng: random.Random):
    terms = [t for t in load_terms().standards if len(t) >= 5]
    found = [(text.find(t), t) for t in terms if t in text]
    if not found:
        return None
    i, t = rng.choice(found)
    ks = [k for k in range(1, len(t) - 1) if t[k] not in FUNCTION_CHARS and t[k] not in (t[k - 1], t[k + 1])]
    if not ks:
        return None
    k = rng.choice(ks)
    return text[:i + k] + text[i + k + 1:], i


def plant_transposed(text: str, rng: random.Random):
    freq = _lexicon()["words"]
    spots = [i for i in range(len(text) - 1) if freq.get(text[i:i + 2], 0) >= 3000
             and not freq.get(text[i + 1] + text[i], 0) and text[i] != text[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:], i


def flags(text: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in review_text(text, filename="x.txt").findings if f.rule == RULE_ID]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="*", default=[str(ROOT / "eval" / "validation")])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    by_sound: dict[str, set] = {}
    for ws in _lexicon()["idioms"].values():
        for w in ws:
            for c in w:
                for p in _sounds(c):
                    by_sound.setdefault(p, set()).add(c)
    drafts = [p for d in args.dirs for p in sorted(Path(d).rglob("*.txt"))]
    clean_chars, clean_alarms = 0, 0
    tp, fp, planted = Counter(), Counter(), Counter()
    for p in drafts:
        text = to_simplified(p.read_text(encoding="utf-8"))
        base = flags(text)
        clean_chars += len(text)
        clean_alarms += len(base)
        for kind, plant in (("doubled", plant_doubled), ("idiom", lambda t, r: plant_idiom(t, r, by_sound)),
                            ("dropped", plant_dropped), ("transposed", plant_transposed)):
            got = plant(text, rng)
            if got is None:
                continue
            slipped, at = got
            planted[kind] += 1
            hits = flags(slipped)
            hit = [h for h in hits if h[0] <= at + 4 and h[1] >= at]
            tp[kind] += bool(hit)
            fp[kind] += len(hits) - len(hit) - len(base)
    print(f"slips: {len(drafts)} drafts, seed {args.seed}")
    for kind in planted:
        prec = tp[kind] / (tp[kind] + max(fp[kind], 0)) if tp[kind] + max(fp[kind], 0) else float("nan")
        print(f"  {kind:10} planted {planted[kind]:3}  found {tp[kind]:3}  recall {tp[kind] / planted[kind]:.2f}"
              f"  precision {prec:.2f}")
    T, F, N = sum(tp.values()), sum(max(v, 0) for v in fp.values()), sum(planted.values())
    print(f"  all        planted {N:3}  found {T:3}  recall {T / N:.2f}  precision {T / (T + F) if T + F else float('nan'):.2f}")
    print(f"  clean drafts: {clean_alarms} false alarms in {clean_chars:,} characters = "
          f"{clean_alarms / clean_chars * 10000:.2f} per 10,000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
