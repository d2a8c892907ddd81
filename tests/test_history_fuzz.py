"""Whatever bytes come in, reading ends in contracts or a documented error, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jsscheck.errors import InvalidInputError
from jsscheck.history import read_histories

HEADER = b"contract_id,client,start_date,end_date,earnings,public_feedback,private_feedback\n"
CELLS = st.sampled_from(
    [b"", b"1", b"A", b"2026-01-01", b"13/01/2026", b"(1)", b"$1,2", b'"', b'"x,y"', b"\n",
     b"\r", b"5.5", b"10", b"na", b"\xff", b"\x00", b"{", b"[", b"#", b";", b"\t", b"\xef\xbb\xbf"]
)  # fmt: skip


def read_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "h"
        path.write_bytes(data)
        try:
            result = read_histories([str(path)])
        except InvalidInputError as error:
            assert error.problems
            assert all(isinstance(line, str) for line in error.lines())
        else:
            assert result.contracts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    read_bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=1, max_size=9), max_size=6))
def test_csv_like_bytes_never_crash(rows: list[list[bytes]]) -> None:
    read_bytes(HEADER + b"\n".join(b",".join(row) for row in rows))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "contract_id",
                        "client",
                        "start_date",
                        "earnings",
                        "pageItems",
                        "contracts",
                        "id",
                        "totalCharges",
                        "feedback",
                        "x",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),  # fmt: skip
        max_leaves=12,
    )
)
def test_arbitrary_json_never_crashes(document: object) -> None:
    import json

    read_bytes(json.dumps(document).encode())
