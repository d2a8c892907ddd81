"""Inputs larger than the reader's 1 MB blocks and head: nothing may depend on where a block
ends (encodings decided on every byte, line numbers, line breaks split across blocks)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from jsscheck.errors import InvalidInputError
from jsscheck.history import read_histories
from jsscheck.history.tables import BLOCK_BYTES, HEAD_CHARS

HEADER = "contract_id,client,start_date,earnings"
#: Enough 40-byte rows to pass both the first block and the head several times over.
ROWS = 3 * max(BLOCK_BYTES, HEAD_CHARS) // 40


def rows(count: int, newline: str = "\n") -> str:
    return "".join(
        f"{100000 + i},Client {i % 97:02},2026-01-01,{i % 500}{newline}" for i in range(count)
    )


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    return str(path)


def problems_of(path: str) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        read_histories([path])
    return [line.split(os.sep)[-1] for line in caught.value.lines()]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_bad_value_past_the_first_megabyte_is_reported_on_its_own_line(
    tmp_path: Path, newline: str
) -> None:
    body = rows(ROWS, newline)
    text = HEADER + newline + body + f"999,Late,2026-02-30,5{newline}"
    path = write(tmp_path, text.encode())
    # header = line 1, ROWS good rows = lines 2..ROWS+1, the bad one is line ROWS + 2
    assert problems_of(path) == [
        f"big.csv:{ROWS + 2}: start_date: not a date (got '2026-02-30') — "
        "use YYYY-MM-DD, e.g. 2026-02-28"
    ]


def test_every_contract_of_a_large_file_is_read_with_its_bytes_hashed(tmp_path: Path) -> None:
    data = (HEADER + "\r\n" + rows(ROWS, "\r\n")).encode()
    result = read_histories([write(tmp_path, data)])
    assert len(result.contracts) == ROWS
    assert result.contracts[ROWS - 1].contract_id == str(100000 + ROWS - 1)
    assert result.contracts[ROWS - 1].earnings == float((ROWS - 1) % 500)
    assert result.source_sha256 == hashlib.sha256(data).hexdigest()


def test_one_windows_1252_byte_after_the_first_block_makes_the_whole_file_cp1252(
    tmp_path: Path,
) -> None:
    data = (HEADER + "\n" + rows(ROWS)).encode() + "7,Café,2026-01-01,5\n".encode("cp1252")
    result = read_histories([write(tmp_path, data)])
    assert result.contracts[-1].client == "Café"
    assert any("read as Windows-1252" in warning for warning in result.warnings)


def test_a_nul_byte_after_the_first_block_is_still_refused_as_binary(tmp_path: Path) -> None:
    data = (HEADER + "\n" + rows(ROWS)).encode() + b"8,Zed\x00,2026-01-01,5\n"
    (line,) = problems_of(write(tmp_path, data))
    assert "NUL bytes" in line


def test_a_large_csv_whose_header_is_quoted_is_not_taken_for_a_json_string(
    tmp_path: Path,
) -> None:
    header = ",".join(f'"{name}"' for name in HEADER.split(","))
    result = read_histories([write(tmp_path, (header + "\n" + rows(ROWS)).encode())])
    assert len(result.contracts) == ROWS


@pytest.mark.parametrize(
    ("text", "blanked"),
    [
        (
            "# jsscheck template\n#\n\ncontract_id,client\n# not a comment here\n1,a\n",
            "\n\n\ncontract_id,client\n# not a comment here\n1,a\n",
        ),
        ("  # indented\r\n\t# tab\r\ncontract_id\r\n", "  \r\n\t\r\ncontract_id\r\n"),
        ("# old Mac\rcontract_id\r1\r", "\rcontract_id\r1\r"),
        ("contract_id\n# after the header\n", "contract_id\n# after the header\n"),
        ("# only a comment, no line break", "# only a comment, no line break"),
        ("", ""),
    ],
)
def test_comment_lines_are_blanked_the_same_streamed_as_whole(text: str, blanked: str) -> None:
    import io

    from jsscheck.history.tables import blank_comment_lines, blank_leading_comments

    streamed = "".join(blank_comment_lines(io.StringIO(text, newline="")))
    assert streamed == blank_leading_comments(text)
    assert streamed == blanked


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_read_once_and_kept(tmp_path: Path) -> None:
    """`jsscheck score <(cat history.csv)` passes a pipe: it cannot be reopened and reread."""
    import threading

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    text = HEADER + "\n" + rows(3)

    def feed() -> None:
        with fifo.open("w") as pipe:
            pipe.write(text)

    writer = threading.Thread(target=feed)
    writer.start()
    result = read_histories([str(fifo)])
    writer.join(timeout=10)
    assert [c.contract_id for c in result.contracts] == ["100000", "100001", "100002"]
    assert result.source_sha256 == hashlib.sha256(text.encode()).hexdigest()
