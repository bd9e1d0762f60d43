"""The API's interactive docs (``/docs``) and the security its OpenAPI document declares.

FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script;
here nothing loads from the internet and the Content-Security-Policy allows scripts from
this server only, so the page is opsroom's: Swagger UI vendored from npm
(``web/static/vendor/swagger-ui``, see its README) and started by a script file there.

The document names the bearer scheme of ``auth`` (``bearerAuth``): every write route
requires it (``require_writer`` declares it); read routes accept it, and require it when
the settings protect reads (``api_read_requires_token``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from importlib import resources
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from .auth import BEARER_SCHEME, require_reader
from .params import dependants

#: Where the vendored Swagger UI is served (the dashboard's static mount).
SWAGGER_STATIC = "/static/vendor/swagger-ui"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{static}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script src="{static}/swagger-initializer.js"></script>
</body>
</html>
"""


def swagger_available() -> bool:
    """Whether the vendored Swagger UI is installed (it ships with the dashboard)."""
    try:
        folder = resources.files("opsroom.web") / "static" / "vendor" / "swagger-ui"
    except ModuleNotFoundError:
        return False
    return folder.is_dir() and (folder / "swagger-ui-bundle.js").is_file()


def docs_router(title: str, openapi_url: str) -> APIRouter:
    """The ``/docs`` page: Swagger UI on ``openapi_url``, from this server only."""
    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        """Swagger UI for the API (behind a proxy, under its root path)."""
        root = request.scope.get("root_path", "").rstrip("/")
        return HTMLResponse(_PAGE.format(title=escape(title), static=escape(root + SWAGGER_STATIC),
                                         openapi=escape(root + openapi_url)))

    return router


def _reads(router: APIRouter, prefix: str) -> Iterator[tuple[str, str]]:
    """(path, method) of each documented route of ``router`` that takes a reader's token."""
    shared = any(d.dependency is require_reader for d in router.dependencies)
    for route in router.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        if shared or any(d.call is require_reader for d in dependants(route.dependant)):
            for method in route.methods or ():
                yield prefix + route.path_format, method.lower()


def declare_read_security(app: FastAPI, routers: Iterable[APIRouter], prefix: str,
                          reads_need_token: bool) -> None:
    """Make the app's OpenAPI document say how the reads of ``routers`` (included under
    ``prefix``) are authenticated.

    Writes declare ``bearerAuth`` through their dependency; the reads' dependency
    (``require_reader``) takes a token only when one is shown, which a dependency cannot
    declare, so the document is completed once, when first built: an optional token
    (``[{}, {bearerAuth: []}]``), or a required one when the settings protect reads.
    """
    build = app.openapi
    reads = [op for router in routers for op in _reads(router, prefix)]
    requirement: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]
    if not reads_need_token:
        requirement = [{}, *requirement]

    def openapi() -> dict[str, Any]:
        """The document FastAPI builds, completed with the read routes' security."""
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes.setdefault(BEARER_SCHEME, {"type": "http", "scheme": "bearer"})
        for path, method in reads:
            operation = schema["paths"].get(path, {}).get(method)
            if operation is not None and "security" not in operation:
                operation["security"] = requirement
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
