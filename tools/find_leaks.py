"""Passages of ../shared/eval's drafts (16-character runs, spacing removed) found in our
drafts' sources or built files, to be reworded before they are used (the corpus rule).
Usage: python tools/find_leaks.py FILE_OR_DIR [...]; exit 1 when any is found."""
from __future__ import annotations

import re
import sys
from pathlib import Path

RUN = 16
SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")


def needles() -> set[str]:
    out = set()
    for p in SHARED.rglob("*.txt"):
        if not p.name.startswith("plan-"):
            s = re.sub(r"\s+", "", p.read_text(encoding="utf-8", errors="ignore"))
            out.update(r for r in (s[i:i + RUN] for i in range(len(s) - RUN + 1)) if len(NOT_HAN.sub("", r)) >= 12)
    return out


def main(argv: list[str]) -> int:
    found = needles()
    paths = [q for a in argv for q in ([Path(a)] if Path(a).is_file() else sorted(Path(a).rglob("*"))) if q.is_file()]
    hits = 0
    for p in paths:
        s = re.sub(r"\s+", "", p.read_text(encoding="utf-8", errors="ignore"))
        runs = sorted({s[i:i + RUN] for i in range(len(s) - RUN + 1) if s[i:i + RUN] in found})
        for r in runs:
            print(f"{p}: {r}")
        hits += len(runs)
    print(f"{len(paths)} files, {hits} leaked runs")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
