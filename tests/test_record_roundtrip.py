"""Every field of every record comes back as it went in: from the store, ``opsroom show
--json``, the API and the JSON exports, on SQLite and on PostgreSQL.

Fields were lost on the way: a claim's ``value_high`` and ``reason`` were never stored, so
``opsroom extract --json`` and what the store served differed for one article.  The checks
walk ``dataclasses.fields`` of ``Event``, ``Source``, ``Claim``, ``Entity`` and
``Resolution``, so a field added to a record is checked without a change here.

Two articles go in through one ingest: real sentences through the real pipeline, and a
document-contract line whose records have every field set (a sample value by type), so
that a field the pipeline leaves empty cannot hide a loss behind a None read back as None.

What legitimately differs, and how the checks allow for it:

- order: the store reads entities, sources and claims in text order, so records are
  paired by the store's key of each (``repository._key``), not by position;
- duplicates: that key is the record's content, so a claim an event lists twice is stored,
  and read back, once;
- empty entity fields: ``Entity.to_json`` (the document contract: ``show --json`` and the
  JSONL export) leaves out fields that are None, so there a missing key reads as None;
- the API serves merged events: each event here must be served alone (``merged`` false),
  so that the served record is the event itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from opsroom.api import create_app
from opsroom.api.schemas import ClaimOut, EntityOut, EventOut, ResolutionOut, SourceOut
from opsroom.cli import app
from opsroom.config import Settings
from opsroom.export import document_to_json, export
from opsroom.extractor import Extractor
from opsroom.ingest.dedup import article_id, content_hash
from opsroom.knowledge import Knowledge
from opsroom.models import Article, Claim, Document, Entity, Event, Resolution, Source
from opsroom.pipeline import ingest
from opsroom.store import EventQuery, Store
from opsroom.store import tables as t
from opsroom.store.records import (
    claim_columns,
    entity_columns,
    event_columns,
    field_names,
    relation_columns,
    source_columns,
)

from .conftest import BACKENDS
from .test_api_read import fresh_database

API = "/api/v1"

# Reuters, 7 July 2021 (the sample corpus): a rocket attack, a thwarted drone, a colonel.
ROCKETS = ("BAGHDAD (Reuters) -At least 14 rockets hit an Iraqi air base hosting U.S. and other "
           "international forces on Wednesday, slightly wounding two people, the U.S.-led coalition "
           "said, as Kurdish-led forces in Syria said they thwarted a drone attack in an area where "
           "U.S. forces also operate.")
MAROTTO = ("Two people were slightly wounded in the rocket attack on the Ain al-Asad air base in "
           "western Iraq, U.S. Army Colonel Wayne Marotto, spokesman for the coalition, said.")
# Reuters, 18 June 2018 (the sample corpus): the text of the article whose records are filled.
PMF = ("Iraq’s Popular Mobilisation Forces, a grouping of mostly Iran-backed Shi’ite paramilitaries, "
       "said a U.S. air strike on the Iraqi border with Syria killed 22 of its members and wounded "
       "12 others.")


# -- every field has a column and an API field ------------------------------------------------


@pytest.mark.parametrize(("columns", "table"), [
    (event_columns, t.events), (event_columns, t.event_clusters), (source_columns, t.event_sources),
    (claim_columns, t.claims), (entity_columns, t.entities), (relation_columns, t.relations),
], ids=["events", "event_clusters", "event_sources", "claims", "entities", "relations"])
def test_every_stored_field_has_a_column(columns: Callable[[], tuple[str, ...]], table: t.Table) -> None:
    assert set(columns()) <= set(table.c.keys())


def test_entity_fields_stored_under_other_names() -> None:
    """``Entity.id`` is ``ref_id``, its resolution ``method``/``score``/``reason``; the row's own
    columns must never be taken by a field of the same name."""
    own = {"id", "article_id", "ref_id", "method", "score", "reason"}
    assert own <= set(t.entities.c.keys())
    assert not own & set(entity_columns())
    assert field_names(Resolution) == ("method", "score", "reason")
    assert set(field_names(Entity)) == {*entity_columns(), "id", "resolution"}


@pytest.mark.parametrize(("record", "shape"), [
    (Event, EventOut), (Source, SourceOut), (Claim, ClaimOut), (Entity, EntityOut),
    (Resolution, ResolutionOut),
], ids=lambda x: x.__name__)
def test_every_field_has_an_api_field(record: type, shape: type[Any]) -> None:
    assert set(field_names(record)) <= set(shape.model_fields)


# -- the records, filled ---------------------------------------------------------------------

#: A value of each field type of the records.  Strings are short: some columns are
#: VARCHAR(10) on PostgreSQL.  A record gains a field of a new type: add its value here.
SAMPLES: dict[str, Callable[[int], Any]] = {
    "str": lambda i: f"v{i}",
    "int": lambda i: 1000 + i,
    "float": lambda i: 30 + i / 8,
    "bool": lambda i: True,
    "dt.date": lambda i: dt.date(2018, 6, 17),
    "Stance": lambda i: "denies",
    "EntityLabel": lambda i: "PERSON",
    "Resolution": lambda i: filled(Resolution),
}


def filled(record: type, **given: Any) -> Any:
    """A record with every field set: ``given`` where other code reads the value (the merge
    reads dates and figures), a sample of the field's type otherwise."""
    values = dict(given)
    for i, f in enumerate(fields(record)):
        if f.name not in values:
            kind = str(f.type).removesuffix(" | None")
            assert kind in SAMPLES, f"no sample {kind!r} for {record.__name__}.{f.name}: add one"
            values[f.name] = SAMPLES[kind](i)
    return record(**values)


def filled_document() -> Document:
    """One article whose event, source, claim and entities have every field set."""
    chash = content_hash(PMF)
    art = Article(id=article_id(chash), text=PMF, title="Syrian, Iraqi forces say U.S. bombs "
                  "military border positions", captions=["FILE PHOTO: Popular Mobilisation Forces"],
                  source="Reuters", published=dt.date(2018, 6, 18), origin="filled",
                  content_hash=chash)
    # A lone event reconciles to itself when its figures agree (merge.reconcile).
    event = filled(Event, event_id="f111ed0000000001", date_precision="day", fatalities=22,
                   fatalities_low=22, fatalities_high=22,
                   sources=[filled(Source, article_id=art.id)],
                   claims=[filled(Claim, article_id=art.id)])
    entities = [filled(Entity, part="caption", part_index=0), filled(Entity, part=None)]
    return Document(article=art, entities=entities, events=[event])


def test_the_filled_records_set_every_field() -> None:
    doc = filled_document()
    ev, entity = doc.events[0], doc.entities[0]
    records: list[Any] = [ev, ev.sources[0], ev.claims[0], entity, entity.resolution]
    for record in records:
        empty = [f.name for f in fields(record) if getattr(record, f.name) is None]
        assert not empty, f"{type(record).__name__}: {empty}"


# -- one ingest, read back through every door ------------------------------------------------


@dataclass
class Trip:
    """A store after one ingest, the records that went in, and the API over it."""

    store: Store
    url: str
    client: TestClient
    given: list[Document]
    folder: Path


@pytest.fixture(scope="module", params=BACKENDS)
def trip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trip]:
    folder = tmp_path_factory.mktemp("roundtrip")
    doc = filled_document()
    inputs = folder / "in.jsonl"
    inputs.write_text(json.dumps({
        "id": "reuters-rockets", "text": f"{ROCKETS}\n\n{MAROTTO}", "source": "Reuters",
        "title": "Rockets hit Iraqi base housing U.S. forces, wounding two – U.S. coalition",
        "published": "2021-07-07"}) + "\n" + json.dumps(document_to_json(doc), default=str) + "\n",
        "utf-8")
    with fresh_database(request, request.param, folder) as url:
        settings = Settings(database_url=url)
        knowledge = Knowledge.from_settings(settings)
        extracted: list[Document] = []

        def analyse(articles: Iterable[Article | Document]) -> Iterator[Document]:
            for item in Extractor(settings, knowledge=knowledge).documents(articles):
                extracted.append(item)
                yield item

        store = Store.open(url)
        report = ingest([inputs], store, settings, analyse=analyse, knowledge=knowledge)
        assert (report.new, report.failed) == (2, 0), report.failures
        pipeline = next(d for d in extracted if d.article.id != doc.article.id)
        assert pipeline.events and pipeline.entities
        imported = next(d for d in extracted if d.article.id == doc.article.id)
        # The import reads the document line back into the records written to it.
        assert (imported.entities, imported.events) == (doc.entities, doc.events)
        app_settings = Settings(database_url=url, api_tokens="reader:read-secret")
        with TestClient(create_app(app_settings, store)) as client:
            yield Trip(store, url, client, [pipeline, doc], folder)
        store.close()


def plain(value: Any) -> Any:
    """The JSON form of a value: records as objects, dates as ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


#: The store's key of each record (``repository._key``): what pairs a given record with the
#: one read back.
IDENT = {
    Event: ("event_id",),
    Source: ("article_id", "start", "end", "claimed_by"),
    Claim: ("article_id", "start", "claimed_by", "field", "value", "stance"),
    Entity: ("label", "start", "end", "part", "part_index"),
}
#: Fields compared apart: an event's sources and claims are records of their own.
NESTED = {"sources": Source, "claims": Claim}


def differences(door: str, record: type, given: list[Mapping[str, Any]],
                read: list[Mapping[str, Any]], omits_none: bool = False) -> list[str]:
    """Every field of ``record`` that ``door`` read back otherwise than given, as sentences."""
    def by_key(items: list[Mapping[str, Any]]) -> dict[tuple[Any, ...], Mapping[str, Any]]:
        out: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        for item in items:  # the first of equal keys, as the store keeps it
            out.setdefault(tuple(item.get(n) for n in IDENT[record]), item)
        return out

    want, got = by_key(given), by_key(read)
    name = record.__name__
    out = [f"{door}: {name} {k} not read back" for k in want.keys() - got.keys()]
    out += [f"{door}: {name} {k} read back, never given" for k in got.keys() - want.keys()]
    for key in want.keys() & got.keys():
        w, g = want[key], got[key]
        for f in fields(record):
            if f.name not in g and not omits_none:
                out.append(f"{door}: {name} {key} has no {f.name!r}")
            elif f.name in NESTED:
                out += differences(f"{door}, event {key[0]}", NESTED[f.name], w[f.name], g[f.name])
            elif w[f.name] != g.get(f.name):
                out.append(f"{door}: {name}.{f.name} of {key}: {w[f.name]!r} given, "
                           f"{g.get(f.name)!r} read")
    return out


def check(door: str, doc: Document, entities: list[Mapping[str, Any]] | None,
          events: list[Mapping[str, Any]], document_contract: bool = False) -> None:
    """Assert that ``door`` gave back ``doc``'s events and (unless None) entities, every field."""
    found = differences(door, Event, plain(doc.events), events)
    if entities is not None:
        found += differences(door, Entity, plain(doc.entities), entities,
                             omits_none=document_contract)
    assert not found, "\n".join(found)


def test_the_store_reads_back_every_field(trip: Trip) -> None:
    for doc in trip.given:
        aid = doc.article.id
        check("store", doc, plain(trip.store.entities_of(aid)), plain(trip.store.events_of(aid)))


def test_show_json_prints_what_extract_printed(trip: Trip) -> None:
    for doc in trip.given:
        result = CliRunner().invoke(app, ["show", doc.article.id, "--db", trip.url, "--json"])
        assert result.exit_code == 0, result.output
        shown = json.loads(result.stdout)
        check("show --json", doc, shown["entities"], shown["events"], document_contract=True)


def test_the_api_serves_every_field(trip: Trip) -> None:
    for doc in trip.given:
        r = trip.client.get(f"{API}/articles/{doc.article.id}")
        assert r.status_code == 200, r.text
        served = []
        for ev in doc.events:
            one = trip.client.get(f"{API}/events/{ev.event_id}")
            assert one.status_code == 200, one.text
            assert one.json()["merged"] is False, f"{ev.event_id} was merged: not itself served"
            served.append(one.json())
        check("API", doc, r.json()["entities"], served)


def test_the_json_exports_write_every_field(trip: Trip) -> None:
    knowledge = Knowledge()
    lines = trip.folder / f"export-{trip.store.engine.dialect.name}.jsonl"
    export(trip.store, "jsonl", lines, EventQuery(include_background=True), knowledge)
    written = {d["article"]["id"]: d for d in map(json.loads, lines.read_text("utf-8").splitlines())}
    geo = trip.folder / f"export-{trip.store.engine.dialect.name}.geojson"
    export(trip.store, "geojson", geo, EventQuery(include_background=True), knowledge)
    features = {f["id"]: f["properties"] for f in json.loads(geo.read_text("utf-8"))["features"]}
    for doc in trip.given:
        line = written[doc.article.id]
        check("JSONL export", doc, line["entities"], line["events"], document_contract=True)
        check("GeoJSON export", doc, None, [features[ev.event_id] for ev in doc.events])
