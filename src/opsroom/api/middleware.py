"""ASGI middleware: a bound on request bodies (413), a guard on query strings, and security
headers on every response.

All are plain ASGI so they also guard the dashboard, static files and error responses
(a crash inside the app is answered here with a 500 that carries the headers too).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Script sources: only this server ('unsafe-inline' never); styles may be inline because
#: the map library positions its markers with style attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def with_headers(message: Message) -> None:
            """Pass a message on, adding the security headers the response start lacks."""
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            # Starlette's last-resort 500 is sent outside every middleware, without these
            # headers: answer here, then let the error go on to be logged.
            if not started:
                await _send_json(with_headers, 500, {"detail": "internal server error"})
            raise


async def _send_json(send: Send, status: int, payload: dict[str, str]) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class QueryGuard:
    """Refuses (422) a query string holding a NUL character or bytes that are not UTF-8.

    No filter can mean either, and PostgreSQL refuses NUL in any text value, so without
    this guard such a value would reach the database and fail there (a 500).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = _query_problem(scope.get("query_string", b""))
            if problem:
                await _send_json(send, 422, {"detail": problem})
                return
        await self.app(scope, receive, send)


def _query_problem(raw: bytes) -> str | None:
    if not raw:
        return None
    try:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8",
                          errors="strict")
    except UnicodeDecodeError:
        return "query string is not UTF-8"
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            return f"query parameter {key.replace(chr(0), '')!r} holds a NUL character"
    return None


class _TooLarge(Exception):
    pass


async def _send_413(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Refuses bodies over ``limit`` bytes: at once from Content-Length, else while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.limit:
                    await _send_413(send, self.limit)
                    return
        seen = 0
        exceeded = False
        replaced = False

        async def counted() -> Message:
            """Receive the next message, counting body bytes; over the limit, stop reading."""
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            """Send the app's response, unless the body was too large: then a 413 in its place."""
            # A body parser may turn the error into its own (a 400): the client is told
            # the real reason instead.
            nonlocal replaced
            if exceeded and message["type"] == "http.response.start":
                replaced = True
                await _send_413(send, self.limit)
                return
            if replaced:
                return
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            if not replaced:
                await _send_413(send, self.limit)
