"""`jsscheck import` and the canonical writer: merged exports out as CSV or JSON that read
back to the same contracts."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from helpers import Invoke

from jsscheck.errors import OutputError
from jsscheck.history import read_histories
from jsscheck.model.contract import FIELDS, Contract
from jsscheck.render.history_file import contracts_to_csv, contracts_to_json, write_contracts

DATA = Path(__file__).parent / "data" / "history"
EXPORTS = [
    str(DATA / name)
    for name in ("work_history.json", "weekly_2025.csv", "weekly_2026.csv", "my_additions.csv")
]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run the real command line in-process; returns (exit code, stdout, stderr)."""
    from jsscheck import cli
    from jsscheck.cli import cmd_import
    from jsscheck.cli.app import app, run

    cli.register_commands()
    if "cmd_import" not in cli.COMMAND_MODULES:  # until the lead lists it
        registered = {command.name for command in app.registered_commands}
        if "import" not in registered:
            cmd_import.register(app)

    def invoke(*args: str) -> tuple[int, str, str]:
        code = run(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def test_import_to_stdout_is_canonical_csv_that_reads_back(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli("import", *EXPORTS)
    assert code == 0
    assert out.splitlines()[0] == ",".join(FIELDS)
    assert out.splitlines()[1] == (
        '41234567,c-acme,"Landing page, v2",2025-11-03,2026-02-11,2026-02-16,850.0,5.0,,'
        "2026-02-12,false,false,false,1"
    )
    assert "contract 41234567: end_date is 2026-02-10" in err
    (tmp_path / "out.csv").write_text(out)
    assert read_histories([str(tmp_path / "out.csv")]).contracts == (
        read_histories([str(DATA / "upwork_equivalent.csv")]).contracts
    )


def test_import_to_a_json_file_picks_json_from_the_name(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "history.json"
    code, out, err = run_cli("import", *EXPORTS, "-o", str(target))
    assert code == 0
    assert out == ""
    assert f"wrote 5 contracts to {target}" in err
    document = json.loads(target.read_text())
    assert document["schema"] == "jsscheck.history/1"
    assert document["contracts"][3] == {
        "contract_id": "41234571", "client": "c-umbrella", "title": "Old audit",
        "start_date": "2024-05-01", "end_date": "2024-05-20", "last_payment_date": None,
        "earnings": 120.0, "public_feedback": 4.6, "private_feedback": None,
        "feedback_date": "2024-05-22", "disputed": False, "client_flagged": False,
        "excluded": False, "paid_periods": None,
    }  # fmt: skip
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert read_histories([str(target)]).contracts == read_histories(EXPORTS).contracts


def test_format_option_overrides_the_file_name(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "history.txt"
    assert run_cli("import", *EXPORTS, "-o", str(target), "--format", "json", "-q")[0] == 0
    assert target.read_text().startswith("{")


def test_an_unknown_output_format_is_a_usage_error(run_cli) -> None:
    code, _out, err = run_cli("import", *EXPORTS, "--format", "xlsx")
    assert code == 2
    assert "'xlsx' is not an import format" in err


def test_invalid_input_writes_nothing_and_exits_65(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "history.csv"
    code, out, err = run_cli("import", str(DATA / "weekly_2025.csv"), "-o", str(target))
    assert code == 65
    assert "not known for contract 41234568" in err
    assert not target.exists()


def test_an_unwritable_output_exits_73(run_cli, tmp_path: Path) -> None:
    code, _out, err = run_cli("import", *EXPORTS, "-o", str(tmp_path / "no" / "such" / "h.csv"))
    assert code == 73
    assert "cannot create the file" in err


def test_a_missing_input_exits_66(run_cli, tmp_path: Path) -> None:
    assert run_cli("import", str(tmp_path / "nope.json"))[0] == 66


# ------------------------------------------------------------------------------ the writer


def test_text_cells_that_look_like_formulas_are_protected() -> None:
    contract = Contract(
        contract_id="-1", client="=HYPERLINK(1)", title="\tTabbed", start_date=date(2026, 1, 1),
        earnings=12.5, end_date=None, disputed=True,
    )  # fmt: skip
    line = contracts_to_csv([contract]).splitlines()[1]
    assert line == "'-1,'=HYPERLINK(1),'\tTabbed,2026-01-01,,,12.5,,,,true,false,false,"


def test_plain_text_and_numbers_are_left_alone() -> None:
    contract = Contract(
        contract_id="7", client="Acme @ home", title="a+b", start_date=date(2026, 1, 1),
        earnings=0.0, public_feedback=4.75, private_feedback=9, paid_periods=3,
    )  # fmt: skip
    line = contracts_to_csv([contract]).splitlines()[1]
    assert line == "7,Acme @ home,a+b,2026-01-01,,,0.0,4.75,9,,false,false,false,3"


def test_csv_and_json_round_trip(tmp_path: Path) -> None:
    contracts = read_histories([str(DATA / "canonical.csv")]).contracts
    (tmp_path / "a.csv").write_text(contracts_to_csv(contracts))
    (tmp_path / "a.json").write_text(contracts_to_json(contracts))
    assert read_histories([str(tmp_path / "a.csv")]).contracts == contracts
    assert read_histories([str(tmp_path / "a.json")]).contracts == contracts


def test_writing_replaces_the_file_atomically_and_privately(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "history.csv"
    target.write_text("old")
    os.chmod(target, 0o644)
    contracts = read_histories([str(DATA / "canonical.csv")]).contracts
    write_contracts(contracts, target, "csv")
    assert target.read_bytes().decode() == contracts_to_csv(contracts)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["history.csv"]  # no temp file left


def test_writing_into_a_missing_directory_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_contracts([], tmp_path / "missing" / "h.csv", "csv")
    assert caught.value.exit_code == 73


# ------------------------------------------------------------------------------ issue 17: -o FILE


def test_an_existing_output_is_never_replaced_silently(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "mine.csv"
    target.write_text("my own notes\n")
    code, _out, err = run_cli("import", *EXPORTS, "-o", str(target))
    assert code == 73
    assert f"{target} already exists: not replaced" in err
    assert "--update" in err and "--force" in err
    assert target.read_text() == "my own notes\n"
    assert run_cli("import", *EXPORTS, "-o", str(target), "--force", "-q")[0] == 0
    assert target.read_text().startswith("contract_id,")


def test_force_and_update_together_are_a_usage_error(run_cli, tmp_path: Path) -> None:
    code, _out, err = run_cli("import", *EXPORTS, "-o", str(tmp_path / "h.csv"), "--force",
                              "--update")  # fmt: skip
    assert code == 2
    assert "--force and --update cannot be used together" in err


def test_rerunning_import_after_editing_the_output_loses_nothing(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "mine.csv"
    assert run_cli("import", *EXPORTS, "-o", str(target), "-q")[0] == 0
    lines = target.read_text().splitlines()
    # Edits by hand: Globex's contract gets a private score and an end date, Old audit's client
    # is renamed, and a $0 contract with a 1-star review that no export lists is added.
    edited = []
    for line in lines:
        if line.startswith("41234568,"):
            line = "41234568,Globex,Monthly SEO retainer,2025-09-01,2026-03-31,2026-03-02,4200.0,,8,,false,false,false,1"  # noqa: E501
        if line.startswith("41234571,"):
            line = line.replace("c-umbrella", "Umbrella Corp")
        edited.append(line)
    edited.append(
        "40314707,Acme Studio,Logo redesign,2026-10-31,2026-11-01,,0,1.0,,,false,false,false,"
    )
    target.write_text("\n".join(edited) + "\n")
    before = read_histories([str(target)]).contracts

    # Without --update or --force: refused, the file untouched.
    assert run_cli("import", *EXPORTS, "-o", str(target))[0] == 73
    assert read_histories([str(target)]).contracts == before

    # With --update: every edit wins over the exports, each difference is a warning.
    code, _out, err = run_cli("import", *EXPORTS, "-o", str(target), "--update")
    assert code == 0
    assert read_histories([str(target)]).contracts == before
    assert (
        "contract 41234571: client is c-umbrella in " in err
        and f"but Umbrella Corp in {target}:5; using Umbrella Corp (your own file wins" in err
    )
    assert f"wrote 6 contracts to {target}" in err


def test_include_agency_keeps_agency_contracts(run_cli, tmp_path: Path) -> None:
    item = {
        "id": "7", "title": "Agency site build", "clientId": "c", "agencyName": "Pixel Crew",
        "startedOn": "2026-01-01T00:00:00.000Z", "totalCharges": {"amount": 10},
    }  # fmt: skip
    path = tmp_path / "wh.json"
    path.write_text(json.dumps({"pageItems": [item, {**item, "id": "8", "agencyName": None}]}))
    code, out, err = run_cli("import", str(path))
    assert code == 0
    assert "left out 1 agency contract" in err
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["8"]
    code, out, _err = run_cli("import", str(path), "--include-agency")
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["7", "8"]


def test_import_to_a_terminal_shows_control_characters_and_keeps_them_when_piped(
    tmp_path: Path, invoke: Invoke
) -> None:
    # A title holding an escape sequence (ESC [ 3 1 m: "red") must not drive the terminal the
    # CSV is printed on; piped into a file, the bytes are the title's own.
    source = tmp_path / "history.csv"
    source.write_text(
        "contract_id,client,title,start_date,end_date,earnings,public_feedback\n"
        'c1,Acme,"Bad \x1b[31mred",2026-01-05,2026-02-01,500,5\n'
    )
    shown = invoke("import", source, tty=True)
    assert shown.code == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "Bad \\x1b[31mred" in shown.stdout
    assert shown.stdout.count("\n") == 2  # line breaks stay line breaks
    piped = invoke("import", source)
    assert "Bad \x1b[31mred" in piped.stdout
