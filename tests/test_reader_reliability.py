"""Issue 20, the reader's part: no silent data loss, no internal error on bad input, inputs read
once and within limits, and messages that never echo control characters or megabytes."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from jsscheck.errors import InputNotFoundError, InvalidInputError
from jsscheck.history import read_histories, sources
from jsscheck.history.values import (
    MAX_AMOUNT,
    ValueProblem,
    parse_earnings,
    parse_paid_periods,
    parse_private_feedback,
    parse_public_feedback,
)
from jsscheck.model.text import brief, visible
from jsscheck.render.csvsafe import safe_cell

HEADER = "contract_id,client,title,start_date,end_date,earnings,public_feedback,private_feedback"


def write(tmp_path: Path, text: str, name: str = "history.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def problems(path: str) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        read_histories([path])
    return [str(problem).split(os.sep)[-1] for problem in caught.value.problems]


# --- 1. a stray quote ---------------------------------------------------------------------------


def test_a_stray_quote_that_swallows_rows_is_a_located_error_without_their_data(
    tmp_path: Path,
) -> None:
    # The file: line 2's quote runs on to line 4's own quote, swallowing 1002 and 1003;
    # `validate` used to say "OK: 2 contracts", with 1001 dated like 1003.
    text = (
        f"{HEADER}\n"
        '1001,Acme,"Logo,2026-01-05,2026-02-01,500,5,\n'
        "1002,Globex,SEO,2025-09-01,,4200,,\n"
        '1003,Initech,"Logo",2026-06-01,2026-07-15,320,4.5,9\n'
        "1004,Hooli,X,2026-06-01,2026-07-15,320,4.5,9\n"
    )
    (line,) = problems(write(tmp_path, text))
    assert line.startswith("history.csv:2: title: a quoted value opened here runs on")
    assert "2 rows" in line and 'close the quote (")' in line
    for other_rows_data in ("Globex", "4200", "Initech", "2025-09-01", "320"):
        assert other_rows_data not in line


def test_the_line_named_is_where_the_quote_opened(tmp_path: Path) -> None:
    # The title spans lines 2-3 properly; the client's stray quote opens on line 3 (record
    # line 2 + the title's one line break) and swallows line 4.
    text = (
        "contract_id,title,client,start_date,earnings\n"
        '1001,"Logo\nsecond line","Acme,2026-01-05,500\n'
        "1002,Globex,x,2025-09-01,4200\n"
        '1003,"Initech",y,2026-06-01,320\n'
    )
    (line,) = problems(write(tmp_path, text))
    assert line.startswith("history.csv:3: client: a quoted value opened here")


def test_a_quoted_value_holding_a_pasted_row_is_data_not_a_stray_quote(tmp_path: Path) -> None:
    # Well-formed CSV (what any CSV writer makes) is never suspect, whatever its lines hold.
    text = (
        f"{HEADER}\n"
        '1001,Acme,"Logo\n1002,Globex,SEO,2025-09-01,,4200,,\nend",2026-01-05,2026-02-01,500,5,\n'
        "1003,Initech,Logo,2026-06-01,2026-07-15,320,4.5,9\n"
    )
    result = read_histories([write(tmp_path, text)])
    assert [c.contract_id for c in result.contracts] == ["1001", "1003"]
    assert result.contracts[0].title == "Logo\n1002,Globex,SEO,2025-09-01,,4200,,\nend"


def test_a_quote_open_to_the_end_of_a_one_line_row_is_unclosed_not_short(tmp_path: Path) -> None:
    text = f"{HEADER}\n1001,Acme,Logo,2026-01-05,,500,,\n" + '1002,Globex,"SEO,2025-09-01,,4200,,\n'
    assert problems(write(tmp_path, text)) == [
        "history.csv:3: a quoted value is never closed: the rest of the file was read as one "
        'value — close the quote (") or remove it'
    ]


def test_short_rows_are_read_with_a_warning_naming_the_empty_fields(tmp_path: Path) -> None:
    text = f"{HEADER}\n1001,Acme,Logo,2026-01-05,2026-02-01,500,5\n1002,Globex,SEO,2025-09-01,,4\n"
    result = read_histories([write(tmp_path, text)])
    assert [w.split(os.sep)[-1] for w in result.warnings] == [
        "history.csv:2: 7 cells but the header has 8 columns: private_feedback read as empty",
        "history.csv:3: 6 cells but the header has 8 columns: public_feedback, private_feedback "
        "read as empty",
    ]


def test_short_row_warnings_are_capped(tmp_path: Path) -> None:
    rows = "".join(f"{1000 + i},Acme,Logo,2026-01-05,,500\n" for i in range(50))
    warnings = read_histories([write(tmp_path, HEADER + "\n" + rows)]).warnings
    # 50 short rows: 20 named, then one line for the other 30.
    assert len(warnings) == 21
    assert warnings[-1].endswith(": … and 30 more short rows read with their missing cells empty")


# --- 4. exit 70 where the input is at fault ----------------------------------------------------


@pytest.mark.parametrize("raw", ["--5", "+-5", "++9", "-+4", "+"])
def test_more_than_one_sign_is_not_a_number(raw: str) -> None:
    with pytest.raises(ValueProblem):
        parse_public_feedback(raw)
    with pytest.raises(ValueProblem):
        parse_private_feedback(raw)


def test_one_sign_still_reads() -> None:
    assert parse_public_feedback("+4.5") == 4.5
    assert parse_private_feedback("+9") == 9


@pytest.mark.parametrize("raw", [1e20, "123456789012345678901", 40_001, 10**400])
def test_paid_periods_beyond_any_calendar_are_refused(raw: object) -> None:
    with pytest.raises(ValueProblem):
        parse_paid_periods(raw)


def test_paid_periods_up_to_the_bound_read() -> None:
    # 40,000 periods of 90 days = 3,600,000 days, about 9,856 years: the most allowed.
    assert parse_paid_periods(40_000) == 40_000


def test_amounts_are_bounded_so_that_no_sum_overflows() -> None:
    assert parse_earnings(MAX_AMOUNT) == 1e12
    assert parse_earnings("$1,000,000,000,000.00") == 1e12
    for raw in ("1000000000000.01", "1" + "0" * 308, 1e300, 10**400):
        with pytest.raises(ValueProblem):
            parse_earnings(raw)


def test_two_amounts_whose_sum_would_overflow_are_located_errors(tmp_path: Path) -> None:
    # 1e308 + 1e308 = inf: each is refused on its own line.
    big = "1" + "0" * 308
    text = f"contract_id,client,start_date,earnings\n1,A,2025-01-01,{big}\n2,B,2025-01-01,{big}\n"
    lines = problems(write(tmp_path, text))
    assert [line.split(": too large")[0] for line in lines] == [
        "history.csv:2: earnings",
        "history.csv:3: earnings",
    ]


def test_json_integers_of_400_and_5000_digits_are_located_errors(tmp_path: Path) -> None:
    row = '{"contract_id": "1", "client": "A", "start_date": "2025-01-01", "earnings": DIGITS}'
    rows = [row.replace("DIGITS", "9" * 400), row.replace("DIGITS", "9" * 5000)]
    lines = problems(write(tmp_path, "[" + ",".join(rows) + "]", "history.json"))
    assert [line.split(" (got")[0] for line in lines] == [
        "history.json:[0]: earnings: not a finite amount",
        "history.json:[1]: earnings: not a finite amount",
    ]


def test_a_long_json_integer_id_keeps_every_digit(tmp_path: Path) -> None:
    long_id = "1234567890123456789012345"
    huge_id = "7" * 500
    text = (
        f'[{{"contract_id": {long_id}, "client": "A", "start_date": "2025-01-01", "earnings": 5}},'
        f'{{"contract_id": {huge_id}, "client": "A", "start_date": "2025-01-01", "earnings": 5}}]'
    )
    contracts = read_histories([write(tmp_path, text, "history.json")]).contracts
    assert [c.contract_id for c in contracts] == [long_id, huge_id]


@pytest.mark.parametrize("name", ["history.json", "history.jsonl"])
def test_arrays_nested_100000_deep_are_a_located_error(tmp_path: Path, name: str) -> None:
    (line,) = problems(write(tmp_path, "\n" + "[" * 100_000 + "\n", name))
    # The blank first line: the nesting passes 100 on line 2, at its 101st [.
    assert line.startswith(f"{name}:2: invalid JSON: arrays or objects nested more than 100 deep")
    assert "(column 101)" in line


def test_a_value_nested_900_deep_is_quoted_briefly(tmp_path: Path) -> None:
    text = '[{"contract_id": "1", "client": ' + "[" * 900 + "]" * 900 + "}]"
    line = problems(write(tmp_path, text, "history.json"))[0]
    assert line.startswith("history.json:[0]: client: not a single value (got '[[[")


def test_a_file_replaced_while_it_is_read_is_scored_and_hashed_as_first_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read once: the sha256 is of the bytes parsed, even if the file changes meanwhile."""
    path = tmp_path / "history.csv"
    before = b"contract_id,client,start_date,earnings\n1,A,2025-01-01,5\n2,B,2025-01-01,6\n"
    after = b"contract_id,client,start_date,earnings\n9,Z,2025-01-01,7\n"
    path.write_bytes(before)
    original = sources.choose_encoding

    def then_replace(*args: object) -> object:
        chosen = original(*args)  # type: ignore[arg-type]
        replacement = tmp_path / "new.csv"
        replacement.write_bytes(after)
        os.replace(replacement, path)  # what an editor's save does
        return chosen

    monkeypatch.setattr(sources, "choose_encoding", then_replace)
    result = read_histories([str(path)])
    assert [c.contract_id for c in result.contracts] == ["1", "2"]
    assert result.source_sha256 == hashlib.sha256(before).hexdigest()


# --- 10. reading without limit -----------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_endless_device_stops_at_the_cap_with_a_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_STREAM_BYTES", 3 * 2**20)
    (line,) = problems("/dev/zero")
    assert line.startswith("zero: more than 3 MiB from a pipe or device")
    assert "save it to a file first" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_an_endless_fifo_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_STREAM_BYTES", 2**20)
    fifo = tmp_path / "endless.csv"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        try:
            with fifo.open("w") as pipe:
                pipe.write("contract_id,client,start_date,earnings\n")
                while not stop.is_set():
                    pipe.write("1,A,2025-01-01,5\n" * 1000)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        (line,) = problems(str(fifo))
    finally:
        stop.set()
        writer.join(timeout=10)
    assert line.startswith("endless.csv: more than 1 MiB from a pipe or device")


def test_a_regular_file_larger_than_the_cap_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_STREAM_BYTES", 100)
    rows = "".join(f"{i},A,2025-01-01,5\n" for i in range(50))
    result = read_histories([write(tmp_path, "contract_id,client,start_date,earnings\n" + rows)])
    assert len(result.contracts) == 50


def test_closed_standard_input_exits_66(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(InputNotFoundError, match="standard input"):
        read_histories(["-"])


# --- 9 and 11. what messages show --------------------------------------------------------------


def test_visible_shows_control_characters_as_escapes() -> None:
    assert visible("\x1b]0;pwned\x07Logo\n\u009b") == "\\x1b]0;pwned\\x07Logo\\n\\x9b"
    assert visible("Café [bold]") == "Café [bold]"
    assert brief("x" * 100) == "x" * 59 + "…"
    assert brief("\x1b" * 10) == "\\x1b" * 10  # 40 characters: not cut
    assert len(brief("y" * 2_000_000)) == 60


def test_control_characters_in_values_and_column_names_reach_no_message_raw(
    tmp_path: Path,
) -> None:
    text = (
        '[{"contract_id": "1", "client": "A", "start_date": "2025-01-01", '
        '"earnings": "5\\u001b[31m", "\\u001b]0;x\\u0007": 1}]'
    )
    (line,) = problems(write(tmp_path, text, "history.json"))
    assert "(got '5\\x1b[31m')" in line and "\x1b" not in line
    text = '[{"contract_id": "1", "client": "A", "start_date": "2025-01-01", "earnings": 5, '
    text += '"\\u001b]0;x\\u0007": 1}]'
    (warning,) = read_histories([write(tmp_path, text, "ok.json")]).warnings
    assert warning.endswith("unknown column '\\x1b]0;x\\x07' ignored")


def test_a_two_megabyte_column_name_is_shown_shortened(tmp_path: Path) -> None:
    name = "n" * (2 * 2**20)
    text = f"contract_id,client,start_date,earnings,{name}\n1,A,2025-01-01,5,x\n"
    (warning,) = read_histories([write(tmp_path, text)]).warnings
    assert warning.endswith(f"unknown column '{'n' * 59}…' ignored")


def test_identical_row_warnings_are_capped(tmp_path: Path) -> None:
    rows = "1,A,2025-01-01,5\n" * 101
    warnings = read_histories([write(tmp_path, "contract_id,client,start_date,earnings\n" + rows)])
    # 101 rows of one contract: 100 repeats, 20 warned about one by one, 80 counted.
    assert len(warnings.warnings) == 21
    assert warnings.warnings[19].endswith(
        "history.csv:22: contract 1 appears again, identical to 2; counted once"
    )
    assert warnings.warnings[20].endswith("history.csv: … and 80 more identical rows counted once")


@pytest.mark.parametrize(
    "text",
    [
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        "﹦1",
        "\u200b=1+1",
        "\ufeff=1+1",
        "\ufeff@x",
        " =1",
        "\u2060+1",
    ],
)
def test_hidden_and_full_width_formula_starts_are_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Acme", "a=b", "\u200bAcme", "\ufeffAcme", "1+1"])
def test_text_that_is_no_formula_is_left_alone(text: str) -> None:
    assert safe_cell(text) == text
