"""Benchmark of issue 11's goal 1: `timeline check` against libyaml alone, cold and warm.

`python tests/benchmarks/check_bench.py 10000 [runs]`: medians of `runs` fresh processes each of
(a) libyaml alone (read every file, yaml.load with CSafeLoader), (b) a cold check (--no-cache),
in one process and in as many as it chooses, (c) a warm check (the cache filled, nothing
changed). The runs are interleaved, so load from elsewhere falls on each alike; the load
average is printed with the figures. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
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


def _seconds(command: list[str], **env: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, env={**os.environ, **env})
    return time.perf_counter() - started


def main(events: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_events(Path(tmp) / "p", events)
        check = [sys.executable, "-m", "ai_timeline", "check", "--root", str(root)]
        subprocess.run(check, capture_output=True, check=False)  # fill the cache
        load_before = os.getloadavg()[0]
        times: dict[str, list[float]] = {"alone": [], "cold": [], "cold1": [], "warm": []}
        for _ in range(runs):
            times["alone"].append(_seconds([sys.executable, "-c", LIBYAML_ALONE, str(root)]))
            times["cold"].append(_seconds([*check, "--no-cache"]))
            times["cold1"].append(_seconds([*check, "--no-cache"], TIMELINE_PROCESSES="1"))
            times["warm"].append(_seconds(check))
        alone, cold, cold1, warm = (statistics.median(times[key]) for key in ("alone", "cold", "cold1", "warm"))
        print(f"{events} events, medians of {runs} fresh processes ({os.cpu_count()} CPUs;", end=" ")
        print(f"1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after):")
        print(f"  libyaml alone       {alone:6.2f} s")
        print(f"  cold check          {cold:6.2f} s  ({cold / alone:.2f}x libyaml alone; goal <= 2x)")
        print(f"  cold, one process   {cold1:6.2f} s  ({cold1 / alone:.2f}x)")
        print(f"  warm check          {warm:6.2f} s  (goal <= 1 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, int(sys.argv[2]) if len(sys.argv) > 2 else 5)
