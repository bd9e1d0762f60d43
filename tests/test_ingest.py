"""``opsroom ingest`` end to end, on SQLite and on PostgreSQL."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from opsroom.cli import app
from opsroom.config import Settings
from opsroom.pipeline import ingest
from opsroom.store import ArticleFilter, Store
from opsroom.store import tables as t

runner = CliRunner()


def run_ingest(paths: list[Path | str], store: Store, url: str):  # type: ignore[no-untyped-def]
    return ingest([str(p) for p in paths], store, Settings(database_url=url))


def test_corpus_lands_once(corpus_dir: Path, store: Store, db_url: str) -> None:
    first = run_ingest([corpus_dir], store, db_url)
    assert (first.read, first.new, first.failed, first.duplicates) == (14, 14, 0, 0)
    second = run_ingest([corpus_dir], store, db_url)
    assert (second.new, second.known, second.duplicates) == (0, 14, 0)
    assert store.counts()["articles"] == 14 and store.counts()["duplicates"] == 0
    rows, total = store.list_articles(ArticleFilter(source="Reuters", limit=100))
    assert total == 11
    titles = {a.title for a in rows}
    assert "U.S.-led coalition, pro-Assad forces, clash in east Syria" in titles


def test_near_duplicate_is_recorded_and_linked(corpus_files: list[Path], store: Store,
                                               db_url: str, tmp_path: Path) -> None:
    original = corpus_files[1]  # one article: "Islamic State under pressure …"
    text = original.read_text("utf-8")
    lead_start = text.index("U.S.-backed Iraqi forces pressed")
    lead_end = text.index("\n", lead_start)
    reworded = (text[:lead_start]
                + "Iraqi troops backed by Washington kept up pressure on Islamic State militants "
                  "in the Old City of Mosul on Friday, and in Syria the jihadists struck back at "
                  "the militia alliance fighting to drive them out of Raqqa."
                + text[lead_end:])
    copy = tmp_path / "copy.txt"
    copy.write_text(reworded, "utf-8")
    run_ingest([original], store, db_url)
    report = run_ingest([copy], store, db_url)
    assert report.new == 0 and report.duplicates == 1
    (origin, original_id, sim) = report.near_duplicates[0]
    assert origin == str(copy) and sim >= 0.6
    dups = store.duplicates_of(original_id)
    assert [d["kind"] for d in dups] == ["near"]
    assert (store.counts()["articles"], store.counts()["duplicates"]) == (1, 1)
    # Re-running the copy records nothing new.
    again = run_ingest([copy], store, db_url)
    assert again.duplicates == 0 and again.known == 1


def test_near_duplicate_in_the_same_run_and_band_keys_stored(
        corpus_files: list[Path], store: Store, db_url: str, tmp_path: Path) -> None:
    """A near copy read in the run that stores its original is caught before the original
    is stored (the run's own index), and stored articles keep their band keys, which the
    next run looks up in the database."""
    from opsroom.ingest.dedup import band_keys, minhash

    original = corpus_files[1]
    text = original.read_text("utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(text.replace("Islamic State", "the Islamic State group", 2), "utf-8")
    report = run_ingest([original, copy], store, db_url)
    assert (report.new, report.duplicates) == (1, 1)
    with store.engine.connect() as conn:
        (article_id, body), = conn.execute(select(t.articles.c.id, t.articles.c.text)).all()
        keys = conn.execute(select(t.article_bands.c.band, t.article_bands.c.key)
                            .where(t.article_bands.c.article_id == article_id)).all()
        assert sorted(map(tuple, keys)) == sorted(band_keys(minhash(body)))
        found = store.near_candidates(conn, band_keys(minhash(copy.read_text("utf-8"))))
    assert [key for key, _ in found] == [article_id]


def test_near_duplicate_lookup_uses_the_band_index(corpus_files: list[Path], tmp_path: Path) -> None:
    """Looking up a new article's band keys is a few index searches, not a scan of every
    stored key (SQLite scanned for a row-value IN: the ingest slowed with the store)."""
    from sqlalchemy import event

    from opsroom.ingest.dedup import band_keys, minhash

    url = f"sqlite:///{tmp_path / 'bands.db'}"
    store = Store.open(url)
    try:
        run_ingest(corpus_files[:3], store, url)
        seen: list[tuple[str, object]] = []

        def remember(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if "article_bands" in statement:
                seen.append((statement, parameters))

        event.listen(store.engine, "before_cursor_execute", remember)
        with store.engine.connect() as conn:
            store.near_candidates(conn, band_keys(minhash(corpus_files[0].read_text("utf-8"))))
            statement, parameters = seen[0]
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters).all())
        assert "SCAN article_bands" not in plan and "SEARCH article_bands" in plan, plan
    finally:
        store.close()


def test_exact_copy_under_another_name(corpus_files: list[Path], store: Store, db_url: str,
                                       tmp_path: Path) -> None:
    copy = tmp_path / "mirror.txt"
    shutil.copy(corpus_files[3], copy)
    run_ingest([corpus_files[3]], store, db_url)
    report = run_ingest([copy], store, db_url)
    assert (report.new, report.duplicates) == (0, 1)
    with store.engine.connect() as conn:
        kind = conn.execute(select(t.duplicates.c.kind)).scalar_one()
    assert kind == "exact"


def test_bad_inputs_do_not_stop_the_batch(corpus_files: list[Path], db_url: str,
                                          tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (bad / "empty.txt").write_bytes(b"")
    (bad / "latin1.txt").write_bytes("Mossoul, caf\xe9 d\xe9truit".encode("latin-1"))
    (bad / "cut.txt.gz").write_bytes(gzip.compress(b"Rockets hit the base. " * 200)[:-40])
    (bad / "lines.jsonl").write_text('{"text": "A valid line about a drone strike near Erbil."}\n'
                                     '{"text": broken}\n', "utf-8")
    with open(bad / "huge.txt", "wb") as fh:
        fh.truncate(50 * 2**20)
    good = tmp_path / "good.txt"
    shutil.copy(corpus_files[2], good)
    result = runner.invoke(app, ["ingest", str(bad), str(good), "--db", db_url])
    assert result.exit_code == 1, result.output
    failures = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert len(failures) == 6, result.output
    for name, reason in [("image.txt", "binary file"), ("empty.txt", "empty file"),
                         ("latin1.txt", "invalid UTF-8"), ("cut.txt.gz", "truncated gzip"),
                         ("lines.jsonl:2", "malformed JSON"), ("huge.txt", "file too large")]:
        assert any(name in line and reason in line for line in failures), (name, failures)
    s = Store.open(db_url)
    with s.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.articles)).scalar_one() == 2
    s.close()


def test_cli_articles_and_show(corpus_dir: Path, db_url: str) -> None:
    result = runner.invoke(app, ["ingest", "--sample", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "14" in result.output
    listing = runner.invoke(app, ["articles", "--db", db_url, "--search", "Khusham", "--json"])
    assert listing.exit_code == 0
    assert "pro-Assad forces, clash in east Syria" in listing.output
    listing = runner.invoke(app, ["articles", "--db", db_url, "--since", "2017-10-01",
                                  "--until", "2017-10-31"])
    assert "Daesh shores up" in listing.output and "Kushner" not in listing.output
    s = Store.open(db_url)
    rows, _ = s.list_articles(ArticleFilter(text="Qayyara drawdown"))
    s.close()
    shown = runner.invoke(app, ["show", rows[0].id[:10], "--db", db_url])
    assert shown.exit_code == 0 and "Qayyara West Airfield, Iraq" in shown.output


def test_stdin(db_url: str) -> None:
    text = ("BEIRUT (Reuters) - Syrian state media said on Monday that coalition aircraft had "
            "bombed an army position near the Iraqi border, causing deaths and injuries.\n")
    result = runner.invoke(app, ["ingest", "-", "--db", db_url, "--published", "2018-06-18"],
                           input=text)
    assert result.exit_code == 0, result.output
    s = Store.open(db_url)
    rows, total = s.list_articles(ArticleFilter())
    s.close()
    assert total == 1 and rows[0].published_source == "flag"
