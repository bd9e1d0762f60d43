"""Near-duplicate band keys in the database.

Until now each ingest rebuilt an in-memory LSH index of every stored article's MinHash
signature (datasketch's ``MinHashLSH``): ~9 KB per stored article, so the ingest's
memory grew with the store (0.9 GB at 100,000 articles; ``bench/ingest_volume.py``), and
two ingests running together could not see each other's articles.  Now each stored
article's band keys are rows of ``article_bands``; a new article looks its keys up by the
primary key.  Existing articles get theirs here, from their stored signatures.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: Articles read per batch while computing the keys of an existing store.
BATCH = 2000


def upgrade() -> None:
    # The band layout is the application's (datasketch's choice for its threshold): the
    # keys written here must be the ones new articles are compared with.
    from opsroom.ingest.dedup import band_keys, from_signature

    bands = op.create_table(
        "article_bands",
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("key", sa.BigInteger, primary_key=True),
        sa.Column("article_id", sa.String(40),
                  sa.ForeignKey("articles.id", ondelete="CASCADE",
                                name="fk_article_bands_article_id_articles"),
                  primary_key=True),
    )
    op.create_index("ix_article_bands_article_id", "article_bands", ["article_id"])
    conn = op.get_bind()
    page = sa.text("SELECT id, minhash FROM articles WHERE id > :after ORDER BY id LIMIT :n")
    after = ""
    while rows := conn.execute(page, {"after": after, "n": BATCH}).all():
        conn.execute(bands.insert(), [
            {"band": band, "key": key, "article_id": article_id}
            for article_id, data in rows
            for band, key in band_keys(from_signature(bytes(data)))])
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_article_bands_article_id", table_name="article_bands")
    op.drop_table("article_bands")
