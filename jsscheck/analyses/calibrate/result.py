"""What `calibrate` found, as values: the groups of rule sets, the predictions, the space."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jsscheck.analyses.calibrate.observations import Observation
from jsscheck.analyses.calibrate.space import SEARCHED, SearchSpace
from jsscheck.model.rules import RuleSet


@dataclass(frozen=True)
class Prediction:
    """What the representative rules show on an observation date (computed by the engine)."""

    observation: Observation
    computed_on: date
    jss: int | None
    score: float | None
    window: str | None
    #: Whether any rule set of the search reproduces this observation.
    explainable: bool

    @property
    def matches(self) -> bool:
        return self.jss == self.observation.jss


@dataclass(frozen=True)
class Group:
    """Rule sets that reproduce exactly the same observations."""

    matches: int
    mae_min: float
    mae_max: float
    #: how many grid rule sets the group stands for.
    size: int
    #: parameter → every value found in the group (marginals), in search order.
    values: dict[str, tuple[Any, ...]]
    representative: RuleSet
    representative_mae: float
    reproduced: tuple[bool, ...]

    def agreed(self, space: SearchSpace) -> dict[str, Any]:
        """Parameters with one value in the group that the search could vary."""
        return {
            name: values[0]
            for name, values in self.values.items()
            if len(values) == 1 and space.contested(name)
        }

    def undecided(self) -> dict[str, tuple[Any, ...]]:
        """Parameters with several values in the group."""
        return {name: values for name, values in self.values.items() if len(values) > 1}


@dataclass(frozen=True)
class Calibration:
    """The result of `calibrate`: everything the renderers need."""

    base: RuleSet
    observations: tuple[Observation, ...]
    space: SearchSpace
    groups: tuple[Group, ...]
    predictions: tuple[Prediction, ...]
    elapsed: float

    @property
    def best(self) -> Group:
        return self.groups[0]

    @property
    def winner(self) -> RuleSet:
        """The representative of the best group: what `--write-rules` writes."""
        return self.best.representative

    @property
    def unexplained(self) -> tuple[Observation, ...]:
        """Observations that no rule set of the search reproduces."""
        return tuple(p.observation for p in self.predictions if not p.explainable)

    @property
    def missed(self) -> tuple[Prediction, ...]:
        """Observations the representative of the best group does not reproduce."""
        return tuple(p for p in self.predictions if not p.matches)

    @property
    def last_missed(self) -> Prediction | None:
        """The latest observation, when the winner does not reproduce it (else None).

        The latest observation is what Upwork shows now: rules that miss it are the wrong
        rules to score today's history with, whatever they do on older dates.
        """
        last = max(self.predictions, key=lambda p: p.observation.day)
        return None if last.matches else last

    @property
    def undecided(self) -> list[str]:
        """Parameters the observations cannot settle: several fit, or none can matter."""
        names = set(self.best.undecided()) | set(self.space.irrelevant)
        return [name for name in SEARCHED if name in names and name not in self.space.pinned]
