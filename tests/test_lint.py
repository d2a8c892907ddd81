"""The code stays `ruff check` and `ruff format` clean (STYLE.md), checked where CI runs, and
keeps its layers (issue 14): rich and typer only in render/ and cli/, imports only downwards,
no module over 500 lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["jsscheck", "tests", "benchmarks"]


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ruff"] if shutil.which("ruff") is None else ["ruff"]
    return subprocess.run(
        [*command, *args, *PATHS], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.fixture(scope="module")
def _needs_ruff() -> None:
    probe = subprocess.run([sys.executable, "-m", "ruff", "--version"], capture_output=True)
    if probe.returncode != 0 and shutil.which("ruff") is None:
        pytest.skip("ruff is not installed (it comes with the test extra)")


@pytest.mark.usefixtures("_needs_ruff")
def test_ruff_check_is_clean() -> None:
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("_needs_ruff")
def test_ruff_format_is_clean() -> None:
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


# --- layering (README "How the code is laid out") -------------------------------------------

PACKAGE = ROOT / "jsscheck"
#: Imports only go down this list; `jsscheck/errors.py` sits with model/ at the bottom.
LAYERS = ("model", "history", "engine", "analyses", "store", "render", "cli")
#: Only these layers may import the terminal libraries.
TERMINAL_LIBRARIES = ("rich", "typer", "click")
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    """The rank of a `jsscheck.*` module's layer; None for top-level helpers other than errors."""
    parts = module.split(".")
    if parts[0] != "jsscheck" or len(parts) < 2:
        return None
    if parts[1] == "errors":
        return 0
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in `path`, type-checking-only ones included."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from jsscheck import render` names a package through its members.
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_layers_are_what_the_lint_expects() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(LAYERS)


def test_only_render_and_cli_import_rich_or_typer() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sources()
        if layer_of(module_name(path)) not in (LAYERS.index("render"), LAYERS.index("cli"))
        for line, name in imported(path)
        if name.split(".")[0] in TERMINAL_LIBRARIES
    ]
    assert offenders == []


def test_no_module_imports_from_a_higher_layer() -> None:
    offenders = []
    for path in sources():
        own = layer_of(module_name(path))
        if own is None:
            continue
        for line, name in imported(path):
            other = layer_of(name)
            if other is not None and other > own:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert offenders == []


def test_the_lint_sees_an_upward_import() -> None:
    """The checks above can fail: they read every import, relative and type-only ones too."""
    engine, render = layer_of("jsscheck.engine.evaluate"), layer_of("jsscheck.render.text")
    assert engine is not None and render is not None and render > engine
    assert layer_of("jsscheck.errors") == layer_of("jsscheck.model.rules") == 0
    # render/snapshots.py imports the store (a lower layer) and rich: both are seen.
    names = {name for _, name in imported(PACKAGE / "render" / "snapshots.py")}
    assert "jsscheck.store.snapshots" in names and "rich.console" in names


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in sources()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
