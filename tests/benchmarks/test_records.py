"""The benchmark's synthetic record stays valid and deterministic as the rules change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from records import event_files, write_project


def test_synthetic_record_passes_the_check_and_is_reproducible(tmp_path: Path) -> None:
    project = tmp_path / "a"
    write_project(project, 400)
    check = subprocess.run(
        [sys.executable, "-m", "ai_timeline", "check", "--root", str(project)], capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "400 events" in check.stdout + check.stderr
    assert "0 errors, 0 warnings" in check.stdout + check.stderr

    write_project(tmp_path / "b", 400)
    files = event_files(project)
    assert [p.read_bytes() for p in files] == [(tmp_path / "b" / p.relative_to(project)).read_bytes() for p in files]

    events = [yaml.safe_load(p.read_text("utf-8")) for p in files]
    assert all(60 <= len(e["summary"].split()) <= 125 and "[[" in e["summary"] and "](https://" in e["summary"] for e in events)
    kinds = [e["kind"] for e in events]
    assert 0.1 < kinds.count("promise") / len(kinds) < 0.2
    relations = {r["type"] for e in events for r in e.get("relations", [])}
    assert {"delays", "reaffirms", "fulfils", "breaks", "cancels"} <= relations
    assert any(r.get("extent") == "partial" for e in events for r in e.get("relations", []))
    assert any(r["type"] == "delays" and "new_date" not in r for e in events for r in e.get("relations", []))
