"""`timeline check`: compiler-style errors on stderr, exit status 1 on errors and 0 when clean."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ai_timeline.cli import main

ERROR_LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<column>\d+): error: ")


def _broken_project(timeline_project) -> Path:
    event = timeline_project.valid_event
    timeline_project.write("2026/x.yaml", event.replace("kind: launch", "kind: lanch"))
    timeline_project.write("2026/y.yaml", event.replace("  - acme\n", "  - acne\n"))
    timeline_project.write("2026/z.yaml", b"title: caf\xe9\n")
    timeline_project.write("2026/Bad_Name.yaml", event)
    return timeline_project.root


def test_check_on_a_broken_project_prints_every_error_and_returns_1(timeline_project, capsys):
    root = _broken_project(timeline_project)
    status = main(["check", "--root", str(root)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[:4] == [
        "events/2026/Bad_Name.yaml:1:1: error: file name 'Bad_Name' is not a valid ID "
        "(hint: rename it to 'bad-name.yaml': lowercase letters, digits and single hyphens, at most 80 characters)",
        "events/2026/x.yaml:3:7: error: 'lanch' is not a valid value for 'kind' (hint: did you mean 'launch'?)",
        "events/2026/y.yaml:5:5: error: unknown entity 'acne' (hint: did you mean 'acme'?)",
        "events/2026/z.yaml:1:11: error: byte 0xe9 is not valid UTF-8 (hint: save the file as UTF-8)",
    ]
    positioned = [m.groupdict() for m in map(ERROR_LINE.match, lines) if m]
    assert [(p["path"], p["line"], p["column"]) for p in positioned] == [
        ("events/2026/Bad_Name.yaml", "1", "1"),
        ("events/2026/x.yaml", "3", "7"),
        ("events/2026/y.yaml", "5", "5"),
        ("events/2026/z.yaml", "1", "11"),
    ]
    assert lines[-1] == "1 events and 3 entities loaded; 4 errors, 0 warnings"


def test_check_on_a_clean_project_returns_0(timeline_project, capsys):
    status = main(["check", "--root", str(timeline_project.root)])
    out, err = capsys.readouterr()
    assert status == 0
    assert err == ""
    assert out.strip() == "1 events and 3 entities loaded; 0 errors, 0 warnings"


def test_check_on_the_real_repository_returns_0(repo_root, capsys):
    status = main(["check", "--root", str(repo_root)])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert err == ""
    assert re.fullmatch(r"\d+ events and \d+ entities loaded; 0 errors, 0 warnings\n", out)


def test_check_without_an_events_folder(tmp_path, capsys):
    status = main(["check", "--root", str(tmp_path)])
    _, err = capsys.readouterr()
    assert status == 1
    assert err.splitlines()[0].startswith("events:1:1: error: events folder not found")


def test_schema_command_prints_the_event_schema(capsys):
    assert main(["schema", "event"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "AI timeline event"
    assert "summary" in printed["required"]


def _run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ai_timeline", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_python_m_check_fails_cleanly_on_broken_files(timeline_project):
    root = _broken_project(timeline_project)
    # Files that once could crash a loader: deep nesting, binary junk, an empty file.
    timeline_project.write("2026/deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    timeline_project.write("2026/junk.yaml", bytes(range(128)))  # every ASCII control character
    timeline_project.write("2026/empty.yaml", b"")
    result = _run_module("check", "--root", str(root), cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "events/2026/x.yaml:3:7: error: 'lanch' is not a valid value for 'kind'" in result.stderr
    assert re.search(r"^events/2026/deep\.yaml:1:\d+: error: values are nested more than", result.stderr, re.M)
    assert re.search(r"^events/2026/junk\.yaml:1:1: error: control character U\+0000", result.stderr, re.M)
    assert "events/2026/empty.yaml:1:1: error: file is empty" in result.stderr


def test_python_m_check_passes_on_the_real_repository(repo_root):
    result = _run_module("check", cwd=repo_root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "0 errors" in result.stdout
