"""Shared test helpers: contracts and history files with sensible defaults, the environment
of a subprocess, and hypothesis strategies."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from jsscheck.model.contract import DATE_FIELDS, Contract

_ids = itertools.count(1)


def as_date(value: date | str | None) -> date | None:
    """`value` as a `date`; ISO strings are parsed, None stays None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def make_contract(**overrides: Any) -> Contract:
    """A `Contract` with defaults, every field overridable by keyword.

    Defaults: a fresh id and a fresh client (so each contract is a new client unless `client`
    is given), started 2026-01-01, ended 2026-03-01, $500 earned, public feedback 5.0, nothing
    else. Date fields also accept ISO strings (`end_date="2026-05-21"`); pass `None` to empty one.
    """
    number = next(_ids)
    values: dict[str, Any] = {
        "contract_id": f"c{number}",
        "client": f"client-{number}",
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 3, 1),
        "earnings": 500.0,
        "public_feedback": 5.0,
    }
    values.update(overrides)
    for name in DATE_FIELDS:
        if name in values:
            values[name] = as_date(values[name])
    values["earnings"] = float(values["earnings"])
    return Contract(**values)


# --- history files -----------------------------------------------------------------------------

#: The canonical CSV header (FORMATS.md), every column.
HISTORY_HEADER = (
    "contract_id,client,title,start_date,end_date,last_payment_date,earnings,public_feedback,"
    "private_feedback,feedback_date,disputed,client_flagged,excluded,paid_periods"
)


def write_csv_history(path: Path, rows: list[str], header: str = HISTORY_HEADER) -> Path:
    """A CSV history at `path`: the header, then one line per row as given."""
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def write_large_history(path: Path, rows: int, seed: int = 7) -> Path:
    """A canonical CSV of `rows` plausible contracts, 2022-2026, ~140 bytes a row.

    Contract ids run from 10,000,000 up, so the last line names `10_000_000 + rows - 1`.
    """
    rnd = random.Random(seed)
    first = date(2022, 1, 1)
    stars = ["5.0", "5.0", "5.0", "4.8", "4.0", "3.0", "", "1.0"]
    lines = [HISTORY_HEADER + "\n"]
    for i in range(rows):
        start = first + timedelta(days=rnd.randrange(1700))
        end = start + timedelta(days=rnd.randrange(1, 200))
        lines.append(
            f"{10_000_000 + i},Client number {rnd.randrange(5000)},Job title of contract {i},"
            f"{start},{end},{end},{rnd.randrange(500_000) / 100},{rnd.choice(stars)},,,"
            "false,false,false,\n"
        )
    path.write_text("".join(lines), encoding="utf-8")
    return path


# --- processes ---------------------------------------------------------------------------------


def hermetic_env(home: Path) -> dict[str, str]:
    """The environment of a subprocess: no colour, fixed width, the store and data dirs in tmp."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env.update(
        NO_COLOR="1",
        COLUMNS="120",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        JSSCHECK_STORE=str(home / "store" / "snapshots.sqlite"),
        PYTHONIOENCODING="utf-8",
    )
    return env


# --- hypothesis strategies ---------------------------------------------------------------------
# Shared value strategies for the property tests (each module composes its own contracts).

as_of_dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
earnings_values = st.one_of(
    st.sampled_from([0.0, 100.0, 250.0, 250.01, 1000.0, 1000.01, 5000.0]),
    st.integers(min_value=0, max_value=2_000_000).map(lambda cents: cents / 100),
)
public_values = st.sampled_from([None, None, 1.0, 2.5, 3.0, 3.5, 4.0, 4.4, 4.5, 4.8] + [5.0] * 6)
private_values = st.sampled_from([None, None, None, 0, 3, 6, 8, 9, 10])
#: Text a client may put in a title or a name: rich markup, escapes, control characters.
hostile_text = st.one_of(
    st.sampled_from(["[URGENT] fix", "Beta [bold]Corp", "tweaks [/red]", "a|b", "x\x1b[31my"]),
    st.text(min_size=1, max_size=20),
)


# --- the in-process command line (the `invoke` fixture of conftest.py) ---------------------


@dataclass(frozen=True)
class Invocation:
    """One in-process run of the command line."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    # The names of subprocess.CompletedProcess, so a test reads the same either way.
    @property
    def returncode(self) -> int:
        return self.code


Invoke = Callable[..., Invocation]


def invoke_in_process(
    *args: object,
    stdin: str | bytes | None = None,
    cwd: Path | None = None,
    tty: bool = False,
    width: int = 120,
) -> Invocation:
    """Run `jsscheck ARGS` in this process with a `MockEnvironment` (see conftest `invoke`).

    sys.stdout/sys.stderr are captured too (for code that still writes there); `stdin` feeds
    `-`; `cwd` runs from a directory, so messages name files as typed.
    """
    import contextlib
    import io
    import sys

    from jsscheck.cli.app import run
    from jsscheck.cli.environment import MockEnvironment

    env = MockEnvironment(stdout_isatty=tty, stderr_isatty=tty, width=width)
    words = tuple(str(a) for a in args)
    saved_stdin = sys.stdin
    with contextlib.ExitStack() as stack:
        if stdin is not None:
            data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
            sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
            stack.callback(setattr, sys, "stdin", saved_stdin)
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(env.stdout))
        stack.enter_context(contextlib.redirect_stderr(env.stderr))
        code = run(list(words), env=env)
    return Invocation(words, code, env.out, env.err)


#: Issue 15's story, used by explain and timeline (tests/test_explain.py `story` works its
#: numbers out): (id, title, end date, earnings, stars); each contract 5 days long, one client
#: each, paid on its end date.
STORY_ROWS = (
    ("ig", "Instagram posts (monthly)", "2025-06-27", 100, 5.0),
    ("b1", "Landing page", "2025-08-15", 100, 5.0),
    ("c1", "WordPress fix", "2025-04-20", 100, 5.0),
    ("c2", "Blog post", "2025-04-30", 100, 5.0),
    ("c3", "Newsletter", "2025-05-10", 100, 5.0),
    ("c4", "Banner", "2025-05-20", 100, 5.0),
    ("d1", "Shop setup", "2025-05-25", 500, 5.0),
    ("d2", "SEO audit", "2025-05-30", 500, 5.0),
    ("d3", "Logo redesign", "2025-06-06", 500, 5.0),
    ("n1", "Flyer", "2025-05-01", 100, 2.0),
    ("o1", "Old job", "2025-02-01", 100, 2.0),
)
