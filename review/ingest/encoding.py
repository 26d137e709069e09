"""Which encoding a plain-text draft is in.

A BOM decides; else UTF-8 if it decodes (and has no NUL byte); else the candidates that decode strictly
(BOM-less UTF-16 LE/BE that reads as text, GB18030, Big5), and charset-normalizer
chooses when more than one is left.
"""
from __future__ import annotations

import codecs

from ..errors import make_error

CTRL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26)) + b"\x7f"
BINARY_RATIO = 0.01
TEXTY_RATIO = 0.9        # share of text-like characters a UTF-16 reading needs
_SAMPLE_CHARS = 2000
_TEXTY_RANGES = ((0x20, 0x7E), (0x3000, 0x303F), (0x4E00, 0x9FFF),   # not Ext A: rare, and
                 (0xFF00, 0xFFEF), (0x2000, 0x206F), (0xA0, 0xFF))   # what Big5 reads as
MIN_DETECT_BYTES = 32    # below this charset-normalizer guesses: GB18030 is the likelier
_LEGACY = ("gb18030", "big5")
_UTF16 = ("utf-16-le", "utf-16-be")


def is_binary(data: bytes) -> bool:
    return len(data) - len(data.translate(None, CTRL_BYTES)) > BINARY_RATIO * len(data)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name) or E111 / E113."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", name), "utf-8-sig"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" not in data:          # NULs decode as UTF-8 but are UTF-16 (or binary)
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    readings = {enc: t for enc in _UTF16 if (t := _try(data, enc)) is not None and _texty(t)}
    binary = is_binary(data)
    if not binary:
        readings.update((enc, t) for enc in _LEGACY if (t := _try(data, enc)) is not None)
    if not readings:
        if binary:
            raise make_error("E111", name, name)
        raise make_error("E113", f"{name} 不是 UTF-8/GBK/GB18030/Big5/UTF-16",
                         f"{name} is not UTF-8, GBK, GB18030, Big5 or UTF-16")
    if len(readings) == 1:
        enc = next(iter(readings))
    elif len(data) < MIN_DETECT_BYTES and "gb18030" in readings:
        enc = "gb18030"
    else:
        enc = _choose(data, list(readings))
    return readings[enc], enc


def _try(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, enc: str, name: str) -> str:
    text = _try(data, enc)
    if text is None:
        raise make_error("E113", f"{name} 声明为 {enc} 但无法解码", f"{name} is marked {enc} but does not decode")
    return text


def _texty(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    ok = sum(1 for ch in sample if ch in "\t\n\r" or any(a <= ord(ch) <= b for a, b in _TEXTY_RANGES))
    return bool(sample) and ok >= TEXTY_RATIO * len(sample)


def _choose(data: bytes, encodings: list[str]) -> str:
    """The most plausible of ``encodings`` by charset-normalizer; the first if it cannot say."""
    import charset_normalizer                       # only when UTF-8 fails and several fit

    best = charset_normalizer.from_bytes(data, cp_isolation=encodings).best()
    if best is not None:
        chosen = codecs.lookup(best.encoding).name
        for enc in encodings:
            if codecs.lookup(enc).name == chosen:
                return enc
    return encodings[0]
