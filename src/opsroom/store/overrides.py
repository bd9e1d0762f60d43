"""Analysts' edits as overrides: kept apart from the merge's record, laid over it again.

A merge rewrites merged events (``event_clusters``) from the per-article events, so an
edit written into the merged record alone was undone by the next merge.  Each edited
field is kept here instead (``event_overrides``) with the per-article events the edited
event held, and re-applied in the transaction of every rewrite:

1. the merged event that now holds exactly those reports gets the value (``applied``);
2. else the one holding most of them gets it, marked ``needs review`` with what changed;
3. else it stays, ``orphaned``, with the reason, and is listed (``list_overrides``).

An analyst's new edit of the field on the event it lies on now makes it ``applied`` again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Connection, Date, delete, func, insert, select, update

from . import tables as t
from .query import chunks

APPLIED = "applied"
NEEDS_REVIEW = "needs review"
ORPHANED = "orphaned"
STATUSES = (APPLIED, NEEDS_REVIEW, ORPHANED)

#: Characters of an event id a reason quotes: enough to find it, short enough to read.
_SHORT = 12


def members_key(members: Iterable[str]) -> str:
    """The digest naming a set of per-article events, whatever cluster holds them."""
    return hashlib.sha256("\x1f".join(sorted(set(members))).encode("utf-8")).hexdigest()


def plain(value: Any) -> Any:
    """A field's value as JSON keeps it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _column_value(field: str, value: Any) -> Any:
    """A stored override's value as the ``event_clusters`` column takes it."""
    if value is not None and isinstance(t.event_clusters.c[field].type, Date):
        return dt.date.fromisoformat(value)
    return value


def _members_of(conn: Connection, cluster_id: str) -> set[str]:
    m = t.event_cluster_members.c
    return {r[0] for r in conn.execute(select(m.event_id).where(m.cluster_id == cluster_id))}


def record_override(conn: Connection, cluster_id: str, field: str, value: Any, extracted: Any,
                    who: str, at: dt.datetime) -> None:
    """Keep an analyst's edit of one field of a merged event, in the edit's transaction.

    It replaces earlier overrides of that field on this event (the audit log keeps them);
    the extractor's value is the one the first of them recorded, if any.
    """
    o = t.event_overrides.c
    members = sorted(_members_of(conn, cluster_id))
    earlier = conn.execute(select(o.extracted).where(
        o.cluster_id == cluster_id, o.field == field).order_by(o.at)).first()
    key = members_key(members)
    conn.execute(delete(t.event_overrides).where(
        (o.field == field) & ((o.cluster_id == cluster_id) | (o.members_key == key))))
    conn.execute(insert(t.event_overrides).values(
        cluster_id=cluster_id, members_key=key, members=members, field=field,
        value=plain(value), extracted=plain(extracted) if earlier is None else earlier[0],
        who=who, at=at, status=APPLIED, reason=None))


def pending_review(conn: Connection, cluster_id: str) -> set[str]:
    """Fields of a merged event whose override is not simply applied."""
    o = t.event_overrides.c
    return {r[0] for r in conn.execute(select(o.field).where(
        o.cluster_id == cluster_id, o.status != APPLIED))}


def orphan_overrides(conn: Connection, cluster_id: str, reason: str) -> None:
    """Mark the overrides of a merged event that is gone (deleted) as orphaned."""
    o = t.event_overrides.c
    conn.execute(update(t.event_overrides).where(o.cluster_id == cluster_id)
                 .values(status=ORPHANED, reason=reason))


def _follow(conn: Connection, members: list[str]) -> tuple[str | None, str, str | None]:
    """(merged event, status, reason) an override of these reports lies on now."""
    m = t.event_cluster_members.c
    counts = conn.execute(select(m.cluster_id, func.count()).where(m.event_id.in_(members))
                          .group_by(m.cluster_id)).all()
    if not counts:
        return None, ORPHANED, (f"no merged event holds any of the {len(members)} report(s) "
                                "it was made on")
    # Most of the old reports; of equals, the lowest id, so re-runs choose alike.
    target = min(counts, key=lambda r: (-r[1], r[0]))[0]
    now, old = _members_of(conn, target), set(members)
    if now == old:
        return target, APPLIED, None
    parts = []
    if now - old:
        parts.append(f"{len(now - old)} report(s) joined "
                     f"({', '.join(sorted(i[:_SHORT] for i in now - old))})")
    if old - now:
        parts.append(f"{len(old - now)} of its {len(old)} report(s) left "
                     f"({', '.join(sorted(i[:_SHORT] for i in old - now))})")
    return target, NEEDS_REVIEW, "a merge changed the event's reports: " + "; ".join(parts)


def reapply_overrides(conn: Connection, cluster_ids: Collection[str] | None = None,
                      fresh: Collection[str] = ()) -> int:
    """Lay the overrides of the merged events ``cluster_ids`` (all when None) over the
    merged events holding their reports now; returns how many were applied.

    ``fresh`` are merged events the caller has just written from the merge: their values
    are the extractor's, and are recorded as such.  Call it in the rewrite's transaction.
    """
    o = t.event_overrides.c
    stmt = select(t.event_overrides).order_by(o.at, o.id)
    if cluster_ids is None:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    else:
        rows = [dict(r._mapping) for chunk in chunks(cluster_ids)
                for r in conn.execute(stmt.where(o.cluster_id.in_(chunk)))]
        rows.sort(key=lambda r: (r["at"], r["id"]))
    if not rows:
        return 0
    found: dict[str, tuple[str | None, str, str | None]] = {}
    for row in rows:
        if row["members_key"] not in found:
            found[row["members_key"]] = _follow(conn, list(row["members"]))
    c = t.event_clusters.c
    # The merge's values, read before any override lies on them.
    merged: dict[tuple[str, str], Any] = {}
    for row in rows:
        target = found[row["members_key"]][0]
        if target is not None and target in fresh and (target, row["field"]) not in merged:
            merged[(target, row["field"])] = plain(conn.execute(
                select(c[row["field"]]).where(c.cluster_id == target)).scalar())
    applied = 0
    for row in rows:
        target, status, reason = found[row["members_key"]]
        if target is None and row["status"] == ORPHANED:
            continue  # keep the reason it was orphaned for (a deletion names its author)
        values: dict[str, Any] = {"status": status, "reason": reason}
        if target is not None:
            values["cluster_id"] = target
            if (target, row["field"]) in merged:
                values["extracted"] = merged[(target, row["field"])]
            conn.execute(update(t.event_clusters).where(c.cluster_id == target).values(
                {row["field"]: _column_value(row["field"], row["value"])}))
            applied += 1
        conn.execute(update(t.event_overrides).where(o.id == row["id"]).values(**values))
    return applied


def list_overrides(conn: Connection, cluster_id: str | None = None,
                   status: str | None = None) -> list[dict[str, Any]]:
    """Overrides, oldest first: of one merged event, or of one status, or all."""
    o = t.event_overrides.c
    stmt = select(t.event_overrides).order_by(o.at, o.id)
    if cluster_id is not None:
        stmt = stmt.where(o.cluster_id == cluster_id)
    if status is not None:
        stmt = stmt.where(o.status == status)
    return [dict(r._mapping) for r in conn.execute(stmt)]


__all__ = ["APPLIED", "NEEDS_REVIEW", "ORPHANED", "STATUSES", "list_overrides", "members_key",
           "orphan_overrides", "pending_review", "plain", "reapply_overrides",
           "record_override"]
