"""Opening the database and bringing its schema up to date (Alembic)."""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from filelock import FileLock
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError

#: SQLite waits this long for a lock before giving up: long enough for a concurrent
#: writer's per-article transaction (tens of ms), short enough to report a stuck one.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings opsroom relies on."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open database {url!r}: {exc}") from exc
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``, the newest by default (a no-op when current)."""
    from alembic import command
    from alembic.config import Config

    ini = resources.files("opsroom.store").joinpath("alembic.ini")
    cfg = Config(str(ini))
    cfg.set_main_option("script_location", str(resources.files("opsroom.store") / "migrations"))
    try:
        # Processes started together (two ingests, the server) would all create the
        # tables; the first holds this lock until its migration commits, the others then
        # find the schema current.  On SQLite too: a deferred transaction reads "no
        # schema" in each before any writes.
        with exclusive(engine, "migrate"), engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # The sqlite3 driver opens a transaction only before INSERT, UPDATE or
                # DELETE, so each CREATE TABLE committed alone: a process killed between
                # two left a schema with some tables and no way to finish it.  An explicit
                # BEGIN makes the whole migration one transaction, as on PostgreSQL.
                conn.exec_driver_sql("BEGIN")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate database {engine.url!r}: {exc}") from exc


#: In-memory SQLite lives in one process; its locks are plain thread locks.
_MEMORY_LOCKS: dict[str, threading.Lock] = {}
_MEMORY_LOCKS_GUARD = threading.Lock()


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock ``name`` against every process and thread using this database.

    Work that reads the store, computes, then replaces what it read (the incremental
    merge) must not interleave with itself: two ingests finishing together would both
    read the same unmerged events and both write clusters for them.  PostgreSQL gives a
    session advisory lock, dropped with the connection if the process dies; SQLite has
    no such thing, so a lock file beside the database plays the part (released by the
    kernel when its holder dies).
    """
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(name.encode())
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    path = engine.url.database
    if not path or path == ":memory:":
        with _MEMORY_LOCKS_GUARD:
            lock = _MEMORY_LOCKS.setdefault(f"{id(engine)}:{name}", threading.Lock())
        with lock:
            yield
        return
    with FileLock(f"{Path(path).expanduser()}.{name}.lock"):
        yield
