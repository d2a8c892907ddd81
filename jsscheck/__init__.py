"""jsscheck: make Upwork's Job Success Score transparent."""

# The C module: `signal` builds enums, too slow for the first milliseconds of a run.
import _signal  # type: ignore[import-not-found]
import sys as _sys

__version__ = "0.1.0"


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before the command line is ready: a plain word and exit 130, no traceback.
    `jsscheck.cli.main` puts Python's own handler back once it can report an interrupt."""
    try:
        _sys.stderr.write("jsscheck: interrupted\n")
        _sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass
    raise SystemExit(128 + signum)


# Only the `jsscheck` program gets this (not a program or test that imports the package).
if (_sys.argv[0] if _sys.argv else "").replace("\\", "/").rsplit("/", 1)[-1] == "jsscheck":
    try:  # noqa: SIM105 (contextlib is not loaded yet: every millisecond counts here)
        _signal.signal(_signal.SIGINT, _interrupted_while_starting)
    except (ValueError, OSError):  # not the main thread: leave it alone
        pass
