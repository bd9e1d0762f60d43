"""The record's pages end to end in headless Chromium: event, article, actor, what changed,
the 404 page, and how they fold to 800 px and to a phone.

The server is the app in a thread of this process (uvicorn on a free 127.0.0.1 port) over
``test_web_pages.desk_documents`` stored and merged: no spaCy pass, so the module costs
seconds, not the minute an ingest of the corpus takes.  ``OPSROOM_SCREENSHOTS=1`` writes
the pictures of ``docs/screenshots/``; without it nothing under ``docs`` is touched.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from opsroom.api import create_app
from opsroom.config import Settings

from . import test_e2e_dashboard as dashboard
from .test_e2e_dashboard import PAGE_TIMEOUT_MS, SERVER_START_TIMEOUT_S, _free_port, _open
from .test_web_pages import AFP_RAMADI, DIGEST, REUTERS_URL, SYRIA_DENIES, desk_store

pytestmark = pytest.mark.slow

# The dashboard tests' Chromium, one per module, and their page that fails on any script
# error or Content-Security-Policy violation.
chromium = dashboard.chromium
browser = dashboard.browser
page = dashboard.page

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
#: Widths every page must fit without scrolling sideways: a small laptop window, a phone.
NARROW = {"800": {"width": 800, "height": 900}, "375": {"width": 375, "height": 740}}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Address of a live server on the desk record."""
    import uvicorn

    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'opsroom.db'}"
    store = desk_store(url)
    app = create_app(Settings(database_url=url, api_rate_per_minute=0), store)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    store.close()


def _shot(pg: Any, name: str) -> None:
    """The picture of the docs, only when asked for (``OPSROOM_SCREENSHOTS=1``)."""
    if os.environ.get("OPSROOM_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _api(base: str, path: str, **params: Any) -> Any:
    resp = httpx.get(base + "/api/v1" + path, params=params, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _article(base: str, outlet: str) -> dict[str, Any]:
    items = _api(base, "/articles", per_page=50)["items"]
    return next(a for a in items if a["source"] == outlet)


def _event_told_by(base: str, sentence: str) -> dict[str, Any]:
    events = _api(base, "/events", per_page=500, background=True)["items"]
    return next(e for e in events if any(s["sentence"] == sentence for s in e["sources"]))


def test_event_page_links_each_source_to_its_article_and_each_actor(base: str, page: Any) -> None:
    ramadi = _event_told_by(base, AFP_RAMADI)
    assert ramadi["n_articles"] == 2
    _open(page, f"{base}/events/{ramadi['event_id']}")
    _shot(page, "event")
    # Each source: its article's page (at the marked sentence) and the article's address.
    links = page.locator("#sources a.article-link")
    assert links.count() == len(ramadi["sources"]) == 2
    for i, src in enumerate(ramadi["sources"]):
        assert links.nth(i).get_attribute("href") == f"/articles/{src['article_id']}#src-{src['start']}"
    digest = _article(base, "Iraq Security Digest")
    out = page.locator("#sources a.out")
    assert out.count() == 1 and out.first.get_attribute("href") == digest["url"]
    assert out.first.get_attribute("rel") == "noopener noreferrer"
    # Each actor links to its page; the date shows at its precision, with its reason.
    actors = page.locator("#event-fields a.actor-link")
    assert {actors.nth(i).get_attribute("href") for i in range(actors.count())} == {
        "/actors/islamic_state", "/actors/civilians_iraq"}
    assert page.locator("#event-date").inner_text() == "2018-01-19"
    # The source leads to its article, where the sentence is marked.
    page.locator("#sources a.article-link").first.click()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    assert "/articles/" in page.url
    assert page.locator("#article-text mark.hl").count() >= 1

    # A claimant the knowledge base knows links to its page; a person stays text.
    reuters = _article(base, "Reuters")
    strike = _api(base, f"/articles/{reuters['id']}/events")[0]
    _open(page, f"{base}/events/{strike['event_id']}")
    assert page.locator("#sources a.out").first.get_attribute("href") == REUTERS_URL
    claimants = page.locator("#sources .claimant strong")
    assert claimants.nth(0).locator("a").get_attribute("href") == "/actors/u_s_led_coalition"
    assert claimants.nth(1).inner_text() == "a U.S. official"
    assert claimants.nth(1).locator("a").count() == 0


def test_dates_show_at_their_precision(base: str, page: Any) -> None:
    history = next(e for e in _api(base, "/events", per_page=500, background=True)["items"]
                   if e["date_precision"] == "year")
    _open(page, f"{base}/events/{history['event_id']}")
    assert page.locator("#event-date").inner_text() == "2014"
    assert "2014-01-01" not in page.locator("#event-title").inner_text()
    assert page.locator("#event-title").inner_text().endswith("— 2014")
    hawija = next(e for e in _api(base, "/events", per_page=500)["items"]
                  if e["date_precision"] == "month")
    _open(page, f"{base}/events/{hawija['event_id']}")
    assert page.locator("#event-date").inner_text() == "January 2018"


def test_article_page_marks_every_source_with_who_asserts_or_denies_it(base: str,
                                                                       page: Any) -> None:
    digest = _article(base, "Iraq Security Digest")
    events = _api(base, f"/articles/{digest['id']}/events")
    _open(page, f"{base}/articles/{digest['id']}")
    _shot(page, "article")
    assert page.locator("#article-title").inner_text() == digest["title"]
    fields = page.locator("#article-fields").inner_text()
    assert "Iraq Security Digest" in fields and "2018-01-26" in fields
    assert page.locator("#article-fields a.out").get_attribute("href") == digest["url"]
    # Every sentence behind an event is marked, each once; the denial stands out.
    marks = page.locator("#article-text mark.hl")
    assert marks.count() == len(DIGEST) + 1
    assert marks.all_inner_texts() == [row[0] for row in DIGEST] + [SYRIA_DENIES]
    denied = page.locator("#article-text mark.hl-deny")
    assert denied.count() == 1 and denied.inner_text() == SYRIA_DENIES
    note = page.locator("#article-text .hl-claim.denied")
    assert "Military Forces of Syria" in note.inner_text() and "denies" in note.inner_text().lower()
    assert note.locator("a.actor-link").get_attribute("href") == "/actors/military_forces_of_syria"
    # Each event is listed and linked, numbered as the notes number it.
    items = page.locator("#article-events li.article-event")
    assert items.count() == len(events)
    for i, ev in enumerate(events):
        assert items.nth(i).locator("a.event-link").get_attribute("href") == f"/events/{ev['event_id']}"
    assert page.locator("#article-events").inner_text().count("January 2018") == 1
    shelling = next(i for i, e in enumerate(events) if e["sub_event_type"].startswith("Shelling"))
    assert page.locator("#article-text mark.hl-deny + .hl-note a.ev-ref").first.inner_text() == str(
        shelling + 1)
    # The text around the marks is the article's, whole.
    assert page.locator("#article-text").inner_text().replace("\n", "").count("Ramadi") >= 1


def test_article_page_never_follows_an_address_that_is_not_a_web_address(base: str,
                                                                          page: Any) -> None:
    arab_news = next(a for a in _api(base, "/articles", per_page=50)["items"]
                     if a["url"] == "javascript:alert(1)")
    _open(page, f"{base}/articles/{arab_news['id']}")
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("#article-fields .url-text").inner_text() == "javascript:alert(1)"
    listed = page.locator("#article-events").inner_text()
    assert "2014" in listed and "told as history" in listed and "2014-01-01" not in listed
    assert page.locator("#article-text mark.hl-deny").count() == 1


def test_actor_page_lists_its_events_linked(base: str, page: Any) -> None:
    actor = _api(base, "/actors/islamic_state")
    _open(page, f"{base}/actors/islamic_state")
    _shot(page, "actor")
    rows = page.locator("#actor-events tbody tr")
    assert rows.count() == len(actor["recent_events"]) > 3
    for i, ev in enumerate(actor["recent_events"]):
        assert rows.nth(i).locator("a").first.get_attribute("href") == f"/events/{ev['event_id']}"
    dates = page.locator("#actor-events td.date").all_inner_texts()
    assert "2014" in dates and "2014-01-01" not in dates
    # The other side of each event links to its own page; this actor stays plain.
    others = page.locator("#actor-events a.actor-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    assert "/actors/civilians_iraq" in others and "/actors/islamic_state" not in others
    assert "on the map" in page.locator("#actor-events-note").inner_text()


def test_changes_view_ranks_provinces_by_their_change(base: str, page: Any) -> None:
    _open(page, f"{base}/what-changed")
    _shot(page, "changes")
    provinces = page.locator("#changes tbody td.province").all_inner_texts()
    assert provinces == ["Anbar", "province unknown", "Nineveh", "Deir ez-Zor"]
    assert page.locator("#changes tbody tr").first.get_attribute("class") == "rise"
    assert page.locator("#changes tbody tr").last.get_attribute("class") == "fall"
    assert page.locator("#changes svg.bar rect.bar-up").count() >= 3
    assert "2018-01-18 – 2018-01-24" in page.locator("#changes-window").inner_text()
    # A chosen week and sorting by deaths, through the form.
    page.fill("#changes-form input[name=on]", "2018-01-10")
    page.select_option("#changes-form select[name=by]", "fatalities")
    page.click("#changes-form button[type=submit]")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    assert "on=2018-01-10" in page.url and "by=fatalities" in page.url
    assert "2018-01-04 – 2018-01-10" in page.locator("#changes-window").inner_text()
    # Each province leads to its events of that week on the map.
    href = page.locator("#changes tbody td.province a").first.get_attribute("href")
    assert href.startswith("/?since=2018-01-04&until=2018-01-10")
    page.fill("#changes-form input[name=on]", "")
    page.fill("#changes-form input[name=country]", "x" * 130)
    page.click("#changes-form button[type=submit]")
    page.wait_for_selector("#changes-problem")
    assert "at most 120 characters" in page.locator("#changes-problem").inner_text()


def test_unknown_records_and_addresses_get_the_404_page(base: str, page: Any) -> None:
    for path, says in (("/events/0000000000000000", "no event with id"),
                       ("/actors/nobody_at_all", "no actor with id"),
                       ("/articles/ffffffffffff", "no article with id"),
                       ("/somewhere/else", "no page at")):
        resp = page.goto(base + path)
        assert resp.status == 404, path
        page.wait_for_selector("body[data-ready='1']", state="attached")
        assert says in page.locator("#notice .notice-message").inner_text()
        assert page.locator("#notice a[href='/']").count() == 1
    page.locator("#notice a[href='/what-changed']").click()
    page.wait_for_selector("#changes", state="attached")


def test_a_page_whose_data_fails_to_load_says_so(base: str, page: Any) -> None:
    ramadi = _event_told_by(base, AFP_RAMADI)
    # The record is there when the page is served, and the API fails after: the page
    # says what it could not show and how to go on, not a blank skeleton.
    page.route("**/api/v1/events/*", lambda route: route.fulfill(
        status=503, content_type="application/json", body='{"detail": "store unavailable"}'))
    _open(page, f"{base}/events/{ramadi['event_id']}")
    assert page.locator("#notice h1").inner_text() == "Cannot show this event"
    assert "store unavailable" in page.locator("#notice .notice-message").inner_text()
    assert page.locator("#notice a[href='/']").count() == 1
    page.unroute("**/api/v1/events/*")


def test_pages_fit_800_pixels_and_a_phone(base: str, browser: Any) -> None:
    digest = _article(base, "Iraq Security Digest")
    ramadi = _event_told_by(base, AFP_RAMADI)
    paths = [f"/events/{ramadi['event_id']}", f"/articles/{digest['id']}",
             "/actors/islamic_state", "/what-changed", "/control", "/nowhere"]
    for name, viewport in NARROW.items():
        ctx = browser.new_context(viewport=viewport, is_mobile=name == "375")
        pg = ctx.new_page()
        pg.set_default_timeout(PAGE_TIMEOUT_MS)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))  # noqa: B023
        try:
            for path in paths:
                pg.goto(base + path)
                pg.wait_for_selector("body[data-ready='1']", state="attached")
                wide = pg.evaluate("document.documentElement.scrollWidth")
                assert wide <= viewport["width"], (name, path, wide)
                # Text stays readable: the main column is not squeezed below 300 px.
                assert pg.evaluate("document.getElementById('page').clientWidth") >= min(
                    300, viewport["width"] - 40), (name, path)
        finally:
            ctx.close()
        assert errors == [], errors
