"""The C-speed CSV path (history/fastcsv.py) reads every file exactly as the line reader does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jsscheck.history import fastcsv
from jsscheck.history.sources import load_input, parse_input

HEADER = "contract_id,client,start_date,earnings,end_date,public_feedback,excluded"
CELLS = st.sampled_from(
    [
        "c1", "c2", " c3 ", "Acme", "Beta, Inc", 'say "hi"', "two\nlines", "x\r\ny",
        "2026-01-05", "2026-13-01", "05/01/2026", "", "NA", "-", "100", "$1,200.50",
        "1e400", "abc", "4.5", "9", "yes", "maybe", "#note", " ", "\t", "é", '"', 'a"b',
    ]
)  # fmt: skip


def _parse(path: Path, threshold: int, arrow: bool = True) -> tuple[Any, Any]:
    """Read `path` with fastcsv.FAST_BYTES = threshold; `arrow` False: pandas, not pyarrow."""
    old = fastcsv.FAST_BYTES, fastcsv.USE_ARROW
    fastcsv.FAST_BYTES, fastcsv.USE_ARROW = threshold, arrow
    try:
        parsed = parse_input(load_input(str(path)), False, None)
    finally:
        fastcsv.FAST_BYTES, fastcsv.USE_ARROW = old
    return parsed, parsed.take_columns()


def _columns(columns: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, column in columns.values.items():
        out[name] = list(column) if hasattr(column, "bounds") else column.tolist()
    out["_locations"] = np.asarray(columns.locations).tolist()
    return out


def _same(a: Any, b: Any) -> None:
    assert a is not None and b is not None
    assert _columns(a) == _columns(b) or (
        # NaN != NaN in lists: compare with numpy where floats are involved
        all(
            np.array_equal(np.asarray(x, dtype=object), np.asarray(y, dtype=object))
            or np.allclose(np.asarray(x, float), np.asarray(y, float), equal_nan=True)
            for x, y in zip(_columns(a).values(), _columns(b).values(), strict=True)
        )
    )


def _both(path: Path) -> None:
    """The line reader, the pyarrow path and the pandas path read `path` alike."""
    slow, slow_columns = _parse(path, 10**18)
    for arrow in (True, False):
        fast, fast_columns = _parse(path, 0, arrow)
        assert fast.problems == slow.problems
        assert fast.warnings == slow.warnings
        assert fast.invalid == slow.invalid
        _same(slow_columns, fast_columns)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    width = st.sampled_from([7, 7, 7, 7, 7, 6, 8])  # mostly whole rows: the fast path's case
    rows = draw(
        st.lists(
            width.flatmap(lambda n: st.lists(CELLS, min_size=n, max_size=n)),
            min_size=1,
            max_size=12,
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = []
    if draw(st.booleans()):
        lines.append("# a comment above the header")
    lines.append(HEADER)
    for row in rows:
        if draw(st.booleans()):  # as a CSV writer writes it
            cells = [
                f'"{c.replace(chr(34), chr(34) * 2)}"' if set(c) & set(',"\r\n') else c for c in row
            ]
        else:  # as typed: stray quotes and all
            cells = row
        lines.append(",".join(cells))
        if draw(st.integers(0, 9)) == 0:
            lines.append("")
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=csv_files())
# Found by this test: a stray quote (a"b) made the quotes odd, and the line reader took the
# last row's quoted delimiters for a quoted value never closed.
@example(
    data=b"contract_id,client,start_date,earnings,end_date,public_feedback,excluded\n"
    b'c1,c1,c1,c1,$1,200.50,a"b\n\nc1,c1,c1,c1,$1,200.50,",c1,"\n'
)
def test_both_paths_read_the_same(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(data)
    _both(path)


def _spy_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each call of the fast path returned (True: it read the file), in order."""
    taken: list[bool] = []
    real = fastcsv.read_body

    def spy(*args: Any) -> bool:
        taken.append(real(*args))
        return taken[-1]

    monkeypatch.setattr(fastcsv, "read_body", spy)
    return taken


def _spy_on_arrow(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The readers that read a body to the end ("arrow" or "pandas"), in order."""
    done: list[str] = []
    real = fastcsv._read_with_arrow

    def spy(*args: Any) -> None:
        real(*args)
        done.append("arrow")

    monkeypatch.setattr(fastcsv, "_read_with_arrow", spy)
    return done


def test_a_plain_file_takes_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.csv"
    rows = [HEADER] + [
        f"c{i},Acme,2026-01-0{1 + i % 9},{i}00,,5,{'' if i else 'yes'}" for i in range(50)
    ]
    rows.append('c99,"Beta, Inc",2026-02-01,bad,,4.5,')
    path.write_text("\n".join(rows) + "\n")
    taken = _spy_on_the_fast_path(monkeypatch)
    arrow = _spy_on_arrow(monkeypatch)
    _both(path)
    assert taken == [True, True]  # pyarrow, then pandas (the line reader never calls it)
    assert arrow == ["arrow"]  # pyarrow read it to the end the first time
    parsed, _columns_read = _parse(path, 0)
    # One bad amount: the header is line 1, the 50 rows lines 2-51, the quoted row line 52.
    assert [(p.location, p.field) for p in parsed.problems] == [("52", "earnings")]


def test_quoted_newline_falls_back_with_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(f'{HEADER}\nc1,"two\nlines",2026-01-01,10,,,\nc2,Acme,2026-01-01,bad,,,\n')
    _both(path)
    parsed, _ = _parse(path, 0)
    # c2 starts on physical line 4: header 1, c1 on lines 2-3.
    assert [p.location for p in parsed.problems] == ["4"]


def _read_in_a_fresh_process(path: Path, threshold: int, arrow: bool = True) -> tuple[str, ...]:
    """(rows read, whether pandas, whether pyarrow was imported) when a new interpreter reads
    `path` with fastcsv.FAST_BYTES = threshold (and USE_ARROW = arrow)."""
    code = (
        "import sys; from jsscheck.history import fastcsv; "
        "from jsscheck.history.sources import load_input, parse_input; "
        f"fastcsv.FAST_BYTES = {threshold}; fastcsv.USE_ARROW = {arrow}; "
        f"parsed = parse_input(load_input({str(path)!r}), False, None); "
        "print(len(parsed.take_columns()), 'pandas' in sys.modules, 'pyarrow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return tuple(out.stdout.split())


def test_a_large_file_is_read_by_pyarrow_else_pandas_and_a_small_one_by_neither(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.csv"
    path.write_text(f"{HEADER}\nc1,Acme,2026-01-01,10,,,\nc2,Beta,2026-01-02,20,,,\n")
    size = path.stat().st_size
    # Below the threshold the line reader; at it pyarrow (the `large` extra, in the test
    # extra), or pandas' C engine without it.
    assert _read_in_a_fresh_process(path, size + 1) == ("2", "False", "False")
    assert _read_in_a_fresh_process(path, size) == ("2", "False", "True")
    # (pandas itself loads pyarrow when it is installed, to hold strings)
    assert _read_in_a_fresh_process(path, size, arrow=False)[:2] == ("2", "True")
    assert fastcsv.FAST_BYTES > 1_000_000  # a typical history (~100 bytes a contract) is below


def test_score_on_the_sample_does_not_import_pandas(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "history.csv"
    code = (
        "import sys; from jsscheck.cli import main; code = 0; sys.argv = ['jsscheck', 'score', "
        f"{str(sample)!r}, '--as-of', '2026-11-21', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
        "print('pandas' in sys.modules, code, file=sys.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert out.stderr.split()[-2:] == ["False", "0"], out.stderr


# ------------------------------------------------------ the column-wise parsing (issue 16)

FULL_HEADER = (
    "contract_id,client,title,start_date,end_date,last_payment_date,earnings,public_feedback,"
    "private_feedback,feedback_date,disputed,client_flagged,excluded,paid_periods"
)
#: Cells per kind of column: what the column-wise parse takes, what it must hand on to the
#: per-value parsers (every other date form, signs, separators, out-of-range values), and
#: text that needs stripping or is an empty marker.
TEXT_CELLS = [
    "c1", "c1", "Acme", " Acme ", "NA", "na", "N/A", "null", "Null", "-", "n", "no", "", " ",
    "\t", "é", "Café ", "\u00a0NBSP\u00a0", "日本", "x\u3000", "-5", "=1+1", "#x", "a;b",
]  # fmt: skip
DATE_CELLS = [
    "2026-01-05", "2024-02-29", "2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
    "0000-01-01", "0001-01-01", "9999-12-31", "2026-1-05", "2026/01/05", " 2026-01-05",
    "2026-01-05 ", "05/01/2026", "13/01/2026", "Jan 5, 2026", "2026-01-05T10:00:00Z", "",
    "NA", "-", "20260105", "2026-01-0x", "２０２６-01-05",
]  # fmt: skip
NUMBER_CELLS = [
    "0", "1", "4.3", "5", "5.0", "5.", ".5", "10", "10.0", "9.5", "11", "007", "4.30",
    "1000000000000", "1000000000001", "123456789012345", "1234567890123456", "1e3", "-1",
    "+4", " 4", "4 ", "$1,200.50", "1,5", "(12.00)", "USD 5", "", "NA", ".", "1.2.3", "40000",
    "40001", "٣",
]  # fmt: skip
FLAG_CELLS = ["", "true", "false", "TRUE", "yes", "no", "x", "1", "0", "maybe", " true", "NA"]
_KINDS = {
    **dict.fromkeys(["contract_id", "client", "title"], TEXT_CELLS),
    **dict.fromkeys(["start_date", "end_date", "last_payment_date", "feedback_date"], DATE_CELLS),
    **dict.fromkeys(
        ["earnings", "public_feedback", "private_feedback", "paid_periods"], NUMBER_CELLS
    ),
    **dict.fromkeys(["disputed", "client_flagged", "excluded"], FLAG_CELLS),
}


def _both_in_small_blocks(path: Path, block: int) -> None:
    """`_both`, the fast path scanning `block` bytes at a time, taking pandas' rows in chunks
    of about a block and pyarrow's in batches of a few blocks (rows in many of each)."""
    old = fastcsv.READ_BYTES, fastcsv.CHUNK_ROWS, fastcsv.ARROW_BLOCK_BYTES
    fastcsv.READ_BYTES, fastcsv.CHUNK_ROWS = block, max(1, block // 64)
    fastcsv.ARROW_BLOCK_BYTES = max(4 * block, 512)  # a row must fit in pyarrow's block
    try:
        _both(path)
    finally:
        fastcsv.READ_BYTES, fastcsv.CHUNK_ROWS, fastcsv.ARROW_BLOCK_BYTES = old


@st.composite
def typed_files(draw: st.DrawFn) -> bytes:
    names = FULL_HEADER.split(",")
    good = "c{i},Client {i},Job {i},2026-01-05,2026-02-01,2026-02-01,100,5.0,9,,false,,,0"
    rows = [good.format(i=i) for i in range(draw(st.integers(0, 30)))]  # good rows first
    for _ in range(draw(st.integers(1, 15))):
        cells = [draw(st.sampled_from(_KINDS[name])) for name in names]
        rows.append(",".join(f'"{c}"' if set(c) & {",", '"'} else c for c in cells))
    rows += [good.format(i=100 + i) for i in range(draw(st.integers(0, 5)))]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join([FULL_HEADER, *rows]) + newline
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), "replace")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=typed_files(), block=st.sampled_from([64, 300, 1 << 20]))
def test_column_wise_parsing_gives_the_line_readers_values_and_messages(
    tmp_path: Path, data: bytes, block: int
) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(data)
    _both_in_small_blocks(path, block)


def test_bad_values_in_late_rows_are_found_on_their_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.csv"
    good = "c{i},Client {i},Job {i},2026-01-05,2026-02-01,2026-02-01,100,5.0,9,,false,,,0"
    rows = [good.format(i=i) for i in range(3000)]
    # The header is line 1, row i is line i + 2.
    rows[1500] = rows[1500].replace("c1500,", "NA,")  # no id: line 1502, the row is dropped
    rows[2500] = rows[2500].replace("2026-01-05", "2026-02-30").replace(",5.0,", ",5.5,")
    # "$1,200" is no plain number but a fine amount (1200); "maybe" is no yes/no value.
    rows[2999] = rows[2999].replace(",100,", ',"$1,200",').replace(",false,", ",maybe,")
    path.write_text("\n".join([FULL_HEADER, *rows]) + "\n")
    taken = _spy_on_the_fast_path(monkeypatch)
    arrow = _spy_on_arrow(monkeypatch)
    _both_in_small_blocks(path, 4096)  # about 50 blocks: the bad rows come in late ones
    assert taken == [True, True]  # pyarrow, then pandas
    assert arrow == ["arrow"]  # pyarrow read it all, in about 15 batches
    parsed, columns = _parse(path, 0)
    found = [(p.location, p.field, p.problem, p.value, p.fix) for p in parsed.problems]
    assert found == [
        ("1502", "contract_id", "required value is empty", None, _EMPTY_ID_FIX),
        ("2502", "start_date", "not a date", "2026-02-30", "use YYYY-MM-DD, e.g. 2026-02-28"),
        ("2502", "public_feedback", "outside 1.0–5.0", "5.5", _STARS_FIX),
        ("3001", "disputed", "not a yes/no value", "maybe", _YES_NO_FIX),
    ]
    assert len(columns) == 2999  # 3000 rows but the one without an id
    assert columns.values["earnings"][-1] == 1200.0
    assert columns.values["earnings"][0] == 100.0


_EMPTY_ID_FIX = "every contract needs its id (Upwork's contract number or a unique name)"
_STARS_FIX = "write the stars from 1.0 to 5.0, or leave it empty for no feedback"
_YES_NO_FIX = "write true or false (or yes/no, 1/0, x/empty)"
