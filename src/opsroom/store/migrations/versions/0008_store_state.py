"""A counter of changes to the served events.

The API renders a page of events in ~5 ms of CPU at 100,000 events, so two server
processes on two cores stop keeping up near 200 requests a second
(``bench/api_latency.py``).  Dashboards ask the same pages again and again; a server may
keep a rendered page as long as the served events have not changed.  ``store_state``'s
row ``served`` goes up in the same transaction as every change to them (new pending
events, merges, edits, deletions, restores), so any process can tell in one read of a
primary key whether what it kept is still true.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "store_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(state, [{"name": "served", "value": 0}])


def downgrade() -> None:
    op.drop_table("store_state")
