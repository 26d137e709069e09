"""Batch benchmark (a script, not a test): make N drafts by recombining samples/, run the
batch on them, and print one line

    n=… seconds=… drafts_per_s=… per_draft_vs_jieba=… copy_seconds=… peak_rss_mb=…

Usage: python bench/batch.py --n 1000 [--workers 2] [--no-docx] [--keep DIR]
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"


def make_drafts(n: int, out: Path, seed: int = 0) -> list[Path]:
    """Each draft takes its part headings from one sample and its paragraphs from any of the
    self drafts, with names and numbers varied, so drafts share passages as real batches do."""
    rng = random.Random(seed)
    sources = [(ROOT / "samples" / f).read_text(encoding="utf-8") for f in ("self-good.txt", "self-weak.txt")]
    paras = [p for s in sources for p in s.split("\n") if len(p) > 40]
    paths = []
    for i in range(n):
        name = rng.choice(SURNAMES) + rng.choice(SURNAMES) + "某"
        body = rng.sample(paras, k=min(len(paras), rng.randint(18, 30)))
        body = [re.sub(r"\d+", lambda m: str(rng.randint(2, 99)), p) for p in body]
        head = [f"{name}同志专题民主生活会个人发言提纲", "一、存在的主要问题"]
        text = "\n".join(head + body[: len(body) // 2] + ["二、问题产生的原因"] + body[len(body) // 2: -4]
                         + ["三、整改措施"] + body[-4:]) + "\n"
        p = out / f"draft-{i:04d}-{name}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-docx", action="store_true")
    ap.add_argument("--keep", default=None, help="keep inputs and outputs in this folder")
    args = ap.parse_args(argv)

    from review.batch import run_batch
    from review.nlp import get_jieba

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="review-bench-"))
    (work / "in").mkdir(parents=True, exist_ok=True)
    make_drafts(args.n, work / "in")
    t = time.perf_counter()
    res = run_batch([str(work / "in")], work / "out", workers=args.workers, progress=False,
                    write_docx=not args.no_docx, overwrite=True)   # --keep reuses its folder
    seconds = time.perf_counter() - t
    jb = get_jieba()
    texts = [r["text"] for r in res.reports]
    t = time.perf_counter()
    for x in texts:
        jb.lcut(x)
    jieba_s = time.perf_counter() - t
    review_s = sum(r.get("seconds", 0.0) for r in res.reports)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("phases: " + " ".join(f"{k}={v:.1f}s" for k, v in res.timings.items()) +
          f" reviewed={len(res.reports)} unreadable={len(res.errors)} copied={len(res.copies) // 2}"
          f" boilerplate={len(res.boilerplate)}")
    print(f"n={args.n} seconds={seconds:.1f} drafts_per_s={args.n / seconds:.1f} "
          f"per_draft_vs_jieba={review_s / max(jieba_s, 1e-9):.2f} copy_seconds={res.timings['copies']:.2f} "
          f"peak_rss_mb={peak_rss_mb():.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
