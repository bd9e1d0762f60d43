"""Writes of the web service: API tokens, audited edits of events, ingest job records.

Tokens are stored as SHA-256 digests only, so a copy of the database gives no one the
right to write.  Every edit or deletion of an event and its audit record are written in
one transaction: there is never a change without its record.  An edit of a merged event
is kept as an override too (``overrides``), which every later merge lays over its record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from ..errors import StoreError
from . import tables as t
from .analysis_repo import bump_served
from .changes import DELETED, UPDATED, log_changes
from .overrides import list_overrides, orphan_overrides, pending_review, plain, record_override
from .query import VIEW_COLUMNS
from .repository import Store

#: Fields of a served event an editor may change: the Event contract minus ids, sources
#: and claims, which come from the articles, and the reasons, which say why the extractor
#: decided as it did (the audit log says why an editor did).
EDITABLE_FIELDS = tuple(c for c in VIEW_COLUMNS if c not in ("date_reason", "type_reason"))


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- tokens ---------------------------------------------------------------------------


def create_token(store: Store, name: str) -> str:
    """A new random token for ``name``; only its hash is kept, so show it once."""
    token = secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        if conn.execute(select(t.api_tokens.c.name).where(t.api_tokens.c.name == name)).first():
            raise StoreError(f"a token named {name!r} exists; revoke it first")
        conn.execute(insert(t.api_tokens).values(name=name, token_hash=hash_token(token),
                                                 created=_now()))
    return token


def revoke_token(store: Store, name: str) -> bool:
    """Delete the stored token ``name``; False when there is none (``opsroom token revoke``)."""
    with store.engine.begin() as conn:
        return conn.execute(delete(t.api_tokens).where(t.api_tokens.c.name == name)).rowcount > 0


def list_tokens(store: Store) -> list[dict[str, Any]]:
    """Names and creation times of stored tokens (never the hashes)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.api_tokens.c.name, t.api_tokens.c.created)
                            .order_by(t.api_tokens.c.name)).all()
    return [dict(r._mapping) for r in rows]


def token_hashes(store: Store) -> list[tuple[str, str]]:
    """(name, SHA-256 hex digest) of every stored token."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.api_tokens.c.name, t.api_tokens.c.token_hash)).all()
    return [(r[0], r[1]) for r in rows]


# -- audited edits --------------------------------------------------------------------


def _record(conn: Connection, who: str, action: str, target: str,
            before: dict[str, Any] | None, after: dict[str, Any] | None,
            at: dt.datetime | None = None) -> None:
    conn.execute(insert(t.audit_log).values(at=at or _now(), who=who, action=action, target=target,
                                            before=before, after=after))


def _locate(conn: Connection, event_id: str) -> tuple[Any, Any, dict[str, Any]] | None:
    """(table, key column, current row) of a served event: a merged one first."""
    for table, key in ((t.event_clusters, t.event_clusters.c.cluster_id),
                       (t.events, t.events.c.event_id)):
        row = conn.execute(select(table).where(key == event_id)).first()
        if row is not None:
            return table, key, dict(row._mapping)
    return None


def update_event(store: Store, event_id: str, changes: dict[str, Any],
                 who: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Apply ``changes`` to a served event and audit them; (before, after) of the changed
    fields, or None when there is no such event."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with store.engine.begin() as conn:
        found = _locate(conn, event_id)
        if found is None:
            return None
        table, key, row = found
        merged = table is t.event_clusters
        # A field set again to the value it has confirms an override a merge put in doubt.
        review = pending_review(conn, event_id) if merged else set()
        changed = {k: v for k, v in changes.items() if row.get(k) != v or k in review}
        before = {k: plain(row.get(k)) for k in changed}
        after = {k: plain(v) for k, v in changed.items()}
        if changed:
            at = _now()
            conn.execute(update(table).where(key == event_id).values(**changed))
            if merged:  # kept apart too, so that the next merge lays it over its record
                for k, v in changed.items():
                    record_override(conn, event_id, k, v, row.get(k), who, at)
            _record(conn, who, "update", event_id, before, after, at)
            log_changes(conn, [event_id], UPDATED, at)
            bump_served(conn)
    return before, after


def delete_event(store: Store, event_id: str, who: str) -> dict[str, Any] | None:
    """Delete a served event (a merged one with its member events) and audit it; the
    deleted record, or None when there is no such event."""
    with store.engine.begin() as conn:
        found = _locate(conn, event_id)
        if found is None:
            return None
        table, key, row = found
        before = {k: plain(v) for k, v in row.items()}
        if table is t.event_clusters:
            mem = t.event_cluster_members.c
            members = [r[0] for r in conn.execute(
                select(mem.event_id).where(mem.cluster_id == event_id)).all()]
            before["members"] = members
            conn.execute(delete(t.event_cluster_members).where(mem.cluster_id == event_id))
            if members:
                for child in (t.event_sources, t.claims):
                    conn.execute(delete(child).where(child.c.event_id.in_(members)))
                conn.execute(delete(t.events).where(t.events.c.event_id.in_(members)))
        else:
            for child in (t.event_sources, t.claims, t.event_cluster_members):
                conn.execute(delete(child).where(child.c.event_id == event_id))
        conn.execute(delete(table).where(key == event_id))
        if table is t.event_clusters:
            orphan_overrides(conn, event_id, f"the event was deleted by {who}")
        _record(conn, who, "delete", event_id, before, None)
        log_changes(conn, [event_id], DELETED)
        bump_served(conn)
    return before


def audit_entries(store: Store, target: str | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Audit records, newest first, and their total."""
    a = t.audit_log.c
    stmt = select(t.audit_log)
    count = select(func.count()).select_from(t.audit_log)
    if target:
        stmt = stmt.where(a.target == target)
        count = count.where(a.target == target)
    stmt = stmt.order_by(a.id.desc()).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt).all()]
        total = int(conn.execute(count).scalar_one())
    return rows, total


def event_edits(store: Store, event_id: str | None = None,
                status: str | None = None) -> list[dict[str, Any]]:
    """Analysts' edits kept as overrides, oldest first: of one served event, of one
    status (``needs review``, ``orphaned``), or all."""
    with store.engine.connect() as conn:
        return list_overrides(conn, event_id, status)


# -- ingest jobs ----------------------------------------------------------------------

JOB_COUNTERS = ("read", "new", "known", "duplicates", "failed")


def create_job(store: Store, job_id: str, who: str, total: int | None) -> None:
    """Record a queued ingest job with zeroed counters, so ``GET /jobs/{id}`` answers at once."""
    with store.engine.begin() as conn:
        conn.execute(insert(t.ingest_jobs).values(
            id=job_id, state="queued", who=who, created=_now(), total=total, failures=[],
            **dict.fromkeys(JOB_COUNTERS, 0)))


def update_job(store: Store, job_id: str, **values: Any) -> None:
    """Set fields of a job record; ``state`` running/done/failed stamps the times."""
    state = values.get("state")
    if state == "running":
        values.setdefault("started", _now())
    elif state in ("done", "failed"):
        values.setdefault("finished", _now())
    with store.engine.begin() as conn:
        conn.execute(update(t.ingest_jobs).where(t.ingest_jobs.c.id == job_id).values(**values))


def get_job(store: Store, job_id: str) -> dict[str, Any] | None:
    """The job record as a dict, or None for an unknown id."""
    with store.engine.connect() as conn:
        row = conn.execute(select(t.ingest_jobs).where(t.ingest_jobs.c.id == job_id)).first()
    return dict(row._mapping) if row else None


def fail_unfinished_jobs(store: Store, reason: str) -> int:
    """Mark jobs left queued or running by a stopped server as failed."""
    with store.engine.begin() as conn:
        return conn.execute(
            update(t.ingest_jobs).where(t.ingest_jobs.c.state.in_(("queued", "running")))
            .values(state="failed", error=reason, finished=_now())
        ).rowcount


__all__ = ["EDITABLE_FIELDS", "JOB_COUNTERS", "audit_entries", "create_job", "create_token",
           "delete_event", "event_edits", "fail_unfinished_jobs", "get_job", "hash_token", "list_tokens",
           "revoke_token", "token_hashes", "update_event", "update_job"]
