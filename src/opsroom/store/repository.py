"""Reads and writes of stored records; the only module that talks SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from ..models import Article, OffsetSegment
from . import tables as t
from .db import make_engine, migrate


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
        "origin": article.origin,
        "offset_map": [[s.clean_start, s.raw_start, s.length] for s in article.offset_map],
        "minhash": minhash,
    }


def row_to_article(row: Any) -> Article:
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
        origin=m["origin"],
        offset_map=[OffsetSegment(*seg) for seg in (m["offset_map"] or [])],
        content_hash=m["content_hash"],
    )


class Store:
    """A database of articles (and, as stages land, entities and events)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, migrate_schema: bool = True) -> Store:
        engine = make_engine(url)
        if migrate_schema:
            migrate(engine)
        return cls(engine)

    def close(self) -> None:
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

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(article id, MinHash signature) of every stored article, streamed."""
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=1000).execute(
                select(t.articles.c.id, t.articles.c.minhash)
            )
            for row in result:
                yield row[0], bytes(row[1])

    def add_article(self, conn: Connection, article: Article, minhash: bytes) -> bool:
        """Store an article; False when it was already there."""
        return insert_ignore(conn, t.articles, [_article_row(article, minhash)]) == 1

    def add_duplicate(
        self, conn: Connection, article: Article, original_id: str, kind: str, similarity: float
    ) -> bool:
        return insert_ignore(conn, t.duplicates, [{
            "content_hash": article.content_hash,
            "original_id": original_id,
            "kind": kind,
            "similarity": similarity,
            "title": article.title,
            "origin": article.origin,
        }]) == 1

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.articles).where(
                    or_(t.articles.c.id == article_id, t.articles.c.id.startswith(article_id))
                ).limit(2)
            ).all()
        return row_to_article(row[0]) if len(row) == 1 else None

    def duplicates_of(self, article_id: str) -> list[dict[str, Any]]:
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
                pattern = f"%{word.lower()}%"
                conds.append(or_(func.lower(c.text).like(pattern),
                                 func.lower(c.title).like(pattern)))
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

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                "articles": conn.execute(select(func.count()).select_from(t.articles)).scalar_one(),
                "duplicates": conn.execute(
                    select(func.count()).select_from(t.duplicates)
                ).scalar_one(),
            }
