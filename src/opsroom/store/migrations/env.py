"""Alembic environment: runs on the connection opsroom hands over (no URL in a file)."""

from __future__ import annotations

from alembic import context

from opsroom.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only opsroom drives these migrations
    raise RuntimeError("opsroom migrations run through opsroom.store.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
