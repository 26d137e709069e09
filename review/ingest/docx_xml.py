"""WordprocessingML names and attribute helpers shared by the Word reader's modules."""
from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFF = {"0", "false", "off", "none"}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def mc(tag: str) -> str:
    return f"{{{MC_NS}}}{tag}"


def int_or(s, default=None):
    try:
        return int(s)
    except (TypeError, ValueError):
        return default


def val(el, *path):
    """w:val of the element reached by following child tags ``path`` from ``el``."""
    for tag in path:
        if el is None:
            return None
        el = el.find(w(tag))
    return None if el is None else el.get(w("val"))


def toggle(rpr, tag: str) -> bool | None:
    """An on/off run property (w:b, w:vanish) of ``rpr``: True, False or None (not set)."""
    el = rpr.find(w(tag)) if rpr is not None else None
    if el is None:
        return None
    return el.get(w("val"), "1").strip().lower() not in _OFF


def alternate_branch(el):
    """The one branch of an mc:AlternateContent to read: its first mc:Choice, else mc:Fallback."""
    return el.find(mc("Choice")) if el.find(mc("Choice")) is not None else el.find(mc("Fallback"))
