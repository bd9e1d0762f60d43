"""The situation report: figures that agree with the CLI, buckets that fit the window, few
quotes and none doubled, a map whose labels do not overlap, self-contained and escaped output,
and the HTML page as a reader sees it in Chromium."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opsroom.analysis.sitrep import (
    EVIDENCE_SHOWN,
    QUOTES_SHOWN,
    SitrepOptions,
    basemap,
    bucket_unit,
    build_sitrep,
    describe,
    fold_empty,
    main_events,
    map_figure,
    phrases,
    pick_quotes,
    quote_text,
    quoted,
    render_markdown,
    text_box,
    time_buckets,
    write_sitrep,
)
from opsroom.analysis.trends import iso_week, trend
from opsroom.knowledge import Knowledge
from opsroom.models import Claim, Event, Source
from opsroom.store import Store

from .test_e2e_dashboard import CHROMIUM, CHROMIUM_ARGS
from .test_export import TOLL, sample_documents, store_documents

#: The packaged knowledge: these tests read no user files.
KNOWLEDGE = Knowledge()

# A sentence carrying markup, as scraped pages sometimes do: it must print as text.
HOSTILE = ("Islamic State fighters killed three people in Al-Qaim, officials said "
           "<script>alert('x')</script> on Friday.")

WINDOW = SitrepOptions(since=dt.date(2017, 10, 1), until=dt.date(2017, 11, 30))

#: Two windows over the sample corpus: the autumn 2017 offensives (weekly; two changes of
#: hands in it are told as history by later reports) and two years (monthly, long empty
#: stretches, the clash with seventeen source sentences).
AUTUMN = SitrepOptions(since=dt.date(2017, 10, 1), until=dt.date(2017, 11, 30))
TWO_YEARS = SitrepOptions(since=dt.date(2017, 1, 1), until=dt.date(2018, 12, 31))

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: The committed picture of the report (README); rewritten only when asked, so that a test
#: run leaves the work tree as it found it.
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshots" / "sitrep.png"

#: Two double quotation marks in a row, straight or curly, or a single pair doubled: the
#: "““Coalition" a user found.
DOUBLED = re.compile(r"[“”\"„]{2}|‘‘|’’")


@pytest.fixture
def filled(store: Store) -> Store:
    store_documents(store, sample_documents(extra_sentence=HOSTILE))
    return store


# -- the synthetic store, on both databases -----------------------------------------------


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
    assert rep.unit == "week" and sum(b.events for b in rep.buckets) == 3


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
    md = files.markdown.read_text()
    assert "No dated events were recorded between 1 January and 31 January 2016" in md
    # five empty weeks: one folded row, not five rows of zeros
    assert "| 1–31 Jan 2016 (5 weeks without events) | 0 | — |" in md


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


# -- pure parts ---------------------------------------------------------------------------


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


def _battle(day: dt.date, killed: int | None = None, i: str = "a") -> Event:
    return Event(event_id=i, event_type="Battles", sub_event_type="Armed clash", event_date=day,
                 fatalities=killed)


def test_short_windows_count_by_week_long_ones_by_month() -> None:
    assert bucket_unit(dt.date(2017, 10, 1), dt.date(2018, 1, 20)) == "week"  # 16 weeks
    assert bucket_unit(dt.date(2017, 10, 1), dt.date(2018, 1, 21)) == "month"
    events = [_battle(dt.date(2017, 10, 26), 4)]
    weeks = time_buckets(events, dt.date(2017, 10, 1), dt.date(2017, 10, 31))
    # ISO weeks cut to the window: Sunday 1 Oct alone, then Monday to Sunday
    assert (weeks[0].start, weeks[0].end) == (dt.date(2017, 10, 1), dt.date(2017, 10, 1))
    assert (weeks[-1].start, weeks[-1].end) == (dt.date(2017, 10, 30), dt.date(2017, 10, 31))
    busy = [b for b in weeks if b.events]
    assert [(b.start, b.events, b.fatalities, b.with_figures) for b in busy] == [
        (dt.date(2017, 10, 23), 1, 4, 1)]
    months = time_buckets([_battle(dt.date(2016, 3, 5)), _battle(dt.date(2017, 11, 3), 10, "b")],
                          dt.date(2016, 1, 15), dt.date(2017, 12, 31))
    assert len(months) == 24 and months[0].start == dt.date(2016, 1, 15)
    assert [(b.start.isoformat()[:7], b.events, b.with_figures) for b in months if b.events] == [
        ("2016-03", 1, 0), ("2017-11", 1, 1)]


def test_empty_stretches_are_folded_into_one_row() -> None:
    events = [_battle(dt.date(2016, 3, 5)), _battle(dt.date(2016, 5, 2), 3, "b"),
              _battle(dt.date(2017, 11, 3), 10, "c")]
    rows = fold_empty(time_buckets(events, dt.date(2016, 1, 1), dt.date(2017, 12, 31)))
    # Jan–Feb folded, Mar, Apr (one empty month keeps its row), May, Jun 2016–Oct 2017 folded,
    # Nov, Dec: 7 rows for 24 months, and no two empty rows in a row
    assert [(r.start.isoformat()[:7], r.events, r.spans) for r in rows] == [
        ("2016-01", 0, 2), ("2016-03", 1, 1), ("2016-04", 0, 1), ("2016-05", 1, 1),
        ("2016-06", 0, 17), ("2017-11", 1, 1), ("2017-12", 0, 1)]
    assert not any(a.events == b.events == 0 for a, b in itertools.pairwise(rows))


def test_quote_text_never_doubles_the_quotation_marks() -> None:
    # Real corpus sentences (Reuters, 8 Feb 2018; Sunday Star-Times, 5 Nov 2017).
    cases = {
        "“Coalition officials were in regular communication with Russian counterparts before, "
        "during and after the thwarted (enemy) attack,” the official said.\n\n":
            "“‘Coalition officials were in regular communication with Russian counterparts before, "
            "during and after the thwarted (enemy) attack,’ the official said.”",
        "‘‘Large numbers of Isis terrorists’’ were killed, it said.":
            "“‘Large numbers of Isis terrorists’ were killed, it said.”",
        '"We will not stop until the last fighter is gone."':
            "“We will not stop until the last fighter is gone.”",
        "“The battle for Raqqa is over": "“The battle for Raqqa is over”",  # its closer in the next sentence
        "The forces were “local people fighting (Islamic State) and the SDF”.":
            "“The forces were ‘local people fighting (Islamic State) and the SDF’.”",
        "Iraqi forces retook Hawija.": "“Iraqi forces retook Hawija.”",
    }
    for sentence, expected in cases.items():
        assert quoted(sentence) == expected
        assert not DOUBLED.search(quoted(sentence))
    assert quote_text("  “Whole.”  ") == "Whole."


# The sentences of the Reuters report of 8 Feb 2018 that the extractor gives one clash,
# in text order: the lead, context, the coalition's toll, a commander's denial of it, and
# more context; the lead is told by the coalition, the toll by an official.
LEAD = ("The U.S.-led coalition and its local allies in Syria struck pro-government forces with "
        "deadly air and artillery fire overnight to repel “an unprovoked attack” near the "
        "Euphrates, the coalition said on Thursday.")
CONTEXT = ("The incident underscores the potential for further conflict in Syria’s oil-rich east, "
           "where the U.S.-backed Syrian Democratic Forces (SDF) alliance of Kurdish and Arab "
           "militias holds swathes of land after its offensive against Islamic State.")
DENIAL = ("But a commander in the military alliance supporting Assad disputed the death toll, "
          "saying seven pro-government forces were killed and 27 injured.")
TALKS = "Russian commanders held talks with coalition representatives after the incident, it added."
NO_AMERICANS = "No American troops were killed or wounded in the incident, officials said."


def _clash() -> Event:
    def src(sentence: str, who: str | None, stance: str = "asserts") -> Source:
        return Source("art", sentence, 0, len(sentence), who, stance)  # type: ignore[arg-type]

    return Event(
        event_id="6cab15cef776fef7", event_type="Battles", sub_event_type="Armed clash",
        event_date=dt.date(2018, 2, 7), location="Deir ez-Zor", fatalities=7, fatalities_high=100,
        sources=[src(LEAD, "U.S.-led Coalition"), src(CONTEXT, None), src(TOLL, "a U.S. official"),
                 src(DENIAL, "a commander"), src(DENIAL, "a commander", "denies"),
                 src(NO_AMERICANS, "officials"), src(TALKS, "U.S.-led Coalition"),
                 src(LEAD, "U.S.-led Coalition")],  # a repeat from a second member
        claims=[Claim("a U.S. official", "asserts", "fatalities", 100, TOLL, article_id="art"),
                Claim("a commander", "denies", "fatalities", None, DENIAL, article_id="art"),
                Claim("a commander", "asserts", "fatalities", 7, DENIAL, article_id="art"),
                Claim("officials", "asserts", "fatalities", 0, NO_AMERICANS, article_id="art")],
    )


def test_quotes_are_the_few_sentences_that_tell_the_event() -> None:
    ev = _clash()
    shown, folded = pick_quotes(ev.sources, ev)
    # the lead, the toll and its denial (told once, though two parties' stances carry it)
    assert [q.sentence for q in shown] == [LEAD, TOLL, DENIAL] and len(shown) == QUOTES_SHOWN
    assert [q.stance for q in shown if q.sentence == DENIAL] == ["denies"]
    # the rest folded, none lost, the repeat dropped
    assert {q.sentence for q in folded} == {CONTEXT, DENIAL, NO_AMERICANS, TALKS}
    assert len(shown) + len(folded) == len(ev.sources) - 1
    few = Event(event_id="b", event_type="Battles", sub_event_type="Armed clash", sources=ev.sources[:2])
    assert pick_quotes(few.sources, few) == (few.sources[:2], [])


def test_markdown_folds_the_other_quotes_behind_a_count() -> None:
    ev = _clash()
    rep = build_sitrep_from([ev])
    md = render_markdown(rep)
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert row.count("<br>") == QUOTES_SHOWN  # three quotes, then the count
    assert "*+4 more: `opsroom event 6cab15ce`*" in row
    assert "Russian commanders held talks" not in md
    assert not DOUBLED.search(md)


def build_sitrep_from(events: list[Event]) -> Any:
    """A report over ``events`` without a store: what the renderers and the map need."""
    from opsroom.analysis.sitrep import Sitrep, country_figures

    opts = SitrepOptions(since=dt.date(2018, 1, 1), until=dt.date(2018, 3, 31))
    main = main_events(events, 10)
    return Sitrep(options=opts, events=events, outlets={}, main=main, control=[], contested=set(),
                  by_country=country_figures(events), totals=trend(events, "week"), unit="week",
                  buckets=time_buckets(events, opts.since, opts.until), generated=dt.date(2018, 4, 1),
                  numbers={e.event_id: i for i, e in enumerate(main, start=1)})


def test_map_labels_never_overlap() -> None:
    # Ten deadly events within a degree of Mosul, and two more a town apart: the numbers
    # would print over each other; placed, every one shows, clear of the others.
    spots = [(43.13, 36.34), (43.30, 36.40), (43.05, 36.20), (43.45, 36.30), (43.20, 36.05),
             (42.95, 36.45), (43.60, 36.15), (43.35, 36.60), (42.85, 36.25), (43.50, 36.48)]
    events = [Event(event_id=f"e{i}", event_type="Battles", sub_event_type="Armed clash",
                    event_date=dt.date(2018, 1, 1 + i), location=f"Place {i}", actor1="A",
                    latitude=lat, longitude=lon, fatalities=10 + i)
              for i, (lon, lat) in enumerate(spots)]
    fig = map_figure(build_sitrep_from(events))
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    numbers = [t for t in ax.texts if t.get_text()[:1].isdigit()]
    assert sorted(int(n) for t in numbers for n in t.get_text().split(",")) == list(range(1, 11))
    boxes = [text_box(t, renderer) for t in ax.texts]  # the numbers and the country names
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    assert "too crowded" not in ax.get_title(loc="left")


def test_shipped_data_loads() -> None:
    names = {f["properties"]["name"] for f in basemap()["features"]}
    assert {"Iraq", "Syria", "Turkey", "Jordan", "Lebanon", "Israel", "Iran", "Saudi Arabia",
            "Kuwait"} <= names
    for feature in basemap()["features"]:
        for poly in feature["geometry"]["coordinates"]:
            assert poly[0][0] == poly[0][-1]  # closed rings
    assert "Air/drone strike" in phrases()["sub_event_types"]


# -- the sample corpus: the report against the CLI, and in a browser ------------------------


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite store holding the bundled sample corpus as ``opsroom ingest --sample`` makes it:
    14 dated articles, merged."""
    from opsroom.cli import sample_articles
    from opsroom.config import Settings
    from opsroom.pipeline import ingest

    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'opsroom.db'}"
    store = Store.open(url)
    try:
        report = ingest([sample_articles()], store, Settings(), knowledge=KNOWLEDGE)
    finally:
        store.close()
    assert report.new == 14 and not report.failed
    yield url


def _cli(*args: str) -> str:
    """Run an ``opsroom`` command in-process, as a user would type it; its standard output."""
    from typer.testing import CliRunner

    from opsroom.cli import app

    res = CliRunner().invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def _headline(md: str) -> dict[str, str]:
    """The Markdown's headline line, read back: {"events": "9", "reported deaths": "10", ...}."""
    line = next(x for x in md.splitlines() if x.startswith("**") and " · " in x)
    return {m.group(2): m.group(1) for m in re.finditer(r"\*\*([\d,–]+) ([a-z ]+?)s?\*\*", line)}


@pytest.mark.slow
@pytest.mark.parametrize("opts", [AUTUMN, TWO_YEARS, SitrepOptions(AUTUMN.since, AUTUMN.until, "Syria")],
                         ids=["autumn-2017", "two-years", "autumn-2017-syria"])
def test_headline_counts_agree_with_the_cli(sample_db: str, opts: SitrepOptions) -> None:
    since, until = opts.since.isoformat(), opts.until.isoformat()
    where = ["--country", opts.country] if opts.country else []
    events = [json.loads(x) for x in _cli("events", "--since", since, "--until", until, *where,
                                          "--limit", "100000", "--json", "--db", sample_db).splitlines()]
    changes = [json.loads(x) for x in _cli("changes", "--from", since, "--to", until, *where,
                                           "--json", "--db", sample_db).splitlines()]
    weekly = json.loads(_cli("trends", "--by", "week", "--from", since, "--to", until, *where,
                             "--json", "--db", sample_db))
    countries = json.loads(_cli("trends", "--by", "country", "--from", since, "--to", until,
                                *where, "--json", "--db", sample_db))
    store = Store.open(sample_db)
    try:
        rep = build_sitrep(store, KNOWLEDGE, opts, draw=False)
    finally:
        store.close()
    assert events and changes, "the sample corpus has events and changes of hands in the window"
    assert rep.n_events == len(events) == weekly["total_events"]
    assert rep.fatalities == weekly["total_fatalities"] == sum(e["fatalities"] or 0 for e in events)
    assert [c.event_id for c in rep.control] == [c["event_id"] for c in changes]
    assert {e.event_id for e in rep.events} == {e["event_id"] for e in events}
    by_country = {r["key"]: (r["events"], r["fatalities"]) for r in countries["rows"]}
    assert {c.country.replace("Not stated", "(unknown)"): (c.events, c.fatalities)
            for c in rep.by_country} == by_country
    # and what the report prints is what it counted
    md = render_markdown(rep)
    head = _headline(md)
    assert head["event"] == str(len(events))
    assert head["control change"] == str(len(changes))
    if weekly["total_fatalities"]:
        assert head["reported death"].split("–")[0] == str(weekly["total_fatalities"])
    else:
        assert "**no death toll stated**" in md
    if opts.country is None and opts.until.year == 2017:
        # the changes told as history by later reports count, as in `opsroom changes`
        assert any(c.background for c in rep.control)
    if rep.unit == "week":  # each week's row is the row `opsroom trends --by week` prints
        rows = {r["key"]: (r["events"], r["fatalities"]) for r in weekly["rows"]}
        assert {iso_week(b.start): (b.events, b.fatalities) for b in rep.buckets if b.events} == rows


@pytest.mark.slow
def test_a_two_year_window_is_a_short_monthly_table(sample_db: str) -> None:
    opts = SitrepOptions(dt.date(2016, 1, 1), dt.date(2017, 12, 31))  # was 105 weekly rows
    store = Store.open(sample_db)
    try:
        rep = build_sitrep(store, KNOWLEDGE, opts, draw=False)
    finally:
        store.close()
    md = render_markdown(rep)
    table = md.split("## Trend", 1)[1].split("## By country", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rep.unit == "month" and len(rep.buckets) == 24
    assert 0 < len(rows) == len(rep.rows) < 24
    empty = [r.events == 0 for r in rep.rows]
    assert not any(a and b for a, b in itertools.pairwise(empty))
    assert sum(r.events for r in rep.rows) == rep.n_events
    assert "months without events) | 0 | — |" in table
    assert "Stretches of 2 or more months without events are folded into one row." in table


@pytest.fixture(scope="module")
def two_year_report(sample_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-year report of the sample corpus, written by ``opsroom report``."""
    out = tmp_path_factory.mktemp("report")
    _cli("report", "--from", TWO_YEARS.since.isoformat(), "--to", TWO_YEARS.until.isoformat(),
         "-o", str(out), "--db", sample_db)
    return out


@pytest.mark.slow
def test_two_year_report_quotes_few_sentences_and_none_doubled(sample_db: str,
                                                               two_year_report: Path) -> None:
    md = (two_year_report / "sitrep.md").read_text()
    page = (two_year_report / "sitrep.html").read_text()
    store = Store.open(sample_db)
    try:
        rep = build_sitrep(store, KNOWLEDGE, TWO_YEARS, draw=False)
    finally:
        store.close()
    chatty = max(rep.main, key=lambda e: len(e.sources))
    shown, folded = pick_quotes(chatty.sources, chatty)
    # the clash of 7 Feb 2018, told by 17 sentences of one article when this was written
    assert len(shown) == QUOTES_SHOWN and folded, "an event told by more sentences than are shown"
    row = next(line for line in md.splitlines() if f"opsroom event {chatty.event_id[:8]}" in line)
    assert row.count("<br>") == QUOTES_SHOWN and f"*+{len(folded)} more:" in row
    for q in folded:  # folded, not lost: in the page, behind the count
        assert html_text(q.sentence) in page
    for c in rep.control:
        proof, _ = pick_quotes(c.evidence, place=c.place, limit=EVIDENCE_SHOWN)
        assert 0 < len(proof) <= EVIDENCE_SHOWN
    assert not DOUBLED.search(md) and not DOUBLED.search(page)
    assert page.count('<details class="more">') == sum(
        1 for e in rep.main if pick_quotes(e.sources, e)[1]) + sum(
        1 for c in rep.control if pick_quotes(c.evidence, place=c.place, limit=EVIDENCE_SHOWN)[1])


def html_text(sentence: str) -> str:
    """A sentence as the HTML page escapes it."""
    import html

    return html.escape(quote_text(sentence), quote=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, as the dashboard tests drive it; skipped where it is
    missing, and a failure under CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.slow
def test_the_html_report_reads_right_in_a_browser(sample_db: str, two_year_report: Path,
                                                  browser: Any) -> None:
    since, until = TWO_YEARS.since.isoformat(), TWO_YEARS.until.isoformat()
    n_events = len(_cli("events", "--since", since, "--until", until, "--limit", "100000", "--json",
                        "--db", sample_db).splitlines())
    n_changes = len(_cli("changes", "--from", since, "--to", until, "--json",
                         "--db", sample_db).splitlines())
    ctx = browser.new_context(viewport={"width": 1100, "height": 900}, offline=True)
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((two_year_report / "sitrep.html").as_uri())
    page.wait_for_load_state("load")
    try:
        figures = dict(zip(page.locator(".figure .l").all_text_contents(),
                           page.locator(".figure .n").all_inner_texts(), strict=True))
        assert figures["events"] == str(n_events)
        assert figures["control changes"] == str(n_changes)
        # both images decoded and shown, at a readable size
        for img in page.locator("img").all():
            assert img.is_visible()
            assert img.evaluate("i => i.complete && i.naturalWidth") > 600
        # the folded quotes: a count a reader sees, sentences hidden until it is opened
        more = page.locator("table.main details.more").first
        summary = more.locator("summary")
        assert summary.is_visible() and re.fullmatch(r"\+\d+ more", summary.inner_text())
        hidden = more.locator("li").first
        assert not hidden.is_visible()
        summary.click()
        assert hidden.is_visible()
        summary.click()
        # the trend table: a few monthly rows, the empty stretches folded and marked
        rows = page.locator("table.trend tbody tr")
        assert 0 < rows.count() < 24
        assert page.locator("table.trend tr.folded").first.is_visible()
        assert "months without events" in page.locator("table.trend").inner_text()
        text = page.locator("body").inner_text()
        assert not DOUBLED.search(text)
        assert all(u.startswith(("file:", "data:")) for u in requests), requests
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sitrep.png"), full_page=True)
        if os.environ.get("OPSROOM_SCREENSHOTS") == "1":
            # the head of the page: headline figures, summary, map and the first events
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1100, "height": 1500})
    finally:
        ctx.close()
