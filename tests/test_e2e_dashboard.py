"""The dashboard end to end: a real server on the ingested corpus, driven in headless Chromium.

The server is ``opsroom serve`` in a subprocess on a free 127.0.0.1 port over a temporary
SQLite database holding the sample corpus.  Screenshots go to ``test-artifacts/``.

Chromium is Debian's package (``make test`` installs it).  Without it these tests skip
on a developer's machine and fail under CI.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: A job's first article loads the spaCy model and the gazetteer index (~10 s here); a
#: slow CI machine gets six times that.
JOB_TIMEOUT_S = 120
SERVER_START_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 30_000

pytestmark = pytest.mark.slow

# A new report, not from the corpus, that the pipeline turns into one geocoded event; the
# sentence after it carries a script that must show as text and never run.
INGESTED_TEXT = (
    "Militants shelled a village near Tikrit on Monday, killing three civilians, "
    "police said. A statement posted online read: <script>window.__pwned=1</script> "
    "and nothing else.\n\n"
    "Security forces sealed off the area after the attack, the police added."
)
INGESTED_TITLE = 'Village shelled near Tikrit <img src=x onerror="window.__pwned=2">'


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from opsroom.cli import main; main()", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return CHROMIUM


@contextlib.contextmanager
def live_server(tmp: Path, *ingest_args: str) -> Iterator[dict[str, str]]:
    """``opsroom serve`` on a SQLite store that ``opsroom ingest INGEST_ARGS`` filled: its
    base URL and a write token, the server stopped on leaving. Shared by the browser tests."""
    db = f"sqlite:///{tmp / 'opsroom.db'}"
    token = secrets.token_urlsafe(24)
    env = {**os.environ, "OPSROOM_API_TOKENS": f"e2e:{token}",
           "OPSROOM_CONFIG": str(tmp / "none.toml")}
    subprocess.run(_cli("ingest", *ingest_args, "--db", db), env=env, check=True,
                   capture_output=True, timeout=300)
    port = _free_port()
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(_cli("serve", "--host", "127.0.0.1", "--port", str(port), "--db", db),
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        try:
            if httpx.get(base + "/api/v1/events?per_page=1", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail(f"server did not start:\n{(tmp / 'server.log').read_text()}")
        time.sleep(0.3)
    try:
        yield {"base": base, "token": token}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Base URL and write token of a live server on the ingested sample corpus."""
    with live_server(tmp_path_factory.mktemp("e2e"), "--sample") as live:
        yield live


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records script errors and Content-Security-Policy violations."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    pg.on("console", lambda m: problems.append(m.text)
          if m.type == "error" and "Content Security Policy" in m.text else None)
    pg.problems = problems
    yield pg
    ctx.close()
    assert problems == [], problems


def _shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _open(pg: Any, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector("body[data-ready='1']", state="attached")
    pg.wait_for_selector("body:not([data-loading='1'])", state="attached")


def _api_events(base: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = httpx.get(base + "/api/v1/events",
                         params={**params, "page": page, "per_page": 500}, timeout=30).json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def _mapped(events: list[dict[str, Any]]) -> int:
    return sum(1 for e in events if e["latitude"] is not None and e["longitude"] is not None)


def _markers(pg: Any) -> int:
    """Events drawn on the map: the counts on the cluster bubbles plus the lone circles."""
    return int(pg.evaluate("""() => [...document.querySelectorAll('#map .marker-cluster span')]
        .reduce((n, s) => n + Number(s.textContent), 0)
        + document.querySelectorAll('#map path.event-marker').length"""))


def _apply(pg: Any) -> None:
    pg.evaluate("document.body.dataset.loading = '1'")
    pg.click("#filters button[type=submit]")
    pg.wait_for_selector("body:not([data-loading='1'])", state="attached")


def test_map_shows_every_event_with_coordinates(server: dict[str, str], page: Any) -> None:
    events = _api_events(server["base"])
    assert _mapped(events) > 10, "the corpus yields geocoded events"
    _open(page, server["base"] + "/")
    _shot(page, "e2e-map")
    assert _markers(page) == _mapped(events)
    assert page.locator("#total").inner_text() == f"({len(events)})"
    assert page.locator("#events tbody tr").count() == min(25, len(events))
    # The legend names every event type; the timeline has one bar per week of the span.
    legend = page.locator("#legend").inner_text()
    assert "Battles" in legend and "Explosions/Remote violence" in legend
    assert page.locator("#timeline rect.bar").count() >= 2
    # Every basemap layer drew: countries and provinces.
    assert page.locator("path.basemap-province").count() == 32
    assert page.locator("path.basemap-country").count() >= 10


def test_a_filter_narrows_the_table_and_the_map(server: dict[str, str], page: Any) -> None:
    everything = _api_events(server["base"])
    iraq = _api_events(server["base"], country="Iraq")
    assert 0 < len(iraq) < len(everything)
    _open(page, server["base"] + "/")
    page.fill("#filters input[name=country]", "Iraq")
    _apply(page)
    _shot(page, "e2e-filter-iraq")
    assert page.locator("#total").inner_text() == f"({len(iraq)})"
    countries = page.locator("#events tbody tr td:nth-child(7)").all_inner_texts()
    assert countries and set(countries) == {"Iraq"}
    assert _markers(page) == _mapped(iraq)
    assert "country=Iraq" in page.url  # the filter is in the address, so it can be shared

    page.select_option("#filters select[name=event_type]", "Battles")
    _apply(page)
    battles = _api_events(server["base"], country="Iraq", event_type="Battles")
    assert page.locator("#total").inner_text() == f"({len(battles)})"
    types = page.locator("#events tbody tr td:nth-child(2)").all_inner_texts()
    assert types and {t.strip() for t in types} == {"Battles"}


def test_sorting_by_fatalities_puts_the_deadliest_first(server: dict[str, str], page: Any) -> None:
    _open(page, server["base"] + "/")
    page.click("button.sort[data-sort=fatalities]")
    page.wait_for_selector("button.sort[data-sort=fatalities][data-dir=desc]")
    first = page.locator("#events tbody tr").first.locator("td.num").first.inner_text()
    top = max((e["fatalities"] or 0) for e in _api_events(server["base"]))
    assert first.split()[0] == str(top)


def test_brushing_the_timeline_selects_a_date_range(server: dict[str, str], page: Any) -> None:
    _open(page, server["base"] + "/")
    box = page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.evaluate("document.body.dataset.loading = '1'")
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=5)
    page.mouse.up()
    page.wait_for_selector("body:not([data-loading='1'])", state="attached")
    _shot(page, "e2e-brush")
    since = page.input_value("#filters input[name=since]")
    until = page.input_value("#filters input[name=until]")
    assert since and until and since < until
    chosen = _api_events(server["base"], since=since, until=until)
    assert page.locator("#total").inner_text() == f"({len(chosen)})"
    assert _markers(page) == _mapped(chosen)
    assert page.locator("#timeline rect.bar.out").count() > 0  # weeks outside are greyed


def test_event_page_highlights_each_source_in_its_article(server: dict[str, str],
                                                          page: Any) -> None:
    events = _api_events(server["base"])
    chosen = max(events, key=lambda e: len(e["sources"]))
    detail = httpx.get(f"{server['base']}/api/v1/events/{chosen['event_id']}").json()
    _open(page, f"{server['base']}/events/{chosen['event_id']}")
    _shot(page, "e2e-event")
    marks = page.locator("#sources mark.hl")
    assert marks.count() == len(detail["sources"]) > 1
    first = detail["sources"][0]
    assert marks.first.inner_text().strip() == first["context"]["match"].strip()
    # The highlight sits inside its article's text, not alone.
    quote = page.locator("#sources blockquote.context").nth(1).inner_text()
    assert len(quote) > len(marks.nth(1).inner_text()) + 40
    assert page.locator("#sources .claimant strong").first.inner_text() == (
        first["claimed_by"] or "the reporting outlet")
    denied = [s for s in detail["sources"] if s["stance"] == "denies"]
    assert page.locator("#sources li.denied").count() == len(denied)
    if denied:
        assert page.locator("#sources li.denied .stance-deny").first.inner_text().lower() == "denies"


def test_actor_and_control_pages_show_the_record(server: dict[str, str], page: Any) -> None:
    actor = httpx.get(server["base"] + "/api/v1/actors/islamic_state").json()
    _open(page, server["base"] + "/actors/islamic_state")
    _shot(page, "e2e-actor")
    assert page.locator("#actor-name").inner_text() == actor["name"]
    chips = page.locator("#aliases li").all_inner_texts()
    assert "Daesh" in chips and len(chips) == len(actor["aliases"])
    assert page.locator("#actor-events tbody tr").count() == max(1, len(actor["recent_events"]))

    changes = httpx.get(server["base"] + "/api/v1/control/changes").json()
    _open(page, server["base"] + "/control")
    _shot(page, "e2e-control")
    places = {c["place"] for c in changes["items"] if c["date"]}
    assert page.locator("#holders tbody tr").count() == len(places)
    if places:
        # The first day: only the changes of that day are known yet.
        page.eval_on_selector("#slider", "s => { s.value = '0'; s.dispatchEvent(new Event('input')); }")
        first_day = min(c["date"] for c in changes["items"] if c["date"])
        known = {c["place"] for c in changes["items"] if c["date"] and c["date"] <= first_day}
        assert page.locator("#on-date").inner_text() == first_day
        assert page.locator("#holders tbody tr").count() == len(known)


def test_ingest_form_adds_an_article_that_shows_on_the_map_and_never_runs_its_script(
        server: dict[str, str], page: Any) -> None:
    before = _api_events(server["base"])
    _open(page, server["base"] + "/ingest")
    page.fill("#token", "wrong-token")
    page.fill("textarea[name=text]", INGESTED_TEXT)
    page.click("#ingest-form button[type=submit]")
    page.wait_for_selector("#error:not([hidden])")
    assert "401" in page.locator("#error").inner_text()

    page.fill("#token", server["token"])
    page.fill("input[name=title]", INGESTED_TITLE)
    page.fill("input[name=published]", "2019-03-12")
    page.fill("input[name=source]", "Test Wire")
    page.click("#ingest-form button[type=submit]")
    page.wait_for_selector("#job[data-state=done], #job[data-state=failed]",
                           state="attached", timeout=JOB_TIMEOUT_S * 1000)
    _shot(page, "e2e-ingest")
    assert page.locator("#job").get_attribute("data-state") == "done"
    assert "new 1" in page.locator("#job-counts").inner_text()

    after = _api_events(server["base"])
    new = [e for e in after if e["event_id"] not in {b["event_id"] for b in before}]
    assert new and all(e["latitude"] is not None for e in new)
    _open(page, server["base"] + "/")
    assert _markers(page) == _mapped(after) == _mapped(before) + len(new)
    page.fill("#filters input[name=q]", "shelled a village")
    _apply(page)
    _shot(page, "e2e-ingested-on-map")
    assert _markers(page) == len(new)
    assert "Tikr" in page.locator("#events tbody").inner_text()

    # The script in the article and the markup in its title show as text, never run.
    page.locator("#events tbody a").first.click()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    _shot(page, "e2e-script-as-text")
    text = page.locator("#sources").inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert 'onerror="window.__pwned=2"' in text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#sources script, #sources img").count() == 0
