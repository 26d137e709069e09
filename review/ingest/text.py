"""Plain text and markdown: UTF-8 (with or without BOM), GB18030/GBK, Big5, UTF-16
(with or without BOM); see encoding.py for how the encoding is chosen."""
from __future__ import annotations

import re

from ..errors import make_error
from .base import MAX_CHARS, Ingested, too_much_text
from .encoding import BINARY_RATIO, decode

CTRL_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
MAX_BYTES_PER_CHAR = 4           # UTF-8, GB18030 and UTF-16 all need at most 4
ENCODING_WARNINGS = {
    "gb18030": "按 GBK/GB18030 编码读取 (decoded as GB18030)",
    "big5": "按 Big5（繁体中文）编码读取 (decoded as Big5, traditional Chinese)",
    "utf-16-le": "按 UTF-16 LE（无 BOM）编码读取 (decoded as UTF-16 LE without BOM)",
    "utf-16-be": "按 UTF-16 BE（无 BOM）编码读取 (decoded as UTF-16 BE without BOM)",
}


def read_text(data: bytes, name: str, ext: str) -> Ingested:
    if len(data) > MAX_BYTES_PER_CHAR * MAX_CHARS:       # surely over the cap: do not decode
        raise too_much_text(len(data) // MAX_BYTES_PER_CHAR)
    text, enc = decode(data, name)
    warnings = [ENCODING_WARNINGS[enc]] if enc in ENCODING_WARNINGS else []
    ctrl = len(CTRL_RE.findall(text))
    if ctrl > BINARY_RATIO * len(text):
        raise make_error("E111", name, name)
    if ctrl:
        warnings.append(f"文本含 {ctrl} 个控制字符 (contains {ctrl} control characters)")
    if not text.strip():
        raise make_error("E102", name, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_CHARS:
        raise too_much_text(len(text), at_least=False)
    fmt = "md" if ext in (".md", ".markdown") else "txt"
    return Ingested(text, name, fmt, enc, warnings=warnings)
