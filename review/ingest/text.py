"""Plain text and markdown: UTF-8 (with or without BOM), GB18030/GBK, UTF-16."""
from __future__ import annotations

import codecs
import re

from ..errors import make_error
from .base import Ingested

CTRL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26)) + b"\x7f"
CTRL_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
BINARY_RATIO = 0.01

def _sniff_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: many NULs at alternate byte positions (ASCII-heavy text)."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    ne, no = even.count(0) / len(even), odd.count(0) / len(odd)
    if no > 0.3 and ne < 0.05:
        return "utf-16-le"
    if ne > 0.3 and no < 0.05:
        return "utf-16-be"
    return None


def read_text(data: bytes, name: str, ext: str) -> Ingested:
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        candidates = ["utf-16"]
    elif enc16 := _sniff_utf16(data):
        candidates = [enc16]
    else:
        if len(data) - len(data.translate(None, CTRL_BYTES)) > BINARY_RATIO * len(data):
            raise make_error("E111", name, name)
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise make_error("E113", f"{name} 不是 UTF-8/GBK/GB18030/UTF-16",
                         f"{name} is not UTF-8, GBK, GB18030 or UTF-16")
    if enc == "gb18030":
        warnings.append("按 GBK/GB18030 编码读取 (decoded as GB18030)")
    ctrl = len(CTRL_RE.findall(text))
    if ctrl > BINARY_RATIO * len(text):
        raise make_error("E111", name, name)
    if ctrl:
        warnings.append(f"文本含 {ctrl} 个控制字符 (contains {ctrl} control characters)")
    if not text.strip():
        raise make_error("E102", name, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = "md" if ext in (".md", ".markdown") else "txt"
    return Ingested(text, name, fmt, enc, warnings=warnings)

