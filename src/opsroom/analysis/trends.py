"""Events and fatalities by ISO week, country, admin1, type or actor, over a window.

Fatalities add the reconciled (conservative) figure of each merged event; an event
without a stated figure adds nothing, and ``with_figures`` says how many had one.  By
actor, an event counts once for each of its two sides, so actor rows sum to more than
the total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..models import Event

if TYPE_CHECKING:
    from ..store import Store

TrendKey = Literal["week", "country", "admin1", "type", "sub_type", "actor"]
TREND_KEYS: tuple[str, ...] = ("week", "country", "admin1", "type", "sub_type", "actor")
UNKNOWN = "(unknown)"


@dataclass
class TrendRow:
    """One bucket: how many events, how many dead."""

    key: str
    events: int = 0
    fatalities: int = 0
    with_figures: int = 0


@dataclass
class Trend:
    """Rows of one breakdown and the window's totals."""

    by: str
    since: dt.date | None
    until: dt.date | None
    rows: list[TrendRow]
    total_events: int
    total_fatalities: int


def iso_week(day: dt.date) -> str:
    """The key of a week's trend row ("2017-W43"), in the ISO year so it sorts as text:
    31 Dec 2018 falls in "2019-W01"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _keys(by: str) -> Callable[[Event], list[str]]:
    if by == "week":
        return lambda e: [iso_week(e.event_date) if e.event_date else UNKNOWN]
    if by == "country":
        return lambda e: [e.country or UNKNOWN]
    if by == "admin1":
        return lambda e: [f"{e.admin1}, {e.country}" if e.admin1 else UNKNOWN]
    if by == "type":
        return lambda e: [e.event_type]
    if by == "sub_type":
        return lambda e: [e.sub_event_type]
    if by == "actor":
        return lambda e: sorted({a for a in (e.actor1, e.actor2) if a}) or [UNKNOWN]
    raise ValueError(f"unknown breakdown {by!r}; one of {', '.join(TREND_KEYS)}")


def trend(events: Iterable[Event], by: str, since: dt.date | None = None,
          until: dt.date | None = None) -> Trend:
    """Events and fatalities of ``events`` by ``by`` (pure); weeks in order, others by size."""
    keys = _keys(by)
    rows: dict[str, TrendRow] = defaultdict(lambda: TrendRow(""))
    total_events = total_fatalities = 0
    for ev in events:
        total_events += 1
        total_fatalities += ev.fatalities or 0
        for key in keys(ev):
            row = rows[key]
            row.key = key
            row.events += 1
            if ev.fatalities is not None:
                row.fatalities += ev.fatalities
                row.with_figures += 1
    if by == "week":
        ordered = sorted(rows.values(), key=lambda r: (r.key == UNKNOWN, r.key))
    else:
        ordered = sorted(rows.values(), key=lambda r: (-r.events, -r.fatalities, r.key))
    return Trend(by, since, until, ordered, total_events, total_fatalities)


def trends(store: Store, by: str = "week", since: dt.date | None = None,
           until: dt.date | None = None, country: str | None = None,
           include_background: bool = False) -> Trend:
    """Events and fatalities of the store's merged events in a window, by ``by``."""
    _keys(by)  # an unknown breakdown fails before reading anything
    from ..store import EventQuery, select_events

    events = select_events(store, EventQuery(since=since, until=until, country=country,
                                             include_background=include_background))
    return trend(events, by, since, until)


# -- what changed: the last week against the weeks before ---------------------------

#: Weeks before the last one whose mean is the baseline: four, as ACLED's early-warning
#: dashboard compares a week with the month before it.
BASELINE_WEEKS = 4
#: Precisions that place an event inside one week; a date known only to the month or
#: the year (stored as its first day) would pile up on the 1st and is left out.
WEEKLY_PRECISIONS = frozenset({"day", "week"})


@dataclass
class ProvinceChange:
    """One province: events and deaths in the last week against the mean per week of the
    ``BASELINE_WEEKS`` before it."""

    country: str | None
    admin1: str | None
    events: int = 0
    fatalities: int = 0
    events_before: float = 0.0
    fatalities_before: float = 0.0

    @property
    def events_change(self) -> float:
        """Events of the last week minus the weekly mean before it (positive: a rise)."""
        return self.events - self.events_before

    @property
    def fatalities_change(self) -> float:
        """Deaths of the last week minus the weekly mean before it."""
        return self.fatalities - self.fatalities_before


@dataclass
class WeeklyChange:
    """What changed in the week ending on ``week_end``, one row per province that had an
    event in the window, sorted by change (largest rise first, largest fall last)."""

    week_end: dt.date | None
    weeks_before: int
    rows: list[ProvinceChange]
    #: Events in the window dated only to the month or the year, which no week can hold.
    left_out: int = 0

    @property
    def week_start(self) -> dt.date | None:
        """First day of the last week (seven days ending on ``week_end``)."""
        return self.week_end - dt.timedelta(days=6) if self.week_end else None

    @property
    def baseline_start(self) -> dt.date | None:
        """First day of the weeks the mean is taken over."""
        if self.week_end is None:
            return None
        return self.week_end - dt.timedelta(days=7 * (self.weeks_before + 1) - 1)

    @property
    def baseline_end(self) -> dt.date | None:
        """Last day of the weeks the mean is taken over: the day before the last week."""
        return self.week_end - dt.timedelta(days=7) if self.week_end else None


def weekly_change(events: Iterable[Event], week_end: dt.date | None = None,
                  weeks_before: int = BASELINE_WEEKS, by: str = "events") -> WeeklyChange:
    """Per province, the week ending on ``week_end`` against the mean of the
    ``weeks_before`` weeks before it (pure); ``week_end`` defaults to the latest event date.

    ``by`` ("events" or "fatalities") is the change the rows are sorted on; the other
    breaks ties.  Undated events and those dated only to a month or a year are not placed
    in a week: the latter are counted in ``left_out`` when their date falls in the window.
    """
    if by not in ("events", "fatalities"):
        raise ValueError(f"unknown sort {by!r}; one of events, fatalities")
    if weeks_before < 1:
        raise ValueError(f"weeks_before must be at least 1, got {weeks_before}")
    events = [e for e in events if e.event_date is not None]
    if week_end is None:
        week_end = max((e.event_date for e in events if e.event_date), default=None)
    if week_end is None:
        return WeeklyChange(None, weeks_before, [])
    first = week_end - dt.timedelta(days=7 * (weeks_before + 1) - 1)
    rows: dict[tuple[str | None, str | None], ProvinceChange] = {}
    left_out = 0
    for ev in events:
        day = ev.event_date
        assert day is not None
        if not first <= day <= week_end:
            continue
        if ev.date_precision not in WEEKLY_PRECISIONS:
            left_out += 1
            continue
        row = rows.setdefault((ev.country, ev.admin1), ProvinceChange(ev.country, ev.admin1))
        if (week_end - day).days < 7:
            row.events += 1
            row.fatalities += ev.fatalities or 0
        else:
            row.events_before += 1 / weeks_before
            row.fatalities_before += (ev.fatalities or 0) / weeks_before

    def key(r: ProvinceChange) -> tuple[float, float, str, str]:
        main, other = ((r.events_change, r.fatalities_change) if by == "events"
                       else (r.fatalities_change, r.events_change))
        return (-round(main, 6), -round(other, 6), r.country or "~", r.admin1 or "~")

    return WeeklyChange(week_end, weeks_before, sorted(rows.values(), key=key), left_out)


def province_changes(store: Store, week_end: dt.date | None = None,
                     country: str | None = None, by: str = "events",
                     weeks_before: int = BASELINE_WEEKS) -> WeeklyChange:
    """``weekly_change`` of the store's events (history told in passing left out); the
    week ends on ``week_end`` or, when None, on the latest event date (of ``country``)."""
    from ..store import EventQuery, select_events

    if week_end is None:
        latest = select_events(store, EventQuery(country=country, sort="-event_date", limit=1))
        if not latest or latest[0].event_date is None:
            return WeeklyChange(None, weeks_before, [])
        week_end = latest[0].event_date
    since = week_end - dt.timedelta(days=7 * (weeks_before + 1) - 1)
    events = select_events(store, EventQuery(since=since, until=week_end, country=country))
    return weekly_change(events, week_end, weeks_before, by)
