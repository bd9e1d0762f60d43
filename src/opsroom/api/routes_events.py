"""``/events``: the served event record; edits and deletions with their audit trail."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request, Response

from ..knowledge import Knowledge
from ..store import Store
from ..store.access import audit_entries, delete_event, event_edits, update_event
from ..store.query import EventQuery, get_view_event, search_events
from ..store.views import article_texts
from .auth import require_reader, require_writer
from .cache import PageCache
from .convert import edit_out, event_out
from .deps import get_knowledge, get_store, page_window
from .params import ID_PATTERN, MAX_PER_PAGE, Page, Sort, event_filters
from .schemas import (
    AuditEntry,
    AuditPage,
    EditPage,
    EditResult,
    EventOut,
    EventPage,
    EventPatch,
)

router = APIRouter(tags=["events"])
EventId = Annotated[str, Path(pattern=ID_PATTERN)]


@router.get("/events", response_model=EventPage, dependencies=[Depends(require_reader)])
def list_events(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    filters: Annotated[EventQuery, Depends(event_filters)],
    sort: Sort = "-event_date",
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> Response:
    """Events (merged across articles where the merge has run), filtered, sorted, paged."""
    # The key is what the page depends on, as validated (not the raw query string, where
    # the same page can be asked for in many spellings).
    limit, offset = page_window(page, per_page)
    q = replace(filters, sort=sort, limit=limit, offset=offset)
    key = repr((sorted(q.__dict__.items()), page, per_page))
    cache: PageCache = request.app.state.pages
    generation = store.served_generation()  # before the page: see api/cache.py
    body = cache.get(generation, key)
    if body is None:
        items, total = search_events(store, q)
        titles = article_texts(store, {s.article_id for it in items for s in it.event.sources},
                               text=False)
        # Rendered once, here: returned as a model, FastAPI would validate and serialise
        # it again (a fifth of the page's CPU).
        body = EventPage(items=[event_out(it, titles) for it in items], total=total,
                         page=page, per_page=per_page).model_dump_json().encode()
        cache.put(generation, key, body)
    return Response(body, media_type="application/json")


@router.get("/events/{event_id}", response_model=EventOut, dependencies=[Depends(require_reader)])
def get_event(store: Annotated[Store, Depends(get_store)], event_id: EventId) -> EventOut:
    """One event with its sources (each cut from its article for highlighting) and claims."""
    item = get_view_event(store, event_id)
    if item is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    titles = article_texts(store, {s.article_id for s in item.event.sources})
    return event_out(item, titles, with_context=True,
                     edits=event_edits(store, item.event.event_id))


@router.patch("/events/{event_id}", response_model=EditResult)
def patch_event(
    store: Annotated[Store, Depends(get_store)],
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    who: Annotated[str, Depends(require_writer)],
    event_id: EventId,
    patch: Annotated[EventPatch, Body()],
) -> EditResult:
    """Change fields of an event; the change is written to the audit log with its author."""
    changes: dict[str, Any] = patch.model_dump(exclude_unset=True)
    current = get_view_event(store, event_id)
    if current is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    ontology = knowledge.lexicon.ontology
    etype = changes.get("event_type", current.event.event_type)
    sub = changes.get("sub_event_type", current.event.sub_event_type)
    if etype not in ontology:
        raise HTTPException(422, f"unknown event_type {etype!r}; expected one of "
                                 f"{', '.join(ontology)}")
    if sub not in ontology[etype]:
        raise HTTPException(422, f"sub_event_type {sub!r} is not a sub-type of {etype!r}")
    result = update_event(store, current.event.event_id, changes, who)
    if result is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    item = get_view_event(store, current.event.event_id)
    assert item is not None
    return EditResult(event=event_out(item, edits=event_edits(store, item.event.event_id)),
                      before=result[0], after=result[1])


@router.delete("/events/{event_id}", status_code=200)
def remove_event(
    store: Annotated[Store, Depends(get_store)],
    who: Annotated[str, Depends(require_writer)],
    event_id: EventId,
) -> dict[str, Any]:
    """Delete an event (a merged one with the reports it merged); audited."""
    current = get_view_event(store, event_id)
    if current is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    before = delete_event(store, current.event.event_id, who)
    if before is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    return {"deleted": current.event.event_id}


@router.get("/edits", response_model=EditPage, dependencies=[Depends(require_reader)],
            tags=["audit"])
def list_edits(
    store: Annotated[Store, Depends(get_store)],
    status: Annotated[Literal["applied", "needs review", "orphaned"] | None, Query()] = None,
) -> EditPage:
    """Analysts' edits kept over merges, oldest first; ``status=needs review`` lists those a
    merge put in doubt, ``status=orphaned`` those whose event is gone."""
    rows = event_edits(store, status=status)
    return EditPage(items=[edit_out(r) for r in rows], total=len(rows))


@router.get("/audit", response_model=AuditPage, tags=["audit"])
def list_audit(
    store: Annotated[Store, Depends(get_store)],
    _who: Annotated[str, Depends(require_writer)],
    target: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> AuditPage:
    """Who changed what and when, newest first (needs a token)."""
    limit, offset = page_window(page, per_page)
    rows, total = audit_entries(store, target, limit, offset)
    return AuditPage(items=[AuditEntry(**r) for r in rows], total=total, page=page,
                     per_page=per_page)
