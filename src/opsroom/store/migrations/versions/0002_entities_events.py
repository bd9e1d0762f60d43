"""Entities, stated relations, events, their sources and claims.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _article_fk(table: str, nullable: bool = False) -> sa.Column:
    return sa.Column(
        "article_id", sa.String(40),
        sa.ForeignKey("articles.id", ondelete="CASCADE", name=f"fk_{table}_article_id_articles"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.String(40), primary_key=True),
        _article_fk("entities"),
        sa.Column("label", sa.String(10), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("ref_id", sa.String(120)),
        sa.Column("name", sa.Text),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("country", sa.String(80)),
        sa.Column("admin1", sa.String(120)),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("feature", sa.String(40)),
        sa.Column("geonameid", sa.Integer),
        sa.Column("anchor", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("organisation", sa.Text),
        sa.Column("method", sa.String(40)),
        sa.Column("score", sa.Float),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_entities_article_id", "entities", ["article_id"])
    op.create_index("ix_entities_ref_id", "entities", ["ref_id"])
    op.create_table(
        "relations",
        sa.Column("id", sa.String(40), primary_key=True),
        _article_fk("relations"),
        sa.Column("subject", sa.String(120), nullable=False),
        sa.Column("predicate", sa.String(20), nullable=False),
        sa.Column("object", sa.String(120), nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    op.create_index("ix_relations_article_id", "relations", ["article_id"])
    op.create_index("ix_relations_subject", "relations", ["subject"])
    op.create_index("ix_relations_object", "relations", ["object"])
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(40), primary_key=True),
        _article_fk("events"),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("sub_event_type", sa.String(80), nullable=False),
        sa.Column("event_date", sa.Date),
        sa.Column("date_precision", sa.String(10)),
        sa.Column("date_reason", sa.Text),
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
    )
    op.create_index("ix_events_article_id", "events", ["article_id"])
    op.create_index("ix_events_event_date", "events", ["event_date"])
    op.create_index("ix_events_country", "events", ["country"])
    op.create_index("ix_events_event_type", "events", ["event_type"])
    op.create_table(
        "event_sources",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("event_id", sa.String(40),
                  sa.ForeignKey("events.event_id", ondelete="CASCADE",
                                name="fk_event_sources_event_id_events"), nullable=False),
        _article_fk("event_sources"),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.Text),
        sa.Column("stance", sa.String(10), nullable=False),
    )
    op.create_index("ix_event_sources_event_id", "event_sources", ["event_id"])
    op.create_table(
        "claims",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("event_id", sa.String(40),
                  sa.ForeignKey("events.event_id", ondelete="CASCADE",
                                name="fk_claims_event_id_events"), nullable=False),
        _article_fk("claims", nullable=True),
        sa.Column("claimed_by", sa.Text),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("field", sa.String(40)),
        sa.Column("value", sa.Integer),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    )
    op.create_index("ix_claims_event_id", "claims", ["event_id"])


def downgrade() -> None:
    for table in ("claims", "event_sources", "events", "relations", "entities"):
        op.drop_table(table)
