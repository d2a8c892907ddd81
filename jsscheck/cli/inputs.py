"""How a command reads its HISTORY arguments: the options `--dayfirst`, `--input-format` and
`--include-agency` (`with_input`), and reading the files with their warnings (`load_history`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jsscheck.cli.options import (
    DayfirstOpt,
    F,
    IncludeAgencyOpt,
    InputFormatOpt,
    given_as,
)

if TYPE_CHECKING:
    from jsscheck.engine.arrays import ContractArrays
    from jsscheck.history import ReadResult


@dataclass(frozen=True)
class InputChoice:
    """How a command reads its HISTORY files: `--dayfirst`, `--input-format` and
    `--include-agency`, given to the command by `with_input` as `reading: InputChoice`."""

    dayfirst: bool = False
    input_format: str | None = None
    include_agency: bool = False

    def load(self, sources: list[str], *, quiet: bool) -> tuple[ContractArrays, ReadResult]:
        """`load_history` of `sources` with these options."""
        return load_history(
            sources,
            dayfirst=self.dayfirst,
            input_format=self.input_format,
            quiet=quiet,
            include_agency=self.include_agency,
        )


def with_input(func: F) -> F:
    """Add the options of how HISTORY is read to a command; it receives them as
    `reading: InputChoice` (and loads with `reading.load(history, quiet=quiet)`)."""
    options = {
        "dayfirst": (DayfirstOpt, False),
        "input_format": (InputFormatOpt, None),
        "include_agency": (IncludeAgencyOpt, False),
    }
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, (kind, default) in options.items()
    ]
    return given_as(func, "reading", added, lambda values: InputChoice(**values))


def load_history(
    sources: list[str],
    *,
    dayfirst: bool,
    input_format: str | None,
    quiet: bool,
    include_agency: bool = False,
) -> tuple[ContractArrays, ReadResult]:
    """Read the histories, print their warnings on stderr, and build the engine's columns
    (`include_agency`: keep a work history's agency contracts, `--include-agency`)."""
    from jsscheck.cli.output import warn
    from jsscheck.engine.arrays import ContractArrays
    from jsscheck.history import read_histories

    result = read_histories(
        sources, dayfirst=dayfirst, input_format=input_format, include_agency=include_agency
    )
    if not quiet:
        for message in result.warnings:
            warn(message)
    return ContractArrays.from_contracts(result.contracts), result
