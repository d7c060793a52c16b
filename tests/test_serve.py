"""`mkdocs serve` rebuilds the site when a YAML file under events/ changes."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

from sitebuild import MKDOCS, SOURCE, build_env, fixture_project

EVENT = "title: {title}\ndate: 2026-05\nkind: launch\nentities: [acme]\nsummary: Fine.\nsources:" + SOURCE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_until(url: str, needle: str, seconds: float = 60) -> str:
    deadline, last = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
                if needle in last:
                    return last
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last body starts {last[:200]!r}")


@contextlib.contextmanager
def serving(project, *options: str) -> Iterator[int]:
    """`mkdocs serve` on a free local port, stopped afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", *options],
        cwd=project,
        env=build_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_rebuilds_when_an_event_file_changes(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "2026/gadget.yaml": EVENT.format(title="First title"),
        },
    )
    with serving(project) as port:
        url = f"http://127.0.0.1:{port}/events/gadget/"
        fetch_until(url, "First title")
        time.sleep(1)  # let the watcher settle before the edit
        (project / "events/2026/gadget.yaml").write_text(EVENT.format(title="Second title"), encoding="utf-8")
        assert "First title" not in fetch_until(url, "Second title")


def test_serve_shows_errors_in_the_browser_and_recovers_on_the_next_good_save(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "2026/gadget.yaml": EVENT.format(title="Gadget"),
            "2026/other.yaml": EVENT.format(title="Other"),
        },
    )
    with serving(project) as port:
        url = f"http://127.0.0.1:{port}/events/other/"
        fetch_until(url, "Other")
        time.sleep(1)  # let the watcher settle before the edit
        broken = project / "events/2026/gadget.yaml"
        broken.write_text(EVENT.format(title="Gadget").replace("kind: launch", "kind: lanch <x>"), encoding="utf-8")
        page = fetch_until(url, "tl-build-errors")
        assert (
            "events/2026/gadget.yaml:3:7: error: &#39;lanch &lt;x&gt;&#39; is not a valid value for &#39;kind&#39; "
            "(hint: did you mean &#39;launch&#39;?)"
        ) in page
        assert "Other" in page  # the rest of the site is still served
        broken.write_text(EVENT.format(title="Gadget fixed"), encoding="utf-8")
        assert "tl-build-errors" not in fetch_until(f"http://127.0.0.1:{port}/events/gadget/", "Gadget fixed")


def test_a_dirty_serve_rebuilds_every_page_an_edit_shows_on(tmp_path):
    """`make serve` uses --dirty: only pages whose generated content changed are rebuilt, so an
    edit must still reach the event, the timeline, its entity, its thread and the home page's
    blocks (a hand-written page). (That the others are skipped is what makes it fast: `make
    bench` measures it.)"""
    other = EVENT.format(title="Other event").replace("gadget", "other")
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "2026/gadget.yaml": EVENT.format(title="First title"),
            "2026/follow-up.yaml": EVENT.format(title="Follow-up") + "relations: [{type: follows, event: gadget}]\n",
            "2026/other.yaml": other,
        },
    )
    with serving(project, "--dirty") as port:
        base = f"http://127.0.0.1:{port}/"
        fetch_until(base + "events/gadget/", "First title")
        fetch_until(base + "events/other/", "Other event")
        time.sleep(1)  # let the watcher settle before the edit
        (project / "events/2026/gadget.yaml").write_text(EVENT.format(title="Second title"), encoding="utf-8")
        for page in ("events/gadget/", "timeline/", "entities/acme/", "events/follow-up/", ""):
            assert "First title" not in fetch_until(base + page, "Second title"), page
        assert "Second title" not in fetch_until(base + "events/other/", "Other event")
