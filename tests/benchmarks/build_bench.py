"""Benchmark: load, validate and build sites of N synthetic events; prints figures.

Run with `make bench` (or `python tests/benchmarks/build_bench.py 1000 5000`). Not a test:
it asserts nothing and reports time, peak memory and output size for the roadmap.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sitebuild import MKDOCS, ROOT, build_env

SOURCE = "sources:\n  - {publisher: Example News, title: A report, date: 2026-01-02, type: primary}\n"


def synthetic_project(root: Path, events: int) -> Path:
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy(ROOT / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "events" / "_templates", root / "events" / "_templates")
    entities = root / "events" / "entities"
    entities.mkdir(parents=True)
    companies = max(1, events // 50)
    for c in range(companies):
        (entities / f"company-{c}.yaml").write_text(f"name: Company {c}\nkind: company\n")
        (entities / f"lab-{c}.yaml").write_text(f"name: Lab {c}\nkind: lab\nparent: company-{c}\n")
    for i in range(events):
        when = date.fromordinal(date(2019, 1, 1).toordinal() + i * 2555 // events)  # 7 years, in order
        year, month, day = when.year, when.month, when.day
        folder = root / "events" / str(year)
        folder.mkdir(exist_ok=True)
        owner = f"lab-{i % companies}"
        if i % 10 == 0:
            body = f"kind: promise\npromise: {{by: {owner}, what: Ship thing {i}, due: {year}-{month:02d}}}\n"
        elif i % 10 == 1:
            body = f"kind: delay\nrelations: [{{type: delays, event: event-{i - 1}, new_date: '{year + 1}'}}]\n"
        else:
            body = "kind: announcement\n" + (f"relations: [{{type: follows, event: event-{i - 2}}}]\n" if i > 2 else "")
        (folder / f"event-{i}.yaml").write_text(
            f"title: Event number {i}\ndate: {year}-{month:02d}-{day:02d}\n{body}"
            f"entities: [{owner}, company-{i % companies}]\nsummary: Summary of event {i}, mentioning [[{owner}]].\n{SOURCE}"
        )
    return root


def main(sizes: list[int]) -> None:
    print(f"{'events':>7} {'check s':>8} {'build s':>8} {'peak MB':>8} {'site MB':>8} {'pages':>6} {'search MB':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = synthetic_project(Path(tmp) / "p", n)
            started = time.perf_counter()
            check = subprocess.run(
                [sys.executable, "-m", "ai_timeline", "check", "--root", str(project)], capture_output=True, text=True
            )
            checked = time.perf_counter() - started
            site = Path(tmp) / "site"
            started = time.perf_counter()
            build = subprocess.run(
                [*MKDOCS, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                cwd=project,
                env=build_env(),
                capture_output=True,
                text=True,
            )
            built = time.perf_counter() - started
            if check.returncode or build.returncode:
                print(check.stderr[-2000:], build.stderr[-2000:])
                raise SystemExit(1)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
            pages = sum(1 for _ in site.rglob("index.html"))
            index = (site / "search" / "search_index.json").stat().st_size / 1e6
            print(f"{n:>7} {checked:>8.1f} {built:>8.1f} {peak:>8.0f} {size:>8.1f} {pages:>6} {index:>9.1f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200, 1000])
