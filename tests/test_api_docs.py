"""The API describes itself and refuses what it does not understand.

``/docs`` is Swagger UI vendored into the package: loaded in headless Chromium it lists
the operations, under the app's Content-Security-Policy, without a request leaving the
machine.  The OpenAPI document declares the bearer-token scheme.  Every route answers an
unknown query parameter, an unknown ACLED type and an unknown place with a 4xx that
names what was wrong and what is allowed (they used to be ignored: 200 with nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from opsroom.api import create_app
from opsroom.config import Settings
from opsroom.store import Store

from .test_e2e_dashboard import CHROMIUM_ARGS, PAGE_TIMEOUT_MS, _free_port
from .test_e2e_dashboard import chromium as chromium  # noqa: F401 - the module's fixture

API = "/api/v1"
TOKEN = "docs-secret"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The app over an empty SQLite store: the docs and the refusals need no events."""
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('docs') / 'opsroom.db'}")
    yield create_app(Settings(api_tokens=f"docs:{TOKEN}", api_rate_per_minute=0), store)
    store.close()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def base_url(app: FastAPI) -> Iterator[str]:
    """The app served on a free 127.0.0.1 port in this process, for the browser."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the server did not start")
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# -- /docs in a browser ----------------------------------------------------------------


def test_docs_list_the_operations_from_this_server_only(chromium: Path,  # noqa: F811
                                                       base_url: str) -> None:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(base_url + "/docs")
            page.wait_for_selector(".opblock-summary-path")
            paths = set(page.locator(".opblock-summary-path").all_inner_texts())
            assert {f"{API}/events", f"{API}/changes", f"{API}/ingest",
                    f"{API}/events/{{event_id}}"} <= {p.replace("\u200b", "") for p in paths}
            # The bearer scheme is offered, and the write routes show a lock.
            assert page.locator("button.authorize").count() == 1
            assert page.locator(".opblock-patch .authorization__btn").count() >= 1
        finally:
            browser.close()
    assert problems == [], problems
    assert requests and all(urlsplit(u).hostname == "127.0.0.1" for u in requests), requests


# -- the OpenAPI document --------------------------------------------------------------


def test_openapi_declares_the_bearer_scheme_on_writes_and_reads(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    scheme = doc["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    ops = {(m, path): op for path, item in doc["paths"].items() for m, op in item.items()}
    writes = [k for k in ops if k[0] in ("post", "patch", "delete")] + [("get", f"{API}/audit")]
    assert len(writes) >= 4
    for key in writes:
        assert ops[key]["security"] == [{"bearerAuth": []}], key
    # Reads take a token when one is shown (their holder's rate budget), need none here.
    for key in [k for k in ops if k[0] == "get" and k not in writes]:
        assert ops[key]["security"] == [{}, {"bearerAuth": []}], key


def test_reads_need_the_scheme_when_the_settings_protect_them(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'o.db'}")
    try:
        app = create_app(Settings(api_tokens=f"docs:{TOKEN}", api_read_requires_token=True),
                         store)
        doc = TestClient(app).get("/openapi.json").json()
        assert doc["paths"][f"{API}/events"]["get"]["security"] == [{"bearerAuth": []}]
    finally:
        store.close()


# -- refusals --------------------------------------------------------------------------


def test_every_get_route_refuses_an_unknown_query_parameter(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    routes = [path for path, item in doc["paths"].items() if "get" in item]
    assert len(routes) >= 14
    for path in routes:
        declared = sorted(p["name"] for p in doc["paths"][path]["get"].get("parameters", [])
                          if p["in"] == "query")
        url = path.replace("{", "").replace("}", "")  # any id: the refusal comes first
        r = client.get(url, params={"colour": "red"},
                       headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 422, (path, r.text)
        detail = r.json()["detail"]
        assert "'colour'" in detail and f"allowed: {', '.join(declared) or 'none'}" in detail


def test_another_apis_paging_word_is_refused_with_this_ones(client: TestClient) -> None:
    r = client.get(f"{API}/events", params={"limit": -1})
    assert r.status_code == 422
    assert "'limit' is 'per_page' here" in r.json()["detail"]


@pytest.mark.parametrize(("params", "needle"), [
    ({"event_type": "Nonsense"}, "expected one of Battles, Explosions/Remote violence"),
    ({"sub_event_type": "Nonsense"}, "Air/drone strike"),
    ({"sort": "colour"}, "-event_date"),
])
def test_an_unknown_vocabulary_value_is_refused_with_the_allowed_ones(
        client: TestClient, params: dict[str, Any], needle: str) -> None:
    for path in (f"{API}/events", f"{API}/export"):
        if "sort" in params and path.endswith("export"):
            continue
        r = client.get(path, params=params)
        assert r.status_code == 422 and needle in r.json()["detail"], r.text
    # Types match whole values in any case, as the filter compares them.
    assert client.get(f"{API}/events", params={"event_type": "battles"}).status_code == 200


def test_an_unknown_place_is_404_with_near_names(client: TestClient) -> None:
    r = client.get(f"{API}/control", params={"place": "Xqzzyvillle"})
    assert r.status_code == 404 and r.json()["detail"].startswith("unknown place: Xqzzyvillle")
    r = client.get(f"{API}/control", params={"place": "Raqqax"})
    assert r.status_code == 404 and "did you mean" in r.json()["detail"]
    assert "Raqqa" in r.json()["detail"]
    # A place the gazetteer knows is answered, even with no report of who holds it.
    assert client.get(f"{API}/control", params={"place": "Raqqa"}).status_code == 200
