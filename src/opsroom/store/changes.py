"""The change feed: which served events appeared, changed or went, and when.

A merge drops the merged events that hold the reports it looks at and writes the ones it
decides (``replace_clusters``), so "a row was written" does not mean "the event changed":
most of a merge writes back what was there.  A merged event's id is its earliest report's
(``opsroom.merge``), so it survives re-merges; what a user's copy needs to hear of is an
id that is new, an id that is gone, and an id whose served content differs.  Each write
path takes the ``digests`` of the events it may touch before and after, in its own
transaction, and ``record_differences`` logs what differs (``event_changes``); edits and
deletions through the API log their one event with ``log_changes``.

``changes_since`` reads the feed: each event's latest change at or after a time, in the
order they were logged, paged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, select

from . import tables as t
from .query import HasEngine, chunks
from .records import event_columns

CREATED, UPDATED, DELETED = "created", "updated", "deleted"
CHANGE_KINDS = (CREATED, UPDATED, DELETED)

#: Columns of a merged event besides the Event contract's that a user sees change: its
#: claimants and how many reports and articles it merges.  (``pending``, ``block`` and
#: ``search_text`` are the store's bookkeeping, never served.)
_SERVED_EXTRA = ("claimants", "n_members", "n_articles")


def now() -> dt.datetime:
    """The time a change is logged at: UTC, so every database compares it the same way."""
    return dt.datetime.now(dt.UTC)


def digests(conn: Connection, ids: Iterable[str] | None = None,
            table: Table | None = None) -> dict[str, str]:
    """A digest of each merged event's served content (all, or those with ``ids``).

    Two digests are equal when the event a user reads is: its fields, claimants, counts
    and the reports it merges.  ``table`` is ``event_clusters`` as a database holds it
    (a reflected one when the schema may be older than the code's, as before a restore);
    only its columns count.
    """
    clusters = table if table is not None else t.event_clusters
    names = [n for n in (*event_columns(), *_SERVED_EXTRA) if n in clusters.c]
    cols = [clusters.c[n] for n in names]
    key = clusters.c.cluster_id
    m = t.event_cluster_members.c
    rows: dict[str, list[Any]] = {}
    members: dict[str, list[str]] = {}

    def read(where: Any) -> None:
        """Gather the rows and member ids of the events ``where`` selects."""
        stmt = select(key, *cols)
        mstmt = select(m.cluster_id, m.event_id)
        if where is not None:
            stmt, mstmt = stmt.where(key.in_(where)), mstmt.where(m.cluster_id.in_(where))
        for row in conn.execute(stmt):
            rows[row[0]] = list(row[1:])
        for cid, eid in conn.execute(mstmt):
            members.setdefault(cid, []).append(eid)

    if ids is None:
        read(None)
    else:
        for chunk in chunks(ids):
            read(chunk)
    out = {}
    for cid, values in rows.items():
        blob = json.dumps([dict(zip(names, values, strict=True)), sorted(members.get(cid, []))],
                          sort_keys=True, default=str)
        out[cid] = hashlib.sha256(blob.encode("utf-8")).hexdigest()
    return out


def record_differences(conn: Connection, before: Mapping[str, str], after: Mapping[str, str],
                       at: dt.datetime | None = None) -> int:
    """Log the events that are in ``after`` only (created), in ``before`` only (deleted),
    or in both with another digest (updated); how many were logged."""
    kinds: dict[str, str] = {}
    for eid in before.keys() | after.keys():
        if eid not in after:
            kinds[eid] = DELETED
        elif eid not in before:
            kinds[eid] = CREATED
        elif before[eid] != after[eid]:
            kinds[eid] = UPDATED
    return _insert(conn, sorted(kinds.items()), at)


def log_changes(conn: Connection, ids: Iterable[str], change: str,
                at: dt.datetime | None = None) -> int:
    """Log one ``change`` for each of ``ids`` (a write that knows what it did)."""
    if change not in CHANGE_KINDS:
        raise ValueError(f"unknown change {change!r}; expected one of {', '.join(CHANGE_KINDS)}")
    return _insert(conn, [(eid, change) for eid in sorted(set(ids))], at)


def _insert(conn: Connection, pairs: Sequence[tuple[str, str]], at: dt.datetime | None) -> int:
    when = at or now()
    rows = [{"event_id": eid, "change": kind, "at": when} for eid, kind in pairs]
    for chunk in (rows[i:i + 500] for i in range(0, len(rows), 500)):
        conn.execute(t.event_changes.insert(), chunk)
    return len(rows)


@dataclass(frozen=True)
class Change:
    """One entry of the feed: an event id, what happened to it last, and when."""

    event_id: str
    change: str
    at: dt.datetime


def _utc(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware UTC time (SQLite gives back the naive UTC time it was given)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


#: How far behind the time of a read the feed's cursor stays.  A write logs its changes'
#: time when it writes them and commits later, so a change can become visible after a
#: later-stamped one a reader already saw; a cursor at the newest change seen would skip
#: it for good.  Held this far back, the cursor only re-sends the changes of the last
#: minutes (applying one twice changes nothing), and misses one only when its transaction
#: stayed open longer than this: opsroom's writes commit an article, an edit or a merge
#: in seconds.
CURSOR_SETTLE = dt.timedelta(minutes=5)


def changes_since(store: HasEngine, since: dt.datetime | None, limit: int, offset: int = 0,
                  ) -> tuple[list[Change], int, dt.datetime | None]:
    """Each event's latest change logged at or after ``since`` (a naive time is UTC; None:
    from the start), oldest first, one page; with how many events changed in all and the
    client's next ``since``: the time of the newest change logged, but never later than
    ``CURSOR_SETTLE`` before this read, nor earlier than ``since`` (None when nothing is
    logged)."""
    read_at = now()
    c = t.event_changes.c
    latest_ids = select(func.max(c.id).label("id")).group_by(c.event_id)
    if since is not None:
        latest_ids = latest_ids.where(c.at >= _utc(since))
    latest = latest_ids.subquery()
    page = (select(c.event_id, c.change, c.at).join(latest, latest.c.id == c.id)
            .order_by(c.id).limit(limit).offset(offset))
    with store.engine.connect() as conn:
        items = [Change(r.event_id, r.change, _utc(r.at)) for r in conn.execute(page)]
        total = int(conn.execute(select(func.count()).select_from(latest)).scalar_one())
        newest = conn.execute(select(func.max(c.at))).scalar()
    if newest is None:
        return items, total, None
    cursor = min(_utc(newest), read_at - CURSOR_SETTLE)
    if since is not None:
        cursor = max(cursor, _utc(since))
    return items, total, cursor


__all__ = ["CHANGE_KINDS", "CREATED", "CURSOR_SETTLE", "DELETED", "UPDATED", "Change", "changes_since",
           "digests", "log_changes", "now", "record_differences"]
