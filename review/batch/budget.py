"""A time budget for one file, by SIGALRM. Signals only reach a process's main thread, so
the budget holds in forked batch workers and in the command line, not when a batch runs
in another thread (the app): there `time_budget` does nothing. A reader stuck inside one
C call (a regular expression, say) is stopped when that call returns."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class OverBudget(BaseException):
    """Raised in the main thread when the budget runs out; a BaseException, so that a
    reader's own `except Exception` cannot take it for a broken file."""


def budget_possible() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _ring(signum, frame):
    raise OverBudget()


@contextmanager
def time_budget(seconds: float | None):
    """Raise OverBudget if the block runs longer than `seconds` (when possible)."""
    if not seconds or seconds <= 0 or not budget_possible():
        yield
        return
    old = signal.signal(signal.SIGALRM, _ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
