"""Reads and writes of stored records; the only module that talks SQL."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from ..models import Article, Document, Entity, Event, OffsetSegment, Relation, Resolution
from . import tables as t
from .analysis_repo import AnalysisQueries
from .db import make_engine, migrate
from .query import attach_sources
from .records import (
    claim_columns,
    entity_columns,
    event_columns,
    relation_columns,
    row_to_relation,
    source_columns,
)


def insert_ignore(conn: Connection, table: t.Table, rows: list[dict[str, Any]]) -> int:
    """Insert rows, skipping those whose key exists; returns how many were new."""
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # RETURNING tells which rows landed; rowcount is -1 under psycopg's batched inserts.
    key = list(table.primary_key.columns)[0]
    stmt = dialect.insert(table).values(rows).on_conflict_do_nothing().returning(key)
    return len(conn.execute(stmt).all())


@dataclass
class ArticleFilter:
    """Filters of ``opsroom articles``."""

    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    text: str | None = None
    limit: int = 50
    offset: int = 0


def _article_row(article: Article, minhash: bytes) -> dict[str, Any]:
    return {
        "id": article.id,
        "content_hash": article.content_hash,
        "title": article.title,
        "text": article.text,
        "captions": list(article.captions),
        "authors": list(article.authors),
        "source": article.source,
        "dateline": article.dateline,
        "published": article.published,
        "published_source": article.published_source,
        "language": article.language,
        "url": article.url,
        "external_id": article.external_id,
        "origin": article.origin,
        "offset_map": [[s.clean_start, s.raw_start, s.length] for s in article.offset_map],
        "minhash": minhash,
    }


def row_to_article(row: Any) -> Article:
    """An ``articles`` row as an ``Article`` record."""
    m = row._mapping
    return Article(
        id=m["id"],
        text=m["text"],
        title=m["title"],
        captions=list(m["captions"] or []),
        authors=list(m["authors"] or []),
        source=m["source"],
        dateline=m["dateline"],
        published=m["published"],
        published_source=m["published_source"],
        language=m["language"],
        url=m["url"],
        external_id=m["external_id"],
        origin=m["origin"],
        offset_map=[OffsetSegment(*seg) for seg in (m["offset_map"] or [])],
        content_hash=m["content_hash"],
    )


def _key(*parts: object) -> str:
    """Deterministic id of a stored row from the fields that make it unique."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:32]


def _entity_row(article_id: str, e: Entity) -> dict[str, Any]:
    res = e.resolution
    # a caption's entity has offsets into its caption: the part keeps its key apart
    where = (e.part, e.part_index) if e.part else ()
    return {
        **{c: getattr(e, c) for c in entity_columns()},
        "id": _key(article_id, e.label, e.start, e.end, *where),
        "article_id": article_id,
        "ref_id": e.id,
        "method": res.method if res else None, "score": res.score if res else None,
        "reason": res.reason if res else None,
    }


def row_to_entity(row: Any) -> Entity:
    """An ``entities`` row as an ``Entity``, with its resolution when one was recorded."""
    m = row._mapping
    res = Resolution(m["method"], m["score"], m["reason"]) if m["method"] else None
    return Entity(**{c: m[c] for c in entity_columns()}, id=m["ref_id"], resolution=res)


def row_to_event(row: Any) -> Event:
    """An ``events`` row as an ``Event``, without sources or claims (attached separately)."""
    m = row._mapping
    return Event(event_id=m["event_id"], **{c: m[c] for c in event_columns()})


class Store(AnalysisQueries):
    """A database of articles (and, as stages land, entities and events)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, migrate_schema: bool = True) -> Store:
        """A store on the database at ``url``, its schema migrated to the latest revision
        unless ``migrate_schema`` is False."""
        engine = make_engine(url)
        if migrate_schema:
            migrate(engine)
        return cls(engine)

    def close(self) -> None:
        """Close the engine's pooled connections."""
        self.engine.dispose()

    # -- articles -----------------------------------------------------------------

    def stored_with_hash(self, conn: Connection, content_hash: str) -> tuple[str, str] | None:
        """(id, origin) of the stored article with this text, if any."""
        row = conn.execute(
            select(t.articles.c.id, t.articles.c.origin)
            .where(t.articles.c.content_hash == content_hash)
        ).first()
        return (row[0], row[1]) if row else None

    def duplicate_seen(self, conn: Connection, content_hash: str, origin: str) -> bool:
        """True when this copy (text and origin) was already recorded as a duplicate."""
        return conn.execute(
            select(t.duplicates.c.original_id).where(
                t.duplicates.c.content_hash == content_hash, t.duplicates.c.origin == origin
            )
        ).first() is not None

    def near_candidates(self, conn: Connection, keys: Sequence[tuple[int, int]]
                        ) -> list[tuple[str, bytes]]:
        """(id, MinHash signature) of stored articles sharing a band key with ``keys``."""
        if not keys:
            return []
        b, a = t.article_bands.c, t.articles.c
        # One primary-key lookup per band: SQLite answered a row-value ``IN`` by scanning
        # every band key of the store (1.6 million rows at 90,000 articles), per article.
        ids = select(b.article_id).where(or_(*(
            and_(b.band == band, b.key == key) for band, key in keys))).distinct()
        rows = conn.execute(select(a.id, a.minhash).where(a.id.in_(ids)).order_by(a.id))
        return [(r[0], bytes(r[1])) for r in rows]

    def add_article(self, conn: Connection, article: Article, minhash: bytes,
                    bands: Sequence[tuple[int, int]] = ()) -> bool:
        """Store an article with its near-duplicate band keys; False when it was there."""
        if insert_ignore(conn, t.articles, [_article_row(article, minhash)]) != 1:
            return False
        if bands:
            conn.execute(t.article_bands.insert(), [
                {"band": band, "key": key, "article_id": article.id} for band, key in bands])
        return True

    def add_duplicate(
        self, conn: Connection, article: Article, original_id: str, kind: str, similarity: float
    ) -> bool:
        """Record ``article`` as a duplicate of ``original_id`` (``kind`` exact or near, with
        its similarity); False when this copy was already recorded."""
        return insert_ignore(conn, t.duplicates, [{
            "content_hash": article.content_hash,
            "original_id": original_id,
            "kind": kind,
            "similarity": similarity,
            "title": article.title,
            "origin": article.origin,
        }]) == 1

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id or a unique prefix of it (as ``opsroom show`` takes); None
        when none or several match."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.articles).where(
                    or_(t.articles.c.id == article_id, t.articles.c.id.startswith(article_id))
                ).limit(2)
            ).all()
        return row_to_article(row[0]) if len(row) == 1 else None

    def duplicates_of(self, article_id: str) -> list[dict[str, Any]]:
        """The copies recorded as duplicates of an article (kind, similarity, title, origin)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.duplicates).where(t.duplicates.c.original_id == article_id)
            ).all()
        return [dict(r._mapping) for r in rows]

    def list_articles(self, f: ArticleFilter) -> tuple[list[Article], int]:
        """Articles matching the filter, newest first, and the total count."""
        conds = []
        c = t.articles.c
        if f.since:
            conds.append(c.published >= f.since)
        if f.until:
            conds.append(c.published <= f.until)
        if f.source:
            conds.append(func.lower(c.source) == f.source.lower())
        if f.text:
            for word in f.text.split():
                # % and _ in the words are literal characters, not wildcards.
                escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                pattern = f"%{escaped}%"
                conds.append(or_(func.lower(c.text).like(pattern, escape="\\"),
                                 func.lower(c.title).like(pattern, escape="\\")))
        where = and_(*conds) if conds else None
        q = select(t.articles)
        cq = select(func.count()).select_from(t.articles)
        if where is not None:
            q = q.where(where)
            cq = cq.where(where)
        q = q.order_by(c.published.desc().nulls_last(), c.title).limit(f.limit).offset(f.offset)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            total = conn.execute(cq).scalar_one()
        return [row_to_article(r) for r in rows], int(total)

    # -- analysis results ---------------------------------------------------------

    def add_document(self, conn: Connection, doc: Document) -> None:
        """Store the entities, relations and events found in one stored article."""
        aid = doc.article.id
        insert_ignore(conn, t.entities, [_entity_row(aid, e) for e in doc.entities])
        insert_ignore(conn, t.relations, [{
            **{c: getattr(r, c) for c in relation_columns()},
            "id": _key(aid, r.subject, r.predicate, r.object, r.start),
            "article_id": aid,
        } for r in doc.relations])
        for ev in doc.events:
            insert_ignore(conn, t.events, [{
                "event_id": ev.event_id, "article_id": aid,
                **{c: getattr(ev, c) for c in event_columns()},
            }])
            insert_ignore(conn, t.event_sources, [{
                **{c: getattr(src, c) for c in source_columns()},
                "id": _key(ev.event_id, src.article_id, src.start, src.end, src.claimed_by),
                "event_id": ev.event_id, "article_id": src.article_id or aid,
            } for src in ev.sources])
            # The key is the claim's content: a claim an event lists twice is stored once.
            insert_ignore(conn, t.claims, [{
                **{n: getattr(c, n) for n in claim_columns()},
                "id": _key(ev.event_id, c.article_id, c.start, c.claimed_by, c.field, c.value,
                           c.stance),
                "event_id": ev.event_id, "article_id": c.article_id or aid,
            } for c in ev.claims])

    def relations_of(self, article_id: str) -> list[Relation]:
        """Relations stated in one stored article, in text order."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.relations).where(t.relations.c.article_id == article_id)
                                .order_by(t.relations.c.start, t.relations.c.id)).all()
        return [row_to_relation(r._mapping) for r in rows]

    def outlets_of(self, article_ids: list[str]) -> dict[str, str | None]:
        """Outlet (``articles.source``) of each given article id."""
        if not article_ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.articles.c.id, t.articles.c.source)
                                .where(t.articles.c.id.in_(sorted(set(article_ids))))).all()
        return {r[0]: r[1] for r in rows}

    def entities_of(self, article_id: str) -> list[Entity]:
        """The entities stored for one article, in text order."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.entities).where(t.entities.c.article_id == article_id)
                                .order_by(t.entities.c.start)).all()
        return [row_to_entity(r) for r in rows]

    def events_of(self, article_id: str) -> list[Event]:
        """The events found in one stored article, with their sources and claims."""
        with self.engine.connect() as conn:
            events = [row_to_event(r) for r in conn.execute(
                select(t.events).where(t.events.c.article_id == article_id)).all()]
            attach_sources(conn, events, per_article=True)
        return events

    def counts(self) -> dict[str, int]:
        """Rows of articles, duplicates, entities and events, e.g. to check a re-ingest added none."""
        with self.engine.connect() as conn:
            return {
                "articles": conn.execute(select(func.count()).select_from(t.articles)).scalar_one(),
                "duplicates": conn.execute(
                    select(func.count()).select_from(t.duplicates)
                ).scalar_one(),
                "entities": conn.execute(select(func.count()).select_from(t.entities)).scalar_one(),
                "events": conn.execute(select(func.count()).select_from(t.events)).scalar_one(),
            }
