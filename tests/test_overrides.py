"""Analysts' edits outlive merges, re-ingests and restores ("nothing lost, nothing invented").

An edit made through the API used to be written into the merged record alone, and the
next merge wrote the merge's record back over it while the audit log still told of the
edit.  Each test edits the Reuters report of the Ain al-Asad rocket attack (the sample
corpus) on SQLite and on PostgreSQL, then merges, ingests or restores, and reads the
event back through the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsroom.api import create_app
from opsroom.config import Settings
from opsroom.knowledge import Knowledge
from opsroom.merge import merge_all
from opsroom.pipeline import ingest
from opsroom.store import Store
from opsroom.store.backup import dump, restore

from .test_merge import AFP_REWRITE, REUTERS_END

API = "/api/v1"
TOKEN = "editor-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
KNOWLEDGE = Knowledge()
#: The date the analyst corrects the attack to (the extractor reads Wednesday, 7 July).
EDITED = "2021-07-06"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings(api_tokens=f"editor:{TOKEN}")
    with TestClient(create_app(settings, store)) as c:
        yield c


@pytest.fixture
def articles(corpus_files: list[Path], tmp_path: Path) -> dict[str, Path]:
    """The Reuters report, and AFP's report of the same attack."""
    corpus = corpus_files[0].read_text("utf-8")
    reuters = tmp_path / "reuters.txt"
    reuters.write_text(corpus[:corpus.index(REUTERS_END)], "utf-8")
    afp = tmp_path / "afp.txt"
    afp.write_text(AFP_REWRITE, "utf-8")
    return {"reuters": reuters, "afp": afp}


def _ingest(store: Store, db_url: str, path: Path) -> None:
    ingest([str(path)], store, Settings(database_url=db_url), published=dt.date(2021, 7, 7))


def _listed(client: TestClient, event_id: str | None = None) -> dict[str, Any]:
    """The served event of Wednesday's attack at the base, as the event list shows it:
    the one dated Wednesday, or the one with ``event_id``."""
    items = client.get(f"{API}/events", params={"q": "Ain al-Asad"}).json()["items"]
    found = [it for it in items if it["event_id"] == event_id
             or (event_id is None and it["event_date"] == "2021-07-07")]
    assert len(found) == 1, items
    return found[0]


def _edit_date(client: TestClient) -> dict[str, Any]:
    ev = _listed(client)
    r = client.patch(f"{API}/events/{ev['event_id']}", headers=AUTH, json={"event_date": EDITED})
    assert r.status_code == 200, r.text
    assert r.json()["event"]["edits"][0]["value"] == EDITED
    return ev


def _edit_of(event: dict[str, Any], field: str) -> dict[str, Any]:
    found = [e for e in event["edits"] if e["field"] == field]
    assert len(found) == 1, event["edits"]
    return found[0]


def test_an_edit_outlives_the_full_merge(client: TestClient, store: Store, db_url: str,
                                         articles: dict[str, Path]) -> None:
    _ingest(store, db_url, articles["reuters"])
    ev = _edit_date(client)
    # A page the server keeps until the served events change.
    assert _listed(client, ev["event_id"])["event_date"] == EDITED
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    got = client.get(f"{API}/events/{ev['event_id']}").json()
    assert got["event_date"] == EDITED
    edit = _edit_of(got, "event_date")
    assert edit == {**edit, "value": EDITED, "extracted": "2021-07-07", "by": "editor",
                    "status": "applied", "reason": None, "event_id": ev["event_id"]}
    assert _listed(client, ev["event_id"])["event_date"] == EDITED  # the list page too
    audit = client.get(f"{API}/audit", headers=AUTH).json()
    assert audit["total"] == 1 and audit["items"][0]["after"] == {"event_date": EDITED}
    # Edited again: one override, the extractor's value still the extractor's.
    client.patch(f"{API}/events/{ev['event_id']}", headers=AUTH, json={"event_date": "2021-07-05"})
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    got = client.get(f"{API}/events/{ev['event_id']}").json()
    assert got["event_date"] == "2021-07-05"
    assert _edit_of(got, "event_date")["extracted"] == "2021-07-07"


def test_an_edit_outlives_a_re_ingest_and_follows_a_new_report(
        client: TestClient, store: Store, db_url: str, articles: dict[str, Path]) -> None:
    _ingest(store, db_url, articles["reuters"])
    ev = _edit_date(client)
    # 1. The same article again: nothing new, the edit holds as it was.
    _ingest(store, db_url, articles["reuters"])
    got = client.get(f"{API}/events/{ev['event_id']}").json()
    assert got["event_date"] == EDITED and _edit_of(got, "event_date")["status"] == "applied"
    # 2. AFP's report of the same attack joins the event at the ingest's merge: the edit
    # follows it, and says the event it was made on has changed.
    _ingest(store, db_url, articles["afp"])
    got = client.get(f"{API}/events/{ev['event_id']}").json()
    assert got["n_articles"] == 2 and got["event_date"] == EDITED
    edit = _edit_of(got, "event_date")
    assert edit["status"] == "needs review"
    assert "1 report(s) joined" in edit["reason"]
    assert edit["event_id"] == got["event_id"]
    doubtful = client.get(f"{API}/edits", params={"status": "needs review"}).json()
    assert [e["field"] for e in doubtful["items"]] == ["event_date"]
    # 3. The analyst confirms the value on the merged event: applied again, and it holds.
    r = client.patch(f"{API}/events/{got['event_id']}", headers=AUTH, json={"event_date": EDITED})
    assert r.status_code == 200
    assert _edit_of(r.json()["event"], "event_date")["status"] == "applied"
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    got = client.get(f"{API}/events/{got['event_id']}").json()
    assert got["event_date"] == EDITED
    assert _edit_of(got, "event_date")["status"] == "applied"
    assert client.get(f"{API}/edits", params={"status": "needs review"}).json()["total"] == 0


def test_an_edit_outlives_a_dump_and_restore(client: TestClient, store: Store, db_url: str,
                                             articles: dict[str, Path], tmp_path: Path) -> None:
    _ingest(store, db_url, articles["reuters"])
    ev = _edit_date(client)
    report = dump(store.engine, tmp_path / "opsroom.jsonl.gz")
    assert report.rows["event_overrides"] == 1
    restored = restore(store.engine, tmp_path / "opsroom.jsonl.gz", force=True)
    assert restored.rows["event_overrides"] == 1
    got = client.get(f"{API}/events/{ev['event_id']}").json()
    assert got["event_date"] == EDITED and _edit_of(got, "event_date")["by"] == "editor"
    # The override came back with the rows: the next merge lays it again.
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    assert client.get(f"{API}/events/{ev['event_id']}").json()["event_date"] == EDITED


def test_a_deleted_event_stays_deleted_and_its_edits_say_so(
        client: TestClient, store: Store, db_url: str, articles: dict[str, Path]) -> None:
    _ingest(store, db_url, articles["reuters"])
    ev = _edit_date(client)
    assert client.delete(f"{API}/events/{ev['event_id']}", headers=AUTH).status_code == 200
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    _ingest(store, db_url, articles["reuters"])  # the same article: known, not re-read
    assert client.get(f"{API}/events/{ev['event_id']}").status_code == 404
    orphaned = client.get(f"{API}/edits", params={"status": "orphaned"}).json()["items"]
    assert [(e["field"], e["reason"]) for e in orphaned] == [
        ("event_date", "the event was deleted by editor")]
