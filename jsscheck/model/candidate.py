"""A candidate for the displayed JSS: a window of N months, or Trending (MODEL.md 5-6).

Candidates are named "6m", "12m", … and "trending" in JSON documents (CLI.md); this type is
the one place those names are made and read back.
"""

from __future__ import annotations

from dataclasses import dataclass

_TRENDING_NAME = "trending"
#: The windows Trending is the mean of (MODEL.md 5).
TRENDING_WINDOWS = (3, 6)


@dataclass(frozen=True)
class Candidate:
    """A window of `months` months, or Trending when `months` is None."""

    months: int | None

    @classmethod
    def window(cls, months: int) -> Candidate:
        """The `months`-month window."""
        if months < 1:
            raise ValueError(f"a window has at least 1 month (got {months})")
        return cls(months)

    @classmethod
    def parse(cls, name: str) -> Candidate:
        """`"6m"` → the 6-month window, `"trending"` → Trending; ValueError otherwise."""
        text = name.strip().lower()
        if text == _TRENDING_NAME:
            return TRENDING
        number = text.removesuffix("m")
        if not number.isdigit():
            raise ValueError(f"not a candidate name: {name!r} (expected e.g. 6m or trending)")
        return cls.window(int(number))

    @property
    def is_trending(self) -> bool:
        return self.months is None

    @property
    def name(self) -> str:
        """`"6m"` or `"trending"`: the name in JSON documents."""
        return _TRENDING_NAME if self.months is None else f"{self.months}m"

    @property
    def windows(self) -> tuple[int, ...]:
        """The computed windows this candidate's score comes from."""
        return TRENDING_WINDOWS if self.months is None else (self.months,)

    @property
    def priority(self) -> tuple[int, int]:
        """Sort key of the tie-break order: the longest window first, Trending last (MODEL.md 6)."""
        return (1, 0) if self.months is None else (0, -self.months)

    def __str__(self) -> str:
        return self.name


TRENDING = Candidate(None)


def candidates_in_order(windows: tuple[int, ...], trending: bool) -> tuple[Candidate, ...]:
    """The candidates of a rule set in tie-break order (longest window first, Trending last)."""
    found = [Candidate.window(m) for m in set(windows)]
    if trending:
        found.append(TRENDING)
    return tuple(sorted(found, key=lambda c: c.priority))


def candidate_name(months: int) -> str:
    """`6` → `"6m"`."""
    return Candidate.window(months).name
