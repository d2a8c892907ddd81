"""The typer application and the one place where errors become messages and exit codes.

Only typer (and the click it wraps) is imported at module level: `jsscheck --help`,
`--version` and Tab completion must not pay for numpy or pandas.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from typing import Annotated

import typer

try:  # typer >= 0.29 vendors click as typer._click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - older typer on the real click
    from click.exceptions import ClickException, UsageError  # type: ignore[assignment]

from jsscheck import __version__
from jsscheck.errors import JsscheckError

#: Flags accepted anywhere on the command line, not only before the command.
GLOBAL_FLAGS = ("--debug", "--no-color")

app = typer.Typer(
    name="jsscheck",
    help="Make Upwork's Job Success Score transparent: compute, explain and simulate it "
    "from your own contract history. Your data never leaves this machine.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


class State:
    """Process-wide settings from the global flags."""

    debug = False
    no_color = False


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"jsscheck {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback when something goes wrong.")
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never use colour.")] = False,
) -> None:
    """jsscheck: your Upwork Job Success Score, explained."""


def _split_global_flags(args: list[str]) -> list[str]:
    """Take `--debug`/`--no-color` out wherever they stand (before a `--`)."""
    rest: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg == "--debug":
            State.debug = True
        elif arg == "--no-color":
            State.no_color = True
        else:
            rest.append(arg)
    return rest


def _stderr(line: str) -> None:
    try:
        sys.stderr.write(f"jsscheck: {line}\n")
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        pass


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _is_broken_pipe(exc: BaseException | None) -> bool:
    return isinstance(exc, OSError) and exc.errno == errno.EPIPE


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit code (CLI.md "Exit codes")."""
    from jsscheck.cli import register_commands

    # The flags are per run: a test (or a program) calling run() twice must not inherit --debug.
    State.debug = State.no_color = False
    args = _split_global_flags(list(sys.argv[1:] if argv is None else argv))
    if State.no_color:
        os.environ["NO_COLOR"] = "1"
    stdout, stderr = sys.stdout, sys.stderr
    try:
        register_commands()
        command = typer.main.get_command(app)
        result = command.main(args=args, prog_name="jsscheck", standalone_mode=False)
        sys.stdout.flush()
        if result == 130:  # typer turns a KeyboardInterrupt inside a command into Exit(130)
            _stderr("interrupted")
        return result if isinstance(result, int) else 0
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:
        # typer answers a broken pipe (`jsscheck timeline ... | head -1`) with sys.exit(1),
        # which would read as "an alert tripped": the reader simply stopped listening.
        if _is_broken_pipe(exc.__context__):
            sys.stdout, sys.stderr = stdout, stderr
            _silence_stdout()
            return 0
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except typer.Abort:
        _stderr("interrupted")
        return 130
    except ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, UsageError) else exc.exit_code
    except JsscheckError as exc:
        if State.debug:
            traceback.print_exc()
        for line in exc.lines():
            _stderr(line)
        return exc.exit_code
    except KeyboardInterrupt:
        _stderr("interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # the one place a bug becomes a message
        if State.debug:
            traceback.print_exc()
        else:
            _stderr(
                f"internal error ({type(exc).__name__}). This is a bug: please report it, "
                "with the output of the same command run with --debug."
            )
        return 70
