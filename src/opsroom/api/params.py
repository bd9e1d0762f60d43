"""Query parameters shared by routes, each validated so a bad value is a 422 with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import HTTPException, Query

from ..store.views import EventQuery

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
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``minlon,minlat,maxlon,maxlat`` → four floats, or a 422 saying what is wrong."""
    if value is None:
        return None
    parts = value.split(",")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        nums = []
    if len(nums) != 4 or any(n != n for n in nums):  # n != n: NaN
        raise HTTPException(422, f"bbox must be minlon,minlat,maxlon,maxlat (four numbers), got {value!r}")
    min_lon, min_lat, max_lon, max_lat = nums
    if not (-180 <= min_lon <= max_lon <= 180) or not (-90 <= min_lat <= max_lat <= 90):
        raise HTTPException(422, "bbox out of range: need -180 ≤ minlon ≤ maxlon ≤ 180 and "
                                 "-90 ≤ minlat ≤ maxlat ≤ 90")
    return min_lon, min_lat, max_lon, max_lat


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
    """The event filters of ``/events`` and ``/export`` as one query object."""
    check_window(since, until)
    return EventQuery(since=since, until=until, bbox=parse_bbox(bbox), country=country,
                      admin1=admin1, actor=actor, event_type=event_type,
                      sub_event_type=sub_event_type, text=q, min_fatalities=min_fatalities,
                      include_background=background)
