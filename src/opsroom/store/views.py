"""Read queries of the web service over the event record as users see it.

Users see one event per happening: a merged event (``event_clusters``) where the merge
has grouped reports, and the per-article event itself where it has not (yet).  Both are
served through one SQL view (``UNION ALL`` of the two tables), so filtering, sorting and
counting happen in the database whatever the mix.  Every value reaches SQL as a bound
parameter.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Subquery,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)

from ..models import Claim, Event, Source
from . import tables as t
from .repository import Store

#: Columns a merged event and a per-article event share: the Event contract's fields.
VIEW_COLUMNS = (
    "event_type", "sub_event_type", "event_date", "date_precision", "actor1", "actor2",
    "assoc_actor_1", "assoc_actor_2", "location", "admin1", "country", "latitude",
    "longitude", "geo_precision", "fatalities", "fatalities_low", "fatalities_high",
    "injuries", "weapon", "quantity", "background",
)

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


def event_view() -> Subquery:
    """Merged events plus the per-article events no merged event holds yet."""
    cl, ev, mem = t.event_clusters.c, t.events.c, t.event_cluster_members.c
    clustered = select(
        literal("cluster").label("kind"), cl.cluster_id.label("event_id"),
        *(cl[c] for c in VIEW_COLUMNS), cl.n_articles.label("n_articles"),
    )
    single = select(
        literal("event").label("kind"), ev.event_id.label("event_id"),
        *(ev[c] for c in VIEW_COLUMNS), literal(1).label("n_articles"),
    ).where(~exists().where(mem.event_id == ev.event_id))
    return union_all(clustered, single).subquery("v")


def _item_of_source() -> ColumnElement[Any]:
    """The served id a source or claim belongs to: its merged event's, else its own event's."""
    return func.coalesce(t.event_cluster_members.c.cluster_id, t.event_sources.c.event_id)


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
        s, mem = t.event_sources, t.event_cluster_members
        matching = select(_item_of_source()).select_from(
            s.outerjoin(mem, mem.c.event_id == s.c.event_id))
        for word in q.text.split():
            matching = matching.where(func.lower(s.c.sentence).like(_like(word), escape="\\"))
        conds.append(or_(c.event_id.in_(matching),
                         func.lower(c.location).like(_like(q.text), escape="\\")))
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


def _row_to_view(row: Any) -> ViewEvent:
    m = row._mapping
    event = Event(event_id=m["event_id"], **{c: m[c] for c in VIEW_COLUMNS})
    return ViewEvent(event=event, merged=m["kind"] == "cluster", n_articles=int(m["n_articles"]))


def _attach(conn: Connection, items: list[ViewEvent]) -> list[ViewEvent]:
    """Fill each served event's sources and claims (a merged event: all its members')."""
    if not items:
        return items
    by_id = {it.event.event_id: it.event for it in items}
    merged_ids = [it.event.event_id for it in items if it.merged]
    single_ids = [it.event.event_id for it in items if not it.merged]
    mem = t.event_cluster_members
    for table, build in ((t.event_sources, _source), (t.claims, _claim)):
        # Two indexed lookups (members by cluster id; rows by event id) rather than one
        # filter on coalesce(cluster, event) over an outer join, which no index serves and
        # which scanned every source at 100,000 events (bench/api_latency.py).
        parts = []
        if merged_ids:
            parts.append(select(table, mem.c.cluster_id.label("item_id"))
                         .join_from(table, mem, mem.c.event_id == table.c.event_id)
                         .where(mem.c.cluster_id.in_(merged_ids)))
        if single_ids:
            parts.append(select(table, table.c.event_id.label("item_id"))
                         .where(table.c.event_id.in_(single_ids)))
        both = union_all(*parts).subquery("rows") if len(parts) > 1 else parts[0].subquery("rows")
        rows = conn.execute(
            select(both).order_by(both.c.article_id, both.c.start, both.c.id)
        ).all()
        seen: set[tuple[Any, ...]] = set()
        for r in rows:
            m = r._mapping
            obj = build(m)
            key = (m["item_id"], *_identity(obj))
            if key in seen:  # two members told by the same sentence
                continue
            seen.add(key)
            target = by_id[m["item_id"]]
            (target.sources if table is t.event_sources else target.claims).append(obj)  # type: ignore[arg-type]
    return items


def _source(m: Any) -> Source:
    return Source(article_id=m["article_id"], sentence=m["sentence"], start=m["start"],
                  end=m["end"], claimed_by=m["claimed_by"], stance=m["stance"])


def _claim(m: Any) -> Claim:
    return Claim(claimed_by=m["claimed_by"], stance=m["stance"], field=m["field"],
                 value=m["value"], sentence=m["sentence"], start=m["start"], end=m["end"],
                 article_id=m["article_id"])


def _identity(obj: Source | Claim) -> tuple[Any, ...]:
    if isinstance(obj, Source):
        return ("s", obj.article_id, obj.start, obj.end, obj.claimed_by, obj.stance)
    return ("c", obj.article_id, obj.start, obj.claimed_by, obj.stance, obj.field, obj.value)


def search_events(store: Store, q: EventQuery) -> tuple[list[ViewEvent], int]:
    """The served events matching ``q`` (one page, with sources and claims) and the total."""
    v = event_view()
    conds = _conditions(v, q)
    # The total rides on the page's rows (a window count): one pass over the matching
    # events instead of two, which halved the query's cost at 100,000 events
    # (bench/api_latency.py).  A page past the end has no row to carry it: count then.
    stmt = (select(v, func.count().over().label("_total")).where(and_(True, *conds))
            .order_by(*_order(v, q.sort)).offset(q.offset))
    if q.limit is not None:
        stmt = stmt.limit(q.limit)
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
        items = [_row_to_view(r) for r in rows]
        if rows:
            total = int(rows[0]._mapping["_total"])
        else:
            count = select(func.count()).select_from(v).where(and_(True, *conds))
            total = int(conn.execute(count).scalar_one())
        return _attach(conn, items), total


def get_view_event(store: Store, event_id: str) -> ViewEvent | None:
    """One served event by id; a per-article event's id leads to the merged event holding it."""
    v = event_view()
    with store.engine.connect() as conn:
        row = conn.execute(select(v).where(v.c.event_id == event_id)).first()
        if row is None:
            cluster = conn.execute(
                select(t.event_cluster_members.c.cluster_id)
                .where(t.event_cluster_members.c.event_id == event_id)
            ).scalar()
            if cluster is None:
                return None
            row = conn.execute(select(v).where(v.c.event_id == cluster)).first()
            if row is None:
                return None
        return _attach(conn, [_row_to_view(row)])[0]


def article_texts(store: Store, article_ids: Iterable[str]) -> dict[str, tuple[str | None, str]]:
    """(title, text) of each given article."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    a = t.articles.c
    with store.engine.connect() as conn:
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
