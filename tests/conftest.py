"""Test configuration shared by every test module: hermetic environment, in-process CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Test modules import their helpers as top-level modules (`from helpers import make_contract`,
# `from reference import reference_score`), whatever import mode pytest runs in.
_TESTS_DIR = str(Path(__file__).resolve().parent)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

from helpers import Invoke, invoke_in_process  # noqa: E402 (needs the path above)


@pytest.fixture(autouse=True)
def hermetic_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's real data, colours and terminal width.

    The snapshot store and every platformdirs data/config/cache directory point into
    `tmp_path`; output is uncoloured and 120 columns wide whatever terminal runs the tests.
    Returns the store path.
    """
    home = tmp_path / "home"
    home.mkdir()
    store = tmp_path / "store" / "snapshots.sqlite"
    monkeypatch.setenv("JSSCHECK_STORE", str(store))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "50")
    for name in ("FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    return store


@pytest.fixture()
def invoke() -> Invoke:
    """Run `jsscheck ARGS` in this process: `invoke("score", path, "--as-of", day)`.

    Output goes to a `MockEnvironment`; keywords: `stdin` feeds `-`, `cwd` runs from a
    directory, `tty` pretends stdout and stderr are a terminal, `width` its columns.
    """
    return invoke_in_process
