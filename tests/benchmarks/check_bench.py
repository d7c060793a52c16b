"""Benchmark of issue 11's goal 1: `timeline check` against libyaml alone, cold and warm.

`python tests/benchmarks/check_bench.py 10000 [runs]`: medians of `runs` fresh processes each of
(a) libyaml alone (read every file, yaml.load with CSafeLoader), (b) a cold check (--no-cache),
(c) a warm check (the cache filled, nothing changed). Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic_events import synthetic_events

LIBYAML_ALONE = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("events/*/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def _median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(events: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_events(Path(tmp) / "p", events)
        check = [sys.executable, "-m", "ai_timeline", "check", "--root", str(root)]
        alone = _median_seconds([sys.executable, "-c", LIBYAML_ALONE, str(root)], runs)
        cold = _median_seconds([*check, "--no-cache"], runs)
        subprocess.run(check, capture_output=True, check=False)  # fill the cache
        warm = _median_seconds(check, runs)
        print(f"{events} events, medians of {runs} fresh processes:")
        print(f"  libyaml alone {alone:6.2f} s")
        print(f"  cold check    {cold:6.2f} s  ({cold / alone:.2f}x libyaml alone; goal <= 2x)")
        print(f"  warm check    {warm:6.2f} s  (goal <= 1 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, int(sys.argv[2]) if len(sys.argv) > 2 else 5)
