"""The README's two set-up commands stay true, and CI runs exactly the test one."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_commands() -> list[str]:
    """The shell commands of the README's Set-up section, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_setup_is_two_commands_install_and_run_then_install_and_test() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    run_main, run_tests = commands
    assert run_main.startswith("pip install . && jsscheck ")
    assert "sample_data/" in run_main
    assert run_tests.startswith("pip install '.[test]' && ") and "pytest" in run_tests


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert setup_commands()[1] in ci.splitlines()


def test_the_readme_main_command_runs_on_the_sample() -> None:
    # Everything after "pip install . && ": run the installed code the same way.
    command = setup_commands()[0].split("&&", 1)[1].strip()
    args = shlex.split(command)
    assert args[0] == "jsscheck"
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


def test_ci_type_checks_with_the_mypy_the_test_extra_installs() -> None:
    import tomllib

    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "python -m mypy" in ci
    # After the tests, so a type error never hides a failing test.
    assert ci.index("python -m mypy") > ci.index(setup_commands()[1])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert any(d.startswith("mypy") for d in project["project"]["optional-dependencies"]["test"])
    assert project["tool"]["mypy"]["files"] == ["jsscheck"]
