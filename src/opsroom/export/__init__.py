"""Exports of the stored record: ACLED CSV, GeoJSON, JSONL of the document contract, Parquet.

    from opsroom.export import export
    from opsroom.store import EventQuery
    n = export(store, "acled-csv", Path("events.csv"),
               EventQuery(country="Syria", include_background=True),
               Knowledge.from_settings(settings))

The events are those the query selects, as ``opsroom events`` and ``/api/v1/events`` list
them for the same query (``store.query``), oldest first.  Background events (history told
in passing) are in when the query asks (``include_background``); what ``opsroom export``
asks when not told is ``includes_background``.

Every format round-trips: ``read_acled_csv``, ``read_geojson`` and ``read_parquet`` give
the events back, and ``opsroom ingest`` re-imports a JSONL export as given.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import OpsroomError
from ..ingest.documents import document_from_json, document_to_json, event_from_json
from ..knowledge import Knowledge
from ..models import Document
from ..store import ArticleFilter, EventQuery, Store, select_events
from .acled import (
    ACLED_COLUMNS,
    CSV_COLUMNS,
    EXTRA_COLUMNS,
    acled_row,
    fatality_basis,
    read_acled_csv,
    source_scale,
    write_acled_csv,
)
from .geojson import read_geojson, write_geojson
from .parquet import read_parquet, write_parquet

FORMATS = ("acled-csv", "geojson", "jsonl", "parquet")

#: Rows fetched per query when walking the articles; big enough that a corpus of
#: thousands takes a handful of queries, small enough to keep memory flat.
PAGE = 1000


#: Formats that hold history told in passing unless told otherwise (``opsroom export``).
#: An export is a file of events, as the API's export and ACLED's own files are: history
#: comes in only when asked (``--background``).  The JSONL documents are the exception:
#: each line is a whole article, re-imported to the same events, so it keeps them all.
WITH_BACKGROUND = frozenset({"jsonl"})


def includes_background(fmt: str) -> bool:
    """Whether an export of ``fmt`` holds background events when not told (``WITH_BACKGROUND``)."""
    return fmt in WITH_BACKGROUND


def document_window(q: EventQuery) -> EventQuery:
    """What a JSONL export selects of ``q``: its dates, country and background, over each
    article's own events (the document export defines its articles by these alone)."""
    return EventQuery(since=q.since, until=q.until, country=q.country,
                      include_background=q.include_background, per_article=True)


def _article_ids(store: Store, q: EventQuery) -> list[str]:
    """Articles a JSONL export holds: those with a selected event, and, unless a country is
    asked for, those published in the window (all articles when nothing filters)."""
    q = document_window(q)
    ids = {s.article_id for ev in select_events(store, q) for s in ev.sources}
    if q.country is None:
        offset = 0
        while True:
            page, total = store.list_articles(ArticleFilter(
                since=q.since, until=q.until, limit=PAGE, offset=offset))
            ids.update(a.id for a in page)
            offset += len(page)
            if not page or offset >= total:
                break
    return sorted(ids)


def iter_documents(store: Store, q: EventQuery) -> Iterator[Document]:
    """The stored documents (article, entities, relations, events) ``q`` selects (its
    ``document_window``)."""
    for aid in _article_ids(store, q):
        article = store.get_article(aid)
        if article is None:
            continue
        yield Document(article=article, entities=store.entities_of(aid),
                       events=store.events_of(aid), relations=store.relations_of(aid))


def write_jsonl(store: Store, path: Path, q: EventQuery) -> int:
    """One document-contract line per article (with its text); returns the line count."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for doc in iter_documents(store, q):
            fh.write(json.dumps(document_to_json(doc), ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def export(store: Store, fmt: str, path: Path, q: EventQuery, knowledge: Knowledge) -> int:
    """Write an export of ``fmt`` (one of ``FORMATS``) to ``path``; returns rows written.

    The events ``q`` selects, oldest first (undated last), whatever its sort; JSONL holds
    the articles of ``document_window(q)``.  ``knowledge`` codes the actors (ACLED inter
    codes), the user's own included.
    """
    if fmt not in FORMATS:
        raise OpsroomError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        return write_jsonl(store, path, q)
    events = select_events(store, replace(q, sort="event_date"))
    outlets = store.outlets_of([s.article_id for ev in events for s in ev.sources])
    if fmt == "acled-csv":
        return write_acled_csv(events, path, outlets, knowledge.actors)
    if fmt == "geojson":
        return write_geojson(events, path, outlets)
    return write_parquet(events, path, outlets)


__all__ = [
    "ACLED_COLUMNS", "CSV_COLUMNS", "EXTRA_COLUMNS", "FORMATS", "acled_row",
    "document_from_json", "document_to_json", "document_window", "event_from_json", "export",
    "fatality_basis", "includes_background", "iter_documents", "read_acled_csv", "read_geojson", "read_parquet",
    "source_scale", "write_acled_csv", "write_geojson", "write_jsonl", "write_parquet",
]
