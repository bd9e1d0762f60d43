"""GeoJSON: a FeatureCollection of Point features, one per event.

Properties are the event's fields (``Event.to_json``: sources and claims included) plus
``outlets``; an event without coordinates keeps a ``null`` geometry, as GeoJSON allows,
so no event is silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..ingest.documents import event_from_json
from ..models import Event


def event_feature(ev: Event, outlets: Mapping[str, str | None]) -> dict[str, Any]:
    """One event as a GeoJSON Feature, with the outlets that reported it among its properties;
    an event without coordinates gets a null geometry and is still exported."""
    props = ev.to_json()
    props["outlets"] = sorted({o for s in ev.sources if (o := outlets.get(s.article_id))})
    geometry = None
    if ev.latitude is not None and ev.longitude is not None:
        geometry = {"type": "Point", "coordinates": [ev.longitude, ev.latitude]}
    return {"type": "Feature", "id": ev.event_id, "geometry": geometry, "properties": props}


def write_geojson(events: Iterable[Event], path: Path, outlets: Mapping[str, str | None]) -> int:
    """Write the events as one FeatureCollection; returns the number of features."""
    features = [event_feature(ev, outlets) for ev in events]
    with path.open("w", encoding="utf-8") as fh:
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
    return len(features)


def read_geojson(path: Path) -> list[Event]:
    """Events read back from a FeatureCollection written by ``write_geojson``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [event_from_json(f["properties"], str(path)) for f in data["features"]]
