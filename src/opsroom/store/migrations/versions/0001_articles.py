"""Articles and their duplicates.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("captions", sa.JSON, nullable=False),
        sa.Column("authors", sa.JSON, nullable=False),
        sa.Column("source", sa.String(200)),
        sa.Column("dateline", sa.String(200)),
        sa.Column("published", sa.Date),
        sa.Column("published_source", sa.String(20)),
        sa.Column("language", sa.String(10)),
        sa.Column("url", sa.Text),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("offset_map", sa.JSON, nullable=False),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_table(
        "article_duplicates",
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("original_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("seen_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("content_hash", "origin", name="pk_article_duplicates"),
        sa.ForeignKeyConstraint(["original_id"], ["articles.id"], ondelete="CASCADE",
                                name="fk_article_duplicates_original_id_articles"),
    )
    op.create_index("ix_article_duplicates_original_id", "article_duplicates", ["original_id"])


def downgrade() -> None:
    op.drop_table("article_duplicates")
    op.drop_index("ix_articles_source", "articles")
    op.drop_index("ix_articles_published", "articles")
    op.drop_table("articles")
