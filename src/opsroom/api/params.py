"""Query parameters shared by routes, each validated so a bad value is a 422 with a reason.

One vocabulary for every door: a list is paged with ``page`` (1-based) and ``per_page``,
as ``opsroom events --page N --per-page N`` is, and the event filters have the names of
``EventQuery``'s fields.  A parameter a route does not declare is refused
(``reject_unknown_query``) rather than ignored: ``/events?limit=5`` used to answer with
the default page, as if the limit had been applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from ..knowledge import Knowledge
from ..models import RECORD_ID_PATTERN
from ..store.query import EventQuery, parse_bbox
from .deps import get_knowledge

Page = Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")]
Since = Annotated[dt.date | None, Query(description="On or after (YYYY-MM-DD)")]
Until = Annotated[dt.date | None, Query(description="On or before (YYYY-MM-DD)")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
Name = Annotated[str | None, Query(min_length=1, max_length=120)]
Sort = Literal["-event_date", "event_date", "-fatalities", "fatalities"]
#: Ids are hex digests or KB slugs: anything else cannot name a record.
ID_PATTERN = RECORD_ID_PATTERN

MAX_PER_PAGE = 500
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Items per page")]

#: Spellings of other APIs' paging, and the name this one uses for each: named in the
#: error, as users coming from them try these first.
PAGING_SYNONYMS = {"limit": "per_page", "page_size": "per_page", "size": "per_page",
                   "offset": "page", "skip": "page"}


def dependants(root: Dependant) -> Iterator[Dependant]:
    """``root`` and its dependencies, at every depth."""
    yield root
    for sub in root.dependencies:
        yield from dependants(sub)


def declared_query(route: APIRoute) -> list[str]:
    """The query parameters ``route`` declares, its dependencies' included."""
    return sorted({f.alias for d in dependants(route.dependant) for f in d.query_params})


def reject_unknown_query(request: Request) -> None:
    """Dependency of every API route: a 422 naming any query parameter the route does
    not declare, and the ones it does (a misspelt filter would otherwise select all)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = declared_query(route)
    unknown = [k for k in dict.fromkeys(request.query_params.keys()) if k not in allowed]
    if not unknown:
        return
    hints = [f"{k!r} is {PAGING_SYNONYMS[k]!r} here" for k in unknown
             if PAGING_SYNONYMS.get(k) in allowed]
    names = ", ".join(repr(k) for k in unknown)
    raise HTTPException(422, f"unknown query parameter{'s' if len(unknown) > 1 else ''} "
                             f"{names}{' (' + '; '.join(hints) + ')' if hints else ''}; "
                             f"allowed: {', '.join(allowed) or 'none'}")


def check_vocabulary(name: str, value: str | None, allowed: Iterable[str]) -> None:
    """A 422 listing ``allowed`` when ``value`` is not one of them (any case, as the
    filters compare): an unknown type would select nothing, which reads as no events."""
    choices = list(dict.fromkeys(allowed))
    if value is not None and value.lower() not in {c.lower() for c in choices}:
        raise HTTPException(422, f"unknown {name} {value!r}; expected one of "
                                 f"{', '.join(choices)}")


def check_window(since: dt.date | None, until: dt.date | None) -> None:
    """Refuse a date window that ends before it starts (a 422 naming both dates), not an
    empty answer that looks like no events."""
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")


def event_filters(
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
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
    (``store.query.EventQuery``), which the CLI's ``events`` and ``export`` build too.

    Types are checked against the ACLED ontology of the app's knowledge (422 listing it)."""
    ontology = knowledge.lexicon.ontology
    check_vocabulary("event_type", event_type, ontology)
    check_vocabulary("sub_event_type", sub_event_type,
                     (sub for subs in ontology.values() for sub in subs))
    try:
        return EventQuery(since=since, until=until,
                          bbox=parse_bbox(bbox) if bbox is not None else None, country=country,
                          admin1=admin1, actor=actor, event_type=event_type,
                          sub_event_type=sub_event_type, text=q,
                          min_fatalities=min_fatalities, include_background=background)
    except ValueError as exc:  # a bad box, a window ending before it starts
        raise HTTPException(422, str(exc)) from None
