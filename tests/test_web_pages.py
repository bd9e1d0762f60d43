"""Dashboard pages as HTML: served, escaped, no inline script, assets vendored; the 404
page; the what-changed view and the analysis under it.

``desk_documents`` is the record the page tests (here and in ``test_e2e_pages``) run on:
stored as the pipeline stores articles and merged, no spaCy pass, so it costs a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from opsroom.analysis.trends import province_changes, weekly_change
from opsroom.api import create_app
from opsroom.config import Settings
from opsroom.knowledge import Knowledge
from opsroom.merge import merge_all
from opsroom.models import Claim, Document, Event, Source
from opsroom.store import Store
from opsroom.web import CSP, STATIC_DIR

from .test_export import make_article, sample_documents, store_documents

# -- the record the pages are tested on ---------------------------------------------------

#: A sentence the Iraqi government denies (Arab News, 28 Oct 2017, as ``test_export``).
DENIED = ("Iraqi officials denied reports that three civilians were killed when the army "
          "shelled al-Qaim on Friday.")
REUTERS_URL = "https://www.reuters.com/article/us-mideast-crisis-syria-coalition/strike"
#: The last day of the week the what-changed view reads by default: the latest event.
LAST_DAY = dt.date(2018, 1, 24)

# A wire digest of a month in Iraq and Syria (week ending 24 Jan 2018 and the four weeks
# before), one event per sentence: (sentence, date, precision, province, country, place,
# lat, lon, type, sub-type, actor1, actor2, killed, claimant).
DIGEST = [
    ("A roadside bomb killed five civilians near Ramadi on Friday, police said.",
     "2018-01-19", "day", "Anbar", "Iraq", "Ramadi", 33.42, 43.30,
     "Explosions/Remote violence", "Remote explosive/landmine/IED", "Islamic State",
     "Civilians (Iraq)", 5, "police"),
    ("Two soldiers were killed in a clash with Islamic State remnants near al-Qaim on "
     "Sunday, the army said.", "2018-01-21", "day", "Anbar", "Iraq", "Al Qā’im", 34.37, 41.09,
     "Battles", "Armed clash", "Military Forces of Iraq", "Islamic State", 2,
     "Military Forces of Iraq"),
    ("Security forces arrested eleven suspected militants in Hit on Tuesday, the interior "
     "ministry said.", "2018-01-23", "day", "Anbar", "Iraq", "Hīt", 33.64, 42.83,
     "Strategic developments", "Arrests", "Military Forces of Iraq", None, None,
     "Government of Iraq"),
    ("A bomb went off in a market in west Mosul on Saturday without causing casualties, a "
     "police officer said.", "2018-01-20", "day", "Nineveh", "Iraq", "Mosul", 36.34, 43.13,
     "Explosions/Remote violence", "Remote explosive/landmine/IED", None, None, 0,
     "a police officer"),
    ("Gunmen killed four members of one family in Fallujah last week, a local official said.",
     "2018-01-02", "week", "Anbar", "Iraq", "Fallujah", 33.35, 43.78,
     "Violence against civilians", "Attack", "Islamic State", "Civilians (Iraq)", 4,
     "a local official"),
    ("Three militants were killed in a clash with police near Tal Afar on Sunday, police said.",
     "2017-12-24", "day", "Nineveh", "Iraq", "Tall ‘Afar", 36.38, 42.45, "Battles",
     "Armed clash", "Police Forces of Iraq", "Islamic State", 3, "police"),
    ("A roadside bomb killed three soldiers near Qayyarah on Monday, the army said.",
     "2018-01-01", "day", "Nineveh", "Iraq", "Qayyarah", 35.80, 43.29,
     "Explosions/Remote violence", "Remote explosive/landmine/IED", "Islamic State",
     "Military Forces of Iraq", 3, "Military Forces of Iraq"),
    ("Police arrested a suspected Islamic State recruiter in Sinjar on Monday, police said.",
     "2018-01-08", "day", "Nineveh", "Iraq", "Sinjar", 36.32, 41.87, "Strategic developments",
     "Arrests", "Police Forces of Iraq", None, None, "police"),
    ("Gunmen kidnapped a local official in east Mosul on Monday, a police source said.",
     "2018-01-15", "day", "Nineveh", "Iraq", "Mosul", 36.36, 43.18,
     "Violence against civilians", "Abduction/forced disappearance", None, "Civilians (Iraq)",
     None, "a police source"),
    ("Coalition air strikes killed ten Islamic State fighters near Albu Kamal on Thursday, "
     "the coalition said.", "2017-12-28", "day", "Deir ez-Zor", "Syria", "Abu Kamāl", 34.45,
     40.92, "Explosions/Remote violence", "Air/drone strike", "U.S.-led Coalition",
     "Islamic State", 10, "U.S.-led Coalition"),
    ("Shelling killed two people in Mayadin on Wednesday, a war monitor said.",
     "2018-01-10", "day", "Deir ez-Zor", "Syria", "Al Mayādīn", 35.02, 40.45,
     "Explosions/Remote violence", "Shelling/artillery/missile attack",
     "Military Forces of Syria", "Civilians (Syria)", 2, "Syrian Observatory for Human Rights"),
    ("Thousands of displaced families returned to Hawija in January, the United Nations said.",
     "2018-01-01", "month", "Kirkuk", "Iraq", "Al Ḩawījah", 35.33, 43.78,
     "Strategic developments", "Other", None, None, None, "United Nations"),
]
#: Why each date, as the date resolver words it for the digest's expressions.
REASONS = {"day": "weekday named: the last such day before publication",
           "week": "'last week': the week before publication",
           "month": "month named without a day"}
#: The Syrian army's denial of the Mayadin shelling, told after it in the digest.
SYRIA_DENIES = "The Syrian army denied shelling the town."
#: A second outlet telling the Ramadi bombing: the merge makes one event of two reports.
AFP_RAMADI = ("RAMADI, Iraq (AFP) - A bomb planted by the roadside near Ramadi killed five "
              "civilians on Friday, police said, in the deadliest attack in Anbar this month.")


def _id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _source(text: str, article_id: str, sentence: str, claimant: str | None,
            stance: str = "asserts") -> Source:
    start = text.index(sentence)
    return Source(article_id, sentence, start, start + len(sentence), claimant, stance)  # type: ignore[arg-type]


def desk_documents() -> list[Document]:
    """Five articles and seventeen events: ``test_export``'s two articles (a strike with
    disputed figures, a town retaken, history told as of 2014, a denied killing), a wire
    digest of a month of events in four provinces (one dated only to its month, one
    denied), and a second outlet's report of the Ramadi bombing, which the merge joins."""
    reuters, arab_news = sample_documents(extra_sentence=DENIED)
    reuters = replace(reuters, article=replace(reuters.article, url=REUTERS_URL))
    # A stored address that is not a web address must never become a link.
    arab_news = replace(arab_news, article=replace(arab_news.article, url="javascript:alert(1)"))
    text = "\n\n".join([row[0] for row in DIGEST] + [SYRIA_DENIES])
    digest = make_article(text, "Iraq Security Digest", dt.date(2018, 1, 26),
                          "A month of attacks in Iraq and Syria")
    digest = replace(digest, url="https://example.org/digest/2018-01-26")
    events = []
    for (sentence, day, precision, admin1, country, place, lat, lon, etype, sub, actor1,
         actor2, killed, claimant) in DIGEST:
        src = _source(text, digest.id, sentence, claimant)
        claims = ([Claim(claimant, "asserts", "fatalities", killed, sentence, src.start, src.end,
                         digest.id)] if killed is not None else [])
        sources = [src]
        if sentence.startswith("Shelling killed"):
            sources.append(_source(text, digest.id, SYRIA_DENIES, "Military Forces of Syria",
                                   "denies"))
        events.append(Event(
            event_id=_id(digest.id, sentence), event_type=etype, sub_event_type=sub,
            event_date=dt.date.fromisoformat(day), date_precision=precision,
            date_reason=REASONS[precision], actor1=actor1, actor2=actor2,
            location=place, admin1=admin1, country=country, latitude=lat, longitude=lon,
            geo_precision=1, fatalities=killed, fatalities_low=killed, fatalities_high=killed,
            sources=sources, claims=claims))
    afp = make_article(AFP_RAMADI, "AFP", dt.date(2018, 1, 20), "Roadside bomb kills five near Ramadi")
    ramadi = replace(events[0], event_id=_id(afp.id, AFP_RAMADI),
                     sources=[_source(AFP_RAMADI, afp.id, AFP_RAMADI, "police")],
                     claims=[Claim("police", "asserts", "fatalities", 5, AFP_RAMADI, 0,
                                   len(AFP_RAMADI), afp.id)])
    return [reuters, arab_news, Document(digest, [], events, []), Document(afp, [], [ramadi], [])]


def desk_store(url: str) -> Store:
    """A store holding ``desk_documents``, merged as ``opsroom merge`` merges."""
    store = Store.open(url)
    store_documents(store, desk_documents())
    knowledge = Knowledge()
    merge_all(store, knowledge.actors, knowledge.merge_rules)
    return store


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = desk_store(f"sqlite:///{tmp_path_factory.mktemp('desk') / 'opsroom.db'}")
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(desk: Store) -> Iterator[TestClient]:
    settings = Settings(database_url=str(desk.engine.url), api_rate_per_minute=0)
    with TestClient(create_app(settings, desk)) as c:
        yield c


def ids(client: TestClient) -> dict[str, str]:
    """An event, an article and an actor of the record, for the page addresses."""
    event = client.get("/api/v1/events", params={"per_page": 1}).json()["items"][0]
    return {"event": event["event_id"], "article": event["sources"][0]["article_id"],
            "actor": "islamic_state"}


def pages(client: TestClient) -> list[str]:
    known = ids(client)
    return ["/", f"/events/{known['event']}", f"/actors/{known['actor']}",
            f"/articles/{known['article']}", "/control", "/ingest", "/what-changed"]


PAGE_NAMES = ["map", "event", "actor", "article", "control", "ingest", "changes"]


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


def _path(client: TestClient, name: str) -> str:
    return dict(zip(PAGE_NAMES, pages(client), strict=True))[name]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_is_served_with_a_strict_csp(client: TestClient, name: str) -> None:
    resp = client.get(_path(client, name))
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    csp = resp.headers["content-security-policy"]
    assert csp == CSP
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("name", [*PAGE_NAMES, "404"])
def test_page_has_no_inline_script_handler_or_style(client: TestClient, name: str) -> None:
    path = "/no/such/page" if name == "404" else _path(client, name)
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


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_asset_a_page_names_is_served(client: TestClient, name: str) -> None:
    parsed = _parse(client.get(_path(client, name)).text)
    assets = [a.get("src") or a.get("href") for t, a in parsed.tags if t in ("script", "link")]
    assert "/static/css/pages.css" in assets
    for asset in assets:
        assert asset
        resp = client.get(asset)
        assert resp.status_code == 200, asset
        assert len(resp.content) > 100, asset


def test_ids_in_the_url_are_escaped_into_the_page(client: TestClient) -> None:
    evil = '"><img src=x onerror=alert(1)>'
    resp = client.get("/events/" + evil)
    assert resp.status_code == 404
    assert "<img src=x" not in resp.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in resp.text


# -- the 404 page -----------------------------------------------------------------------------


def _notice(html: str) -> str:
    """The text of the page's notice, whitespace folded."""
    found = re.search(r'<section class="notice" id="notice">(.*?)</section>', html, re.S)
    assert found, html[:500]
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize(("path", "says"), [
    ("/events/0000000000000000", "There is no event with id “0000000000000000”."),
    ("/actors/no_such_actor", "There is no actor with id “no_such_actor”."),
    ("/articles/ffffffffffff", "There is no article with id “ffffffffffff”."),
    ("/events/bad%20id", "There is no event with id “bad id”."),
    ("/no/such/page", "There is no page at “/no/such/page”."),
    ("/eventz", "There is no page at “/eventz”."),
])
def test_an_unknown_record_or_address_gets_the_404_page(client: TestClient, path: str,
                                                         says: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.headers["content-type"].startswith("text/html")
    assert resp.headers["content-security-policy"] == CSP
    notice = _notice(resp.text)
    assert notice.startswith("Not found " + says)
    links = {a["href"] for t, a in _parse(resp.text).tags if t == "a"}
    assert {"/", "/what-changed", "/control"} <= links


def test_the_404_page_leaves_the_api_and_static_files_alone(client: TestClient) -> None:
    """The API keeps its JSON 404, static files theirs; a trailing slash still redirects;
    only GET is taken."""
    api = client.get("/api/v1/nope")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert client.get("/static/none.js").status_code == 404
    assert client.get("/static/none.js").headers["content-type"].startswith("application/json")
    assert client.get("/control/", follow_redirects=False).status_code in (307, 308)
    assert client.post("/no/such/page").status_code in (404, 405)
    assert "text/html" not in client.post("/no/such/page").headers.get("content-type", "")
    assert client.get("/openapi.json").status_code == 200


def test_a_route_added_after_the_dashboard_still_answers(desk: Store) -> None:
    """The 404 page yields to any route the app has, even one added later."""
    settings = Settings(database_url=str(desk.engine.url), api_rate_per_minute=0)
    app = create_app(settings, desk)

    @app.get("/late")  # type: ignore[untyped-decorator]
    def late() -> dict[str, bool]:
        return {"late": True}

    with TestClient(app) as c:
        assert c.get("/late").json() == {"late": True}
        assert c.get("/later").status_code == 404


def test_pages_need_no_existence_check_when_reads_need_a_token(desk: Store) -> None:
    """With reads behind a token the page cannot tell an unknown id (its script shows the
    API's 401); the what-changed view, which reads the store, asks for the token."""
    settings = Settings(database_url=str(desk.engine.url), api_tokens="r:read-secret",
                        api_read_requires_token=True, api_rate_per_minute=0)
    with TestClient(create_app(settings, desk)) as c:
        assert c.get("/events/0000000000000000").status_code == 200
        refused = c.get("/what-changed")
        assert refused.status_code == 401 and "API token" in _notice(refused.text)
        allowed = c.get("/what-changed", headers={"Authorization": "Bearer read-secret"})
        assert allowed.status_code == 200 and 'id="changes"' in allowed.text


# -- what changed ------------------------------------------------------------------------------


def _rows(html: str) -> list[list[str]]:
    """The what-changed table's body, one list of cell texts per province."""
    body = html[html.index('<table id="changes">'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", c).split())
             for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def test_weekly_change_compares_the_last_week_with_the_four_before(desk: Store) -> None:
    result = province_changes(desk)
    assert result.week_end == LAST_DAY
    assert (result.week_start, result.baseline_start, result.baseline_end) == (
        dt.date(2018, 1, 18), dt.date(2017, 12, 21), dt.date(2018, 1, 17))
    by_place = {(r.country, r.admin1): r for r in result.rows}
    anbar = by_place[("Iraq", "Anbar")]
    # Three events (5 + 2 killed, an arrest without a toll) against one (4 killed) in four
    # weeks; the Ramadi bombing, told by two outlets, counts once.
    assert (anbar.events, anbar.fatalities) == (3, 7)
    assert (anbar.events_before, anbar.fatalities_before) == (0.25, 1.0)
    assert (anbar.events_change, anbar.fatalities_change) == (2.75, 6.0)
    nineveh = by_place[("Iraq", "Nineveh")]
    assert (nineveh.events, nineveh.events_before, nineveh.fatalities_change) == (1, 1.0, -1.5)
    deir = by_place[("Syria", "Deir ez-Zor")]
    assert (deir.events, deir.events_change, deir.fatalities_change) == (0, -0.5, -3.0)
    # The strike located only to Syria has no province; Kirkuk's return, dated only to
    # January, cannot be placed in a week.
    assert ("Syria", None) in by_place and ("Iraq", "Kirkuk") not in by_place
    assert result.left_out == 1
    assert [(r.country, r.admin1) for r in result.rows] == [
        ("Iraq", "Anbar"), ("Syria", None), ("Iraq", "Nineveh"), ("Syria", "Deir ez-Zor")]
    by_deaths = province_changes(desk, by="fatalities")
    assert [(r.country, r.admin1) for r in by_deaths.rows] == [
        ("Syria", None), ("Iraq", "Anbar"), ("Iraq", "Nineveh"), ("Syria", "Deir ez-Zor")]


def test_weekly_change_on_a_chosen_date_and_country(desk: Store) -> None:
    earlier = province_changes(desk, dt.date(2018, 1, 10), country="Syria")
    assert earlier.week_end == dt.date(2018, 1, 10)
    assert [(r.admin1, r.events, r.events_before) for r in earlier.rows] == [
        ("Deir ez-Zor", 1, 0.25)]
    assert province_changes(desk, country="Lebanon").week_end is None
    assert weekly_change([]).rows == []
    with pytest.raises(ValueError, match="unknown sort"):
        weekly_change([], by="deaths")


def test_changes_page_renders_the_table_sorted_with_bars(client: TestClient) -> None:
    resp = client.get("/what-changed")
    assert resp.status_code == 200
    assert "2018-01-18 – 2018-01-24" in resp.text
    rows = _rows(resp.text)
    assert [r[0] for r in rows] == ["Anbar", "province unknown", "Nineveh", "Deir ez-Zor"]
    assert rows[0][1:] == ["Iraq", "3", "0.25", "▲ +2.8", "7", "1.00", "▲ +6.0"]
    assert rows[3][4] == "▼ -0.5"
    assert resp.text.count('class="bar-up"') >= 3 and 'class="bar-down"' in resp.text
    # The largest change fills half the bar; the province links to its week on the map.
    assert 'class="bar-up" x="0" y="2" width="50.0"' in resp.text
    assert "/?since=2018-01-18&amp;until=2018-01-24&amp;country=Iraq&amp;admin1=Anbar" in resp.text
    assert "dated only to the month or the year" in resp.text
    deaths = _rows(client.get("/what-changed", params={"by": "fatalities"}).text)
    assert [r[0] for r in deaths] == ["province unknown", "Anbar", "Nineveh", "Deir ez-Zor"]


@pytest.mark.parametrize(("params", "says"), [
    ({"on": "2018-13-01"}, "“2018-13-01” is not a date"),
    ({"by": "mood"}, "“mood” is not a way to sort"),
    ({"country": "x" * 200}, "at most 120 characters"),
])
def test_changes_page_says_what_is_wrong_with_its_form(client: TestClient, params: dict[str, str],
                                                       says: str) -> None:
    resp = client.get("/what-changed", params=params)
    assert resp.status_code == 422
    problem = re.search(r'<p id="changes-problem"[^>]*>(.*?)</p>', resp.text, re.S)
    assert problem and says in problem.group(1).replace("&#34;", '"')
    assert "\n" not in problem.group(1).strip()


def test_changes_page_with_nothing_to_show(client: TestClient) -> None:
    resp = client.get("/what-changed", params={"country": "Lebanon"})
    assert resp.status_code == 200
    assert 'id="changes-empty"' in resp.text and "in Lebanon" in resp.text


# -- the article's events ------------------------------------------------------------------------


def test_article_events_are_served_in_the_order_the_article_tells_them(client: TestClient) -> None:
    digest = next(a for a in client.get("/api/v1/articles", params={"per_page": 50}).json()["items"]
                  if a["source"] == "Iraq Security Digest")
    events = client.get(f"/api/v1/articles/{digest['id']}/events").json()
    assert len(events) == len(DIGEST)
    firsts = [min(s["start"] for s in e["sources"] if s["article_id"] == digest["id"])
              for e in events]
    assert firsts == sorted(firsts)
    ramadi = events[0]
    assert ramadi["merged"] and ramadi["n_articles"] == 2
    assert {s["article_id"] for s in ramadi["sources"]} - {digest["id"]}
    denied = [s for e in events for s in e["sources"] if s["stance"] == "denies"]
    assert [s["sentence"] for s in denied] == [SYRIA_DENIES]
    assert client.get("/api/v1/articles/ffffffffffff/events").status_code == 404
    assert client.get("/api/v1/articles/bad%20id/events").status_code == 422


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
