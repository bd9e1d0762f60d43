"""Dashboard pages: thin HTML shells; the scripts in ``static/js`` fill them from the API.

The pages hold no data of their own (the API is the one reader of the store), so a page
never renders article text on the server; the scripts write it with ``textContent``.
Every page is sent with a Content-Security-Policy that forbids inline script.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"

#: Same-origin everything, no inline script or style, no plugins, no framing. Leaflet
#: positions its panes through the CSSOM (``element.style``), which this policy allows.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    """The template environment; autoescape is on for every template, whatever its name."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _page(template: str, request: Request, **context: object) -> HTMLResponse:
    html = _env().get_template(template).render(path=request.url.path, **context)
    return HTMLResponse(html, headers={
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    })


@router.get("/", response_class=HTMLResponse)
def index_page(request: Request) -> HTMLResponse:
    """Map, timeline, filters and the event table."""
    return _page("index.html", request, title="Events")


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    """One event, each source sentence highlighted in its article."""
    return _page("event.html", request, title="Event", event_id=event_id)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(request: Request, actor_id: str) -> HTMLResponse:
    """One actor: aliases, relations with their evidence, events."""
    return _page("actor.html", request, title="Actor", actor_id=actor_id)


@router.get("/control", response_class=HTMLResponse)
def control_page(request: Request) -> HTMLResponse:
    """Who held what on a chosen date."""
    return _page("control.html", request, title="Control")


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request) -> HTMLResponse:
    """Paste an article or upload files; follow the job."""
    return _page("ingest.html", request, title="Ingest")


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
