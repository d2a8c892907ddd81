"""Writing files the crash-only way: a temp file beside the target, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from jsscheck.errors import OutputError


def write_atomic(path: str | Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write `data` to `path` so a crash leaves the old file or none, never half of one.

    The file is created with `mode` (0600: it holds contract data), not chmod-ed afterwards.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot create the file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: cannot write the file ({exc.strerror})") from None
        raise
