"""The code stays `ruff check` and `ruff format` clean (STYLE.md), checked where CI runs."""

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


@pytest.fixture(scope="module", autouse=True)
def _needs_ruff() -> None:
    probe = subprocess.run([sys.executable, "-m", "ruff", "--version"], capture_output=True)
    if probe.returncode != 0 and shutil.which("ruff") is None:
        pytest.skip("ruff is not installed (it comes with the test extra)")


def test_ruff_check_is_clean() -> None:
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
