"""Dates a user can trust: a photo's date never passes as the publication date, an ingest
says how many articles and events it leaves undated, and the bundled sample is dated."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from opsroom.cli import app, sample_articles, sample_corpus
from opsroom.config import Settings
from opsroom.ingest import prepare
from opsroom.ingest.metadata import date_from_caption
from opsroom.models import Article, RawDocument
from opsroom.pipeline import ingest, iter_articles
from opsroom.store import Store
from opsroom.store import tables as t

runner = CliRunner()

# Reuters, 8 February 2018 (the sample corpus), as pasted: the photo was taken on January 21,
# two weeks before the clash of the night of February 7 that the lead reports "on Thursday".
KHUSHAM = """\
U.S.-led coalition, pro-Assad forces, clash in east Syria

A Syrian Army soldier loyal to Syria's President Bashar al-Assad forces stands next to a \
military weapon in Idlib, Syria January 21, 2018. Picture taken January 21, 2018.

By Phil Stewart and Lisa Barrington

WASHINGTON/BEIRUT (Reuters) – The U.S.-led coalition and its local allies in Syria struck \
pro-government forces with deadly air and artillery fire overnight to repel “an unprovoked \
attack” near the Euphrates, the coalition said on Thursday.

The attack was carried out by 500 troops backed by artillery, tanks, multiple-launch rocket \
systems and mortars but the coalition and its local allies killed more than 100 of them, the \
official said.
"""

WARNING = re.compile(r"warning: (\d+) of (\d+) new articles have no publication date, "
                     r"so (\d+) of (\d+) new events are undated; give a date with --published")


def test_a_caption_date_is_never_the_publication_date() -> None:
    (article,) = prepare(RawDocument(origin="khusham.txt", text=KHUSHAM))
    assert article.published is None and article.published_source is None
    # The caption is kept, and its date is there to read as what it is: a lower bound.
    (caption,) = article.captions
    assert date_from_caption(caption) == dt.date(2018, 1, 21)
    (flagged,) = prepare(RawDocument(origin="khusham.txt", text=KHUSHAM), dt.date(2018, 2, 8))
    assert (flagged.published, flagged.published_source) == (dt.date(2018, 2, 8), "flag")


def test_ingest_counts_what_it_leaves_undated(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "khusham.txt"
    path.write_text(KHUSHAM, "utf-8")
    store = Store.open(db_url)
    try:
        report = ingest([str(path)], store, Settings(database_url=db_url))
        with store.engine.connect() as conn:
            dates = conn.execute(select(t.events.c.event_date)
                                 .where(t.events.c.background.is_(False))).scalars().all()
    finally:
        store.close()
    assert (report.new, report.undated) == (1, 1)
    # The clash is not dated by the photo: no event of the article has a date.
    assert dates and report.events == report.undated_events == len(dates)
    assert set(dates) == {None}

    dated = tmp_path / "dated.db"
    store = Store.open(f"sqlite:///{dated}")
    try:
        report = ingest([str(path)], store, Settings(database_url=f"sqlite:///{dated}"),
                        published=dt.date(2018, 2, 8))
    finally:
        store.close()
    assert (report.new, report.undated, report.undated_events) == (1, 0, 0) and report.events


def test_ingest_warns_of_undated_articles_and_names_the_flag(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "khusham.txt"
    path.write_text(KHUSHAM, "utf-8")
    result = runner.invoke(app, ["ingest", str(path), "--db", db_url])
    assert result.exit_code == 0, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.startswith("warning:")]
    m = WARNING.match(line)
    assert m, line
    articles, new, undated_events, events = map(int, m.groups())
    assert (articles, new) == (1, 1) and undated_events == events > 0
    assert "JSON Lines or a feed that carries dates" in line
    # Given a date, the same text is stored dated and the report says nothing of dates.
    other = tmp_path / "other.db"
    result = runner.invoke(app, ["ingest", str(path), "--db", f"sqlite:///{other}",
                                 "--published", "2018-02-08"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_the_bundled_sample_carries_its_dates_and_outlets() -> None:
    """The dated sample holds the sample corpus's articles unchanged, each with its date."""
    settings = Settings()
    dated = [a for a in iter_articles([sample_articles()], settings) if isinstance(a, Article)]
    pasted = [a for a in iter_articles([sample_corpus()], settings) if isinstance(a, Article)]
    assert len(dated) == len(pasted) == 14
    for d, p in zip(dated, pasted, strict=True):
        assert (d.content_hash, d.title, d.captions, d.authors, d.dateline) == (
            p.content_hash, p.title, p.captions, p.authors, p.dateline), d.external_id
        assert d.published is not None and d.published_source == "given", d.external_id
        assert d.source, d.external_id
        if p.published is not None:  # where the page states its date, the sample agrees
            assert d.published == p.published, d.external_id
        if p.source is not None:
            assert d.source == p.source, d.external_id
    by_title = {a.title: a for a in dated}
    khusham = by_title["U.S.-led coalition, pro-Assad forces, clash in east Syria"]
    assert (khusham.published, khusham.source) == (dt.date(2018, 2, 8), "Reuters")
    new_arab = by_title["Iraq-Syria border set for 'final large fight' against IS"]
    assert (new_arab.published, new_arab.source) == (dt.date(2017, 10, 7), "AFP")


def test_make_run_ingests_a_dated_sample(db_url: str) -> None:
    """What `make run` does: every article dated and sourced, every event dated, no warning."""
    result = runner.invoke(app, ["ingest", "--sample", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    store = Store.open(db_url)
    try:
        with store.engine.connect() as conn:
            articles = conn.execute(select(t.articles.c.published, t.articles.c.source)).all()
            undated = conn.execute(select(t.events.c.event_id).where(
                t.events.c.event_date.is_(None), t.events.c.background.is_(False))).all()
    finally:
        store.close()
    assert len(articles) == 14 and all(p is not None and s for p, s in articles)
    assert undated == []


def test_a_dated_dateline_dates_a_press_release() -> None:
    """"SOUTHWEST ASIA, March 3, 2017 —": a military release or a government statement
    dates itself in its dateline; the place stays the dateline, the date the publication
    date, and "yesterday" in the text is the day before."""
    text = ("Strikes Continue Against ISIS in Syria\n\n"
            "SOUTHWEST ASIA, March 3, 2017 — Coalition military forces continued to attack "
            "ISIS yesterday, conducting 21 strikes, task force officials reported.\n")
    (article,) = prepare(RawDocument("release.txt", text, single_article=True))
    assert article.published == dt.date(2017, 3, 3)
    assert article.published_source == "dateline"
    assert article.dateline == "Southwest Asia"
    assert article.text.startswith("Coalition military forces")
    given = prepare(RawDocument("release.txt", text, published=dt.date(2017, 3, 4),
                                single_article=True))[0]
    assert given.published == dt.date(2017, 3, 4) and given.published_source == "given"
    plain = ("WASHINGTON, 5 January 2017 - The ministry said its forces had retaken two "
             "villages on the road north of the city.\n")
    assert prepare(RawDocument("w.txt", plain, single_article=True))[0].published == \
        dt.date(2017, 1, 5)
    state = ("TAMPA, Fla., July 8, 2023 — U.S. Central Command forces conducted a strike in "
             "eastern Syria on July 7, killing an ISIS leader.\n")
    (article,) = prepare(RawDocument("s.txt", state, single_article=True))
    assert (article.published, article.dateline) == (dt.date(2023, 7, 8), "Tampa, Fla.")
