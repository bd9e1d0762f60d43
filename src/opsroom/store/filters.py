"""Filters over stored events, shared by the per-article and the merged event queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from . import tables as t


@dataclass
class EventFilter:
    """Filters of ``opsroom events``."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    actor: str | None = None
    event_type: str | None = None
    text: str | None = None
    include_background: bool = False
    limit: int = 100
    offset: int = 0


def event_conditions(
    c: Any, f: EventFilter, in_sources: Callable[[Select[Any]], ColumnElement[bool]]
) -> list[ColumnElement[bool]]:
    """WHERE conditions of an event filter over event-like columns ``c``.

    Per-article and merged events share every column the filter reads; only how an event
    owns source sentences differs, which ``in_sources`` maps from the ids of matching
    sources.
    """
    conds: list[ColumnElement[bool]] = []
    if not f.include_background:
        conds.append(c.background.is_(False))
    if f.since:
        conds.append(c.event_date >= f.since)
    if f.until:
        conds.append(c.event_date <= f.until)
    if f.country:
        conds.append(func.lower(c.country) == f.country.lower())
    if f.event_type:
        pattern = f"%{f.event_type.lower()}%"
        conds.append(or_(func.lower(c.event_type).like(pattern),
                         func.lower(c.sub_event_type).like(pattern)))
    if f.actor:
        pattern = f"%{f.actor.lower()}%"
        conds.append(or_(*(func.lower(col).like(pattern) for col in
                           (c.actor1, c.actor2, c.assoc_actor_1, c.assoc_actor_2))))
    if f.text:
        sources = select(t.event_sources.c.event_id)
        for word in f.text.split():
            sources = sources.where(func.lower(t.event_sources.c.sentence).like(f"%{word.lower()}%"))
        conds.append(or_(in_sources(sources), func.lower(c.location).like(f"%{f.text.lower()}%")))
    return conds
