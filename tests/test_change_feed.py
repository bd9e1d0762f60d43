"""The change feed: what a copy kept in sync must hear of, on SQLite and on PostgreSQL.

Real sentences of the seed corpus (``tests/test_export.py``'s documents) are stored,
merged, merged again, reported a second time, edited, deleted, dumped and restored; after
each step ``GET /api/v1/changes?since=`` must list exactly the events a copy has to
fetch again or drop, and nothing for a step that changed no served event.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from opsroom.api import create_app
from opsroom.config import Settings
from opsroom.knowledge import Knowledge
from opsroom.merge import load_rules, merge_all, update_merged
from opsroom.models import Document, Event
from opsroom.store import Store
from opsroom.store import tables as t
from opsroom.store.backup import dump, restore
from opsroom.store.db import make_engine, migrate

from .test_export import RAWA, make_article, sample_documents, store_documents
from .test_export import _src as source_of

API = "/api/v1"
TOKEN = "sync-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
KNOWLEDGE = Knowledge()
RAWA_ID = "0f1e2d3c4b5a6978"
STRIKE_ID = "c79a5c4fd5500b6a"
SAMPLE_IDS = {STRIKE_ID, "a1b2c3d4e5f60718", RAWA_ID, "25d58d67c4480ae4"}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(api_tokens=f"editor:{TOKEN}"), store)) as c:
        yield c


def mark() -> str:
    """The time now, as a client sends it, after the clock has moved on from the last change
    (a change and the next step may fall within one tick of a coarse clock)."""
    before = dt.datetime.now(dt.UTC)
    while dt.datetime.now(dt.UTC) <= before:
        time.sleep(0)
    return before.isoformat().replace("+00:00", "Z")


def feed(client: TestClient, since: str | None = None, **params: Any) -> dict[str, Any]:
    r = client.get(f"{API}/changes", params={**({"since": since} if since else {}), **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def changed(client: TestClient, since: str | None = None) -> dict[str, str]:
    """event id → its latest change since ``since``, read through every page."""
    out: dict[str, str] = {}
    page = 1
    while True:
        body = feed(client, since, page=page, per_page=2)
        out.update({it["event_id"]: it["change"] for it in body["items"]})
        if page * 2 >= body["total"]:
            assert len(out) == body["total"]
            return out
        page += 1


def merge(store: Store) -> None:
    merge_all(store, KNOWLEDGE.actors, load_rules())


def second_rawa_report(published: dt.date, event_id: str) -> Document:
    """Another outlet's report of the Rawa offensive, published on ``published``."""
    text = f"Baghdad, {published:%d %B %Y} (Reuters).\n\n{RAWA}"
    art = make_article(text, "Reuters", published, f"Offensive on Rawa ({published})")
    event = Event(
        event_id=event_id, event_type="Battles", sub_event_type="Armed clash",
        event_date=dt.date(2017, 10, 26), date_precision="day", actor1="Military Forces of Iraq",
        actor2="Islamic State", location="Rāwah", admin1="Anbar", country="Iraq",
        latitude=34.48229, longitude=41.90917, geo_precision=1, fatalities=0,
        fatalities_low=0, fatalities_high=0, sources=[source_of(art, RAWA, "Government of Iraq")])
    return Document(art, [], [event], [])


def test_merges_report_only_what_changed_and_ids_survive_a_re_merge(
        client: TestClient, store: Store) -> None:
    store_documents(store, sample_documents())
    merge(store)
    first = changed(client)
    assert first == dict.fromkeys(SAMPLE_IDS, "created")
    # A merge of the same reports writes every merged event again and changes none: the
    # ids are the earliest reports' and the content is the same, so the feed stays quiet.
    since = mark()
    merge(store)
    assert changed(client, since) == {}

    # A later report of the Rawa offensive joins its event: same id, new content.
    since = mark()
    store_documents(store, [second_rawa_report(dt.date(2017, 10, 30), "9a9a9a9a9a9a9a9a")])
    update_merged(store, KNOWLEDGE.actors, load_rules())
    assert changed(client, since) == {RAWA_ID: "updated"}
    # An earlier report of it is now the earliest member: the merged event takes its id,
    # so a copy drops the old id and fetches the new one.
    since = mark()
    store_documents(store, [second_rawa_report(dt.date(2017, 10, 27), "0000aaaa0000aaaa")])
    update_merged(store, KNOWLEDGE.actors, load_rules())
    assert changed(client, since) == {RAWA_ID: "deleted", "0000aaaa0000aaaa": "created"}
    r = client.get(f"{API}/events/0000aaaa0000aaaa")
    assert r.status_code == 200 and len(r.json()["sources"]) == 3


def test_edits_deletions_and_restores_are_in_the_feed(client: TestClient, store: Store,
                                                      tmp_path: Path) -> None:
    store_documents(store, sample_documents())
    merge(store)
    backup = tmp_path / "before.jsonl.gz"
    dump(store.engine, backup)

    since = mark()
    r = client.patch(f"{API}/events/{STRIKE_ID}", json={"location": "Deir ez-Zor"}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert client.delete(f"{API}/events/{RAWA_ID}", headers=AUTH).status_code == 200
    body = feed(client, since)
    assert [(it["event_id"], it["change"]) for it in body["items"]] == [
        (STRIKE_ID, "updated"), (RAWA_ID, "deleted")]
    # The next cursor stays behind the read (a write still open may log an earlier time),
    # never before the cursor given: the same changes come again, none is skipped.
    assert since.replace("Z", "+00:00") <= body["latest"] <= body["items"][-1]["at"]
    assert feed(client, body["latest"])["items"] == body["items"]
    # The edit is laid over the next merge's record again: nothing changes for a copy.
    since = mark()
    merge(store)
    assert changed(client, since) == {}

    # Restoring the dump brings the deleted event back and undoes the edit.
    since = mark()
    restore(store.engine, backup, force=True)
    assert changed(client, since) == {RAWA_ID: "created", STRIKE_ID: "updated"}
    # Read from the start, the feed holds each event once, with its latest change.
    assert changed(client) == dict.fromkeys(SAMPLE_IDS, "created") | {STRIKE_ID: "updated"}


def test_a_change_committed_late_is_not_skipped(client: TestClient, store: Store) -> None:
    """A write logs its change time before it commits: a reader in between sees a later
    change first, and the cursor it gets must still reach the late one."""
    from opsroom.store.changes import log_changes, now

    store_documents(store, sample_documents())
    merge(store)
    since = mark()
    stamped = now()  # the slow write's change is stamped here ...
    time.sleep(0.01)
    with store.engine.begin() as conn:  # ... and a quick edit commits a later change first
        log_changes(conn, [STRIKE_ID], "updated")
    first = feed(client, since)
    assert [it["event_id"] for it in first["items"]] == [STRIKE_ID]
    with store.engine.begin() as conn:  # the slow write commits
        log_changes(conn, [RAWA_ID], "deleted", at=stamped)
    assert RAWA_ID in {it["event_id"] for it in feed(client, first["latest"])["items"]}


def test_bad_feed_requests_are_422_with_a_message(client: TestClient) -> None:
    for params, needle in (({"since": "yesterday"}, "since"),
                           ({"since": "2026-01-01T00:00:00Z", "limit": 5}, "per_page"),
                           ({"per_page": 0}, "per_page")):
        r = client.get(f"{API}/changes", params=params)
        assert r.status_code == 422 and needle in r.json()["detail"], (params, r.text)


def test_the_migration_logs_the_events_served_before_it(db_url: str) -> None:
    """A store upgraded to the change feed starts it with every event it serves."""
    engine = make_engine(db_url)
    try:
        migrate(engine, "0013")
        doc = sample_documents()[1]
        rawa = next(e for e in doc.events if e.event_id == RAWA_ID)
        with engine.begin() as conn:  # the merged event of a store at 0013, as a merge left it
            columns = {c.name for c in t.event_clusters.c}
            conn.execute(t.event_clusters.insert().values(
                cluster_id=RAWA_ID, block="Iraq|2017-W43", claimants=[], n_members=1,
                n_articles=1, **{k: v for k, v in vars(rawa).items() if k in columns}))
        migrate(engine)
        with engine.connect() as conn:
            rows = conn.execute(select(t.event_changes.c.event_id, t.event_changes.c.change)).all()
        assert [tuple(r) for r in rows] == [(RAWA_ID, "created")]
    finally:
        engine.dispose()
