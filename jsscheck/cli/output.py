"""Where output goes: one `OutputFormat`, one `emit()`.

A command builds a `Result` (the JSON document, and for people a list of blocks: sentences
and `PlainTable`s, or a `draw` function for charts) and hands it to `emit()` with the format
the user chose. JSON and CSV never pass through a rich Console (it wraps lines when piped);
markdown and the terminal table are made from the same plain rows.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from jsscheck.cli.environment import Environment, current

if TYPE_CHECKING:
    from rich.console import Console

    from jsscheck.render.rows import PlainTable


class OutputFormat(StrEnum):
    """Every output format of every command (each command offers a subset)."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    #: Only `rules show`: the rule set as a TOML rules file.
    TOML = "toml"


@dataclass(frozen=True)
class Result:
    """What a command produced, in every shape it can be printed in."""

    #: The JSON document (may hold `jsondoc.Streamed` arrays).
    document: Any = None
    #: For people: sentences and tables, in order (table and markdown formats).
    blocks: Sequence[Any] = ()
    #: Draws the terminal view itself (charts); overrides `blocks` for the table format.
    draw: Callable[[Console], None] | None = None
    #: The table CSV writes; default: the only table among `blocks`.
    csv: PlainTable | None = None
    #: Text written as is for a format (TOML; markdown a renderer writes itself).
    text: dict[str, str] = field(default_factory=dict)
    #: Warnings (MODEL.md 11 and the like) said on stderr before the output, except with
    #: `--format json`, whose document carries them, and with `--quiet`.
    warnings: Sequence[str] = ()


def emit(
    result: Result,
    output_format: OutputFormat | str,
    env: Environment | None = None,
    *,
    quiet: bool = False,
) -> None:
    """Print `result` in `output_format` on the run's stdout (its warnings on stderr first)."""
    env = env or current()
    chosen = OutputFormat(output_format)
    if chosen != OutputFormat.JSON and not quiet:
        for line in result.warnings:
            warn(line, env)
    if chosen == OutputFormat.JSON:
        write_json(result.document, env)
    elif chosen.value in result.text:
        write_text(result.text[chosen.value], env)
    elif chosen == OutputFormat.MARKDOWN:
        write_text(_markdown(result.blocks), env)
    elif chosen == OutputFormat.CSV:
        plain_table = result.csv or _only_table(result.blocks)
        write_csv(plain_table.headers, [list(row) for row in plain_table.rows], env)
    elif chosen != OutputFormat.TABLE:
        from jsscheck.errors import UsageError

        raise UsageError(f"this command has no --format {chosen.value}")
    elif result.draw is not None:
        result.draw(env.console())
    else:
        print_blocks(env.console(), result.blocks)


def _markdown(blocks: Sequence[Any]) -> str:
    from jsscheck.render.markdown import table_markdown
    from jsscheck.render.rows import PlainTable
    from jsscheck.render.text import plain

    parts = [table_markdown(b) if isinstance(b, PlainTable) else plain(b) for b in blocks]
    return "\n\n".join(parts)


def _only_table(blocks: Sequence[Any]) -> PlainTable:
    from jsscheck.errors import UsageError
    from jsscheck.render.rows import PlainTable

    tables = [b for b in blocks if isinstance(b, PlainTable)]
    if len(tables) != 1:
        raise UsageError("this result has no single table for CSV", hint="use --format json")
    return tables[0]


def print_blocks(console: Console, blocks: Sequence[Any]) -> None:
    """Sentences exactly as written, tables through `to_rich`; a blank line after the first."""
    from jsscheck.render.rows import PlainTable, to_rich

    for position, block in enumerate(blocks):
        if isinstance(block, PlainTable):
            console.print(to_rich(block))
        else:
            console.print(block, markup=False)
            if position == 0 and len(blocks) > 1:
                console.print()


def write_json(document: Any, env: Environment | None = None) -> None:
    """One JSON document on stdout: indented for a person at a terminal, compact when piped.

    (json's indenting encoder is pure Python: ten times slower on 100,000 contracts.)
    Streamed arrays (`jsscheck.render.jsondoc`) are written a batch at a time.
    """
    from jsscheck.render.jsondoc import dump

    env = env or current()
    dump(document, env.stdout.write, indent=2 if env.stdout_isatty else None)


def write_text(text: str, env: Environment | None = None) -> None:
    """Plain text (markdown, TOML) on stdout."""
    env = env or current()
    env.stdout.write(text if text.endswith("\n") else text + "\n")


def write_csv(header: list[str], rows: list[list[Any]], env: Environment | None = None) -> None:
    """A CSV table on stdout, formula-like text cells neutralised (jsscheck.render.csvsafe)."""
    from jsscheck.render.csvsafe import safe_cell, writer

    out = writer((env or current()).stdout)
    out.writerow(header)
    for row in rows:
        out.writerow([safe_cell(v) for v in row])


def console(stderr: bool = False) -> Console:
    """A rich Console for people (the current environment's)."""
    return current().console(stderr)


def warn(message: str, env: Environment | None = None) -> None:
    """A warning on stderr."""
    with contextlib.suppress(BrokenPipeError, OSError):
        (env or current()).stderr.write(f"jsscheck: warning: {message}\n")


def note(message: str, env: Environment | None = None) -> None:
    """A line for the person on stderr (`wrote FILE`), prefixed with the program name."""
    with contextlib.suppress(BrokenPipeError, OSError):
        (env or current()).stderr.write(f"jsscheck: {message}\n")


#: `progress(done, total)`, called by long analyses.
Progress = Callable[[int, int], None]


@contextlib.contextmanager
def progress(
    label: str, *, after_seconds: float = 0.0, env: Environment | None = None
) -> Iterator[Progress | None]:
    """A transient progress bar on stderr, only on a terminal, shown once the work has taken
    `after_seconds`; yields None (no reporting at all) when stderr is not a terminal.
    """
    env = env or current()
    if not env.stderr_isatty:
        yield None
        return
    started = time.monotonic()
    shown: list[Any] = []  # the rich Progress and its task, once started

    def report(done: int, total: int) -> None:
        if not shown:
            if done >= total or time.monotonic() - started < after_seconds:
                return
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(
                TextColumn(label),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeRemainingColumn(),
                console=env.console(stderr=True),
                transient=True,
            )
            bar.start()
            shown.extend([bar, bar.add_task(label, total=total)])
        shown[0].update(shown[1], completed=done, total=total)

    try:
        yield report
    finally:
        if shown:
            shown[0].stop()
