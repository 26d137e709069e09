"""notebooks/evaluation.ipynb runs top to bottom (its code cells, in one namespace)."""
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not (ROOT.parent / "shared" / "eval" / "dev").is_dir(), reason="needs ../shared/eval/dev")
def test_evaluation_notebook_executes():
    nb = json.loads((ROOT / "notebooks" / "evaluation.ipynb").read_text(encoding="utf-8"))
    ns: dict = {}
    cwd = os.getcwd()
    try:
        os.chdir(ROOT / "notebooks")
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                exec(compile("".join(cell["source"]), "evaluation.ipynb", "exec"), ns)
    finally:
        os.chdir(cwd)
    assert list(ns["ablation"].columns) == ["rules", "model", "combined"]
    assert "function macro-F1" in ns["ablation"].index
    assert ns["confusion"].values.sum() > 100
    assert {"coverage", "overlaps", "conflicts", "model_disagrees", "accuracy"} <= set(ns["lf"].columns)
    assert ns["lf"].loc["shortcoming", "coverage"] > 0
