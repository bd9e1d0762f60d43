"""Schema migrations: a database made by an older opsroom upgrades in place, data kept;
one an older opsroom left half set up opens; one that is not a store is refused in one line.

Runs on SQLite and on a real PostgreSQL (the ``db_url`` fixture).  Kills during set-up and
upgrades are in ``test_crash_safety.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, inspect, select, text

from opsroom.ingest.dedup import minhash, signature_bytes
from opsroom.store import EventQuery, Store, search_events
from opsroom.store import tables as t
from opsroom.store.db import head_revision, make_engine, migrate, store_name

SENTENCE = "Islamic State fighters attacked an army post near Rawa on Tuesday, killing four soldiers."


def _fill_0005(url: str) -> None:
    """A database as opsroom left it at migration 0005: one merged event, one event no
    merge had seen (stored by an ingest that died before its merge)."""
    engine = make_engine(url)
    migrate(engine, "0005")
    event = {"event_type": "Battles", "sub_event_type": "Armed clash",
             "event_date": dt.date(2017, 11, 7), "date_precision": "day",
             "actor1": "Islamic State", "actor2": "Military Forces of Iraq",
             "location": "Rawa", "admin1": "Anbar", "country": "Iraq", "latitude": 34.47,
             "longitude": 41.91, "geo_precision": 1, "fatalities": 4, "background": False}
    with engine.begin() as conn:
        conn.execute(t.articles.insert().values(
            id="a1", content_hash="h1", text=SENTENCE, captions=[], authors=[],
            origin="seed.txt", offset_map=[], minhash=signature_bytes(minhash(SENTENCE))))
        for eid in ("e1", "e2"):
            conn.execute(t.events.insert().values(event_id=eid, article_id="a1", **event))
            conn.execute(t.event_sources.insert().values(
                id=f"s{eid}", event_id=eid, article_id="a1", sentence=SENTENCE, start=0,
                end=len(SENTENCE), claimed_by=None, stance="reports"))
        cols = {c.name for c in t.event_clusters.c} - {"pending", "search_text"}
        conn.execute(t.event_clusters.insert().values(
            cluster_id="e1", block="Iraq|2017-W45", claimants=[], n_members=1, n_articles=1,
            **{k: v for k, v in event.items() if k in cols}))
        conn.execute(t.event_cluster_members.insert().values(
            event_id="e1", cluster_id="e1", reason="first report"))
    engine.dispose()


def test_0006_upgrades_a_database_in_use(db_url: str) -> None:
    _fill_0005(db_url)
    store = Store.open(db_url)  # upgrades to the newest migration
    try:
        with store.engine.connect() as conn:
            row = conn.execute(select(t.event_clusters.c.pending, t.event_clusters.c.search_text)
                               .where(t.event_clusters.c.cluster_id == "e1")).one()
        # The merged event keeps its place and is found by the words of its sentence.
        assert row.pending is False and "army post near rawa" in row.search_text
        items, total = search_events(store, EventQuery(text="army post"))
        assert total == 1 and items[0].event.event_id == "e1"
        assert [s.sentence for s in items[0].event.sources] == [SENTENCE]
        # The event no merge had seen is still stored, waiting for one.
        assert store.unclustered_event_ids() == ["e2"]
        # Every index of the served list, the expression ones of 0005 included (a table
        # copy on SQLite would lose those silently: reflection cannot see them).
        listing = ("SELECT indexname FROM pg_indexes WHERE tablename = 'event_clusters'"
                   if store.engine.dialect.name == "postgresql" else
                   "SELECT name FROM sqlite_master WHERE tbl_name = 'event_clusters'")
        with store.engine.connect() as conn:
            index_names = {r[0] for r in conn.execute(text(listing))}
        assert {"ix_event_clusters_served", "ix_event_clusters_date_geo",
                "ix_event_clusters_pending", "ix_event_clusters_country_type_date",
                "ix_event_clusters_lat_lon"} <= index_names
        if store.engine.dialect.name == "postgresql":  # the trigram index of ``q=``
            assert "ix_event_clusters_search_text" in index_names
    finally:
        store.close()


def test_the_schema_of_the_migrations_is_the_schema_of_the_code(db_url: str) -> None:
    """tables.py and the migrations describe the same tables and columns."""
    store = Store.open(db_url)
    try:
        found = inspect(store.engine)
        for table in t.metadata.sorted_tables:
            assert {c["name"] for c in found.get_columns(table.name)} == \
                {c.name for c in table.c}, table.name
    finally:
        store.close()


def test_0007_gives_stored_articles_their_band_keys(db_url: str) -> None:
    """Articles stored before 0007 are found as near-duplicate originals after it."""
    from opsroom.ingest.dedup import band_keys

    engine = make_engine(db_url)
    migrate(engine, "0006")
    sig = minhash(SENTENCE * 3)
    with engine.begin() as conn:
        conn.execute(t.articles.insert().values(
            id="a1", content_hash="h1", text=SENTENCE * 3, captions=[], authors=[],
            origin="seed.txt", offset_map=[], minhash=signature_bytes(sig)))
    engine.dispose()
    store = Store.open(db_url)
    try:
        with store.engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(t.article_bands)).scalar_one()
            found = store.near_candidates(conn, band_keys(minhash(SENTENCE * 3 + " Reuters")))
        assert n == len(band_keys(sig))
        assert [key for key, _ in found] == ["a1"]
    finally:
        store.close()


def test_a_migration_cut_short_leaves_no_table(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Schema set-up is one transaction on both backends: a process that dies after the
    migration created its tables, before the commit, leaves an empty database that the
    next run sets up whole (a crash had left SQLite files with some tables and no
    ``alembic_version``, which no later run could open)."""
    import alembic.command

    real_upgrade = alembic.command.upgrade

    def upgrade_then_die(cfg, revision):  # type: ignore[no-untyped-def]
        real_upgrade(cfg, revision)
        raise RuntimeError("killed before the commit")

    engine = make_engine(db_url)
    monkeypatch.setattr(alembic.command, "upgrade", upgrade_then_die)
    with pytest.raises(RuntimeError):
        migrate(engine)
    assert inspect(engine).get_table_names() == []
    monkeypatch.setattr(alembic.command, "upgrade", real_upgrade)
    migrate(engine)
    assert {"alembic_version", "articles", "events"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_0012_keeps_claims_and_merged_events(db_url: str) -> None:
    """Claims and merged events stored before 0012 are served after it, with no figure range,
    reading or reasons (none were kept) until their article is read again or merged."""
    _fill_0005(db_url)
    engine = make_engine(db_url)
    migrate(engine, "0011")
    with engine.begin() as conn:
        conn.execute(t.claims.insert().values(
            id="c1", event_id="e1", article_id="a1", claimed_by="Government of Iraq",
            stance="asserts", field="fatalities", value=4, sentence=SENTENCE,
            start=SENTENCE.index("four"), end=SENTENCE.index("four") + 4))
    engine.dispose()
    store = Store.open(db_url)
    try:
        (claim,) = store.events_of("a1")[0].claims
        assert (claim.claimed_by, claim.value, claim.value_high, claim.reason) == \
            ("Government of Iraq", 4, None, None)
        items, total = search_events(store, EventQuery(text="army post"))
        assert total == 1 and items[0].event.type_reason is None
        assert [c.value for c in items[0].event.claims] == [4]
    finally:
        store.close()


# -- stores a crash, an older opsroom or somebody else left ------------------------------------


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_set_up_an_older_opsroom_left_unfinished_opens(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Before set-up was one transaction, each CREATE of the first migration committed alone
    on SQLite, so a kill left a prefix of them and no revision, and every later run failed
    on "table already exists".  Each such prefix, replayed statement by statement in
    autocommit as the old driver ran it, now opens: the leftovers are empty, so they are
    dropped and the schema is set up whole."""
    import sqlite3

    first = tmp_path / "first.db"
    engine = make_engine(f"sqlite:///{first}")
    migrate(engine, "0001")
    engine.dispose()
    with sqlite3.connect(first) as conn:  # creation order is rowid order
        made = [sql for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")]
    assert len(made) >= 4
    for cut in range(1, len(made)):
        path = tmp_path / f"cut{cut}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        for sql in made[:cut]:
            conn.execute(sql)
        conn.close()
        url = f"sqlite:///{path}"
        assert _tables(url), cut
        store = Store.open(url)
        try:
            with store.engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() \
                    == head_revision()
        finally:
            store.close()
        assert set(t.metadata.tables) <= _tables(url), cut


def test_a_database_that_is_not_a_store_is_refused_in_one_line(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Tables opsroom does not know, or its own holding rows, and no schema revision: not an
    opsroom store (or not one of ours to clear).  Nothing is touched; the error is one line
    naming the store and what to do, at the library and at the command line."""
    from typer.testing import CliRunner

    from opsroom.cli import app
    from opsroom.errors import StoreError

    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id integer PRIMARY KEY, name text)"))
        conn.execute(text("INSERT INTO customers VALUES (1, 'ACME')"))
    where = store_name(engine)
    with pytest.raises(StoreError) as refused:
        Store.open(db_url)
    message = str(refused.value)
    assert len(message.splitlines()) == 1
    assert message.startswith(f"{where} is not an opsroom store: other tables (customers)")
    assert message.endswith("or pass another --db")
    result = CliRunner().invoke(app, ["articles", "--db", db_url])
    assert result.exit_code == 2
    # The command prints that message; its console may fold a long line at the terminal's
    # width (inside a path too), so it is compared without the whitespace.
    assert "".join(result.stderr.split()) == "".join(f"error: {message}".split())
    # Tables of opsroom's names holding rows, without a revision: refused too, not cleared.
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE customers"))
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(t.store_state.insert().values(name="probe", value=1))
    with pytest.raises(StoreError, match=r"not an opsroom store: tables with rows \(store_state\)"):
        Store.open(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.store_state)).scalar_one() >= 1
    engine.dispose()


def test_a_store_of_a_newer_opsroom_is_refused_in_one_line(db_url: str) -> None:
    from opsroom.errors import StoreError

    engine = make_engine(db_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError) as refused:
        Store.open(db_url)
    assert len(str(refused.value).splitlines()) == 1
    assert str(refused.value).startswith(f"{store_name(engine)} is at schema revision 9999, "
                                         "which this opsroom does not know")
    assert str(refused.value).endswith("upgrade opsroom to open it")
    engine.dispose()


def test_a_restore_that_fails_into_a_new_database_leaves_no_table(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A restore runs the migrations in its one transaction too: on SQLite the schema it
    creates in a new database is no longer committed table by table before its first row,
    so a dump that breaks halfway leaves the database as it found it, empty."""
    import gzip

    from opsroom.errors import StoreError
    from opsroom.store.access import create_token
    from opsroom.store.backup import dump, restore

    source = Store.open(f"sqlite:///{tmp_path / 'source.db'}")
    create_token(source, "alice")
    dump(source.engine, tmp_path / "good.jsonl.gz")
    source.close()
    lines = gzip.open(tmp_path / "good.jsonl.gz", "rt", encoding="utf-8").read().splitlines()
    with gzip.open(tmp_path / "bad.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + '\n{"t": "api_tokens", "r": [1]}\n')
    with pytest.raises(StoreError):
        restore(db_url, tmp_path / "bad.jsonl.gz")
    assert _tables(db_url) == set()
