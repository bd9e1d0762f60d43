"""The database schema, as SQLAlchemy Core tables.

Only the storage layer writes SQL.  Types are portable so one set of Alembic migrations
serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("captions", JSON, nullable=False),
    Column("authors", JSON, nullable=False),
    Column("source", String(200)),
    Column("dateline", String(200)),
    Column("published", Date),
    Column("published_source", String(20)),
    Column("language", String(10)),
    Column("url", Text),
    Column("origin", Text, nullable=False),
    Column("offset_map", JSON, nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("ingested_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Index("ix_articles_published", "published"),
    Index("ix_articles_source", "source"),
)

duplicates = Table(
    "article_duplicates",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("origin", Text, primary_key=True),
    Column("original_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # exact | near
    Column("similarity", Float, nullable=False),
    Column("title", Text),
    Column("seen_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

__all__ = ["metadata", "articles", "duplicates", "Boolean", "Integer"]
