"""Indexes for the API's event filters at volume.

``bench/api_latency.py`` at 100,000 events: the event list filters on
``lower(country)``, ``lower(event_type)`` and a date window (served from both
``events`` and ``event_clusters`` through one view), and on a bounding box.  Plain
indexes on ``country``/``event_type`` cannot serve ``lower(...) = ?``; these expression
indexes can, on SQLite and PostgreSQL alike.  (latitude, longitude) serves the box's
latitude range.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("events", "event_clusters")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_country_type_date", table,
                        [sa.text("lower(country)"), sa.text("lower(event_type)"), "event_date"])
        op.create_index(f"ix_{table}_lat_lon", table, ["latitude", "longitude"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_lat_lon", table_name=table)
        op.drop_index(f"ix_{table}_country_type_date", table_name=table)
