"""`mkdocs serve --dirty` rebuilds only what an edit affects (incremental.py), and what it
serves after each edit is what a full build of the edited record makes, file by file."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from sitebuild import MKDOCS, build_env
from test_serve import free_port

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from records import event_files, write_project

# Pages MkDocs makes of the whole site whatever changed; stale pages of deleted records stay in
# a dirty build's folder (MkDocs' own --dirty behaviour), so only the full build's files are compared.
SKIPPED = {"sitemap.xml.gz"}


class Server:
    """`mkdocs serve --dirty` whose log is read as it comes, to know when a rebuild is done."""

    def __init__(self, project: Path, port: int, tmp: Path) -> None:
        env = build_env(SITE_URL=f"http://127.0.0.1:{port}/", TMPDIR=str(tmp))
        command = [*MKDOCS, "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"]
        self.process = subprocess.Popen(
            command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.tmp = tmp

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def wait_for(self, text: str, count: int, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while sum(text in line for line in self.log) < count:
            assert self.process.poll() is None, "".join(self.log[-40:])
            assert time.monotonic() < deadline, f"no {count}× {text!r} in time:\n" + "".join(self.log[-40:])
            time.sleep(0.1)

    @property
    def site(self) -> Path:
        (found,) = self.tmp.glob("mkdocs_*")
        return found

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def full_build(project: Path, port: int, site: Path) -> None:
    env = build_env(SITE_URL=f"http://127.0.0.1:{port}/")
    subprocess.run([*MKDOCS, "build", "-q", "-d", str(site)], cwd=project, env=env, check=True, capture_output=True)


def differences(full: Path, served: Path) -> list[str]:
    found = []
    for path in sorted(p for p in full.rglob("*") if p.is_file()):
        relative = path.relative_to(full).as_posix()
        twin = served / relative
        if relative in SKIPPED:
            continue
        if not twin.is_file():
            found.append(f"missing: {relative}")
        elif twin.read_bytes() != path.read_bytes():
            found.append(f"differs: {relative}")
    return found


def _replace(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text("utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, f"{pattern!r} not in {path}"
    path.write_text(changed, "utf-8")


def test_each_edit_rebuilds_what_a_full_build_would_make(tmp_path):
    project = tmp_path / "project"
    write_project(project, 160, seed=5)
    events = event_files(project)
    everything = "".join(p.read_text("utf-8") for p in events)
    promise = next(
        p
        for p in events
        if "\nkind: promise\n" in p.read_text("utf-8")
        and "  due: " in p.read_text("utf-8")
        and f"event: {p.stem}" not in everything
    )
    plain = [p for p in events if "\nkind: promise\n" not in p.read_text("utf-8") and "relations:" not in p.read_text("utf-8")]
    loose = [p for p in plain[:-1] if f"[[{p.stem}" not in everything and f"event: {p.stem}" not in everything]  # unreferenced
    entity = sorted((project / "events" / "entities").glob("*.yaml"))[3]
    edits = [
        ("a title", lambda: _replace(plain[10], r"^title: .*$", "title: A retitled event")),
        ("a summary only", lambda: _replace(plain[20], r"^summary: ", "summary: Newly worded. ")),
        ("a date into another year", lambda: _replace(plain[30], r"^date: .*$", "date: 2019-03-04")),
        ("a promise's date", lambda: _replace(promise, r"^(\s+)due: .*$", r"\1due: 2031-01")),
        ("an entity's name", lambda: _replace(entity, r"^name: .*$", "name: Renamed Entity")),
        ("a deleted event", lambda: loose[0].unlink()),
        (
            "a new event",
            lambda: (project / "events" / "2025" / "brand-new-event.yaml").write_text(loose[1].read_text("utf-8"), "utf-8"),
        ),
    ]
    port = free_port()
    (tmp_path / "tmp").mkdir()
    server = Server(project, port, tmp_path / "tmp")
    try:
        server.wait_for("Serving on", 1)
        for number, (what, edit) in enumerate(edits, 1):
            time.sleep(1.1)  # a new modification time
            edit()
            server.wait_for("Reloading browsers", number)
            full = tmp_path / f"full-{number}"
            full_build(project, port, full)
            # The files about the whole record (api/v1/events.json...) are written after the
            # pages show: wait until they are all there, or for as long as a build may take.
            deadline = time.monotonic() + 60
            while (found := differences(full, server.site)) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert found == [], f"after editing {what}"
    finally:
        server.stop()
    affected = [int(m.group(1)) for line in server.log if (m := re.search(r"an edit affects (\d+) of (\d+)", line))]
    # MkDocs' file watcher polls twice a second: a poll between a write's truncating the file
    # and its writing sees one edit as two changes, and the second rebuild finds nothing changed.
    affected = [count for count in affected if count]
    assert len(affected) == len(edits), "".join(server.log[-40:])
    assert affected[1] < 10, "a summary edit rebuilds its own page and not the pages that list it"
