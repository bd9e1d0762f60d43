"""The one query over stored events, for every door: the CLI, the API, the exports, the analyses.

Events used to be selected four ways (the CLI's filter, the API's query, the analyses'
window, the merged-event list) and given their sources by three functions, and the copies
had drifted: ``opsroom events --type attack`` matched the words of a type anywhere
("Shelling/artillery/missile attack" too) and took ``%`` and ``_`` as wildcards while the
API matched the whole type, and only the API gave a source that two merged reports share
once.  Now:

- ``EventQuery`` says which events (filters), in which order and which page;
- ``search_events`` reads them, with their sources and claims, and counts them;
- ``attach_sources`` is the one way sources and claims are put on events (the store's
  per-article readers use it too), each source and claim once per event.

The filters mean what the API always meant.  Country, admin1, event type and sub-event
type match the whole value, ignoring case.  An actor matches the words of a name anywhere
in one of the four actor columns.  Text matches when every word is somewhere in the
event's place or in a sentence that tells it.  ``%``, ``_`` and ``\\`` in any value are
the characters themselves, never SQL wildcards.  Every value reaches SQL as a bound
parameter.

Users see one event per happening: a merged event (``event_clusters``).  Every stored
event is in one from the moment its article is stored (a *pending* cluster of its own,
which the next merge replaces), so the event list reads that one table, whose indexes
each serve a filter shape: a page is a range scan that stops after its rows.
``per_article`` reads each article's own events (``events``) instead; so does a store
that holds no merged event at all (one filled without the pipeline, or from before
migration 0006 and not merged since), where each stored event is, as far as the store
knows, a happening of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Subquery,
    and_,
    func,
    literal_column,
    or_,
    select,
)

from ..models import Claim, Event, Source
from . import tables as t
from .records import claim_columns, event_columns, source_columns


class HasEngine(Protocol):
    """What the query needs of the store: its engine (typed here so the query does not
    import the repository, which imports the query)."""

    engine: Engine

#: Columns a merged event and a per-article event share: the Event contract's fields.
VIEW_COLUMNS = event_columns()

SORTS = ("-event_date", "event_date", "-fatalities", "fatalities")

#: Ids per ``IN (...)`` list: well under SQLite's 32,766 bound parameters, and few
#: round trips on PostgreSQL.
IN_CHUNK = 500


def chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    """The distinct ``ids``, sorted, in lists of at most ``IN_CHUNK``."""
    items = sorted(set(ids))
    for i in range(0, len(items), IN_CHUNK):
        yield items[i:i + IN_CHUNK]


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``minlon,minlat,maxlon,maxlat`` → four floats; ``ValueError`` says what is wrong.

    The CLI's ``--bbox`` and the API's ``bbox=`` read the same text, so both are parsed here.
    """
    parts = value.split(",")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        nums = []
    if len(nums) != 4 or any(n != n for n in nums):  # n != n: NaN
        raise ValueError(
            f"bbox must be minlon,minlat,maxlon,maxlat (four numbers), got {value!r}")
    min_lon, min_lat, max_lon, max_lat = nums
    return min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True)
class EventQuery:
    """Which stored events to read, in which order, which page: for every door alike.

    Frozen and hashable: the API keys its page cache by the validated query.  Invalid
    combinations (an unknown sort, a window that ends before it starts, a box out of
    range) raise ``ValueError`` naming the field, which the API answers with a 422 and
    the CLI with a usage error.
    """

    since: dt.date | None = None
    until: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    text: str | None = None
    min_fatalities: int | None = None
    include_background: bool = False
    #: Each article's own events instead of one per happening (``opsroom events --per-article``).
    per_article: bool = False
    sort: str = "-event_date"
    limit: int | None = None  # None: every matching event
    offset: int = 0

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}; expected one of {', '.join(SORTS)}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        if self.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            if not (-180 <= min_lon <= max_lon <= 180) or not (-90 <= min_lat <= max_lat <= 90):
                raise ValueError("bbox out of range: need -180 ≤ minlon ≤ maxlon ≤ 180 and "
                                 "-90 ≤ minlat ≤ maxlat ≤ 90")
        if (self.limit is not None and self.limit < 0) or self.offset < 0:
            raise ValueError("limit and offset cannot be negative")


@dataclass
class ViewEvent:
    """One event as served: the Event, whether it is merged, and how many articles tell it."""

    event: Event
    merged: bool
    n_articles: int


@cache
def event_view(per_article: bool = False) -> Subquery:
    """The events a query reads, under the Event's names: every cluster, pending or merged;
    or, ``per_article``, every article's own event (one member, one article each).

    Built once: a construct is immutable and reusable, and building its column proxies
    at each request was a tenth of an event page's CPU."""
    if per_article:
        e = t.events.c
        return select(
            e.event_id, *(e[c] for c in VIEW_COLUMNS),
            literal_column("1").label("n_members"), literal_column("1").label("n_articles"),
        ).subquery("v")
    cl = t.event_clusters.c
    return select(
        cl.cluster_id.label("event_id"), *(cl[c] for c in VIEW_COLUMNS),
        cl.n_members.label("n_members"), cl.n_articles.label("n_articles"),
        cl.search_text.label("search_text"),
    ).subquery("v")


def _like(word: str) -> str:
    """A LIKE pattern finding ``word`` anywhere, lower-cased, its ``%`` and ``_`` literal."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(v: Subquery, q: EventQuery, per_article: bool) -> list[ColumnElement[bool]]:
    """The WHERE conditions of ``q`` over the view ``v`` (see ``event_view``)."""
    c = v.c
    conds: list[ColumnElement[bool]] = []
    if not q.include_background:
        conds.append(c.background.is_(False))
    if q.since:
        conds.append(c.event_date >= q.since)
    if q.until:
        conds.append(c.event_date <= q.until)
    if q.bbox:
        min_lon, min_lat, max_lon, max_lat = q.bbox
        conds += [c.longitude >= min_lon, c.longitude <= max_lon,
                  c.latitude >= min_lat, c.latitude <= max_lat]
    # Whole values compared with ``=``: nothing in them is a wildcard.  ``lower(...)`` as
    # the indexes of migrations 0005 and 0006 are built.
    for col, value in ((c.country, q.country), (c.admin1, q.admin1),
                       (c.event_type, q.event_type), (c.sub_event_type, q.sub_event_type)):
        if value:
            conds.append(func.lower(col) == value.lower())
    if q.actor:
        pattern = _like(q.actor)
        conds.append(or_(*(func.lower(col).like(pattern, escape="\\") for col in
                           (c.actor1, c.actor2, c.assoc_actor_1, c.assoc_actor_2))))
    if q.min_fatalities is not None:
        conds.append(c.fatalities >= q.min_fatalities)
    if q.text:
        conds += [_told(c, _like(word), per_article) for word in q.text.split()]
    return conds


def _told(c: Any, pattern: str, per_article: bool) -> ColumnElement[bool]:
    """The event's place or one of its sentences holds ``pattern``."""
    if not per_article:
        # The column is the place and every sentence, lower-cased when written; PostgreSQL
        # serves this LIKE from a trigram index (migration 0006).
        return c.search_text.like(pattern, escape="\\")
    s = t.event_sources.c
    return or_(func.lower(c.location).like(pattern, escape="\\"),
               c.event_id.in_(select(s.event_id).where(
                   func.lower(s.sentence).like(pattern, escape="\\"))))


def _order(v: Subquery, sort: str) -> list[Any]:
    c = v.c
    if sort == "-event_date":
        return [c.event_date.desc().nulls_last(), c.event_id]
    if sort == "event_date":
        return [c.event_date.asc().nulls_last(), c.event_id]
    if sort == "-fatalities":
        return [c.fatalities.desc().nulls_last(), c.event_date.desc().nulls_last(), c.event_id]
    return [c.fatalities.asc().nulls_last(), c.event_date.desc().nulls_last(), c.event_id]


#: What a page of events reads of each (not ``search_text``, which only filters).
_PAGE_COLUMNS = ("event_id", *VIEW_COLUMNS, "n_members", "n_articles")
_SOURCE_FIELDS = source_columns()
_CLAIM_FIELDS = claim_columns()


def _row_to_view(row: Any) -> ViewEvent:
    m = dict(zip(_PAGE_COLUMNS, row, strict=True))
    n_members, n_articles = m.pop("n_members"), m.pop("n_articles")
    return ViewEvent(event=Event(**m), merged=int(n_members) > 1, n_articles=int(n_articles))


def _has_merged(conn: Connection) -> bool:
    """Whether the store holds any merged (or pending) event: one indexed row, not a count."""
    return conn.execute(select(t.event_clusters.c.cluster_id).limit(1)).first() is not None


def attach_sources(conn: Connection, events: Sequence[Event], per_article: bool = False) -> None:
    """Put each event's sources and claims on it: a merged event gets all its members'.

    ``per_article`` says the events are rows of ``events``; otherwise they are merged
    events (``event_clusters``).  Each source and claim comes once per event, in article
    and text order, however many of its members carry it.
    """
    if not events:
        return
    by_id = {e.event_id: e for e in events}
    mem = t.event_cluster_members
    for table, names in ((t.event_sources, _SOURCE_FIELDS), (t.claims, _CLAIM_FIELDS)):
        is_source = table is t.event_sources
        cols = [table.c[n] for n in names]
        for chunk in chunks(by_id):
            # Two indexed lookups for a merged event (members by cluster id; rows by event
            # id), not a filter on an outer join, which scanned every source at 100,000
            # events.  Plain tuples: rows by name cost a tenth of a request's CPU
            # (bench/api_latency.py).
            if per_article:
                stmt = select(table.c.event_id, *cols).where(table.c.event_id.in_(chunk))
            else:
                stmt = (select(mem.c.cluster_id, *cols)
                        .join_from(table, mem, mem.c.event_id == table.c.event_id)
                        .where(mem.c.cluster_id.in_(chunk)))
            seen: set[tuple[Any, ...]] = set()
            for owner, *values in conn.execute(
                    stmt.order_by(table.c.article_id, table.c.start, table.c.id)).all():
                # Two members told by the same sentence give the source (or claim) once.
                key = (owner, *values)
                if key in seen:
                    continue
                seen.add(key)
                fields = dict(zip(names, values, strict=True))
                if is_source:
                    by_id[owner].sources.append(Source(**fields))
                else:
                    by_id[owner].claims.append(Claim(**fields))


def search_events(store: HasEngine, q: EventQuery) -> tuple[list[ViewEvent], int]:
    """The events ``q`` selects (its page, each with sources and claims) and their total."""
    with store.engine.connect() as conn:
        per_article = q.per_article or not _has_merged(conn)
        v = event_view(per_article)
        where = and_(True, *_conditions(v, q, per_article))
        stmt = (select(*(v.c[n] for n in _PAGE_COLUMNS)).where(where)
                .order_by(*_order(v, q.sort)).offset(q.offset))
        if q.limit is not None:
            stmt = stmt.limit(q.limit)
        items = [_row_to_view(r) for r in conn.execute(stmt).all()]
        # A count of its own, not a window count over the page's query: the page stops
        # after its rows, and the count is answered from a covering index.
        if q.limit is None or (len(items) < q.limit and (items or not q.offset)):
            total = q.offset + len(items)
        else:
            total = int(conn.execute(select(func.count()).select_from(v).where(where))
                        .scalar_one())
        attach_sources(conn, [it.event for it in items], per_article)
        return items, total


def select_events(store: HasEngine, q: EventQuery) -> list[Event]:
    """The events of ``search_events``, without the page's total and served flags: what
    the exports and the analyses read."""
    return [it.event for it in search_events(store, q)[0]]


def get_view_event(store: HasEngine, event_id: str) -> ViewEvent | None:
    """One served event by id; a per-article event's id leads to the merged event holding it."""
    v = event_view()
    members = t.event_cluster_members.c
    with store.engine.connect() as conn:
        page = select(*(v.c[n] for n in _PAGE_COLUMNS))
        row = conn.execute(page.where(v.c.event_id == event_id)).first()
        if row is None:
            cluster = select(members.cluster_id).where(members.event_id == event_id)
            row = conn.execute(page.where(v.c.event_id.in_(cluster))).first()
            if row is None:
                return None
        item = _row_to_view(row)
        attach_sources(conn, [item.event])
        return item


def event_ids_with_prefix(store: HasEngine, prefix: str, limit: int = 10) -> list[str]:
    """Ids of the served events whose id, or the id of one of their reports, starts with
    ``prefix``: at most ``limit``, sorted.  What a user means by a short id from a table
    (``opsroom event``); more than one is an ambiguous prefix."""
    v = event_view()
    members = t.event_cluster_members.c
    with store.engine.connect() as conn:
        own = select(v.c.event_id).where(v.c.event_id.startswith(prefix, autoescape=True))
        held = select(members.cluster_id).where(
            members.event_id.startswith(prefix, autoescape=True))
        found = {r[0] for r in conn.execute(own.limit(limit)).all()}
        found |= {r[0] for r in conn.execute(held.distinct().limit(limit)).all()}
    return sorted(found)[:limit]


__all__ = ["IN_CHUNK", "SORTS", "VIEW_COLUMNS", "EventQuery", "ViewEvent", "attach_sources",
           "chunks", "event_ids_with_prefix", "event_view", "get_view_event", "parse_bbox",
           "search_events", "select_events"]
