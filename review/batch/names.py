"""File names as the batch shows and writes them: readable (names that are not UTF-8 on
disk), safe (one path component, no control characters), short enough for any file
system, distinct, and quoted for one-line messages."""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import PurePosixPath

MAX_NAME_CHARS = 120        # a display name, extension kept
MAX_STEM_BYTES = 200        # an output stem in UTF-8: room for ".review.docx" within 255
UNNAMED = "未命名"


def readable(s: str) -> str:
    """A name read from disk without surrogates: bytes that were not UTF-8 (a GBK name
    from Windows) decoded as GB18030, else replaced by U+FFFD."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        raw = os.fsencode(s)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _invisible(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") or c in "\u2028\u2029"


def shown(s) -> str:
    """`s` for a one-line message: control, format and escape characters as \\xNN / \\uNNNN."""
    s = readable(str(s))
    return "".join(c.encode("unicode_escape").decode("ascii") if _invisible(c) else c for c in s)


def safe_name(name: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """The last path component, without control characters or separators, not empty,
    at most `max_chars` characters with its extension kept."""
    clean = "".join(c for c in readable(name) if not _invisible(c))
    base = PurePosixPath(clean.replace("\\", "/")).name
    base = re.sub(r"[<>:\"|?*]", "_", base).strip(" .")
    if not base.strip("_"):
        return UNNAMED
    if len(base) > max_chars:
        stem, ext = os.path.splitext(base)
        ext = ext if len(ext) <= 10 else ""
        base = stem[: max_chars - len(ext)].rstrip(" .") + ext
    return base


def capped(stem: str, max_bytes: int = MAX_STEM_BYTES) -> str:
    """`stem` cut to at most `max_bytes` UTF-8 bytes, never inside a character."""
    b = stem.encode("utf-8")
    return stem if len(b) <= max_bytes else b[:max_bytes].decode("utf-8", "ignore").rstrip(" .")


def distinct(names: list[str], *, split=os.path.splitext, max_bytes: int | None = None) -> list[str]:
    """Names made distinct (case-insensitively): a name's first use keeps it, later ones
    become 王某某-2.txt, 王某某-3.txt …, never one that is already taken (王某某-2.txt given
    as such keeps its name). With max_bytes, stems are cut to fit first."""
    fit = (lambda s: capped(s, max_bytes)) if max_bytes else (lambda s: s)
    parts = [split(n) for n in names]
    parts = [(fit(stem), ext) for stem, ext in parts]
    wanted = [stem + ext for stem, ext in parts]
    first: dict[str, int] = {}
    for i, w in enumerate(wanted):
        first.setdefault(w.casefold(), i)
    taken, out = set(first), []
    for i, ((stem, ext), w) in enumerate(zip(parts, wanted)):
        if first[w.casefold()] == i:
            out.append(w)
            continue
        k = 2
        while True:
            tail = f"-{k}"
            cand = (capped(stem, max_bytes - len(tail)) if max_bytes else stem) + tail + ext
            if cand.casefold() not in taken:
                break
            k += 1
        taken.add(cand.casefold())
        out.append(cand)
    return out


def unique_names(files: list[str]) -> list[str]:
    """Output stems: each input's name without folders or extension, safe, at most
    MAX_STEM_BYTES, distinct (王某某, 王某某-2)."""
    stems = [safe_name(PurePosixPath(readable(f).replace("\\", "/")).stem) for f in files]
    return distinct(stems, split=lambda s: (s, ""), max_bytes=MAX_STEM_BYTES)
