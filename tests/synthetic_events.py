"""Synthetic event folders for the check's speed and cache tests (a copy of the benchmark's
generator, so the two can change independently)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

SOURCE = "sources:\n  - {publisher: Example News, title: A report, date: 2026-01-02, type: primary}\n"


def synthetic_events(root: Path, events: int) -> Path:
    """`root/events/` with `events` events (promises, delays, announcements that follow each other)
    about events // 50 companies and as many labs; every file valid. Returns `root`."""
    entities = root / "events" / "entities"
    entities.mkdir(parents=True)
    companies = max(1, events // 50)
    for c in range(companies):
        (entities / f"company-{c}.yaml").write_text(f"name: Company {c}\nkind: company\n")
        (entities / f"lab-{c}.yaml").write_text(f"name: Lab {c}\nkind: lab\nparent: company-{c}\n")
    for i in range(events):
        when = date.fromordinal(date(2019, 1, 1).toordinal() + i * 2555 // events)  # 7 years, in order
        year, month, day = when.year, when.month, when.day
        folder = root / "events" / str(year)
        folder.mkdir(exist_ok=True)
        owner = f"lab-{i % companies}"
        if i % 10 == 0:
            body = f"kind: promise\npromise: {{by: {owner}, what: Ship thing {i}, due: {year}-{month:02d}}}\n"
        elif i % 10 == 1:
            body = f"kind: delay\nrelations: [{{type: delays, event: event-{i - 1}, new_date: '{year + 1}'}}]\n"
        else:
            body = "kind: announcement\n" + (f"relations: [{{type: follows, event: event-{i - 2}}}]\n" if i > 2 else "")
        (folder / f"event-{i}.yaml").write_text(
            f"title: Event number {i}\ndate: {year}-{month:02d}-{day:02d}\n{body}"
            f"entities: [{owner}, company-{i % companies}]\nsummary: Summary of event {i}, mentioning [[{owner}]].\n{SOURCE}"
        )
    return root
