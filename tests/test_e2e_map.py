"""The map page end to end: clusters, replay, timeline axes, downloads, filter errors, dates
at their precision and the layout at 1280, 800 and 375 px, in headless Chromium.

One server for the module over five articles of the sample corpus (fifteen events, two
of them at one air base, a ten-killed clash, weekly and daily dates from 2016 to 2021),
two of whose dates an editor then cuts to a year and a month through the API.
``OPSROOM_SCREENSHOTS=1`` also writes the main view at 1280 and 375 px to
``docs/screenshots/`` (map.png, map-phone.png); without it no tracked file is touched.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from opsroom.cli import sample_articles

from .test_e2e_dashboard import (  # noqa: F401  (browser, chromium: fixtures)
    PAGE_TIMEOUT_MS,
    _api_events,
    _markers,
    _open,
    browser,
    chromium,
    live_server,
)

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
#: Lines of sample.jsonl: the rockets on Ain al-Asad (two events at one spot), Mosul in
#: January 2017, Raqqa and Aleppo in June, Hawija in October, Albu Kamal in November.
SAMPLE_LINES = (0, 9, 10, 11, 13)
#: Two events whose dates an editor cuts: a year-only and a month-only date.
CUT_DATES = {"Aleppo": ("2017-01-01", "year", "2017"),
             "Industrial District (Raqqa)": ("2017-03-01", "month", "2017")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a live server on five sample articles, two dates cut by an editor."""
    tmp = tmp_path_factory.mktemp("e2e-map")
    lines = sample_articles().read_text("utf-8").splitlines()
    articles = tmp / "articles.jsonl"
    articles.write_text("\n".join(lines[i] for i in SAMPLE_LINES) + "\n", "utf-8")
    with live_server(tmp, str(articles)) as live:
        base, token = live["base"], live["token"]
        by_place = {e["location"]: e for e in _api_events(base)}
        for place, (date, precision, _) in CUT_DATES.items():
            resp = httpx.patch(f"{base}/api/v1/events/{by_place[place]['event_id']}",
                               json={"event_date": date, "date_precision": precision},
                               headers={"Authorization": f"Bearer {token}"}, timeout=30)
            assert resp.status_code == 200, resp.text
        yield base


@pytest.fixture(scope="module")
def events(server: str) -> list[dict[str, Any]]:
    return _api_events(server)


def _page(browser: Any, width: int, height: int = 900) -> Any:  # noqa: F811
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    pg.on("console", lambda m: problems.append(m.text)
          if m.type == "error" and "Content Security Policy" in m.text else None)
    pg.problems = problems
    return pg


@pytest.fixture
def wide(browser: Any) -> Iterator[Any]:  # noqa: F811
    """A page at 1280 px that records script errors and policy violations."""
    pg = _page(browser, 1280)
    yield pg
    pg.context.close()
    assert pg.problems == [], pg.problems


def _mapped(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["latitude"] is not None and e["longitude"] is not None]


def _box(pg: Any, selector: str) -> dict[str, float]:
    box = pg.locator(selector).bounding_box()
    assert box is not None, selector
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def _slide(pg: Any, value: int) -> None:
    pg.eval_on_selector("#replay", "(s, v) => { s.value = String(v); s.dispatchEvent(new Event('input')); }",
                        value)


# -- 1. clusters -----------------------------------------------------------------------

def test_close_events_cluster_with_their_count_and_a_click_zooms_in(
        server: str, events: list[dict[str, Any]], wide: Any) -> None:
    _open(wide, server + "/")
    clusters = wide.locator("#map .marker-cluster")
    assert clusters.count() >= 1
    assert _markers(wide) == len(_mapped(events))
    counts = [int(t) for t in wide.locator("#map .marker-cluster span").all_inner_texts()]
    assert max(counts) >= 2
    zoom = float(wide.get_attribute("#map", "data-zoom"))
    clusters.nth(counts.index(max(counts))).click()
    wide.wait_for_function("(z) => Number(document.getElementById('map').dataset.zoom) > z", arg=zoom)


def test_events_at_one_spot_spiderfy_and_open_their_popups(
        server: str, events: list[dict[str, Any]], wide: Any) -> None:
    spot = [e for e in _mapped(events) if e["location"] == "Ain al-Asad Air Base"]
    assert len(spot) == 2 and len({(e["latitude"], e["longitude"]) for e in spot}) == 1
    _open(wide, server + "/?sub_event_type=Shelling%2Fartillery%2Fmissile+attack")
    assert wide.locator("#map .marker-cluster span").all_inner_texts() == ["2"]
    assert wide.locator("#map path.event-marker").count() == 0
    wide.locator("#map .marker-cluster").click()
    wide.wait_for_function("() => document.querySelectorAll('#map path.event-marker').length === 2")
    wide.locator("#map path.event-marker").first.click(force=True)
    link = wide.locator(".leaflet-popup a.popup-title")
    assert link.inner_text() == "Shelling/artillery/missile attack"
    assert link.get_attribute("href") in {f"/events/{e['event_id']}" for e in spot}


# -- 2. replay -------------------------------------------------------------------------

def test_the_slider_replays_the_period_and_play_moves_it(
        server: str, events: list[dict[str, Any]], wide: Any) -> None:
    _open(wide, server + "/?country=Iraq")
    iraq = [e for e in events if e["country"] == "Iraq"]
    dated = sorted(e["event_date"] for e in iraq if e["event_date"])
    slider = wide.locator("#replay")
    assert slider.get_attribute("data-first") == dated[0]
    assert slider.get_attribute("data-last") == dated[-1]
    days = int(slider.get_attribute("max"))
    assert slider.input_value() == str(days)  # at the end: every event shows
    assert _markers(wide) == len(_mapped(iraq))

    # Half way: only what happened up to that day.
    _slide(wide, days // 2)
    up_to = wide.get_attribute("#map", "data-up-to")
    assert dated[0] < up_to < dated[-1]
    expected = [e for e in _mapped(iraq) if e["event_date"] and e["event_date"] <= up_to]
    assert 0 < len(expected) < len(_mapped(iraq))
    assert _markers(wide) == len(expected)
    assert wide.locator("#timeline #replay-line").get_attribute("visibility") == "visible"

    # A moving window: the 30 days up to the same day.
    wide.select_option("#replay-window", "30")
    start = wide.evaluate("(d) => new Date(Date.parse(d + 'T00:00:00Z') - 29 * 86400000)"
                          ".toISOString().slice(0, 10)", up_to)
    window = [e for e in expected if e["event_date"] >= start]
    assert _markers(wide) == len(window) < len(expected)
    wide.select_option("#replay-window", "0")

    # Play from the start, pause: the map shows the events up to wherever it stopped.
    _slide(wide, days)
    wide.click("#play")
    wide.wait_for_function("() => document.getElementById('replay').value !== '0'"
                           " && document.getElementById('replay').dataset.playing === '1'")
    wide.click("#play")
    assert slider.get_attribute("data-playing") == "0"
    assert wide.locator("#play").inner_text().endswith("Play")
    up_to = wide.get_attribute("#map", "data-up-to")
    assert _markers(wide) == len(
        [e for e in _mapped(iraq) if e["event_date"] and e["event_date"] <= up_to])
    assert "country=Iraq" in wide.url  # the filters stay in the address


# -- 3. timeline -----------------------------------------------------------------------

def test_the_timeline_has_a_date_axis_and_a_killed_series(
        server: str, events: list[dict[str, Any]], wide: Any) -> None:
    _open(wide, server + "/")
    ticks = wide.locator("#timeline text.tick")
    assert ticks.count() >= 4
    # Each tick stands over the bar of the week its date falls in.
    found = wide.evaluate("""() => [...document.querySelectorAll('#timeline text.tick')].map((t) => {
        const day = Date.parse(t.dataset.date + 'T00:00:00Z');
        const bar = [...document.querySelectorAll('#timeline rect.bar')].find((b) => {
          const w = Date.parse(b.dataset.week + 'T00:00:00Z');
          return w <= day && day < w + 7 * 86400000;
        });
        if (!bar) return null;
        const x = Number(t.getAttribute('x')), bx = Number(bar.getAttribute('x'));
        return [t.textContent, bx - 1 <= x && x <= bx + Number(bar.getAttribute('width')) + 1];
      })""")
    assert all(f is not None and f[1] for f in found), found
    labels = [f[0] for f in found]
    assert all(label[-4:].isdigit() for label in labels), labels  # "Jul 2017" or "2018"
    # The killed: every dated event's toll summed, the busiest week on the right axis.
    dated = [e for e in events if e["event_date"]]
    assert int(wide.get_attribute("#timeline", "data-killed")) == sum(
        e["fatalities"] or 0 for e in dated) > 0
    weekly: dict[str, int] = {}
    for e in dated:
        week = wide.evaluate("(d) => { const t = new Date(d + 'T00:00:00Z');"
                             " return new Date(t - ((t.getUTCDay() + 6) % 7) * 86400000)"
                             ".toISOString().slice(0, 10); }", e["event_date"])
        weekly[week] = weekly.get(week, 0) + (e["fatalities"] or 0)
    assert wide.locator("#timeline text.y-killed").text_content() == str(max(weekly.values()))
    assert wide.locator("#timeline polyline.deaths").count() == 1
    assert wide.locator("#timeline circle.deaths-dot").count() == sum(1 for v in weekly.values() if v)


# -- 4. downloads ----------------------------------------------------------------------

def test_downloads_carry_the_filters_and_only_parameters_export_declares(
        server: str, wide: Any) -> None:
    spec = httpx.get(server + "/openapi.json", timeout=30).json()
    declared = {p["name"] for p in spec["paths"]["/api/v1/export"]["get"]["parameters"]}
    _open(wide, server + "/?country=Iraq&event_type=Battles")
    total = int(wide.get_attribute("#events", "data-total"))
    assert total > 0
    for link, fmt in (("#download-csv", "acled-csv"), ("#download-geojson", "geojson")):
        href = wide.get_attribute(link, "href")
        parts = urlsplit(href)
        params = dict(parse_qsl(parts.query))
        assert parts.path == "/api/v1/export"
        assert params == {"format": fmt, "country": "Iraq", "event_type": "Battles"}
        assert set(params) <= declared
        resp = httpx.get(server + href, timeout=60)
        assert resp.status_code == 200, resp.text
        if fmt == "acled-csv":
            rows = list(csv.DictReader(io.StringIO(resp.text)))
            assert len(rows) == total and {r["country"] for r in rows} == {"Iraq"}
        else:
            features = json.loads(resp.text)["features"]
            assert len(features) == total
            assert {f["properties"]["event_type"] for f in features} == {"Battles"}


# -- 5. friendly errors ----------------------------------------------------------------

def test_a_bad_filter_reads_as_a_sentence_next_to_the_filters(server: str, wide: Any) -> None:
    _open(wide, server + "/?since=2019-05-01&until=2019-01-31")
    box = wide.locator("#filter-error")
    assert box.is_visible()
    text = box.inner_text()
    assert "2019-05-01" in text and "2019-01-31" in text and "after" in text
    assert "{" not in text and "422" not in text
    assert wide.get_attribute("#filters input[name=since]", "aria-invalid") == "true"
    assert wide.locator("#error").is_hidden()
    assert wide.get_attribute("#download-csv", "href") is None  # no download of nonsense
    # The message sits by the filters, above the map.
    assert _box(wide, "#filter-error")["y"] < _box(wide, "#map")["y"]

    wide.fill("#filters input[name=until]", "2019-12-31")
    wide.fill("#filters input[name=min_fatalities]", "-3")
    wide.click("#filters button[type=submit]")
    assert "Min. killed" in box.inner_text() and "0 or more" in box.inner_text()
    wide.fill("#filters input[name=min_fatalities]", "")
    wide.evaluate("document.body.dataset.loading = '1'")
    wide.click("#filters button[type=submit]")
    wide.wait_for_selector("body:not([data-loading='1'])", state="attached")
    assert box.is_hidden()

    # A date in the address that is no date is named, not silently dropped.
    _open(wide, server + "/?since=yesterday&country=Iraq")
    assert box.is_visible()
    assert "“From” in the address (yesterday) is not a date" in box.inner_text()
    wide.fill("#filters input[name=since]", "2017-01-01")
    wide.evaluate("document.body.dataset.loading = '1'")
    wide.click("#filters button[type=submit]")
    wide.wait_for_selector("body:not([data-loading='1'])", state="attached")
    assert box.is_hidden() and "since=2017-01-01" in wide.url

    # What only the API refuses (text longer than it takes) is shown the same way.
    _open(wide, server + "/?q=" + "x" * 201)
    assert box.is_visible()
    text = box.inner_text()
    assert text.startswith("These filters were refused") and "200 characters" in text
    assert "{" not in text and "422" not in text and "[" not in text
    assert wide.locator("#error").is_hidden()


# -- 7. dates at their precision -------------------------------------------------------

def test_year_and_month_dates_show_at_their_precision(
        server: str, events: list[dict[str, Any]], wide: Any) -> None:
    _open(wide, server + "/")
    for place, (date, precision, year) in CUT_DATES.items():
        ev = next(e for e in events if e["location"] == place)
        assert (ev["event_date"], ev["date_precision"]) == (date, precision)
        cell = wide.locator(f"#events tbody tr[data-event-id='{ev['event_id']}'] td.date a")
        text = cell.inner_text()
        assert date not in text and year in text
        if precision == "year":
            assert text == year
        else:
            assert text.startswith("Mar") and "-" not in text
        assert precision in (cell.get_attribute("title") or "")
    day = next(e for e in events if e["date_precision"] == "day" and e["event_date"])
    cell = wide.locator(f"#events tbody tr[data-event-id='{day['event_id']}'] td.date a")
    assert cell.inner_text() == day["event_date"]


# -- 6. layout -------------------------------------------------------------------------

def test_wide_legend_stands_beside_the_map_and_folds(server: str, wide: Any) -> None:
    _open(wide, server + "/")
    legend, body = wide.locator("#legend"), wide.locator("#legend-body")
    assert body.is_visible() and "Battles" in legend.inner_text()
    before, map_before = _box(wide, "#legend"), _box(wide, "#map")
    assert not _overlap(before, map_before) and before["x"] >= map_before["x"] + map_before["width"]
    wide.click("#legend summary")
    assert body.is_hidden()
    after = _box(wide, "#legend")
    assert after["height"] < before["height"] / 3 and after["width"] < before["width"]
    # The map takes the room back and redraws to fill it.
    assert _box(wide, "#map")["width"] > map_before["width"]
    assert _markers(wide) == int(wide.get_attribute("#map", "data-markers"))
    if os.environ.get("OPSROOM_SCREENSHOTS") == "1":
        wide.click("#legend summary")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        wide.screenshot(path=str(SCREENSHOTS / "map.png"))


@pytest.mark.parametrize("width", [800, 375])
def test_narrow_screens_keep_the_map_clear_and_every_column(
        server: str, browser: Any, width: int) -> None:  # noqa: F811
    pg = _page(browser, width, 812)
    try:
        _open(pg, server + "/")
        # Nothing pushes the page sideways; the filters wrap inside it.
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
        for label in pg.locator("#filters label").all():
            box = label.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        # The legend sits below the map, open, covering none of it.
        assert pg.locator("#legend-body").is_visible()
        legend, map_box = _box(pg, "#legend"), _box(pg, "#map")
        assert not _overlap(legend, map_box) and legend["y"] >= map_box["y"] + map_box["height"]
        # Every column is there: in view at 800 px, a sideways scroll away on a phone.
        scroller = pg.locator(".table-scroll")
        heads = pg.locator("#events thead th")
        assert heads.count() == 9
        view = _box(pg, ".table-scroll")
        if width >= 800:
            last = heads.last.bounding_box()
            assert last is not None and last["x"] + last["width"] <= view["x"] + view["width"] + 1
        else:
            assert pg.evaluate("(s) => s.scrollWidth > s.clientWidth", scroller.element_handle())
            scroller.evaluate("(s) => { s.scrollLeft = s.scrollWidth; }")
            last = heads.last.bounding_box()
            assert last is not None and last["x"] + last["width"] <= view["x"] + view["width"] + 1
            assert heads.last.inner_text() == "Sources"
            # The date column stays in view while the rest scrolls under it.
            first = heads.first.bounding_box()
            assert first is not None and first["x"] >= view["x"] - 1
        assert _markers(pg) == int(pg.get_attribute("#map", "data-markers"))
        if width == 375 and os.environ.get("OPSROOM_SCREENSHOTS") == "1":
            scroller.evaluate("(s) => { s.scrollLeft = 0; }")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            pg.screenshot(path=str(SCREENSHOTS / "map-phone.png"))
        assert pg.problems == [], pg.problems
    finally:
        pg.context.close()
