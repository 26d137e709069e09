"""`pip install .` outside the checkout works: the wheel carries the rules, the language
data, the corpus and (when built) the models as package data, and reviews a sample."""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A wheel built from a copy of the checkout, installed without dependencies into a
    fresh venv that borrows this venv's third-party packages (not its editable review)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__",
                                                             "tests", "notebooks", "bench"))
    dist = tmp / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(dist), str(src)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("review-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    inst = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert inst.returncode == 0, inst.stderr[-2000:]
    return py, tmp


def _run(py, tmp, *args, **env):
    e = {k: v for k, v in os.environ.items() if not k.startswith("REVIEW_")}
    e.update(REVIEW_CACHE_DIR=str(tmp / "cache"), **env)
    return subprocess.run([str(py), *args], capture_output=True, text=True, timeout=600, cwd=str(tmp), env=e)


def test_the_installed_package_is_not_the_checkout(installed):
    py, tmp = installed
    r = _run(py, tmp, "-c", "import review, review.resources as r; print(review.__file__); "
                            "print(r.rules_path('rules.yaml').is_file(), r.lang_path('terms.yaml').is_file())")
    where, found = r.stdout.splitlines()
    assert str(ROOT) not in where and "site-packages" in where and found == "True True", r.stdout + r.stderr


def test_the_installed_package_reviews_a_sample(installed):
    py, tmp = installed
    shutil.copy(ROOT / "samples" / "self-weak.txt", tmp / "draft.txt")
    r = _run(py, tmp, "-m", "review", "check", "draft.txt", "--format", "json")
    assert r.returncode == 1, r.stderr                  # the weak sample has error-level findings
    assert '"pattern.' in r.stdout and "Traceback" not in r.stderr
    models_shipped = (ROOT / "review" / "models" / "models.npz").exists()
    assert ("training" in r.stderr) != models_shipped, r.stderr   # shipped models are used as they are
    r = _run(py, tmp, "-m", "review", "packs")
    assert r.returncode == 0 and "2021-five-leads" in r.stdout and "2013-four-winds" in r.stdout


def test_the_installed_corpus_trains(installed):
    """The corpus is package data too: the models can be rebuilt from an installed wheel."""
    py, tmp = installed
    r = _run(py, tmp, "-c", "from review.judge.corpus import load_corpus; print(len(load_corpus()))")
    assert r.returncode == 0 and int(r.stdout) > 4000, r.stderr
