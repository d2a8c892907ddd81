"""Process-level behaviour (issue 9), with real subprocesses: Ctrl-C, broken pipes, killed
writes and peak memory.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_bad_inputs import hermetic_env

AS_OF = "2026-11-21"
HEADER = (
    "contract_id,client,title,start_date,end_date,last_payment_date,earnings,public_feedback,"
    "private_feedback,feedback_date,disputed,client_flagged,excluded,paid_periods\n"
)
#: Contracts in the "large" history: timeline --every 1d takes several seconds on it, so a
#: signal sent after ~1 s lands in the middle of the work.
LARGE_ROWS = 100_000
#: The issue asks for a 200 MB history; CI cannot spend a minute and 2 GB on one test, so the
#: memory test scales it down to ~25 MB (180,000 contracts) and subtracts the interpreter's own
#: footprint (measured on a tiny history), which a 200 MB input would make negligible.
MEMORY_ROWS = 180_000
MEMORY_FACTOR = 4


def write_history(path: Path, rows: int, seed: int = 7) -> Path:
    """A canonical CSV of `rows` plausible contracts, 2022-2026, ~140 bytes a row."""
    rnd = random.Random(seed)
    first = date(2022, 1, 1)
    stars = ["5.0", "5.0", "5.0", "4.8", "4.0", "3.0", "", "1.0"]
    lines = [HEADER]
    for i in range(rows):
        start = first + timedelta(days=rnd.randrange(1700))
        end = start + timedelta(days=rnd.randrange(1, 200))
        lines.append(
            f"{10_000_000 + i},Client number {rnd.randrange(5000)},Job title of contract {i},"
            f"{start},{end},{end},{rnd.randrange(500_000) / 100},{rnd.choice(stars)},,,"
            "false,false,false,\n"
        )
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def large_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_history(tmp_path_factory.mktemp("large") / "large.csv", LARGE_ROWS)


def start(args: list[str], cwd: Path, **popen: object) -> subprocess.Popen[bytes]:
    popen.setdefault("stdout", subprocess.DEVNULL)
    popen.setdefault("stderr", subprocess.PIPE)
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "jsscheck", *args], cwd=cwd, env=hermetic_env(cwd), **popen
    )


def interrupt_after(process: subprocess.Popen[bytes], seconds: float) -> tuple[int, str]:
    """Send SIGINT (what Ctrl-C sends) after `seconds`; (exit code, stderr)."""
    time.sleep(seconds)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr.decode("utf-8", "replace")


def leftovers(directory: Path, name: str) -> list[str]:
    """Temporary files write_atomic may have left beside `name`."""
    return [p.name for p in directory.iterdir() if p.name.startswith(f".{name}.")]


def is_complete_png(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


# --- Ctrl-C ------------------------------------------------------------------------------------


def test_sigint_mid_timeline_exits_130_without_traceback_or_partial_plot(
    large_history: Path, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "timeline.png"
    process = start(
        ["timeline", str(large_history), "--as-of", AS_OF, "--every", "1d", "--format", "csv",
         "--plot", str(plot)],
        tmp_path,
    )  # fmt: skip
    code, stderr = interrupt_after(process, 1.0)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "interrupted" in stderr
    assert not plot.exists() or is_complete_png(plot)
    assert not leftovers(tmp_path, plot.name)


@pytest.mark.parametrize("seconds", [0.5, 1.2])
def test_sigint_during_import_leaves_the_old_file_or_a_complete_new_one(
    large_history: Path, tmp_path: Path, seconds: float
) -> None:
    output = tmp_path / "history.csv"
    output.write_text("the old file\n")
    process = start(["import", str(large_history), "-o", str(output)], tmp_path)
    code, stderr = interrupt_after(process, seconds)
    assert "Traceback" not in stderr
    if code == 130:
        assert output.read_text() == "the old file\n"
    else:  # finished before the signal came
        assert code == 0, stderr
        assert output.read_bytes().count(b"\n") == LARGE_ROWS + 1
    assert not leftovers(tmp_path, output.name)


def test_sigint_during_score_exits_130_quietly(large_history: Path, tmp_path: Path) -> None:
    process = start(["score", str(large_history), "--as-of", AS_OF, "--format", "json"], tmp_path)
    code, stderr = interrupt_after(process, 0.8)
    assert code == 130, stderr
    assert stderr.strip() == "jsscheck: interrupted"


# --- broken pipes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def medium_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_history(tmp_path_factory.mktemp("medium") / "medium.csv", 3_000)


PIPED_COMMANDS = {
    "timeline csv": ["timeline", "--from", "2019-01-01", "--every", "1d", "--format", "csv"],
    "timeline table": ["timeline", "--from", "2019-01-01", "--every", "1d", "--format", "table"],
    "timeline json": ["timeline", "--from", "2019-01-01", "--every", "1d", "--format", "json"],
    "score markdown": ["score", "--format", "markdown"],
    "score table": ["score", "--format", "table"],
    "import": ["import"],
}


@pytest.mark.parametrize("name", list(PIPED_COMMANDS))
def test_output_piped_into_head_exits_quietly(
    name: str, medium_history: Path, tmp_path: Path
) -> None:
    args = PIPED_COMMANDS[name]
    command, options = args[0], args[1:]
    if command != "import":
        options += ["--as-of", AS_OF]
    line = " ".join([sys.executable, "-m", "jsscheck", command, str(medium_history), *options])
    # `jsscheck ... | head -1` in a real shell, reporting jsscheck's own exit code.
    done = subprocess.run(
        ["bash", "-c", f"{line} 2>stderr.txt | head -c 20; exit ${{PIPESTATUS[0]}}"],
        cwd=tmp_path,
        env=hermetic_env(tmp_path),
        capture_output=True,
        timeout=120,
    )
    stderr = (tmp_path / "stderr.txt").read_text()
    assert done.stdout, "head printed the start of the output"
    assert "BrokenPipe" not in stderr and "Traceback" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr
    assert stderr == "", stderr
    assert done.returncode == 0


# --- killed writes -----------------------------------------------------------------------------

KILLED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    import jsscheck.files as files

    def stall(fd):  # the new data is written, not yet renamed: the worst moment to die
        print("writing", flush=True)
        time.sleep(60)

    files.os.fsync = stall
    files.write_atomic(sys.argv[1], b"new contract data\\n" * 100_000)
    """
)


@pytest.mark.parametrize("existed", [True, False], ids=["old file", "no file"])
def test_kill_9_in_the_middle_of_a_write_leaves_the_old_file_or_none(
    tmp_path: Path, existed: bool
) -> None:
    target = tmp_path / "history.csv"
    if existed:
        target.write_text("the old file\n")
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)],
        stdout=subprocess.PIPE,
        env=hermetic_env(tmp_path),
    )
    assert process.stdout is not None
    assert process.stdout.readline() == b"writing\n"
    process.kill()
    process.wait(timeout=30)
    if existed:
        assert target.read_text() == "the old file\n"
    else:
        assert not target.exists()


@pytest.mark.parametrize("seconds", [0.7, 1.5])
def test_kill_9_during_import_leaves_the_old_file_or_a_complete_new_one(
    large_history: Path, tmp_path: Path, seconds: float
) -> None:
    output = tmp_path / "history.csv"
    output.write_text("the old file\n")
    process = start(["import", str(large_history), "-o", str(output)], tmp_path)
    time.sleep(seconds)
    process.kill()
    process.communicate(timeout=60)
    data = output.read_bytes()
    if data != b"the old file\n":  # then the complete new file, down to its last contract
        assert data.count(b"\n") == LARGE_ROWS + 1, data[-200:]
        assert f"{10_000_000 + LARGE_ROWS - 1},".encode() in data.splitlines()[-1]


# --- memory ------------------------------------------------------------------------------------


#: Runs jsscheck and prints its peak RSS. On Linux a child's ru_maxrss starts at the high-water
#: mark of the process that forked it (exec records the old address space's peak), so the
#: measurement is taken from this small fresh interpreter, never from the big pytest process.
MEASURE = textwrap.dedent(
    """
    import os, subprocess, sys
    child = subprocess.Popen(
        [sys.executable, "-m", "jsscheck", *sys.argv[1:]],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    print(child.returncode, usage.ru_maxrss)
    """
)


def peak_rss_bytes(args: list[str], cwd: Path) -> int:
    """Run `python -m jsscheck ARGS` and return its peak resident memory (os.wait4)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args],
        cwd=cwd,
        env=hermetic_env(cwd),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    code, kilobytes = map(int, done.stdout.split())
    assert code == 0, args
    return kilobytes * 1024  # ru_maxrss is in kilobytes on Linux


@pytest.fixture(scope="module")
def memory_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_history(tmp_path_factory.mktemp("memory") / "memory.csv", MEMORY_ROWS)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is in KB on Linux")
@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["score", "--as-of", AS_OF, "--format", "json"], id="score"),
        pytest.param(["validate"], id="validate"),
    ],
)
def test_peak_memory_stays_under_4x_the_history_size(
    command: list[str], memory_history: Path, tmp_path: Path
) -> None:
    tiny = write_history(tmp_path / "tiny.csv", 10)
    size = memory_history.stat().st_size
    name, options = command[0], command[1:]
    baseline = peak_rss_bytes([name, str(tiny), *options], tmp_path)
    peak = peak_rss_bytes([name, str(memory_history), *options], tmp_path)
    used = peak - baseline
    assert used < MEMORY_FACTOR * size, (
        f"{name}: {used / 2**20:.0f} MB above the interpreter's {baseline / 2**20:.0f} MB for a "
        f"{size / 2**20:.0f} MB history ({used / size:.1f}x)"
    )
