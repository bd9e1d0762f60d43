"""Exports of the stored record: ACLED CSV, GeoJSON, JSONL of the document contract, Parquet.

    from opsroom.export import ExportOptions, export
    n = export(store, "acled-csv", Path("events.csv"), ExportOptions(country="Syria"),
               Knowledge.from_settings(settings))

Every format round-trips: ``read_acled_csv``, ``read_geojson`` and ``read_parquet`` give
the events back, and ``opsroom ingest`` re-imports a JSONL export as given.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import OpsroomError
from ..knowledge import Knowledge
from ..models import Document, Event
from ..store import ArticleFilter, EventFilter, Store
from .acled import ACLED_COLUMNS, acled_row, read_acled_csv, write_acled_csv
from .documents import document_from_json, document_to_json, event_from_json
from .geojson import read_geojson, write_geojson
from .parquet import read_parquet, write_parquet

FORMATS = ("acled-csv", "geojson", "jsonl", "parquet")

#: Rows fetched per query when walking the store; big enough that a corpus of thousands
#: of events takes a handful of queries, small enough to keep memory flat.
PAGE = 1000


@dataclass(frozen=True)
class ExportOptions:
    """Which events (or, for JSONL, articles) an export holds."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    include_background: bool = True


def select_events(store: Store, opts: ExportOptions, merged: bool | None = None) -> list[Event]:
    """The stored events the options select, oldest first (undated last), with sources.

    Merged events (one per happening, all its sources) when merging has run, unless
    ``merged`` says otherwise; the per-article events otherwise.
    """
    if merged is None:
        merged = store.cluster_count() > 0
    if merged:
        out = store.analysis_events(since=opts.since, until=opts.until, country=opts.country,
                                    include_background=opts.include_background, merged=True)
    else:
        out = _article_events(store, opts)
    out.sort(key=lambda e: (e.event_date is None, e.event_date or dt.date.min, e.event_id))
    return out


def _article_events(store: Store, opts: ExportOptions) -> list[Event]:
    out: list[Event] = []
    offset = 0
    while True:
        page, total = store.list_events(EventFilter(
            since=opts.since, until=opts.until, country=opts.country,
            include_background=opts.include_background, limit=PAGE, offset=offset))
        out.extend(page)
        offset += len(page)
        if not page or offset >= total:
            break
    return out


def _article_ids(store: Store, opts: ExportOptions) -> list[str]:
    """Articles a JSONL export holds: those with a selected event, and, unless a country is
    asked for, those published in the window (all articles when nothing filters)."""
    ids = {s.article_id for ev in _article_events(store, opts) for s in ev.sources}
    if opts.country is None:
        offset = 0
        while True:
            page, total = store.list_articles(ArticleFilter(
                since=opts.since, until=opts.until, limit=PAGE, offset=offset))
            ids.update(a.id for a in page)
            offset += len(page)
            if not page or offset >= total:
                break
    return sorted(ids)


def iter_documents(store: Store, opts: ExportOptions) -> Iterator[Document]:
    """The stored documents (article, entities, relations, events) the options select."""
    for aid in _article_ids(store, opts):
        article = store.get_article(aid)
        if article is None:
            continue
        yield Document(article=article, entities=store.entities_of(aid),
                       events=store.events_of(aid), relations=store.relations_of(aid))


def write_jsonl(store: Store, path: Path, opts: ExportOptions) -> int:
    """One document-contract line per article (with its text); returns the line count."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for doc in iter_documents(store, opts):
            fh.write(json.dumps(document_to_json(doc), ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def export(store: Store, fmt: str, path: Path, opts: ExportOptions, knowledge: Knowledge
           ) -> int:
    """Write an export of ``fmt`` (one of ``FORMATS``) to ``path``; returns rows written.

    ``knowledge`` codes the actors (ACLED inter codes), the user's own included.
    """
    if fmt not in FORMATS:
        raise OpsroomError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        return write_jsonl(store, path, opts)
    events = select_events(store, opts)
    outlets = store.outlets_of([s.article_id for ev in events for s in ev.sources])
    if fmt == "acled-csv":
        return write_acled_csv(events, path, outlets, knowledge.actors)
    if fmt == "geojson":
        return write_geojson(events, path, outlets)
    return write_parquet(events, path, outlets)


__all__ = [
    "ACLED_COLUMNS", "FORMATS", "ExportOptions", "acled_row", "document_from_json",
    "document_to_json", "event_from_json", "export", "iter_documents", "read_acled_csv",
    "read_geojson", "read_parquet", "select_events", "write_acled_csv", "write_geojson",
    "write_jsonl", "write_parquet",
]
