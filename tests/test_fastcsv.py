"""The C-speed CSV path (history/fastcsv.py) reads every file exactly as the line reader does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
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


def _parse(path: Path, threshold: int) -> tuple[Any, Any]:
    old = fastcsv.FAST_BYTES
    fastcsv.FAST_BYTES = threshold
    try:
        parsed = parse_input(load_input(str(path)), False, None)
    finally:
        fastcsv.FAST_BYTES = old
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
    slow, slow_columns = _parse(path, 10**18)
    fast, fast_columns = _parse(path, 0)
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
def test_both_paths_read_the_same(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(data)
    _both(path)


def test_a_plain_file_takes_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.csv"
    rows = [HEADER] + [
        f"c{i},Acme,2026-01-0{1 + i % 9},{i}00,,5,{'' if i else 'yes'}" for i in range(50)
    ]
    rows.append('c99,"Beta, Inc",2026-02-01,bad,,4.5,')
    path.write_text("\n".join(rows) + "\n")
    taken = []
    real = fastcsv.read_body

    def spy(*args: Any) -> bool:
        taken.append(real(*args))
        return taken[-1]

    monkeypatch.setattr(fastcsv, "read_body", spy)
    _both(path)
    assert taken == [True]  # the line reader's run (threshold 10**18) never calls it
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


def test_pandas_is_not_imported_for_a_small_file(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(f"{HEADER}\nc1,Acme,2026-01-01,10,,,\n")
    code = (
        "import sys; from jsscheck.history.sources import load_input, parse_input; "
        f"parse_input(load_input({str(path)!r}), False, None); print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
