"""The golden cases of ../shared/data/golden (worked out from MODEL.md), run as CI runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "golden_check.py"


@pytest.mark.skipif(not TOOL.exists(), reason="../shared/tools/golden_check.py is not beside us")
def test_every_golden_case_matches() -> None:
    env = {**os.environ, "JSSCHECK": f"{sys.executable} -m jsscheck"}
    result = subprocess.run(
        [sys.executable, str(TOOL), "-v"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cases match" in result.stdout
