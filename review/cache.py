"""A disk cache for what depends only on data files and code: keyed by content hashes,
written atomically, and rebuilt silently when unreadable."""
from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

from . import resources, settings


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:24]


def file_digest(*paths: Path) -> str:
    return digest(*(Path(p).read_bytes() if Path(p).exists() else b"-" for p in paths))


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the package's own source: a cached verdict of old code is never reused."""
    root = resources.package_dir()
    return digest(*(p.read_bytes() for p in sorted(root.rglob("*.py"))))


def cached(name: str, key: str, build: Callable[[], object]):
    """marshal-able value `build()` under `name`, reused while `key` is unchanged."""
    d = settings.current().cache_dir
    path = d / f"{name}-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as f:
            marshal.dump(value, f)
        os.replace(tmp, path)
        for old in d.glob(f"{name}-*.marshal"):     # keep one generation
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass                                        # a read-only cache only costs time
    return value
