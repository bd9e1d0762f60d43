"""What an entity is and where it stood: an actor's kind, a person's rank, and the part of
the article (a caption, the dateline) for entities found outside the body text.

Organisations the knowledge base does not know are kept as unresolved actors with the
kind their name shows; entities of photo captions carry offsets into their caption, so
the part and the caption's index are stored beside the offsets.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("kind", sa.String(40), nullable=True))
        batch.add_column(sa.Column("rank", sa.Text, nullable=True))
        batch.add_column(sa.Column("part", sa.String(20), nullable=True))
        batch.add_column(sa.Column("part_index", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.drop_column("part_index")
        batch.drop_column("part")
        batch.drop_column("rank")
        batch.drop_column("kind")
