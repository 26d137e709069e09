"""A small budget of bench/fuzz.py inside the test suite: mutated samples (.txt, .docx,
.pdf, .zip) through `review check FILE --format json`, each in a forked worker with a
10 s watchdog. Any traceback, exit 3 / E900, hang, multi-line stderr, exit code other
than 0/1/2, or uncoded refusal fails the test; the summary line is printed either way.

The whole 2,000-input run is `python bench/fuzz.py --n 2000 --keep DIR`.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
BUDGET = 150          # inputs; well under 60 s on 2 cores
SEED = 0


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("review_bench_fuzz", ROOT / "bench" / "fuzz.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


fuzz = _load_fuzz()


def test_generator_is_deterministic():
    bases = fuzz.load_bases()
    a = [fuzz.make_input(i, SEED, bases) for i in range(30)]
    b = [fuzz.make_input(i, SEED, bases) for i in range(30)]
    assert [(x.kind, x.ext, x.data) for x in a] == [(x.kind, x.ext, x.data) for x in b]
    families = {x.kind.split(".")[0].split("-")[0] for x in a}
    assert {"txt", "docx", "pdf"} <= families, families


def test_fuzz_small_budget(capsys, tmp_path):
    t = time.perf_counter()
    s = fuzz.run(n=BUDGET, seed=SEED, mode="rules", keep=str(tmp_path / "failures"), workers=2, timeout=10.0)
    secs = time.perf_counter() - t
    with capsys.disabled():
        print("\n" + s.line())
        for line in s.details(20):
            print(line)
    assert s.n == BUDGET
    assert not s.failures, "\n".join([s.line(), *s.details(20)])
    assert secs < 120, f"the fuzz budget took {secs:.0f} s"
