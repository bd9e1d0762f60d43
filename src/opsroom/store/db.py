"""Opening the database and bringing its schema up to date (Alembic), crash-safely."""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from filelock import FileLock
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError

#: SQLite waits this long for a lock before giving up: long enough for a concurrent
#: writer's per-article transaction (tens of ms), short enough to report a stuck one.
SQLITE_BUSY_TIMEOUT_MS = 30_000

#: The table in which Alembic records the schema revision of a store.
VERSION_TABLE = "alembic_version"


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


def store_name(engine: Engine) -> str:
    """How errors name the store: the SQLite file, or the database URL without password."""
    if engine.dialect.name == "sqlite":
        return engine.url.database or ":memory:"
    return engine.url.set(drivername=engine.url.get_backend_name()).render_as_string(
        hide_password=True)


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config(str(resources.files("opsroom.store").joinpath("alembic.ini")))
    cfg.set_main_option("script_location", str(resources.files("opsroom.store") / "migrations"))
    return cfg


def head_revision() -> str:
    """The newest schema revision this opsroom knows."""
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(_alembic_config()).get_current_head())


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default) in one transaction.

    Whatever instant the process dies, the store keeps the schema it had or gets the one
    asked for, never one in between (``tests/test_crash_safety.py`` kills set-ups and
    upgrades at statements spread over them, and just before their COMMIT).  A store that
    a set-up of an older opsroom left unfinished is set up again when it holds nothing;
    anything else that cannot be migrated raises a one-line ``StoreError`` naming the
    store and what to do.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    where = store_name(engine)
    try:
        with engine.connect() as conn:
            found = set(MigrationContext.configure(conn).get_current_heads())
        unknown = sorted(found - {s.revision for s in script.walk_revisions()})
        if unknown:
            raise StoreError(
                f"{where} is at schema revision {unknown[0]}, which this opsroom does not know (its "
                f"newest is {script.get_current_head()}): it was written by a newer opsroom; "
                "upgrade opsroom to open it")
        if revision == "head" and found == set(script.get_heads()):
            return  # current: no lock to wait for, no write transaction
        # Processes started together (two ingests, the server) would all set up the
        # schema; the first holds this lock until its migration commits, the others then
        # find the schema current.
        with exclusive(engine, "migrate"), schema_transaction(engine) as conn:
            _clear_unfinished_setup(conn, where)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except CommandError as exc:
        reason = (str(exc).splitlines() or ["unknown revision"])[0]
        raise StoreError(f"cannot migrate {where} to schema revision {revision}: {reason}") \
            from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        remedy = ("another process kept it locked; run again when that one is done"
                  if "locked" in reason else "the store was left as it was")
        raise StoreError(f"cannot bring {where} to schema revision {revision}: {reason}; "
                         f"{remedy}") from exc


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that DDL cannot escape, committed when the block ends.

    PostgreSQL's DDL is transactional: a plain transaction does.  On SQLite, the sqlite3
    driver's legacy transaction control begins a transaction only before INSERT, UPDATE or
    DELETE, so a CREATE or ALTER TABLE before the first of them committed alone, and a
    process killed between two left tables without ``alembic_version``, which no later run
    could finish.  The fix is the recipe of SQLAlchemy's SQLite documentation ("Enabling
    Non-Legacy SQLite Transactional Modes"; Python 3.12's ``autocommit=False`` does the same,
    opsroom supports 3.11): turn the driver's own transaction control off
    (``isolation_level = None``) and emit BEGIN ourselves, so that our BEGIN and the COMMIT
    are the only boundaries; IMMEDIATE, so that the write lock is held from before the
    schema is read, and no writer outside the migration lock (an older opsroom) changes it
    in between.  This was chosen over building a new store in a temporary file and renaming
    it into place: a rename covers the first set-up only, not the upgrade of a store in use,
    it has no PostgreSQL counterpart, and processes that already opened the path would
    go on writing to the file it replaced.
    """
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                yield conn
            return
        driver = conn.connection.driver_connection
        legacy = driver.isolation_level  # type: ignore[union-attr]
        driver.isolation_level = None  # type: ignore[union-attr]
        try:
            with conn.begin():
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn
        finally:
            driver.isolation_level = legacy  # type: ignore[union-attr]  # as the pool lent it


def _clear_unfinished_setup(conn: Connection, where: str) -> None:
    """Drop what an unfinished set-up left, when it is opsroom's and empty; refuse the rest.

    Before set-up was one transaction, a kill during it left tables without a schema
    revision, and every later run failed on "table already exists".  Such tables hold no
    row (no run could open the store to write one), so dropping them loses nothing.
    Tables of other names, or holding rows, are somebody's data: refused, not touched.
    """
    from .tables import metadata

    names = set(inspect(conn).get_table_names())
    if VERSION_TABLE in names and conn.execute(
            text(f"SELECT count(*) FROM {VERSION_TABLE}")).scalar_one():
        return
    if not names:
        return
    quote = conn.dialect.identifier_preparer.quote
    strangers = sorted(names - set(metadata.tables) - {VERSION_TABLE})
    filled = sorted(name for name in names
                    if conn.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar_one())
    if strangers or filled:
        shown = strangers or filled
        listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
        what = "other tables" if strangers else "tables with rows"
        aside = (f"move {where} aside" if conn.dialect.name == "sqlite"
                 else "give an empty database")
        raise StoreError(f"{where} is not an opsroom store: {what} ({listed}) and no schema "
                         f"revision; {aside} or pass another --db")
    # Children before parents, as the foreign keys of the code's tables order them.
    metadata.drop_all(conn, tables=[metadata.tables[n] for n in names if n != VERSION_TABLE])
    if VERSION_TABLE in names:
        conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))


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
