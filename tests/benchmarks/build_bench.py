"""Benchmark for issue 11: the five performance goals at N synthetic events, each measured
against its baseline in the same run, printed as a table with PASS/FAIL per goal.

    make bench                                    # 1,000, 4,000 and 10,000 events (tens of minutes)
    python tests/benchmarks/build_bench.py 1000 --quick        # one run of each, ~2 min
    python tests/benchmarks/build_bench.py 4000 --runs 5 --skip serve,search

Not a test: it asserts nothing (the machine's load moves every figure); medians of --runs runs
(default 3) for the check, the builds and the serve edits. The record is records.py's: seeded,
realistic and valid (`timeline check` passes on it).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: sitebuild
sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import MKDOCS, goal_build, goal_check, goal_serve, goal_weight, run_timed
from records import search_queries, write_project
from search_timing import goal_search

GOALS = ("check", "build", "serve", "weight", "search")
# (key, label, format, target text, test) in the order printed; a test returns True on PASS.
ROWS = [
    ("libyaml_s", "1 libyaml parse, all files (s)", "{:.2f}", "baseline", None),
    ("check_cold_s", "1 timeline check, cold (s)", "{:.2f}", "", None),
    ("check_ratio", "1 check cold / libyaml", "{:.2f}x", "<= 2x", lambda v: v <= 2),
    ("check_warm_s", "1 timeline check, unchanged (s)", "{:.2f}", "<= 1 s", lambda v: v <= 1),
    ("plain_build_s", "2 plain Material build (s)", "{:.1f}", "baseline", None),
    ("build_s", "2 mkdocs build, plugin (s)", "{:.1f}", "", None),
    ("build_ratio", "2 build / plain", "{:.2f}x", "<= 0.9x", lambda v: v <= 0.9),
    ("plain_peak_mb", "2 plain build peak RSS (MB)", "{:.0f}", "baseline", None),
    ("build_peak_mb", "2 plugin build peak RSS, largest process (MB)", "{:.0f}", "", None),
    ("plain_tree_mb", "2 plain build peak PSS, all processes (MB)", "{:.0f}", "baseline", None),
    ("build_tree_mb", "2 plugin build peak PSS, all processes (MB)", "{:.0f}", "", None),
    ("peak_ratio", "2 peak PSS / plain peak PSS", "{:.2f}x", "<= 1.25x", lambda v: v <= 1.25),
    ("serve_first_build_s", "3 serve --dirty: first build (s)", "{:.1f}", "", None),
    ("serve_dirty_edit_s", "3 serve --dirty: edit visible (s)", "{:.1f}", "<= 2 s @4k", lambda v: v <= 2),
    ("serve_full_edit_s", "3 serve (full rebuild): edit (s)", "{:.1f}", "<= 2 s @4k", lambda v: v <= 2),
    ("event_page_median_kb", "4 event page, median (KB)", "{:.1f}", "flat in N", None),
    ("event_page_max_kb", "4 event page, max (KB)", "{:.1f}", "flat in N", None),
    ("largest_page_kb", "4 largest page (KB)", "{:.0f}", "<= ~500 KB", lambda v: v <= 500),
    ("largest_page", "4 largest page", "{}", "", None),
    ("index_bytes_per_event", "4 search index per event (B)", "{:.0f}", "flat in N", None),
    ("search_first_s", "5 open + type to first result (s)", "{:.2f}", "<= 1.5 s", lambda v: v <= 1.5),
    ("search_warm_s", "5 warm query (s)", "{:.3f}", "<= 0.3 s", lambda v: v <= 0.3),
    ("longest_task_ms", "5 longest task while searching (ms)", "{:.0f}", "<= 100 ms", lambda v: v <= 100),
    ("startup_task_ms", "5 longest task of page start-up (ms)", "{:.0f}", "(Material's)", None),
    ("index_mb", "5 search index (MB)", "{:.2f}", "<= 8 MB", lambda v: v <= 8),
]
FLAT = ("event_page_median_kb", "event_page_max_kb", "index_bytes_per_event")


def environment() -> str:
    cores = len(os.sched_getaffinity(0))
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {cores} cores ({platform.machine()}); "
        f"Python {platform.python_version()}; mkdocs {version('mkdocs')}; mkdocs-material {version('mkdocs-material')}; "
        f"PyYAML {version('PyYAML')}; load average {os.getloadavg()[0]:.1f} (other work moves every figure)"
    )


def measure_size(n: int, runs: int, skip: set[str], serve_modes: list[str]) -> dict[str, float | str]:
    results: dict[str, float | str] = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        generator = write_project(work / "project", n)
        project = work / "project"
        log(n, f"generated {n} events, {len(generator.entities)} entities in {time.perf_counter() - started:.1f} s")
        if "check" not in skip:
            results.update(goal_check(project, runs))
            log(
                n,
                f"check {results['check_cold_s']:.2f} s cold, {results['check_warm_s']:.2f} s warm, libyaml {results['libyaml_s']:.2f} s",
            )
        if "build" not in skip:
            results.update(goal_build(project, work, runs))
            log(n, f"build {results['build_s']:.1f} s vs plain {results['plain_build_s']:.1f} s")
        elif not {"weight", "search"} <= skip:  # goals 4 and 5 still need the site
            run_timed([*MKDOCS, "build", "--strict", "-d", str(work / "site")], project)
        if "weight" not in skip:
            results.update(goal_weight(work / "site", n))
            log(n, f"largest page {results['largest_page']} {results['largest_page_kb']:.0f} KB")
        if "search" not in skip:
            first, warm = search_queries(generator)
            results.update(goal_search(work / "site", first, warm))
            log(
                n,
                f"search first {results['search_first_s']:.2f} s, warm {results['search_warm_s']:.3f} s ({results.pop('chromium')})",
            )
        shutil.rmtree(work / "site", ignore_errors=True)
        if "serve" not in skip:
            for mode in serve_modes:
                figures = goal_serve(project, dirty=mode == "dirty", edits=runs)
                results[f"serve_{mode}_edit_s"] = figures["edit_s"]
                if mode == "dirty":
                    results["serve_first_build_s"] = figures["first_build_s"]
                log(n, f"serve {mode}: edit visible in {figures['edit_s']:.1f} s")
    return results


def log(n: int, message: str) -> None:
    print(f"[{n:>6}] {message}", file=sys.stderr, flush=True)


def verdict(key: str, test, n: int, value: float | str) -> str:
    if test is None or isinstance(value, str):
        return ""
    if key.startswith("serve_") and n != 4000:
        return ""  # the goal is stated at 4,000 events
    return " PASS" if test(value) else " FAIL"


def table(sizes: list[int], results: dict[int, dict[str, float | str]]) -> str:
    width = 32  # a path fits
    lines = [f"{'goal / measure':<36} {'target':<12}" + "".join(f"{f'{n:,} events':>{width}}" for n in sizes)]
    lines.append("-" * len(lines[0]))
    for key, label, form, target, test in ROWS:
        if not any(key in results[n] for n in sizes):
            continue
        cells = []
        for n in sizes:
            value = results[n].get(key)
            text = "-" if value is None else form.format(value) + verdict(key, test, n, value)
            cells.append(f"{text[-width + 1 :]:>{width}}")
        lines.append(f"{label:<36} {target:<12}" + "".join(cells))
    for key in FLAT:  # flat in N: the largest size's figure within 15% of the smallest's
        values = [results[n][key] for n in sizes if key in results[n]]
        if len(values) > 1:
            growth = float(values[-1]) / float(values[0])
            lines.append(
                f"{'4 ' + key + ' growth':<36} {'<= 1.15x':<12}{f'{growth:.2f}x ' + ('PASS' if growth <= 1.15 else 'FAIL'):>{width}}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 4000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure; the median is printed (default 3)")
    parser.add_argument("--quick", action="store_true", help="one run of each (same as --runs 1)")
    parser.add_argument("--skip", default="", help=f"comma-separated goals to leave out: {','.join(GOALS)}")
    parser.add_argument("--serve-modes", default="dirty,full", help="mkdocs serve modes to time: dirty, full or both")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    skip = {s for s in args.skip.split(",") if s}
    print(environment(), flush=True)
    print(f"sizes {args.sizes}; median of {runs} run(s) per measure; builds and cold checks with caches removed", flush=True)
    results: dict[int, dict[str, float | str]] = {}
    started = time.perf_counter()
    for n in args.sizes:
        results[n] = measure_size(n, runs, skip, [m for m in args.serve_modes.split(",") if m])
        print(f"\n{table(args.sizes[: len(results)], results)}\nload average {os.getloadavg()[0]:.1f}\n", flush=True)
    print(f"benchmark took {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
