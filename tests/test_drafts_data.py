"""Whole drafts with gold labels: training drafts (review/corpora/drafts/) and our own
validation set (eval/validation/). Every gold file is valid, no validation sentence is in
the training data, and no passage of ../shared's drafts is in either.

Passages are compared on their Han characters alone (punctuation and spacing do not hide
a copy). Official wording that every draft quotes is not a copy: a run that the meeting
plans, the seeds, our packs or our term and quotation tables contain."""
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


def runs(paths) -> set[str]:
    out = set()
    for p in paths:
        t = han(p.read_text(encoding="utf-8", errors="ignore"))
        out.update(t[i:i + RUN] for i in range(len(t) - RUN + 1))
    return out


def official() -> set[str]:
    plans = [p for p in (SHARED / "eval").rglob("*.txt") if p.name.startswith("plan-")]
    ours = [ROOT / "review" / "lang" / "zh" / n for n in ("terms.yaml", "quotations.yaml")]
    return runs(plans + list((SHARED / "seeds").rglob("*.txt")) + ours +
                list((ROOT / "review" / "rules" / "packs").glob("*.yaml")))


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
    measured = [p for p in (SHARED / "eval").rglob("*.txt") if not p.name.startswith("plan-")]
    needles = runs(measured) - official()
    hits = []
    for p in drafts(TRAIN) + drafts(VALID):
        t = han(p.read_text(encoding="utf-8"))
        hits += [(p.name, t[i:i + RUN]) for i in range(len(t) - RUN + 1) if t[i:i + RUN] in needles][:1]
    assert hits == []
