"""Where the package's own data lives, found through importlib.resources so that an
installed wheel finds its rules, language data and corpus as a checkout does."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path


@lru_cache(maxsize=1)
def package_dir() -> Path:
    return Path(str(files("review")))


def data_path(*parts: str) -> Path:
    """A file or folder of package data, e.g. data_path("rules", "rules.yaml")."""
    return package_dir().joinpath(*parts)


def rules_path(*parts: str) -> Path:
    return data_path("rules", *parts)


def lang_path(name: str) -> Path:
    """Language data of Chinese (lexicons, term tables, the user dictionary)."""
    return data_path("lang", "zh", name)
