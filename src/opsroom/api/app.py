"""The web service: ``create_app`` builds the FastAPI app (REST under ``/api/v1`` plus the
dashboard at ``/``), opening nothing until it is called.

What routes find on ``app.state``: ``settings`` (Settings), ``knowledge`` (Knowledge, built
from the settings: the user's actor and place files hold in every route), ``store``
(Store), ``tokens`` (TokenChecker), ``jobs`` (JobRunner), ``limiter`` (RateLimiter),
``pages`` (PageCache).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Settings, resolve_settings
from ..errors import OpsroomError
from ..knowledge import Knowledge
from ..store import Store
from . import (
    routes_actors,
    routes_analysis,
    routes_articles,
    routes_changes,
    routes_events,
    routes_export,
    routes_ingest,
)
from .auth import TokenChecker, require_reader
from .cache import PageCache
from .docs import declare_read_security, docs_router, swagger_available
from .jobs import JobRunner
from .middleware import BodySizeLimit, QueryGuard, SecurityHeaders
from .params import reject_unknown_query
from .ratelimit import RateLimiter

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


def _where(loc: Any) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "body", "header"):
        kind = {"query": "query parameter", "path": "path parameter", "body": "body",
                "header": "header"}[parts[0]]
        rest = ".".join(parts[1:])
        return f"{kind} {rest!r}" if rest else kind
    return ".".join(parts) or "request"


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with one readable sentence per problem, and the structured list beside it."""
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
              for e in exc.errors()]
    message = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
    return JSONResponse({"detail": message, "errors": errors}, status_code=422)


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def _opsroom_error(_request: Request, exc: OpsroomError) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=400)


def _mount_dashboard(app: FastAPI) -> None:
    """The dashboard (``opsroom.web``) when it is installed: its router and static files."""
    try:
        from ..web import routes as web_routes
    except ImportError as exc:
        if exc.name and exc.name.startswith("opsroom.web"):
            return
        raise
    router = getattr(web_routes, "router", None)
    if router is not None:
        app.include_router(router)
    static = resources.files("opsroom.web") / "static"
    if static.is_dir() and not any(getattr(r, "path", None) == "/static" for r in app.routes):
        from fastapi.staticfiles import StaticFiles

        app.mount("/static", StaticFiles(directory=str(static)), name="static")


#: Request handlers running at once in one server process.
HANDLER_THREADS = 4


def create_app(settings: Settings | None = None, store: Store | None = None,
               recover_jobs: bool = True) -> FastAPI:
    """The opsroom web app on ``store`` (opened from ``settings.database_url`` when None).

    A store opened here is closed when the app shuts down; a given one is the caller's.
    ``recover_jobs`` marks jobs a previous server left unfinished as failed: the one
    process serving does it, not each of several workers (they would fail each other's).
    """
    settings = settings or resolve_settings()
    owned = store is None
    store = store or Store.open(settings.database_url)
    knowledge = Knowledge.from_settings(settings)
    jobs = JobRunner(store, settings, knowledge)
    if recover_jobs:
        jobs.recover()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Cap the handler threads at start; at shutdown stop the job runner and close the
        store if this app opened it (a store passed in stays the caller's)."""
        # Request handlers run in worker threads that share one interpreter lock: forty
        # at once (anyio's default) spend the CPU switching between each other.  A few
        # run at a time; the rest wait in the event loop at no cost (bench/api_latency.py).
        anyio.to_thread.current_default_thread_limiter().total_tokens = HANDLER_THREADS
        yield
        jobs.stop()
        if owned:
            store.close()

    app = FastAPI(
        title="opsroom",
        summary="Sourced, geocoded conflict events from war reporting",
        version="1",
        openapi_url="/openapi.json",
        # FastAPI's docs page loads scripts from a CDN: ``/docs`` is opsroom's (``docs``).
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    # The dashboard's server-rendered pages check reads as the API does; handed over here
    # so that the dashboard imports nothing of the API, which mounts it.
    app.state.require_reader = require_reader
    app.state.knowledge = knowledge
    app.state.store = store
    app.state.tokens = TokenChecker.from_settings(settings, store)
    app.state.jobs = jobs
    app.state.limiter = RateLimiter(settings.api_rate_per_minute, settings.api_rate_burst)
    app.state.pages = PageCache()

    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(OpsroomError, _opsroom_error)  # type: ignore[arg-type]

    routers = [module.router for module in (routes_articles, routes_events, routes_changes,
                                            routes_actors, routes_analysis, routes_export,
                                            routes_ingest)]
    for router in routers:
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(reject_unknown_query)])
    _mount_dashboard(app)
    if swagger_available():
        app.include_router(docs_router(app.title, app.openapi_url or "/openapi.json"))
    declare_read_security(app, routers, API_PREFIX, settings.api_read_requires_token)

    origins = [o.strip() for o in settings.api_cors_origins.split(",") if o.strip()]
    if origins:  # CORS stays off unless origins are configured
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodySizeLimit, limit=int(settings.api_max_body_mb * 2**20))
    app.add_middleware(QueryGuard)
    app.add_middleware(SecurityHeaders)
    return app


def create_worker_app() -> FastAPI:
    """The app of one of several server processes (``opsroom serve --workers N``), its
    settings from the environment; the parent process has recovered the jobs."""
    return create_app(recover_jobs=False)
