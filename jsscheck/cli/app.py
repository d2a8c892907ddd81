"""The typer application and the one place where errors become messages and exit codes.

Only typer (and the click it wraps) is imported at module level: `jsscheck --help`,
`--version` and Tab completion must not pay for numpy or pandas.
"""

from __future__ import annotations

import errno
import io
import os
import sys
import traceback
from typing import Annotated, Any

import typer

# typer vendors click (0.28 and later)
from typer._click.exceptions import ClickException, UsageError

from jsscheck import __version__
from jsscheck.cli.environment import Environment, using
from jsscheck.errors import ExitCode, JsscheckError

app = typer.Typer(
    name="jsscheck",
    help="Make Upwork's Job Success Score transparent: compute, explain and simulate it "
    "from your own contract history. Your data never leaves this machine.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


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


def _split_global_flags(args: list[str]) -> tuple[list[str], bool, bool]:
    """Take `--debug`/`--no-color` out wherever they stand (before a `--`):
    (the other arguments, debug, no colour)."""
    rest: list[str] = []
    debug = no_color = False
    for index, arg in enumerate(args):
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg == "--debug":
            debug = True
        elif arg == "--no-color":
            no_color = True
        else:
            rest.append(arg)
    return rest, debug, no_color


def _stderr(env: Environment, line: str) -> None:
    try:
        env.stderr.write(f"jsscheck: {line}\n")
        env.stderr.flush()
    except (BrokenPipeError, OSError, ValueError):
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


class _ClosedStream(io.TextIOBase):
    """Stands in for a standard stream the process was started without (`>&-`): writing to
    it fails the way a closed descriptor does, so the run ends with exit 74 and a message."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def isatty(self) -> bool:
        return False


def _open_missing_streams() -> None:
    """Give a closed stdout a stand-in that reports the failure, and a closed stderr
    /dev/null: no message can be shown then, but the exit code must stay the real one."""
    if sys.stdout is None:
        sys.stdout = _ClosedStream("standard output")
    if sys.stderr is None:
        try:
            sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (process-long)
        except OSError:
            sys.stderr = io.StringIO()


#: What to do about an output error, by errno.
_IO_ADVICE = {
    errno.ENOSPC: ("the disk is full", "free some space, or send the output elsewhere"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, or send the output elsewhere"),
    errno.EBADF: ("the output is closed", "run the command with its output open (not >&-)"),
    errno.EIO: ("the device reported an input/output error", "check the disk or terminal"),
}


def _io_error_line(exc: OSError) -> str:
    """One line for an input/output error nothing else handled (exit 74)."""
    from jsscheck.model.text import visible

    what, advice = _IO_ADVICE.get(
        exc.errno or 0, (exc.strerror or str(exc), "check the disk and try again")
    )
    if exc.filename:
        return f"cannot read or write {visible(exc.filename)}: {what} — {advice}"
    return f"cannot write the output: {what} — {advice}"


def run(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run the command line and return the exit code (CLI.md "Exit codes").

    `env` replaces the process's streams and terminal facts (tests pass a MockEnvironment);
    `--debug` and `--no-color` are per run.
    """
    args, debug, no_color = _split_global_flags(list(sys.argv[1:] if argv is None else argv))
    if env is None:
        _open_missing_streams()
        env = Environment.from_process(no_color=no_color, debug=debug)
    else:
        env.debug = env.debug or debug
        env.color = env.color and not no_color
    with using(env):
        return _run(args, env)


#: Click commands already built, by the command name they hold (None: the listing of every
#: command, "*": every command whole).
_built: dict[str | None, Any] = {}


def _click_command(args: list[str]) -> Any:
    """The click command for this command line, built once per process.

    Building every command's click parameters costs about 0.2 s (12 commands, 25 rule flags
    each), so a run naming one command gets an app holding only that command; `--help`
    alone, a typo or no command get a listing of every command's name and help (no
    parameters), and shell completion the whole app.
    """
    import copy

    from jsscheck.cli import register_commands

    name = next((a for a in args if not a.startswith("-")), None)
    register_commands(name)
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    key = name if commands or groups else None
    if key is None and "_JSSCHECK_COMPLETE" in os.environ:
        return whole_command()  # shell completion (click's variable) completes every option
    if key not in _built:
        chosen = copy.copy(app)
        if key is not None:
            chosen.registered_commands, chosen.registered_groups = commands, groups
        else:
            # No command named (--help, a typo): only the names and help texts are shown, so
            # the commands are built without their parameters (25 rule flags each).
            chosen.registered_commands = [_listed(c) for c in app.registered_commands]
            chosen.registered_groups = [_listed_group(g) for g in app.registered_groups]
        _built[key] = typer.main.get_command(chosen)
    return _built[key]


def whole_command() -> Any:
    """The click group of every command with all its parameters (shell completion; tests
    that walk the commands)."""
    from jsscheck.cli import register_commands

    register_commands()
    if "*" not in _built:
        _built["*"] = typer.main.get_command(app)
    return _built["*"]


def _no_parameters() -> None:
    """Stands in for a command that is only listed (see `_click_command`)."""


def _listed(info: Any) -> Any:
    """A command as `--help` lists it: its name and help, no parameters."""
    import copy
    import inspect

    listed = copy.copy(info)
    listed.help = info.help or inspect.getdoc(info.callback)
    listed.callback = _no_parameters
    return listed


def _listed_group(info: Any) -> Any:
    """A command group as `--help` lists it: its name and help, no commands."""
    import copy

    listed = copy.copy(info)
    listed.help = info.help or info.typer_instance.info.help
    listed.typer_instance = typer.Typer(help=listed.help)
    return listed


def _run(args: list[str], env: Environment) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    try:
        command = _click_command(args)
        result = command.main(args=args, prog_name="jsscheck", standalone_mode=False)
        env.stdout.flush()
        if result == ExitCode.INTERRUPTED:  # typer's Exit(130) for a Ctrl-C inside a command
            _stderr(env, "interrupted")
        return int(result) if isinstance(result, int) else ExitCode.OK
    except typer.Exit as exc:
        return int(exc.exit_code)
    except SystemExit as exc:
        # typer answers a broken pipe (`jsscheck timeline ... | head -1`) with sys.exit(1),
        # which would read as "an alert tripped": the reader simply stopped listening.
        if _is_broken_pipe(exc.__context__):
            sys.stdout, sys.stderr = stdout, stderr
            _silence_stdout()
            return ExitCode.OK
        code = exc.code
        if code is None:
            return ExitCode.OK
        return code if isinstance(code, int) else ExitCode.ALERT
    except typer.Abort:
        _stderr(env, "interrupted")
        return ExitCode.INTERRUPTED
    except ClickException as exc:
        exc.show(file=env.stderr)
        return ExitCode.USAGE if isinstance(exc, UsageError) else exc.exit_code
    except JsscheckError as exc:
        if env.debug:
            traceback.print_exc(file=env.stderr)
        from jsscheck.model.text import visible

        for line in exc.lines():
            _stderr(env, visible(line))
        return exc.exit_code
    except KeyboardInterrupt:
        _stderr(env, "interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except OSError as exc:  # stdout on a full disk, closed, a device failing: CLI.md exit 74
        if env.debug:
            traceback.print_exc(file=env.stderr)
        _stderr(env, _io_error_line(exc))
        _silence_stdout()  # what could not be written must not fail again at exit
        return ExitCode.IO_ERR
    except Exception as exc:  # the one place a bug becomes a message
        if env.debug:
            traceback.print_exc(file=env.stderr)
        else:
            _stderr(
                env,
                f"internal error ({type(exc).__name__}). This is a bug: please report it, "
                "with the output of the same command run with --debug.",
            )
        return ExitCode.SOFTWARE
