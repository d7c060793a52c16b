"""`mkdocs serve` rebuilds the site when a YAML file under events/ changes."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request

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


def test_serve_rebuilds_when_an_event_file_changes(tmp_path):
    project = fixture_project(tmp_path, {
        "entities/acme.yaml": "name: Acme\nkind: company\n",
        "2026/gadget.yaml": EVENT.format(title="First title"),
    })
    port = free_port()
    server = subprocess.Popen([*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              env=build_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/events/gadget/"
        fetch_until(url, "First title")
        time.sleep(1)  # let the watcher settle before the edit
        (project / "events/2026/gadget.yaml").write_text(EVENT.format(title="Second title"), encoding="utf-8")
        assert "First title" not in fetch_until(url, "Second title")
    finally:
        server.terminate()
        server.wait(timeout=20)
