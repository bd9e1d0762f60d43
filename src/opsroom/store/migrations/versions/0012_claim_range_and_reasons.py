"""What a claim's figure spans and how it was read; why a merged event has its date and type.

A claim of "1,000 to 1,500" keeps its upper end (``value_high``) beside its value, and how
the figure was read ("range 1,000 to 1,500", "vague quantity 'dozens'") as its reason, as
the extracted claim has them: a merge reads the stored claims, and the figure rule
(``opsroom.figures``) reads a claim's upper end.  A merged event keeps the date's and the
sub-type's reasons the merge chose, so a served event says why, as a per-article one does.

Claims stored before this revision have neither until their article is ingested again;
merged events get their reasons at the next merge (``opsroom merge`` rebuilds them all).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("value_high", sa.Integer, nullable=True))
        batch.add_column(sa.Column("reason", sa.Text, nullable=True))
    with op.batch_alter_table("event_clusters") as batch:
        batch.add_column(sa.Column("date_reason", sa.Text, nullable=True))
        batch.add_column(sa.Column("type_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_clusters") as batch:
        batch.drop_column("type_reason")
        batch.drop_column("date_reason")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("reason")
        batch.drop_column("value_high")
