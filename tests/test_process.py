"""Process-level behaviour (issue 9), with real subprocesses: Ctrl-C, broken pipes, killed
writes and peak memory.

Signals are sent once the child has reached a chosen function (it creates a file there), never
after a sleep, and the child gets the default SIGINT handling whatever pytest was started with.
"""

from __future__ import annotations

import contextlib
import errno
import io
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import hermetic_env, write_large_history

#: Every test here starts real interpreters (a few seconds each on 2 cores).
pytestmark = pytest.mark.slow

AS_OF = "2026-11-21"
#: Contracts in the history the signal tests read: enough for every stage to do real work.
ROWS = 3_000
#: The issue asks for a 200 MB history; CI cannot spend a minute and 2 GB on one test, so the
#: memory test scales it down to ~25 MB (180,000 contracts) and subtracts the interpreter's own
#: footprint (measured on a tiny history), which a 200 MB input would make negligible.
MEMORY_ROWS = 180_000
MEMORY_FACTOR = 4


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_large_history(tmp_path_factory.mktemp("history") / "history.csv", ROWS)


#: Runs `jsscheck ARGS` with one function hooked: on its first call the hook creates the
#: MARK file (the test waits for it, so the signal lands exactly there, whatever the machine's
#: speed), then either repeats the real work until a signal stops it ("loop") or stalls
#: ("stall": e.g. in fsync, the new file written but not yet renamed).
HOOKED = textwrap.dedent(
    """
    import importlib, os, sys, time
    mark, mode, target, *args = sys.argv[1:]
    module_name, path = target.split(":")
    owner = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:  # jsscheck.files:os.fsync → the os module's fsync
        owner = getattr(owner, parent)
    real = getattr(owner, name)

    def hooked(*a, **k):
        open(mark, "w").close()
        while mode == "loop":
            real(*a, **k)
        time.sleep(600)

    setattr(owner, name, hooked)
    from jsscheck.cli import main
    sys.argv = ["jsscheck", *args]
    main()
    """
)

#: Where each stage of the work can be caught.
READING = "jsscheck.history:read_histories"
SCORING = "jsscheck.analyses.score:score_report"
TIMELINE = "jsscheck.analyses.timeline:compute_timeline"
RENAMING = "jsscheck.files:os.fsync"


def _default_sigint() -> None:
    # pytest may run with SIGINT or SIGHUP ignored (nohup, some CI runners); an ignored signal
    # is inherited through exec: Python then never raises KeyboardInterrupt, and a hang-up
    # never ends the child. A program started from a terminal has the default disposition of
    # both, so give the child that.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def start_hooked(
    args: list[str], cwd: Path, *, hook: str, mode: str = "loop"
) -> subprocess.Popen[bytes]:
    """Start `jsscheck ARGS` with `hook` (module:function) hooked; return once it is there."""
    mark = cwd / f"reached-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [sys.executable, "-c", HOOKED, str(mark), mode, hook, *args],
        cwd=cwd,
        env=hermetic_env(cwd),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 120
    while not mark.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            _, stderr = process.communicate(timeout=60)
            pytest.fail(f"never reached {hook} (exit {process.returncode}): {stderr.decode()}")
        time.sleep(0.01)
    return process


def interrupt(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    """Send SIGINT (what Ctrl-C sends), again every 10 s while the process runs, as a person
    presses Ctrl-C again; (exit code, stderr). A KeyboardInterrupt raised where a C library
    clears errors is lost: numpy's lookups on IntEnum types did that to about one Ctrl-C in
    a few hundred (engine.outcomes now avoids them, tests/test_engine.py checks it); pressing
    again keeps the suite from hanging on any other such spot."""
    for _ in range(6):
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    else:
        process.kill()
        _, stderr = process.communicate()
    return process.returncode, stderr.decode("utf-8", "replace")


def leftovers(directory: Path, name: str) -> list[str]:
    """Temporary files write_atomic may have left beside `name`."""
    return [p.name for p in directory.iterdir() if p.name.startswith(f".{name}.")]


def is_complete_png(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


# --- Ctrl-C ------------------------------------------------------------------------------------


def test_sigint_mid_timeline_exits_130_without_traceback_or_partial_plot(
    history: Path, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "timeline.png"
    process = start_hooked(
        ["timeline", str(history), "--as-of", AS_OF, "--every", "1d", "--format", "csv",
         "--plot", str(plot)],
        tmp_path,
        hook=TIMELINE,
    )  # fmt: skip
    code, stderr = interrupt(process)
    assert code == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip() == "jsscheck: interrupted"
    assert not plot.exists()
    assert not leftovers(tmp_path, plot.name)


@pytest.mark.parametrize("hook", [READING, RENAMING], ids=["reading", "renaming"])
def test_sigint_during_import_leaves_the_old_file(history: Path, tmp_path: Path, hook: str) -> None:
    output = tmp_path / "history.csv"
    output.write_text("the old file\n")
    mode = "stall" if hook == RENAMING else "loop"
    process = start_hooked(
        ["import", str(history), "-o", str(output), "--force"], tmp_path, hook=hook, mode=mode
    )
    code, stderr = interrupt(process)
    assert code == 130, stderr
    assert "Traceback" not in stderr
    assert output.read_text() == "the old file\n"
    assert not leftovers(tmp_path, output.name)


def test_an_import_that_is_not_interrupted_writes_the_complete_file(
    history: Path, tmp_path: Path
) -> None:
    output = tmp_path / "history.csv"
    output.write_text("the old file\n")
    argv = ["import", str(history), "-o", str(output), "-q", "--force"]
    done = subprocess.run(
        [sys.executable, "-m", "jsscheck", *argv],
        cwd=tmp_path,
        env=hermetic_env(tmp_path),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = output.read_bytes().splitlines()
    assert len(lines) == ROWS + 1
    assert lines[-1].startswith(f"{10_000_000 + ROWS - 1},".encode())
    assert not leftovers(tmp_path, output.name)


def test_sigint_during_score_exits_130_quietly(history: Path, tmp_path: Path) -> None:
    process = start_hooked(
        ["score", str(history), "--as-of", AS_OF, "--format", "json"], tmp_path, hook=SCORING
    )
    code, stderr = interrupt(process)
    assert code == 130, stderr
    assert stderr.strip() == "jsscheck: interrupted"


# --- broken pipes ------------------------------------------------------------------------------


PIPED_COMMANDS = {
    "timeline csv": ["timeline", "--from", "2019-01-01", "--every", "1d", "--format", "csv"],
    "timeline table": ["timeline", "--from", "2019-01-01", "--every", "1d", "--format", "table"],
    "timeline json": ["timeline", "--from", "2019-01-01", "--every", "1d", "--format", "json"],
    "score markdown": ["score", "--format", "markdown"],
    "score table": ["score", "--format", "table"],
    "import": ["import"],
}


@pytest.mark.parametrize("name", list(PIPED_COMMANDS))
def test_output_piped_into_head_exits_quietly(name: str, history: Path, tmp_path: Path) -> None:
    args = PIPED_COMMANDS[name]
    command, options = args[0], args[1:]
    if command != "import":
        options += ["--as-of", AS_OF]
    line = " ".join([sys.executable, "-m", "jsscheck", command, str(history), *options])
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
    # Nothing but the model's warnings (MODEL.md 11: open contracts credited).
    assert all(line.startswith("jsscheck: warning: ") for line in stderr.splitlines()), stderr
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


@pytest.mark.parametrize("hook", [READING, RENAMING], ids=["reading", "renaming"])
def test_kill_9_during_import_leaves_the_old_file(history: Path, tmp_path: Path, hook: str) -> None:
    output = tmp_path / "history.csv"
    output.write_text("the old file\n")
    mode = "stall" if hook == RENAMING else "loop"
    process = start_hooked(
        ["import", str(history), "-o", str(output), "--force"], tmp_path, hook=hook, mode=mode
    )
    process.kill()
    process.communicate(timeout=60)
    assert output.read_bytes() == b"the old file\n"


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
    return write_large_history(tmp_path_factory.mktemp("memory") / "memory.csv", MEMORY_ROWS)


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
    tiny = write_large_history(tmp_path / "tiny.csv", 10)
    size = memory_history.stat().st_size
    name, options = command[0], command[1:]
    baseline = peak_rss_bytes([name, str(tiny), *options], tmp_path)
    peak = peak_rss_bytes([name, str(memory_history), *options], tmp_path)
    used = peak - baseline
    assert used < MEMORY_FACTOR * size, (
        f"{name}: {used / 2**20:.0f} MB above the interpreter's {baseline / 2**20:.0f} MB for a "
        f"{size / 2**20:.0f} MB history ({used / size:.1f}x)"
    )


# --- SIGTERM / SIGHUP during an -o write (issue 20, item 8) -------------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "history.csv"


def _writes(tmp_path: Path, history: Path) -> dict[str, tuple[list[str], str]]:
    """Every command that writes a file with write_atomic: (arguments, the file's name)."""
    observed = tmp_path / "observed.csv"
    observed.write_text("date,jss\n2026-06-01,100\n2026-11-01,100\n", encoding="utf-8")
    return {
        "import": (["import", str(history), "-o", "out.csv"], "out.csv"),
        "init": (["init", "-o", "out.csv"], "out.csv"),
        "plot": (
            ["timeline", str(SAMPLE), "--as-of", AS_OF, "--every", "30", "--plot", "out.png"],
            "out.png",
        ),
        "write-rules": (
            ["calibrate", str(SAMPLE), "--observed", str(observed), "--write-rules", "out.toml"],
            "out.toml",
        ),
    }


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("command", ["import", "init", "plot", "write-rules"])
def test_sigterm_or_sighup_during_a_write_leaves_no_temp_file(
    history: Path, tmp_path: Path, command: str, signame: str
) -> None:
    if command == "plot":
        pytest.importorskip("matplotlib")
    args, name = _writes(tmp_path, history)[command]
    # Stalled in fsync: the temp file is written in full but not yet renamed.
    process = start_hooked(args, tmp_path, hook=RENAMING, mode="stall")
    assert leftovers(tmp_path, name), "the write should be under way"
    signum = getattr(signal, signame)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=180)
    assert leftovers(tmp_path, name) == []
    assert not (tmp_path / name).exists()
    # The process still ends as the signal ends it (cron and shells see "killed by SIGTERM").
    assert process.returncode == -signum, stderr.decode()
    assert b"Traceback" not in stderr


def test_a_signal_the_process_ignores_stays_ignored_during_a_write(tmp_path: Path) -> None:
    # nohup: SIGHUP ignored. write_atomic must not install its handler over that.
    script = textwrap.dedent(
        """
        import signal, sys
        from jsscheck.files import write_atomic
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        import jsscheck.files as files
        real = files.os.fsync
        def hooked(fd):
            signal.raise_signal(signal.SIGHUP)  # ignored: the write goes on
            real(fd)
        files.os.fsync = hooked
        write_atomic(sys.argv[1], b"kept")
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        """
    )
    target = tmp_path / "kept.txt"
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert target.read_bytes() == b"kept"
    assert leftovers(tmp_path, "kept.txt") == []


# --- Ctrl-C right after a snapshot is committed -------------------------------------------------

#: `jsscheck snapshot` with SnapshotStore.previous (called after the COMMIT, before the
#: confirmation is printed) held until the test has sent SIGINT: MARK says "committed", GO
#: lets it continue.
AFTER_COMMIT = textwrap.dedent(
    """
    import os, sys, time
    mark, go, *args = sys.argv[1:]
    from jsscheck.store.snapshots import SnapshotStore
    real = SnapshotStore.previous

    def hooked(self, *a, **k):
        open(mark, "w").close()
        while not os.path.exists(go):
            time.sleep(0.01)
        return real(self, *a, **k)

    SnapshotStore.previous = hooked
    from jsscheck.cli import main
    sys.argv = ["jsscheck", *args]
    main()
    """
)


def test_sigint_after_a_snapshot_is_committed_says_it_was_stored(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    mark, go = tmp_path / "committed", tmp_path / "go"
    process = subprocess.Popen(
        [sys.executable, "-c", AFTER_COMMIT, str(mark), str(go), "snapshot", str(SAMPLE)]
        + ["--as-of", AS_OF, "--store", str(store)],
        cwd=tmp_path,
        env=hermetic_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 120
    while not mark.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.stderr
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    go.touch()
    stdout, stderr = process.communicate(timeout=60)
    err = stderr.decode()
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "was stored" in err and "snapshot 1" in err, err
    assert stdout.decode().strip(), "the confirmation is printed before stopping"
    listed = subprocess.run(
        [sys.executable, "-m", "jsscheck", "snapshots", "list", "--store", str(store)],
        env=hermetic_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0 and AS_OF in listed.stdout, listed.stderr


# --- output errors (issue 20, item 7) -----------------------------------------------------------


def _jsscheck(args: list[str], tmp_path: Path, **streams: object) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "jsscheck", *args],
        env=hermetic_env(tmp_path),
        cwd=tmp_path,
        timeout=120,
        **streams,  # type: ignore[call-overload]
    )
    stderr = done.stderr.decode() if isinstance(done.stderr, bytes) else ""
    return done.returncode, stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("output_format", ["table", "json"])
def test_stdout_on_a_full_disk_exits_74_with_a_message(tmp_path: Path, output_format: str) -> None:
    with open("/dev/full", "w") as full:
        code, stderr = _jsscheck(
            ["score", str(SAMPLE), "--as-of", AS_OF, "--format", output_format],
            tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
        )
    assert code == 74, stderr
    assert "disk is full" in stderr and "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if not line.startswith("jsscheck: warning:")]
    assert len(errors) == 1, stderr  # nothing more at exit ("Exception ignored ...")


def test_closed_stdout_exits_74_with_a_message(tmp_path: Path) -> None:
    script = "import os, sys, runpy; os.close(1); runpy.run_module('jsscheck', run_name='__main__')"
    done = subprocess.run(
        [sys.executable, "-c", script, "score", str(SAMPLE), "--as-of", AS_OF],
        env=hermetic_env(tmp_path),
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    stderr = done.stderr.decode()
    assert done.returncode == 74, stderr
    assert "output is closed" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "missing.csv"], 66),
        (["score", str(SAMPLE), "--as-of", "0001-01-01"], 2),
        (["score", str(SAMPLE), "--as-of", AS_OF], 0),
    ],
)
def test_closed_stderr_keeps_the_real_exit_code(
    tmp_path: Path, args: list[str], expected: int
) -> None:
    script = "import os, runpy; os.close(2); runpy.run_module('jsscheck', run_name='__main__')"
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=hermetic_env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == expected


class _FailingStream(io.StringIO):
    """A stdout whose every write fails with `error` (a full disk, a closed descriptor)."""

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (OSError(errno.EBADF, "Bad file descriptor"), "the output is closed"),
        (OSError(errno.EIO, "Input/output error"), "input/output error"),
    ],
    ids=["ENOSPC", "EBADF", "EIO"],
)
@pytest.mark.parametrize("output_format", ["table", "json", "markdown"])
def test_an_output_error_in_process_is_exit_74_with_a_message(
    error: OSError, words: str, output_format: str
) -> None:
    from jsscheck.cli.app import run
    from jsscheck.cli.environment import MockEnvironment

    env = MockEnvironment(stdout=_FailingStream(error))
    with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
        code = run(["score", str(SAMPLE), "--as-of", AS_OF, "--format", output_format], env=env)
    assert code == 74, env.err
    errors = [line for line in env.err.splitlines() if not line.startswith("jsscheck: warning:")]
    assert errors[0].startswith("jsscheck: cannot write the output: ") and words in env.err
    assert len(errors) == 1 and "Traceback" not in env.err


def test_a_failing_stderr_keeps_the_real_exit_code_in_process() -> None:
    from jsscheck.cli.app import run
    from jsscheck.cli.environment import MockEnvironment

    env = MockEnvironment(stderr=_FailingStream(OSError(errno.EBADF, "Bad file descriptor")))
    with contextlib.redirect_stdout(env.stdout), contextlib.redirect_stderr(env.stderr):
        assert run(["validate", "missing.csv"], env=env) == 66
        assert run(["score", str(SAMPLE), "--as-of", "0001-01-01"], env=env) == 2


def test_sigint_while_the_program_is_still_starting_exits_130_without_traceback(
    tmp_path: Path,
) -> None:
    # What the `jsscheck` script does first is import the package; a Ctrl-C from then until
    # main() is ready (imports of typer, the command) used to print a KeyboardInterrupt
    # traceback. The signal is sent at a fixed point here, so the test is deterministic.
    script = textwrap.dedent(
        """
        import os, signal, sys, time
        sys.argv[0] = "/usr/local/bin/jsscheck"
        import jsscheck
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(30)
        raise SystemExit("not interrupted")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=hermetic_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_default_sigint,
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "jsscheck: interrupted\n"


def test_importing_the_package_elsewhere_leaves_sigint_alone(tmp_path: Path) -> None:
    script = (
        "import signal, jsscheck\n"
        "assert signal.getsignal(signal.SIGINT) is signal.default_int_handler"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=hermetic_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_default_sigint,
    )
    assert done.returncode == 0, done.stderr
