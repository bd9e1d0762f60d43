"""Read queries of the web service over the event record as users see it.

Users see one event per happening: a merged event (``event_clusters``).  Every stored
event is in one from the moment its article is stored (a *pending* cluster of its own,
which the next merge replaces), so the event list reads that one table, whose indexes
each serve a filter shape: a page is a range scan that stops after its rows.  Every
value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Subquery,
    and_,
    func,
    or_,
    select,
)

from ..models import Claim, Event, Source
from . import tables as t
from .records import claim_columns, event_columns, source_columns
from .repository import Store

#: Columns a merged event and a per-article event share: the Event contract's fields.
VIEW_COLUMNS = event_columns()

SORTS = ("-event_date", "event_date", "-fatalities", "fatalities")


@dataclass(frozen=True)
class EventQuery:
    """What the event list of the API filters on, how it sorts, which page it shows."""

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
    sort: str = "-event_date"
    limit: int | None = 50
    offset: int = 0


@dataclass
class ViewEvent:
    """One event as served: the Event, whether it is merged, and how many articles tell it."""

    event: Event
    merged: bool
    n_articles: int


@lru_cache(maxsize=1)
def event_view() -> Subquery:
    """The served events: every cluster, pending or merged, under the Event's names.

    Built once: a construct is immutable and reusable, and building its column proxies
    at each request was a tenth of an event page's CPU."""
    cl = t.event_clusters.c
    return select(
        cl.cluster_id.label("event_id"), *(cl[c] for c in VIEW_COLUMNS),
        cl.n_members.label("n_members"), cl.n_articles.label("n_articles"),
        cl.search_text.label("search_text"),
    ).subquery("v")


def _like(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(v: Subquery, q: EventQuery) -> list[ColumnElement[bool]]:
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
        # Every word somewhere in what tells the event (its place, its sentences).  The
        # column is lower-cased when written; PostgreSQL serves this LIKE from a trigram
        # index (migration 0006).
        conds += [c.search_text.like(_like(word), escape="\\") for word in q.text.split()]
    return conds


def _order(v: Subquery, sort: str) -> list[Any]:
    c = v.c
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    if sort == "-event_date":
        return [c.event_date.desc().nulls_last(), c.event_id]
    if sort == "event_date":
        return [c.event_date.asc().nulls_last(), c.event_id]
    if sort == "-fatalities":
        return [c.fatalities.desc().nulls_last(), c.event_date.desc().nulls_last(), c.event_id]
    return [c.fatalities.asc().nulls_last(), c.event_date.desc().nulls_last(), c.event_id]


#: What a page of served events reads of each (not ``search_text``, which only filters).
_PAGE_COLUMNS = ("event_id", *VIEW_COLUMNS, "n_members", "n_articles")
_SOURCE_FIELDS = source_columns()
_CLAIM_FIELDS = claim_columns()


def _row_to_view(row: Any) -> ViewEvent:
    m = dict(zip(_PAGE_COLUMNS, row, strict=True))
    n_members, n_articles = m.pop("n_members"), m.pop("n_articles")
    return ViewEvent(event=Event(**m), merged=int(n_members) > 1, n_articles=int(n_articles))


def _attach(conn: Connection, items: list[ViewEvent]) -> list[ViewEvent]:
    """Fill each served event's sources and claims: all its members'."""
    if not items:
        return items
    by_id = {it.event.event_id: it.event for it in items}
    mem = t.event_cluster_members
    for table, names in ((t.event_sources, _SOURCE_FIELDS), (t.claims, _CLAIM_FIELDS)):
        # Two indexed lookups (members by cluster id; rows by event id), not a filter on
        # an outer join, which scanned every source at 100,000 events.  Plain tuples:
        # rows by name cost a tenth of a request's CPU (bench/api_latency.py).
        rows = conn.execute(
            select(mem.c.cluster_id, *(table.c[n] for n in names))
            .join_from(table, mem, mem.c.event_id == table.c.event_id)
            .where(mem.c.cluster_id.in_(list(by_id)))
            .order_by(table.c.article_id, table.c.start, table.c.id)
        ).all()
        seen: set[tuple[Any, ...]] = set()
        is_source = table is t.event_sources
        for item_id, *values in rows:
            # Two members told by the same sentence give the source (or claim) once.
            key = (item_id, *values)
            if key in seen:
                continue
            seen.add(key)
            fields = dict(zip(names, values, strict=True))
            if is_source:
                by_id[item_id].sources.append(Source(**fields))
            else:
                by_id[item_id].claims.append(Claim(**fields))
    return items


def search_events(store: Store, q: EventQuery) -> tuple[list[ViewEvent], int]:
    """The served events matching ``q`` (one page, with sources and claims) and the total."""
    v = event_view()
    where = and_(True, *_conditions(v, q))
    stmt = (select(*(v.c[n] for n in _PAGE_COLUMNS)).where(where)
            .order_by(*_order(v, q.sort)).offset(q.offset))
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    with store.engine.connect() as conn:
        items = [_row_to_view(r) for r in conn.execute(stmt).all()]
        # A count of its own, not a window count over the page's query: the page stops
        # after its rows, and the count is answered from a covering index.
        if q.limit is None or (len(items) < q.limit and (items or not q.offset)):
            total = q.offset + len(items)
        else:
            total = int(conn.execute(select(func.count()).select_from(v).where(where))
                        .scalar_one())
        return _attach(conn, items), total


def get_view_event(store: Store, event_id: str) -> ViewEvent | None:
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
        return _attach(conn, [_row_to_view(row)])[0]


def article_texts(store: Store, article_ids: Iterable[str],
                  text: bool = True) -> dict[str, tuple[str | None, str]]:
    """(title, text) of each given article; with ``text=False`` the text is left empty
    (an event list shows titles only: reading fifty articles' texts was a tenth of its
    cost, bench/api_latency.py)."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    a = t.articles.c
    with store.engine.connect() as conn:
        if not text:
            return {r[0]: (r[1], "") for r in conn.execute(
                select(a.id, a.title).where(a.id.in_(ids))).all()}
        rows = conn.execute(select(a.id, a.title, a.text).where(a.id.in_(ids))).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def actor_event_counts(store: Store) -> Counter[str]:
    """How many served events (background included) name each actor, on either side."""
    v = event_view()
    counts: Counter[str] = Counter()
    with store.engine.connect() as conn:
        for col in (v.c.actor1, v.c.actor2, v.c.assoc_actor_1, v.c.assoc_actor_2):
            for name, n in conn.execute(
                select(col, func.count()).where(col.is_not(None)).group_by(col)
            ).all():
                counts[name] += int(n)
    return counts


def stated_relations(store: Store, actor_ids: Iterable[str], limit: int = 200) -> list[dict[str, Any]]:
    """Relations stated in articles whose subject or object is one of ``actor_ids``."""
    ids = sorted(set(actor_ids))
    if not ids:
        return []
    r, a = t.relations.c, t.articles.c
    stmt = (select(r.subject, r.predicate, r.object, r.sentence, r.start, r.end, r.article_id,
                   a.title.label("article_title"))
            .join_from(t.relations, t.articles, a.id == r.article_id)
            .where(or_(r.subject.in_(ids), r.object.in_(ids)))
            .order_by(r.article_id, r.start).limit(limit))
    with store.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt).all()]


def event_facets(store: Store, q: EventQuery) -> list[dict[str, Any]]:
    """Date, place, type, actors and fatalities of every served event matching ``q``.

    Light rows for aggregates (trends, graph); sources are not read.
    """
    v = event_view()
    c = v.c
    stmt = select(c.event_id, c.event_date, c.country, c.admin1, c.event_type,
                  c.sub_event_type, c.actor1, c.actor2, c.fatalities).where(
        and_(True, *_conditions(v, q))).order_by(c.event_id)
    with store.engine.connect() as conn:
        result = conn.execution_options(yield_per=2000).execute(stmt)
        return [dict(r._mapping) for r in result]


__all__ = ["SORTS", "VIEW_COLUMNS", "EventQuery", "ViewEvent", "actor_event_counts",
           "article_texts", "event_facets", "event_view", "get_view_event", "search_events",
           "stated_relations"]
