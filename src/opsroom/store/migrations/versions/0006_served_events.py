"""Served events: the event list reads ``event_clusters`` alone.

Until now the API served a ``UNION ALL`` of merged events and the per-article events no
merged event held yet, which every filtered page had to evaluate in full (an anti-join
per event) before keeping its 50 rows: 37 ms of server CPU per request at 100,000
events, and 240 ms for the unfiltered list (``bench/api_latency.py``).  Now every stored
event is in a cluster from the moment its article is stored: a *pending* singleton
cluster, which the next merge replaces.  ``search_text`` holds what ``q=`` searches (the
place and every source sentence, lower-cased) so a text filter reads one column, with a
trigram index on PostgreSQL.  The new indexes each cover one filter shape and
``background``, so pages stop early and totals are counted from the index.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it for a constant default): a batch copy of the table
    # would drop the expression indexes of 0005, which SQLite's reflection cannot see.
    op.add_column("event_clusters", sa.Column("pending", sa.Boolean, nullable=False,
                                              server_default=sa.false()))
    op.add_column("event_clusters", sa.Column("search_text", sa.Text, nullable=False,
                                              server_default=""))
    op.create_index("ix_event_clusters_pending", "event_clusters", ["pending"])
    op.drop_index("ix_event_clusters_country_type_date", table_name="event_clusters")
    op.create_index("ix_event_clusters_country_type_date", "event_clusters",
                    [sa.text("lower(country)"), sa.text("lower(event_type)"), "event_date",
                     "background"])
    op.create_index("ix_event_clusters_served", "event_clusters",
                    ["background", "event_date", "cluster_id"])
    op.create_index("ix_event_clusters_date_geo", "event_clusters",
                    ["event_date", "longitude", "latitude", "background"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and bind.execute(sa.text(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        # A trusted extension: the database owner may create it.  Without it ``q=`` still
        # works, by a scan.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_event_clusters_search_text ON event_clusters "
                   "USING gin (search_text gin_trgm_ops)")
    # Clusters written before this migration: their search text from their members'
    # sentences (the merge writes it from then on).  Per-article events no cluster holds
    # are served once the next merge runs (``opsroom serve`` runs it at start).
    concat = ("string_agg(s.sentence, ' ')" if bind.dialect.name == "postgresql"
              else "group_concat(s.sentence, ' ')")
    op.execute(f"""
        UPDATE event_clusters SET search_text = lower(
            coalesce(location, '') || ' ' || coalesce((
                SELECT {concat} FROM event_sources s
                JOIN event_cluster_members m ON m.event_id = s.event_id
                WHERE m.cluster_id = event_clusters.cluster_id), ''))
    """)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_event_clusters_search_text")
    op.drop_index("ix_event_clusters_date_geo", table_name="event_clusters")
    op.drop_index("ix_event_clusters_served", table_name="event_clusters")
    op.drop_index("ix_event_clusters_country_type_date", table_name="event_clusters")
    op.drop_index("ix_event_clusters_lat_lon", table_name="event_clusters")
    op.drop_index("ix_event_clusters_pending", table_name="event_clusters")
    with op.batch_alter_table("event_clusters") as batch:
        batch.drop_column("search_text")
        batch.drop_column("pending")
    op.create_index("ix_event_clusters_country_type_date", "event_clusters",
                    [sa.text("lower(country)"), sa.text("lower(event_type)"), "event_date"])
    op.create_index("ix_event_clusters_lat_lon", "event_clusters", ["latitude", "longitude"])
