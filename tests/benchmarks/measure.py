"""Measurements for the issue 11 benchmark: each runs the real commands in fresh processes on
a synthetic project and returns figures (seconds, MB); build_bench.py prints them."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from records import event_files
from sitebuild import MKDOCS, build_env

PYTHON = sys.executable
TIMELINE = [PYTHON, "-m", "ai_timeline"]
GNU_TIME = "/usr/bin/time"
# libyaml alone: read and parse every file, nothing else, in a process of its own.
LIBYAML = (
    "import sys, yaml\n"
    "for name in open(sys.argv[1], encoding='utf-8').read().split('\\n'):\n"
    "    yaml.load(open(name, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n"
)
# Fallback when GNU time is missing: a fresh wrapper per run, so its children's peak is the build's.
RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def bench_env() -> dict[str, str]:
    """The tests' build environment, with the check cache where it is by default (clear_caches finds it)."""
    return {k: v for k, v in build_env().items() if k not in ("TIMELINE_CACHE_DIR", "TIMELINE_NO_CACHE")}


@dataclass
class Run:
    seconds: float
    peak_mb: float  # peak RSS of the largest single process (GNU time)
    tree_mb: float = 0.0  # peak of the summed PSS of the process and all its children (sampled)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the process just ended
                todo += [int(c) for c in children.read_text().split()]
    return found


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


class TreeMemory:
    """The peak, sampled every 20 ms, of the memory a process and its forked children use
    together, as PSS (shared pages counted once, split between their sharers): what a build
    that forks workers costs the machine, which no single process's peak RSS shows."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(0.02):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak_kb / 1024


def run_timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak memory of one command; raises with its output if it fails."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        if os.access(GNU_TIME, os.X_OK):
            wrapped = [GNU_TIME, "-f", "%M", "-o", rss.name, *command]
        else:
            wrapped = [PYTHON, "-c", RSS_WRAPPER, rss.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(
            wrapped, cwd=cwd, env=env or bench_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        memory = TreeMemory(process.pid)
        stdout, stderr = process.communicate()
        elapsed = time.perf_counter() - started
        tree_mb = memory.stop()
        if process.returncode:
            raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stdout[-3000:]}\n{stderr[-3000:]}")
        kilobytes = int(re.findall(r"\d+", Path(rss.name).read_text())[-1])
    return Run(elapsed, kilobytes / 1024, tree_mb)


def clear_caches(project: Path) -> list[str]:
    """Remove whatever cache the tools keep in the project (its name says 'cache'): a cold run."""
    removed = []
    for entry in project.iterdir():
        if "cache" in entry.name.lower():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            removed.append(entry.name)
    return removed


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, name) for r in runs) for name in ("seconds", "peak_mb", "tree_mb")))


# -- goal 1: timeline check ----------------------------------------------------------------------


def goal_check(project: Path, runs: int) -> dict[str, float]:
    listing = project / "all-yaml-files.txt"
    listing.write_text("\n".join(str(p) for p in sorted((project / "events").rglob("*.yaml"))), "utf-8")
    libyaml, cold, warm = [], [], []
    for _ in range(runs):
        libyaml.append(run_timed([PYTHON, "-c", LIBYAML, str(listing)], project))
        clear_caches(project)
        cold.append(run_timed([*TIMELINE, "check"], project))
        warm.append(run_timed([*TIMELINE, "check"], project))  # nothing changed since the cold run
    listing.unlink()
    kept = [entry.name for entry in project.iterdir() if "cache" in entry.name.lower()]
    print(f"  the check's cache: {', '.join(kept) or 'none found in the project'}", file=sys.stderr, flush=True)
    result = {"libyaml_s": median(libyaml).seconds, "check_cold_s": median(cold).seconds, "check_warm_s": median(warm).seconds}
    result["check_ratio"] = result["check_cold_s"] / result["libyaml_s"]
    return result


# -- goal 2: mkdocs build vs a plain build of the export -------------------------------------------


def goal_build(project: Path, work: Path, runs: int) -> dict[str, float]:
    """Plugin build and plain build of `timeline export`, interleaved, each cold (caches cleared)."""
    plain_project = work / "export"
    run_timed([*TIMELINE, "export", "--root", str(project), str(plain_project)], project)
    plugin, plain = [], []
    for i in range(runs):
        clear_caches(project)
        plugin.append(run_timed([*MKDOCS, "build", "--strict", "-d", str(work / "site")], project))
        plain.append(run_timed([*MKDOCS, "build", "-d", str(work / "plain-site")], plain_project))
        if i < runs - 1:
            shutil.rmtree(work / "plain-site")
    shutil.rmtree(plain_project)
    a, b = median(plugin), median(plain)
    return {
        "build_s": a.seconds,
        "plain_build_s": b.seconds,
        "build_ratio": a.seconds / b.seconds,
        "build_peak_mb": a.peak_mb,
        "plain_peak_mb": b.peak_mb,
        "build_tree_mb": a.tree_mb,
        "plain_tree_mb": b.tree_mb,
        # The goal's ratio is of the machine's memory: all processes together (PSS), which for
        # a single process is about its RSS; the largest single process's RSS is printed too.
        "peak_ratio": a.tree_mb / b.tree_mb,
    }


# -- goal 3: an edit seen through mkdocs serve -----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until the page at `url` contains `text`; raises on timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        body = _fetch(url)
        if body is not None and text in body:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s")


def goal_serve(project: Path, dirty: bool, edits: int, timeout: float = 900) -> dict[str, float]:
    """Start `mkdocs serve`, wait for the first build, then edit one event's title `edits` times
    and time each until the served event page shows it."""
    target = event_files(project)[len(event_files(project)) // 2]
    url_path = f"events/{target.stem}/"
    port = _free_port()
    command = [*MKDOCS, "serve", "-a", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below, after the server stops)
    clear_caches(project)
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=project, env=bench_env(), stdout=log, stderr=log, start_new_session=True)
    original = target.read_text("utf-8")
    try:
        url = f"http://127.0.0.1:{port}/{url_path}"
        _wait_for(url, "</html>", timeout)
        first_build = time.perf_counter() - started
        seen = []
        for k in range(edits):
            title = f"Edited title number {k} of the benchmark"
            target.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", original, count=1), "utf-8")
            seen.append(_wait_for(url, title, timeout))
            time.sleep(1.0)  # let the watcher settle before the next edit
        return {"first_build_s": first_build, "edit_s": statistics.median(seen)}
    except TimeoutError as exc:
        log.seek(0)
        raise RuntimeError(f"{exc}\n{log.read().decode('utf-8', 'replace')[-3000:]}") from exc
    finally:
        target.write_text(original, "utf-8")
        os.killpg(server.pid, signal.SIGINT)  # its own session: the server and anything it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


# -- goal 4: page weight ---------------------------------------------------------------------------


def index_size(site: Path) -> int:
    """Bytes of the search index, with its documents' own file when it has one (search_docs.json)."""
    return sum(p.stat().st_size for p in (site / "search").glob("search_*.json"))


def goal_weight(site: Path, events: int) -> dict[str, float | str]:
    event_pages = [p.stat().st_size for p in (site / "events").glob("*/index.html")]
    pages = sorted(((p.stat().st_size, p) for p in site.rglob("*.html")), reverse=True)
    index_bytes = index_size(site)
    return {
        "event_page_median_kb": statistics.median(event_pages) / 1024,
        "event_page_max_kb": max(event_pages) / 1024,
        "largest_page_kb": pages[0][0] / 1024,
        "largest_page": pages[0][1].relative_to(site).as_posix(),
        "index_bytes_per_event": index_bytes / events,
        "index_mb": index_bytes / 1e6,
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
    }
