"""``opsroom dump`` / ``opsroom restore``: every table survives the trip, between backends.

The source database holds the sample corpus ingested (articles, entities, relations,
events, merged events), an API token, an audited edit and an ingest job record, so every
table has rows.  It is dumped and restored into a fresh database on SQLite and on
PostgreSQL (SQLite → PostgreSQL and PostgreSQL → SQLite included), and each table's
sorted rows must be identical.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from opsroom.cli import app
from opsroom.config import Settings
from opsroom.errors import StoreError
from opsroom.pipeline import ingest
from opsroom.store import EventQuery, Store, select_events
from opsroom.store import tables as t
from opsroom.store.access import audit_entries, create_job, create_token, update_event, update_job
from opsroom.store.backup import FORMAT, current_revision, dump, read_header, restore

from .conftest import BACKENDS, CorpusAnalysis
from .test_api_read import fresh_database


def _plain(value: Any) -> Any:
    """A value as both backends give it back: times in UTC without zone, bytes as hex."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def content(rows: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every table's rows but the store's counters: a restore moves the count of changes
    to the served events past the dumped one, so that a server that kept pages of this
    database before the restore drops them."""
    return {name: r for name, r in rows.items() if name != t.store_state.name}


def _served(rows: dict[str, list[str]]) -> int:
    return next(json.loads(r)["value"] for r in rows["store_state"]
                if json.loads(r)["name"] == "served")


def table_rows(store: Store) -> dict[str, list[str]]:
    """Every table's rows, each as canonical JSON, sorted."""
    out = {}
    with store.engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted(
                json.dumps({k: _plain(v) for k, v in r._mapping.items()}, sort_keys=True)
                for r in rows)
    return out


@pytest.fixture(scope="module", params=BACKENDS)
def source(analysed: CorpusAnalysis, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           corpus_dir: Path) -> Iterator[Store]:
    """A database with rows in every table."""
    with fresh_database(request, request.param, tmp_path_factory.mktemp("src")) as url:
        store = Store.open(url)
        report = ingest([corpus_dir], store, Settings(database_url=url), analyse=analysed)
        assert report.new > 10
        # The same article from another place: a recorded duplicate.
        again = tmp_path_factory.mktemp("again") / "copy.txt"
        again.write_bytes(sorted(corpus_dir.glob("*.txt"))[-1].read_bytes())
        assert ingest([again], store, Settings(database_url=url)).duplicates == 1
        create_token(store, "editor")
        # A served event's edit: audited and kept as an override (``event_overrides``).
        event_id = select_events(store, EventQuery(limit=1))[0].event_id
        update_event(store, event_id, {"location": "Ain al-Asad air base"}, "editor")
        create_job(store, "job1", "editor", 3)
        update_job(store, "job1", state="done", read=3, new=2, failures=[{"origin": "x"}])
        yield store
        store.close()


@pytest.mark.parametrize("target_backend", BACKENDS)
def test_round_trip_keeps_every_row(source: Store, target_backend: str, tmp_path: Path,
                                    request: pytest.FixtureRequest) -> None:
    before = table_rows(source)
    assert all(before[name] for name in before), "the source must fill every table"
    report = dump(source.engine, tmp_path / "opsroom.jsonl.gz")
    with source.engine.connect() as conn:
        assert report.revision == current_revision(conn) is not None
    assert report.rows == {name: len(rows) for name, rows in before.items()}
    with fresh_database(request, target_backend, tmp_path) as url:
        restored = restore(url, tmp_path / "opsroom.jsonl.gz")
        assert restored.rows == report.rows
        target = Store.open(url)
        try:
            after = table_rows(target)
            assert content(after) == content(before)
            assert _served(after) > _served(before)
            # The audit log's serial id goes on after the restored ones (PostgreSQL's
            # sequence is moved past them): a new edit is recorded, not refused.
            target_event = select_events(target, EventQuery(per_article=True, limit=1))[0].event_id
            update_event(target, target_event, {"location": "Baghdad"}, "editor")
            entries, total = audit_entries(target)
            assert total == 2 and entries[0]["after"] == {"location": "Baghdad"}
        finally:
            target.close()


def test_dump_file_is_portable_jsonl(source: Store, tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl.gz"
    dump(source.engine, path)
    header = read_header(path)
    with source.engine.connect() as conn:
        assert header["format"] == FORMAT and header["revision"] == current_revision(conn)
    names = [spec["name"] for spec in header["tables"]]
    # Parents come before the tables that point at them.
    assert names.index("articles") < names.index("events") < names.index("event_sources")
    assert names.index("event_clusters") < names.index("event_cluster_members")
    kinds = dict(next(s for s in header["tables"] if s["name"] == "articles")["columns"])
    assert kinds["minhash"] == "binary" and kinds["published"] == "date"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh][1:]
    columns = [c for c, _k in next(s for s in header["tables"] if s["name"] == "articles")["columns"]]
    rows = [dict(zip(columns, r["r"], strict=True)) for r in lines if r["t"] == "articles"]
    # A date is written as ISO text (articles with no stated date keep null).
    row = next(r for r in rows if r["published"] is not None)
    dt.date.fromisoformat(row["published"])
    assert dt.datetime.fromisoformat(row["ingested_at"]).utcoffset() == dt.timedelta(0)
    assert isinstance(row["minhash"], str) and len(row["minhash"]) > 10  # base64


def test_restore_refuses_a_database_with_rows(source: Store, tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl.gz"
    dump(source.engine, path)
    with pytest.raises(StoreError, match="not empty"):
        restore(source.engine, path)
    before = table_rows(source)
    report = restore(source.engine, path, force=True)  # replaces the content with itself
    assert report.total == sum(len(v) for v in before.values())
    after = table_rows(source)
    assert content(after) == content(before) and _served(after) > _served(before)


def test_a_broken_dump_changes_nothing(db_url: str, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl.gz"
    store = Store.open(db_url)
    try:
        create_token(store, "alice")
        dump(store.engine, good)
        # Truncate the file after its last table began: the restore must roll back whole.
        lines = gzip.open(good, "rt", encoding="utf-8").read().splitlines()
        bad = tmp_path / "bad.jsonl.gz"
        with gzip.open(bad, "wt", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n{\"t\": \"api_tokens\", \"r\": [1]}\n")
        with pytest.raises(StoreError, match="values"):
            restore(store.engine, bad, force=True)
        assert [r[0] for r in store.engine.connect().execute(select(t.api_tokens.c.name))] == ["alice"]
        (tmp_path / "junk.gz").write_bytes(b"not gzip at all")
        with pytest.raises(StoreError, match="dump"):
            restore(store.engine, tmp_path / "junk.gz")
    finally:
        store.close()


def test_dump_streams_in_flat_memory(db_url: str, tmp_path: Path) -> None:
    """20,000 audit records of 1 KB each (~20 MB of values) dump in a few MB of memory."""
    store = Store.open(db_url)
    try:
        blob = {"text": "x" * 1000}
        now = dt.datetime.now(dt.UTC)
        with store.engine.begin() as conn:
            for start in range(0, 20_000, 2_000):
                conn.execute(insert(t.audit_log), [
                    {"at": now, "who": "bulk", "action": "update", "target": f"e{i}",
                     "before": blob, "after": blob} for i in range(start, start + 2_000)])
        tracemalloc.start()
        try:
            report = dump(store.engine, tmp_path / "big.jsonl.gz")
            _size, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert report.rows["audit_log"] == 20_000
        # Bound chosen as a quarter of the data: a dump that held the table would need
        # more than the whole 20 MB; measured peaks are 2-4 MB on both backends.
        assert peak < 5 * 2**20, f"peak {peak / 2**20:.1f} MB"
    finally:
        store.close()


def test_cli_dump_and_restore(source: Store, tmp_path: Path) -> None:
    url = source.engine.url.render_as_string(hide_password=False)
    path = tmp_path / "cli.jsonl.gz"
    runner = CliRunner()
    result = runner.invoke(app, ["dump", str(path), "--db", url])
    assert result.exit_code == 0, result.output
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    result = runner.invoke(app, ["restore", str(path), "--db", target])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["restore", str(path), "--db", target])
    assert again.exit_code == 1 and "not empty" in again.output
    restored = Store.open(target)
    try:
        assert content(table_rows(restored)) == content(table_rows(source))
    finally:
        restored.close()
