"""The server's defences: hashed tokens compared in constant time, rate limits, CORS off by
default, security headers on every response, parameterised queries under injection,
bounded uploads, and no way out of the static folder.

Reads run over the ingested sample corpus on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from opsroom.api import auth as auth_module
from opsroom.api import create_app
from opsroom.api.ratelimit import RateLimiter
from opsroom.config import Settings
from opsroom.store import Store
from opsroom.store import tables as t
from opsroom.store.access import create_token

from .test_api_read import corpus_store  # noqa: F401 - the module's corpus fixture

API = "/api/v1"
TOKEN = "editor-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

#: Hostile filter values: SQL injection, LIKE wildcards, escapes, other scripts.
HOSTILE = [
    "' OR 1=1 --",
    '"; DROP TABLE events; --',
    "Iraq' OR '1'='1",
    "%",
    "_",
    "%%",
    "a_b%",
    "\\",
    "\\%",
    "'; DELETE FROM articles; --",
    "الرقة",
    "Ḥalab ‎🙂",
    "Iraq\u2019 OR 1=1",
]


def make_client(store: Store, **settings: Any) -> TestClient:
    base = {"api_tokens": f"editor:{TOKEN}", "api_rate_per_minute": 0}
    return TestClient(create_app(Settings(**{**base, **settings}), store),
                      raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(corpus_store: Store) -> Iterator[TestClient]:  # noqa: F811
    with make_client(corpus_store) as c:
        yield c


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {tb.name: int(conn.execute(select(func.count()).select_from(tb)).scalar_one())
                for tb in t.metadata.sorted_tables}


# -- tokens ---------------------------------------------------------------------------


def test_tokens_are_stored_hashed_and_compared_in_constant_time(
        corpus_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    token = create_token(corpus_store, "sec-test")
    try:
        with corpus_store.engine.connect() as conn:
            stored = conn.execute(select(t.api_tokens.c.token_hash)
                                  .where(t.api_tokens.c.name == "sec-test")).scalar_one()
        assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
        calls: list[tuple[str, str]] = []
        real = auth_module.hmac.compare_digest

        def spy(a: str, b: str) -> bool:
            calls.append((a, b))
            return real(a, b)

        monkeypatch.setattr(auth_module.hmac, "compare_digest", spy)
        with make_client(corpus_store) as c:
            checker = c.app.state.tokens  # type: ignore[attr-defined]
            assert checker.who(token) == "sec-test"
            known = len(calls)
            calls.clear()
            assert checker.who("not-a-token") is None
            # Every known hash is compared whether or not one matches.
            assert len(calls) == known >= 2
            r = c.get(f"{API}/audit", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200
            assert c.get(f"{API}/audit", headers={"Authorization": "Bearer x"}).status_code == 401
    finally:
        from opsroom.store.access import revoke_token

        revoke_token(corpus_store, "sec-test")


# -- rate limits ----------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_per_token_and_per_address(corpus_store: Store) -> None:  # noqa: F811
    clock = Clock()
    with make_client(corpus_store, api_tokens=f"editor:{TOKEN},other:other-secret") as c:
        c.app.state.limiter = RateLimiter(60, 3, clock=clock)  # type: ignore[attr-defined]
        for _ in range(3):
            assert c.get(f"{API}/audit", headers=AUTH).status_code == 200
        r = c.get(f"{API}/audit", headers=AUTH)
        assert r.status_code == 429 and r.headers["retry-after"] == "1"
        assert r.headers["x-content-type-options"] == "nosniff"
        # Another holder has a budget of its own; so has an anonymous reader's address.
        assert c.get(f"{API}/audit", headers={"Authorization": "Bearer other-secret"}).status_code == 200
        for _ in range(3):
            assert c.get(f"{API}/articles").status_code == 200
        assert c.get(f"{API}/articles").status_code == 429
        # Guessing tokens spends the address's budget too.
        assert c.get(f"{API}/audit", headers={"Authorization": "Bearer guess"}).status_code == 429
        clock.now += 1.0  # one request a second comes back
        assert c.get(f"{API}/audit", headers=AUTH).status_code == 200
        assert c.get(f"{API}/audit", headers=AUTH).status_code == 429


def test_rate_limiter_is_thread_safe() -> None:
    limiter = RateLimiter(rate_per_minute=1e-9, burst=100)  # practically no refill
    allowed: list[bool] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(50):
            ok = limiter.take("token:x") == 0.0
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(allowed) == 100 and len(allowed) == 400


def test_rate_limit_is_configurable_and_can_be_off(corpus_store: Store) -> None:  # noqa: F811
    assert Settings().api_rate_per_minute > 0
    with make_client(corpus_store, api_rate_per_minute=0) as c:
        assert all(c.get(f"{API}/actors").status_code == 200 for _ in range(80))


# -- CORS and headers -----------------------------------------------------------------


def test_cors_is_off_by_default(client: TestClient, corpus_store: Store) -> None:  # noqa: F811
    origin = {"Origin": "https://evil.example"}
    r = client.get(f"{API}/events", headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    pre = client.options(f"{API}/events", headers={**origin,
                                                   "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers
    with make_client(corpus_store, api_cors_origins="https://ok.example") as c:
        ok = c.get(f"{API}/events", headers={"Origin": "https://ok.example"})
        assert ok.headers["access-control-allow-origin"] == "https://ok.example"
        assert "access-control-allow-origin" not in c.get(f"{API}/events", headers=origin).headers


def assert_secure(r: Any) -> None:
    csp = r.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert r.headers.get("x-content-type-options") == "nosniff"
    assert r.headers.get("x-frame-options") == "DENY"


def test_security_headers_on_every_kind_of_response(corpus_store: Store) -> None:  # noqa: F811
    with make_client(corpus_store, api_max_body_mb=0.01) as c:
        app = c.app

        @app.get("/boom")  # type: ignore[attr-defined, untyped-decorator]
        def boom() -> None:
            raise RuntimeError("a bug")

        responses = {
            "ok": c.get(f"{API}/events"),
            "page": c.get("/"),
            "static": c.get("/static/css/opsroom.css"),
            "basemap": c.get("/basemap/countries.geojson"),
            "openapi": c.get("/openapi.json"),
            "404": c.get(f"{API}/events/nope"),
            "404 static": c.get("/static/none.js"),
            "422": c.get(f"{API}/events", params={"since": "x"}),
            "401": c.patch(f"{API}/events/x", json={"weapon": "x"}),
            "413": c.post(f"{API}/ingest", headers=AUTH, content=b"x" * 20_000),
            "422 nul": c.get(f"{API}/events", params={"q": "a\x00"}),
            "500": c.get("/boom"),
        }
        expected = {"ok": 200, "page": 200, "static": 200, "basemap": 200, "openapi": 200,
                    "404": 404, "404 static": 404, "422": 422, "401": 401, "413": 413,
                    "422 nul": 422, "500": 500}
        for name, r in responses.items():
            assert r.status_code == expected[name], (name, r.status_code, r.text[:200])
            assert_secure(r)


# -- SQL injection --------------------------------------------------------------------


def every_event(client: TestClient) -> list[dict[str, Any]]:
    r = client.get(f"{API}/events", params={"per_page": 500, "background": True})
    assert r.status_code == 200
    return r.json()["items"]


def event_ids(client: TestClient, **params: Any) -> set[str]:
    r = client.get(f"{API}/events", params={"per_page": 500, "background": True, **params})
    assert r.status_code == 200, (params, r.text)
    return {e["event_id"] for e in r.json()["items"]}


def _low(v: Any) -> str:
    return (v or "").lower()


@pytest.mark.parametrize("value", HOSTILE + ["Iraq", "Syria"])
def test_event_filters_are_parameterised(client: TestClient, corpus_store: Store,  # noqa: F811
                                         value: str) -> None:
    before = counts(corpus_store)
    events = every_event(client)
    v = value.lower()
    for name in ("country", "admin1"):
        want = {e["event_id"] for e in events if _low(e[name]) == v}
        assert event_ids(client, **{name: value}) == want, name
    # The types are ACLED's closed vocabulary: anything else is refused, naming the values.
    for name in ("event_type", "sub_event_type"):
        r = client.get(f"{API}/events", params={name: value})
        assert r.status_code == 422 and "expected one of" in r.text, (name, r.status_code)
    actors = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
    want = {e["event_id"] for e in events if any(v in _low(e[a]) for a in actors)}
    assert event_ids(client, actor=value) == want
    words = v.split()
    want = {e["event_id"] for e in events
            if any(all(w in s["sentence"].lower() for w in words) for s in e["sources"])
            or v in _low(e["location"])}
    assert event_ids(client, q=value) == want
    # Typed filters refuse what is not their type.
    for name in ("since", "until", "bbox", "min_fatalities", "sort", "page"):
        assert client.get(f"{API}/events", params={name: value}).status_code == 422, name
    r = client.get(f"{API}/export", params={"country": value, "format": "jsonl"})
    assert r.status_code == 200
    assert counts(corpus_store) == before


@pytest.mark.parametrize("value", HOSTILE + ["Reuters", "Mosul"])
def test_other_list_filters_are_parameterised(client: TestClient, corpus_store: Store,  # noqa: F811
                                              value: str) -> None:
    before = counts(corpus_store)
    every = client.get(f"{API}/articles", params={"per_page": 500}).json()["items"]
    with corpus_store.engine.connect() as conn:
        texts = {r[0]: (r[1] or "", r[2]) for r in conn.execute(
            select(t.articles.c.id, t.articles.c.title, t.articles.c.text))}
    v = value.lower()
    want = {a["id"] for a in every if _low(a["source"]) == v}
    got = client.get(f"{API}/articles", params={"source": value, "per_page": 500}).json()
    assert {a["id"] for a in got["items"]} == want and got["total"] == len(want)
    want = {a["id"] for a in every
            if all(w in texts[a["id"]][0].lower() or w in texts[a["id"]][1].lower()
                   for w in v.split())}
    got = client.get(f"{API}/articles", params={"q": value, "per_page": 500}).json()
    assert {a["id"] for a in got["items"]} == want and got["total"] == len(want)

    actors = client.get(f"{API}/actors").json()
    found = client.get(f"{API}/actors", params={"q": value}).json()
    assert {a["id"] for a in found} <= {a["id"] for a in actors}
    assert client.get(f"{API}/actors", params={"kind": value}).json() == [
        a for a in actors if a["kind"] == value]
    for path, params in (("/places", {"q": value}), ("/control", {"place": value}),
                         ("/control/changes", {"country": value}),
                         ("/trends", {"country": value, "by": "country"})):
        r = client.get(API + path, params=params)
        assert r.status_code in (200, 404, 422), (path, r.status_code)
    trends = client.get(f"{API}/trends", params={"country": value, "by": "country"}).json()
    assert all(row["key"].lower() == v for row in trends["rows"])
    changes = client.get(f"{API}/control/changes", params={"country": value}).json()
    assert all(_low(c["country"]) == v for c in changes["items"])
    audit = client.get(f"{API}/audit", params={"target": value}, headers=AUTH)
    assert audit.status_code == 422 or audit.json()["items"] == []  # no record has that id
    assert client.get(f"{API}/events/{value}").status_code in (404, 422)
    assert counts(corpus_store) == before


def test_a_nul_character_is_refused_not_crashed_on(client: TestClient) -> None:
    for path, params in (("/events", {"q": "a\x00b"}), ("/articles", {"source": "\x00"}),
                         ("/trends", {"country": "Iraq\x00"})):
        r = client.get(API + path, params=params)
        assert r.status_code == 422 and "NUL" in r.json()["detail"]
    assert client.get(f"{API}/events?q=%ff%fe").status_code == 422
    some = every_event(client)[0]["event_id"]
    r = client.patch(f"{API}/events/{some}", json={"location": "a\x00b"}, headers=AUTH)
    assert r.status_code == 422
    r = client.patch(f"{API}/events/{some}", json={"fatalities": 2**40}, headers=AUTH)
    assert r.status_code == 422


# -- uploads --------------------------------------------------------------------------


@pytest.fixture
def upload_client(store: Store) -> Iterator[TestClient]:
    with make_client(store, api_max_body_mb=0.1, api_max_upload_files=3) as c:
        yield c


def test_uploads_are_bounded_in_count_and_size(upload_client: TestClient) -> None:
    c = upload_client
    files = [("files", (f"a{i}.txt", b"Rockets hit the base.", "text/plain")) for i in range(4)]
    r = c.post(f"{API}/ingest", files=files, headers=AUTH)
    assert r.status_code == 413 and "at most 3 files" in r.json()["detail"]
    big = [("files", ("big.txt", b"x" * 200_000, "text/plain"))]
    assert c.post(f"{API}/ingest", files=big, headers=AUTH).status_code == 413
    r = c.post(f"{API}/ingest", content=b"{" + b" " * 200_000 + b"}", headers={
        **AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413
    r = c.post(f"{API}/ingest", files=files[:3], headers=AUTH)
    assert r.status_code == 202, r.text
    c.app.state.jobs.wait_idle(120)  # type: ignore[attr-defined]


# -- path traversal -------------------------------------------------------------------


def raw_get(app: Any, raw_path: bytes) -> tuple[int, bytes, dict[str, str]]:
    """A GET with the path exactly as given (clients normalise '..' away)."""
    import asyncio
    from urllib.parse import unquote_to_bytes

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    path, _, query = raw_path.partition(b"?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": unquote_to_bytes(path).decode("latin-1"),
             "raw_path": path, "query_string": query, "root_path": "",
             "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1234),
             "server": ("testserver", 80), "state": {}}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], body, headers


@pytest.mark.parametrize("path", [
    b"/static/../../../../etc/passwd",
    b"/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    b"/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    b"/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    b"/static/..\\..\\..\\etc\\passwd",
    b"/static/css/../../routes.py",
    b"/static/css/..%2f..%2froutes.py",
    b"/static//etc/passwd",
    b"/static/%2fetc%2fpasswd",
    b"/basemap/../../etc/passwd",
    b"/basemap/countries.geojson/../../../etc/passwd",
    b"/basemap/..%2f..%2fdata%2fbasemap%2fmiddle_east.geojson",
    b"/api/v1/export?format=../../etc/passwd",
])
def test_no_path_leaves_the_served_files(client: TestClient, path: bytes) -> None:
    status, body, headers = raw_get(client.app, path)
    assert b"root:" not in body and b"import " not in body
    assert status in (400, 404, 422), (path, status)
    assert headers.get("x-content-type-options") == "nosniff"


def test_export_download_name_is_fixed(client: TestClient) -> None:
    r = client.get(f"{API}/export", params={"format": "geojson", "country": "../../x"})
    assert r.status_code == 200
    assert r.headers["content-disposition"].endswith('filename="opsroom-events.geojson"')


def test_uploaded_file_names_cannot_escape(upload_client: TestClient, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    names = ["../../escape.txt", "/etc/passwd", "..\\..\\win.txt"]
    files = [("files", (n, b"Rockets hit the base.", "text/plain")) for n in names]
    r = upload_client.post(f"{API}/ingest", files=files, headers=AUTH)
    assert r.status_code == 202
    upload_client.app.state.jobs.wait_idle(120)  # type: ignore[attr-defined]
    assert not (tmp_path.parent / "escape.txt").exists()
    assert not list(tmp_path.parent.glob("win.txt"))


# -- uvicorn's own answers -----------------------------------------------------------------


@contextlib.contextmanager
def live_server(protocol: str) -> Iterator[int]:
    """A real uvicorn server on loopback with ``opsroom serve``'s protocol class; its port."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from opsroom.api.middleware import SecurityHeaders
    from opsroom.api.server import http_protocol

    app = SecurityHeaders(Starlette(routes=[Route("/", lambda _r: PlainTextResponse("ok"))]))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error",
                                           http=http_protocol(protocol)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def raw_exchange(port: int, request: bytes) -> tuple[bytes, dict[bytes, list[bytes]]]:
    """Status line and headers of the answer to ``request`` sent as raw bytes."""
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        with contextlib.suppress(ConnectionResetError):
            while (chunk := conn.recv(65536)) and b"\r\n\r\n" not in data + chunk:
                data += chunk
            data += chunk
    head = data.split(b"\r\n\r\n")[0].split(b"\r\n")
    headers: dict[bytes, list[bytes]] = {}
    for line in head[1:]:
        name, _, value = line.partition(b":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return head[0], headers


@pytest.mark.parametrize(("protocol", "request_bytes"), [
    # h11 gives up on a request line still unfinished past 16 KB.
    ("h11", b"GET /" + b"a" * 20_000),
    # httptools refuses a URL over 64 KB once the request is in.
    ("httptools", b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("h11", b"NOT HTTP AT ALL\r\n\r\n"),
    ("httptools", b"NOT HTTP AT ALL\r\n\r\n"),
])
def test_uvicorns_own_400_carries_the_security_headers(protocol: str, request_bytes: bytes) -> None:
    """A request uvicorn cannot parse never reaches the app; its 400 is written by our
    protocol classes, with the headers, each once."""
    from opsroom.api.middleware import SECURITY_HEADERS

    with live_server(protocol) as port:
        status, headers = raw_exchange(port, request_bytes)
        assert status.startswith(b"HTTP/1.1 400"), status
        for name, value in SECURITY_HEADERS:
            assert headers.get(name) == [value], (name, headers.get(name))
        status, headers = raw_exchange(port, b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status.startswith(b"HTTP/1.1 404"), status
        for name, value in SECURITY_HEADERS:
            assert headers.get(name) == [value], (name, headers.get(name))
