"""One event query for every door: the CLI, the API and the exports select the same events.

``opsroom events``, ``GET /api/v1/events``, ``opsroom export`` and ``GET /api/v1/export``
each turn their filters into one ``EventQuery`` and read it with ``search_events``
(``store/query.py``).  Here the sample corpus is ingested (on SQLite and on PostgreSQL),
the same filters go through every door, and each door must give the same event ids; the
sources and claims read through the CLI and through the API must be the same too.  A
filter's ``%`` and ``_`` are the characters themselves, and a type matches as a whole
(the CLI used to match words of a type anywhere, as SQL wildcards).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from opsroom.api import create_app
from opsroom.cli import app
from opsroom.config import Settings
from opsroom.models import Claim, Cluster, Document, Event, Member
from opsroom.pipeline import ingest
from opsroom.store import EventQuery, Store, search_events, select_events

from .conftest import BACKENDS, CorpusAnalysis
from .test_api_read import fresh_database
from .test_export import RAWA, make_article, sample_documents, store_documents
from .test_export import _src as source_of

API = "/api/v1"
runner = CliRunner()

#: API parameter → the ``opsroom events`` / ``opsroom export`` option of the same filter.
CLI_OPTIONS = {"since": "--since", "until": "--until", "country": "--country",
               "admin1": "--admin1", "actor": "--actor", "event_type": "--type",
               "sub_event_type": "--sub-type", "bbox": "--bbox", "q": "--search",
               "min_fatalities": "--min-fatalities"}

#: Filters through every door, in the API's names.  The values are ones the sample corpus
#: holds (tests/test_api_read.py pins them too); ``background`` is given to every door, as
#: the CLI's JSONL export includes history by default and the other doors do not.
CASES: dict[str, dict[str, Any]] = {
    "sub-event type": {"sub_event_type": "Air/drone strike"},
    "event type": {"event_type": "Battles"},
    "country, any case": {"country": "syria"},
    "actor": {"actor": "Islamic State"},
    # Anbar and the Euphrates valley: Ain al-Asad, Al-Qaim, Albu Kamal.
    "bounding box": {"bbox": "40.0,33.0,43.5,35.0"},
    "text": {"q": "Ain al-Asad"},
    "fatalities": {"min_fatalities": 1},
    "several, with history": {"country": "Iraq", "actor": "Islamic State", "background": True},
}
#: The dates of the corpus's events but the first and the last, read from the corpus.
WINDOW = "date range"


@pytest.fixture(scope="module", params=BACKENDS)
def corpus(analysed: CorpusAnalysis, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           corpus_dir: Path) -> Iterator[tuple[str, Store]]:
    """(database URL, store) of the ingested sample corpus, once per backend."""
    with fresh_database(request, request.param, tmp_path_factory.mktemp("query")) as url:
        store = Store.open(url)
        report = ingest([corpus_dir], store, Settings(database_url=url), analyse=analysed)
        assert report.new > 10 and report.failed == 0
        yield url, store
        store.close()


@pytest.fixture(scope="module")
def client(corpus: tuple[str, Store]) -> Iterator[TestClient]:
    settings = Settings(database_url="sqlite:///unused.db", api_tokens="reader:read-secret")
    with TestClient(create_app(settings, corpus[1])) as c:
        yield c


# -- the doors ----------------------------------------------------------------------------


def _background(params: dict[str, Any]) -> bool:
    return bool(params.get("background", False))


def _cli_args(params: dict[str, Any]) -> list[str]:
    args: list[str] = []
    for name, value in params.items():
        if name != "background":
            args += [CLI_OPTIONS[name], str(value)]
    return args


def cli_events(url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """``opsroom events --json`` with ``params``."""
    args = ["events", "--db", url, "--json", "--limit", "100000", *_cli_args(params)]
    result = runner.invoke(app, args + (["--background"] if _background(params) else []))
    assert result.exit_code == 0, result.output
    return [json.loads(ln) for ln in result.output.splitlines() if ln.startswith("{")]


def api_events(client: TestClient, params: dict[str, Any]) -> list[dict[str, Any]]:
    """``GET /api/v1/events`` with ``params``, every page in one."""
    r = client.get(f"{API}/events", params={**params, "background": _background(params),
                                            "per_page": 500})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])  # the corpus fits one page
    return body["items"]  # type: ignore[no-any-return]


def cli_export_ids(url: str, params: dict[str, Any], folder: Path) -> list[str]:
    """Event ids of ``opsroom export --format geojson`` with ``params``."""
    out = folder / "cli.geojson"
    flag = "--background" if _background(params) else "--no-background"
    result = runner.invoke(app, ["export", "--db", url, "--format", "geojson", "-o", str(out),
                                 flag, *_cli_args(params)])
    assert result.exit_code == 0, result.output
    return [f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]


def api_export_ids(client: TestClient, params: dict[str, Any]) -> list[str]:
    """Event ids of ``GET /api/v1/export?format=geojson`` with ``params``."""
    r = client.get(f"{API}/export", params={**params, "background": _background(params),
                                            "format": "geojson"})
    assert r.status_code == 200, r.text
    return [f["id"] for f in r.json()["features"]]


def _ids(events: list[dict[str, Any]]) -> set[str]:
    return {e["event_id"] for e in events}


def _window(client: TestClient) -> dict[str, Any]:
    dated = sorted({e["event_date"] for e in api_events(client, {}) if e["event_date"]})
    assert len(dated) >= 4, "the corpus has events on several dates"
    return {"since": dated[1], "until": dated[-2]}


# -- every door, the same events ------------------------------------------------------------


@pytest.mark.parametrize("case", [*CASES, WINDOW])
def test_the_cli_the_api_and_the_exports_select_the_same_events(
        case: str, corpus: tuple[str, Store], client: TestClient, tmp_path: Path) -> None:
    url, store = corpus
    params = _window(client) if case == WINDOW else CASES[case]
    api = api_events(client, params)
    everything = api_events(client, {"background": _background(params)})
    # The filter selects some of the corpus's events, not none and not all.
    assert 0 < len(api) < len(everything), case
    expected = _ids(api)
    assert _ids(cli_events(url, params)) == expected
    exported = cli_export_ids(url, params, tmp_path)
    assert set(exported) == expected and len(exported) == len(expected)
    assert api_export_ids(client, params) == exported  # both oldest first
    # Newest first through the API and the CLI alike (the same sort, the same tie-break).
    assert [e["event_id"] for e in cli_events(url, params)] == [e["event_id"] for e in api]


def test_a_date_window_holds_its_dates_and_the_filters_hold_their_values(
        client: TestClient) -> None:
    """What the doors agree on is what was asked for (the shared query, not a shared bug)."""
    window = _window(client)
    assert all(window["since"] <= e["event_date"] <= window["until"]
               for e in api_events(client, window))
    assert all(e["sub_event_type"] == "Air/drone strike"
               for e in api_events(client, CASES["sub-event type"]))
    assert all(e["country"] == "Syria" for e in api_events(client, CASES["country, any case"]))
    for e in api_events(client, CASES["bounding box"]):
        assert 40.0 <= e["longitude"] <= 43.5 and 33.0 <= e["latitude"] <= 35.0


def _source_key(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["article_id"], s["sentence"], s["start"], s["end"], s["claimed_by"], s["stance"])


def test_every_door_reads_the_same_sources_and_claims_each_once(
        corpus: tuple[str, Store], client: TestClient) -> None:
    url, store = corpus
    history = {"background": True}
    cli = {e["event_id"]: e for e in cli_events(url, history)}
    api = {e["event_id"]: e for e in api_events(client, history)}
    assert cli.keys() == api.keys()
    for event_id, served in api.items():
        sources = [_source_key(s) for s in served["sources"]]
        assert sources == [_source_key(s) for s in cli[event_id]["sources"]]
        assert len(set(sources)) == len(sources), "a source shared by two reports comes once"
        assert served["claims"] == cli[event_id]["claims"]
        claims = [tuple(sorted(c.items())) for c in served["claims"]]
        assert len(set(claims)) == len(claims), "a claim shared by two reports comes once"
    # The analyses read the same events: a trend counts what the event list lists.
    everything, total = search_events(store, EventQuery(include_background=True))
    assert total == len(api) == len(everything)


# -- wildcards and whole values ------------------------------------------------------------------

ROCKETS = ("BAGHDAD (Reuters) - At least 14 rockets hit an Iraqi air base hosting U.S. forces on "
           "Wednesday, slightly wounding two people, the U.S.-led coalition said.")
ROCKETS_ID = "9e0c1b7a5d3f2e48"
RAWA_ID = "0f1e2d3c4b5a6978"  # the Armed clash of tests/test_export.py's sample documents


def rockets_document() -> Document:
    """A shelling whose sub-type ends in 'attack' (Reuters, 7 July 2021)."""
    art = make_article(ROCKETS, "Reuters", dt.date(2021, 7, 7),
                       "Rockets hit Iraqi base housing U.S. forces, wounding two")
    shelling = Event(
        event_id=ROCKETS_ID, event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack", event_date=dt.date(2021, 7, 7),
        date_precision="day", actor1="Unidentified Armed Group (Iraq)",
        actor2="U.S.-led Coalition", location="Ain al-Asad Air Base", admin1="Anbar",
        country="Iraq", latitude=33.786, longitude=42.441, geo_precision=1, injuries=2,
        sources=[source_of(art, ROCKETS, "U.S.-led Coalition")])
    return Document(art, [], [shelling], [])


@pytest.fixture
def small(store: Store) -> Store:
    """Five events of real sentences, stored without the pipeline (so never merged)."""
    store_documents(store, [*sample_documents(), rockets_document()])
    return store


def test_wildcards_in_a_filter_are_the_characters_themselves(small: Store, db_url: str) -> None:
    def ids(**filters: Any) -> set[str]:
        return {e.event_id for e in select_events(small, EventQuery(include_background=True,
                                                                    **filters))}

    assert ids(sub_event_type="Armed clash") == ids(sub_event_type="ARMED CLASH") == {RAWA_ID}
    for value in ("Armed%", "Armed_clash", "%", "_%", "%clash"):
        assert ids(sub_event_type=value) == set(), value
    assert ids(event_type="%") == ids(event_type="B_ttles") == set()
    assert len(ids(event_type="Battles")) == 3
    # The whole sub-type: 'Attack' (on civilians) is not 'Shelling/artillery/missile attack'.
    assert ids(sub_event_type="Attack") == set()
    assert ids(sub_event_type="shelling/artillery/missile attack") == {ROCKETS_ID}
    # Actors match words anywhere in a name, but '_' is an underscore.
    assert ids(actor="Islamic_State") == set()
    assert RAWA_ID in ids(actor="islamic state")
    # The same through the CLI and the API.
    # "Armed%" is no sub-type: refused (exit 2, the allowed values named), not read as a
    # wildcard nor answered with nothing.
    refused = runner.invoke(app, ["events", "--db", db_url, "--sub-event-type", "Armed%"])
    assert refused.exit_code == 2 and "expected one of" in refused.output
    assert [r["event_id"] for r in cli_events(db_url, {"sub_event_type": "Armed clash"})] == [RAWA_ID]
    settings = Settings(database_url="sqlite:///unused.db")
    with TestClient(create_app(settings, small)) as c:
        # "%" is no ACLED event type: refused, not read as a wildcard.
        r = c.get(f"{API}/events", params={"event_type": "%", "background": True})
        assert r.status_code == 422 and "expected one of" in r.text
        assert api_events(c, {"actor": "Islamic_State", "background": True}) == []
        assert _ids(api_events(c, {"sub_event_type": "Armed clash"})) == {RAWA_ID}


def test_a_type_given_for_a_sub_type_is_refused_with_the_right_option(small: Store,
                                                                      db_url: str) -> None:
    """``--type`` is the event type, whole, as the API's ``event_type``; a sub-type there
    would select nothing, so the CLI says which option takes it."""
    result = runner.invoke(app, ["events", "--db", db_url, "--type", "Armed clash"])
    assert result.exit_code == 2 and "--sub-type" in result.output
    result = runner.invoke(app, ["events", "--db", db_url, "--sub-type", "Battles"])
    assert result.exit_code == 2 and "--type" in result.output
    result = runner.invoke(app, ["events", "--db", db_url, "--bbox", "44,33,43,35"])
    assert result.exit_code == 2 and "bbox" in result.output


def test_a_store_no_merge_has_clustered_serves_each_articles_events(small: Store) -> None:
    """Without merged events (a store filled without the pipeline, or from before migration
    0006), every door reads each article's own events rather than nothing."""
    assert small.cluster_count() == 0
    served, total = search_events(small, EventQuery(include_background=True))
    per_article = select_events(small, EventQuery(include_background=True, per_article=True))
    assert [it.event.event_id for it in served] == [e.event_id for e in per_article]
    assert total == 5 and not any(it.merged for it in served)
    # Text is found in the place or the sentences, as in the merged events' search text.
    found = select_events(small, EventQuery(text="rockets Asad", per_article=True))
    assert [e.event_id for e in found] == [ROCKETS_ID]


def test_a_sentence_two_merged_reports_share_is_told_once(store: Store) -> None:
    """Two reports of the Rawa offensive cite the same sentence and the same figure; the
    merged event lists that source and that claim once, each report keeps its own."""
    docs = sample_documents()
    article = docs[1].article
    rawa = next(e for e in docs[1].events if e.event_id == RAWA_ID)
    start = article.text.index(RAWA)
    claim = Claim("Government of Iraq", "asserts", "fatalities", 0, RAWA, start,
                  start + len(RAWA), article.id)
    rawa.claims = [claim]
    retaken = dataclasses.replace(rawa, event_id="0f1e2d3c4b5a6979",
                                  sub_event_type="Government regains territory",
                                  sources=list(rawa.sources), claims=[claim])
    docs[1].events.append(retaken)
    store_documents(store, docs)
    merged = dataclasses.replace(rawa, sources=[], claims=[])
    store.replace_clusters(None, [Cluster(merged, [Member(RAWA_ID, "first report"),
                                                   Member(retaken.event_id, "same sentence")],
                                          block="Iraq|2017-W43", n_articles=1)])
    (item,), total = search_events(store, EventQuery())
    assert total == 1 and item.merged and item.event.event_id == RAWA_ID
    assert [s.sentence for s in item.event.sources] == [RAWA]
    assert item.event.claims == [claim]
    reports = select_events(store, EventQuery(per_article=True, text="Rawa Al-Qaim"))
    assert {e.event_id for e in reports} == {RAWA_ID, retaken.event_id}
    assert all([s.sentence for s in e.sources] == [RAWA] and e.claims == [claim]
               for e in reports)


def test_a_query_refuses_what_cannot_select_anything() -> None:
    with pytest.raises(ValueError, match="after until"):
        EventQuery(since=dt.date(2021, 2, 1), until=dt.date(2021, 1, 1))
    with pytest.raises(ValueError, match="bbox out of range"):
        EventQuery(bbox=(44.0, 33.0, 43.0, 35.0))
    with pytest.raises(ValueError, match="unknown sort"):
        EventQuery(sort="location")
    # Frozen and hashable: the API keys its page cache by it.
    q = EventQuery(country="Syria", limit=50)
    assert hash(q) == hash(dataclasses.replace(q)) and {q: 1}[EventQuery(country="Syria", limit=50)]
