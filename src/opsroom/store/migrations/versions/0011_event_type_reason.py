"""Why each event has its sub-type.

A sub-type is decided by a trigger rule or, where the rules are silent or unsure, by the
learned classifier (its label, probability and nearest example).  The reason is kept
with the event, as the date's reason is.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("type_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("type_reason")
