"""The local snapshot store (SQLite) and the snapshot document round trip.

`sqlite` opens the file only once its bytes say it is ours, and migrates it; `snapshots` holds
the `Snapshot` type and the queries; `document` turns a score document into a snapshot.
"""

from __future__ import annotations

from jsscheck.store.document import snapshot_from_document
from jsscheck.store.snapshots import (
    DEFAULT_PROFILE,
    Forgotten,
    Saved,
    Snapshot,
    SnapshotStore,
    utc_timestamp,
)
from jsscheck.store.sqlite import default_store_path

__all__ = [
    "DEFAULT_PROFILE",
    "Forgotten",
    "Saved",
    "Snapshot",
    "SnapshotStore",
    "default_store_path",
    "snapshot_from_document",
    "utc_timestamp",
]
