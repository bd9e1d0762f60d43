"""Parquet: one row per event; sources and claims as list-of-struct columns.

The schema is written out (not inferred) so a column that is empty in one export has the
same type as in every other, and readers (pandas, DuckDB, Spark) see stable columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..models import Claim, Event, Source


def _schema() -> Any:
    import pyarrow as pa

    source = pa.struct([
        ("article_id", pa.string()), ("sentence", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("claimed_by", pa.string()), ("stance", pa.string()),
        ("outlet", pa.string()),
    ])
    claim = pa.struct([
        ("claimed_by", pa.string()), ("stance", pa.string()), ("field", pa.string()),
        ("value", pa.int64()), ("sentence", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("article_id", pa.string()), ("value_high", pa.int64()),
        ("reason", pa.string()),
    ])
    s, i, f = pa.string(), pa.int64(), pa.float64()
    return pa.schema([
        ("event_id", s), ("event_type", s), ("sub_event_type", s), ("event_date", pa.date32()),
        ("date_precision", s), ("date_reason", s), ("type_reason", s), ("actor1", s), ("actor2", s),
        ("assoc_actor_1", s), ("assoc_actor_2", s), ("location", s), ("admin1", s),
        ("country", s), ("latitude", f), ("longitude", f), ("geo_precision", i),
        ("fatalities", i), ("fatalities_low", i), ("fatalities_high", i), ("injuries", i),
        ("weapon", s), ("quantity", i), ("background", pa.bool_()),
        ("sources", pa.list_(source)), ("claims", pa.list_(claim)),
    ])


def _row(ev: Event, outlets: Mapping[str, str | None]) -> dict[str, Any]:
    row = asdict(ev)
    for src in row["sources"]:
        src["outlet"] = outlets.get(src["article_id"])
    return row


def write_parquet(events: Iterable[Event], path: Path, outlets: Mapping[str, str | None]) -> int:
    """Write the events as a Parquet file; returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [_row(ev, outlets) for ev in events]
    pq.write_table(pa.Table.from_pylist(rows, schema=_schema()), path)
    return len(rows)


def read_parquet(path: Path) -> list[Event]:
    """Events read back from a file written by ``write_parquet``."""
    import pyarrow.parquet as pq

    out = []
    for row in pq.read_table(path).to_pylist():
        sources = [Source(**{k: v for k, v in s.items() if k != "outlet"}) for s in row.pop("sources")]
        claims = [Claim(**c) for c in row.pop("claims")]
        out.append(Event(**row, sources=sources, claims=claims))
    return out
