"""The caller's own id of each article.

A JSONL record's ``id`` (or a feed item's guid) is what a caller joins results back to;
the article id is a hash of the text.  Stored beside it, indexed so a caller can look
an article up by it.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("external_id", sa.Text, nullable=True))
        batch.create_index("ix_articles_external_id", ["external_id"])


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_external_id")
        batch.drop_column("external_id")
