"""Cold start: `review check samples/self-good.txt` as a whole new process, against
`python -c "import jieba; jieba.lcut('x')"` on the same machine (median of N runs each).

Prints the two medians and their ratio. `--fresh` also times a first run with an empty
cache folder (the first review after installing: the jieba dictionary, the term lexicon
and the rule examples' verdicts are built and cached then)."""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--mode", choices=["combined", "model", "rules"], default=None)
    ap.add_argument("--fresh", action="store_true", help="also time one run with an empty cache")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    if args.mode:
        env["REVIEW_MODE"] = args.mode
    review = [str(Path(sys.executable).with_name("review")), "check", "samples/self-good.txt"]
    jieba = [sys.executable, "-c", "import jieba; jieba.lcut('x')"]
    wall(review, env)                                   # models trained, caches written
    r = statistics.median(wall(review, env) for _ in range(args.n))
    j = statistics.median(wall(jieba, env) for _ in range(args.n))
    print(f"review check cold: median {r:.2f} s of {args.n}")
    print(f"jieba import + lcut cold: median {j:.2f} s of {args.n}")
    print(f"ratio review/jieba: {r / j:.2f}")
    if args.fresh:
        with tempfile.TemporaryDirectory() as cache:
            t = wall(review, {**env, "REVIEW_CACHE_DIR": cache})
        print(f"first run with an empty cache: {t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
