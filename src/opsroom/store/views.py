"""Read queries of the web service besides the event list: article titles and texts, actor
counts, stated relations.

The events themselves are read by ``query.search_events``, the one event query of every
door; this module adds what only the API's pages show.  Every value reaches SQL as a bound
parameter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select

from . import tables as t
from .query import event_view
from .repository import Store


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


__all__ = ["actor_event_counts", "article_texts", "stated_relations"]
