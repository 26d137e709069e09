"""Build whole drafts (NAME.txt + NAME.gold.json, SPEC §7) from a compact annotated source.

Usage: python tools/build_drafts.py SRC_DIR OUT_DIR   (every SRC_DIR/*.draft → OUT_DIR)

Source format (one file per draft, UTF-8):

    ---
    doc_type: self                      # self | team | critique
    campaign: 2024年度民主生活会 …         # free text
    writer: XX县某某镇党委书记
    style: one line on how the draft is written
    areas_covered: [1, 2, 3, 4, 5]      # 2021 five areas the draft really covers
    doc_findings: ["structure.part-missing:personal_matters"]
    ---
    @preface                            # section of the lines below (SPEC §2 roles)
    ot 0 1 | 某某镇党委书记2024年度民主生活会个人发言提纲
    ot 0 1 | 按照县委要求，……。
    ot 0 1 | 我采取……。                  # consecutive lines join into one paragraph

    pb 2 3 | 一是……。                   # a blank line starts a new paragraph
    - | 第 3 页                          # text kept in the .txt, not labelled

Tag = function area specificity [campaign_area]. Functions: pb problem, rs reasoning,
pr praise, df deflect, hp hope, cs cause_subjective, co cause_objective, ms measure,
ot other. Inside a text, ⏎ is a line break in the .txt (web-pasted text); a line starting
with `>` is kept verbatim as its own line (no joining). Exit 1 on any problem."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_gold import check  # noqa: E402

FUNCTION_CODES = {"pb": "problem", "rs": "reasoning", "pr": "praise", "df": "deflect",
                  "hp": "hope", "cs": "cause_subjective", "co": "cause_objective",
                  "ms": "measure", "ot": "other"}
SECTION_ALIASES = {"pre": "preface", "rect": "rectification_review", "prob": "problems",
                   "pm": "personal_matters", "cau": "causes", "mea": "measures", "oth": "other"}
LINE = re.compile(r"^(\S+)(?:\s+(\d))?(?:\s+(\d))?(?:\s+(\d))?\s*\|\s?(.*)$")


def parse_header(block: str) -> dict:
    meta = {}
    for raw in block.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        key, _, value = raw.partition(":")
        value = value.strip()
        if value.startswith("[") or value in ("true", "false"):
            value = json.loads(value)
        meta[key.strip()] = value
    return meta


def build(src: Path) -> tuple[str, dict]:
    raw = src.read_text(encoding="utf-8").replace("\r\n", "\n")
    m = re.match(r"^---\n(.*?)\n---\n", raw, re.S)
    if not m:
        raise ValueError(f"{src.name}: no --- header ---")
    meta = parse_header(m.group(1))
    meta.setdefault("pack", "2021-five-leads")
    section, paragraphs, current, sentences = "other", [], [], []
    for n, line in enumerate(raw[m.end():].split("\n"), start=m.group(0).count("\n") + 1):
        line = line.rstrip()
        if not line.strip():
            if current:
                paragraphs.append("".join(current))
                current = []
            continue
        if line.startswith("@"):
            name = line[1:].strip()
            section = SECTION_ALIASES.get(name, name)
            continue
        if line.startswith(">"):
            if current:
                paragraphs.append("".join(current))
                current = []
            paragraphs.append(line[1:].removeprefix(" ").replace("⏎", "\n"))
            continue
        t = LINE.match(line)
        if not t:
            raise ValueError(f"{src.name}:{n}: cannot read the tag of {line[:30]!r}")
        code, area, spec, campaign_area, text = t.groups()
        text = text.replace("⏎", "\n")
        if not text:
            raise ValueError(f"{src.name}:{n}: empty text")
        current.append(text)
        if code == "-":
            continue
        if code not in FUNCTION_CODES:
            raise ValueError(f"{src.name}:{n}: unknown function code {code!r}")
        if area is None or spec is None:
            raise ValueError(f"{src.name}:{n}: a tag needs function, area and specificity")
        sent = {"text": text, "section": section, "function": FUNCTION_CODES[code],
                "area": int(area), "specificity": int(spec)}
        if campaign_area is not None:
            sent["campaign_area"] = int(campaign_area)
        sentences.append(sent)
    if current:
        paragraphs.append("".join(current))
    meta["sentences"] = sentences
    return "\n".join(paragraphs) + "\n", meta


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    src_dir, out_dir = Path(argv[0]), Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    problems, n = [], 0
    for src in sorted(src_dir.glob("*.draft")):
        try:
            text, gold = build(src)
        except (ValueError, json.JSONDecodeError) as e:
            problems.append(str(e))
            continue
        txt = out_dir / (src.stem + ".txt")
        txt.write_text(text, encoding="utf-8")
        (out_dir / (src.stem + ".gold.json")).write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        problems += check(txt)
        n += 1
    for p in problems:
        print(p)
    print(f"{n} drafts built, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
