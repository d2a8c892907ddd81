"""The command line: `jsscheck COMMAND HISTORY... [options]` (CLI.md).

Each command lives in its own `cmd_*` module with a `register(app)` function; modules import
only typer at load time, and the engine, readers and renderers inside the command body.
"""

from __future__ import annotations

import importlib
import sys

#: The command modules, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "cmd_score",
    "cmd_explain",
    "cmd_rules",
    "cmd_validate",
    "cmd_import",
    "cmd_init",
    "cmd_snapshot",
    "cmd_timeline",
    "cmd_whatif",
    "cmd_forecast",
    "cmd_goal",
    "cmd_calibrate",
    "cmd_report",
    "cmd_help",
)

#: The module of each command and command group a command line can name; `register_commands`
#: imports only that one (each module costs 1-2 ms to import and its command ~5 ms to build).
MODULE_OF: dict[str, str] = {
    **{name.removeprefix("cmd_"): name for name in COMMAND_MODULES},
    "snapshots": "cmd_snapshot",
}

_registered: set[str] = set()


def register_commands(name: str | None = None) -> None:
    """Attach the commands to the app: only those of `name`'s module when `name` is a command
    or group, else every one; the app lists them in COMMAND_MODULES order either way."""
    from jsscheck.cli.app import app

    modules = [MODULE_OF[name]] if name in MODULE_OF else COMMAND_MODULES
    for module in modules:
        if module not in _registered:
            importlib.import_module(f"jsscheck.cli.{module}").register(app)
            _registered.add(module)
    rank = {module: k for k, module in enumerate(COMMAND_MODULES)}
    for infos in (app.registered_commands, app.registered_groups):
        # (a command added by other code, unknown here, goes last)
        infos.sort(key=lambda info: rank.get(MODULE_OF.get(info.name or "", ""), len(rank)))


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        # The fast path cron wrappers and scripts probe: no typer, no command modules.
        from jsscheck import __version__

        sys.stdout.write(f"jsscheck {__version__}\n")
        sys.exit(0)
    import signal

    try:
        # From here a Ctrl-C is a KeyboardInterrupt again, which run() reports (and which
        # removes a half-written file); until here jsscheck/__init__.py's handler exits quietly.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from jsscheck.cli.app import run

        code = run()
    except KeyboardInterrupt:  # Ctrl-C while typer itself is still loading
        if sys.stderr is not None:
            sys.stderr.write("jsscheck: interrupted\n")
        code = 130  # ExitCode.INTERRUPTED
    sys.exit(code)
