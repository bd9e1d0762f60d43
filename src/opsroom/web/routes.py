"""Dashboard pages: thin HTML shells; the scripts in ``static/js`` fill them from the API.

The API is the one reader of the store for what a page shows, so a page never renders
article text on the server; the scripts write it with ``textContent``.  The server reads
the store itself for two things only: whether the record a page is about exists (a page
for an unknown event, actor or article is a real 404, not an empty shell), and the
"what changed" table, which it renders from ``analysis.trends.province_changes``.
Every page is sent with a Content-Security-Policy that forbids inline script.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from ..analysis.trends import ProvinceChange, WeeklyChange, province_changes
from ..models import RECORD_ID_PATTERN as ID_PATTERN
from ..store.query import get_view_event

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"

#: Same-origin everything, no inline script or style, no plugins, no framing. Leaflet
#: positions its panes through the CSSOM (``element.style``), which this policy allows.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

#: Paths the dashboard never answers for: the REST API's (its 404s are JSON) and the
#: static files' (their mount answers, after the dashboard's routes).
NOT_PAGES = ("/api/", "/static/")
#: Longest country name a filter takes, as the API's ``Name`` parameters.
MAX_NAME = 120

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    """The template environment; autoescape is on for every template, whatever its name."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _page(template: str, request: Request, status_code: int = 200,
          **context: object) -> HTMLResponse:
    html = _env().get_template(template).render(path=request.url.path,
                                                status_code=status_code, **context)
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    })


def error_page(request: Request, status_code: int, heading: str, message: str) -> HTMLResponse:
    """A page that says what went wrong and links back, with the status it stands for."""
    return _page("error.html", request, status_code=status_code, title=heading,
                 heading=heading, message=message)


def not_found_page(request: Request, message: str) -> HTMLResponse:
    """The 404 page: what was not found, and the ways back into the dashboard."""
    return error_page(request, 404, "Not found", message)


def _exists(request: Request, kind: str, ident: str) -> bool:
    """Whether the event, actor or article a page is about is in the record.

    Ids that cannot name a record (the API's ``ID_PATTERN``) exist nowhere.  Where reads
    need a token the page cannot tell: its script asks the API, whose 401 it shows.
    """
    if not re.fullmatch(ID_PATTERN, ident):
        return False
    state = request.app.state
    if state.settings.api_read_requires_token:
        return True
    if kind == "event":
        return get_view_event(state.store, ident) is not None
    if kind == "actor":
        return ident in state.knowledge.actors
    return state.store.get_article(ident) is not None


@router.get("/", response_class=HTMLResponse)
def index_page(request: Request) -> HTMLResponse:
    """Map, timeline, filters and the event table."""
    return _page("index.html", request, title="Events")


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    """One event, each source sentence highlighted in its article, linked to it."""
    if not _exists(request, "event", event_id):
        return not_found_page(request, f"There is no event with id “{event_id}”.")
    return _page("event.html", request, title="Event", event_id=event_id)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str) -> HTMLResponse:
    """One actor: aliases, relations with their evidence, events."""
    if not _exists(request, "actor", actor_id):
        return not_found_page(request, f"There is no actor with id “{actor_id}”.")
    return _page("actor.html", request, title="Actor", actor_id=actor_id)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    """One article: its text with every sentence behind an event marked, and its events."""
    if not _exists(request, "article", article_id):
        return not_found_page(request, f"There is no article with id “{article_id}”.")
    return _page("article.html", request, title="Article", article_id=article_id)


@router.get("/control", response_class=HTMLResponse)
def control_page(request: Request) -> HTMLResponse:
    """Who held what on a chosen date."""
    return _page("control.html", request, title="Control")


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request) -> HTMLResponse:
    """Paste an article or upload files; follow the job."""
    return _page("ingest.html", request, title="Ingest")


# -- what changed ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    """One province's row of the what-changed table, with its bars' lengths (percent of
    half the bar's width, the largest change in the table filling it) and whether the
    change it is sorted on is a rise, a fall or flat."""

    row: ProvinceChange
    events_bar: float
    fatalities_bar: float
    direction: str


def _bar(change: float, largest: float) -> float:
    return round(50 * abs(change) / largest, 1) if largest else 0.0


def _direction(change: float) -> str:
    return "rise" if change > 0 else "fall" if change < 0 else "flat"


def _change_rows(result: WeeklyChange, by: str) -> list[ChangeRow]:
    top_events = max((abs(r.events_change) for r in result.rows), default=0.0)
    top_deaths = max((abs(r.fatalities_change) for r in result.rows), default=0.0)
    return [ChangeRow(r, _bar(r.events_change, top_events), _bar(r.fatalities_change, top_deaths),
                      _direction(r.events_change if by == "events" else r.fatalities_change))
            for r in result.rows]


def _parse_changes_query(on: str | None, country: str | None,
                         by: str | None) -> tuple[dt.date | None, str | None, str]:
    """The what-changed form's fields, checked; a bad one raises ValueError saying which."""
    day = None
    if on and on.strip():
        try:
            day = dt.date.fromisoformat(on.strip())
        except ValueError:
            raise ValueError(f"“{on}” is not a date: give the week's last day as "
                             "YYYY-MM-DD") from None
    name = country.strip() if country and country.strip() else None
    if name is not None and len(name) > MAX_NAME:
        raise ValueError(f"a country name has at most {MAX_NAME} characters")
    order = by or "events"
    if order not in ("events", "fatalities"):
        raise ValueError(f"“{by}” is not a way to sort: events or fatalities")
    return day, name, order


@router.get("/what-changed", response_class=HTMLResponse)
def changes_page(request: Request, on: str | None = None, country: str | None = None,
                 by: str | None = None) -> HTMLResponse:
    """What changed: per province, the last week's events and deaths against the mean of
    the four weeks before (ACLED's early-warning view), largest rise first.

    The week ends on ``on`` or on the latest event date; ``country`` narrows it, ``by``
    (events or fatalities) picks the change it is sorted on.  Rendered here from the
    analysis, as reads of the API are: open, or with a reader's token, rate-limited.
    """
    try:
        request.app.state.require_reader(request)
    except HTTPException as exc:
        return error_page(request, exc.status_code, "Cannot show what changed", str(exc.detail))
    form = {"on": on or "", "country": country or "", "by": by or "events"}
    try:
        day, name, order = _parse_changes_query(on, country, by)
    except ValueError as exc:
        return _page("changes.html", request, status_code=422, title="What changed",
                     form=form, problem=str(exc), result=None, rows=[])
    result = province_changes(request.app.state.store, day, name, order)
    return _page("changes.html", request, title="What changed", form=form, problem=None,
                 result=result, rows=_change_rows(result, order))


@router.get("/basemap/countries.geojson")
def countries_geojson() -> Response:
    """The country outlines shipped for the situation report, reused under the map.

    An empty collection when the file is absent, so the map still draws its events.
    """
    body = _countries_bytes()
    return Response(body, media_type="application/geo+json",
                    headers={"Cache-Control": "public, max-age=86400"})


@lru_cache(maxsize=1)
def _countries_bytes() -> bytes:
    ref = resources.files("opsroom.data").joinpath("basemap", "middle_east.geojson")
    try:
        return ref.read_bytes()
    except (FileNotFoundError, OSError):
        return b'{"type":"FeatureCollection","features":[]}'


# -- unknown addresses -------------------------------------------------------------------


class _Fallback(APIRoute):
    """A route that takes a page request only when nothing else in the app would.

    The app answers an unknown address with its JSON 404; a reader who followed a stale
    link should get the dashboard's 404 page instead.  Routes are tried in order and the
    app adds the static files (and may add routes) after this router, so the route asks
    every route of the app first and declines when any would answer the path, or the
    path with its trailing slash toggled (which the router redirects).  Only GET and HEAD
    outside ``NOT_PAGES`` are taken.
    """

    _PROBE = "opsroom.fallback_probe"

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope.get(self._PROBE)
                or scope.get("method") not in ("GET", "HEAD") or path.startswith(NOT_PAGES)):
            return Match.NONE, {}
        app = scope.get("app")
        routes = getattr(getattr(app, "router", None), "routes", [])
        toggled = path.rstrip("/") if path.endswith("/") and path != "/" else path + "/"
        for probe_path in (path, toggled):
            probe = {**scope, "path": probe_path, self._PROBE: True}
            if any(route.matches(probe)[0] != Match.NONE for route in routes):
                return Match.NONE, {}
        return super().matches(scope)


def _unknown_address(request: Request) -> HTMLResponse:
    """The 404 page for an address the dashboard does not have."""
    return not_found_page(request, f"There is no page at “{request.url.path}”.")


router.add_api_route("/{rest:path}", _unknown_address, methods=["GET"],
                     response_class=HTMLResponse, include_in_schema=False,
                     route_class_override=_Fallback)
