"""Layers call downward only (ingest → structure → judge → checks → score → render, wired by
a thin api), and no module reaches for another module's private names."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "review"

# layer of each top-level module or sub-package of review/, lowest first
LAYERS = [
    {"errors", "domain", "resources", "settings", "loader", "cache"},
    {"lang"},
    {"packs", "rulebook", "nlp"},
    {"ingest"},
    {"structure"},
    {"judge"},
    {"checks"},
    {"score"},
    {"report"},
    {"render"},
    {"pipeline"},
    {"api"},
    {"evaluate", "batch"},
    {"cli", "__init__"},
    {"__main__"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _unit(module: str) -> str:
    """review.checks.terms -> checks; review.api -> api."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1] if len(parts) > 2 else parts
    return ".".join(parts)


def _imports(path: Path):
    """(imported module, names, line) for every import of a review module in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = _module_name(path).split(".")
    if path.name != "__init__.py":
        pkg = pkg[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod == "review" or mod.startswith("review."):
                for alias in node.names:
                    sub = f"{mod}.{alias.name}"
                    yield (sub if (ROOT.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                           or (ROOT.parent / sub.replace(".", "/")).is_dir() else mod), alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("review."):
                    yield alias.name, "", node.lineno


FILES = sorted(p for p in ROOT.rglob("*.py"))


def test_every_module_has_a_layer():
    units = {_unit(_module_name(p)) for p in FILES}
    assert units <= set(RANK), sorted(units - set(RANK))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_no_upward_import(path):
    me = _unit(_module_name(path))
    bad = []
    for mod, _, line in _imports(path):
        other = _unit(mod)
        if other == me or other == "__init__":
            continue
        if RANK[other] > RANK[me] or (RANK[other] == RANK[me] and RANK[me] > 0):
            bad.append(f"line {line}: {me} (layer {RANK[me]}) imports {mod} (layer {RANK[other]})")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_no_private_name_of_another_module(path):
    bad = [f"line {line}: from {mod} import {name}" for mod, name, line in _imports(path)
           if name.startswith("_") and not name.startswith("__")]
    assert not bad, "\n".join(bad)


def test_the_test_itself_catches_an_upward_import(tmp_path, monkeypatch):
    """A module of ingest that imports the api is caught (the test can fail)."""
    fake = ROOT / "ingest" / "_layer_probe.py"
    fake.write_text("from ..api import review_document\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match="imports review.api"):
            test_no_upward_import(fake)
    finally:
        fake.unlink()


def test_app_uses_the_api_and_renderers_only():
    tree = ast.parse((ROOT.parent / "app.py").read_text(encoding="utf-8"))
    used = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("review")}
    assert not {m for m in used if m.split(".")[1:2] and m.split(".")[1] in {"pipeline", "judge", "structure"}}, used
