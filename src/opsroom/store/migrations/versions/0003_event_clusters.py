"""Merged events: clusters of per-article events that report one happening.

A cluster's id is the id of its earliest member, so it survives re-ingest; each member row
records why it joined.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_clusters",
        sa.Column("cluster_id", sa.String(40), primary_key=True),
        sa.Column("block", sa.String(80), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("sub_event_type", sa.String(80), nullable=False),
        sa.Column("event_date", sa.Date),
        sa.Column("date_precision", sa.String(10)),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("assoc_actor_1", sa.Text),
        sa.Column("assoc_actor_2", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("admin1", sa.String(120)),
        sa.Column("country", sa.String(80)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("fatalities", sa.Integer),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("injuries", sa.Integer),
        sa.Column("weapon", sa.String(80)),
        sa.Column("quantity", sa.Integer),
        sa.Column("background", sa.Boolean, nullable=False),
        sa.Column("claimants", sa.JSON, nullable=False),
        sa.Column("n_members", sa.Integer, nullable=False),
        sa.Column("n_articles", sa.Integer, nullable=False),
    )
    op.create_index("ix_event_clusters_block", "event_clusters", ["block"])
    op.create_index("ix_event_clusters_event_date", "event_clusters", ["event_date"])
    op.create_index("ix_event_clusters_country", "event_clusters", ["country"])
    op.create_table(
        "event_cluster_members",
        sa.Column("event_id", sa.String(40),
                  sa.ForeignKey("events.event_id", ondelete="CASCADE",
                                name="fk_event_cluster_members_event_id_events"),
                  primary_key=True),
        sa.Column("cluster_id", sa.String(40),
                  sa.ForeignKey("event_clusters.cluster_id", ondelete="CASCADE",
                                name="fk_event_cluster_members_cluster_id_event_clusters"),
                  nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_event_cluster_members_cluster_id", "event_cluster_members",
                    ["cluster_id"])


def downgrade() -> None:
    op.drop_table("event_cluster_members")
    op.drop_table("event_clusters")
