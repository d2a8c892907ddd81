"""Which rules reproduce the JSS Upwork showed? Fitting MODEL.md's unknown parameters.

The user records observations (a date and the JSS Upwork displayed on it); the search finds the
rule sets whose displayed JSS equals every observation, ranks them by how many observations they
reproduce exactly and then by the mean absolute error (MAE) of the unrounded best score, and
reports what the data decides and what it cannot.

- `observations`: reading them from a `date,jss` CSV or from snapshots;
- `space`: the searched parameters, the cut-off classes, what is pruned;
- `reduce`: contracts summed into groups by reading pattern and footprint;
- `sums`: the window sums of every signal class from the groups;
- `search`: the search itself, every MODEL.md step done by the engine;
- `result`: the frozen result the renderers turn into words.
"""

from __future__ import annotations

from jsscheck.analyses.calibrate.observations import (
    ConflictingSnapshots,
    Observation,
    observations_from_snapshots,
    read_observations,
    read_observations_csv,
)
from jsscheck.analyses.calibrate.result import Calibration, Group, Prediction
from jsscheck.analyses.calibrate.search import Progress, calibrate
from jsscheck.analyses.calibrate.space import (
    CATEGORICAL_VALUES,
    CUTOFF_GRIDS,
    CUTOFF_PARAMS,
    READING_VALUES,
    SEARCHED,
    SearchSpace,
    Unused,
)

__all__ = [
    "CATEGORICAL_VALUES",
    "CUTOFF_GRIDS",
    "CUTOFF_PARAMS",
    "READING_VALUES",
    "SEARCHED",
    "Calibration",
    "ConflictingSnapshots",
    "Group",
    "Observation",
    "Prediction",
    "Progress",
    "SearchSpace",
    "Unused",
    "calibrate",
    "observations_from_snapshots",
    "read_observations",
    "read_observations_csv",
]
