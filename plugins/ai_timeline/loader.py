"""Files → strict load → schema → typed records, one file at a time.

A file with any error is left out whole and its ID remembered, so that references to it can
say so; every other file still loads.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import forked, schema, strict_yaml
from .check_cache import FileCache
from .dates import FORMAT_HINT, YEAR_RANGE, DateError, FuzzyDate
from .diagnostics import ERROR, Diagnostic, Report
from .markup import markdown_problems
from .model import Entity, Event, Link, Promise, Quote, Relation, Role, Source
from .text_rules import RESERVED_IDS, SLUG, SLUG_MAX, raw_html, url_problem

ENTITY_FOLDER = "entities"
TEMPLATE_FOLDER = "_templates"
ENTITY_TEMPLATE = "entity"  # _templates/entity.yaml is an entity; every other template is an event
YEAR_FOLDER = re.compile(r"^[0-9]{4}\Z")


@dataclass(frozen=True)
class DataFile:
    path: Path
    rel: str  # relative to the project root, with forward slashes
    record_id: str
    is_entity: bool
    is_template: bool = False


@dataclass
class Loaded:
    events: dict[str, Event] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # ID → path of a file that had errors
    paths: dict[str, list[str]] = field(default_factory=dict)  # ID → every file that claims it, first kept
    templates: dict[str, str] = field(default_factory=dict)  # template name → its validated text


def discover(events_dir: Path, root: Path, report: Report) -> list[DataFile]:
    """Every data file under `events_dir`, entities first, then years in order, then templates.

    The folder has a fixed shape: `entities/<id>.yaml`, `<year>/<id>.yaml` and
    `_templates/<id>.yaml`. Anything else (another folder or file, a symbolic link, a special
    file) is an error naming it, never silently skipped or followed outside the repository.
    """

    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    if events_dir.is_symlink():
        report.add(rel(events_dir), 1, 1, "the events folder is a symbolic link", "make it a real folder")
        return []
    entity_files: list[DataFile] = []
    year_files: list[DataFile] = []
    template_files: list[DataFile] = []
    for folder, is_folder in _entries(events_dir, rel, report):
        name = folder.name
        if not is_folder:
            report.add(
                rel(folder),
                1,
                1,
                f"'{name}' does not belong directly in {rel(events_dir)}/",
                "event files go in a year folder (events/2026/<id>.yaml), entities in events/entities/",
            )
            continue
        if name == ENTITY_FOLDER:
            target, is_entity, is_template = entity_files, True, False
        elif name == TEMPLATE_FOLDER:
            target, is_entity, is_template = template_files, False, True
        elif YEAR_FOLDER.match(name) and YEAR_RANGE[0] <= int(name) <= YEAR_RANGE[1]:
            target, is_entity, is_template = year_files, False, False
        else:
            report.add(
                rel(folder),
                1,
                1,
                f"folder '{name}' is not a year, '{ENTITY_FOLDER}' or '{TEMPLATE_FOLDER}'",
                f"put events in a folder named for their year ({YEAR_RANGE[0]}-{YEAR_RANGE[1]}), e.g. events/2026/",
            )
            continue
        folder_rel = rel(folder)
        for entry, is_subfolder in _entries(folder, rel, report):
            if is_subfolder:
                kind = "a folder named like a data file" if entry.suffix in (".yaml", ".yml") else "a folder"
                report.add(
                    rel(entry),
                    1,
                    1,
                    f"'{entry.name}' is {kind}; data files sit directly in {rel(folder)}/",
                    "move its files up one level and remove the folder",
                )
            elif entry.suffix != ".yaml":
                report.add(
                    rel(entry),
                    1,
                    1,
                    f"'{entry.name}' is not a .yaml file",
                    "name data files <id>.yaml" if entry.suffix == ".yml" else "only <id>.yaml data files belong in events/",
                )
            else:
                is_entity_file = is_entity or (is_template and entry.stem == ENTITY_TEMPLATE)
                target.append(DataFile(entry, f"{folder_rel}/{entry.name}", entry.stem, is_entity_file, is_template))
    return entity_files + year_files + template_files


def _entries(folder: Path, rel: Callable[[Path], str], report: Report) -> list[tuple[Path, bool]]:
    """A folder's entries by name, each with whether it is a folder; symbolic links and special
    files are reported and left out. os.scandir knows each kind without a stat per file."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        report.add(rel(folder), 1, 1, f"cannot read the folder: {exc.strerror or exc}", "check its permissions")
        return []
    kept = []
    for entry in entries:
        path = folder / entry.name
        if entry.is_symlink():
            report.add(
                rel(path),
                1,
                1,
                f"'{entry.name}' is a symbolic link",
                "replace it with the real file or folder: links could point outside the repository",
            )
        elif entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False):
            kept.append((path, entry.is_dir(follow_symlinks=False)))
        else:
            report.add(rel(path), 1, 1, f"'{entry.name}' is not a regular file", "remove it")
    return kept


def load_folder(events_dir: Path, root: Path, report: Report, file_cache: FileCache | None = None) -> Loaded:
    files = discover(events_dir, root, report)
    return load_files(files, [read(file) for file in files], report, file_cache)


Read = tuple[bytes | None, list[Diagnostic]]  # a file's bytes, or None and why it could not be read


def load_files(files: list[DataFile], reads: list[Read], report: Report, file_cache: FileCache | None = None) -> Loaded:
    """The records of `files` (as `discover` gives them) from their bytes; diagnostics in the
    order of the files, each file's as `load_file` gives them, however the work was shared."""
    loaded = Loaded()
    judged = _judge_all(files, reads, file_cache)
    for file, (raw, unread), (problems, record) in zip(files, reads, judged, strict=True):
        report.extend(unread)
        report.extend(problems)
        if file.is_template:
            if raw is not None and record is not None:  # a record implies the file was read
                loaded.templates[file.record_id] = raw.decode("utf-8").removeprefix("\ufeff")
            continue
        claims = loaded.paths.setdefault(file.record_id, [])
        claims.append(file.rel)
        if len(claims) > 1:
            continue  # an ID clash: the first file keeps the ID, so what depends on it still resolves
        if record is None:
            loaded.broken[file.record_id] = file.rel
        elif isinstance(record, Entity):
            loaded.entities[file.record_id] = record
        else:
            loaded.events[file.record_id] = record
    return loaded


def read(file: DataFile) -> Read:
    try:
        size = file.path.stat().st_size
        if size > strict_yaml.MAX_FILE_BYTES:  # say so without reading it all
            problem = Diagnostic(
                file.rel,
                1,
                1,
                ERROR,
                f"file is {size} bytes; the limit is {strict_yaml.MAX_FILE_BYTES}",
                "split it, or shorten the summary: an event file should be small",
            )
            return None, [problem]
        return file.path.read_bytes(), []
    except OSError as exc:
        why = f"cannot read the file: {exc.strerror or exc}"
        return None, [Diagnostic(file.rel, 1, 1, ERROR, why, "check that it exists and is readable")]


Record = Event | Entity
Judged = tuple[list[Diagnostic], Record | None]  # a file's own diagnostics, and its record if it has no error


def _judge_all(files: list[DataFile], reads: list[Read], file_cache: FileCache | None) -> list[Judged]:
    """Every file's own diagnostics and record: from the cache where it has these very bytes,
    else from `load_file`, shared with forked processes when there are many files to do."""
    judged: list[Judged | None] = [None] * len(files)
    digests: list[bytes] = [b""] * len(files)
    todo: list[int] = []
    for index, (file, (raw, _)) in enumerate(zip(files, reads, strict=True)):
        if raw is None:
            judged[index] = ([], None)
            continue
        if file_cache is not None:
            digests[index] = hashlib.sha256(raw).digest()
            if (hit := _cached(raw, file, file_cache, digests[index])) is not None:
                judged[index] = hit
                continue
        todo.append(index)
    jobs = [(files[index], reads[index][0] or b"") for index in todo]
    for index, (problems, record, parts) in zip(todo, _judge_jobs(jobs), strict=True):
        judged[index] = (problems, record)
        if file_cache is not None:
            file_cache.put(files[index].rel, digests[index], problems, parts)
            if record is not None:
                file_cache.kept[_record_key(files[index], digests[index])] = record
    return [outcome for outcome in judged if outcome is not None]


def _record_key(file: DataFile, digest: bytes) -> tuple:
    return (file.rel, file.record_id, file.is_entity, digest)


def _cached(raw: bytes, file: DataFile, file_cache: FileCache, digest: bytes) -> Judged | None:
    """What `load_file` gave for these very bytes at this path last time, if the cache has it:
    the record itself if this process built it (nothing changes a record once built)."""
    if (hit := file_cache.get(file.rel, digest)) is None:
        return None
    diagnostics, parts = hit
    if parts is None:
        return diagnostics, None
    key = _record_key(file, digest)
    record = file_cache.records.get(key) or _rebuild(raw, file, parts)
    if record is None:
        return None
    file_cache.kept[key] = record
    return diagnostics, record


HERE_SHARE = 1.1  # this process's share, as a multiple of an even share
Job = tuple[DataFile, bytes]
Worked = tuple[list[Diagnostic], Record | None, Any]  # Judged, plus the record's cacheable parts


def _judge_jobs(jobs: list[Job]) -> list[Worked]:
    """`_judge` on every job, each forked process taking a share; the same results, in order."""
    count = forked.processes(len(jobs))
    if count == 1:
        return [_judge(job) for job in jobs]
    # The first share is done here; the merge of the others must wait for them anyway, and
    # a child also pays for sending its results: a slightly larger share here.
    first = round(len(jobs) * HERE_SHARE / count)
    bounds = [0, *(first + round((len(jobs) - first) * i / (count - 1)) for i in range(count - 1)), len(jobs)]
    shares = [jobs[start:end] for start, end in itertools.pairwise(bounds)]
    children = []
    try:
        for share in shares[1:]:
            children.append(forked.Child(_judge_plainly, share))
        done = [_judge(job) for job in shares[0]]
    except BaseException:
        for child in children:
            child.discard()
        raise
    for child, share in zip(children, shares[1:], strict=True):
        done.extend(_from_child(child.result(), share))
    return done


def _judge(job: Job) -> Worked:
    file, raw = job
    found = Report()
    record = load_file(raw, file.rel, file.record_id, file.is_entity, found)
    return found.items, record, None if record is None or record.document is None else (record.document.data,)


def _judge_plainly(share: list[Job]) -> list[tuple[list[tuple], Any]]:
    """`_judge` as plain data, for a forked process to send back."""
    return [([astuple(d) for d in problems], parts) for problems, _, parts in map(_judge, share)]


def _from_child(sent: Any, share: list[Job]) -> list[Worked]:
    """A child's results with their records built again here; the share done here if it failed."""
    if not isinstance(sent, list) or len(sent) != len(share):
        return [_judge(job) for job in share]
    done: list[Worked] = []
    for job, (problems, parts) in zip(share, sent, strict=True):
        record = None if parts is None else _rebuild(job[1], job[0], parts)
        done.append(_judge(job) if parts is not None and record is None else ([Diagnostic(*d) for d in problems], record, parts))
    return done


def _rebuild(raw: bytes, file: DataFile, parts: Any) -> Event | Entity | None:
    """The record of a file that passed every check of its own, from its cached data.

    Building it repeats only the date parsing, which succeeded before; None (a cache miss)
    should it not."""
    try:
        (data,) = parts
        doc = strict_yaml.CachedDocument(data, raw.decode("utf-8").removeprefix("\ufeff"))
        scratch = Report()
        convert = _Converter(doc, file.rel, scratch)
        record = convert.entity(file.record_id) if file.is_entity else convert.event(file.record_id)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return None if scratch.items else record


def load_file(raw: bytes, rel: str, record_id: str, is_entity: bool, report: Report) -> Event | Entity | None:
    """One file as a record, or None after adding its errors to `report`."""
    before = len(report.errors)
    if not SLUG.match(record_id) or len(record_id) > SLUG_MAX:
        suggestion = "-".join(filter(None, "".join(c if c.isalnum() else "-" for c in record_id.lower()).split("-")))
        report.add(
            rel,
            1,
            1,
            f"file name '{record_id}' is not a valid ID",
            f"rename it to '{suggestion or 'my-event'}.yaml': lowercase letters, digits and single hyphens, at most {SLUG_MAX} characters",
        )
    elif record_id in RESERVED_IDS:
        report.add(rel, 1, 1, f"'{record_id}' is reserved for the site's own pages", "choose a more specific file name")
    doc, problems = strict_yaml.load(raw, rel)
    report.extend(problems)
    if doc is None:
        return None
    report.extend(schema.validate(doc, "entity" if is_entity else "event", rel))
    if len(report.errors) > before:
        return None
    convert = _Converter(doc, rel, report)
    convert.check_text(doc.data, ())
    record = convert.entity(record_id) if is_entity else convert.event(record_id)
    return record if len(report.errors) == before else None


# The same few thousand dates recur across files; a FuzzyDate is immutable, so one can be shared.
_parse_date = cache(FuzzyDate.parse)


_OWN_RULES = frozenset({"url", "summary", "description"})  # fields whose text `check_text` checks further


class _Converter:
    """Turns schema-valid data into records, reporting what the schema cannot express."""

    def __init__(self, doc: strict_yaml.Document, rel: str, report: Report) -> None:
        self.doc, self.rel, self.report = doc, rel, report

    def error(self, at: tuple, message: str, hint: str, needle: str = "") -> None:
        line, column = self.doc.locate(at, needle) if needle else self.doc.mark(at)
        self.report.add(self.rel, line, column, message, hint)

    def check_text(self, value: Any, at: tuple) -> None:
        """No raw HTML in any text; only http(s) in URL fields and in Markdown links."""
        if isinstance(value, dict | list):
            for key, item in value.items() if isinstance(value, dict) else enumerate(value):
                # Most text has no '<' (so no raw HTML) and no rule of its field's own: passed here.
                if isinstance(item, str) and "<" not in item and key not in _OWN_RULES and item.strip():
                    continue
                self.check_text(item, (*at, key))
        elif isinstance(value, str):
            if not value.strip():  # " " passes minLength, then renders as an empty heading or link
                self.error(at, f"'{schema.field_name(at)}' is blank", "write the text, or remove the field if it is optional")
            elif at[-1] == "url":
                if (problem := url_problem(value)) is not None:
                    self.error(at, problem, "give the exact http(s) address, or leave 'url' out")
            elif (tag := raw_html(value)) is not None:
                self.error(
                    at,
                    f"raw HTML '{tag[:40]}' is not allowed in '{schema.field_name(at)}'",
                    "write Markdown, not HTML; to show a literal '<', put a space after it",
                    tag,
                )
            elif at[-1] in ("summary", "description"):
                for message, hint, needle in markdown_problems(value, schema.field_name(at)):
                    self.error(at, message, hint, needle)

    def date(self, at: tuple, approximate: bool = False) -> FuzzyDate | None:
        value = self._get(at)
        if value is None:
            return None
        try:
            return _parse_date(str(value), approximate)
        except DateError as exc:
            self.error(at, f"invalid date in '{schema.field_name(at)}': {exc}", FORMAT_HINT)
            return None

    def _get(self, at: tuple) -> Any:
        value: Any = self.doc.data
        for part in at:
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def _each(self, key: str, build: Callable[[tuple, dict], Any], base: tuple = ()) -> tuple:
        items = self._get((*base, key)) or []
        return tuple(build((*base, key, i), item) for i, item in enumerate(items))

    def sources(self, base: tuple = ()) -> tuple[Source, ...] | None:
        """The sources, or None if a date in one does not parse (each bad date is reported)."""
        found = self._each("sources", self._source, base)
        sources = tuple(source for source in found if source is not None)
        return sources if len(sources) == len(found) else None

    def _source(self, at: tuple, s: dict) -> Source | None:
        date = self.date((*at, "date"), s.get("date_approximate", False))
        if date is None:
            return None
        return Source(
            publisher=s["publisher"],
            title=s["title"],
            type=s["type"],
            date=date,
            url=s.get("url"),
            via=s.get("via"),
            note=s.get("note"),
        )

    def event(self, record_id: str) -> Event | None:
        """The event, or None if a required date does not parse (its error is reported).

        The schema's pattern lets through what only `FuzzyDate.parse` refuses, such as a block
        scalar's trailing newline or non-ASCII digits; no record is built with a missing date.
        """
        data = self.doc.data
        promise = data.get("promise")
        # Dates in the order of the fields, so that their errors are reported in that order.
        date = self.date(("date",), data.get("approximate", False))
        sources = self.sources()
        quotes = self._each("quotes", lambda at, q: Quote(q["text"], q["by"]))
        due = self.date(("promise", "due"), promise.get("due_approximate", False)) if promise else None
        relations = self._each(
            "relations",
            lambda at, r: Relation(
                type=r["type"],
                target=r["event"],
                reason=r.get("reason"),
                extent=r.get("extent"),
                new_date=self.date((*at, "new_date"), r.get("new_date_approximate", False)),
                previous_date=self.date((*at, "previous_date"), r.get("previous_date_approximate", False)),
                timing=r.get("timing"),
            ),
        )
        if date is None or sources is None:
            return None
        return Event(
            id=record_id,
            path=self.rel,
            title=data["title"],
            kind=data["kind"],
            date=date,
            entities=tuple(data["entities"]),
            summary=data["summary"],
            sources=sources,
            tags=tuple(data.get("tags", ())),
            redirect_from=tuple(data.get("redirect_from", ())),
            quotes=quotes,
            promise=Promise(promise["by"], promise["what"], due, promise.get("timing")) if promise else None,
            relations=relations,
            document=self.doc,
        )

    def entity(self, record_id: str) -> Entity | None:
        """The entity, or None if a source's date does not parse (its error is reported)."""
        data = self.doc.data
        links = self._each("links", lambda at, link: Link(link["title"], link["url"]))
        roles = self._each("roles", lambda at, r: Role(r["title"], r["org"], self.date((*at, "from")), self.date((*at, "to"))))
        sources = self.sources()
        if sources is None:
            return None
        return Entity(
            id=record_id,
            path=self.rel,
            name=data["name"],
            kind=data["kind"],
            parent=data.get("parent"),
            aliases=tuple(data.get("aliases", ())),
            redirect_from=tuple(data.get("redirect_from", ())),
            description=data.get("description"),
            links=links,
            roles=roles,
            sources=sources,
            document=self.doc,
        )
