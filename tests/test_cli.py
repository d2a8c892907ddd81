"""The command line as a user runs it: exit codes, JSON documents, help, and import cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import Invoke

from jsscheck.cli.app import run

ROOT = Path(__file__).resolve().parents[1]

HEADER = (
    "contract_id,client,title,start_date,end_date,last_payment_date,earnings,"
    "public_feedback,private_feedback,feedback_date,disputed,client_flagged,excluded,paid_periods"
)


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m jsscheck` as a user would (fresh process)."""
    return subprocess.run(
        [sys.executable, "-m", "jsscheck", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture()
def history(tmp_path: Path) -> Path:
    # Three successes (weight 1 each: $200, 5 days) and one 2-star contract, 4 clients:
    # every window holds all four on 2026-11-21: 100·(3 − 1)/4 = 50 → JSS 50.
    path = tmp_path / "history.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "1,A,One,2026-09-01,2026-09-06,2026-09-06,200,5,,,,,,",
                "2,B,Two,2026-09-10,2026-09-15,2026-09-15,200,5,,,,,,",
                "3,C,Three,2026-10-01,2026-10-06,2026-10-06,200,4.5,,,,,,",
                "4,D,Four,2026-11-01,2026-11-06,2026-11-06,200,2,,,,,,",
            ]
        )
        + "\n"
    )
    return path


def test_score_json_has_every_key_of_cli_md(invoke: Invoke, history: Path) -> None:
    result = invoke("score", str(history), "--as-of", "2026-11-21", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "jsscheck.score/1"
    assert set(doc) >= {
        "as_of",
        "computed_on",
        "rules",
        "jss",
        "best",
        "candidates",
        "contracts",
        "top_rated",
        "review_risk",
        "warnings",
    }
    assert doc["jss"] == 50
    assert doc["best"] == {"candidate": "24m", "score": 50.0}  # all windows tie: longest wins
    assert set(doc["candidates"]) == {"3m", "6m", "12m", "24m", "trending"}
    assert doc["candidates"]["trending"] == {"eligible": True, "score": 50.0}
    assert doc["rules"]["name"] == "upwork" and len(doc["rules"]["fingerprint"]) == 12
    assert set(doc["rules"]["params"]) >= {"formula", "no_feedback", "cadence", "min_clients"}
    assert doc["review_risk"] is True
    assert {c["contract_id"]: c["outcome"] for c in doc["contracts"]} == {
        "1": "success",
        "2": "success",
        "3": "success",
        "4": "negative",
    }


def test_score_table_leads_with_a_sentence_and_has_no_colour_codes_when_piped(
    history: Path,
) -> None:
    result = cli("score", str(history), "--as-of", "2026-11-21")
    assert result.returncode == 0
    assert result.stdout.startswith("Your JSS is 50% as of 2026-11-21 (24-month window")
    assert "\x1b[" not in result.stdout


def test_rule_flags_change_the_score(invoke: Invoke, history: Path) -> None:
    # --formula share: 100·3/4 = 75.
    result = invoke(
        "score", str(history), "--as-of", "2026-11-21", "--formula", "share", "-f", "json"
    )
    doc = json.loads(result.stdout)
    assert doc["jss"] == 75
    assert doc["rules"]["name"] == "upwork+formula=share"


def test_compare_puts_every_preset_side_by_side(invoke: Invoke, history: Path) -> None:
    result = invoke("score", str(history), "--as-of", "2026-11-21", "--compare", "-f", "json")
    doc = json.loads(result.stdout)
    assert [r["rules"]["name"] for r in doc["results"]] == [
        "upwork",
        "public-only",
        "legacy",
        "fair",
    ]
    # legacy needs 3 clients / 4 outcomes: 4 and 4 → eligible; count weighting gives 50 too.
    assert [r["jss"] for r in doc["results"]] == [50, 50, 50, 50]
    two = invoke(
        "score", str(history), "--as-of", "2026-11-21", "--compare", "--rules", "fair,legacy"
    )
    assert two.returncode == 0
    assert "fair: 50%; legacy: 50%" in two.stdout


def test_a_rules_file_extends_a_preset(invoke: Invoke, history: Path, tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text('extends = "upwork"\nformula = "share"\n')
    doc = json.loads(
        invoke(
            "score", str(history), "--as-of", "2026-11-21", "--rules-file", str(rules), "-f", "json"
        ).stdout
    )
    assert doc["jss"] == 75
    assert doc["rules"]["params"]["formula"] == "share"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["score", "missing.csv"], 66, "missing.csv"),
        (["score", "{history}", "--rules", "nonsense"], 2, "unknown rules preset 'nonsense'"),
        (["score", "{history}", "--as-of", "2026-13-01"], 2, "--as-of: not a date"),
        (["score", "{history}", "--no-feedback", "maybe"], 2, "--no-feedback: expected one of"),
        (["score", "{history}", "--format", "xml"], 2, "xml"),
        (["explain", "{history}", "--since", "2026-12-01", "--as-of", "2026-11-21"], 2, "--since"),
        (["rules", "show", "nonsense"], 2, "unknown rules preset"),
    ],
)
def test_documented_exit_codes(
    invoke: Invoke, history: Path, args: list[str], code: int, message: str
) -> None:
    result = invoke(*[a.replace("{history}", str(history)) for a in args])
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_data_exits_65_with_file_line_and_field(invoke: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n1,A,x,2026-02-30,,,100,5,,,,,,\n")
    result = invoke("score", str(bad))
    assert result.returncode == 65
    assert f"{bad}:2: start_date" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_internal_error_is_one_line_without_debug_and_a_traceback_with_it(
    monkeypatch: pytest.MonkeyPatch, history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsscheck.analyses.score

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(jsscheck.analyses.score, "score_report", broken)
    assert run(["score", str(history)]) == 70
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err and "Traceback" not in err
    assert run(["score", str(history), "--debug"]) == 70
    assert "Traceback" in capsys.readouterr().err
    # --debug is per run: the next run without it is one line again.
    assert run(["score", str(history)]) == 70
    assert "Traceback" not in capsys.readouterr().err


def test_history_from_stdin(history: Path) -> None:
    result = cli("score", "-", "--as-of", "2026-11-21", "-f", "json", stdin=history.read_text())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["jss"] == 50


def in_fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a new interpreter: what it imports is then its own doing."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_help_and_version_do_not_import_pandas_or_numpy() -> None:
    code = (
        "import sys\n"
        "from jsscheck.cli.app import run\n"
        "for args in (['--help'], ['--version'], ['score', '--help']):\n"
        "    run(args)\n"
        "heavy = [m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    result = in_fresh_python(code)
    assert "HEAVY=" in result.stderr
    assert result.stderr.split("HEAVY=")[1].strip() == ""


def test_score_loads_only_what_a_csv_history_needs() -> None:
    # Start-up is most of `score`'s run on a typical history (issue 16): a run imports its own
    # command, not the other eleven, nor the readers of Upwork's exports, nor pydantic (typer
    # 0.29 imported it for every run), nor numpy.ma (np.unique's lazy import), nor pandas.
    code = (
        "import sys, io, contextlib\n"
        "from jsscheck.cli.app import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = run(['score', {str(ROOT / 'sample_data' / 'history.csv')!r}, '-f', 'json'])\n"
        "assert code == 0, code\n"
        "sys.stderr.write('LOADED=' + ' '.join(sorted(sys.modules)))\n"
    )
    result = in_fresh_python(code)
    loaded = set(result.stderr.split("LOADED=")[1].split())
    assert "jsscheck.cli.cmd_score" in loaded and "jsscheck.history.canonical" in loaded
    unwanted = {
        "pydantic",
        "numpy.ma",
        "pandas",
        "tomllib",
        "jsscheck.cli.cmd_explain",
        "jsscheck.cli.cmd_snapshot",
        "jsscheck.history.weekly",
        "jsscheck.history.transactions",
        "jsscheck.history.graphql",
        "jsscheck.history.json_records",
        "jsscheck.engine.events",
    }
    assert sorted(unwanted & loaded) == []


def test_a_named_command_first_then_help_lists_every_command_in_order() -> None:
    # Only the named command's module is registered for a run; a later --help in the same
    # process (tests, an embedding program) still lists all of them in COMMAND_MODULES order.
    code = (
        "import io, contextlib\n"
        "from jsscheck.cli.app import run\n"
        "from jsscheck.cli.environment import MockEnvironment\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    run(['whatif', '--help'])\n"
        "env = MockEnvironment()\n"
        "run(['--help'], env=env)\n"
        "print(env.out)\n"
    )
    result = in_fresh_python(code)
    text = result.stdout
    order = ["score", "explain", "validate", "import", "snapshot ", "whatif", "report", "rules"]
    where = [text.find(f"│ {name}") for name in order]
    assert -1 not in where, text
    assert where == sorted(where), text


def test_version_prints_the_package_version() -> None:
    from jsscheck import __version__

    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"jsscheck {__version__}"


def test_rules_show_marks_assumptions(invoke: Invoke) -> None:
    result = invoke("rules", "show", "upwork", "-f", "json")
    doc = json.loads(result.stdout)
    assert doc["params"]["public_success"] == 4.5
    assert "public_success" in doc["assumptions"]
    table = invoke("rules", "show", "legacy")
    assert "assumption" in table.stdout and "idle_open_days" in table.stdout


def test_rules_show_toml_loads_back_as_a_rules_file(invoke: Invoke, tmp_path: Path) -> None:
    from jsscheck.model.rules import PRESETS, load_rules_file

    for name, rules in PRESETS.items():
        text = invoke("rules", "show", name, "-f", "toml").stdout
        path = tmp_path / f"{name}.toml"
        path.write_text(text)
        assert load_rules_file(path).params() == rules.params()


def test_validate_summarises_what_was_read(invoke: Invoke, history: Path) -> None:
    result = invoke("validate", str(history))
    assert result.returncode == 0
    assert result.stdout.startswith("OK: 4 contracts (0 open) with 4 clients")


def test_init_writes_a_template_that_validates(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "mine.csv"
    assert invoke("init", "-o", str(target)).returncode == 0
    assert target.read_text().startswith("# jsscheck contract history")
    assert os.stat(target).st_mode & 0o777 == 0o600
    result = invoke("validate", str(target))
    assert result.returncode == 0, result.stderr
    again = invoke("init", "-o", str(target))
    assert again.returncode == 73 and "--force" in again.stderr


def test_every_command_has_help_and_is_in_the_readme(invoke: Invoke) -> None:
    from jsscheck.cli import register_commands
    from jsscheck.cli.app import app

    register_commands()
    readme = (ROOT / "README.md").read_text()
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert "score" in names and "explain" in names
    for name in names:
        assert f"jsscheck {name}" in readme, f"`jsscheck {name}` is not in the README"
        result = invoke(name, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout


def test_no_command_has_two_options_of_one_name() -> None:
    # A command's own option named like a generated rule flag is shadowed by it (goal's
    # --public once was: `goal --public 4` read "4" as a history file).
    import typer

    from jsscheck.cli import register_commands
    from jsscheck.cli.app import app

    register_commands()
    group = typer.main.get_command(app)
    commands = list(group.commands.items())  # type: ignore[attr-defined]
    for name, command in list(commands):
        commands += [(f"{name} {n}", c) for n, c in getattr(command, "commands", {}).items()]
    assert len(commands) > 10
    for name, command in commands:
        seen = [o for p in command.params for o in (*p.opts, *p.secondary_opts)]
        repeated = sorted({o for o in seen if seen.count(o) > 1})
        assert not repeated, f"jsscheck {name}: {repeated} declared twice"


def test_explain_since_defaults_to_the_latest_snapshot_then_28_days(
    invoke: Invoke, history: Path, hermetic_environment: Path
) -> None:
    # No store yet: --since is 28 days before --as-of (2026-10-24).
    first = json.loads(
        invoke("explain", str(history), "--as-of", "2026-11-21", "-f", "json").stdout
    )
    assert first["since"] == "2026-10-24"
    # After a snapshot as of 2026-11-02 the default is that date.
    stored = invoke("snapshot", str(history), "--as-of", "2026-11-02", "--quiet")
    assert stored.returncode == 0, stored.stderr
    assert hermetic_environment.exists()
    doc = json.loads(invoke("explain", str(history), "--as-of", "2026-11-21", "-f", "json").stdout)
    assert doc["since"] == "2026-11-02"
    # 2026-11-02: three successes → 100; the 2-star contract ends 11-06 → 50 on 11-21.
    assert (doc["before"]["jss"], doc["after"]["jss"]) == (100, 50)


# --- user text printed exactly (issue 14's markup bug) -------------------------------------

HOSTILE_TITLES = ["[URGENT] fix", "Beta [bold]Corp", "tweaks [/red]"]


@pytest.fixture()
def hostile_history(tmp_path: Path) -> Path:
    # The same four contracts as `history` (JSS 50), with titles and a client name that are
    # rich markup: `[URGENT]` looks like a style, `[/red]` closes a tag never opened.
    path = tmp_path / "hostile.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "1,A,[URGENT] fix,2026-09-01,2026-09-06,2026-09-06,200,5,,,,,,",
                '2,"Beta [bold]Corp",Two,2026-09-10,2026-09-15,2026-09-15,200,5,,,,,,',
                "3,C,tweaks [/red],2026-10-01,2026-10-06,2026-10-06,200,4.5,,,,,,",
                "4,D,Four,2026-11-01,2026-11-06,2026-11-06,200,2,,,,,,",
            ]
        )
        + "\n"
    )
    return path


@pytest.mark.parametrize("output_format", ["table", "markdown", "csv"])
def test_titles_and_clients_that_look_like_markup_print_exactly(
    invoke: Invoke, hostile_history: Path, output_format: str
) -> None:
    result = invoke("score", hostile_history, "--as-of", "2026-11-21", "-f", output_format)
    assert result.code == 0, result.stderr
    for text in HOSTILE_TITLES:
        assert text in result.stdout, f"{text!r} not printed as written ({output_format})"
    assert "Beta Corp" not in result.stdout


def test_markup_in_titles_also_prints_exactly_on_a_colour_terminal(
    invoke: Invoke, hostile_history: Path
) -> None:
    result = invoke("score", hostile_history, "--as-of", "2026-11-21", tty=True)
    assert result.code == 0, result.stderr
    for text in HOSTILE_TITLES:
        assert text in result.stdout


def test_markdown_rows_are_the_table_rows(invoke: Invoke, hostile_history: Path) -> None:
    # The markdown table and the CSV are made from the same plain rows: each CSV row is a
    # markdown row with `|` separators.
    args = ("score", hostile_history, "--as-of", "2026-11-21", "-f")
    markdown = invoke(*args, "markdown").stdout
    csv_rows = invoke(*args, "csv").stdout.splitlines()
    assert csv_rows[0] == "Contract,Client,Outcome,Why,Weight,Anchor,Windows"
    assert "| 1 [URGENT] fix | A | success | feedback | 1 | 2026-09-06 | 3m 6m 12m 24m |" in (
        markdown
    )
    assert "1 [URGENT] fix,A,success,feedback,1,2026-09-06,3m 6m 12m 24m" in csv_rows


def test_markdown_of_a_legacy_rich_table_parses_its_markup_instead_of_stripping_it() -> None:
    from rich.markup import escape
    from rich.table import Table

    from jsscheck.render.markdown import table_markdown

    table = Table(title="T")
    table.add_column("Name")
    table.add_column("Outcome", justify="right")
    table.add_row(escape("Beta [bold]Corp"), "[green]success[/]")
    assert table_markdown(table) == (
        "**T**\n\n| Name | Outcome |\n|---|---:|\n| Beta [bold]Corp | success |"
    )


# --- one OutputFormat, one emit, the environment ------------------------------------------


@pytest.mark.parametrize("output_format", ["table", "json", "markdown"])
def test_every_format_of_validate_and_rules(
    invoke: Invoke, history: Path, output_format: str
) -> None:
    validate = invoke("validate", history, "-f", output_format)
    assert validate.code == 0, validate.stderr
    if output_format == "json":
        assert json.loads(validate.stdout)["contracts"] == 4
    else:
        assert "OK: 4 contracts (0 open) with 4 clients from 2026-09-01 to 2026-11-06." in (
            validate.stdout
        )
    listed = invoke("rules", "list", "-f", output_format)
    assert listed.code == 0 and "public-only" in listed.stdout


def test_validate_says_one_warning_not_one_warnings(invoke: Invoke, tmp_path: Path) -> None:
    # An unknown column is read with one warning.
    path = tmp_path / "h.csv"
    path.write_text("contract_id,client,start_date,earnings,colour\n1,A,2026-01-05,850,red\n")
    result = invoke("validate", path)
    assert result.code == 0, result.stderr
    assert result.stdout.strip().endswith("with 1 client from 2026-01-05 to 2026-01-05, 1 warning.")


def test_json_is_indented_only_for_a_person_at_a_terminal(invoke: Invoke, history: Path) -> None:
    piped = invoke("validate", history, "-f", "json").stdout
    terminal = invoke("validate", history, "-f", "json", tty=True).stdout
    assert piped.count("\n") == 1 and terminal.count("\n") > 5
    assert json.loads(piped) == json.loads(terminal)


def test_colour_only_on_a_terminal_and_never_with_no_color(invoke: Invoke, history: Path) -> None:
    from jsscheck.cli.environment import Environment, MockEnvironment

    coloured = MockEnvironment(stdout_isatty=True, color=True)
    assert coloured.colour_on() and not coloured.colour_on(stderr=True)
    assert not MockEnvironment(stdout_isatty=False, color=True).colour_on()
    assert not Environment.from_process(environ={"NO_COLOR": "1"}).color
    assert not Environment.from_process(no_color=True, environ={}).color
    assert Environment.from_process(environ={"COLUMNS": "60"}).width == 60
    # A run with --no-color on a colour terminal prints no escape codes.
    env = MockEnvironment(stdout_isatty=True, color=True)
    assert run(["score", str(history), "--as-of", "2026-11-21", "--no-color"], env=env) == 0
    assert "\x1b[" not in env.out and env.out.startswith("Your JSS is 50%")


def test_run_translates_errors_with_the_exit_code_enum_only() -> None:
    import ast
    import inspect

    from jsscheck.cli import app as app_module
    from jsscheck.errors import ExitCode

    source = inspect.getsource(app_module._run) + inspect.getsource(app_module.run)
    tree = ast.parse(source)
    in_slices = {id(n) for s in ast.walk(tree) if isinstance(s, ast.Slice) for n in ast.walk(s)}
    bare = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and type(node.value) is int and id(node) not in in_slices
    ]
    assert bare == []  # `sys.argv[1:]` aside, every code is an ExitCode member
    assert (ExitCode.USAGE, ExitCode.DATA_ERR, ExitCode.INTERRUPTED) == (2, 65, 130)


# --- rule flags, generated ----------------------------------------------------------------


def test_every_rule_parameter_has_one_generated_flag_in_the_rules_panel() -> None:
    from jsscheck.cli.options import rule_flags
    from jsscheck.model.rules import PARAM_NAMES

    flags = {flag.param: flag for flag in rule_flags()}
    assert tuple(flags) == PARAM_NAMES
    assert flags["zero_dollar"].metavar == "negative-only|exclude|count"
    assert flags["no_feedback"].metavar == "exclude|negative|neutral"
    assert flags["long_term_days"].metavar == "DAYS|none"
    assert flags["windows"].metavar == "MONTHS,..."
    assert flags["use_private"].decls == ("--private/--no-private",)
    assert flags["use_public"].decls == ("--public/--no-public",)


def test_a_date_or_none_parameter_gets_a_flag_automatically(invoke: Invoke) -> None:
    import dataclasses
    from datetime import date

    from jsscheck.cli.options import rule_flags
    from jsscheck.errors import UsageError
    from jsscheck.model import rules as model

    @dataclasses.dataclass(frozen=True)
    class Fake:
        name: str
        formula: str
        private_until: date | None

    tables = {**vars(model), "PARAM_HELP": {"private_until": "read private feedback until"}}
    formula, until = rule_flags(Fake, tables)
    assert (formula.kind, formula.metavar) == ("choice", "net|share")
    assert (until.kind, until.flag, until.metavar) == ("date", "--private-until", "DATE|none")
    assert until.help == "Read private feedback until."
    assert until.convert("2026-03-31") == "2026-03-31"
    assert until.convert("None") == "none"
    with pytest.raises(UsageError, match="--private-until: not a date"):
        until.convert("soon")


@pytest.mark.parametrize("spelling", ["negative-only", "negative_only", "Negative-Only"])
def test_choices_accept_both_spellings(invoke: Invoke, history: Path, spelling: str) -> None:
    result = invoke(
        "score", history, "--as-of", "2026-11-21", "--zero-dollar", spelling, "-f", "json"
    )
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["rules"]["params"]["zero_dollar"] == "negative_only"


def test_a_bad_choice_is_named_with_dashes(invoke: Invoke, history: Path) -> None:
    result = invoke("score", history, "--zero-dollar", "never")
    assert result.code == 2
    assert result.stderr == (
        "jsscheck: --zero-dollar: expected one of negative-only, exclude, count (got 'never')\n"
    )


def test_help_has_examples_a_rules_panel_and_no_python_types(invoke: Invoke) -> None:
    result = invoke("score", "--help", width=100)
    assert result.code == 0
    text = result.stdout
    assert "<list[str]>" not in text and "<bool>" not in text and "<str>" not in text
    assert "Examples" in text and text.index("Examples") < text.index("--as-of")
    assert "─ Rules ─" in text
    assert text.index("─ Options ─") < text.index("─ Rules ─") < text.index("--zero-dollar")
    assert "--no-feedback" in text and "exclude|negative|neutral" in text


def test_help_lists_the_commands_without_building_their_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `jsscheck --help` shows names and help texts only: building 12 commands' 25 rule flags
    # each made it 1.4x a one-command typer app's --help (issue 8 asks at most 1.3x).
    from jsscheck.cli import app as cli_app

    monkeypatch.delenv("_JSSCHECK_COMPLETE", raising=False)
    monkeypatch.setattr(cli_app, "_built", {})
    listing = cli_app._click_command(["--help"])
    score = listing.commands["score"]
    assert score.params == [] and score.help.startswith("The JSS as of a date")
    assert listing.commands["snapshots"].commands == {}
    # Shell completion completes options: it gets every command whole.
    monkeypatch.setattr(cli_app, "_built", {})
    monkeypatch.setenv("_JSSCHECK_COMPLETE", "complete_bash")
    whole = cli_app._click_command([])
    assert "as_of" in [p.name for p in whole.commands["score"].params]
    assert "show" in whole.commands["snapshots"].commands


def test_emit_prints_one_result_in_every_format() -> None:
    from jsscheck.cli.environment import MockEnvironment
    from jsscheck.cli.output import OutputFormat, Result, emit
    from jsscheck.errors import UsageError
    from jsscheck.render.rows import Column, table

    rows = table("Jobs", [Column("Title"), Column("Weight", "right")], [["[URGENT] fix", 2.5]])
    result = Result(document={"jobs": 1}, blocks=["Beta [bold]Corp said:", rows])
    expected = {
        OutputFormat.JSON: '{"jobs": 1}\n',
        OutputFormat.CSV: "Title,Weight\r\n[URGENT] fix,2.5\r\n",
        OutputFormat.MARKDOWN: "Beta [bold]Corp said:\n\n**Jobs**\n\n| Title | Weight |\n"
        "|---|---:|\n| [URGENT] fix | 2.5 |\n",
    }
    for output_format in OutputFormat:
        env = MockEnvironment()
        if output_format == OutputFormat.TOML:
            with pytest.raises(UsageError, match="no --format toml"):
                emit(result, output_format, env)
            continue
        emit(result, output_format, env)
        if output_format == OutputFormat.TABLE:
            lines = [line.rstrip() for line in env.out.splitlines()]
            assert lines[:3] == ["Beta [bold]Corp said:", "", "Jobs"]
            assert "│ [URGENT] fix │    2.5 │" in env.out
        else:
            assert env.out == expected[output_format]


def test_emit_says_a_results_warnings_first_except_in_json_and_when_quiet() -> None:
    from jsscheck.cli.environment import MockEnvironment
    from jsscheck.cli.output import Result, emit

    result = Result(document={"warnings": ["w"]}, blocks=["Score: 88%"], warnings=["Short data."])
    for output_format, quiet, said in (
        ("table", False, "jsscheck: warning: Short data.\n"),
        ("markdown", False, "jsscheck: warning: Short data.\n"),
        ("table", True, ""),
        ("json", False, ""),  # the document carries its warnings
    ):
        env = MockEnvironment()
        emit(result, output_format, env, quiet=quiet)
        assert env.err == said
        assert env.out  # the result itself is printed either way


# --- narrow terminals and dates on the command line (issue 19) -------------------------------


@pytest.mark.parametrize("width", [40, 60, 120])
def test_narrow_tables_wrap_text_and_keep_numbers_and_dates_whole(width: int) -> None:
    from rich.console import Console

    from jsscheck.render.rows import Column, table, to_rich

    plain_table = table(
        "Contracts",
        (Column("Contract"), Column("Why"), Column("Weight", "right"), Column("Anchor", keep=True)),
        [
            ["40314000 Logo redesign for a very long client name", "ended without feedback",
             "1234.75", "2026-11-01"],
            ["Short", "feedback", "0.5", "2025-01-09"],
        ],
    )  # fmt: skip
    console = Console(width=width, no_color=True, record=True)
    console.print(to_rich(plain_table))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    cells = {cell.strip() for line in text.splitlines() for cell in line.split("│")}
    assert {"1234.75", "0.5", "2026-11-01", "2025-01-09"} <= cells
    assert "…" not in text
    # Text wraps or folds but loses nothing: every letter of the title is still there.
    title_letters = "".join(
        line.split("│")[1].strip() for line in text.splitlines() if line.count("│") > 2
    )
    assert "Logoredesign" in title_letters.replace(" ", "")


def test_date_options_take_dayfirst_explicitly_or_from_the_command() -> None:
    from datetime import date

    from jsscheck.cli.options import parse_date_option
    from jsscheck.errors import UsageError

    assert parse_date_option("03/04/2026", "--as-of") == date(2026, 3, 4)
    assert parse_date_option("03/04/2026", "--as-of", dayfirst=True) == date(2026, 4, 3)
    assert parse_date_option(None, "--to", default=date(2026, 1, 2)) == date(2026, 1, 2)
    with pytest.raises(UsageError, match="--since: not a date"):
        parse_date_option("2026-02-30", "--since")
