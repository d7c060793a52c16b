"""`timeline check`: validate every event and entity file and print compiler-style errors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .project import fails, load_graph
from .schema import schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="timeline", description="Tools for the AI timeline's YAML data.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every file under the events folder")
    check.add_argument("--root", type=Path, default=Path("."), help="project root (default: current folder)")
    check.add_argument("--events-dir", default="events", help="events folder, relative to the root")
    check.add_argument("--allow-warnings", action="store_true",
                       help="exit 0 despite warnings (a strict build fails on them unless the plugin's "
                            "allow_warnings setting is true: set both or neither)")
    dump = commands.add_parser("schema", help="print the JSON Schema for event or entity files")
    dump.add_argument("kind", choices=["event", "entity"])
    args = parser.parse_args(argv)

    if args.command == "schema":
        print(json.dumps(schema(args.kind), indent=2, ensure_ascii=False))
        return 0

    graph, report = load_graph(args.root, args.events_dir)
    for diagnostic in report.sorted():
        print(diagnostic, file=sys.stderr)
    errors, warnings = len(report.errors), len(report.warnings)
    summary = f"{len(graph.events)} events and {len(graph.entities)} entities loaded; {errors} errors, {warnings} warnings"
    failed = fails(report, args.allow_warnings)
    if warnings and not errors and failed:
        summary += " (warnings fail the check, as they fail 'mkdocs build --strict'; see --allow-warnings)"
    print(summary, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
