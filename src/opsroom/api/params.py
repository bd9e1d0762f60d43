"""Query parameters shared by routes, each validated so a bad value is a 422 with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import HTTPException, Query

from ..store.query import EventQuery, parse_bbox

Page = Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")]
Since = Annotated[dt.date | None, Query(description="On or after (YYYY-MM-DD)")]
Until = Annotated[dt.date | None, Query(description="On or before (YYYY-MM-DD)")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
Name = Annotated[str | None, Query(min_length=1, max_length=120)]
Sort = Literal["-event_date", "event_date", "-fatalities", "fatalities"]
#: Ids are hex digests or KB slugs: anything else cannot name a record.
ID_PATTERN = r"^[A-Za-z0-9_.-]{1,80}$"

MAX_PER_PAGE = 500


def check_window(since: dt.date | None, until: dt.date | None) -> None:
    """Refuse a date window that ends before it starts (a 422 naming both dates), not an
    empty answer that looks like no events."""
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")


def event_filters(
    since: Since = None,
    until: Until = None,
    bbox: Annotated[str | None, Query(max_length=100,
                                      description="minlon,minlat,maxlon,maxlat")] = None,
    country: Name = None,
    admin1: Name = None,
    actor: Name = None,
    event_type: Name = None,
    sub_event_type: Name = None,
    q: Text = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    background: Annotated[bool, Query(description="Include history told in passing")] = False,
) -> EventQuery:
    """The event filters of ``/events`` and ``/export`` as the one event query
    (``store.query.EventQuery``), which the CLI's ``events`` and ``export`` build too."""
    try:
        return EventQuery(since=since, until=until,
                          bbox=parse_bbox(bbox) if bbox is not None else None, country=country,
                          admin1=admin1, actor=actor, event_type=event_type,
                          sub_event_type=sub_event_type, text=q,
                          min_fatalities=min_fatalities, include_background=background)
    except ValueError as exc:  # a bad box, a window ending before it starts
        raise HTTPException(422, str(exc)) from None
