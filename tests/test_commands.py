"""Every command the README and the contributing guide show works as written, from a copy of
the repository: a newcomer adds an event and a delay with `timeline new`, sees errors at commit
time, and sees the result in the built site."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from sitebuild import ROOT, build_env, build_in_process

VENV = ROOT / ".venv"


def shell_commands(markdown: str) -> list[str]:
    """The command lines of the ```sh blocks, comments stripped."""
    lines = []
    for block in re.findall(r"(?ms)^ *```sh\n(.*?)^ *```", markdown):
        for line in block.splitlines():
            command = re.split(r"\s+# ", line)[0].strip()
            if command and not command.startswith("#"):
                lines.append(command)
    return lines


@pytest.fixture
def clone(tmp_path) -> Path:
    """The repository as committed plus the working tree's changes, with this venv beside it."""
    copy = tmp_path / "clone"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "site", ".git", "__pycache__", ".pytest_cache"))
    (copy / ".venv").symlink_to(VENV, target_is_directory=True)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    return copy


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(shlex.split(command), cwd=cwd, env=build_env(), capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_every_shown_command_works_as_written(clone, document):
    commands = shell_commands((ROOT / document).read_text("utf-8"))
    assert commands
    for command in commands:
        if command.startswith(("git clone", "cd ")):
            continue  # the reader's own fork and folder
        if command.startswith("make "):  # a real target, without running a server or an install here
            env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
            result = subprocess.run(["make", "-n", *shlex.split(command)[1:]], cwd=clone, env=env, capture_output=True, text=True)
        else:
            assert command.startswith(".venv/bin/"), f"{document} shows {command!r}, which needs an activated venv"
            result = run(command, clone)
        assert result.returncode == 0, f"{document}: {command}\n{result.stdout}\n{result.stderr}"


def _fill(path: Path, **values: str) -> None:
    text = path.read_text("utf-8")
    for key, value in values.items():
        text = re.sub(rf"(?m)^(\s*-?\s*{key}):$", rf"\1: {value}", text, count=1)
    path.write_text(text, "utf-8")


def test_a_newcomer_adds_an_event_and_a_delay_and_sees_them_on_the_site(clone, tmp_path):
    guide = shell_commands((ROOT / "CONTRIBUTING.md").read_text("utf-8"))
    new_event = next(c for c in guide if c.startswith(".venv/bin/timeline new event"))
    new_delay = next(c for c in guide if c.startswith(".venv/bin/timeline new delay"))
    for command in (new_event, new_delay):
        result = run(command, clone)
        assert result.returncode == 0, result.stderr
        assert "fill in what is left" in result.stdout
    event = clone / "events/2026/meta-launches-muse-spark.yaml"
    delay = clone / "events/2026/muse-spark-api-planned-with-launch-delay-2026-07-01.yaml"
    for path in (event, delay):
        _fill(path, summary="A summary in my own words.", publisher="Example News", title='"A headline"', date="2026-07-01")

    # At commit time, a mistake is caught with its line.
    event.write_text(event.read_text("utf-8").replace("kind: launch", "kind: lanch"), "utf-8")
    subprocess.run(["git", "add", "-A"], cwd=clone, check=True)
    hook = run(f".venv/bin/pre-commit run timeline-check --files {event.relative_to(clone)}", clone)
    assert hook.returncode != 0, hook.stdout
    assert "events/2026/meta-launches-muse-spark.yaml:15:7: error: 'lanch' is not a valid value for 'kind'" in hook.stdout
    event.write_text(event.read_text("utf-8").replace("kind: lanch", "kind: launch"), "utf-8")

    assert run(".venv/bin/timeline check", clone).returncode == 0
    result = build_in_process(clone, tmp_path / "site")
    assert result.ok, result.log
    promise = (tmp_path / "site/events/muse-spark-api-planned-with-launch/index.html").read_text("utf-8")
    assert "delayed <strong>3 times</strong>" in promise and "September 2026" in promise
    assert (tmp_path / "site/events/meta-launches-muse-spark/index.html").exists()
