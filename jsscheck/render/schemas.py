"""Every JSON document id jsscheck writes or reads, in one place (CLI.md "JSON documents").

A document's `schema` names its shape and version; bump the number here when a shape changes
incompatibly, and nowhere else.
"""

from __future__ import annotations

HISTORY = "jsscheck.history/1"
SCORE = "jsscheck.score/1"
COMPARE = "jsscheck.compare/1"
EXPLAIN = "jsscheck.explain/2"
WHATIF = "jsscheck.whatif/2"
CLOSE_OPEN = "jsscheck.close_open/1"
FORECAST = "jsscheck.forecast/2"
GOAL = "jsscheck.goal/2"
TIMELINE = "jsscheck.timeline/1"
CALIBRATE = "jsscheck.calibrate/1"
RULES = "jsscheck.rules/1"
TERMS = "jsscheck.terms/1"
VALIDATE = "jsscheck.validate/1"
SNAPSHOT = "jsscheck.snapshot/1"
SNAPSHOTS = "jsscheck.snapshots/1"
#: 2: explain's attribution keys of MODEL.md v2 (status, change, contributions with events,
#: unattributed, steps) instead of version 1's attributed_in / window_switch / floor_effect.
SNAPSHOT_DIFF = "jsscheck.snapshot-diff/2"

#: Every id above, for tests that check documents name a known schema.
ALL: frozenset[str] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
