"""Analysts' edits as overrides that outlive a merge.

An edit of a served event used to change the merged record in place, and the next merge
(``opsroom merge``, an ingest's incremental merge) wrote the merge's record back over
it, while the audit log still told of the edit.  ``event_overrides`` keeps each edited
field apart: the value, the value the extractor gave, who and when, and the per-article
events the edited event held (``members``, and their digest ``members_key``), so every
merge, re-ingest and restore can lay it over the merged event that holds those reports
again, or say why it cannot (``status`` and ``reason``).

Edits made before this revision are in the audit log only; they are not turned into
overrides (what the edited event held when they were made is not known).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("cluster_id", sa.String(40), nullable=False),
        sa.Column("members_key", sa.String(64), nullable=False),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("value", sa.JSON),
        sa.Column("extracted", sa.JSON),
        sa.Column("who", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_event_overrides_cluster_id", "event_overrides", ["cluster_id"])
    op.create_index("ix_event_overrides_members_field", "event_overrides",
                    ["members_key", "field"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_event_overrides_members_field", table_name="event_overrides")
    op.drop_index("ix_event_overrides_cluster_id", table_name="event_overrides")
    op.drop_table("event_overrides")
