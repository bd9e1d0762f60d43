"""Bearer tokens: from settings (``name:token`` pairs) and hashed in table ``api_tokens``.

A presented token is hashed (SHA-256) and compared with every known hash in constant
time (``hmac.compare_digest``), so neither timing nor a stolen database reveals a token.
Writes always need a token; reads only when ``api_read_requires_token`` is set.

Every request that reaches a route spends from a rate budget (``ratelimit``): the token
holder's when a known token is shown, the client address's otherwise, so an unknown
token is charged to the address that tries it and guessing tokens is throttled too.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..config import Settings
from ..errors import OpsroomError
from ..store import Store
from ..store.access import hash_token, token_hashes
from .ratelimit import RateLimiter, retry_after_header

ANONYMOUS = "anonymous"

#: The name of the token scheme in the OpenAPI document.
BEARER_SCHEME = "bearerAuth"
#: The scheme as OpenAPI declares it, for the docs and for clients generated from them.
#: It parses nothing here: ``_bearer`` reads the header, with its own one-line errors.
BEARER = HTTPBearer(
    auto_error=False, scheme_name=BEARER_SCHEME,
    description="An API token (`opsroom token create NAME`, or the `api_tokens` setting) "
                "as `Authorization: Bearer TOKEN`. Writes need one; reads only when the "
                "server sets `api_read_requires_token`.")


def parse_token_pairs(value: str) -> list[tuple[str, str]]:
    """``"alice:tok1, bob:tok2"`` → [(name, token)]; a malformed pair is an error."""
    pairs = []
    for item in value.replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, token = item.partition(":")
        if not sep or not name.strip() or not token.strip():
            raise OpsroomError("api_tokens: each entry must be name:token")
        pairs.append((name.strip(), token.strip()))
    return pairs


@dataclass
class TokenChecker:
    """Knows the configured tokens (hashed at start) and asks the store for the others."""

    configured: list[tuple[str, str]]
    store: Store

    @classmethod
    def from_settings(cls, settings: Settings, store: Store) -> TokenChecker:
        """A checker for the ``name:token`` pairs of ``api_tokens``, hashed once here, plus the
        tokens stored in the database (read at each check, so a revoked one stops at once)."""
        hashed = [(name, hash_token(tok)) for name, tok in parse_token_pairs(settings.api_tokens)]
        return cls(hashed, store)

    def who(self, token: str) -> str | None:
        """The name of the token's holder, or None for an unknown token."""
        digest = hash_token(token)
        found = None
        # Every hash is compared, so the time taken does not tell which one matched.
        for name, known in [*self.configured, *token_hashes(self.store)]:
            if hmac.compare_digest(digest, known) and found is None:
                found = name
        return found


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "malformed Authorization header; use 'Bearer TOKEN'",
                            headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


def _client_key(request: Request) -> str:
    # The socket's peer: a proxy in front should pass the real address at the ASGI level
    # (uvicorn --proxy-headers), never through a header every client can forge.
    return "ip:" + (request.client.host if request.client else "unknown")


def _spend(request: Request, key: str) -> None:
    """Charge one request to ``key``'s budget; 429 with Retry-After when it is spent."""
    limiter: RateLimiter | None = getattr(request.app.state, "limiter", None)
    if limiter is None:
        return
    wait = limiter.take(key)
    if wait > 0:
        raise HTTPException(429, "too many requests; slow down", headers=retry_after_header(wait))


def _check(request: Request) -> str:
    try:
        token = _bearer(request)
    except HTTPException:
        _spend(request, _client_key(request))
        raise
    if token is None:
        _spend(request, _client_key(request))
        raise HTTPException(401, "this request needs an API token (Authorization: Bearer TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    checker: TokenChecker = request.app.state.tokens
    name = checker.who(token)
    if name is None:
        _spend(request, _client_key(request))
        raise HTTPException(401, "unknown API token", headers={"WWW-Authenticate": "Bearer"})
    _spend(request, "token:" + name)
    return name


def require_writer(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
) -> str:
    """Dependency of every write: the token holder's name, or 401.  (``_declared`` puts
    the bearer scheme on the route in the OpenAPI document; the header is read here.)"""
    return _check(request)


def require_reader(request: Request) -> str:
    """Dependency of every read: open unless the settings protect reads."""
    settings: Settings = request.app.state.settings
    if settings.api_read_requires_token:
        return _check(request)
    # Open reads: a reader showing a known token spends its holder's budget (a script
    # with a token is not throttled with everyone behind the same address); any other
    # reader spends its address's.
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    name = None
    if scheme.lower() == "bearer" and token.strip():
        checker: TokenChecker = request.app.state.tokens
        name = checker.who(token.strip())
    _spend(request, "token:" + name if name else _client_key(request))
    return ANONYMOUS
