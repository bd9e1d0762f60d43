"""The change feed: when each served event appeared, changed or went.

A user who keeps a copy of the record in sync (as ACLED's API lets its users do) had to
read every event again to learn what changed.  ``event_changes`` logs, in the transaction
of the change, each served event created, updated or deleted (a deleted event's row is its
tombstone), and ``GET /api/v1/changes?since=`` reads it.

The events served when the migration runs are logged as created at that time, so the
feed read from the start lists every event a copy needs.

Revision ID: 0014
Revises: 0013
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    changes = op.create_table(
        "event_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(40), nullable=False),
        sa.Column("change", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_event_changes_event_id", "event_changes", ["event_id"])
    op.create_index("ix_event_changes_at", "event_changes", ["at"])
    assert changes is not None
    clusters = sa.table("event_clusters", sa.column("cluster_id", sa.String(40)))
    now = dt.datetime.now(dt.UTC)
    op.get_bind().execute(changes.insert().from_select(
        ["event_id", "change", "at"],
        sa.select(clusters.c.cluster_id, sa.literal("created", sa.String(10)),
                  sa.literal(now, sa.DateTime(timezone=True)))
        .order_by(clusters.c.cluster_id)))


def downgrade() -> None:
    op.drop_index("ix_event_changes_at", table_name="event_changes")
    op.drop_index("ix_event_changes_event_id", table_name="event_changes")
    op.drop_table("event_changes")
