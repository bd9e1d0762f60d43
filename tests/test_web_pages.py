"""Dashboard pages as HTML: served, escaped, no inline script, assets vendored."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from opsroom.web import CSP, STATIC_DIR, router

PAGES = ["/", "/events/abc123", "/actors/islamic-state", "/control", "/ingest"]


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return TestClient(app)


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


@pytest.mark.parametrize("path", PAGES)
def test_page_is_served_with_a_strict_csp(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    csp = resp.headers["content-security-policy"]
    assert csp == CSP
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_inline_script_handler_or_style(client: TestClient, path: str) -> None:
    parsed = _parse(client.get(path).text)
    scripts = [a for t, a in parsed.tags if t == "script"]
    assert scripts, "every page loads its script"
    assert all(a.get("src", "").startswith("/static/") for a in scripts)
    assert parsed.script_text == []
    for tag, attrs in parsed.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            assert not re.match(r"(https?:)?//", value), f"{tag} loads {value} from outside"


@pytest.mark.parametrize("path", PAGES)
def test_every_asset_a_page_names_is_served(client: TestClient, path: str) -> None:
    parsed = _parse(client.get(path).text)
    assets = [a.get("src") or a.get("href") for t, a in parsed.tags if t in ("script", "link")]
    for asset in assets:
        assert asset
        resp = client.get(asset)
        assert resp.status_code == 200, asset
        assert len(resp.content) > 100, asset


def test_ids_in_the_url_are_escaped_into_the_page(client: TestClient) -> None:
    evil = '"><img src=x onerror=alert(1)>'
    resp = client.get("/events/" + evil)
    assert resp.status_code == 200
    assert "<img src=x" not in resp.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in resp.text
    main = [a for t, a in _parse(resp.text).tags if t == "main"][0]
    assert main["data-event-id"] == evil


def test_leaflet_is_vendored_with_its_licence() -> None:
    leaflet = STATIC_DIR / "vendor" / "leaflet"
    assert "Leaflet" in (leaflet / "leaflet.js").read_text("utf-8")[:400]
    assert "BSD 2-Clause" in (leaflet / "LICENSE").read_text("utf-8")
    assert (leaflet / "images" / "marker-icon.png").stat().st_size > 0


def test_province_basemap_covers_iraq_and_syria() -> None:
    data = json.loads((STATIC_DIR / "basemap" / "admin1.geojson").read_text("utf-8"))
    assert data["type"] == "FeatureCollection"
    by_country: dict[str, set[str]] = {}
    for f in data["features"]:
        assert f["geometry"]["type"] == "MultiPolygon"
        by_country.setdefault(f["properties"]["country"], set()).add(f["properties"]["name"])
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(34 <= x <= 49 and 29 <= y <= 38 for x, y in ring)
    # Iraq has 18 governorates, Syria 14.
    assert len(by_country["Iraq"]) == 18 and len(by_country["Syria"]) == 14
    assert {"Ninawa", "Al-Anbar", "Baghdad"} <= by_country["Iraq"]
    assert "Dayr Az Zawr" in by_country["Syria"]


def test_country_basemap_is_served(client: TestClient) -> None:
    resp = client.get("/basemap/countries.geojson")
    assert resp.status_code == 200
    names = {f["properties"]["name"] for f in resp.json()["features"]}
    assert {"Iraq", "Syria"} <= names


def test_scripts_write_data_as_text_never_as_html() -> None:
    for js in (STATIC_DIR / "js").glob("*.js"):
        code = js.read_text("utf-8")
        assert "innerHTML" not in code, js.name
        assert "outerHTML" not in code and "insertAdjacentHTML" not in code, js.name
        assert "document.write" not in code and "eval(" not in code, js.name


def test_the_app_serves_the_dashboard_with_its_own_policy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from opsroom.api import create_app
    from opsroom.config import Settings
    from opsroom.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'opsroom.db'}")
    try:
        with TestClient(create_app(Settings(database_url=str(store.engine.url)), store)) as c:
            page = c.get("/")
            assert page.status_code == 200
            assert page.headers["content-security-policy"] == CSP
            assert c.get("/static/js/index.js").status_code == 200
            assert c.get("/static/basemap/admin1.geojson").status_code == 200
            assert c.get("/api/v1/events").json()["total"] == 0
    finally:
        store.close()
