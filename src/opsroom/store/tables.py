"""The database schema, as SQLAlchemy Core tables.

Only the storage layer writes SQL.  Types are portable so one set of Alembic migrations
serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
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
    false,
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
    Column("external_id", Text),
    Column("origin", Text, nullable=False),
    Column("offset_map", JSON, nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("ingested_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Index("ix_articles_published", "published"),
    Index("ix_articles_source", "source"),
    Index("ix_articles_external_id", "external_id"),
)

# Near-duplicate candidates (migration 0007): each stored article's MinHash band keys.
article_bands = Table(
    "article_bands",
    metadata,
    Column("band", Integer, primary_key=True),
    Column("key", BigInteger, primary_key=True),
    Column("article_id", String(40), ForeignKey("articles.id", ondelete="CASCADE"),
           primary_key=True, index=True),
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
    Column("kind", String(40)),
    Column("rank", Text),
    Column("part", String(20)),
    Column("part_index", Integer),
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
    Column("type_reason", Text),
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
    # Migration 0012: the upper end of a stated range, and how the figure was read.
    Column("value_high", Integer),
    Column("reason", Text),
)

# Merged events (migration 0003): one cluster per happening, whatever the number of reports.
event_clusters = Table(
    "event_clusters",
    metadata,
    Column("cluster_id", String(40), primary_key=True),
    Column("block", String(80), nullable=False, index=True),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(80), nullable=False),
    Column("event_date", Date, index=True),
    Column("date_precision", String(10)),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("assoc_actor_1", Text),
    Column("assoc_actor_2", Text),
    Column("location", Text),
    Column("admin1", String(120)),
    Column("country", String(80), index=True),
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
    Column("claimants", JSON, nullable=False),
    Column("n_members", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    # Migration 0006: a cluster the merge has not seen yet (one new event, stored with
    # its article so it is served at once), and the text the ``q=`` filter searches.
    Column("pending", Boolean, nullable=False, server_default=false(), index=True),
    Column("search_text", Text, nullable=False, server_default=""),
    # Migration 0012: why the merged event has its date and its sub-type.
    Column("date_reason", Text),
    Column("type_reason", Text),
)

event_cluster_members = Table(
    "event_cluster_members",
    metadata,
    Column("event_id", String(40), ForeignKey("events.event_id", ondelete="CASCADE"),
           primary_key=True),
    Column("cluster_id", String(40), ForeignKey("event_clusters.cluster_id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("reason", Text, nullable=False),
)

__all__ = ["article_bands", "articles", "claims", "duplicates", "entities", "event_cluster_members",
           "event_clusters", "event_sources", "events", "metadata", "relations"]

# The web service (migration 0004): API tokens (hashed), the audit trail of edits, and
# ingest jobs submitted through the API.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("who", String(80), nullable=False),
    Column("action", String(20), nullable=False),
    Column("target", String(40), nullable=False, index=True),
    Column("before", JSON),
    Column("after", JSON),
)

ingest_jobs = Table(
    "ingest_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("state", String(10), nullable=False),
    Column("who", String(80), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("started", DateTime(timezone=True)),
    Column("finished", DateTime(timezone=True)),
    Column("total", Integer),
    Column("read", Integer, nullable=False),
    Column("new", Integer, nullable=False),
    Column("known", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("failures", JSON, nullable=False),
    Column("error", Text),
)

__all__ += ["api_tokens", "audit_log", "ingest_jobs"]

# Indexes of the API's event filters (migration 0005): ``lower(...)`` as the filters
# compare, so one index serves country + type + date window; (latitude, longitude) the box.
Index("ix_events_country_type_date", func.lower(events.c.country),
      func.lower(events.c.event_type), events.c.event_date)
Index("ix_events_lat_lon", events.c.latitude, events.c.longitude)

# Served events (migration 0006): the event list reads ``event_clusters`` alone.  Each
# index covers one filter shape *and* ``background``, so a page is a range scan that
# stops after its rows and the total is counted from the index alone.
Index("ix_event_clusters_country_type_date", func.lower(event_clusters.c.country),
      func.lower(event_clusters.c.event_type), event_clusters.c.event_date,
      event_clusters.c.background)
Index("ix_event_clusters_lat_lon", event_clusters.c.latitude, event_clusters.c.longitude)
Index("ix_event_clusters_served", event_clusters.c.background, event_clusters.c.event_date,
      event_clusters.c.cluster_id)
Index("ix_event_clusters_date_geo", event_clusters.c.event_date, event_clusters.c.longitude,
      event_clusters.c.latitude, event_clusters.c.background)

# Counters of the store (migration 0008).  ``served`` goes up with every committed change
# to what the event list serves, so a server process can keep the pages it rendered until
# the store changes under them.
store_state = Table(
    "store_state",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

__all__ += ["store_state"]

# Analysts' edits as overrides (migration 0013): an edit of a merged event is kept apart
# from the merge's record and laid over it again after every merge, re-ingest and restore.
# ``members`` are the per-article events the edited event held when it was edited (their
# digest ``members_key`` names that event across merges, whose cluster ids may change);
# ``cluster_id`` is the merged event the override lies on now.
event_overrides = Table(
    "event_overrides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("cluster_id", String(40), nullable=False, index=True),
    Column("members_key", String(64), nullable=False),
    Column("members", JSON, nullable=False),
    Column("field", String(40), nullable=False),
    Column("value", JSON),
    Column("extracted", JSON),
    Column("who", String(80), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),  # applied | needs review | orphaned
    Column("reason", Text),
    Index("ix_event_overrides_members_field", "members_key", "field", unique=True),
)

__all__ += ["event_overrides"]

# The change feed (migration 0014): one row each time a served event appears, changes or
# goes, so a user keeping a copy asks for what changed since their last sync
# (``GET /api/v1/changes``) instead of reading every event again.  A deleted event keeps
# its row here as a tombstone.  ``change`` is created | updated | deleted.
event_changes = Table(
    "event_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), nullable=False, index=True),
    Column("change", String(10), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
)

__all__ += ["event_changes"]
