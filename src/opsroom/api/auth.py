"""Bearer tokens: from settings (``name:token`` pairs) and hashed in table ``api_tokens``.

A presented token is hashed (SHA-256) and compared with every known hash in constant
time (``hmac.compare_digest``), so neither timing nor a stolen database reveals a token.
Writes always need a token; reads only when ``api_read_requires_token`` is set.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request

from ..config import Settings
from ..errors import OpsroomError
from ..store import Store
from ..store.access import hash_token, token_hashes

ANONYMOUS = "anonymous"


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


def _check(request: Request) -> str:
    token = _bearer(request)
    if token is None:
        raise HTTPException(401, "this request needs an API token (Authorization: Bearer TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    checker: TokenChecker = request.app.state.tokens
    name = checker.who(token)
    if name is None:
        raise HTTPException(401, "unknown API token", headers={"WWW-Authenticate": "Bearer"})
    return name


def require_writer(request: Request) -> str:
    """Dependency of every write: the token holder's name, or 401."""
    return _check(request)


def require_reader(request: Request) -> str:
    """Dependency of every read: open unless the settings protect reads."""
    settings: Settings = request.app.state.settings
    if not settings.api_read_requires_token:
        return ANONYMOUS
    return _check(request)
