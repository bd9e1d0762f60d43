"""Exports: ACLED CSV columns and mapping, and round-trips of every format on both databases."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from opsroom.config import Settings
from opsroom.errors import InputError
from opsroom.export import (
    ACLED_COLUMNS,
    acled_row,
    export,
    read_acled_csv,
    read_geojson,
    read_parquet,
)
from opsroom.export.acled import acled_codes, inter_codes
from opsroom.ingest.dedup import article_id, content_hash, minhash, signature_bytes
from opsroom.ingest.readers import ReadOptions, read_jsonl
from opsroom.knowledge import Knowledge
from opsroom.models import Article, Claim, Document, Entity, Event, Relation, Resolution, Source
from opsroom.pipeline import ingest
from opsroom.store import EventQuery, Store, select_events

#: The packaged knowledge: these tests read no user files.
KNOWLEDGE = Knowledge()
#: What ``opsroom export`` selects when no filter is given: every event, history included.
EVERYTHING = EventQuery(include_background=True)

# Real corpus sentences (Reuters, 25 Jan 2018 and 28 Oct 2017; Arab News, 7 Oct 2017).
STRIKE = ("The U.S.-led coalition and its local allies in Syria struck pro-government forces with "
          "deadly air and artillery fire overnight to repel “an unprovoked attack” near the "
          "Euphrates, the coalition said on Thursday.")
TOLL = ("The attack was carried out by 500 troops backed by artillery, tanks, multiple-launch rocket "
        "systems and mortars but the coalition and its local allies killed more than 100 of them, "
        "the official said.")
HAWIJA = ("Iraqi pro-government forces have also advanced towards Kurdish positions since retaking "
          "Hawija.")
RAWA = ("Iraq launched an offensive on Thursday to capture the last Iraqi territory held by Daesh, "
        "the areas of Rawa and Al-Qaim, a town just over the border from the Syrian town of Albu "
        "Kamal, which is also held by the terrorists.")
HISTORY = ("IS seized vast areas of Iraq and Syria in 2014, but multiple offensives in both countries "
           "have since cornered it in a pocket of territory.")


def make_article(text: str, source: str | None, published: dt.date, title: str) -> Article:
    chash = content_hash(text)
    return Article(id=article_id(chash), text=text, title=title, source=source, published=published,
                   published_source="given", origin=f"test:{title}", content_hash=chash)


def _src(art: Article, sentence: str, claimed_by: str | None = None, stance: str = "asserts") -> Source:
    start = art.text.index(sentence)
    return Source(art.id, sentence, start, start + len(sentence), claimed_by, stance)  # type: ignore[arg-type]


def sample_documents(extra_sentence: str | None = None) -> list[Document]:
    """Two articles, four events: a deadly disputed strike, a town retaken, an offensive, history."""
    text1 = f"{STRIKE}\n\n{TOLL}"
    a1 = make_article(text1, "Reuters", dt.date(2018, 1, 25), "U.S.-led coalition, pro-Assad forces clash")
    strike = Event(
        event_id="c79a5c4fd5500b6a", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", event_date=dt.date(2018, 1, 24), date_precision="day",
        date_reason="'overnight': the night before publication",
        actor1="U.S.-led Coalition", actor2="Pro-Government Forces (Syria)", location="Syria",
        country="Syria", latitude=35.0, longitude=38.5, geo_precision=3, fatalities=7,
        fatalities_low=7, fatalities_high=100, injuries=1, weapon="artillery",
        sources=[_src(a1, STRIKE, "U.S.-led Coalition"), _src(a1, TOLL, "a U.S. official")],
        claims=[Claim("a U.S. official", "asserts", "fatalities", 100, TOLL, text1.index(TOLL),
                      text1.index(TOLL) + len(TOLL), a1.id)],
    )
    i = text1.index("U.S.-led coalition")
    entities = [Entity("U.S.-led coalition", i, i + 18, "ACTOR", "us_led_coalition", "U.S.-led Coalition",
                       resolution=Resolution("alias", 1.0, "alias 'U.S.-led coalition'"))]
    relations = [Relation("Pro-Government Forces (Syria)", "backed_by", "Russia", STRIKE, 0, len(STRIKE), a1.id)]
    doc1 = Document(a1, entities, [strike], relations)

    body = [HAWIJA, RAWA, HISTORY] + ([extra_sentence] if extra_sentence else [])
    text2 = "\n\n".join(body)
    a2 = make_article(text2, None, dt.date(2017, 10, 28), "Iraq-Syria border set for 'final large fight'")
    hawija = Event(
        event_id="a1b2c3d4e5f60718", event_type="Battles", sub_event_type="Government regains territory",
        event_date=dt.date(2017, 10, 7), date_precision="week", actor1="Military Forces of Iraq",
        location="Al Ḩawījah", admin1="Kirkuk", country="Iraq", latitude=35.32592, longitude=43.78,
        geo_precision=1, sources=[_src(a2, HAWIJA)],
    )
    rawa = Event(
        event_id="0f1e2d3c4b5a6978", event_type="Battles", sub_event_type="Armed clash",
        event_date=dt.date(2017, 10, 26), date_precision="day", actor1="Military Forces of Iraq",
        actor2="Islamic State", location="Rāwah", admin1="Anbar", country="Iraq", latitude=34.48229,
        longitude=41.90917, geo_precision=1, fatalities=0, fatalities_low=0, fatalities_high=0,
        sources=[_src(a2, RAWA, "Government of Iraq")],
    )
    history = Event(
        event_id="25d58d67c4480ae4", event_type="Battles", sub_event_type="Non-state actor overtakes territory",
        event_date=dt.date(2014, 1, 1), date_precision="year", actor1="Islamic State", location="Iraq",
        country="Iraq", latitude=33.2, longitude=43.7, geo_precision=3, background=True,
        sources=[_src(a2, HISTORY)],
    )
    events = [hawija, rawa, history]
    if extra_sentence:
        events.append(Event(
            event_id="5c5c5c5c5c5c5c5c", event_type="Violence against civilians", sub_event_type="Attack",
            event_date=dt.date(2017, 10, 27), date_precision="day", actor1="Islamic State",
            actor2="Civilians (Iraq)", location="Al Qā’im", country="Iraq", latitude=34.37, longitude=41.09,
            geo_precision=1, fatalities=3, fatalities_low=3, fatalities_high=5,
            sources=[_src(a2, extra_sentence, "Government of Iraq", "denies")]))
    return [doc1, Document(a2, [], events, [])]


def store_documents(store: Store, docs: list[Document]) -> None:
    for doc in docs:
        with store.engine.begin() as conn:
            store.add_article(conn, doc.article, signature_bytes(minhash(doc.article.text)))
            store.add_document(conn, doc)


@pytest.fixture
def filled(store: Store) -> Store:
    store_documents(store, sample_documents())
    return store


def _events(store: Store) -> list[Event]:
    """The per-article events (the sample store is never merged; a re-import is)."""
    return select_events(store, EventQuery(include_background=True, per_article=True,
                                           sort="event_date"))


# -- ACLED ----------------------------------------------------------------------------


def test_acled_columns_in_acled_order(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert export(filled, "acled-csv", out, EVERYTHING, KNOWLEDGE) == 4  # history included, flagged in tags
    with out.open(newline="") as fh:
        header = next(csv.reader(fh))
    assert tuple(header[:31]) == ACLED_COLUMNS
    assert header[31:] == ["fatality_basis"]  # opsroom's, after ACLED's own
    assert header[:7] == ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                          "event_type", "sub_event_type"]
    assert header[28:31] == ["fatalities", "tags", "timestamp"]
    assert len(ACLED_COLUMNS) == 31


def test_acled_row_mapping(filled: Store) -> None:
    strike = next(e for e in _events(filled) if e.sub_event_type == "Air/drone strike")
    art = strike.sources[0].article_id
    row = acled_row(strike, {art: "Reuters"}, 1_700_000_000, inter_codes(KNOWLEDGE.actors))
    assert row["event_id_cnty"] == "SYRc79a5c4fd5500b6a"
    assert (row["year"], row["time_precision"], row["iso"], row["region"]) == (2018, 1, 760, "Middle East")
    assert row["disorder_type"] == "Political violence"
    # external forces (8) against state-aligned militia/forces: low code first
    assert row["inter1"] == inter_codes(KNOWLEDGE.actors)["U.S.-led Coalition"]
    assert row["interaction"] == int("".join(sorted(f"{row['inter1']}{row['inter2']}")))
    assert row["source"] == "Reuters"
    assert STRIKE in row["notes"] and "[a U.S. official]" in row["notes"]
    assert row["fatalities"] == 7
    assert "fatalities_high=100" in row["tags"] and "injuries=1" in row["tags"]


def test_acled_unknown_fatalities_are_0_with_their_basis_and_week_is_precision_2(
        filled: Store) -> None:
    hawija = next(e for e in _events(filled) if e.location == "Al Ḩawījah")
    row = acled_row(hawija, {}, 0, inter_codes(KNOWLEDGE.actors))
    assert hawija.fatalities is None
    assert (row["fatalities"], row["fatality_basis"]) == (0, "not_mentioned")  # ACLED's 0
    assert row["source_scale"] == ""  # no outlet known: no scale invented
    assert row["time_precision"] == 2
    assert row["interaction"] == 10  # state forces acting alone
    assert row["actor2"] == "" and row["inter2"] == ""


def test_acled_codes_load() -> None:
    codes = acled_codes()
    assert codes["countries"]["Iraq"]["iso"] == 368
    assert set(codes["disorder_types"]) == {"Battles", "Explosions/Remote violence",
                                            "Violence against civilians", "Protests", "Riots",
                                            "Strategic developments"}


# -- round-trips ------------------------------------------------------------------------


_ACLED_FIELDS = ("event_id", "event_type", "sub_event_type", "event_date", "actor1", "actor2",
                 "assoc_actor_1", "assoc_actor_2", "location", "admin1", "country", "latitude",
                 "longitude", "geo_precision", "fatalities", "fatalities_low", "fatalities_high",
                 "injuries", "weapon", "quantity", "background")


def test_acled_csv_round_trip(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export(filled, "acled-csv", out, EVERYTHING, KNOWLEDGE)
    before, after = _events(filled), read_acled_csv(out)
    assert len(after) == len(before) == 4
    for a, b in zip(before, after, strict=True):
        for name in _ACLED_FIELDS:
            assert getattr(a, name) == getattr(b, name), name
        # ACLED has no code coarser than a month; year survives in the tags
        assert b.date_precision == a.date_precision


def test_geojson_round_trip(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    export(filled, "geojson", out, EVERYTHING, KNOWLEDGE)
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection"
    strike = next(f for f in data["features"] if f["id"] == "c79a5c4fd5500b6a")
    assert strike["geometry"] == {"type": "Point", "coordinates": [38.5, 35.0]}
    assert strike["properties"]["outlets"] == ["Reuters"]
    assert strike["properties"]["sources"][1]["claimed_by"] == "a U.S. official"
    assert [e.to_json() for e in read_geojson(out)] == [e.to_json() for e in _events(filled)]


def test_parquet_round_trip(filled: Store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    export(filled, "parquet", out, EVERYTHING, KNOWLEDGE)
    table = pq.read_table(out)
    assert table.num_rows == 4
    assert str(table.schema.field("sources").type).startswith("list<")
    assert [e.to_json() for e in read_parquet(out)] == [e.to_json() for e in _events(filled)]


def test_jsonl_round_trip_through_ingest(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "docs.jsonl"
    assert export(filled, "jsonl", out, EVERYTHING, KNOWLEDGE) == 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert all({"article", "entities", "events"} <= set(line) for line in lines)

    again = Store.open(f"sqlite:///{tmp_path / 'again.db'}")
    report = ingest([out], again, Settings())
    assert (report.new, report.failed) == (2, 0)
    assert [e.to_json() for e in _events(again)] == [e.to_json() for e in _events(filled)]
    aid = next(a for a in (line["article"]["id"] for line in lines) if filled.entities_of(a))
    assert [e.to_json() for e in again.entities_of(aid)] == [e.to_json() for e in filled.entities_of(aid)]
    assert again.relations_of(aid) == filled.relations_of(aid)
    # ingest merged the re-import: exports then carry one row per happening
    assert again.cluster_count() > 0
    merged_csv = tmp_path / "merged.csv"
    assert export(again, "acled-csv", merged_csv, EVERYTHING, KNOWLEDGE) == \
        len(select_events(again, EVERYTHING))
    # a second import is a re-run: nothing new
    assert ingest([out], again, Settings()).new == 0
    again.close()


def test_export_filters_window_and_country(filled: Store, tmp_path: Path) -> None:
    opts = EventQuery(since=dt.date(2017, 10, 1), until=dt.date(2017, 11, 30),
                      include_background=True)
    assert {e.location for e in select_events(filled, opts)} == {"Al Ḩawījah", "Rāwah"}
    assert [e.country for e in select_events(filled, EventQuery(country="Syria", include_background=True))] == ["Syria"]
    out = tmp_path / "syria.jsonl"
    assert export(filled, "jsonl", out, EventQuery(country="Syria", include_background=True), KNOWLEDGE) == 1


def test_document_line_without_text_is_reported() -> None:
    line = json.dumps({"article": {"id": "x", "title": "t"}, "entities": [], "events": []})
    (result,) = list(read_jsonl(line.encode(), "docs.jsonl", ReadOptions()))
    assert isinstance(result, InputError)
    assert "docs.jsonl:1" in str(result.origin) and "text" in result.problem


def test_plain_jsonl_lines_still_read_as_articles() -> None:
    line = json.dumps({"id": "a", "text": HAWIJA, "published": "2017-10-07"})
    (result,) = list(read_jsonl(line.encode(), "in.jsonl", ReadOptions()))
    assert not isinstance(result, (InputError, Document))
    assert result.text == HAWIJA
