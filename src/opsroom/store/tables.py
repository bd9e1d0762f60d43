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



entities = Table(
    "entities",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("label", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("ref_id", String(120), index=True),
    Column("name", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("country", String(80)),
    Column("admin1", String(120)),
    Column("geo_precision", Integer),
    Column("feature", String(40)),
    Column("geonameid", Integer),
    Column("anchor", Text),
    Column("role", Text),
    Column("organisation", Text),
    Column("method", String(40)),
    Column("score", Float),
    Column("reason", Text),
)

relations = Table(
    "relations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("subject", String(120), nullable=False, index=True),
    Column("predicate", String(20), nullable=False),
    Column("object", String(120), nullable=False, index=True),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(40), primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(80), nullable=False),
    Column("event_date", Date),
    Column("date_precision", String(10)),
    Column("date_reason", Text),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("assoc_actor_1", Text),
    Column("assoc_actor_2", Text),
    Column("location", Text),
    Column("admin1", String(120)),
    Column("country", String(80)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("fatalities", Integer),
    Column("fatalities_low", Integer),
    Column("fatalities_high", Integer),
    Column("injuries", Integer),
    Column("weapon", String(80)),
    Column("quantity", Integer),
    Column("background", Boolean, nullable=False),
    Index("ix_events_event_date", "event_date"),
    Index("ix_events_country", "country"),
    Index("ix_events_event_type", "event_type"),
)

event_sources = Table(
    "event_sources",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("event_id", String(40), ForeignKey("events.event_id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("claimed_by", Text),
    Column("stance", String(10), nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("event_id", String(40), ForeignKey("events.event_id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE")),
    Column("claimed_by", Text),
    Column("stance", String(10), nullable=False),
    Column("field", String(40)),
    Column("value", Integer),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

__all__ = ["articles", "claims", "duplicates", "entities", "event_sources", "events",
           "metadata", "relations"]
