"""Whole drafts with gold labels: training drafts (review/corpora/drafts/) and our own
validation set (eval/validation/). Every gold file is valid, no validation sentence is in
the training data (compared on Han characters alone: punctuation and spacing do not hide a
copy), and no 16-character run of ../shared/eval's drafts is in either."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "review" / "corpora" / "drafts"
VALID = ROOT / "eval" / "validation"
SHARED = ROOT.parent / "shared"
RUN = 16
NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")


def drafts(d: Path) -> list[Path]:
    return sorted(d.rglob("*.txt")) if d.is_dir() else []


def han(text: str) -> str:
    return NOT_HAN.sub("", text)


@pytest.mark.parametrize("folder", [TRAIN, VALID], ids=["training", "validation"])
def test_gold_files_are_valid(folder):
    assert drafts(folder), f"no drafts in {folder.relative_to(ROOT)}"
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "check_gold.py"), str(folder)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:]


def test_validation_sentences_are_not_in_training():
    """No labelled validation sentence (other than headings and short formulae) appears in a
    training draft or the sentence corpus."""
    training = "\n".join(han(p.read_text(encoding="utf-8")) for p in drafts(TRAIN))
    training += "\n".join(han(json.loads(line)["text"]) for p in (ROOT / "review" / "corpora").glob("*.jsonl")
                          for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
    from review.lang.zh import quotations

    def own_words(text: str) -> str:            # without the official quotations everyone may use
        for q in quotations():
            text = text.replace(q, "")
        return han(text)
    found = [s["text"] for g in VALID.rglob("*.gold.json")
             for s in json.loads(g.read_text(encoding="utf-8"))["sentences"]
             if s["function"] != "other" and len(own_words(s["text"])) >= 12 and han(s["text"]) in training]
    assert found == []


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared/eval is not beside the checkout")
def test_no_passage_of_the_measurement_drafts():
    """No 16-character run (spacing removed) of the evaluation drafts appears anywhere in a
    training or validation draft or its gold file (metadata included).
    Runs that are mostly JSON framing (fewer than 12 Han characters) are not passages; plans
    (and the seeds, all plans) are official notices. The needles are tools/find_leaks.py's."""
    sys.path.insert(0, str(ROOT / "tools"))
    from find_leaks import RUN as TOOL_RUN, needles as leak_needles
    assert TOOL_RUN == RUN
    needles = leak_needles()
    hits = []
    for p in [q for d in (TRAIN, VALID) if d.is_dir() for q in sorted(d.rglob("*")) if q.is_file()]:
        s = re.sub(r"\s+", "", p.read_text(encoding="utf-8"))
        hits += [(p.name, s[i:i + RUN]) for i in range(len(s) - RUN + 1) if s[i:i + RUN] in needles][:1]
    assert hits == []
