"""The REST API's reads over the ingested sample corpus, on SQLite and on PostgreSQL.

The corpus is ingested once per backend for the module; every test reads it through
the HTTP interface (FastAPI's TestClient), as the dashboard and scripts do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsroom.api import create_app
from opsroom.config import Settings
from opsroom.pipeline import ingest
from opsroom.store import Store

from .conftest import BACKENDS, CorpusAnalysis

API = "/api/v1"


@contextmanager
def fresh_database(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[str]:
    """A new empty database URL on ``backend`` (dropped afterwards on PostgreSQL)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'opsroom.db'}"
        return
    from sqlalchemy import create_engine, text

    server = request.getfixturevalue("pg_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_store(analysed: CorpusAnalysis, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                 corpus_dir: Path) -> Iterator[Store]:
    with fresh_database(request, request.param, tmp_path_factory.mktemp("api")) as url:
        store = Store.open(url)
        report = ingest([corpus_dir], store, Settings(database_url=url), analyse=analysed)
        assert report.new > 10 and report.failed == 0
        yield store
        store.close()


@pytest.fixture(scope="module")
def client(corpus_store: Store) -> Iterator[TestClient]:
    settings = Settings(database_url="sqlite:///unused.db", api_tokens="reader:read-secret")
    with TestClient(create_app(settings, corpus_store)) as c:
        yield c


def get(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(API + path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def all_events(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    return get(client, "/events", per_page=500, **params)["items"]


# -- articles ---------------------------------------------------------------------------


def test_articles_list_pages_and_totals(client: TestClient) -> None:
    first = get(client, "/articles", per_page=5)
    assert first["total"] >= 14 and len(first["items"]) == 5
    second = get(client, "/articles", per_page=5, page=2)
    assert {a["id"] for a in first["items"]}.isdisjoint(a["id"] for a in second["items"])
    assert second["total"] == first["total"] and second["page"] == 2
    beyond = get(client, "/articles", per_page=5, page=100)
    assert beyond["items"] == [] and beyond["total"] == first["total"]


def test_articles_filters(client: TestClient) -> None:
    hits = get(client, "/articles", q="Ain al-Asad rockets")["items"]
    assert hits
    for hit in hits:
        one = get(client, f"/articles/{hit['id']}")
        text = (one["title"] or "").lower() + " " + one["text"].lower()
        assert all(w in text for w in ("ain", "al-asad", "rockets"))
    every = get(client, "/articles", per_page=500)["items"]
    dated = sorted(a["published"] for a in every if a["published"])
    mid = dated[len(dated) // 2]
    later = get(client, "/articles", since=mid, per_page=500)["items"]
    assert later and all(a["published"] >= mid for a in later)
    earlier = get(client, "/articles", until=mid, per_page=500)["items"]
    assert all(a["published"] <= mid for a in earlier)
    reuters = get(client, "/articles", source="reuters", per_page=500)
    assert reuters["total"] >= 1 and all(a["source"].lower() == "reuters" for a in reuters["items"])


def test_article_detail_has_text_entities_and_events(client: TestClient) -> None:
    hit = get(client, "/articles", q="14 rockets")["items"][0]
    one = get(client, f"/articles/{hit['id']}")
    assert "At least 14 rockets hit an Iraqi air base" in one["text"]
    places = {e["name"] for e in one["entities"] if e["label"] == "PLACE"}
    assert "Ain al-Asad Air Base" in places
    assert one["event_ids"] and one["n_events"] == len(one["event_ids"])
    r = client.get(f"{API}/articles/0000000000000000dead")
    assert r.status_code == 404 and "no article" in r.json()["detail"]


# -- events: filters, sorting, pagination -------------------------------------------------


def test_events_page_totals_and_no_overlap(client: TestClient) -> None:
    everything = all_events(client)
    total = get(client, "/events", per_page=1)["total"]
    assert total == len(everything) > 10
    seen: list[str] = []
    page = 1
    while True:
        body = get(client, "/events", per_page=7, page=page)
        assert body["total"] == total and body["per_page"] == 7
        if not body["items"]:
            break
        seen += [e["event_id"] for e in body["items"]]
        page += 1
    assert len(seen) == len(set(seen)) == total


def test_events_carry_the_event_contract(client: TestClient) -> None:
    ev = all_events(client)[0]
    for key in ("event_id", "event_date", "date_precision", "event_type", "sub_event_type",
                "actor1", "actor2", "location", "admin1", "country", "latitude", "longitude",
                "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "injuries",
                "weapon", "quantity", "background", "sources", "claims"):
        assert key in ev
    assert ev["sources"] and {"article_id", "sentence", "start", "end", "claimed_by",
                              "stance"} <= set(ev["sources"][0])


def test_events_sorting(client: TestClient) -> None:
    newest = [e["event_date"] for e in all_events(client) if e["event_date"]]
    assert newest == sorted(newest, reverse=True)
    oldest = [e["event_date"] for e in all_events(client, sort="event_date") if e["event_date"]]
    assert oldest == sorted(oldest)
    deadly = [e["fatalities"] for e in all_events(client, sort="-fatalities")]
    figures = [f for f in deadly if f is not None]
    assert figures == sorted(figures, reverse=True) and figures[0] >= 22
    assert deadly[:len(figures)] == figures  # unknown figures come last
    mild = [e["fatalities"] for e in all_events(client, sort="fatalities") if e["fatalities"] is not None]
    assert mild == sorted(mild)


def test_events_date_range(client: TestClient) -> None:
    dated = sorted({e["event_date"] for e in all_events(client) if e["event_date"]})
    lo, hi = dated[1], dated[-2]
    inside = all_events(client, since=lo, until=hi)
    assert inside and all(lo <= e["event_date"] <= hi for e in inside)
    assert len(inside) < len([e for e in all_events(client) if e["event_date"]])


def test_events_bbox_country_and_admin1(client: TestClient) -> None:
    everything = all_events(client)
    # Anbar and the Euphrates valley: Ain al-Asad, Al-Qaim, Albu Kamal.
    box = (40.0, 33.0, 43.5, 35.0)
    inside = all_events(client, bbox=",".join(map(str, box)))
    assert inside
    for e in inside:
        assert box[0] <= e["longitude"] <= box[2] and box[1] <= e["latitude"] <= box[3]
    assert len(inside) < len(everything)
    syria = all_events(client, country="syria")
    assert syria and all(e["country"] == "Syria" for e in syria)
    admin = next(e["admin1"] for e in everything if e["admin1"])
    same = all_events(client, admin1=admin)
    assert same and all(e["admin1"] == admin for e in same)


def test_events_actor_type_subtype_fatalities_and_text(client: TestClient) -> None:
    everything = all_events(client)
    islamic = all_events(client, actor="Islamic State")
    assert islamic and all("Islamic State" in " ".join(filter(None, (e["actor1"], e["actor2"],
                           e["assoc_actor_1"], e["assoc_actor_2"]))) for e in islamic)
    strikes = all_events(client, event_type="Explosions/Remote violence")
    assert strikes and all(e["event_type"] == "Explosions/Remote violence" for e in strikes)
    air = all_events(client, sub_event_type="Air/drone strike")
    assert air and all(e["sub_event_type"] == "Air/drone strike" for e in air)
    deadly = all_events(client, min_fatalities=5)
    assert deadly and all(e["fatalities"] >= 5 for e in deadly)
    assert len(deadly) < len(everything)
    told = all_events(client, q="Ain al-Asad")
    assert told and all(
        "ain al-asad" in (e["location"] or "").lower()
        or any("ain al-asad" in s["sentence"].lower() for s in e["sources"]) for e in told)


def test_events_background_flag(client: TestClient) -> None:
    current = get(client, "/events", per_page=1)["total"]
    with_history = all_events(client, background=True)
    assert len(with_history) >= current
    assert all(not e["background"] for e in all_events(client))


def test_event_detail_has_sources_in_their_context(client: TestClient) -> None:
    ev = all_events(client, q="14 rockets")[0]
    one = get(client, f"/events/{ev['event_id']}")
    assert one["event_id"] == ev["event_id"]
    src = next(s for s in one["sources"] if "14 rockets" in s["sentence"])
    assert src["article_title"] and src["context"]["match"].strip() == src["sentence"].strip()
    assert "international forces" in src["context"]["match"]
    assert src["context"]["after"].lstrip().startswith("There were no immediate claims")
    r = client.get(f"{API}/events/ffffffffffffffff")
    assert r.status_code == 404 and r.json()["detail"].startswith("no event")


# -- knowledge and analyses ------------------------------------------------------------------


def test_actors_with_aliases_relations_and_counts(client: TestClient) -> None:
    found = get(client, "/actors", q="daesh")
    assert "islamic_state" in [a["id"] for a in found]
    assert all("daesh" in " ".join(a["aliases"] + [a["name"]]).lower() for a in found)
    actor = next(a for a in found if a["id"] == "islamic_state")
    assert "Daesh" in actor["aliases"] and actor["event_count"] > 0
    listed = get(client, "/actors")
    assert listed[0]["event_count"] >= listed[-1]["event_count"]
    one = get(client, "/actors/islamic_state")
    assert one["name"] == "Islamic State" and one["recent_events"]
    assert all("Islamic State" in (e["actor1"], e["actor2"], e["assoc_actor_1"],
                                   e["assoc_actor_2"]) for e in one["recent_events"])
    militias = get(client, "/actors/iran_backed_militias")
    assert any(r["predicate"] == "backed_by" and r["sentence"]
               for r in militias["stated_relations"])
    assert client.get(f"{API}/actors/no_such_actor").status_code == 404


def test_places_search_any_spelling(client: TestClient) -> None:
    for spelling in ("Albu Kamal", "Abu Kamal", "Boukamal"):
        places = get(client, "/places", q=spelling, limit=3)
        assert places[0]["country"] == "Syria" and places[0]["admin1"] == "Deir ez-Zor", spelling


def test_trends_graph_and_control(client: TestClient) -> None:
    by_country = get(client, "/trends", by="country")
    keys = {r["key"] for r in by_country["rows"]}
    assert {"Iraq", "Syria"} <= keys
    assert by_country["total_events"] == get(client, "/events", per_page=1)["total"]
    weeks = get(client, "/trends", by="week")["rows"]
    assert weeks and all(r["key"].startswith("20") or r["key"] == "(unknown)" for r in weeks)
    graph = get(client, "/graph")
    assert any(n["actor_id"] == "islamic_state" for n in graph["nodes"]) and graph["edges"]
    changes = get(client, "/control/changes")
    assert changes["total"] == len(changes["items"])
    if changes["items"]:
        place = changes["items"][0]["place"]
        state = get(client, "/control", place=place)
        assert state["place"] == place and state["history"]
    later = get(client, "/control", place="Albu Kamal", on="2021-12-31")
    assert later["on"] == "2021-12-31"


def test_exports_in_every_format(client: TestClient) -> None:
    syria = get(client, "/events", country="Syria", background=True, per_page=1)["total"]
    r = client.get(f"{API}/export", params={"format": "acled-csv", "country": "Syria",
                                             "background": True})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == syria and all(row["country"] == "Syria" for row in rows)
    r = client.get(f"{API}/export", params={"format": "geojson", "min_fatalities": 1})
    features = r.json()["features"]
    assert features and len(features) == get(client, "/events", min_fatalities=1)["total"]
    r = client.get(f"{API}/export", params={"format": "jsonl"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert len(lines) == get(client, "/articles")["total"] and "article" in lines[0]
    r = client.get(f"{API}/export", params={"format": "parquet"})
    assert r.status_code == 200 and r.content[:4] == b"PAR1"


# -- bad parameters, headers, the OpenAPI document -------------------------------------------


@pytest.mark.parametrize(("path", "params", "needle"), [
    ("/events", {"per_page": 501}, "per_page"),
    ("/events", {"per_page": 0}, "per_page"),
    ("/events", {"page": 0}, "page"),
    ("/events", {"since": "last tuesday"}, "since"),
    ("/events", {"since": "2021-02-01", "until": "2021-01-01"}, "after until"),
    ("/events", {"bbox": "40,33,43"}, "bbox"),
    ("/events", {"bbox": "44,33,43,35"}, "bbox"),
    ("/events", {"bbox": "a,b,c,d"}, "bbox"),
    ("/events", {"sort": "location"}, "sort"),
    ("/events", {"min_fatalities": -1}, "min_fatalities"),
    ("/events", {"background": "maybe"}, "background"),
    ("/articles", {"per_page": 1000}, "per_page"),
    ("/articles", {"until": "2021-13-01"}, "until"),
    ("/trends", {"by": "colour"}, "by"),
    ("/places", {"q": "a"}, "q"),
    ("/places", {}, "q"),
    ("/control", {"place": "Raqqa", "on": "yesterday"}, "on"),
    ("/export", {"format": "xlsx"}, "format"),
    ("/events/bad%20id", {}, "event_id"),
])
def test_bad_parameters_are_422_with_a_message(client: TestClient, path: str,
                                               params: dict[str, Any], needle: str) -> None:
    r = client.get(API + path, params=params)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and needle in detail


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in (f"{API}/events", f"{API}/events/nope", "/openapi.json", "/no/such/page"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script and "'self'" in script
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"]
        assert "access-control-allow-origin" not in r.headers


def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.options(f"{API}/events", headers={"Origin": "https://evil.example",
                                                  "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in r.headers


def test_openapi_document_lists_every_endpoint(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    paths = set(doc["paths"])
    for p in ("/articles", "/articles/{article_id}", "/events", "/events/{event_id}", "/audit",
              "/actors", "/actors/{actor_id}", "/places", "/control", "/control/changes",
              "/trends", "/graph", "/export", "/ingest", "/jobs/{job_id}"):
        assert API + p in paths, p
    assert {"get", "patch", "delete"} <= set(doc["paths"][f"{API}/events/{{event_id}}"])


def test_reads_can_require_a_token(corpus_store: Store) -> None:
    settings = Settings(api_tokens="reader:read-secret", api_read_requires_token=True)
    with TestClient(create_app(settings, corpus_store)) as c:
        assert c.get(f"{API}/events").status_code == 401
        assert c.get(f"{API}/events", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.get(f"{API}/events", headers={"Authorization": "Bearer read-secret"})
        assert ok.status_code == 200 and ok.json()["total"] > 0


def test_dates_in_responses_are_iso(client: TestClient) -> None:
    ev = next(e for e in all_events(client) if e["event_date"])
    assert dt.date.fromisoformat(ev["event_date"])


# -- one vocabulary: the CLI pages and filters as the API does -------------------------------


def test_the_cli_pages_with_the_apis_words_and_gets_the_apis_pages(
        client: TestClient, corpus_store: Store) -> None:
    from typer.testing import CliRunner

    from opsroom.cli import app

    url = corpus_store.engine.url.render_as_string(hide_password=False)
    params = {"event_type": "Explosions/Remote violence", "page": 2, "per_page": 3}
    served = [e["event_id"] for e in get(client, "/events", **params)["items"]]
    assert len(served) == 3
    runner = CliRunner()
    result = runner.invoke(app, ["events", "--db", url, "--json", "--event-type",
                                 "Explosions/Remote violence", "--page", "2", "--per-page", "3"])
    assert result.exit_code == 0, result.output
    assert [json.loads(ln)["event_id"] for ln in result.output.splitlines()] == served
    # The old spelling of the page size still works (hidden from --help).
    old = runner.invoke(app, ["events", "--db", url, "--json", "--type",
                              "Explosions/Remote violence", "--limit", "3"])
    assert old.exit_code == 0 and len(old.output.splitlines()) == 3
