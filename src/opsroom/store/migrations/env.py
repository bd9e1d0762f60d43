"""Alembic environment: runs on the connection opsroom hands over, inside its one transaction.

No URL in a file: ``opsroom.store.migrate()`` (and a restore) pass the connection, already in
the transaction that makes a run all or nothing (``store.db.schema_transaction``).
"""

from __future__ import annotations

from alembic import context

from opsroom.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only opsroom drives these migrations
    raise RuntimeError("opsroom migrations run through opsroom.store.migrate()")
if not connection.in_transaction():  # pragma: no cover - a caller's bug, not a user's
    raise RuntimeError("opsroom migrations run inside their caller's transaction")
if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
    # A caller's transaction that has not reached SQLite yet (the sqlite3 driver begins one
    # only before INSERT, UPDATE or DELETE): begin it here, or each CREATE and ALTER TABLE
    # would commit alone and a crash would leave half a schema.
    connection.exec_driver_sql("BEGIN")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    # True of every backend here, SQLite included, given the transaction above.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
