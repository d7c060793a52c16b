"""The static JSON API (api/v1/): a file per event, entity and promise, envelopes, every file valid
against the OpenAPI document's schema for its path, the tracker's statuses, hostile text kept as
data, redirects, the timeline rebuilt from the API alone, and links that resolve when served."""

from __future__ import annotations

import copy
import functools
import itertools
import json
import posixpath
import re
import shutil
import threading
from datetime import date
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen

import jsonschema
import pytest
from ai_timeline.api import ApiWriter
from ai_timeline.data import entity_data, event_data, promise_data, timeline_data
from ai_timeline.openapi import openapi
from ai_timeline.pages import SiteWriter
from ai_timeline.project import load_graph
from sitebuild import ROOT, SOURCE, build_in_process, fixture_project
from test_browser import QuietHandler

AS_OF = "2026-11-24"
LOCAL = "http://127.0.0.1:8000/"
# What a file's `data` adds to the record that data.py gives (and the collection files hold).
DETAIL = {
    "events": {"urls", "referenced_by", "thread", "promise_record"},
    "entities": {"urls", "ancestors", "units", "people", "events", "promises", "track_record"},
    "promises": {"urls"},
}


def _api(site: Path) -> dict[str, dict]:
    """Every API file of a built site: {path under api/v1/: parsed JSON}."""
    root = site / "api" / "v1"
    return {p.relative_to(root).as_posix(): json.loads(p.read_text("utf-8")) for p in sorted(root.rglob("*.json"))}


def _without(record: dict, keys: set[str]) -> dict:
    return {k: v for k, v in record.items() if k not in keys}


def _graph(project: Path):
    graph, report = load_graph(project)
    assert not report.errors, report.sorted()
    return graph, SiteWriter(graph, date.fromisoformat(AS_OF))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("api") / "site"
    result = build_in_process(ROOT, out)
    assert result.ok, result.log
    return out


@pytest.fixture(scope="module")
def files(site) -> dict[str, dict]:
    return _api(site)


def test_every_event_entity_and_promise_has_its_file_and_nothing_else(files):
    graph, writer = _graph(ROOT)
    expected = {"index.json", "events.json", "entities.json", "promises.json", "track-record.json", "openapi.json"}
    expected |= {f"events/{p.stem}.json" for p in (ROOT / "events").glob("20*/*.yaml")}
    expected |= {f"entities/{p.stem}.json" for p in (ROOT / "events" / "entities").glob("*.yaml")}
    expected |= {f"promises/{r.promise.id}.json" for r in writer.records}
    assert set(files) == expected
    assert any(name.startswith("promises/") for name in files)
    index = files["index.json"]["data"]
    assert index["counts"] == {"events": len(graph.events), "entities": len(graph.entities), "promises": len(writer.records)}


def test_every_file_is_an_envelope_with_the_as_of_date_and_licence(files):
    for name, document in files.items():
        if name == "openapi.json":
            continue
        assert list(document) == ["schema_version", "as_of", "licence", "links", "data"], name
        assert (document["schema_version"], document["as_of"], document["licence"]["id"]) == (1, AS_OF, "CC-BY-4.0"), name
        here = "https://example.org/api/v1/" + name
        assert urljoin(here, document["links"]["self"]) == here, name
        assert urljoin(here, document["links"]["index"]) == "https://example.org/api/v1/index.json", name
        assert document["links"]["html"].startswith(LOCAL), name


def _strict(schema):
    """The published schema, with every object closed: an emitted key it does not describe fails."""
    if isinstance(schema, dict):
        closed = {k: _strict(v) for k, v in schema.items()}
        if "properties" in schema:
            closed.setdefault("additionalProperties", False)
        return closed
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


def _path_schema(document: dict, name: str) -> dict:
    matches = [
        item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        for path, item in document["paths"].items()
        if re.fullmatch(re.escape(path.lstrip("/")).replace(re.escape("{id}"), "[a-z0-9]+(?:-[a-z0-9]+)*"), name)
    ]
    assert len(matches) == 1, f"{name}: {len(matches)} paths of the OpenAPI document match it"
    return matches[0]


def _check_against_openapi(files: dict[str, dict]) -> None:
    document = files["openapi.json"]
    for published in (document, _strict(document)):
        for name, instance in files.items():
            if name == "openapi.json":
                continue
            schema = {**_path_schema(published, name), "components": published["components"]}
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            errors = [f"{name} at {list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(instance)]
            assert errors == [], errors[:5]


def test_the_openapi_document_is_valid_and_describes_every_file(files):
    from openapi_spec_validator import validate

    validate(copy.deepcopy(files["openapi.json"]))
    assert files["openapi.json"] == json.loads(json.dumps(openapi()))
    paths = {path: 0 for path in files["openapi.json"]["paths"]}
    for name in files:
        if name != "openapi.json":
            for path in paths:
                paths[path] += bool(re.fullmatch(re.escape(path.lstrip("/")).replace(re.escape("{id}"), "[a-z0-9-]+"), name))
    assert all(paths.values()), paths  # every path of the document has a file
    _check_against_openapi(files)


def test_a_closed_schema_catches_an_undescribed_field(files):
    tampered = copy.deepcopy(files)
    tampered["promises.json"]["data"][0]["surprise"] = 1
    with pytest.raises(AssertionError, match="surprise"):
        _check_against_openapi(tampered)


def _tracker_statuses(html: str) -> dict[str, str]:
    """{promise ID: status} from the promise tracker's tables."""
    found = {}
    for row in re.findall(r"(?s)<tr>(.*?)</tr>", html):
        status = re.search(r'class="tl-status tl-status--([a-z-]+)"', row)
        event = re.search(r'href="\.\./events/([a-z0-9-]+)/"', row)
        if status and event:
            found[event.group(1)] = status.group(1)
    return found


def test_statuses_are_the_trackers(site, files):
    tracker = _tracker_statuses((site / "promises" / "index.html").read_text("utf-8"))
    assert tracker and tracker["muse-spark-api-planned-with-launch"] == "overdue"
    assert {p["id"]: p["status"] for p in files["promises.json"]["data"]} == tracker
    for promise_id, status in tracker.items():
        assert files[f"promises/{promise_id}.json"]["data"]["status"] == status
        assert files[f"events/{promise_id}.json"]["data"]["promise_record"]["status"] == status
    counts = {s["status"]: s["count"] for s in files["index.json"]["data"]["statuses"]}
    assert counts == {s: sum(1 for v in tracker.values() if v == s) for s in counts}


def test_a_promise_carries_its_history_and_numbers(files):
    promise = files["promises/muse-spark-api-planned-with-launch.json"]["data"]
    assert (promise["status"], promise["slips"], promise["original_due"]["value"], promise["current_due"]["value"]) == (
        "overdue",
        2,
        "2026-04",
        "2026-06",
    )
    assert [step["relation"] for step in promise["history"]].count("delays") == 2
    assert promise["benchmark"]["due"]["value"] == "2026-04" and promise["days_late"] > 0
    assert promise["reason"].startswith("The latest promised date (June 2026) has passed")
    meta = files["entities/meta.json"]["data"]
    assert "muse-spark-api-planned-with-launch" in meta["promises"] and "muse-spark-launch" in meta["events"]
    [everything] = [row for row in meta["track_record"] if row["entity"] == "meta" and row["units_included"]]
    assert everything["total"] == len(meta["promises"]) == sum(everything["counts"].values())
    industry = files["track-record.json"]["data"]["rows"][0]
    assert (industry["entity"], industry["total"]) == (None, len(files["promises.json"]["data"]))


def test_the_api_alone_rebuilds_the_timeline_data(files):
    """Collections give the order, one file per record the records; nothing else is needed."""
    graph, writer = _graph(ROOT)
    envelope = files["index.json"]
    rebuilt = {"schema_version": envelope["schema_version"], "as_of": envelope["as_of"], "licence": envelope["licence"]}
    base = "https://example.org/api/v1/"
    for kind in ("events", "entities", "promises"):
        collection = files[f"{kind}.json"]["data"]
        singles = [files[f"{kind}/{item['id']}.json"]["data"] for item in collection]
        rebuilt[kind] = [_without(s, DETAIL[kind]) for s in singles]
        assert rebuilt[kind] == [_without(item, {"urls"}) for item in collection]  # the same records both ways
        for item, single in zip(collection, singles, strict=True):  # and the same URLs, once resolved
            here = f"{base}{kind}/{item['id']}.json"
            assert {k: v and urljoin(here, v) for k, v in single["urls"].items()} == {
                k: v and urljoin(base, v) for k, v in item["urls"].items()
            }
    assert rebuilt == json.loads(json.dumps(timeline_data(graph, writer.records, writer.as_of)))


def test_what_an_event_file_adds_agrees_with_the_relations(files):
    events = files["events.json"]["data"]
    pointing: dict[str, list[dict]] = {e["id"]: [] for e in events}
    for event in events:
        for relation in event["relations"]:
            pointing[relation["event"]].append({"event": event["id"], "type": relation["type"]})
    threads: dict[str, list[str]] = {}
    for event in events:
        detail = files[f"events/{event['id']}.json"]["data"]
        assert detail["referenced_by"] == pointing[event["id"]]
        threads.setdefault(detail["thread"], []).append(event["id"])
    # Each thread is named by its first event, and the thread of the Muse Spark API is the whole story.
    assert all(members[0] == first for first, members in threads.items())
    assert {"muse-spark-api-planned-with-launch", "muse-spark-api-delayed-to-june"} <= set(
        threads[files["events/muse-spark-api-delayed-to-june.json"]["data"]["thread"]]
    )


def test_links_follow_site_url():
    _, writer = _graph(ROOT)
    api = dict(ApiWriter(writer, "https://example.org/timeline/").files())
    index = json.loads(api["api/v1/index.json"])
    assert index["links"]["html"] == "https://example.org/timeline/"
    assert index["data"]["feeds"]["events_atom"] == "https://example.org/timeline/feed.atom"
    event = json.loads(api["api/v1/events/muse-spark-launch.json"])
    assert event["links"]["html"] == "https://example.org/timeline/events/muse-spark-launch/"
    assert dict(ApiWriter(writer, "https://example.org/timeline/").files()) == api  # deterministic


# The loader refuses raw HTML in text and whitespace in URLs: this is the closest a URL may carry.
HOSTILE = "</script><img/src=x/onerror=alert(1)>"


def test_hostile_text_round_trips_exactly_as_data(tmp_path):
    """Text a pull request controls is data in JSON: never HTML-escaped, never mangled."""
    project = fixture_project(
        tmp_path,
        {
            "2026/hostile-api.yaml": f"""
                title: '< /script>< img src=x onerror=alert(1)> "quoted" \\ back\\slash'
                date: 2026-05
                kind: launch
                entities: [acme]
                summary: 'It said &lt;/script&gt; {{{{ 7*7 }}}} ${{alert(1)}} `{HOSTILE.replace("<", "< ")}` 👩‍💻 [[acme]]'
                tags: [hostile]
                sources:
                  - publisher: Example News
                    title: '"> < script>alert(1)< /script>'
                    date: 2026-05-02
                    type: primary
                    url: 'https://example.com/?q={HOSTILE}'
            """,
            "entities/acme.yaml": "name: 'Acme \" onmouseover=\"alert(1)'\nkind: company\n",
        },
    )
    shutil.copytree(ROOT / "tests" / "fixtures" / "hostile-accepted" / "events", project / "events", dirs_exist_ok=True)
    result = build_in_process(project, tmp_path / "site")
    assert result.ok, result.log
    files = _api(tmp_path / "site")
    raw = (tmp_path / "site" / "api" / "v1" / "events" / "hostile-api.json").read_text("utf-8")
    assert HOSTILE in raw and "&lt;img" not in raw and "\\u003c" not in raw
    graph, writer = _graph(project)
    for event in graph.events.values():
        assert _without(files[f"events/{event.id}.json"]["data"], DETAIL["events"]) == _json(event_data(event))
    for entity in graph.entities.values():
        assert _without(files[f"entities/{entity.id}.json"]["data"], DETAIL["entities"]) == _json(entity_data(entity))
    for record in writer.records:
        assert _without(files[f"promises/{record.promise.id}.json"]["data"], DETAIL["promises"]) == _json(promise_data(record))
    event = files["events/hostile-api.json"]["data"]
    assert event["sources"][0]["url"] == f"https://example.com/?q={HOSTILE}"
    assert event["title"].startswith('< /script>< img src=x onerror=alert(1)> "quoted" \\ back\\slash')
    _check_against_openapi(files)


def _json(value):
    return json.loads(json.dumps(value))


def test_a_renamed_record_gets_no_file_under_its_old_id(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\nredirect_from: [acme-corp]\n",
            "2026/widget-promised.yaml": "title: Widget promised\ndate: 2026-04\nkind: promise\nentities: [acme]\n"
            "summary: Soon.\npromise: {by: acme, what: Widget, due: 2026-06}\nredirect_from: [widget-promise]\nsources:" + SOURCE,
            "2026/widget-launch.yaml": "title: Widget\ndate: 2026-05\nkind: launch\nentities: [acme]\nsummary: Up.\n"
            "relations: [{type: fulfils, event: widget-promised}]\nredirect_from: [widget-launched]\nsources:" + SOURCE,
        },
    )
    result = build_in_process(project, tmp_path / "site")
    assert result.ok, result.log
    site = tmp_path / "site"
    files = _api(site)
    assert set(files) == {
        *("index.json", "events.json", "entities.json", "promises.json", "track-record.json", "openapi.json"),
        *("events/widget-launch.json", "events/widget-promised.json", "promises/widget-promised.json", "entities/acme.json"),
    }
    redirects = files["index.json"]["data"]["redirects"]
    assert redirects == {
        "events": {"widget-launched": "widget-launch", "widget-promise": "widget-promised"},
        "entities": {"acme-corp": "acme"},
    }
    assert (site / "events" / "widget-launched" / "index.html").is_file()  # the page's redirect is still there
    assert files["promises/widget-promised.json"]["data"]["status"] == "delivered-on-time"


def test_the_export_carries_the_same_api(tmp_path, site, monkeypatch):
    from ai_timeline.cli import main
    from sitebuild import AS_OF_EPOCH

    monkeypatch.setenv("SOURCE_DATE_EPOCH", AS_OF_EPOCH)
    assert main(["export", str(tmp_path / "out"), "--root", str(ROOT)]) == 0
    exported = tmp_path / "out" / "docs" / "api" / "v1"
    built = site / "api" / "v1"
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.json"))
    assert names == sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*.json"))
    assert all((exported / n).read_bytes() == (built / n).read_bytes() for n in names)


def test_the_developer_page_and_the_home_page_link_the_api(site):
    page = (site / "developers" / "index.html").read_text("utf-8")
    for target in ("index.json", "openapi.json", "events.json", "promises.json", "track-record.json"):
        assert f'href="../api/v1/{target}"' in page, target
    assert 'href="developers/"' in (site / "index.html").read_text("utf-8")  # in the nav and the Subscribe section
    home = (site / "index.html").read_text("utf-8")
    assert 'href="api/v1/index.json"' in home and 'href="api/v1/openapi.json"' in home


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _fetch(url: str) -> tuple[str, bytes]:
    with urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return response.headers.get_content_type(), response.read()


def test_served_the_index_leads_to_every_api_file_and_its_links_resolve(served, files):
    """From index.json alone, following relative links as a client would, every file is reached;
    every page and feed URL (on the local base) is served too."""
    start = served + "api/v1/index.json"
    seen, queue, pages = set(), [start], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        kind, body = _fetch(url)
        assert kind == "application/json", url
        document = json.loads(body)
        link_sets = [document.get("links", {})]
        data = document.get("data")
        for record in data if isinstance(data, list) else [data] if isinstance(data, dict) else []:
            link_sets.append(record.get("urls", {}))
            link_sets.append(record.get("feeds", {}))
        for links in link_sets:
            for value in links.values():
                if value is None:
                    continue
                if value.startswith(LOCAL):
                    pages.add(served + value.removeprefix(LOCAL))
                else:
                    queue.append(urljoin(url, value))
    assert {u.removeprefix(served + "api/v1/") for u in seen} == set(files)
    for page in sorted(pages):
        _fetch(page)
    assert served + "feed.atom" in pages and served + "events/muse-spark-launch/" in pages


def test_relative_links_are_what_relpath_gives():
    """ApiWriter._relative takes shortcuts for the usual paths; each must agree with relpath."""
    paths = ["index.json", "events.json", "events/a.json", "entities/b.json", "promises/c.json", "x/y/z.json", "x/w.json"]
    for target, here in itertools.product(paths, paths):
        assert ApiWriter._relative(target, here) == posixpath.relpath(target, posixpath.dirname(here) or "."), (target, here)
