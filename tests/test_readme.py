"""The README's set-up, install and cron instructions stay true, and CI runs exactly the test one.

The two Set-up commands must work on a machine with nothing but Python 3.11+ whose system
Python refuses `pip install` outside a virtual environment (Debian's externally-managed
Python): so each creates `.venv` and uses its `bin/`, never a bare `pip` or `jsscheck`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    """The text of the README section `## title`, up to the next `## `."""
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def setup_commands() -> list[str]:
    """The shell commands of the README's Set-up section, in order."""
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section("Set-up"), re.S)]


def cron_line() -> str:
    """The crontab line of the README's cron section (the one code block without a language)."""
    blocks = re.findall(r"```\n(.*?)```", section("Weekly snapshots with cron"), re.S)
    assert len(blocks) == 1
    return blocks[0].strip()


def test_setup_is_two_commands_that_make_and_use_a_virtual_environment() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    run_main, run_tests = commands
    for command in commands:
        steps = [step.strip() for step in command.split("&&")]
        # A fresh environment first; after it, nothing runs from the system Python or PATH.
        assert steps[0] == "python3 -m venv .venv"
        assert all(shlex.split(step)[0].startswith(".venv/bin/") for step in steps[1:])
    assert run_main.split("&&")[1].strip() == ".venv/bin/pip install ."
    assert shlex.split(run_main.split("&&")[2])[0] == ".venv/bin/jsscheck"
    assert "sample_data/" in run_main
    assert run_tests.split("&&")[1].strip() == ".venv/bin/pip install '.[test]'"
    assert run_tests.split("&&")[2].strip() == ".venv/bin/python -m pytest"


def test_install_section_covers_pipx_venv_the_plot_extra_and_getting_the_code() -> None:
    install = section("Install")
    assert "git clone" in install
    assert "pipx install ." in install
    assert "'.[plot]'" in install  # the extra that `timeline --plot` needs, quoted for the shell
    assert "python3 -m venv ~/.venvs/jsscheck" in install
    assert "command -v jsscheck" in install
    # The plot extra named in the README is the one pyproject defines.
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "plot" in project["optional-dependencies"]
    assert any(d.startswith("matplotlib") for d in project["optional-dependencies"]["plot"])


def test_ci_runs_the_readme_test_command_then_mypy_from_that_environment() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    test_command = setup_commands()[1]
    assert test_command in ci
    assert ".venv/bin/python -m mypy" in ci
    # After the tests, so a type error never hides a failing test.
    assert ci.index(".venv/bin/python -m mypy") > ci.index(test_command)
    # A failing command stops the script with its exit status.
    assert "set -euo pipefail" in ci
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert any(d.startswith("mypy") for d in project["project"]["optional-dependencies"]["test"])
    assert project["tool"]["mypy"]["files"] == ["jsscheck"]


@pytest.mark.parametrize(
    "failing",
    ["true && true && false", "true && false && true", "false && true && true"],
    ids=["tests fail", "install fails", "venv fails"],
)
def test_ci_fails_when_any_step_of_the_test_command_fails(tmp_path: Path, failing: str) -> None:
    # .ci/run with the test command's steps replaced by stand-ins, one failing: the script must
    # exit non-zero and never reach mypy (whose stand-in would print "mypy ran").
    script = (ROOT / ".ci" / "run").read_text()
    assert setup_commands()[1] in script
    script = script.replace(setup_commands()[1], failing)
    script = script.replace(".venv/bin/python -m mypy", "echo mypy ran")
    script = script.replace('cd "$(dirname "$0")/.."', f"cd {shlex.quote(str(tmp_path))}")
    run = tmp_path / "run"
    run.write_text(script)
    result = subprocess.run(["bash", str(run)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "mypy ran" not in result.stdout


def test_the_readme_main_command_runs_on_the_sample() -> None:
    # The last step, with .venv/bin/jsscheck replaced by this interpreter's `-m jsscheck`.
    command = setup_commands()[0].split("&&")[2].strip()
    args = shlex.split(command)
    assert args[0] == ".venv/bin/jsscheck"
    result = subprocess.run(
        [sys.executable, "-m", "jsscheck", *args[1:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # The headline names the contract that moved the score first, then the movement.
    assert result.stdout.startswith("'")
    assert "Your JSS " in result.stdout


def test_cron_line_runs_the_installed_command_with_options_that_exist(invoke, tmp_path) -> None:
    line = cron_line()
    fields = line.split(None, 5)
    assert fields[:5] == ["0", "7", "*", "*", "1"]  # Mondays at 07:00
    args = shlex.split(fields[5])
    # The full path of the command the Install section's environment creates (cron has no PATH
    # of the user's shell), never the old pipx-only ~/.local/bin guess.
    assert args[0] == "$HOME/.venvs/jsscheck/bin/jsscheck"
    assert "python3 -m venv ~/.venvs/jsscheck" in section("Install")
    assert "command -v jsscheck" in section("Weekly snapshots with cron")
    # The rest is a command line jsscheck accepts: run it on the sample (a first snapshot
    # cannot drop; the sample's 2026-11-21 JSS is below 90, so --fail-below 90 trips: exit 1).
    assert args[1] == "snapshot"
    rest = [
        str(ROOT / "sample_data/history.csv") if a.endswith("history.csv") else a for a in args[2:]
    ]
    result = invoke("snapshot", *rest, "--as-of", "2026-11-21")
    assert result.code in (0, 1), result.stderr
    assert "Usage" not in result.stderr


def _copy_of_the_repository(target: Path) -> None:
    """Every file git tracks (what a fresh clone has), nothing else: no .venv, no caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the tracked files")
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout to copy")
def test_the_readme_first_command_works_as_written_in_a_fresh_copy(tmp_path: Path) -> None:
    copy = tmp_path / "jsscheck"
    copy.mkdir()
    _copy_of_the_repository(copy)
    # Only what a fresh machine has: python3 on PATH, no virtual environment active.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and p != bin_dir
    )
    # HOME and the cache directory stay: pip reuses the wheels it already downloaded (CI's
    # own install of the test extra fills that cache), which keeps this test to a minute or so.
    # (conftest points HOME and XDG_CACHE_HOME at tmp: give pip the user's own back.)
    import pwd

    env["HOME"] = pwd.getpwuid(os.getuid()).pw_dir
    env.pop("XDG_CACHE_HOME", None)
    env.update(NO_COLOR="1", COLUMNS="120", PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env["JSSCHECK_STORE"] = str(tmp_path / "store.sqlite")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    result = subprocess.run(
        setup_commands()[0],
        shell=True,
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (copy / ".venv" / "bin" / "jsscheck").exists()
    # pip's progress first, then explain's headline: the contract that moved the score.
    headline = result.stdout[result.stdout.index("\n'") + 1 :]
    assert "Your JSS " in headline
