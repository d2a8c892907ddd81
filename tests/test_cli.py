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


def test_help_and_version_do_not_import_pandas_or_numpy() -> None:
    code = (
        "import sys\n"
        "from jsscheck.cli.app import run\n"
        "for args in (['--help'], ['--version'], ['score', '--help']):\n"
        "    run(args)\n"
        "heavy = [m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert "HEAVY=" in result.stderr
    assert result.stderr.split("HEAVY=")[1].strip() == ""


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
