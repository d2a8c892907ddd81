"""Every command that prints a result offers `--format json` and `--format markdown` and
prints a valid document in each on the sample data (issue 14: one `emit()` for all).

The commands are found by walking the app, so a new command without a case here fails
`test_every_command_with_output_has_a_case`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import Invoke

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "sample_data" / "history.csv"
AS_OF = "2026-11-21"
#: The commands that print no result (they write files or say one thing): no --format.
WITHOUT_OUTPUT = {"init", "snapshots forget", "snapshots path"}
#: `import` writes a history file: its --format is that file's format (csv|json, FORMATS.md);
#: `report` writes a page: html|json (tests/test_report.py checks its JSON).
HISTORY_WRITERS = {"import", "report"}


def commands() -> dict[str, Any]:
    """Every leaf command of the app by its full name (`snapshots diff`)."""
    from jsscheck.cli.app import whole_command

    found: dict[str, Any] = {}

    def walk(command: Any, prefix: str) -> None:
        if hasattr(command, "commands"):  # a group
            for name, sub in command.commands.items():
                walk(sub, f"{prefix} {name}".strip())
        else:
            found[prefix] = command

    walk(whole_command(), "")
    return found


def has_output_format(command: Any) -> bool:
    return any(p.name == "output_format" for p in command.params)


def cases(tmp_path: Path) -> dict[str, list[str]]:
    """The arguments of each command with a result, on the sample history."""
    observed = tmp_path / "observed.csv"
    # The sample's JSS with the default rules: 95% on 2026-10-24 and 88% on 2026-11-21.
    observed.write_text("date,jss\n2026-10-24,95\n2026-11-21,88\n", encoding="utf-8")
    h, day = str(HISTORY), ["--as-of", AS_OF]
    return {
        "score": [h, *day],
        "explain": [h, "--since", "2026-10-24", *day],
        "rules list": [],
        "rules show": ["upwork"],
        "validate": [h],
        "snapshot": [h, "--as-of", "2026-11-14"],  # a third day: ids 1 and 2 stay
        "snapshots list": [],
        "snapshots show": ["1"],
        "snapshots diff": ["1", "2"],
        "snapshots export": [],
        "timeline": [h, "--from", "2026-06-01", "--to", AS_OF],
        "whatif": [h, "--close-open", *day],
        "forecast": [h, "--horizon", "12w", *day],
        "goal": [h, "--target", "95", *day],
        "calibrate": [h, "--observed", str(observed)],
        "help terms": [],
    }


def test_every_command_with_output_has_a_case(tmp_path: Path) -> None:
    found = commands()
    with_output = {name for name, command in found.items() if has_output_format(command)}
    assert set(found) - with_output == WITHOUT_OUTPUT
    assert with_output - HISTORY_WRITERS == set(cases(tmp_path))


def markdown_is_valid(text: str) -> bool:
    """Text without terminal escapes or rich markup tags of ours, whose tables each have a
    header row and a `|---|` separator with as many cells."""
    if "\x1b" in text or re.search(r"\[/?(bold|red|green|dim|yellow)\]", text):
        return False
    lines = text.splitlines()
    for n, line in enumerate(lines):
        starts_table = line.startswith("|") and (n == 0 or not lines[n - 1].startswith("|"))
        if starts_table:
            if n + 1 >= len(lines) or not re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", lines[n + 1]):
                return False
            if lines[n + 1].count("|") != line.count("|") - line.count("\\|"):
                return False
    return bool(text.strip())


@pytest.fixture()
def stored(invoke: Invoke) -> None:
    """Two snapshots (ids 1 and 2) for the `snapshots` commands."""
    for day in ("2026-10-24", AS_OF):
        assert invoke("snapshot", HISTORY, "--as-of", day, "--quiet").code == 0


@pytest.mark.parametrize("output_format", ["json", "markdown"])
def test_every_command_prints_json_and_markdown(
    invoke: Invoke, stored: None, tmp_path: Path, output_format: str
) -> None:
    from jsscheck.render import schemas

    failures = []
    for name, args in cases(tmp_path).items():
        result = invoke(*name.split(), *args, "--format", output_format)
        if result.code != 0:
            failures.append(f"{name}: exit {result.code}: {result.stderr.strip()}")
            continue
        if output_format == "json":
            try:
                document = json.loads(result.stdout)
            except json.JSONDecodeError as exc:
                failures.append(f"{name}: not JSON ({exc})")
                continue
            if not isinstance(document, dict) or document.get("schema") not in schemas.ALL:
                failures.append(f"{name}: no known schema in {str(document)[:80]}")
        elif not markdown_is_valid(result.stdout):
            failures.append(f"{name}: not markdown:\n{result.stdout[:400]}")
    assert failures == []


def test_the_markdown_check_can_fail() -> None:
    assert markdown_is_valid("**T**\n\n| a | b |\n|---|---:|\n| 1 | 2 |")
    assert not markdown_is_valid("| a | b |\n| 1 | 2 |")  # no separator
    assert not markdown_is_valid("[bold]JSS[/bold]")
    assert not markdown_is_valid("\x1b[1mJSS")
    assert not markdown_is_valid("")
