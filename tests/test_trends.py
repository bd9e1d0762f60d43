"""Trends: events and fatalities by week, country, admin1, type and actor; sums agree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opsroom.analysis import TREND_KEYS, iso_week, trend, trends
from opsroom.cli import app
from opsroom.config import Settings
from opsroom.models import Event
from opsroom.pipeline import ingest
from opsroom.store import EventQuery, Store, search_events

from .conftest import CorpusAnalysis


def _ev(eid: str, day: dt.date | None, fatalities: int | None, country: str = "Syria",
        actor2: str | None = "Islamic State") -> Event:
    return Event(event_id=eid, event_type="Battles", sub_event_type="Armed clash",
                 event_date=day, actor1="Syrian Democratic Forces", actor2=actor2,
                 country=country, admin1="Deir ez-Zor", fatalities=fatalities)


def test_iso_weeks_cross_the_year() -> None:
    assert iso_week(dt.date(2017, 1, 1)) == "2016-W52"
    assert iso_week(dt.date(2017, 10, 2)) == "2017-W40"


def test_trend_sums() -> None:
    events = [_ev("a", dt.date(2017, 10, 2), 5), _ev("b", dt.date(2017, 10, 4), None),
              _ev("c", dt.date(2017, 10, 9), 2, country="Iraq", actor2=None)]
    weeks = trend(events, "week")
    assert [(r.key, r.events, r.fatalities, r.with_figures) for r in weeks.rows] == [
        ("2017-W40", 2, 5, 1), ("2017-W41", 1, 2, 1)]
    assert (weeks.total_events, weeks.total_fatalities) == (3, 7)
    actors = {r.key: r.events for r in trend(events, "actor").rows}
    assert actors == {"Syrian Democratic Forces": 3, "Islamic State": 2}
    with pytest.raises(ValueError):
        trend(events, "colour")


def test_trends_of_the_corpus_add_up(analysed: CorpusAnalysis, corpus_dir: Path, store: Store, db_url: str) -> None:
    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    merged, total = search_events(store, EventQuery())
    fatalities = sum(it.event.fatalities or 0 for it in merged)
    for by in TREND_KEYS:
        result = trends(store, by)
        assert result.total_events == total and result.total_fatalities == fatalities
        if by != "actor":  # an event counts once for each of its sides
            assert sum(r.events for r in result.rows) == total
            assert sum(r.fatalities for r in result.rows) == fatalities
    window = trends(store, "week", dt.date(2017, 10, 1), dt.date(2017, 11, 30))
    assert all("2017-W39" < r.key < "2017-W49" for r in window.rows)
    result = CliRunner().invoke(app, ["trends", "--by", "country", "--db", db_url])
    assert result.exit_code == 0 and "Syria" in result.output
