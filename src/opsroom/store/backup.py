"""Backup and restore of the whole database to one portable file, between any backends.

The file is gzipped JSON Lines.  Its first line is a header naming the format, the schema
revision (Alembic) and, per table, its columns with a portable kind; then one line per
row, ``{"t": table, "r": [values...]}``, tables in dependency order (parents first).
Values are JSON: binary columns as base64, dates and times as ISO 8601 (times in UTC),
JSON columns as themselves.  Both ways stream: rows are read in batches and written one
line at a time, and read back one line at a time and inserted in batches, so memory
stays flat however big the database.

A restore migrates the target to the dump's revision, loads every row, and upgrades the
schema to the newest revision, all in one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, MetaData, Table, func, select, text, types
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from . import tables as t
from .analysis_repo import SERVED, served_count
from .changes import digests, record_differences
from .db import make_engine
from .overrides import reapply_overrides

FORMAT = "opsroom-dump"
FORMAT_VERSION = 1
#: Alembic's own bookkeeping table: its content is the header's ``revision``.
VERSION_TABLE = "alembic_version"
#: Rows read or inserted per round trip: large enough that round trips do not dominate,
#: small enough that a batch of article texts stays a few MB.
BATCH = 500


@dataclass
class DumpReport:
    """What a dump or restore moved: the schema revision and the rows per table."""

    revision: str | None
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Rows restored over all tables."""
        return sum(self.rows.values())


def _kind(coltype: types.TypeEngine[Any]) -> str:
    """The portable kind of a column type, which says how its values are written."""
    if isinstance(coltype, types.LargeBinary):
        return "binary"
    if isinstance(coltype, types.DateTime):
        return "datetime"
    if isinstance(coltype, types.Date):
        return "date"
    if isinstance(coltype, types.JSON):
        return "json"
    if isinstance(coltype, types.Boolean):
        return "bool"
    return "plain"


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "datetime":
        if value.tzinfo is None:  # SQLite keeps naive times; opsroom writes them in UTC
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if kind == "date":
        return value.isoformat()
    if kind == "bool":
        return bool(value)
    return value


def _decoder(kind: str, dialect: str) -> Any:
    if kind == "binary":
        return lambda v: base64.b64decode(v)
    if kind == "datetime":
        def to_time(v: str) -> dt.datetime:
            """An ISO time from the backup as the dialect stores it (naive UTC on SQLite)."""
            moment = dt.datetime.fromisoformat(v)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            # SQLite stores the wall time it is given, so give it UTC.
            return moment.astimezone(dt.UTC).replace(tzinfo=None) if dialect == "sqlite" else moment
        return to_time
    if kind == "date":
        return dt.date.fromisoformat
    return None


def _reflect(conn: Connection) -> list[Table]:
    """The database's tables, parents before children, without Alembic's own."""
    meta = MetaData()
    meta.reflect(bind=conn)
    return [tb for tb in meta.sorted_tables if tb.name != VERSION_TABLE]


def current_revision(conn: Connection) -> str | None:
    """The schema revision Alembic recorded, or None for a database never migrated."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _order_key(table: Table) -> list[Any]:
    key = list(table.primary_key.columns)
    return key or list(table.columns)


# -- dump -----------------------------------------------------------------------------


def dump(url_or_engine: str | Engine, path: Path | str) -> DumpReport:
    """Write every table of the database at ``url_or_engine`` to ``path`` (gzipped JSONL)."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with engine.connect() as conn, gzip.open(tmp, "wt", encoding="utf-8") as out:
            # One read transaction: on PostgreSQL a consistent snapshot of every table.
            with conn.begin():
                report = _dump_tables(conn, out)
        tmp.replace(path)  # a crash mid-dump never leaves a truncated file under the name
    except SQLAlchemyError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot dump {engine.url!r}: {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()
    return report


def _dump_tables(conn: Connection, out: IO[str]) -> DumpReport:
    tables = _reflect(conn)
    revision = current_revision(conn)
    header = {
        "format": FORMAT, "version": FORMAT_VERSION, "revision": revision,
        "dialect": conn.dialect.name,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": [{"name": tb.name, "columns": [[c.name, _kind(c.type)] for c in tb.columns]}
                   for tb in tables],
    }
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    report = DumpReport(revision)
    for table in tables:
        kinds = [_kind(c.type) for c in table.columns]
        n = 0
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(table).order_by(*_order_key(table)))
        for row in result:
            values = [_encode(k, v) for k, v in zip(kinds, row, strict=True)]
            out.write(json.dumps({"t": table.name, "r": values}, ensure_ascii=False) + "\n")
            n += 1
        report.rows[table.name] = n
    return report


# -- restore --------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise StoreError(f"{path}: line {number} is not JSON ({exc})") from None
                if not isinstance(record, dict):
                    raise StoreError(f"{path}: line {number} is not a record")
                yield record
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: not a readable opsroom dump ({exc})") from exc


def read_header(path: Path | str) -> dict[str, Any]:
    """The header of a dump file (format, revision, tables), checked."""
    path = Path(path)
    header = next(_lines(path), None)
    if not header or header.get("format") != FORMAT:
        raise StoreError(f"{path}: not an opsroom dump (no '{FORMAT}' header)")
    if header.get("version") != FORMAT_VERSION:
        raise StoreError(f"{path}: dump format version {header.get('version')!r}; "
                         f"this opsroom reads version {FORMAT_VERSION}")
    return header


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config(str(resources.files("opsroom.store").joinpath("alembic.ini")))
    cfg.set_main_option("script_location", str(resources.files("opsroom.store") / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def _revisions() -> list[str]:
    """The schema revisions this opsroom knows, oldest first."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return [s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()][::-1]


#: Tables a new, empty store already has rows in (its counters).
_BOOKKEEPING = {"store_state"}


def _rows_in(conn: Connection, tables: list[Table]) -> dict[str, int]:
    counts = {tb.name: int(conn.execute(select(func.count()).select_from(tb)).scalar_one())
              for tb in tables if tb.name not in _BOOKKEEPING}
    return {k: v for k, v in counts.items() if v}


def _served(conn: Connection, tables: list[Table]) -> int:
    """The store's count of changes to the served events (0 before migration 0008)."""
    if "store_state" not in {tb.name for tb in tables}:
        return 0
    return served_count(conn)


def restore(url_or_engine: str | Engine, path: Path | str, force: bool = False) -> DumpReport:
    """Load the dump at ``path`` into the database at ``url_or_engine``, in one transaction.

    The target must hold no rows, unless ``force``: then its rows are deleted first.
    """
    from alembic import command

    path = Path(path)
    header = read_header(path)
    revision = header.get("revision")
    known = _revisions()
    if revision not in known:
        raise StoreError(f"{path}: schema revision {revision!r} is unknown to this opsroom "
                         "(dumped by a newer version?)")
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    report = DumpReport(revision)
    try:
        with engine.begin() as conn:
            existing = _reflect(conn)
            filled = _rows_in(conn, existing)
            if filled and not force:
                listed = ", ".join(f"{k} ({v})" for k, v in sorted(filled.items()))
                raise StoreError(f"{engine.url!r} is not empty: {listed}; restore into an empty "
                                 "database, or pass --force to replace its content")
            before = _served(conn, existing)
            # The change feed: what the target served, to log what the restore changed.
            by_name = {tb.name: tb for tb in existing}
            served_before = (digests(conn, table=by_name["event_clusters"])
                             if {"event_clusters", "event_cluster_members"} <= by_name.keys()
                             else {})
            for table in reversed(existing):  # children before parents
                conn.execute(table.delete())
            cfg = _alembic_config(conn)
            now = current_revision(conn)
            if now is not None and now in known and known.index(now) > known.index(revision):
                # The (now empty) target is newer than the dump: step it back, load, and
                # let the migrations carry the rows forward as they did the originals.
                command.downgrade(cfg, revision)
            else:
                command.upgrade(cfg, revision)
            for table in _reflect(conn):  # counters the migrations just wrote: the dump's win
                if table.name in _BOOKKEEPING:
                    conn.execute(table.delete())
            _load(conn, path, header, report)
            command.upgrade(cfg, "head")
            # A restore ends as a merge does: every analyst's edit lies on its event
            # (the dumped merged events carry them already; laying them again is a no-op).
            reapply_overrides(conn)
            if served_before:  # an empty target's feed is the dump's own, restored as is
                record_differences(conn, served_before, digests(conn))
            # Past any count a server saw before: pages it kept are of the old content.
            served = max(before, _served(conn, _reflect(conn))) + 1
            state = t.store_state.c
            conn.execute(t.store_state.delete().where(state.name == SERVED))
            conn.execute(t.store_state.insert().values(name=SERVED, value=served))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot restore {path} into {engine.url!r}: {exc}") from exc
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()
    return report


def _load(conn: Connection, path: Path, header: dict[str, Any], report: DumpReport) -> None:
    by_name = {tb.name: tb for tb in _reflect(conn)}
    dialect = conn.dialect.name
    plans: dict[str, tuple[Table, list[str], list[Any]]] = {}
    for spec in header.get("tables", []):
        name = spec["name"]
        if name not in by_name:
            raise StoreError(f"{path}: table {name!r} is not in the schema at revision "
                             f"{header.get('revision')!r}")
        columns = [c for c, _k in spec["columns"]]
        missing = set(columns) - set(by_name[name].columns.keys())
        if missing:
            raise StoreError(f"{path}: table {name!r} has no column(s) {', '.join(sorted(missing))}")
        plans[name] = (by_name[name], columns, [_decoder(k, dialect) for _c, k in spec["columns"]])
        report.rows[name] = 0

    batch: list[dict[str, Any]] = []
    current: str | None = None

    def flush() -> None:
        """Insert the rows gathered for the current table in one statement and count them."""
        if batch and current is not None:
            conn.execute(plans[current][0].insert(), batch)
            report.rows[current] += len(batch)
            batch.clear()

    lines = _lines(path)
    next(lines)  # the header
    for record in lines:
        name = record.get("t")
        values = record.get("r")
        if name not in plans or not isinstance(values, list):
            raise StoreError(f"{path}: a row of unknown table {name!r} or without values")
        table, columns, decoders = plans[name]
        if len(values) != len(columns):
            raise StoreError(f"{path}: a row of {name} has {len(values)} values, "
                             f"expected {len(columns)}")
        if name != current:
            flush()
            current = name
        batch.append({c: (d(v) if d is not None and v is not None else v)
                      for c, d, v in zip(columns, decoders, values, strict=True)})
        if len(batch) >= BATCH:
            flush()
    flush()
    if dialect == "postgresql":
        _reset_sequences(conn, list(plans.values()))


def _reset_sequences(conn: Connection, plans: list[tuple[Table, list[str], list[Any]]]) -> None:
    """Move each serial column's sequence past the restored ids (PostgreSQL does not when
    ids are given), so the next audit record or job gets a fresh id."""
    for table, _columns, _decoders in plans:
        for column in table.primary_key.columns:
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": table.name, "c": column.name}).scalar()
            if seq:
                conn.execute(text(
                    f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM '
                    f'"{table.name}"), 0) + 1, false)'), {"s": seq})


__all__ = ["FORMAT", "FORMAT_VERSION", "DumpReport", "current_revision", "dump", "read_header",
           "restore"]
