"""`timeline`: check the data, scaffold new files, print the schemas."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path

from .diagnostics import Diagnostic, Report, did_you_mean
from .loader import ENTITY_FOLDER
from .model import Event
from .project import check, events_folder, fails, load_graph
from .schema import schema
from .text_rules import visible


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(schema(args.kind), indent=2, ensure_ascii=False))
        return 0
    if args.command == "new":
        return _new(args)
    if args.command == "export":
        from .export import ExportError, export  # here, not above: `timeline check` starts faster without it

        try:
            print(export(args.root, args.out, os.environ.get("SOURCE_DATE_EPOCH")))
        except ExportError as exc:
            print(f"timeline export: {exc}", file=sys.stderr)
            return 1
        return 0
    return _check(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Tools for the AI timeline's YAML data.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate the files under the events folder")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="report only on these files or folders (checked against the whole graph)",
    )
    _root_options(check)
    check.add_argument(
        "--allow-warnings",
        action="store_true",
        help="exit 0 despite warnings (a strict build fails on them unless the plugin's "
        "allow_warnings setting is true: set both or neither)",
    )
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: workflow annotations, so errors show on the pull request's diff",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file afresh, neither reading nor writing .timeline-cache/ (also: TIMELINE_NO_CACHE=1)",
    )

    dump = commands.add_parser("schema", help="print the JSON Schema for event or entity files")
    dump.add_argument("kind", choices=["event", "entity"])

    exporter = commands.add_parser(
        "export",
        help="write the site as plain Markdown and the data as JSON, buildable by plain mkdocs-material without this plugin",
    )
    exporter.add_argument("out", type=Path, metavar="DIR", help="a new or empty folder")
    exporter.add_argument("--root", type=Path, default=Path("."), help="project root (default: current folder)")

    new = commands.add_parser("new", help="create a new event, entity or delay file to fill in")
    kinds = new.add_subparsers(dest="what", required=True)
    event = kinds.add_parser("event", help="events/<year>/<id>.yaml")
    event.add_argument("--title")
    event.add_argument("--date", help="2026, 2026-Q2, 2026-04 or 2026-04-10")
    event.add_argument("--kind")
    event.add_argument("--entity", action="append", default=[], help="an entity ID (repeat for more)")
    delay = kinds.add_parser("delay", help="a delay of an existing promise")
    delay.add_argument("promise", help="the promise's ID")
    delay.add_argument("--title")
    delay.add_argument("--date", help="when the delay became known")
    delay.add_argument("--new-date", help="the newly promised date, if one was given")
    delay.add_argument("--reason")
    for sub in (event, delay):
        sub.add_argument("--summary")
        for name in ("publisher", "title", "date", "url"):
            sub.add_argument(f"--source-{name}")
        sub.add_argument("--source-type", choices=["primary", "secondary"])
    entity = kinds.add_parser("entity", help="events/entities/<id>.yaml")
    entity.add_argument("--name")
    entity.add_argument("--kind")
    entity.add_argument("--parent", help="the ID of what it belongs to")
    for sub in (event, delay, entity):
        sub.add_argument("--id", help="the file name (default: made from the title or name)")
        sub.add_argument("--interactive", action="store_true", help="ask for what the flags leave out (default on a terminal)")
        _root_options(sub)
    return parser


def _root_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="project root (default: current folder)")
    parser.add_argument("--events-dir", default="events", help="events folder, relative to the root")


# check -----------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    # Loading makes millions of small objects and no cycles worth collecting before the check
    # ends: the cycle collector would only walk everything loaded so far, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report, events, entities = check(args.root, args.events_dir, cache=not args.no_cache)
    finally:
        if collecting:
            gc.enable()
    if args.paths:
        only = _only(report, args.root, args.paths)
        if only is None:
            return 2
        report = only
    for diagnostic in report.sorted():
        print(_github(diagnostic) if args.format == "github" else diagnostic, file=sys.stderr)
    errors, warnings = len(report.errors), len(report.warnings)
    scope = f"{len(args.paths)} path(s) checked against " if args.paths else ""
    summary = f"{scope}{events} events and {entities} entities loaded; {errors} errors, {warnings} warnings"
    failed = fails(report, args.allow_warnings)
    if warnings and not errors and failed:
        summary += " (warnings fail the check, as they fail 'mkdocs build --strict'; see --allow-warnings)"
    print(summary, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _only(report: Report, root: Path, paths: list[Path]) -> Report | None:
    """The diagnostics about files at or under `paths` (as given on the command line)."""
    root = root.resolve()
    wanted = []
    for path in paths:
        absolute = path.absolute()
        if not absolute.exists() and not absolute.is_symlink():
            print(f"{path}: no such file or folder", file=sys.stderr)
            return None
        try:  # not resolve(): a symbolic link is judged as itself
            wanted.append(Path(*absolute.parts).relative_to(root).as_posix())
        except ValueError:
            print(f"{path}: not inside the project root {root}", file=sys.stderr)
            return None
    kept = Report()
    kept.extend(d for d in report.items if any(d.path == w or d.path.startswith(w.rstrip("/") + "/") or w == "." for w in wanted))
    return kept


def _github(diagnostic: Diagnostic) -> str:
    """A workflow command: https://docs.github.com/actions/reference/workflow-commands-for-github-actions."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    text = str(diagnostic)  # escaped and on one line already
    message = text.split(": ", 2)[2] if text.count(": ") >= 2 else text
    level = "warning" if diagnostic.severity == "warning" else "error"
    return (
        f"::{level} file={prop(visible(diagnostic.path))},line={diagnostic.line},col={diagnostic.column},"
        f"title={prop('timeline check')}::{data(message)}"
    )


# new -------------------------------------------------------------------------------------------


def _new(args: argparse.Namespace) -> int:
    from . import scaffold  # here, not above: `timeline check` starts faster without it

    interactive = args.interactive or sys.stdin.isatty()

    def ask(question: str, default: str | None) -> str:
        if default or not interactive:
            return default or ""
        return input(f"{question}: ").strip()

    events_dir = events_folder(args.root, args.events_dir)
    if events_dir is None:
        print("timeline new: the events folder must be inside the project root", file=sys.stderr)
        return 2
    try:
        if args.what == "entity":
            name = ask("Name (e.g. Meta Superintelligence Labs)", args.name)
            if not name:
                raise scaffold.ScaffoldError("give --name (or run in a terminal to be asked)")
            kind = ask(f"Kind ({', '.join(scaffold.entity_kinds())})", args.kind)
            text = scaffold.render_entity(name, kind, ask("Parent ID (empty if none)", args.parent))
            path = scaffold.write_new(events_dir, ENTITY_FOLDER, args.id or scaffold.slugify(name), text)
        else:
            promise = _promise(args, events_dir) if args.what == "delay" else None
            default_title = f"Delay: {promise.title}"[:160] if promise else None
            title = (
                ask("Title (a short, neutral headline)" + (f" [{default_title}]" if default_title else ""), args.title)
                or default_title
            )
            date = ask("Date (2026, 2026-Q2, 2026-04 or 2026-04-10)", args.date)
            if not title or not date:
                raise scaffold.ScaffoldError("give --title and --date (or run in a terminal to be asked)")
            new = scaffold.NewEvent(
                title=title,
                date=date,
                summary=ask("Summary (your own words)", args.summary),
                kind="delay" if promise else ask(f"Kind ({', '.join(scaffold.event_kinds())})", args.kind),
                entities=list(promise.entities)
                if promise
                else (args.entity or [e for e in ask("Entity IDs, comma-separated", None).replace(" ", "").split(",") if e]),
                source=scaffold.Source(
                    publisher=ask("Source publisher", args.source_publisher),
                    title=ask("Source title", args.source_title),
                    date=ask("Source date", args.source_date),
                    type=args.source_type or "",
                    url=args.source_url or "",
                ),
            )
            if new.source.date:
                scaffold._check_date(new.source.date, "--source-date")
            relation = None
            if promise:
                new_date = ask("New promised date (empty if none was given)", args.new_date)
                relation = {
                    "type": "delays",
                    "event": promise.id,
                    "reason": ask("Reason (empty if none given)", args.reason),
                    "new_date": scaffold._check_date(new_date, "--new-date") if new_date else "",
                }
            text = scaffold.render_event(new, relation=relation)
            default_id = f"{promise.id[:60]}-delay-{date}" if promise else scaffold.slugify(title)
            path = scaffold.write_new(events_dir, date[:4], args.id or default_id, text)
    except (scaffold.ScaffoldError, EOFError) as exc:
        print(f"timeline new: {visible(str(exc)) or 'no answer'}", file=sys.stderr)
        return 1
    rel = path.relative_to(args.root.resolve()).as_posix()
    print(f"created {rel}")
    _, report = load_graph(args.root, args.events_dir)
    left = [d for d in report.sorted() if d.path == rel]
    for diagnostic in left:
        print(f"  {diagnostic}")
    print("fill in what is left, then run 'timeline check'" if left else "it passes 'timeline check'")
    return 0


def _promise(args: argparse.Namespace, events_dir: Path) -> Event:
    from . import scaffold

    graph, _ = load_graph(args.root, args.events_dir)
    event = graph.events.get(args.promise)
    if event is None or event.kind != "promise":
        promises = [e.id for e in graph.promises()]
        hint = did_you_mean(args.promise, promises) or "run 'timeline check' and look for kind: promise files"
        raise scaffold.ScaffoldError(f"'{args.promise}' is not a promise on record ({hint})")
    return event


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
