"""What Material's search index holds for the real site: every event by its title, its
entities' names and its summary; listing pages (timeline, archives, thread and related lists,
the home page's lists) left out, so they never crowd an event out of its own results."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from ai_timeline import markup, searchdocs
from ai_timeline.project import load_graph
from conftest import event_yaml, rel
from sitebuild import ROOT, build_in_process, fixture_project, mkdocs_build, search_index


@pytest.fixture(scope="module")
def index_and_graph(tmp_path_factory):
    site = tmp_path_factory.mktemp("search") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    graph, report = load_graph(ROOT, "events")
    assert not report.errors
    return search_index(site)["docs"], graph


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_every_event_is_indexed_by_title_entity_names_and_summary(index_and_graph):
    docs, graph = index_and_graph
    for event in graph.events.values():
        own = [d for d in docs if d["location"].split("#")[0] == f"events/{event.id}/"]
        assert own, event.id
        first = own[0]
        assert plain(first["title"]) == event.title
        text = plain(first["text"])
        for entity_id in event.entities:
            assert graph.entities[entity_id].name in text, (event.id, entity_id)

        def label(record_id: str) -> tuple[str, str]:
            record = graph.entities.get(record_id) or graph.events[record_id]
            return "", getattr(record, "name", None) or record.title

        summary = markup.plain_text(event.summary, label)
        assert " ".join(summary.split()[:8]) in text, event.id


def test_listing_pages_are_not_in_the_index(index_and_graph):
    docs, _ = index_and_graph
    locations = {d["location"].split("#")[0] for d in docs}
    assert not {loc for loc in locations if loc.startswith("archive/")}
    assert "timeline/" not in locations
    assert "entities/" not in locations


def test_an_event_title_is_found_only_where_it_is_the_subject_or_mentioned_in_prose(index_and_graph):
    docs, graph = index_and_graph
    prose = [e.summary for e in graph.events.values()] + [e.description or "" for e in graph.entities.values()]
    for event in graph.events.values():
        mentioned = sum(1 for text in prose for i, _ in markup.mentions(text) if i == event.id)
        hits = [
            d["location"]
            for d in docs
            if event.title in plain(d["title"]) + " " + plain(d["text"]) and not d["location"].startswith(f"events/{event.id}/")
        ]
        assert len(hits) <= mentioned, (event.id, hits)


# --- Index size per event stays flat as the record grows (issue 11, goal 4/5) ---------------

WORDS = ("model", "release", "compute", "training", "data", "safety", "launch", "research", "benchmark", "agents")


def grown_record(count: int) -> dict[str, str]:
    """`count` events in one long thread of promises, delays and follow-ups about one company,
    so every list an event or entity page shows (thread, related events, the entity's events)
    grows with the record; only what the index holds per event must not."""
    files = {
        "entities/acme.yaml": "name: Acme Corp\nkind: company\naliases: [Roadrunner Industries]\ndescription: Maker of [[acme-lab]].\n",
        "entities/acme-lab.yaml": "name: Acme Lab\nkind: lab\nparent: acme\n",
    }
    for i in range(count):
        day = date(2020, 1, 1).toordinal() + i
        relations = (
            [rel("delays", f"e{i - 1}", new_date=str(date.fromordinal(day).year + 2))] if i % 10 == 1 else
            [rel("follows", f"e{i - 2}")] if i > 2 and i % 10 else []
        )  # fmt: skip
        words = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(60))
        files[f"{date.fromordinal(day).year}/e{i}.yaml"] = event_yaml(
            date.fromordinal(day).isoformat(),
            "promise" if i % 10 == 0 else "announcement",
            title=f"Event {i} of the record",
            due=str(date.fromordinal(day).year + 1),
            relations=relations,
            summary=f"'[[acme-lab]] said {words}, **as planned**.'",
        ).replace("  - acme\n", "  - acme-lab\n  - acme\n")
    return files


@pytest.fixture(scope="module")
def grown_indexes(tmp_path_factory) -> dict[int, list[dict]]:
    indexes = {}
    for count in (50, 200):
        tmp = tmp_path_factory.mktemp(f"grown{count}")
        result = build_in_process(fixture_project(tmp, grown_record(count)), tmp / "site")
        assert result.ok, result.log
        indexes[count] = search_index(tmp / "site")["docs"]
    return indexes


def test_each_event_is_one_entry_of_its_title_entities_and_summary(grown_indexes):
    docs = grown_indexes[50]
    events = [d for d in docs if d["location"].startswith("events/")]
    assert len(events) == 50 == len({d["location"] for d in events})
    entry = next(d for d in events if d["location"] == "events/e11/")  # a delay, in the thread, with related events
    assert plain(entry["text"]).startswith("Announcement Involved: Acme Lab, Acme Corp Acme Lab said release compute training")
    assert "Event 10 of the record" not in entry["text"]  # neither the thread nor the related events
    assert "Acme news" not in entry["text"] and "2020" not in entry["text"]  # nor sources, dates, statuses


def test_index_bytes_per_event_do_not_grow_with_the_record(grown_indexes):
    def per_event(docs: list[dict]) -> float:
        events = [d for d in docs if d["location"].startswith("events/")]
        return sum(len(json.dumps(d, separators=(",", ":"))) for d in events) / len(events)

    small, large = per_event(grown_indexes[50]), per_event(grown_indexes[200])
    assert large <= small * 1.03, (small, large)  # longer numbers in ids and titles, nothing more

    def entity(docs: list[dict]) -> dict:
        return next(d for d in docs if d["location"] == "entities/acme/")

    assert entity(grown_indexes[50]) == entity(grown_indexes[200])  # its list of events is not indexed


def test_an_entity_is_found_by_its_alias_and_not_by_its_lists(grown_indexes):
    docs = grown_indexes[200]
    acme = next(d for d in docs if d["location"] == "entities/acme/")
    assert "Roadrunner Industries" in plain(acme["text"])
    assert [d["location"] for d in docs if "Roadrunner" in d["text"]] == ["entities/acme/"]
    assert "Acme Lab" in plain(acme["text"])  # its description names the unit
    lab = next(d for d in docs if d["location"] == "entities/acme-lab/")
    assert plain(lab["title"]) == "Acme Lab" and "Atom" not in lab["text"]  # no "Part of", no feed links


def test_packed_documents_unpack_to_exactly_the_documents_given():
    """Every text comes back byte for byte: spaces doubled or at the ends, quotes, backslashes,
    markup-like text, other scripts, and enough distinct words for codes of three characters."""
    texts = ["", " ", "a  b ", '<p>“q” \\ " &amp; &lt;x&gt;</p>', "Ünïcode 日本語 \u2028 tab\there"]
    texts += [" ".join(f"w{i}-{j}" for j in range(40)) for i in range(120)]  # 4,800 distinct words
    docs = [{"location": f"events/e{i}/", "title": f"T{i} &amp;", "text": t} for i, t in enumerate(texts)]
    packed = searchdocs.pack(docs)
    assert searchdocs.unpack(json.loads(json.dumps(packed))) == docs
    codes = "".join(packed["text"])
    assert set(codes) <= set(searchdocs.DIGITS) and '"' not in codes and "\\" not in codes
    assert max(len(searchdocs._code(rank)) for rank in range(len(packed["words"]))) == 3
