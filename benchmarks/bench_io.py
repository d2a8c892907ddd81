"""Reading benchmark (issue 16): `validate` against pandas.read_csv(dtype=str) on the same file,
and the line reader against the pandas path (history/fastcsv.py) at a few sizes, which is how
its threshold FAST_BYTES was chosen.

    python benchmarks/bench_io.py              # 1M contracts, plus the crossover
    python benchmarks/bench_io.py --sizes 100000 --repeat 1

Histories come from benchmarks/bench.py's generator. Times are medians of whole processes
(validate) or of in-process reads (crossover: the line reader vs the fast path, measured in a
fresh subprocess each).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import write_history  # noqa: E402

_READ = """
import sys, time
from jsscheck.history import fastcsv
from jsscheck.history.sources import load_input, parse_input
fastcsv.FAST_BYTES = int(sys.argv[2])
t = time.perf_counter()
parse_input(load_input(sys.argv[1]), False, None).take_columns()
print(time.perf_counter() - t)
"""


def _process(command: list[str], repeat: int) -> tuple[float, float]:
    """Median seconds and peak memory (MiB) of a whole process."""
    times, peak = [], 0.0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        del before
    return statistics.median(times), peak


def _read(path: Path, threshold: int, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _READ, str(path), str(threshold)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(float(out.stdout))
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--crossover", type=int, nargs="*", default=[10_000, 30_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jsscheck = [sys.executable, "-m", "jsscheck"]
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.crossover:
            path = Path(tmp) / f"h{n}.csv"
            write_history(path, n, seed=1)
            line = _read(path, 10**18, args.repeat)
            fast = _read(path, 0, args.repeat)
            size = path.stat().st_size
            print(f"crossover {n:>9} rows {size / 1e6:6.1f} MB: line {line:.2f}s fast {fast:.2f}s")
        for n in args.sizes:
            path = Path(tmp) / f"h{n}.csv"
            write_history(path, n, seed=1)
            validate, validate_mem = _process([*jsscheck, "validate", str(path)], args.repeat)
            reference, reference_mem = _process(
                [sys.executable, "-c", f"import pandas; pandas.read_csv({str(path)!r}, dtype=str)"],
                args.repeat,
            )
            size = path.stat().st_size / 2**20
            print(
                f"{n} rows ({size:.0f} MiB): validate {validate:.2f}s ({validate_mem:.0f} MiB), "
                f"pandas.read_csv(dtype=str) {reference:.2f}s ({reference_mem:.0f} MiB), "
                f"ratio {validate / reference:.2f} (target <= 1.5)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
