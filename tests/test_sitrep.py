"""The situation report: figures, main events, self-contained and escaped output."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from opsroom.analysis.sitrep import (
    SitrepOptions,
    basemap,
    build_sitrep,
    describe,
    main_events,
    phrases,
    render_markdown,
    weekly,
    write_sitrep,
)
from opsroom.knowledge import Knowledge
from opsroom.models import Event
from opsroom.store import Store

from .test_export import sample_documents, store_documents

#: The packaged knowledge: these tests read no user files.
KNOWLEDGE = Knowledge()

# A sentence carrying markup, as scraped pages sometimes do: it must print as text.
HOSTILE = ("Islamic State fighters killed three people in Al-Qaim, officials said "
           "<script>alert('x')</script> on Friday.")

WINDOW = SitrepOptions(since=dt.date(2017, 10, 1), until=dt.date(2017, 11, 30))


@pytest.fixture
def filled(store: Store) -> Store:
    store_documents(store, sample_documents(extra_sentence=HOSTILE))
    return store


def test_sitrep_files_are_written_and_self_contained(filled: Store, tmp_path: Path) -> None:
    files = write_sitrep(filled, KNOWLEDGE, WINDOW, tmp_path / "out")
    for path in (files.markdown, files.html, files.map_png, files.trend_png):
        assert path.exists() and path.stat().st_size > 0
    page = files.html.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?://""", page, re.I)
    assert "<link" not in page and "<script" not in page and "@import" not in page
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == 2 and all(i.startswith("data:image/png;base64,") for i in images)
    assert files.map_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sitrep_holds_the_windows_main_events(filled: Store, tmp_path: Path) -> None:
    files = write_sitrep(filled, KNOWLEDGE, WINDOW, tmp_path)
    page, md = files.html.read_text(), files.markdown.read_text()
    for text in (page, md):
        assert "Military Forces of Iraq retook ground at Al Ḩawījah, Iraq" in text
        assert "Military Forces of Iraq fought Islamic State at Rāwah, Iraq" in text
        assert "since retaking Hawija" in text  # the quoted evidence
        assert "1 October and 30 November 2017" in text
        # outside the window, or history told in passing: not in the report
        assert "struck pro-government forces" not in text
        assert "seized vast areas" not in text
    # the denial is shown as a denial, with who made it
    assert 'Government of Iraq <span class="denies">denies</span>' in page
    assert "Government of Iraq denies" in md


def test_article_text_is_escaped(filled: Store, tmp_path: Path) -> None:
    files = write_sitrep(filled, KNOWLEDGE, WINDOW, tmp_path)
    page, md = files.html.read_text(), files.markdown.read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_headline_figures(filled: Store) -> None:
    rep = build_sitrep(filled, KNOWLEDGE, WINDOW, draw=False)
    assert rep.n_events == 3
    # Rawa: stated zero; Al-Qaim: 3 (claims up to 5); Hawija: no figure
    assert (rep.fatalities, rep.fatalities_high, rep.no_figure) == (3, 5, 1)
    assert [(c.country, c.events) for c in rep.by_country] == [("Iraq", 3)]
    assert [c.place for c in rep.control] == ["Al Ḩawījah"]
    assert sum(n for _, n, _ in rep.weeks) == 3


def test_unknown_deaths_are_not_reported_as_zero(store: Store) -> None:
    docs = sample_documents()
    for doc in docs:  # keep only the event with no stated figure
        doc.events = [e for e in doc.events if e.location == "Al Ḩawījah"]
    store_documents(store, docs)
    rep = build_sitrep(store, KNOWLEDGE, WINDOW, draw=False)
    md = render_markdown(rep)
    assert "**no death toll stated**" in md
    assert "unknown, not zero" in md


def test_empty_window_reads_as_a_sentence(filled: Store, tmp_path: Path) -> None:
    opts = SitrepOptions(since=dt.date(2016, 1, 1), until=dt.date(2016, 1, 31))
    files = write_sitrep(filled, KNOWLEDGE, opts, tmp_path)
    assert "No dated events were recorded between 1 January and 31 January 2016" in files.markdown.read_text()


def test_main_events_rank_deaths_and_ground_first() -> None:
    def ev(i: str, **kw: object) -> Event:
        return Event(event_id=i, event_type="Battles", sub_event_type="Armed clash",
                     event_date=dt.date(2017, 10, 1), **kw)  # type: ignore[arg-type]

    vague = ev("a")
    located = ev("b", location="Rāwah", actor1="Military Forces of Iraq")
    deadly = ev("c", fatalities=7, fatalities_high=100)
    retaken = Event(event_id="d", event_type="Battles", sub_event_type="Government regains territory",
                    event_date=dt.date(2017, 10, 2), location="Al Ḩawījah")
    chosen = main_events([vague, located, deadly, retaken], 2)
    assert {e.event_id for e in chosen} == {"c", "d"}
    assert [e.event_id for e in chosen] == ["c", "d"]  # shown in date order


def test_describe_in_plain_words() -> None:
    e = Event(event_id="x", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
              actor1="U.S.-led Coalition", actor2="Pro-Government Forces (Syria)", location="Syria",
              country="Syria")
    assert describe(e) == ("U.S.-led Coalition carried out an air or drone strike on "
                           "Pro-Government Forces (Syria) in Syria")
    e2 = Event(event_id="y", event_type="Battles", sub_event_type="Armed clash")
    assert describe(e2) == "Fighting involving unidentified forces"


def test_weekly_counts_cover_every_week_of_the_window() -> None:
    events = [Event(event_id="a", event_type="Battles", sub_event_type="Armed clash",
                    event_date=dt.date(2017, 10, 26), fatalities=4)]
    weeks = weekly(events, dt.date(2017, 10, 1), dt.date(2017, 10, 31))
    assert weeks[0][0] == dt.date(2017, 9, 25) and weeks[-1][0] == dt.date(2017, 10, 30)
    assert (dt.date(2017, 10, 23), 1, 4) in weeks


def test_shipped_data_loads() -> None:
    names = {f["properties"]["name"] for f in basemap()["features"]}
    assert {"Iraq", "Syria", "Turkey", "Jordan", "Lebanon", "Israel", "Iran", "Saudi Arabia",
            "Kuwait"} <= names
    for feature in basemap()["features"]:
        for poly in feature["geometry"]["coordinates"]:
            assert poly[0][0] == poly[0][-1]  # closed rings
    assert "Air/drone strike" in phrases()["sub_event_types"]


@pytest.mark.slow
def test_corpus_report_for_autumn_2017(corpus_files: list[Path], tmp_path: Path) -> None:
    from opsroom.config import Settings
    from opsroom.pipeline import ingest

    store = Store.open(f"sqlite:///{tmp_path / 'corpus.db'}")
    ingest(corpus_files, store, Settings())
    files = write_sitrep(store, KNOWLEDGE, WINDOW, tmp_path / "report")
    page = files.html.read_text()
    assert "Hawija" in page and "Rawa" in page
    assert "Al Ḩawījah" in page  # retaken: listed under control changes
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", page)
    store.close()


def test_cli_report_and_export(filled: Store, db_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from opsroom.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["report", "--from", "2017-10-01", "--to", "2017-11-30", "-o",
                              str(tmp_path / "rep"), "--db", db_url])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "rep" / "sitrep.html").exists() and (tmp_path / "rep" / "sitrep.md").exists()
    res = runner.invoke(app, ["export", "--format", "geojson", "--country", "Iraq", "-o",
                              str(tmp_path / "iraq.geojson"), "--background", "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "wrote 4 events" in res.output  # the three Iraqi events of the window and the history
    res = runner.invoke(app, ["export", "--format", "xlsx", "-o", str(tmp_path / "x"), "--db", db_url])
    assert res.exit_code != 0
