"""The golden cases of ../shared/data/golden (worked out from MODEL.md), one test per case.

The cases live beside the checkout, in ../shared (or two levels up, for a git worktree kept
in a sibling folder; JSSCHECK_SHARED overrides). Where they are missing the tests skip, except
in CI (the CI environment variable set), where a missing golden directory is a failure: the
suite must never pass there without having checked them.

`score-*` cases are held to MODEL.md version 2. `explain-*` cases are checked against the
version the installed code speaks (the checker reads it from the explain document's schema).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path | None:
    override = os.environ.get("JSSCHECK_SHARED")
    candidates = (
        [Path(override)] if override else [ROOT.parent / "shared", ROOT.parents[1] / "shared"]
    )
    for candidate in candidates:
        if (candidate / "tools" / "golden_check.py").is_file():
            return candidate
    return None


SHARED = _shared_dir()
CASES = (
    sorted(p.name for p in (SHARED / "data" / "golden").iterdir() if p.is_dir()) if SHARED else []
)


def _checker(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    assert SHARED is not None
    monkeypatch.setenv("JSSCHECK", f"{sys.executable} -m jsscheck")
    spec = importlib.util.spec_from_file_location(
        "golden_check", SHARED / "tools" / "golden_check.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_golden_cases_are_here() -> None:
    if SHARED is None or not CASES:
        message = "the golden cases (../shared/data/golden) are missing"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must check them (set JSSCHECK_SHARED to their folder)")
        pytest.skip(message)
    assert any(c.startswith("score-") for c in CASES)
    assert any(c.startswith("explain-") for c in CASES)


def _in_process(cmd: list[str]) -> dict[str, object]:
    """The checker's `run` (which starts `jsscheck` as a process), in this process: the same
    command line and the same JSON, without an interpreter's start-up per case."""
    import json

    from helpers import invoke_in_process

    ran = invoke_in_process(*cmd)
    if ran.code != 0:
        raise RuntimeError(f"exit {ran.code}: {ran.stderr.strip()[:300]}")
    document: dict[str, object] = json.loads(ran.stdout)
    return document


# One case of each kind runs `python -m jsscheck` as a process, as golden_check.py does.
AS_A_PROCESS = {
    next((c for c in CASES if c.startswith(kind)), "") for kind in ("score-", "explain-")
}


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    checker = _checker(monkeypatch)
    if case not in AS_A_PROCESS:
        monkeypatch.setattr(checker, "run", _in_process)
    assert SHARED is not None
    folder = SHARED / "data" / "golden" / case
    if case.startswith("score-"):
        spec = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        problems = checker.check_score(folder, spec)
    else:
        problems, _version = checker.check(folder)
    assert not problems, f"{case}: " + "; ".join(problems)
