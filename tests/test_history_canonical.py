"""Reading the canonical history (FORMATS.md sections 1 and 3): CSV, JSON and JSON Lines,
column aliases, encodings, delimiters, line numbers, and every validation error."""

from __future__ import annotations

import io
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from jsscheck.errors import InputNotFoundError, InvalidInputError, UsageError
from jsscheck.history import ReadResult, read_histories
from jsscheck.history.tables import ALIASES
from jsscheck.model.contract import Contract

DATA = Path(__file__).parent / "data" / "history"
HEADER = "contract_id,client,start_date,earnings"


def write(tmp_path: Path, content: str | bytes, name: str = "history.csv") -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return str(path)


def read(tmp_path: Path, content: str | bytes, name: str = "history.csv", **options) -> ReadResult:
    return read_histories([write(tmp_path, content, name)], **options)


def problems(
    tmp_path: Path, content: str | bytes, name: str = "history.csv", **options
) -> list[str]:
    """The problem lines, with the temporary directory removed from the file names."""
    with pytest.raises(InvalidInputError) as caught:
        read(tmp_path, content, name, **options)
    assert caught.value.exit_code == 65
    return [line.replace(f"{tmp_path}{os.sep}", "") for line in caught.value.lines()]


EXPECTED = [
    Contract(
        contract_id="4521", client="Acme Ltd", title="Landing page, v2",
        start_date=date(2026, 1, 5), end_date=date(2026, 2, 10),
        last_payment_date=date(2026, 2, 10), earnings=850.0, public_feedback=5.0,
        private_feedback=10, feedback_date=date(2026, 2, 12), paid_periods=0,
    ),
    Contract(
        contract_id="4522", client="Globex", title="Monthly SEO retainer",
        start_date=date(2025, 9, 1), last_payment_date=date(2026, 11, 1), earnings=4200.0,
        paid_periods=2,
    ),
    Contract(
        contract_id="4523", client="Initech", title="Logo redesign", start_date=date(2026, 10, 1),
        end_date=date(2026, 10, 2), earnings=0.0, public_feedback=1.0, disputed=True,
        client_flagged=True,
    ),
]  # fmt: skip


@pytest.mark.parametrize("name", ["canonical.csv", "canonical.json", "canonical.jsonl"])
def test_csv_json_and_json_lines_give_the_same_contracts(name: str) -> None:
    result = read_histories([str(DATA / name)])
    assert result.contracts == EXPECTED
    assert result.warnings == []


def test_format_is_detected_from_content_not_name(tmp_path: Path) -> None:
    json_text = (DATA / "canonical.json").read_text()
    assert read(tmp_path, json_text, "history.csv").contracts == EXPECTED
    csv_text = (DATA / "canonical.csv").read_text()
    assert read(tmp_path, csv_text, "history.json").contracts == EXPECTED


def test_source_sha256_is_over_all_raw_bytes_in_order(tmp_path: Path) -> None:
    import hashlib

    one = (DATA / "canonical.csv").read_bytes()
    two = f"{HEADER}\n9,Zed,2026-01-01,1\n".encode()
    result = read_histories([str(DATA / "canonical.csv"), write(tmp_path, two)])
    assert result.source_sha256 == hashlib.sha256(one + two).hexdigest()


ALIAS_ROW = {
    "contract_id": ("77", "77"), "client": ("Acme", "Acme"),
    "start_date": ("2026-01-05", date(2026, 1, 5)), "earnings": ("10", 10.0),
    "title": ("Job", "Job"), "end_date": ("2026-02-01", date(2026, 2, 1)),
    "last_payment_date": ("2026-01-31", date(2026, 1, 31)), "public_feedback": ("4.5", 4.5),
    "private_feedback": ("8", 8), "feedback_date": ("2026-02-03", date(2026, 2, 3)),
    "disputed": ("yes", True), "client_flagged": ("yes", True), "excluded": ("yes", True),
    "paid_periods": ("1", 1),
}  # fmt: skip


@pytest.mark.parametrize(
    ("field", "alias"),
    [(field, alias) for field, aliases in ALIASES.items() for alias in aliases],
)
def test_every_alias_names_its_field(tmp_path: Path, field: str, alias: str) -> None:
    header = ",".join(alias if name == field else name for name in ALIAS_ROW)
    row = ",".join(raw for raw, _value in ALIAS_ROW.values())
    contract = read(tmp_path, f"{header}\n{row}\n").contracts[0]
    assert contract.to_dict() == {name: value for name, (_raw, value) in ALIAS_ROW.items()}


@pytest.mark.parametrize("header", ["Contract-ID", "CONTRACT ID", "contract__id", " contract_id "])
def test_column_names_ignore_case_spaces_hyphens_and_underscores(
    tmp_path: Path, header: str
) -> None:
    result = read(tmp_path, f"{header},Client,Start Date,Earnings\n1,A,2026-01-01,5\n")
    assert result.contracts[0].contract_id == "1"


def test_unknown_columns_give_one_warning_each(tmp_path: Path) -> None:
    result = read(tmp_path, f"{HEADER},foo,Notes\n1,A,2026-01-01,5,x,y\n2,B,2026-01-01,5,x,y\n")
    assert result.warnings == [
        f"{tmp_path}/history.csv: unknown column 'foo' ignored",
        f"{tmp_path}/history.csv: unknown column 'Notes' ignored",
    ]


def test_two_columns_for_one_field_is_an_error_naming_both(tmp_path: Path) -> None:
    assert problems(tmp_path, f"{HEADER},Start\n1,A,2026-01-01,5,2026-01-02\n") == [
        "history.csv:1: start_date: two columns give start_date: 'start_date' and 'Start' "
        "— remove or rename one of them"
    ]


# ------------------------------------------------------------------------------ encodings


ROW_TEXT = f"{HEADER},title\n1,Café Zoë,2026-01-01,5,Naïve “quotes”\n"


@pytest.mark.parametrize(
    "encoded",
    [
        ROW_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + ROW_TEXT.encode("utf-8"),
        ROW_TEXT.encode("utf-16"),  # with a BOM, little-endian on every platform we run on
        b"\xfe\xff" + ROW_TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-be"],
)
def test_unicode_encodings(tmp_path: Path, encoded: bytes) -> None:
    result = read(tmp_path, encoded)
    assert result.contracts[0].client == "Café Zoë"
    assert result.contracts[0].title == "Naïve “quotes”"
    assert result.warnings == []


def test_cp1252_is_read_with_a_warning(tmp_path: Path) -> None:
    result = read(tmp_path, ROW_TEXT.encode("cp1252"))
    assert result.contracts[0].client == "Café Zoë"
    assert result.contracts[0].title == "Naïve “quotes”"
    assert len(result.warnings) == 1
    assert "read as Windows-1252" in result.warnings[0]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        b"contract_id,client\x00\x00\n",
        ROW_TEXT.encode("utf-16-le"),  # no BOM: NUL bytes
        b"PK\x03\x04" + b"\x00" * 30,
        bytes(range(1, 32)) * 10,
    ],
    ids=["png", "nul", "utf-16-no-bom", "xlsx", "control-characters"],
)
def test_binary_input_is_not_a_text_file(tmp_path: Path, data: bytes) -> None:
    lines = problems(tmp_path, data)
    assert len(lines) == 1
    assert lines[0].startswith("history.csv: not a text file — ")


def test_undecodable_bytes_are_not_text(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252 and invalid in UTF-8.
    assert problems(tmp_path, b"contract_id\n\x81\x81\n")[0].startswith(
        "history.csv: not a text file"
    )


# ------------------------------------------------------------------------------ CSV shape


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, delimiter: str) -> None:
    header = delimiter.join(["contract_id", "client", "title", "start_date", "earnings"])
    row = delimiter.join(["1", '"Smith, Jones; Co"', "a\tb" if delimiter != "\t" else "ab",
                          "2026-01-01", '"$1,234.50"'])  # fmt: skip
    contract = read(tmp_path, f"{header}\n{row}\n").contracts[0]
    assert contract.client == "Smith, Jones; Co"
    assert contract.earnings == 1234.5


def test_quoted_newline_keeps_physical_line_numbers(tmp_path: Path) -> None:
    text = (
        f"{HEADER},title\r\n"
        '1,A,2026-01-01,5,"two\r\nlines"\r\n'
        '2,B,2026-01-01,5,"three\nlines\nhere"\r\n'
        "\r\n"
        "3,C,2026-02-30,5,x\r\n"
    )
    assert problems(tmp_path, text) == [
        "history.csv:8: start_date: not a date (got '2026-02-30') — use YYYY-MM-DD, e.g. 2026-02-28"
    ]


def test_quoted_values_keep_their_newlines(tmp_path: Path) -> None:
    result = read(tmp_path, f'{HEADER},title\n1,A,2026-01-01,5,"two\nlines"\n')
    assert result.contracts[0].title == "two\nlines"


def test_short_rows_have_empty_trailing_cells(tmp_path: Path) -> None:
    result = read(tmp_path, f"{HEADER},title,end_date\n1,A,2026-01-01,5\n")
    assert result.contracts[0].end_date is None


def test_extra_empty_cells_are_fine_but_extra_values_are_errors(tmp_path: Path) -> None:
    assert read(tmp_path, f"{HEADER}\n1,A,2026-01-01,5,,\n").contracts[0].earnings == 5
    assert problems(tmp_path, f"{HEADER}\n1,A,2026-01-01,1,234.50\n") == [
        "history.csv:2: 5 cells but the header has 4 columns — quote values that hold the "
        "delimiter (',')"
    ]


def test_blank_and_comment_lines_are_skipped(tmp_path: Path) -> None:
    text = f"# my history\n# more\n{HEADER}\n\n,,,\n# a note\n1,A,2026-01-01,5\n1x,B,2026-13-01,5\n"
    assert problems(tmp_path, text) == [
        "history.csv:8: start_date: not a date (got '2026-13-01') — use YYYY-MM-DD, e.g. 2026-08-21"
    ]


def test_unclosed_quote_is_reported_where_it_starts(tmp_path: Path) -> None:
    text = f'{HEADER},title\n1,A,2026-01-01,5,ok\n2,B,2026-01-01,5,"open\n3,C,2026-01-01,5,x\n'
    assert problems(tmp_path, text) == [
        "history.csv:3: a quoted value is never closed: the rest of the file was read as one "
        'value — close the quote (") or remove it'
    ]


def test_a_ten_megabyte_field_is_read_and_validated(tmp_path: Path) -> None:
    big = "x" * 10_000_000
    result = read(tmp_path, f'{HEADER},title\n1,A,2026-01-01,5,"{big}"\n')
    assert len(result.contracts[0].title) == 10_000_000
    lines = problems(tmp_path, f'{HEADER}\n1,A,"{big}",5\n')
    assert lines[0].startswith("history.csv:2: start_date: not a date (got 'xxxx")
    assert len(lines[0]) < 200  # only a shortened value, never the whole cell


def test_dayfirst_switches_slash_dates(tmp_path: Path) -> None:
    text = f"{HEADER},end_date\n1,A,05/01/2026,5,10/02/2026\n"
    contract = read(tmp_path, text, dayfirst=True).contracts[0]
    assert (contract.start_date, contract.end_date) == (date(2026, 1, 5), date(2026, 2, 10))


def test_day_first_date_without_dayfirst_names_the_option(tmp_path: Path) -> None:
    assert problems(tmp_path, f"{HEADER}\n1,A,13/01/2026,5\n") == [
        "history.csv:2: start_date: not an MM/DD/YYYY date (got '13/01/2026') — it looks like "
        "DD/MM/YYYY: pass --dayfirst, or use YYYY-MM-DD, e.g. 2026-01-13"
    ]


# ------------------------------------------------------------------------------ validation


def test_every_bad_value_is_reported_with_its_line_and_field(tmp_path: Path) -> None:
    text = (
        "contract_id,client,start_date,end_date,earnings,public_feedback,private_feedback,"
        "feedback_date,disputed,paid_periods\n"
        "1,A,2026-01-10,2026-01-05,5,,,,,\n"
        "2,,2026-01-10,,5,,,,,\n"
        "3,C,2026-01-10,,(12.00),6,10.5,2026-01-01,maybe,-1\n"
        ",D,2026-01-10,,5,,,,,\n"
        "5,E,2026-01-10,,1234,50,,,,,\n"
        "6,F,,,,,,,,\n"
    )
    assert problems(tmp_path, text) == [
        "history.csv:4: earnings: must be 0 or more (got '(12.00)') — earnings are the total you "
        "were paid on the contract, in USD; write the net amount",
        "history.csv:4: public_feedback: outside 1.0–5.0 (got '6') — write the stars from 1.0 "
        "to 5.0, or leave it empty for no feedback",
        "history.csv:4: private_feedback: not an integer 0–10 (got '10.5') — write a whole number "
        "from 0 to 10, or leave it empty for none",
        "history.csv:4: disputed: not a yes/no value (got 'maybe') — write true or false "
        "(or yes/no, 1/0, x/empty)",
        "history.csv:4: paid_periods: must be 0 or more (got '-1') — write a whole number of "
        "90-day periods, 0 or more, or leave it empty",
        "history.csv:5: contract_id: required value is empty — every contract needs its id "
        "(Upwork's contract number or a unique name)",
        "history.csv:6: public_feedback: outside 1.0–5.0 (got '50') — write the stars from 1.0 "
        "to 5.0, or leave it empty for no feedback",
        "history.csv:2: end_date: before start_date 2026-01-10 (got '2026-01-05') — correct "
        "either date: it cannot be before the contract started",
        "history.csv:3: client: required value is empty — write the client's name or id "
        "(it counts distinct clients)",
        "history.csv:7: start_date, earnings: required values are empty — fill in start_date, "
        "earnings of contract 6",
    ]


def test_feedback_date_before_start_is_an_error(tmp_path: Path) -> None:
    text = f"{HEADER},feedback_date\n1,A,2026-01-10,5,2026-01-09\n"
    assert problems(tmp_path, text) == [
        "history.csv:2: feedback_date: before start_date 2026-01-10 (got '2026-01-09') — correct "
        "either date: it cannot be before the contract started"
    ]


def test_a_missing_required_column_names_its_aliases(tmp_path: Path) -> None:
    assert problems(tmp_path, "contract_id,client,earnings\n1,A,5\n2,B,6\n") == [
        "history.csv:1: start_date: required column missing — add a column named start_date "
        "(or start, started, started_on)"
    ]
    assert problems(tmp_path, "client,start_date,earnings\nA,2026-01-01,5\n") == [
        "history.csv:1: contract_id: required column missing — add a column named contract_id "
        "(or id, contract, contract id)"
    ]


def test_same_id_twice_with_different_values_is_an_error(tmp_path: Path) -> None:
    text = f"{HEADER}\n1,A,2026-01-01,5\n1,A,2026-01-01,6\n"
    assert problems(tmp_path, text) == [
        "history.csv:3: contract_id: contract 1 appears twice with different values (also at 2; "
        "earnings differ) — keep one row per contract, or give different contracts different ids"
    ]


def test_identical_duplicate_rows_are_merged_with_a_warning(tmp_path: Path) -> None:
    result = read(tmp_path, f"{HEADER}\n1,A,2026-01-01,5\n2,B,2026-01-01,5\n1,A,01/01/2026,5.00\n")
    assert [c.contract_id for c in result.contracts] == ["1", "2"]
    assert result.warnings == [
        f"{tmp_path}/history.csv:4: contract 1 appears again, identical to 2; counted once"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "history.csv: no contracts: the file is empty"),
        ("  \n\n", "history.csv: no contracts: the file is empty"),
        (f"{HEADER}\n", "history.csv: no contracts: the file has a header but no rows"),
        (f"{HEADER}\n\n,,,\n", "history.csv: no contracts: the file has a header but no rows"),
        ("[]", "history.csv: no contracts: the array is empty"),
        ('{"contracts": []}', "history.csv: no contracts: the array is empty"),
    ],
)
def test_a_file_without_contracts_is_an_error(tmp_path: Path, content: str, expected: str) -> None:
    assert problems(tmp_path, content)[0].startswith(expected)


def test_text_that_is_not_a_history_is_refused(tmp_path: Path) -> None:
    assert problems(tmp_path, "Dear client,\nhere is my invoice.\n")[0].startswith(
        "history.csv:1: not a contract history: no known column in the first line"
    )
    assert problems(tmp_path, "<html><body>hi</body></html>")[0].startswith(
        "history.csv:1: not CSV or JSON"
    )


def test_only_twenty_problems_are_shown_then_a_count(tmp_path: Path) -> None:
    rows = "".join(f"{i},A,2026-02-30,5\n" for i in range(25))
    lines = problems(tmp_path, f"{HEADER}\n{rows}")
    assert len(lines) == 21
    assert lines[0].startswith("history.csv:2: start_date: not a date")
    assert lines[19].startswith("history.csv:21: start_date: not a date")
    assert lines[20] == "… and 5 more problems"


def test_a_bad_value_shows_only_itself_never_the_row(tmp_path: Path) -> None:
    lines = problems(tmp_path, f"{HEADER},title\n1,SecretClient,2026-02-30,5,Secret title\n")
    assert "Secret" not in lines[0]


# ------------------------------------------------------------------------------ JSON


def test_json_locations_are_array_indices(tmp_path: Path) -> None:
    text = (
        '[{"contract_id": 1, "client": "A", "start_date": "2026-01-01", "earnings": 5},'
        ' {"contract_id": 2, "client": "B", "start_date": "2026-01-01", "earnings": -5},'
        ' {"contract_id": 3, "client": "C", "start_date": "2026-01-01", "earnings": true},'
        ' "not an object",'
        ' {"client": "E", "start_date": "2026-01-01", "earnings": 5},'
        ' {"contract_id": 6, "client": {"name": "F"}, "start_date": "2026-01-01", "earnings": 5,'
        '  "colour": "red"}]'
    )
    with pytest.raises(InvalidInputError) as caught:
        read(tmp_path, text, "h.json")
    assert [(p.location, p.field, p.problem) for p in caught.value.problems] == [
        ("[3]", "", "not a contract object"),
        ("[4]", "contract_id", "required key missing"),
        ("[1]", "earnings", "must be 0 or more"),
        ("[2]", "earnings", "not an amount"),
        ("[5]", "client", "not a single value"),
    ]


def test_truncated_json_names_the_line_and_column(tmp_path: Path) -> None:
    text = '[\n  {"contract_id": 1, "client": "A",\n   "start_date": "2026-01-01", "ear'
    assert problems(tmp_path, text, "h.json") == [
        "h.json:3: truncated JSON: Unterminated string starting at (column 32) — the file ends "
        "early: export or save it again"
    ]


def test_invalid_json_in_the_middle(tmp_path: Path) -> None:
    text = '[\n {"contract_id": 1,, "client": "A"}\n]\n'
    assert problems(tmp_path, text, "h.json") == [
        "h.json:2: invalid JSON: Expecting property name enclosed in double quotes (column 20) — "
        "fix the JSON syntax at that place"
    ]


@pytest.mark.parametrize("text", ['"just a string"', "42", '{"pages": []}', '{"contracts": 3}'])
def test_json_of_the_wrong_shape(tmp_path: Path, text: str) -> None:
    assert problems(tmp_path, text, "h.json")[0].startswith("h.json: JSON of the wrong shape")


def test_json_lines_report_physical_lines(tmp_path: Path) -> None:
    text = (
        '{"contract_id": 1, "client": "A", "start_date": "2026-01-01", "earnings": 5}\n'
        "\n"
        '{"contract_id": 2, "client": "B", "start_date": "2026-02-30", "earnings": 5}\n'
        '{"contract_id": 3, "client": "C", \n'
    )
    assert problems(tmp_path, text, "h.jsonl") == [
        "h.jsonl:4: invalid JSON: Expecting property name enclosed in double quotes (column 35) "
        "— write one complete JSON object per line",
        "h.jsonl:3: start_date: not a date (got '2026-02-30') — use YYYY-MM-DD, e.g. 2026-02-28",
    ]


def test_one_contract_object_alone_is_read(tmp_path: Path) -> None:
    text = '{"contract_id": 1, "client": "A", "start_date": "2026-01-01", "earnings": 5}'
    assert read(tmp_path, text, "h.json").contracts[0].contract_id == "1"


def test_json_keys_match_like_columns_and_warn_once(tmp_path: Path) -> None:
    text = (
        '[{"Contract ID": 1, "Client-Name": "A", "Started": "2026-01-01", "Earned": 5, "x": 1},'
        ' {"Contract ID": 2, "Client-Name": "B", "Started": "2026-01-01", "Earned": 5, "x": 2}]'
    )
    result = read(tmp_path, text, "h.json")
    assert [c.client for c in result.contracts] == ["A", "B"]
    assert result.warnings == [f"{tmp_path}/h.json: unknown column 'x' ignored"]


# ------------------------------------------------------------------------------ forcing


def test_input_format_forces_a_reader(tmp_path: Path) -> None:
    jsonl = (DATA / "canonical.jsonl").read_text()
    assert read(tmp_path, jsonl, input_format="jsonl").contracts == EXPECTED
    lines = problems(tmp_path, jsonl, input_format="json")
    assert lines[0].startswith("history.csv:3: invalid JSON: Extra data")


def test_unknown_input_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read(tmp_path, f"{HEADER}\n1,A,2026-01-01,5\n", input_format="xlsx")
    assert caught.value.exit_code == 2


# ------------------------------------------------------------------------------ opening


def test_stdin_is_read_as_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "\ufeffcontract_id,client,start_date,earnings\r\n1,Café,2026-01-01,5\r\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = read_histories(["-"])
    assert result.contracts[0].client == "Café"


def test_stdin_problems_are_named_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(InvalidInputError) as caught:
        read_histories(["-"])
    assert caught.value.lines() == [
        "<stdin>: no contracts: the file is empty — add one row per contract, e.g. "
        "contract_id,client,start_date,earnings"
    ]


def test_a_missing_file_exits_66_naming_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError) as caught:
        read_histories([str(tmp_path / "nope.csv")])
    assert caught.value.exit_code == 66
    assert caught.value.message == f"{tmp_path}/nope.csv: no such file"


def test_a_directory_exits_66(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError) as caught:
        read_histories([str(tmp_path)])
    assert caught.value.message == f"{tmp_path}: is a directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_exits_66(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n1,A,2026-01-01,5\n")
    os.chmod(path, 0)
    with pytest.raises(InputNotFoundError) as caught:
        read_histories([path])
    assert "permission denied" in caught.value.message


def test_a_file_that_cannot_be_opened_exits_66(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jsscheck.history import sources

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    path = write(tmp_path, f"{HEADER}\n1,A,2026-01-01,5\n")
    monkeypatch.setattr(sources, "open", refuse, raising=False)
    with pytest.raises(InputNotFoundError) as caught:
        read_histories([path])
    assert caught.value.message == f"{path}: cannot be opened (permission denied)"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_every_line_ending_counts_lines_alike(tmp_path: Path, newline: str) -> None:
    text = newline.join([HEADER, "1,A,2026-01-01,5", '2,"B\nC",2026-01-01,5', "3,D,2026-02-30,5"])
    assert problems(tmp_path, text)[0].startswith("history.csv:5: start_date: not a date")
