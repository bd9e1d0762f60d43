"""``/export``: the served events (or, for JSONL, the documents) as a file download."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from ..knowledge import Knowledge
from ..store import Store
from ..store.query import EventQuery
from .auth import require_reader
from .deps import get_knowledge, get_store
from .params import event_filters

router = APIRouter(tags=["export"], dependencies=[Depends(require_reader)])

MEDIA = {
    "acled-csv": ("text/csv; charset=utf-8", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
}


@router.get("/export", response_class=FileResponse)
def export_events(
    store: Annotated[Store, Depends(get_store)],
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    filters: Annotated[EventQuery, Depends(event_filters)],
    format: Annotated[Literal["acled-csv", "geojson", "jsonl", "parquet"],  # noqa: A002
                      Query(description="File format")] = "acled-csv",
) -> FileResponse:
    """Download the events the filters select (every filter of ``/events``).

    ACLED CSV, GeoJSON and Parquet hold the served events, oldest first; JSONL holds the
    document contract of the articles (``opsroom export``), filtered by date, country and
    background only, as the document export defines.
    """
    from .. import export as ex

    media, ext = MEDIA[format]
    fd, name = tempfile.mkstemp(prefix="opsroom-export-", suffix="." + ext)
    os.close(fd)
    path = Path(name)
    try:
        ex.export(store, format, path, filters, knowledge)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(path, media_type=media, filename=f"opsroom-events.{ext}",
                        background=BackgroundTask(path.unlink, missing_ok=True))
