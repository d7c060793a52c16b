"""Integration: build the real site and a small fixture site through MkDocs; inspect the output."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from ai_timeline.project import load_graph
from ai_timeline.promises import STATUSES, records, status_counts
from sitebuild import ROOT, SOURCE, fixture_project, mkdocs_build, search_index

REPO_URL = "https://github.com/example-org/ai-timeline"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(ROOT, site, REPO_URL=REPO_URL)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text("utf-8")


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [v for k, v in attrs if k in ("href", "src") and v]
        self.attributes += [(tag, k, v or "") for k, v in attrs]


def test_promise_page_shows_date_kind_entities_summary_sources_and_both_directions(real_site):
    html = article(page(real_site, "events/muse-spark-api-planned-with-launch"))
    assert "Meta plans to release the Muse Spark API" in html
    assert "c&#46; April 2026" in html or "c. April 2026" in html  # approximate month precision
    assert '<a class="tl-kind tl-kind--promise" href="../../archive/kinds/promise/">Promise</a>' in html
    assert '<a href="../../entities/meta/">Meta</a>' in html
    assert "<strong>Promised for:</strong> April 2026" in html
    # Incoming relations: both delays and the two reaffirmations are listed, with links.
    for other in (
        "muse-spark-api-delayed-to-may",
        "muse-spark-api-delayed-to-june",
        "wang-says-muse-spark-api-coming-soon",
        "meta-says-muse-spark-api-launching-this-month",
    ):
        assert f'href="../{other}/"' in html
    assert html.count("<em>delayed by</em>") == 2
    assert "Secondary source, citing The Wall Street Journal" in html
    assert "(no URL on record)" in html


def test_delay_page_links_back_with_new_date_and_reason(real_site):
    html = article(page(real_site, "events/muse-spark-api-delayed-to-may"))
    assert re.search(r'<em>delays</em> <a href="../muse-spark-api-planned-with-launch/">', html)
    assert "new date: <strong>May 2026</strong>" in html
    assert "Vulnerabilities found in testing" in html
    assert '<em>reported by</em> <a href="../wsj-reports-muse-spark-api-delays/">' in html


def test_day_precision_date_is_machine_readable(real_site):
    html = article(page(real_site, "events/wsj-reports-muse-spark-api-delays"))
    assert '<time datetime="2026-06-04">4 June 2026</time>' in html


def test_entity_pages_show_hierarchy_people_and_rolled_up_events(real_site):
    meta = article(page(real_site, "entities/meta"))
    assert '<a href="../meta-superintelligence-labs/">Meta Superintelligence Labs</a>' in meta
    assert '<a href="../tbd-lab/">TBD Lab</a>' in meta  # a grandchild, listed under its lab
    assert '<a href="../alexandr-wang/">Alexandr Wang</a>: Chief AI Officer' in meta
    assert 'href="../../events/muse-spark-launch/"' in meta
    tbd = article(page(real_site, "entities/tbd-lab"))
    assert re.search(
        r'Part of:</strong> <a href="../meta/">Meta</a> › <a href="../meta-superintelligence-labs/">'
        r"Meta Superintelligence Labs</a> › TBD Lab",
        tbd,
    )
    # An event of a model made by TBD Lab reaches Meta's page marked as a sub-unit's.
    assert re.search(r'muse-spark-api-delayed-to-june/".*?</li>', meta, re.S)
    msl = article(page(real_site, "entities/meta-superintelligence-labs"))
    assert re.search(r'events/muse-spark-api-delayed-to-june/.*?via <a href="../muse-spark-api/">Muse Spark API</a>', msl, re.S)
    wang = article(page(real_site, "entities/alexandr-wang"))
    assert 'Head of Meta Superintelligence Labs, <a href="../meta-superintelligence-labs/">' in wang


def test_timeline_groups_by_year_and_month_newest_first(real_site):
    html = article(page(real_site, "timeline"))
    headings = re.findall(r"<h([23])[^>]*>(.*?)<a class=\"headerlink\"", html)
    assert ("2", "2026") in headings and ("2", "2025") in headings
    assert headings.index(("3", "June 2026")) < headings.index(("3", "May 2026")) < headings.index(("3", "April 2026"))
    assert headings.index(("2", "2026")) < headings.index(("2", "2025"))
    assert html.count('class="tl-event-link"') == len(list((ROOT / "events").glob("20*/*.yaml")))


def test_home_lists_latest_events(real_site):
    html = article(page(real_site, ""))
    latest = html[html.index("Latest events") :]
    first = re.search(r'href="events/([a-z0-9-]+)/"', latest).group(1)
    assert first == real_ledger()[0].ordered[-1].id
    assert 'href="timeline/"' in latest


def test_leaf_pages_stay_out_of_the_sidebar_nav(real_site):
    for url in ("", "events/muse-spark-launch", "entities/meta"):
        html = page(real_site, url)
        sidebar = html[html.index('<nav class="md-nav md-nav--primary"') : html.index("<article")]
        assert re.search(r'href="(\.\./)*timeline/"', sidebar)
        assert not re.search(r'href="(\.\./)*(events|entities)/[a-z]', sidebar)


def broken_internal_links(site: Path) -> list[str]:
    """Every relative link (and year-select target) of every page that leads to no built file.
    404.html is left out: its links are absolute from the root, as it is served at any depth."""
    broken = []
    for html_file in site.rglob("*.html"):
        parser = Links()
        parser.feed(html_file.read_text("utf-8"))
        for href in parser.hrefs + [v for _, k, v in parser.attributes if k == "data-tl-href"]:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path or html_file.name == "404.html":
                continue
            target = (html_file.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(site)} -> {href}")
    return broken


def test_every_internal_link_resolves(real_site):
    broken = broken_internal_links(real_site)
    assert not broken, broken[:10]


def test_search_index_has_title_entity_names_and_summary(real_site):
    index = search_index(real_site)
    docs = {d["location"]: d for d in index["docs"]}
    doc = docs["events/muse-spark-launch/"]
    assert doc["title"].startswith("Meta launches Muse Spark")
    body = " ".join(d["text"] for loc, d in docs.items() if loc.startswith("events/muse-spark-launch/"))
    assert "TBD Lab" in body and "Meta Superintelligence Labs" in body  # entity names
    assert "closed-source" in body  # summary text


def test_edit_link_points_at_the_events_yaml(real_site):
    html = page(real_site, "events/muse-spark-launch")
    assert f'href="{REPO_URL}/edit/main/events/2026/muse-spark-launch.yaml"' in html


def test_same_input_gives_byte_identical_site(real_site, tmp_path):
    again = tmp_path / "again"
    assert mkdocs_build(ROOT, again, REPO_URL=REPO_URL).returncode == 0
    first = {p.relative_to(real_site): p.read_bytes() for p in real_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


HOSTILE_TITLE = "Title [click](javascript:alert(1)) *stars* {: onclick=\"alert(2)\" } & 'q' &lt;b&gt; `code`"
HOSTILE_EVENTS = {
    "entities/acme.yaml": """
        name: "Acme [x](javascript:alert(3)) \\" onmouseover=\\"alert(4)"
        kind: company
        aliases: ["# heading?", "!{: onclick=alert(5)}"]
        description: "A [good link](https://example.com) and a *safe* profile."
    """,
    "2026/hostile.yaml": (
        "title: '" + HOSTILE_TITLE.replace("'", "''") + "'\n"
        "date: 2026-05-02\n"
        "kind: announcement\n"
        "entities: [acme]\n"
        "summary: |\n"
        "  Text with a [fine link](https://example.com/a) and **bold**.\n"
        "  ![img](https://example.com/x.png){: onerror=alert(6)} should not be here.\n"
        f"sources:{SOURCE}"
    ),
}


def test_hostile_text_is_rejected_or_rendered_inert(tmp_path):
    project = fixture_project(tmp_path, HOSTILE_EVENTS)
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    # The image in the summary is refused, with its line, and the build fails without a traceback.
    assert result.returncode != 0
    assert (
        "events/2026/hostile.yaml:7:3: error: images are not allowed" in result.stderr
        and "images are not allowed" in result.stderr
    )
    assert "Traceback" not in result.stderr

    (project / "events/2026/hostile.yaml").write_text(
        (project / "events/2026/hostile.yaml")
        .read_text()
        .replace("![img](https://example.com/x.png){: onerror=alert(6)} should not be here.", "Fine.")
    )
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    for html_file in site.rglob("*.html"):
        html = html_file.read_text("utf-8")
        parser = Links()
        parser.feed(html)
        assert not [a for a in parser.attributes if a[1].startswith("on")], html_file
        # No URL-bearing attribute (a sharing card's text may quote the words "javascript:").
        urls = [a for a in parser.attributes if a[1] in URL_ATTRIBUTES or (a[1] == "content" and "url=" in a[2].lower())]
        assert not [a for a in urls if "javascript:" in a[2].lower().replace(" ", "")], html_file
        assert "<b>" not in html
    event = page(site, "events/hostile")
    title = re.search(r"<title>(.*?)</title>", event, re.S).group(1)
    # The title is the contributor's literal text, HTML-escaped: nothing in it can open a tag.
    assert title.startswith("Title [click](javascript:alert(1)) *stars* {: onclick=&quot;alert(2)&quot; } &amp; &#x27;q&#x27;")
    assert "<" not in title and '"' not in title
    assert "&amp;lt;b&amp;gt;" in title  # the literal text "&lt;b&gt;" survives, escaped
    description = re.search(r'<meta name="description" content="([^"]*)"', event).group(1)
    assert "Text with a fine link and bold" in description
    body = article(event)
    assert "*stars*" not in body or "<em>" not in body  # no Markdown from a title
    assert "<em>stars</em>" not in body
    assert 'href="https://example.com/a"' in body  # a safe link in a summary stays a link
    assert 'href="https://example.com/report?a=1&amp;b=%282%29"' in body  # URL kept, parentheses encoded
    assert article(page(site, "entities/acme")).count("<h1") == 1


def test_invalid_event_fails_the_build_with_file_line_column(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "2026/good.yaml": f"title: Good\ndate: 2026-05\nkind: launch\nentities: [acme]\nsummary: Fine.\nsources:{SOURCE}",
            "2026/bad.yaml": f"title: Bad\ndate: 2026-02-30\nkind: lanch\nentities: [acm]\nsummary: x\nsources:{SOURCE}",
        },
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "events/2026/bad.yaml:2:7: error: invalid date" in result.stderr
    assert (
        "events/2026/bad.yaml:3:7: error: 'lanch' is not a valid value for 'kind' (hint: did you mean 'launch'?)" in result.stderr
    )
    assert "Traceback" not in result.stderr


# The promise ledger ----------------------------------------------------------------------

PROMISE = "events/muse-spark-api-planned-with-launch"


def test_promise_page_tells_the_story_at_a_glance(real_site):
    html = article(page(real_site, PROMISE))
    glance = html[html.index('class="tl-glance') : html.index('class="tl-summary"')]
    assert 'tl-status--overdue"' in glance and ">Overdue, no follow-up recorded<" in glance
    assert "as of 24 November 2026" in glance
    assert "Promised for <strong>April 2026</strong>" in glance
    assert "delayed <strong>twice</strong>" in glance
    assert "latest promised date <strong>June 2026</strong>" in glance
    assert "<strong>208 days</strong> past the first committed date" in glance  # 30 April → 24 November


def test_promise_page_has_an_accessible_slip_chart(real_site):
    html = article(page(real_site, PROMISE))
    svg = re.search(r"<svg [^>]*role=\"img\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for element_id in labelled:
        assert f'id="{element_id}"' in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert "Delayed c. April 2026, to May 2026." in desc and "Delayed c. May 2026, to June 2026." in desc
    assert "208 days past the first committed date (April 2026)" in desc
    assert svg.count('class="tl-sc-due"') == 3  # April, then May, then June
    assert svg.count('class="tl-sc-late"') == 1
    assert svg.count('class="tl-sc-slip"') == 2
    assert "as of 24 Nov 2026" in svg
    # The history is also written out, each step linked to the event that carries its sources.
    history = html[html.index('id="history"') : html.index('id="the-whole-story"')]
    assert history.count("<li>") == 6
    assert "delayed to <strong>May 2026</strong> (Vulnerabilities found in testing" in history
    assert 'href="../muse-spark-api-delayed-to-june/"' in history


def test_event_pages_show_their_whole_thread_with_the_current_event_marked(real_site):
    html = article(page(real_site, "events/muse-spark-api-delayed-to-june"))
    thread = html[html.index('class="tl-thread"') :]
    thread = thread[: thread.index("</ol>")]
    assert "Meta plans to release the Muse Spark API alongside the model in April</strong>: 7 events" in thread
    assert thread.count("<li>") == 7
    assert 'aria-current="page"><strong>Muse Spark API delayed again, to June</strong>' in thread
    assert 'href="../muse-spark-api-delayed-to-june/"' not in thread  # the current one is not a link
    order = [m for m in re.findall(r'href="\.\./([a-z0-9-]+)/"', thread)]
    assert order.index("muse-spark-api-planned-with-launch") < order.index("wsj-reports-muse-spark-api-delays")
    assert "muse-spark-internal-benchmarks" not in thread  # only loosely related
    part_of = html[html.index('class="tl-part-of"') :]
    assert 'Part of the promise <a href="../muse-spark-api-planned-with-launch/">' in part_of
    assert ">Overdue, no follow-up recorded<" in part_of[:600]


def real_ledger():
    """The real record and its promise records as of the tests' build date, 24 November 2026."""
    graph, report = load_graph(ROOT, "events")
    assert not report.errors
    return graph, records(graph, date(2026, 11, 24))


def hrefs_to_events(html: str) -> set[str]:
    return set(re.findall(r'href="(?:\.\./)*events/([a-z0-9-]+)/"', html))


def test_tracker_groups_promises_by_status_and_entity(real_site):
    graph, ledger = real_ledger()
    html = article(page(real_site, "promises"))
    assert f"As of <strong>24 November 2026</strong>, the site records {len(ledger)} promises, " in html
    counts = status_counts(ledger)
    headings = re.findall(r"<h3[^>]*>(.*?)<a", html)
    assert headings == [f"{STATUSES[status][0]} ({count})" for status, count in counts]
    # Each status section lists exactly its promises, the most pressing first.
    ids = re.findall(r'<h3[^>]*? id="([^"]+)"', html)
    for (status, _), here, after in zip(counts, ids, [*ids[1:], "by-entity"], strict=True):
        section = html[html.index(f'id="{here}"') : html.index(f'id="{after}"')]
        assert hrefs_to_events(section) == {r.promise.id for r in ledger if r.status == status}
    first = next(r for r in ledger if r.status == counts[0][0])
    section = html[html.index(f'id="{ids[0]}"') :]
    row = re.search(r"<tr>\s*<td><span class=\"tl-status.*?</tr>", section, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0] == STATUSES[first.status][0]
    assert cells[1].startswith(first.promise.title)
    due = [first.original_due.label() if first.original_due else "—", first.current_due.label() if first.current_due else "—"]
    assert cells[2:] == [*due, str(len(first.slips)), str(first.days_late) if first.days_late else "—"]
    by_entity = html[html.index('id="by-entity"') : html.index('id="what-the-statuses-mean"')]
    meta = [r for r in ledger if r.by in {"meta", *(e.id for e in graph.descendants("meta"))}]
    assert f'<a href="../entities/meta/#promises">Meta</a>: {len(meta)} promises' in by_entity
    assert "Stalled" in html[html.index('id="what-the-statuses-mean"') :]


def test_entity_page_shows_its_promise_record(real_site):
    graph, ledger = real_ledger()
    meta = [r for r in ledger if r.by in {"meta", *(e.id for e in graph.descendants("meta"))}]
    html = article(page(real_site, "entities/meta"))
    assert f"<strong>Meta: {len(meta)} promises, " in html
    assert "as of 24 November 2026, units included" in html
    section = html[html.index('id="promises"') : html.index('id="track-record"')]
    assert hrefs_to_events(section) == {r.promise.id for r in meta}


def test_home_separates_overdue_stalled_and_due_soon(real_site):
    _, ledger = real_ledger()
    html = article(page(real_site, ""))
    overdue = html[
        html.index('id="overdue-the-latest-promised-date-has-passed"') : html.index('id="stalled-delayed-with-no-new-date"')
    ]
    assert hrefs_to_events(overdue) == {r.promise.id for r in ledger if r.status in ("overdue", "overdue-reaffirmed")}
    muse = next(r for r in ledger if r.promise.id == "muse-spark-api-planned-with-launch")
    assert f"{muse.days_late} days past the first committed date" in overdue
    assert re.search(r"</ul>\s*<p>As of 24 November 2026\.", overdue)
    stalled = html[html.index('id="stalled-delayed-with-no-new-date"') : html.index('id="due-in-the-next-90-days"')]
    assert hrefs_to_events(stalled) == {r.promise.id for r in ledger if r.status == "stalled"}
    soon = html[html.index('id="due-in-the-next-90-days"') : html.index('id="latest-events"')]
    due_soon = {
        r.promise.id
        for r in ledger
        if not r.settled and r.current_due and 0 <= (r.current_due.last - date(2026, 11, 24)).days <= 90
    }
    assert hrefs_to_events(soon) == due_soon
    if not due_soon:
        assert "No open promise is due in the next 90 days." in soon


def test_mentions_in_summaries_become_links(real_site):
    html = article(page(real_site, "events/wang-says-muse-spark-api-coming-soon"))
    summary = html[html.index('class="tl-summary"') :]
    assert re.search(r'<a href="\.\./muse-spark-launch/"[^>]*>Muse Spark went online</a>', summary)
    assert re.search(r'<a href="\.\./\.\./entities/alexandr-wang/"[^>]*>Alexandr Wang</a>', summary)
    assert "[[" not in html


def test_a_units_promise_rolls_up_to_its_parents_marked_as_a_units(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "entities/acme-labs.yaml": "name: Acme Labs\nkind: lab\nparent: acme\n",
            "entities/skunkworks.yaml": "name: Skunkworks\nkind: team\nparent: acme-labs\n",
            "2026/skunkworks-promises-gadget.yaml": (
                "title: Skunkworks promises a gadget\ndate: 2026-01-10\nkind: promise\nentities: [skunkworks]\n"
                "promise: {by: skunkworks, what: Ship the gadget, due: 2026-12}\nsummary: A promise.\nsources:" + SOURCE
            ),
            "2026/acme-promises-widget.yaml": (
                "title: Acme promises a widget\ndate: 2026-01-05\nkind: promise\nentities: [acme]\n"
                "promise: {by: acme, what: Ship the widget, due: 2026-03}\nsummary: A promise.\nsources:" + SOURCE
            ),
            "2026/widget-ships.yaml": (
                "title: The widget ships\ndate: 2026-04-02\nkind: fulfilment\nentities: [acme]\n"
                "relations: [{type: fulfils, event: acme-promises-widget}]\nsummary: Shipped.\nsources:" + SOURCE
            ),
        },
    )
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    acme = article(page(site, "entities/acme"))
    assert "<strong>Acme: 2 promises, 1 not yet due, 1 delivered late</strong>" in acme
    row = re.search(r"<tr>(?:(?!</tr>).)*skunkworks-promises-gadget(?:(?!</tr>).)*</tr>", acme, re.S).group(0)
    assert 'by <a href="../skunkworks/">Skunkworks</a> (a unit)' in row
    labs = article(page(site, "entities/acme-labs"))
    assert "<strong>Acme Labs: 1 promise, 1 not yet due</strong>" in labs
    assert "Acme promises a widget" not in labs  # a parent's promise does not flow down
    widget = article(page(site, "events/acme-promises-widget"))
    assert ">Delivered late<" in widget and "<strong>2 days</strong> past the first committed date" in widget


def test_archives_list_exactly_their_events_and_are_linked_where_tags_kinds_and_years_show(real_site):
    import yaml

    events = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (ROOT / "events").glob("20*/*.yaml")}
    listed = lambda url: set(re.findall(r'href="\.\./\.\./\.\./events/([a-z0-9-]+)/"', article(page(real_site, url))))  # noqa: E731
    for tag in {t for e in events.values() for t in e.get("tags", [])}:
        assert listed(f"archive/tags/{tag}") == {i for i, e in events.items() if tag in e.get("tags", [])}, tag
    for kind in {e["kind"] for e in events.values()}:
        assert listed(f"archive/kinds/{kind}") == {i for i, e in events.items() if e["kind"] == kind}, kind
    assert listed("archive/years/2026") == {i for i, e in events.items() if str(e["date"]).startswith("2026")}
    html = article(page(real_site, "events/muse-spark-launch"))
    assert 'href="../../archive/years/2026/"' in html and 'href="../../archive/kinds/launch/"' in html
    assert all(f'href="../../archive/tags/{t}/"' in html for t in events["muse-spark-launch"].get("tags", []))
    assert 'href="../archive/years/2026/"' in article(page(real_site, "timeline"))
    assert 'href="../archive/kinds/' in article(page(real_site, "timeline"))
    assert "archive" not in (real_site / "index.html").read_text("utf-8").split('class="md-nav')[1][:2000]


def test_a_hand_written_page_at_a_generated_path_stops_the_build_and_says_which(tmp_path):
    project = fixture_project(tmp_path, {})
    (project / "docs" / "timeline.md").write_text("# Mine\n", "utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/timeline.md clashes with a page the timeline generates; rename or remove it" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
