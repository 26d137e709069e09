"""Settings: the one reader of REVIEW_* environment variables.

REVIEW_MODE        judgement: combined | model | rules (default: combined when there is a corpus)
REVIEW_MODEL_DIR   where trained models live (default: review/models/ beside the package,
                   or the user cache when the package folder is read-only)
REVIEW_CORPUS_DIR  the labelled corpus (default: the package's own corpora/)
REVIEW_CACHE_DIR   caches of data-derived tables and rule self-test verdicts (default ~/.cache/review)
REVIEW_RULEBOOK    a rulebook of one's own instead of the package's rules/rules.yaml
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import resources

MODES = ("combined", "model", "rules")


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "review"


def _writable(d: Path) -> bool:
    """A folder that exists and is writable, or could be made in a writable parent."""
    return os.access(d, os.W_OK) if d.exists() else os.access(d.parent, os.W_OK)


@dataclass(frozen=True)
class Settings:
    mode: str | None
    model_dir: Path
    corpus_dir: Path
    cache_dir: Path
    rulebook: Path | None = None
    context: bool = True          # the context model over the sentence model (REVIEW_CONTEXT=0: off)
    tiers: bool = True            # uncertain findings to the 待核 tier (REVIEW_TIERS=0: off, to calibrate)

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        cache = Path(env.get("REVIEW_CACHE_DIR") or _user_cache())
        models = env.get("REVIEW_MODEL_DIR")
        if not models:
            packaged = resources.package_dir() / "models"
            models = packaged if _writable(packaged) else cache / "models"
        mode = env.get("REVIEW_MODE") or None
        return cls(mode=mode if mode in MODES else None, model_dir=Path(models),
                   corpus_dir=Path(env.get("REVIEW_CORPUS_DIR") or resources.data_path("corpora")),
                   cache_dir=cache, rulebook=Path(env["REVIEW_RULEBOOK"]) if env.get("REVIEW_RULEBOOK") else None,
                   context=env.get("REVIEW_CONTEXT", "1") != "0", tiers=env.get("REVIEW_TIERS", "1") != "0")


def current() -> Settings:
    """Read afresh each call: tests and the app change the environment between reviews."""
    return Settings.from_env()
