"""The HTTP protocol classes ``opsroom serve`` hands uvicorn: its own 400 with our headers.

A request uvicorn cannot parse (an over-long request line or header, a malformed one)
never reaches the ASGI app, so ``SecurityHeaders`` cannot add anything to the 400 that
uvicorn writes for it straight onto the socket.  These subclasses of uvicorn's two
HTTP/1.1 protocols write that answer themselves, with ``SECURITY_HEADERS``; everything
else is uvicorn's.  ``http_protocol()`` picks the same implementation uvicorn's "auto"
would (httptools when installed, else h11).

uvicorn's ``headers=`` setting is not used instead: it would add the headers to every
answer a second time, and a doubled ``X-Frame-Options`` is read by browsers as invalid.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .middleware import SECURITY_HEADERS

_BAD_REQUEST_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"connection", b"close"),
    *SECURITY_HEADERS,
]


class SecureH11Protocol(H11Protocol):
    """uvicorn's h11 protocol; its own 400 carries the security headers."""

    def send_400_response(self, msg: str) -> None:
        """Answer a request h11 cannot parse with a 400 carrying the security headers
        (uvicorn's own answer is sent before any middleware sees the request)."""
        body = msg.encode("ascii")
        event = h11.Response(status_code=400, reason=b"Bad Request",
                             headers=[*_BAD_REQUEST_HEADERS,
                                      (b"content-length", str(len(body)).encode())])
        for item in (event, h11.Data(data=body), h11.EndOfMessage()):
            output = self.conn.send(item)
            if output:
                self.transport.write(output)
        self.transport.close()


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools comes with uvicorn[standard]
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

if HttpToolsProtocol is not None:

    class SecureHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[misc,valid-type]
        """uvicorn's httptools protocol; its own 400 carries the security headers."""

        def send_400_response(self, msg: str) -> None:
            """Answer a request httptools cannot parse with a 400 carrying the security headers
            (uvicorn's own answer is sent before any middleware sees the request)."""
            body = msg.encode("ascii")
            content = [b"HTTP/1.1 400 Bad Request\r\n"]
            for name, value in [*self.server_state.default_headers, *_BAD_REQUEST_HEADERS,
                                (b"content-length", str(len(body)).encode())]:
                content.extend([name, b": ", value, b"\r\n"])
            content.extend([b"\r\n", body])
            self.transport.write(b"".join(content))
            self.transport.close()


def http_protocol(name: str = "auto") -> type[asyncio.Protocol]:
    """The protocol class for ``name`` ("auto", "httptools" or "h11")."""
    if name in ("auto", "httptools") and HttpToolsProtocol is not None:
        return SecureHttpToolsProtocol
    if name == "httptools":
        raise ValueError("httptools is not installed")
    return SecureH11Protocol
