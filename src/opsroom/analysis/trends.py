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
