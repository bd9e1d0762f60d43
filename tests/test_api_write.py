"""The REST API's writes: tokens, audited edits and deletions, ingest jobs, body limits.

Each test gets an empty store on SQLite and on PostgreSQL (the ``store`` fixture) and
puts in it what it needs through the API itself.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsroom.api import create_app
from opsroom.config import Settings
from opsroom.pipeline import ingest
from opsroom.store import Store
from opsroom.store.access import create_token, token_hashes

API = "/api/v1"
TOKEN = "editor-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

#: Real reporting (Reuters, in the sample corpus): one rocket attack, its toll, its source.
ROCKETS = (
    "BAGHDAD (Reuters) -At least 14 rockets hit an Iraqi air base hosting U.S. and other "
    "international forces on Wednesday, slightly wounding two people, the U.S.-led coalition "
    "said, as Kurdish-led forces in Syria said they thwarted a drone attack in an area where "
    "U.S. forces also operate.\n\n"
    "Two people were slightly wounded in the rocket attack on the Ain al-Asad air base in "
    "western Iraq, U.S. Army Colonel Wayne Marotto, spokesman for the coalition, said."
)
ROCKETS_ARTICLE = {"text": ROCKETS, "title": "Rockets hit Iraqi base housing U.S. forces",
                   "published": "2021-07-07", "source": "Reuters"}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings(api_tokens=f"editor:{TOKEN}", api_max_body_mb=0.05)
    with TestClient(create_app(settings, store)) as c:
        yield c


def wait_for_job(client: TestClient, job_id: str, timeout: float = 120.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"{API}/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def post_article(client: TestClient, article: dict[str, Any]) -> dict[str, Any]:
    r = client.post(f"{API}/ingest", json=article, headers=AUTH)
    assert r.status_code == 202, r.text
    return wait_for_job(client, r.json()["job_id"])


# -- tokens ---------------------------------------------------------------------------------


def test_writes_need_a_known_token(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"},
                    {"Authorization": f"Bearer {TOKEN}x"}):
        r = client.post(f"{API}/ingest", json=ROCKETS_ARTICLE, headers=headers)
        assert r.status_code == 401 and r.json()["detail"], headers
        assert r.headers["www-authenticate"] == "Bearer"
    for method in ("patch", "delete"):
        r = client.request(method, f"{API}/events/abc", json={"fatalities": 1})
        assert r.status_code == 401
    assert client.get(f"{API}/audit").status_code == 401
    assert client.get(f"{API}/audit", headers=AUTH).status_code == 200


def test_stored_tokens_are_hashed_and_work(client: TestClient, store: Store) -> None:
    token = create_token(store, "analyst")
    (name, digest), = [(n, d) for n, d in token_hashes(store) if n == "analyst"]
    assert token not in digest and len(digest) == 64
    r = client.get(f"{API}/audit", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


# -- ingest jobs ----------------------------------------------------------------------------


def test_posted_article_is_ingested_and_its_events_listed(client: TestClient) -> None:
    job = post_article(client, ROCKETS_ARTICLE)
    assert job["state"] == "done" and job["new"] == 1 and job["read"] == 1
    assert job["total"] == 1 and job["failed"] == 0 and job["finished"]
    articles = client.get(f"{API}/articles", params={"q": "Ain al-Asad"}).json()
    assert articles["total"] == 1
    assert articles["items"][0]["title"] == ROCKETS_ARTICLE["title"]
    events = client.get(f"{API}/events", params={"q": "14 rockets"}).json()["items"]
    assert events and events[0]["location"] == "Ain al-Asad Air Base"
    assert events[0]["sources"][0]["article_id"] == articles["items"][0]["id"]
    again = post_article(client, ROCKETS_ARTICLE)  # the same text again: a duplicate
    assert again["new"] == 0 and again["duplicates"] + again["known"] == 1


def test_jsonl_batch_reports_bad_lines_and_goes_on(client: TestClient) -> None:
    lines = [json.dumps(ROCKETS_ARTICLE), "{not json", json.dumps({"title": "no text"})]
    r = client.post(f"{API}/ingest", content="\n".join(lines) + "\n",
                    headers={**AUTH, "Content-Type": "application/x-ndjson"})
    assert r.status_code == 202
    job = wait_for_job(client, r.json()["job_id"])
    assert job["state"] == "done" and job["total"] == 3
    assert job["new"] == 1 and job["failed"] == 2
    problems = " ".join(f["problem"] for f in job["failures"])
    assert "malformed JSON" in problems and "no text" in problems
    assert all(f["origin"].startswith("upload") for f in job["failures"])


def test_uploaded_files_and_pasted_form_text(client: TestClient, corpus_files: list) -> None:
    path = next(p for p in corpus_files if not p.name.startswith("000_"))
    r = client.post(f"{API}/ingest", headers=AUTH,
                    files=[("files", (path.name, path.read_bytes(), "text/plain"))],
                    data={"text": ROCKETS, "title": "pasted", "published": "2021-07-07"})
    assert r.status_code == 202
    job = wait_for_job(client, r.json()["job_id"])
    assert job["state"] == "done" and job["total"] == 2 and job["new"] == 2
    titles = {a["title"] for a in client.get(f"{API}/articles").json()["items"]}
    assert "pasted" in titles


def test_uploaded_html_page_is_ingested(client: TestClient) -> None:
    """An HTML page through the API, as a user uploads one (it needs lxml_html_clean)."""
    paragraphs = "".join(f"<p>{p}</p>" for p in ROCKETS.split("\n\n"))
    page = ("<html><head><title>Rockets hit Iraqi base housing U.S. forces</title></head><body>"
            f"<nav>Home | World</nav><article>{paragraphs}</article></body></html>")
    r = client.post(f"{API}/ingest", headers=AUTH,
                    files=[("files", ("page.html", page.encode(), "text/html"))])
    assert r.status_code == 202, r.text
    job = wait_for_job(client, r.json()["job_id"])
    assert job["state"] == "done" and job["new"] == 1 and job["failed"] == 0, job
    titles = {a["title"] for a in client.get(f"{API}/articles").json()["items"]}
    assert "Rockets hit Iraqi base housing U.S. forces" in titles


@pytest.mark.parametrize(("body", "headers", "status", "needle"), [
    ({"title": "no text"}, {}, 422, "text"),
    ({"text": ""}, {}, 422, "text"),
    ({"text": "x", "published": "soon"}, {}, 422, "published"),
    ({"text": "x", "colour": "red"}, {}, 422, "colour"),
    (None, {"Content-Type": "text/plain"}, 415, "application/json"),
    (None, {"Content-Type": "application/x-ndjson"}, 422, "no line"),
])
def test_bad_ingest_bodies(client: TestClient, body: Any, headers: dict[str, str],
                           status: int, needle: str) -> None:
    if body is None:
        r = client.post(f"{API}/ingest", content=b"", headers={**AUTH, **headers})
    else:
        r = client.post(f"{API}/ingest", json=body, headers=AUTH)
    assert r.status_code == status and needle in r.json()["detail"]


def test_unknown_job_is_404(client: TestClient) -> None:
    assert client.get(f"{API}/jobs/0123abcd").status_code == 404
    assert client.get(f"{API}/jobs/bad id!").status_code == 422


# -- body limit -----------------------------------------------------------------------------


def test_oversized_bodies_are_413(client: TestClient) -> None:
    big = {"text": "Rockets hit the base. " * 5000}  # ~110 kB, over the 50 kB test limit
    r = client.post(f"{API}/ingest", json=big, headers=AUTH)
    assert r.status_code == 413 and "larger than" in r.json()["detail"]
    assert r.headers["x-frame-options"] == "DENY"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        for _ in range(200):
            yield b'{"text": "' + b"x" * 1000 + b'"}\n'

    r = client.post(f"{API}/ingest", content=chunks(),
                    headers={**AUTH, "Content-Type": "application/x-ndjson"})
    assert r.status_code == 413
    r = client.patch(f"{API}/events/abc", content=b"{" + b" " * 60_000 + b"}",
                     headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413


# -- audited edits ------------------------------------------------------------------------


def _rocket_event(client: TestClient) -> dict[str, Any]:
    post_article(client, ROCKETS_ARTICLE)
    items = client.get(f"{API}/events", params={"q": "14 rockets"}).json()["items"]
    assert items
    return items[0]


def test_patch_changes_the_event_and_writes_the_audit(client: TestClient) -> None:
    ev = _rocket_event(client)
    r = client.patch(f"{API}/events/{ev['event_id']}", headers=AUTH,
                     json={"injuries": 3, "location": "Ain al-Asad", "event_date": "2021-07-07"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["event"]["injuries"] == 3 and body["event"]["location"] == "Ain al-Asad"
    assert body["after"]["injuries"] == 3 and body["before"]["injuries"] == ev["injuries"]
    again = client.get(f"{API}/events/{ev['event_id']}").json()
    assert again["injuries"] == 3 and again["event_date"] == "2021-07-07"
    audit = client.get(f"{API}/audit", headers=AUTH).json()
    assert audit["total"] == 1
    entry = audit["items"][0]
    assert entry["who"] == "editor" and entry["action"] == "update"
    assert entry["target"] == ev["event_id"] and entry["after"]["location"] == "Ain al-Asad"
    assert entry["before"]["location"] == ev["location"]


@pytest.mark.parametrize(("patch", "needle"), [
    ({}, "at least one field"),
    ({"fatalities": -1}, "fatalities"),
    ({"latitude": 123}, "latitude"),
    ({"event_id": "x"}, "event_id"),
    ({"sources": []}, "sources"),
    ({"event_type": "Picnic"}, "unknown event_type"),
    ({"sub_event_type": "Peaceful protest"}, "not a sub-type"),
    ({"background": None}, "background"),
    ({"date_precision": "fortnight"}, "date_precision"),
])
def test_bad_patches_are_422(client: TestClient, patch: dict[str, Any], needle: str) -> None:
    ev = _rocket_event(client)
    r = client.patch(f"{API}/events/{ev['event_id']}", headers=AUTH, json=patch)
    assert r.status_code == 422 and needle in r.json()["detail"], r.text
    assert client.get(f"{API}/audit", headers=AUTH).json()["total"] == 0


def test_delete_removes_the_event_and_writes_the_audit(client: TestClient) -> None:
    ev = _rocket_event(client)
    before = client.get(f"{API}/events", params={"per_page": 1}).json()["total"]
    r = client.delete(f"{API}/events/{ev['event_id']}", headers=AUTH)
    assert r.status_code == 200 and r.json()["deleted"] == ev["event_id"]
    assert client.get(f"{API}/events/{ev['event_id']}").status_code == 404
    assert client.get(f"{API}/events", params={"per_page": 1}).json()["total"] == before - 1
    entry = client.get(f"{API}/audit", headers=AUTH,
                       params={"target": ev["event_id"]}).json()["items"][0]
    assert entry["action"] == "delete" and entry["who"] == "editor" and entry["after"] is None
    assert entry["before"]["location"] == ev["location"]
    assert client.delete(f"{API}/events/{ev['event_id']}", headers=AUTH).status_code == 404


def test_kept_event_pages_follow_every_change_to_the_events(
        client: TestClient, db_url: str, corpus_files: list[Path]) -> None:
    """The server keeps the pages it rendered until the served events change, whoever
    changes them: an edit through the API, or an ingest by another process."""
    pages = client.app.state.pages  # type: ignore[attr-defined]
    ev = _rocket_event(client)
    first = client.get(f"{API}/events")
    hits = pages.hits
    assert client.get(f"{API}/events").content == first.content and pages.hits == hits + 1
    # The same page asked for in another spelling is the same kept page.
    assert client.get(f"{API}/events", params={"page": 1, "per_page": 50}).content == first.content
    assert pages.hits == hits + 2

    client.patch(f"{API}/events/{ev['event_id']}", headers=AUTH, json={"injuries": 5})
    listed = {e["event_id"]: e for e in client.get(f"{API}/events").json()["items"]}
    assert listed[ev["event_id"]]["injuries"] == 5

    total = client.get(f"{API}/events").json()["total"]
    other = Store.open(db_url)  # another writer: its own engine, as another process has
    try:
        ingest([str(corpus_files[0])], other, Settings(database_url=db_url))
    finally:
        other.close()
    assert client.get(f"{API}/events").json()["total"] > total

    client.delete(f"{API}/events/{ev['event_id']}", headers=AUTH)
    assert ev["event_id"] not in {e["event_id"] for e in
                                  client.get(f"{API}/events", params={"per_page": 200}).json()["items"]}


# -- text stays text ----------------------------------------------------------------------


def test_script_in_an_article_comes_back_as_plain_json_text(client: TestClient) -> None:
    hostile = dict(ROCKETS_ARTICLE, text=ROCKETS + "\n\n<script>alert('x')</script> & <b>bold</b>",
                   title="<img src=x onerror=alert(1)>")
    job = post_article(client, hostile)
    assert job["new"] == 1
    item = client.get(f"{API}/articles", params={"q": "onerror"}).json()["items"][0]
    r = client.get(f"{API}/articles/{item['id']}")
    assert r.headers["content-type"] == "application/json"
    one = r.json()
    assert one["title"] == "<img src=x onerror=alert(1)>"
    assert "<script>alert('x')</script> & <b>bold</b>" in one["text"]


# -- settings and commands ---------------------------------------------------------------


def test_api_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from opsroom.config import resolve_settings

    monkeypatch.setenv("OPSROOM_CONFIG", "/nonexistent/config.toml")
    monkeypatch.setenv("OPSROOM_API_READ_REQUIRES_TOKEN", "false")
    monkeypatch.setenv("OPSROOM_API_TOKENS", "alice:tok1, bob:tok2")
    monkeypatch.setenv("OPSROOM_API_MAX_BODY_MB", "2.5")
    s = resolve_settings()
    assert s.api_read_requires_token is False and s.api_max_body_mb == 2.5
    assert s.api_tokens == "alice:tok1, bob:tok2"
    monkeypatch.setenv("OPSROOM_API_READ_REQUIRES_TOKEN", "yes")
    assert resolve_settings().api_read_requires_token is True
    monkeypatch.setenv("OPSROOM_API_READ_REQUIRES_TOKEN", "perhaps")
    from opsroom.errors import OpsroomError

    with pytest.raises(OpsroomError, match="api_read_requires_token"):
        resolve_settings()


def test_token_command_creates_lists_and_revokes(db_url: str) -> None:
    from typer.testing import CliRunner

    from opsroom.cli import app

    runner = CliRunner()
    made = runner.invoke(app, ["token", "create", "carol", "--db", db_url])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[0]
    assert len(token) >= 40
    assert "carol" in runner.invoke(app, ["token", "list", "--db", db_url]).stdout
    assert runner.invoke(app, ["token", "create", "carol", "--db", db_url]).exit_code == 1
    store = Store.open(db_url)
    try:
        with TestClient(create_app(Settings(), store)) as c:
            ok = c.get(f"{API}/audit", headers={"Authorization": f"Bearer {token}"})
            assert ok.status_code == 200
            assert runner.invoke(app, ["token", "revoke", "carol", "--db", db_url]).exit_code == 0
            gone = c.get(f"{API}/audit", headers={"Authorization": f"Bearer {token}"})
            assert gone.status_code == 401
    finally:
        store.close()
    assert "--port" in runner.invoke(app, ["serve", "--help"]).stdout
