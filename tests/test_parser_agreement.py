"""The fast paths give exactly what the slow ones give, on every YAML file the suite has.

* libyaml's C parser feeding the strict reader vs PyYAML's pure-Python parser: same data (types
  included), same positions, same diagnostics;
* the compiled schema check vs jsonschema: "valid" exactly when jsonschema finds no error.

The corpus: the real events, tests/fixtures, every events/ folder the other tests loaded
(conftest's CORPUS, so this runs last, with the agreement tests), plus damaged copies of each
file (cut short, a line dropped, a character inserted) and a list of tricky YAML, so that the
syntax errors, refusals and fallbacks are compared too.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from ai_timeline import schema, strict_yaml
from ai_timeline.loader import ENTITY_TEMPLATE
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitebuild import ROOT

pytestmark = pytest.mark.agreement

TRICKY = [
    "a: b\nc: 'd'\ne: \"f\"\ng: |\n  h\n  i\nj: >\n  k\n  l\n",
    "? x\n: y\n",
    "? [a, b]\n: c\n",
    "a: ! x\nb: ! 'y'\nc: !!str z\nd: !local q\n",
    "a: &anchor 1\nb: *anchor\n",
    "<<: {a: 1}\nb: 2\n",
    "'<<': 1\n",
    "%YAML 1.1\n---\na: 1\n",
    "%TAG ! tag:example.com,2000:\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n...\n",
    "- a\n- b\n",
    "just text\n",
    "a: 1\na: 2\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: 'unclosed\n",
    'a: "unclosed\n',
    "a: b: c\n",
    "a:\n  - b\n c: d\n",
    "a: 0x1F\nb: 0o17\nc: .inf\nd: -.INF\ne: .NaN\nf: 1e3\ng: +12\nh: ~\ni: NULL\nj: True\nk: yes\nl: 2026-04-10\nm: 1:20\n",
    "a: " + "9" * 150 + "\n",
    "a: " + "[" * 30 + "]" * 30 + "\n",
    'a: "\\u202e x"\nb: "\\x85"\n',
    '"k\\e": v\n',
    "title: caf\u00e9 \U0001f469\u200d\U0001f4bb\nsummary: \u65e5\u672c\u8a9e \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\n",
    "a: b\r\nc: d\r\n",
    "a:\n  b:\n    c:\n      - d: [e, {f: g}]\n",
    "a: @b\n",
    "a: `b\n",
    "a: b #c\n#d\n",
    "[a, b]: c\n",
    "{a: b}: c\n",
    "a: !!binary aGVsbG8=\n",
    "a: - b\n",
    "a:\n- b\n- c\n",
    "a: 'it''s'\nb: \"q\\\"\"\n",
    "a: >-\n  folded\n\n  text\nb: |+\n  kept\n\n",
    "a: |2\n   indented\n",
    "a: b\n  c: d\n",
]


def _yaml_files() -> list[Path]:
    roots = [ROOT, *(ROOT / "tests" / "fixtures").glob("*"), *CORPUS.snapshots.values()]
    found: dict[bytes, Path] = {}
    for root in roots:
        for path in sorted((root / "events").glob("*/*.yaml")):
            if path.is_file() and not path.is_symlink():
                found.setdefault(path.read_bytes(), path)
    return list(found.values())


def _damaged(raw: bytes) -> list[bytes]:
    lines = raw.split(b"\n")
    variants = [raw[: len(raw) * k // 5] for k in (1, 2, 3, 4)]
    variants += [b"\n".join(lines[:i] + lines[i + 1 :]) for i in range(0, len(lines), 3)]
    variants += [raw[:i] + piece + raw[i:] for i, piece in ((len(raw) // 3, b"'"), (len(raw) // 2, b": "), (len(raw) // 4, b"["))]
    return variants


def _corpus() -> list[tuple[str, bytes]]:
    cases = [(f"tricky-{i}", text.encode("utf-8")) for i, text in enumerate(TRICKY)]
    for path in _yaml_files():
        raw = path.read_bytes()
        cases.append((str(path), raw))
        cases += [(f"{path} (damaged {i})", variant) for i, variant in enumerate(_damaged(raw))]
    return cases


def _typed(value: Any) -> Any:
    """`value` with every scalar's type beside it, so 1, 1.0 and True never compare equal."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _outcome(raw: bytes, fast: bool) -> tuple:
    doc, diagnostics = strict_yaml.load(raw, "events/2026/x.yaml", fast=fast)
    if doc is None:
        return None, diagnostics
    return (_typed(doc.data), doc.text, doc.value_marks, doc.key_marks, doc.problems), diagnostics


@pytest.mark.skipif(strict_yaml.C_PARSER is None, reason="PyYAML without libyaml: only one parser to compare")
def test_the_c_parser_and_the_python_parser_give_the_same_data_positions_and_diagnostics():
    cases = _corpus()
    differ = [name for name, raw in cases if _outcome(raw, fast=True) != _outcome(raw, fast=False)]
    assert not differ, f"{len(differ)} of {len(cases)} inputs differ, e.g. {differ[:5]}"
    fast_loaded = sum(1 for _, raw in cases if strict_yaml._fast_read(raw.decode("utf-8", "replace")) is not None)
    assert len(cases) > 300 and fast_loaded > 100, (len(cases), fast_loaded)  # the comparison compared something


def _kind(path: str) -> str:
    parent, stem = Path(path.split(" (")[0]).parent.name, Path(path.split(" (")[0]).stem
    return "entity" if parent == "entities" or (parent == "_templates" and stem == ENTITY_TEMPLATE) else "event"


def test_the_compiled_schema_check_says_valid_exactly_when_jsonschema_finds_no_error():
    assert schema._compiled("event") is not None and schema._compiled("entity") is not None
    judged = 0
    for name, raw in _corpus():
        doc, _ = strict_yaml.load(raw, "x.yaml", fast=False)
        if doc is None:
            continue
        for kind in ("event", "entity"):  # each file against both schemas: valid and invalid cases
            compiled = schema._compiled(kind)
            assert compiled is not None
            expected = next(iter(schema._validator(kind).iter_errors(doc.data)), None) is None
            assert compiled(doc.data) == expected, (name, kind, _kind(name))
            judged += 1
    assert judged > 200


@pytest.mark.parametrize(
    "data, valid",
    [
        ({"name": "A", "kind": "lab"}, True),
        ({"name": "A", "kind": "lab", "aliases": ["x", "x"]}, False),
        ({"name": "A", "kind": "lab", "aliases": [1, True]}, False),
        ({"name": "", "kind": "lab"}, False),
        ({"name": "A", "kind": "labs"}, False),
        ({"name": "A", "kind": True}, False),
        ({"name": "A"}, False),
        ({"name": "A", "kind": "lab", "extra": 1}, False),
        ({"name": "A", "kind": "lab", "parent": "Not A Slug"}, False),
        ({"name": "A", "kind": "lab", "links": [{"title": "t", "url": "ftp://x"}]}, False),
        ({"name": "A", "kind": "lab", "roles": [{"title": "t", "org": "acme", "from": "2026-02-30"}]}, False),
        ({"name": "A" * 121, "kind": "lab"}, False),
        ([], False),
    ],
)
def test_the_compiled_check_on_hand_made_entities(data, valid):
    compiled = schema._compiled("entity")
    assert compiled is not None
    assert compiled(data) is valid
    assert (next(iter(schema._validator("entity").iter_errors(data)), None) is None) is valid


_YAML_ALPHABET = "ab1 :-?#'\"[]{},&*!|>%@`\\\n\t.~\u00e9\u200d\U0001f469"


@pytest.mark.skipif(strict_yaml.C_PARSER is None, reason="PyYAML without libyaml: only one parser to compare")
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_YAML_ALPHABET, max_size=60))
def test_the_two_parsers_agree_on_random_yaml_punctuation(text):
    raw = ("title: x\n" + text).encode("utf-8")
    assert _outcome(raw, fast=True) == _outcome(raw, fast=False)
