"""The JSON Schemas that editors read agree with `timeline check` on every fixture of the suite.

An independent validator (check-jsonschema, with its own YAML 1.2 reader) judges every YAML
file the suite loaded against the shipped schema. Where it says "invalid", the checker must
refuse the file too; where the checker's schema stage refuses a file, the editor must say so.
Excluded, and said: files the strict loader refuses before any schema runs (duplicate keys,
tags…), and calendar checks (2026-02-30) that no schema can express.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ai_timeline import schema, strict_yaml
from ai_timeline.diagnostics import Report
from ai_timeline.loader import ENTITY_TEMPLATE, load_file
from conftest import CORPUS
from sitebuild import ROOT

pytestmark = pytest.mark.agreement
SCHEMAS = ROOT / "plugins" / "ai_timeline" / "schemas"


def _fixture_files() -> dict[str, list[Path]]:
    roots = [*CORPUS.snapshots.values(), *(p.parent for p in (ROOT / "tests" / "fixtures").glob("*/events")), ROOT]
    found: dict[str, list[Path]] = {"event": [], "entity": []}
    for root in roots:
        for path in sorted((root / "events").glob("*/*.yaml")):
            if path.is_file() and not path.is_symlink() and path.stat().st_size <= strict_yaml.MAX_FILE_BYTES:
                is_entity = path.parent.name == "entities" or (path.parent.name == "_templates" and path.stem == ENTITY_TEMPLATE)
                found["entity" if is_entity else "event"].append(path)
    return found


def _independent_verdicts(kind: str, files: list[Path]) -> dict[str, bool]:
    """{file: valid?} from check-jsonschema, for the files it could read. A file that crashes it
    (a 5,000-digit number exceeds Python's int-to-text limit) is found by halving and left out."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "-o",
            "json",
            "--schemafile",
            str(SCHEMAS / f"{kind}.schema.json"),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        if len(files) == 1:
            return {}
        half = len(files) // 2
        return {**_independent_verdicts(kind, files[:half]), **_independent_verdicts(kind, files[half:])}
    invalid = {e["filename"] for e in report.get("errors", [])}
    unparsed = {e["filename"] for e in report.get("parse_errors", [])}
    return {str(f): str(f) not in invalid for f in files if str(f) not in unparsed}


def test_the_schemas_agree_with_the_checker_on_every_fixture():
    disagreements, compared = [], 0
    for kind, files in _fixture_files().items():
        loaded = {}
        for path in files:
            doc, _ = strict_yaml.load(path.read_bytes(), str(path))
            if doc is not None:  # else refused before any schema: duplicate keys, anchors, tags, bad bytes
                loaded[str(path)] = doc
        assert loaded, kind
        for path, editor_valid in _independent_verdicts(kind, [Path(p) for p in loaded]).items():
            schema_errors = [d for d in schema.validate(loaded[path], kind, path) if not d.message.startswith("invalid date")]
            checker_valid = load_file(Path(path).read_bytes(), path, "x", kind == "entity", Report()) is not None
            compared += 1
            if not editor_valid and checker_valid:
                disagreements.append(f"{path}: the editor refuses it, the checker accepts it")
            if schema_errors and editor_valid:
                disagreements.append(f"{path}: the checker's schema stage refuses it ({schema_errors[0]}), the editor accepts it")
    assert compared > 50
    assert not disagreements, "\n".join(disagreements[:10])
