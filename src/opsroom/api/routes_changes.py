"""``/changes``: the change feed, for users who keep a copy of the events in sync.

A copy asks for the changes since its last sync, pages through them, applies each (read
a created or updated event at ``/events/{event_id}``, drop a deleted one) and keeps the
answer's ``latest`` as its next ``since``.  ``since`` counts changes at or after it, and
``latest`` stays ``CURSOR_SETTLE`` (five minutes) behind the time of the answer, so a
change logged by a write still open during the read is sent at the next sync rather than
missed; a change of the last minutes is sent again, and applying one twice changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ..store import Store
from ..store.changes import changes_since
from .auth import require_reader
from .deps import get_store, page_window
from .params import Page, PerPage
from .schemas import ChangeOut, ChangePage

router = APIRouter(tags=["events"], dependencies=[Depends(require_reader)])


@router.get("/changes", response_model=ChangePage)
def list_changes(
    store: Annotated[Store, Depends(get_store)],
    since: Annotated[dt.datetime | None, Query(
        description="ISO 8601 time, e.g. 2026-01-31T12:00:00Z (no zone: UTC); "
                    "omitted: every change on record")] = None,
    page: Page = 1,
    per_page: PerPage = 100,
) -> ChangePage:
    """Events created, changed or deleted at or after ``since``: each event once, with its
    latest change, oldest change first (ACLED's API offers the same to keep a copy)."""
    limit, offset = page_window(page, per_page)
    items, total, latest = changes_since(store, since, limit, offset)
    return ChangePage(items=[ChangeOut.model_validate(asdict(c)) for c in items],
                      total=total, page=page, per_page=per_page, since=since, latest=latest)
