"""A synthetic record of N events, shaped like the real one, for the benchmarks (issue 11).

Deterministic (seeded by N and a seed) and valid (`timeline check` passes on it). What a
reader of the real record meets, at scale: 60-120-word Markdown summaries with emphasis,
https links and `[[mentions]]` of entities and earlier events; 15% promises whose histories
hold reaffirmations, delays (with a new date, or none), partial and full fulfilments, breaks
and cancellations, some left open; 1-3 sources with URLs, secondary ones citing a `via`;
quotes; tags; dates at every precision; an entity hierarchy of companies > labs > teams with
products, models and people holding roles.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ai_timeline.dates import FuzzyDate

START, END = date(2019, 1, 1), date(2026, 11, 20)  # the benchmarks' "as of" is 2026-11-24
SYLLABLES = [
    "ka", "lo", "mi", "ra", "ven", "tor", "sil", "qua", "dex", "neo", "ar", "is", "on", "el", "um", "ix", "al", "ber", "cor", "zen", "tal", "vi", "fen", "gra", "mo", "lux", "pri", "sta", "nor",
]  # fmt: skip
COMMON = [
    "the", "a", "of", "to", "and", "in", "for", "on", "with", "by", "at", "from", "as", "its", "new", "said",
    "would", "will", "was", "has", "had", "that", "this", "which", "model", "release", "compute", "training", "data", "safety", "launch", "research",
    "benchmark", "agents", "reasoning", "partners", "customers", "revenue", "chips", "cluster", "datacenter", "capacity", "roadmap", "preview", "enterprise", "users", "evaluation", "alignment",
    "policy", "regulators", "open", "weights", "licence", "pricing", "developers", "latency", "multimodal", "voice", "vision", "robotics", "deployment", "rollout", "feature", "assistant",
    "search", "cloud", "investment", "quarter", "analysts", "according", "people", "familiar", "plans", "expected", "delayed", "ahead", "schedule", "engineers", "testing", "infrastructure",
    "shareholders", "capital", "spending", "billion", "million", "contract", "government", "lawsuit", "court", "filing", "memo", "staff",
]  # fmt: skip
FIRST = [
    "Ada", "Bram", "Cleo", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Milo", "Nia", "Omar", "Pia", "Quin", "Rhea", "Sami", "Tess", "Uma", "Vik", "Wren", "Yara", "Zeno",
]  # fmt: skip
LAST = [
    "Ardent", "Bishop", "Calder", "Dunmore", "Ellery", "Fairbank", "Garrow", "Hollis", "Ingram", "Jessop", "Kerrigan", "Lowell", "Marsh", "Norwood",
]  # fmt: skip
MEDIA = (
    "The Daily Ledger",
    "Tech Chronicle",
    "Market Wire",
    "The Evening Post",
    "Signal Review",
    "Bay Area Courier",
    "Global Business Times",
    "The Weekly Register",
    "Circuit Journal",
    "Capital Observer",
)
TAGS = [
    f"{a}-{b}"
    for a in ("chips", "agents", "voice", "robots", "search", "cloud", "safety", "devices")
    for b in ("launch", "policy", "capex", "research", "deals")
]
PLAIN_KINDS = ("announcement", "launch", "statement", "claim", "report", "restructuring", "appointment", "departure",
               "spending", "funding", "financial-result", "market-reaction", "partnership", "acquisition", "policy",
               "lawsuit", "incident")  # fmt: skip
PLAIN_RELATIONS = ("follows", "reports", "responds-to", "caused-by", "related")
SAFE_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,.'()/+-]*$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _scalar(text: str) -> str:
    """A plain YAML scalar when it is one, else a double-quoted one (JSON's escapes are YAML's)."""
    if SAFE_PLAIN.match(text) and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _block(key: str, text: str, indent: str = "") -> str:
    lines = textwrap.wrap(text, 96, break_long_words=False, break_on_hyphens=False)
    return f"{indent}{key}: >-\n" + "".join(f"{indent}  {line}\n" for line in lines)


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    parent: str | None = None
    company: str = ""
    body: list[str] = field(default_factory=list)


@dataclass
class Thread:
    """A promise's history so far: what the next event about it may say."""

    id: str
    company: str
    due: FuzzyDate | None
    product: str
    last_day: date  # its events fall on distinct days, so their order is their dates' order


class Generator:
    def __init__(self, n: int, seed: int) -> None:
        self.n, self.rng = n, random.Random(f"{seed}:{n}")
        self.used: set[str] = set()
        self.vocabulary = self._vocabulary(4000)
        self.entities: dict[str, Entity] = {}
        self.companies: list[str] = []
        self.people: dict[str, list[str]] = {}  # company -> person IDs
        self.units: dict[str, list[str]] = {}  # company -> labs, teams
        self.products: dict[str, list[str]] = {}  # company -> products, models
        self.events: list[tuple[str, int, str]] = []  # (id, year, YAML)
        self.threads: list[Thread] = []

    # -- vocabulary and prose ------------------------------------------------------------------

    def _vocabulary(self, size: int) -> list[str]:
        """Common words plus invented ones, drawn Zipf-like so a few recur and most are rare."""
        invented = {"".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))) for _ in range(size)}
        return COMMON + sorted(invented)

    def _word(self) -> str:
        return self.vocabulary[int(len(self.vocabulary) * self.rng.random() ** 3)]

    def _unique_id(self, text: str) -> str:
        base = _slug(text) or "record"
        candidate, k = base, 2
        while candidate in self.used:
            candidate, k = f"{base}-{k}", k + 1
        self.used.add(candidate)
        return candidate

    def summary(self, mentions: list[str]) -> str:
        """60-120 words of Markdown: emphasis, a strong phrase, an https link, the mentions."""
        words = [self._word() for _ in range(self.rng.randint(60, 120) - len(mentions))]
        strong = self.rng.randrange(len(words) - 1)
        words[strong : strong + 2] = [f"**{words[strong]} {words[strong + 1]}**"]
        link = self.rng.randrange(len(words) - 1)
        host = _slug(self.rng.choice(MEDIA))
        words[link : link + 2] = [f"[{words[link]} {words[link + 1]}](https://{host}.example/{self.rng.randrange(10**6)})"]
        for slot in self.rng.sample(range(len(words)), 2):
            if words[slot].isalpha():
                words[slot] = f"*{words[slot]}*"
        for mention in mentions:
            words.insert(self.rng.randrange(len(words)), f"[[{mention}]]")
        sentences, text = [], []
        for word in words:
            text.append(word)
            if len(text) > 8 and self.rng.random() < 0.12:
                sentences.append(" ".join(text))
                text = []
        sentences.append(" ".join(text))
        return " ".join(s[0].upper() + s[1:] + "." for s in sentences if s)

    # -- entities ------------------------------------------------------------------------------

    def _entity(self, name: str, kind: str, parent: str | None, company: str, *body: str) -> str:
        entity_id = self._unique_id(name)
        self.entities[entity_id] = Entity(entity_id, name, kind, parent, company or entity_id, list(body))
        return entity_id

    def build_entities(self) -> None:
        for media in MEDIA:
            self._entity(media, "media", None, "")
        for _ in range(max(8, self.n // 150)):
            name = "".join(self.rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            company = self._entity(name, "company", None, "")
            self.companies.append(company)
            units, products, people = [], [], []
            for lab_name in (f"{name} Research", f"{name} Applied Labs"):
                lab = self._entity(lab_name, "lab", company, company)
                units.append(lab)
                for team in ("Frontier", "Infrastructure"):
                    units.append(self._entity(f"{lab_name} {team} Team", "team", lab, company))
                for size in self.rng.sample(["7B", "70B", "Ultra", "Mini", "Pro"], 2):
                    products.append(self._entity(f"{name}-{self.rng.randint(1, 9)} {size}", "model", lab, company))
            for product in ("Assistant", "Studio", "Cloud"):
                products.append(self._entity(f"{name} {product}", "product", company, company))
            for _ in range(4):
                person = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
                org = self.rng.choice([company, *units[:1], units[3]])
                start = self._date_between(START - timedelta(days=2000), START)
                role = f"  - title: {self.rng.choice(['Chief Executive', 'Head of Research', 'Chief Scientist', 'VP Product'])}\n    org: {org}\n    from: {start.year}-{start.month:02d}\n"
                if self.rng.random() < 0.3:
                    role += f"    to: {self.rng.randint(2020, 2026)}\n"
                people.append(self._entity(person, "person", None, company, "roles:\n" + role))
            self.units[company], self.products[company], self.people[company] = units, products, people

    def entity_yaml(self, entity: Entity) -> str:
        out = ["# yaml-language-server: $schema=../../plugins/ai_timeline/schemas/entity.schema.json\n"]
        out.append(f"name: {_scalar(entity.name)}\nkind: {entity.kind}\n")
        if entity.parent:
            out.append(f"parent: {entity.parent}\n")
        if self.rng.random() < 0.3:
            out.append(f"aliases:\n  - {_scalar(entity.name.split()[0] + ' ' + entity.kind.upper())}\n")
        mentions = [entity.parent] if entity.parent else []
        words = " ".join(self._word() for _ in range(self.rng.randint(20, 50)))
        out.append(_block("description", f"{words.capitalize()}{''.join(f' See [[{m}]].' for m in mentions)}"))
        out.extend(entity.body)
        if self.rng.random() < 0.4:
            out.append(f"links:\n  - title: Official website\n    url: https://{entity.id}.example/\n")
        if self.rng.random() < 0.5:
            out.append("sources:\n" + self.source(self._date_between(START, END)))
        return "".join(out)

    # -- dates ---------------------------------------------------------------------------------

    def _date_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def fuzzy(self, day: date) -> str:
        """`day` at a precision a source might give: the interval always contains `day`."""
        roll = self.rng.random()
        if roll < 0.62:
            return day.isoformat()
        if roll < 0.80:
            return f"{day.year}-{day.month:02d}"
        if roll < 0.87:
            return f"{day.year}-Q{(day.month + 2) // 3}"
        if roll < 0.90:
            return f"{day.year}-H{1 if day.month <= 6 else 2}"
        if roll < 0.93 and 3 <= day.month <= 11:
            return f"{day.year}-{('spring', 'summer', 'autumn')[(day.month - 3) // 3]}"
        if roll < 0.96:
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        return str(day.year)

    def due_after(self, day: date) -> str:
        """A promised date some months after `day`, at a promise's usual precisions."""
        target = day + timedelta(days=self.rng.randint(60, 540))
        roll = self.rng.random()
        if roll < 0.4:
            return f"{target.year}-{target.month:02d}"
        if roll < 0.6:
            return f"{target.year}-Q{(target.month + 2) // 3}"
        if roll < 0.7:
            return f"{target.year}-H{1 if target.month <= 6 else 2}"
        if roll < 0.78:
            return f"{target.year}-{('early', 'mid', 'late')[(target.month - 1) // 4]}"
        if roll < 0.85 and 3 <= target.month <= 11:
            return f"{target.year}-{('spring', 'summer', 'autumn')[(target.month - 3) // 3]}"
        if roll < 0.9:
            return str(target.year)
        return target.isoformat()

    # -- events --------------------------------------------------------------------------------

    def source(self, day: date) -> str:
        publisher = self.rng.choice(MEDIA)
        published = day + timedelta(days=self.rng.randint(0, 3))
        title = " ".join(self._word() for _ in range(self.rng.randint(5, 11))).capitalize()
        lines = [f"  - publisher: {_scalar(publisher)}\n    title: {_scalar(title)}\n    date: {published.isoformat()}\n"]
        if self.rng.random() < 0.85:
            lines.append(f"    url: https://{_slug(publisher)}.example/{published.year}/{_slug(title)[:40]}\n")
        if self.rng.random() < 0.45:
            lines.append("    type: secondary\n")
            if self.rng.random() < 0.7:
                lines.append(f"    via: {_scalar(self.rng.choice(MEDIA))}\n")
        else:
            lines.append("    type: primary\n")
        return "".join(lines)

    def build_events(self) -> None:
        days = sorted(self._date_between(START, END) for _ in range(self.n))
        weights = [1 / (k + 1) ** 0.8 for k in range(len(self.companies))]  # some companies far busier
        for day in days:
            company = self.rng.choices(self.companies, weights)[0]
            roll = self.rng.random()
            if roll < 0.15:
                self.promise(day, company)
            elif roll < 0.55 and self.threads and (thread := self.rng.choice(self.threads[-300:])).last_day < day:
                self.follow_up(day, thread)
            else:
                self.plain(day, company)

    def _involved(self, company: str, *extra: str) -> list[str]:
        pool = self.units[company] + self.products[company] + self.people[company]
        return list(dict.fromkeys([company, *extra, *self.rng.sample(pool, self.rng.randint(0, 3))]))

    def _write(
        self, title: str, day: date, kind: str, entities: list[str], body: str, mentions: list[str], exact: bool = False
    ) -> str:
        """Writes the event; `exact`: a day-precise date (a promise's history is dated to the day,
        or a month-wide date could sort an outcome before the delay that preceded it)."""
        event_id = self._unique_id(title)
        out = ["# yaml-language-server: $schema=../../plugins/ai_timeline/schemas/event.schema.json\n"]
        out.append(f"title: {_scalar(title)}\ndate: {day.isoformat() if exact else self.fuzzy(day)}\n")
        if self.rng.random() < 0.05:
            out.append("approximate: true\n")
        out.append(f"kind: {kind}\nentities:\n" + "".join(f"  - {e}\n" for e in entities))
        out.append(body)
        out.append(_block("summary", self.summary(mentions)))
        if self.rng.random() < 0.3:
            speaker = self.rng.choice(self.people[self.entities[entities[0]].company])
            quote = " ".join(self._word() for _ in range(self.rng.randint(8, 30))).capitalize() + "."
            out.append(f"quotes:\n  - text: {_scalar(quote)}\n    by: {speaker}\n")
        tags = self.rng.sample(TAGS, self.rng.choice([0, 1, 1, 2, 2, 3, 4]))
        if tags:
            out.append("tags:\n" + "".join(f"  - {t}\n" for t in tags))
        out.append("sources:\n" + "".join(self.source(day) for _ in range(self.rng.choice([1, 1, 2, 2, 3]))))
        self.events.append((event_id, day.year, "".join(out)))
        return event_id

    def promise(self, day: date, company: str) -> None:
        product = self.rng.choice(self.products[company])
        by = self.rng.choice([company, *self.people[company][:2], *self.units[company][:1]])
        what = f"Ship {self.entities[product].name} {self.rng.choice(['to everyone', 'in Europe', 'with voice', 'for developers', 'on phones'])}"
        body = f"promise:\n  by: {by}\n  what: {_scalar(what)}\n"
        due = None
        if self.rng.random() < 0.8:
            due = self.due_after(day)
            body += f"  due: {due}\n"
        if self.rng.random() < 0.2:
            body += f"  timing: {_scalar(self.rng.choice(['in the coming months', 'later this year', 'soon', 'by the end of the year']))}\n"
        title = f"{self.entities[company].name} promises {what[0].lower()}{what[1:]}"
        event_id = self._write(title, day, "promise", self._involved(company, product), body, [product, by])
        self.threads.append(Thread(event_id, company, FuzzyDate.parse(due) if due else None, product, day))

    def follow_up(self, day: date, thread: Thread) -> None:
        name = self.entities[thread.product].name
        roll = self.rng.random()
        relation = f"relations:\n  - type: {{type}}\n    event: {thread.id}\n"
        extra = ""
        if roll < 0.25:
            kind, rtype, title = "statement", "reaffirms", f"{name} still on track, says {self.entities[thread.company].name}"
            if thread.due is not None and self.rng.random() < 0.6:
                extra = f"    new_date: {thread.due.iso()}\n"
        elif roll < 0.62:
            kind, rtype, title = "delay", "delays", f"{name} delayed"
            if self.rng.random() < 0.75:
                base = thread.due.last if thread.due else day
                later = max(base, day) + timedelta(days=self.rng.randint(35, 300))
                new_date = f"{later.year}-{later.month:02d}"
                extra = f"    new_date: {new_date}\n"
                thread.due = FuzzyDate.parse(new_date)
                title += f" to {thread.due.label()}"
            else:
                thread.due = None  # delayed with no new date
            if self.rng.random() < 0.6:
                extra += f"    reason: {_scalar(' '.join(self._word() for _ in range(8)).capitalize())}\n"
        elif roll < 0.72:
            kind, rtype, title = "fulfilment", "fulfils", f"{name} partly ships"
            extra = "    extent: partial\n"
        else:
            kind, rtype, title = self.rng.choice(
                [("fulfilment", "fulfils", f"{name} ships")] * 3
                + [("report", "breaks", f"{name} quietly dropped"), ("cancellation", "cancels", f"{name} cancelled")]
            )
            self.threads.remove(thread)  # settled: nothing more may delay or fulfil it
        body = relation.format(type=rtype) + extra
        thread.last_day = day
        self._write(title, day, kind, self._involved(thread.company, thread.product), body, [thread.product, thread.id], True)

    def plain(self, day: date, company: str) -> None:
        kind = self.rng.choice(PLAIN_KINDS)
        entities = self._involved(company)
        if kind == "report":
            entities.append(_slug(self.rng.choice(MEDIA)))
        title = f"{self.entities[company].name} {kind.replace('-', ' ')}: {' '.join(self._word() for _ in range(self.rng.randint(3, 7)))}"
        body, mentions = "", [self.rng.choice(entities)]
        earlier = [e[0] for e in self.events[-200:]]
        if earlier and self.rng.random() < 0.45:
            targets = self.rng.sample(earlier, min(len(earlier), self.rng.randint(1, 2)))
            body = "relations:\n" + "".join(f"  - type: {self.rng.choice(PLAIN_RELATIONS)}\n    event: {t}\n" for t in targets)
            mentions.append(targets[0])
        self._write(title, day, kind, entities, body, mentions)


def write_project(root: Path, events: int, seed: int = 11) -> Generator:
    """A project at `root`: the real docs, mkdocs.yml and templates, and `events` synthetic events."""
    from sitebuild import ROOT  # tests/ is on sys.path for every benchmark

    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy(ROOT / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "events" / "_templates", root / "events" / "_templates")
    generator = Generator(events, seed)
    generator.build_entities()
    generator.build_events()
    (root / "events" / "entities").mkdir(parents=True)
    for entity in generator.entities.values():
        (root / "events" / "entities" / f"{entity.id}.yaml").write_text(generator.entity_yaml(entity), "utf-8")
    for event_id, year, text in generator.events:
        folder = root / "events" / str(year)
        folder.mkdir(exist_ok=True)
        (folder / f"{event_id}.yaml").write_text(text, "utf-8")
    return generator


def search_queries(generator: Generator) -> tuple[str, str]:
    """What a reader would search: the busiest company's name, then a person's surname."""
    person = generator.entities[generator.people[generator.companies[1]][0]]
    return generator.entities[generator.companies[0]].name, person.name.split()[-1]


def event_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "events").glob("[0-9]*/*.yaml"))
