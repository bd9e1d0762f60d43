"""Reads and writes behind merging and analysis: merged events (clusters), control, graph.

A mixin of ``Store``: the only SQL that merging and the analysis modules rely on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from ..models import Event, Relation
from . import tables as t
from .changes import CREATED, digests, log_changes, record_differences
from .overrides import reapply_overrides
from .query import IN_CHUNK, attach_sources, chunks
from .records import event_columns, row_to_relation

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from ..models import Cluster

#: The ``store_state`` row counting changes to the served events.
SERVED = "served"


def bump_served(conn: Connection) -> None:
    """Count a change to the served events, in the caller's transaction.

    Call it last before the commit: on PostgreSQL the row stays locked until then, and
    writers that take it last never wait on each other while holding it.
    """
    s = t.store_state.c
    done = conn.execute(update(t.store_state).where(s.name == SERVED).values(value=s.value + 1))
    if done.rowcount == 0:  # the row was removed by hand: without it no page would expire
        conn.execute(insert(t.store_state).values(name=SERVED, value=1))


def served_count(conn: Connection) -> int:
    """The count ``bump_served`` keeps (0 when there is none yet)."""
    s = t.store_state.c
    return int(conn.execute(select(s.value).where(s.name == SERVED)).scalar() or 0)


def _event(m: Any, id_column: str = "event_id") -> Event:
    """An event (without sources and claims) from a row of ``events`` or ``event_clusters``."""
    return Event(event_id=m[id_column], **{c: m[c] for c in event_columns()})


class AnalysisQueries:
    """Store methods for merged events and the analyses built on them."""

    engine: Engine

    # -- merging --------------------------------------------------------------------------

    def merge_items(
        self, ids: Iterable[str] | None = None,
        dated: Sequence[tuple[dt.date, dt.date]] = (),
        undated: Sequence[tuple[dt.date, dt.date]] = (),
        years: Sequence[tuple[int, int]] = (),
    ) -> list[tuple[Event, str, dt.date | None]]:
        """(event without sources, article id, article date) of stored events.

        All of them; or those with ``ids``; or those whose event date lies in one of
        the ``dated`` spans, the undated ones whose article was published in one of the
        ``undated`` spans, and those dated only by a year in one of the ``years`` runs
        (first, last).  Each span is its own range query on an index: an OR of them all
        across the join scanned the whole store for each read (84% of a merge's time).
        """
        e, a = t.events.c, t.articles.c
        base = select(t.events, a.published.label("_published")).join(
            t.articles, a.id == e.article_id)
        queries = []
        if ids is not None:
            queries = [base.where(e.event_id.in_(chunk)) for chunk in chunks(ids)]
        elif dated or undated or years:
            # Year-precision events come by year only, so that no event is read twice.
            not_year = or_(e.date_precision.is_(None), e.date_precision != "year")
            queries += [base.where(e.event_date.between(lo, hi), not_year) for lo, hi in dated]
            # Articles by publication first: SQLite otherwise walks every undated event
            # (a third of a store) through the date index.
            queries += [base.where(e.event_date.is_(None), e.article_id.in_(
                select(a.id).where(a.published.between(lo, hi)))) for lo, hi in undated]
            queries += [base.where(e.date_precision == "year", e.event_date.between(
                dt.date(first, 1, 1), dt.date(last, 12, 31))) for first, last in years]
        else:
            queries = [base]
        out = []
        with self.engine.connect() as conn:
            for q in queries:
                for row in conn.execute(q.order_by(e.event_id)):
                    m = row._mapping
                    out.append((_event(m), m["article_id"], m["_published"]))
        return out

    def unclustered_event_ids(self) -> list[str]:
        """Events in no cluster yet: stored since the last merge."""
        e, m = t.events.c, t.event_cluster_members.c
        q = (select(e.event_id).outerjoin(t.event_cluster_members, m.event_id == e.event_id)
             .where(m.event_id.is_(None)))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    def stale_cluster_event_ids(self) -> list[str]:
        """Remaining members of clusters that lost members (their article was removed)."""
        c, m = t.event_clusters.c, t.event_cluster_members.c
        counts = (select(m.cluster_id, func.count().label("n")).group_by(m.cluster_id)
                  .subquery())
        stale = (select(c.cluster_id).outerjoin(counts, counts.c.cluster_id == c.cluster_id)
                 .where(func.coalesce(counts.c.n, 0) != c.n_members))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(
                select(m.event_id).where(m.cluster_id.in_(stale)))]

    def cluster_members_of(self, event_ids: Iterable[str]) -> set[str]:
        """Every member of the clusters that hold any of ``event_ids``."""
        m = t.event_cluster_members.c
        out: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in chunks(event_ids):
                clusters = select(m.cluster_id).where(m.event_id.in_(chunk))
                out.update(r[0] for r in conn.execute(
                    select(m.event_id).where(m.cluster_id.in_(clusters))))
        return out

    def replace_clusters(self, event_ids: Iterable[str] | None, clusters: Sequence[Cluster]) -> int:
        """Drop the clusters holding ``event_ids`` (all when None), store ``clusters``.

        One transaction: readers see the old clusters or the new ones, never a mix, and
        the new ones carry the analysts' edits of the old (``overrides``).  Returns how many clusters were dropped.
        """
        c, m = t.event_clusters.c, t.event_cluster_members.c
        with self.engine.begin() as conn:
            if event_ids is None:
                old = [r[0] for r in conn.execute(select(c.cluster_id))]
            else:
                old_set: set[str] = set()
                for chunk in chunks(event_ids):
                    old_set.update(r[0] for r in conn.execute(
                        select(m.cluster_id).where(m.event_id.in_(chunk))))
                old = sorted(old_set)
            # Clusters whose every member was deleted with its article.
            emptied = select(c.cluster_id).where(~c.cluster_id.in_(
                select(m.cluster_id).distinct()))
            # The change feed: what was served before, to log what differs after.
            before = digests(conn, None if event_ids is None else
                             [*old, *(r[0] for r in conn.execute(emptied))])
            for chunk in chunks(old):
                conn.execute(delete(t.event_cluster_members).where(m.cluster_id.in_(chunk)))
                conn.execute(delete(t.event_clusters).where(c.cluster_id.in_(chunk)))
            conn.execute(delete(t.event_clusters).where(c.cluster_id.in_(emptied)))
            self._insert_clusters(conn, clusters)
            # Analysts' edits of the dropped events, laid over what replaced them.
            new = [cl.cluster_id for cl in clusters]
            reapply_overrides(conn, [*old, *new], fresh=set(new))
            record_differences(conn, before, digests(conn, None if event_ids is None
                                                     else [*before, *new]))
            if old or clusters:
                bump_served(conn)
        return len(old)

    def _insert_clusters(self, conn: Connection, clusters: Sequence[Cluster]) -> None:
        """Write clusters and their member rows, in chunks."""
        rows = [self._cluster_row(cl) for cl in clusters]
        members = [{"event_id": mem.event_id, "cluster_id": cl.cluster_id,
                    "reason": mem.reason} for cl in clusters for mem in cl.members]
        for i in range(0, len(rows), IN_CHUNK):
            conn.execute(t.event_clusters.insert(), rows[i:i + IN_CHUNK])
        for i in range(0, len(members), IN_CHUNK):
            conn.execute(t.event_cluster_members.insert(), members[i:i + IN_CHUNK])

    def add_pending_clusters(self, conn: Connection, clusters: Sequence[Cluster]) -> int:
        """Store the singleton clusters of newly stored events, inside their article's
        transaction, so the events are served at once; the next merge replaces them.

        Events some cluster already holds are left alone.  Returns how many were stored.
        """
        m = t.event_cluster_members.c
        ids = [mem.event_id for cl in clusters for mem in cl.members]
        held = {r[0] for r in conn.execute(select(m.event_id).where(m.event_id.in_(ids)))} \
            if ids else set()
        fresh = [cl for cl in clusters if not {mem.event_id for mem in cl.members} & held]
        self._insert_clusters(conn, fresh)
        if fresh:
            log_changes(conn, [cl.cluster_id for cl in fresh], CREATED)
            bump_served(conn)
        return len(fresh)

    def served_generation(self) -> int:
        """The count of committed changes to the served events (see ``bump_served``)."""
        with self.engine.connect() as conn:
            return served_count(conn)

    def refresh_statistics(self) -> None:
        """Let the query planner know the served events' new shape, after a merge.

        SQLite keeps no statistics until asked: on a store never analysed it served the
        filtered event list from the wrong index at 13 ms of CPU a page instead of 5.6 ms
        (bench/api_latency.py, 100,000 events).  ``analysis_limit`` bounds the work to a
        sample of each index (0.1 s here).  PostgreSQL's autovacuum would get there within
        a minute; ANALYZE samples too.
        """
        with self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                conn.exec_driver_sql("ANALYZE")
            else:
                conn.exec_driver_sql("ANALYZE event_clusters, event_cluster_members")

    def event_ids(self) -> list[str]:
        """Every stored event's id."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(t.events.c.event_id))]

    def pending_event_ids(self) -> list[str]:
        """Members of the clusters no merge has seen yet."""
        c, m = t.event_clusters.c, t.event_cluster_members.c
        q = (select(m.event_id).join_from(t.event_cluster_members, t.event_clusters,
                                          c.cluster_id == m.cluster_id)
             .where(c.pending.is_(True)))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q)]

    @staticmethod
    def _cluster_row(cl: Cluster) -> dict[str, Any]:
        ev = cl.event
        return {"cluster_id": ev.event_id, "block": cl.block,
                **{k: getattr(ev, k) for k in event_columns()},
                "claimants": list(cl.claimants), "n_members": len(cl.members),
                "n_articles": cl.n_articles, "pending": cl.pending,
                "search_text": cl.search_text}

    # -- events with their sources ----------------------------------------------------------

    def events_by_ids(self, ids: Iterable[str]) -> list[Event]:
        """Per-article events with these ids, with their sources and claims."""
        out: list[Event] = []
        with self.engine.connect() as conn:
            for chunk in chunks(ids):
                events = [_event(r._mapping) for r in conn.execute(
                    select(t.events).where(t.events.c.event_id.in_(chunk)))]
                attach_sources(conn, events, per_article=True)
                out.extend(events)
        return out

    # -- merged events ------------------------------------------------------------------------

    def cluster_members(self, cluster_id: str) -> list[tuple[str, str]]:
        """(member event id, why it joined) of one merged event, earliest first."""
        m = t.event_cluster_members.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(m.event_id, m.reason)
                                .where(m.cluster_id == cluster_id)).all()
        # The earliest member is the one the cluster is named after.
        return sorted(((r[0], r[1]) for r in rows), key=lambda r: (r[0] != cluster_id, r[0]))

    def cluster_info(self, cluster_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Claimants and counts of merged events, by id."""
        c = t.event_clusters.c
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(cluster_ids):
                for r in conn.execute(select(c.cluster_id, c.claimants, c.n_members,
                                             c.n_articles).where(c.cluster_id.in_(chunk))):
                    out[r[0]] = {"claimants": list(r[1] or []), "n_members": r[2],
                                 "n_articles": r[3]}
        return out

    def cluster_count(self) -> int:
        """How many merged events (clusters of reports) are stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.event_clusters)).scalar_one())

    # -- analysis inputs --------------------------------------------------------------------

    def stated_relations(self, since: dt.date | None = None,
                         until: dt.date | None = None) -> list[tuple[Relation, dt.date | None]]:
        """Relations stated in stored articles, with the article's date, in a window.

        Articles without a date are kept: a stated relation is background knowledge.
        """
        r, a = t.relations.c, t.articles.c
        q = select(t.relations, a.published).join(t.articles, a.id == r.article_id)
        if since:
            q = q.where(or_(a.published.is_(None), a.published >= since))
        if until:
            q = q.where(or_(a.published.is_(None), a.published <= until))
        out = []
        with self.engine.connect() as conn:
            for row in conn.execute(q.order_by(r.article_id, r.start)):
                m = row._mapping
                out.append((row_to_relation(m), m["published"]))
        return out

    def article_dates(self, article_ids: Iterable[str]) -> dict[str, dt.date | None]:
        """Publication date of each article."""
        out: dict[str, dt.date | None] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(article_ids):
                out.update((r[0], r[1]) for r in conn.execute(
                    select(t.articles.c.id, t.articles.c.published)
                    .where(t.articles.c.id.in_(chunk))))
        return out

