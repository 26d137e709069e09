"""Is the text an excerpt rather than a whole draft? One that opens on a later part (二、 （三）
三是), on a back-reference (上述问题…), or that is a news report quoting members. The cues are
language data (lang/zh/doctype.yaml `excerpt`)."""
from __future__ import annotations

import re

from ..lang.zh import doctype_cues

NEWS_WINDOW = 300        # characters from the start where a news report names itself

REASONS = {
    "later_part": "材料从后面的部分开始（节选）",
    "back_reference": "材料开头承接上文（节选）",
    "news": "材料是新闻报道或摘编",
}


def excerpt_reason(text: str) -> str | None:
    """A one-line reason in Chinese when the text reads as an excerpt, else None."""
    cues = doctype_cues().excerpt
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    first = re.sub(r"^[#>*\s]+", "", first)
    for name in ("later_part", "back_reference"):
        if re.search(cues[name], first):
            return REASONS[name]
    if re.search(cues["news"], text[:NEWS_WINDOW]):
        return REASONS["news"]
    return None
