"""What Upwork showed: observations from a `date,jss` CSV or from snapshots' observed JSS."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from jsscheck.errors import InputNotFoundError, InvalidInputError, Problem, UsageError
from jsscheck.history.values import ValueProblem, parse_day
from jsscheck.model.days import option_day_problem


@dataclass(frozen=True)
class Observation:
    """The JSS Upwork displayed on `day`, and where we read it (`file:line` or snapshot id)."""

    day: date
    jss: int
    source: str
    #: The source gave no date (a saved profile response): `day` is the day it was read.
    undated: bool = False


@dataclass(frozen=True)
class ConflictingSnapshots:
    """Two snapshots recorded different observed JSS for one day; the later one is used."""

    day: date
    earlier: Observation
    later: Observation


_EXAMPLE = "2026-11-21,84"


def read_observations(
    path: str | Path, dayfirst: bool = False, today: date | None = None
) -> list[Observation]:
    """What `calibrate --observed FILE` names: a CSV of `date,jss` rows
    (`read_observations_csv`), or a saved profile response of Upwork's API holding
    `jobSuccessScore`, which has no date: one observation on `today` (default: the system
    date), marked `undated`.
    """
    if _is_json(Path(path)):
        from jsscheck.history.graphql import read_observed_jss

        day = today if today is not None else date.today()
        return [Observation(day, read_observed_jss(str(path)), str(path), undated=True)]
    return read_observations_csv(path, dayfirst)


def _is_json(file: Path) -> bool:
    """Whether the file starts like a JSON object (a saved API response), not a CSV."""
    try:
        with file.open("rb") as handle:
            head = handle.read(256)
    except OSError:
        return False  # the CSV reader says what is wrong with it
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"


def read_observations_csv(path: str | Path, dayfirst: bool = False) -> list[Observation]:
    """A CSV of `date,jss` rows (header optional): every bad row is a problem with its line.
    Dates in any form a history accepts (`dayfirst` reads DD/MM/YYYY, as `--dayfirst` does).

    Raises `InputNotFoundError` (66) when the file cannot be opened, `InvalidInputError` (65)
    listing every problem otherwise.
    """
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputNotFoundError(
            f"{file}: observations file not found",
            hint="give a CSV of date,jss rows, or a saved profile response of Upwork's API",
        ) from None
    except IsADirectoryError:
        raise InputNotFoundError(f"{file}: is a directory, not an observations file") from None
    except OSError as exc:
        raise InputNotFoundError(f"{file}: cannot open the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidInputError(
            [Problem(str(file), "", "", "not UTF-8 text", fix="save the CSV as UTF-8")]
        ) from None

    problems: list[Problem] = []
    found: dict[date, Observation] = {}
    name = str(file)
    fix_date = "write dates as YYYY-MM-DD, e.g. 2026-11-21"
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        if number == 1 and [c.lower() for c in cells] == ["date", "jss"]:
            continue
        where = str(number)
        if len(cells) != 2:
            problems.append(
                Problem(
                    name,
                    where,
                    "",
                    f"expected 2 columns (date,jss), found {len(cells)}",
                    fix=f"write one date and the JSS Upwork showed on it, e.g. {_EXAMPLE}",
                )
            )
            continue
        raw_day, raw_jss = cells
        try:
            day = parse_day(raw_day, dayfirst)
        except ValueProblem as bad:
            problems.append(Problem(name, where, "date", bad.problem, raw_day, bad.fix or fix_date))
            continue
        out_of_range = option_day_problem(day)
        if out_of_range is not None:
            # The file is what --observed names: a date the engine cannot score is a usage
            # error, like such a date given as --as-of.
            raise UsageError(
                f"{name}:{where}: date: {day} is out of range",
                hint=f"the date {out_of_range}; {fix_date}",
            )
        value = _parse_percent(raw_jss)
        if value is None:
            problems.append(
                Problem(
                    name,
                    where,
                    "jss",
                    "not a whole percent from 0 to 100",
                    raw_jss,
                    f"write the JSS Upwork showed, e.g. {_EXAMPLE} or 2026-11-21,84%",
                )
            )
            continue
        earlier = found.get(day)
        if earlier is not None and earlier.jss != value:
            problems.append(
                Problem(
                    name,
                    where,
                    "jss",
                    f"{day} is already observed as {earlier.jss}% on line {earlier.source}",
                    raw_jss,
                    "keep one value per date",
                )
            )
            continue
        found[day] = Observation(day, value, where)
    if problems:
        raise InvalidInputError(problems)
    if not found:
        raise InvalidInputError(
            [Problem(name, "", "", "no observations", fix="add rows like 2026-11-21,84")]
        )
    return [replace(o, source=f"{name}:{o.source}") for o in sorted(found.values(), key=by_day)]


def _parse_percent(text: str) -> int | None:
    cleaned = text.removesuffix("%").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if not math.isfinite(number) or number != int(number) or not 0 <= number <= 100:
        return None
    return int(number)


def by_day(observation: Observation) -> date:
    """Sort key: the observation's date."""
    return observation.day


def observations_from_snapshots(
    snapshots: Iterable[Any],
) -> tuple[list[Observation], list[ConflictingSnapshots]]:
    """The snapshots that recorded an observed JSS (`.as_of`, `.observed_jss`, `.id`).

    When one date was observed twice with different values, the latest snapshot wins and the
    conflict is returned so the caller can say so.
    """
    found: dict[date, Observation] = {}
    conflicts: list[ConflictingSnapshots] = []
    for snapshot in snapshots:
        if snapshot.observed_jss is None:
            continue
        day = date.fromisoformat(snapshot.as_of)
        observation = Observation(day, int(snapshot.observed_jss), f"snapshot {snapshot.id}")
        earlier = found.get(day)
        if earlier is not None and earlier.jss != observation.jss:
            conflicts.append(ConflictingSnapshots(day, earlier, observation))
        found[day] = observation
    return sorted(found.values(), key=by_day), conflicts
