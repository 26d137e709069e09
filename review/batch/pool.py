"""A function mapped over items in forked worker processes, which end with the parent:
SIGTERM or SIGINT in the parent raises Interrupted there, and the workers are killed
before it goes on (they never outlive the batch)."""
from __future__ import annotations

import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):
    """A stop signal; a BaseException, so that no `except Exception` on the way swallows it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Stopper:
    """SIGTERM/SIGINT handling of the parent: the first signal raises Interrupted, unless
    `hold()` is on (results being written), when it is only remembered. A second SIGINT
    stops at once."""

    def __init__(self):
        self.signum: int | None = None
        self.holding = False

    def __call__(self, signum, frame):
        first = self.signum is None
        self.signum = self.signum or signum
        if first and not self.holding:
            raise Interrupted(signum)
        if not first and signum == signal.SIGINT:
            raise KeyboardInterrupt

    @contextmanager
    def hold(self):
        self.holding = True
        try:
            yield
        finally:
            self.holding = False


@contextmanager
def stop_on_signals():
    """A Stopper installed for the block (main thread only; elsewhere one never fires)."""
    stopper = Stopper()
    if threading.current_thread() is not threading.main_thread():
        yield stopper
        return
    old = {s: signal.signal(s, stopper) for s in STOP_SIGNALS}
    try:
        yield stopper
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _worker_start(init, args) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)    # killed with the parent, no handler inherited
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C reaches the whole group: the parent decides
    if init:
        init(*args)


def _chunk(fn, items: list) -> list:
    return [fn(it) for it in items]


def parallel_map(fn, items: list, workers: int, *, init=None, initargs=(), on_result=None, on_lost=None) -> list:
    """[fn(x) for x in items], in order, in `workers` forked processes (they inherit loaded
    models) or in this process when workers <= 1. on_result(r) after each result.
    When a worker dies (killed, out of memory) fresh pools take the rest one item at a
    time, and an item unfinished at a further death is tried alone: if it kills that
    worker too, on_lost(item, exc) is its result. On any exception here
    (Interrupted among them) the workers are killed first."""
    out: list = []

    def keep(r):
        out.append(r)
        if on_result:
            on_result(r)
    if workers <= 1:
        if init:
            init(*initargs)
        for it in items:
            keep(fn(it))
        return out
    import multiprocessing as mp           # only when forking workers
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    size = max(1, min(16, len(items) // (workers * 8)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    while chunks:
        chunks, suspect = _in_pool(partial(_drain, fn=fn, chunks=chunks, keep=keep, recover=on_lost is not None),
                                   workers, ctx, init, initargs)
        if suspect is not None:              # the first unfinished item when a worker died: alone now
            keep(_in_pool(lambda pool, it=suspect: pool.submit(fn, it).result(), 1, ctx, init, initargs,
                          on_broken=partial(on_lost, suspect)))
    return out


def _in_pool(job, workers: int, ctx, init, initargs, on_broken=None):
    """job(pool) with a fresh pool, whose workers are killed if anything goes wrong."""
    from concurrent.futures.process import BrokenProcessPool
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_start, initargs=(init, initargs))
    try:
        return job(pool)
    except BrokenProcessPool as e:
        if on_broken is None:
            raise
        return on_broken(e)
    except BaseException:
        kill_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True)        # after a kill the pending futures fail as a broken pool


def _drain(pool, fn, chunks: list, keep, recover: bool):
    """Results of `chunks` from `pool`, in order. When a worker dies: (the chunks left, one
    by one, None), or once they are single items (those after it, the first unfinished)."""
    from concurrent.futures.process import BrokenProcessPool
    futures = [pool.submit(_chunk, fn, c) for c in chunks]      # not map(): it cancels futures on
    for k, f in enumerate(futures):                             # exit, which 3.11's broken-pool path trips on
        try:
            results = f.result()
        except BrokenProcessPool:
            if not recover:
                raise
            if any(len(c) > 1 for c in chunks[k:]):
                return [[it] for c in chunks[k:] for it in c], None
            return chunks[k + 1:], chunks[k][0]
        for r in results:
            keep(r)
    return [], None


def kill_workers(pool: ProcessPoolExecutor) -> None:
    procs = list((getattr(pool, "_processes", None) or {}).values())   # the executor keeps no public list
    for p in procs:
        try:
            p.kill()
        except (OSError, ValueError):
            pass
    for p in procs:
        p.join(timeout=2)
