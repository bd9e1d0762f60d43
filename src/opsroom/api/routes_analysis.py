"""``/control``, ``/trends``, ``/graph``: the analyses of ``opsroom.analysis`` over HTTP."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.encoders import jsonable_encoder

from ..knowledge import Knowledge
from ..store import Store
from .auth import require_reader
from .deps import get_knowledge, get_store
from .params import Name, Since, Until, check_window

router = APIRouter(tags=["analysis"], dependencies=[Depends(require_reader)])


def _change(c: Any) -> dict[str, Any]:
    out = asdict(c)
    out["period"] = list(c.period) if c.period else None
    return out


@router.get("/control", responses={404: {"description": "A place neither the gazetteer nor a "
                                                    "stored event knows"}})
def control(
    store: Annotated[Store, Depends(get_store)],
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    place: Annotated[str, Query(min_length=2, max_length=120, description="A place, any spelling")],
    on: Annotated[dt.date | None, Query(description="The date (default: latest known)")] = None,
) -> dict[str, Any]:
    """Who held a place on a date, since when, the change that gave it and what contradicts it.

    A place that neither the gazetteer nor a stored event knows is a 404 suggesting the
    nearest names, as ``opsroom control`` says: an answer of nulls would read as "no one
    is known to hold it".
    """
    from ..analysis import who_held

    state = who_held(store, place, knowledge, on)
    if not state.history and not knowledge.gazetteer.lookup(place):
        guesses = sorted({p.name for p, _ in knowledge.gazetteer.fuzzy(place, limit=3)})
        hint = f" (did you mean {' or '.join(guesses)}?)" if guesses else ""
        raise HTTPException(404, f"unknown place: {place}{hint}")
    out = asdict(state)
    for key in ("change",):
        if state.change is not None:
            out[key] = _change(state.change)
    for key in ("contradictions", "undated", "history"):
        out[key] = [_change(c) for c in getattr(state, key)]
    return jsonable_encoder(out)


@router.get("/control/changes")
def control_changes(
    store: Annotated[Store, Depends(get_store)],
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    since: Since = None,
    until: Until = None,
    country: Name = None,
    undated: Annotated[bool, Query(description="Also undated changes reported in the window")] = False,
) -> dict[str, Any]:
    """Places that changed hands in a window (default: all time), oldest first."""
    from ..analysis import control_changes as changes

    check_window(since, until)
    items = changes(store, knowledge, since or dt.date.min, until or dt.date.max, country,
                    include_undated=undated)
    return jsonable_encoder({"since": since, "until": until, "country": country,
                             "items": [_change(c) for c in items], "total": len(items)})


@router.get("/trends")
def trends(
    store: Annotated[Store, Depends(get_store)],
    by: Literal["week", "country", "admin1", "type", "sub_type", "actor"] = "week",
    since: Since = None,
    until: Until = None,
    country: Name = None,
    background: bool = False,
) -> dict[str, Any]:
    """Events and fatalities by week, country, province, type, sub-type or actor."""
    from ..analysis import trends as compute

    check_window(since, until)
    result = compute(store, by=by, since=since, until=until, country=country,
                     include_background=background)
    return jsonable_encoder(asdict(result))


@router.get("/graph")
def graph(
    store: Annotated[Store, Depends(get_store)],
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """Actors and their ties (fights, backed by, part of, allied with) with evidence."""
    from ..analysis import actor_graph

    check_window(since, until)
    try:
        return actor_graph(store, knowledge, since, until).to_json()
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
