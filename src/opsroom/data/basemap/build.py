"""Rebuild ``middle_east.geojson`` from Natural Earth 50m countries as TopoJSON.

Run by hand, never at import or report time::

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python src/opsroom/data/basemap/build.py /tmp/package/countries-50m.json

The TopoJSON decoding is written out here (quantised, delta-encoded arcs; a negative
arc index means the arc reversed), so no TopoJSON library is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: The countries a report on the Iraq–Syria war draws, plus the few whose absence would
#: leave a hole in the map (Palestine, Cyprus, Egypt's Sinai).
COUNTRIES = (
    "Iraq", "Syria", "Turkey", "Jordan", "Lebanon", "Israel", "Palestine", "Iran",
    "Saudi Arabia", "Kuwait", "Cyprus", "N. Cyprus", "Egypt",
)

#: Douglas–Peucker tolerance in degrees: 0.02° (~2 km) keeps every border bend visible at
#: the 1:10M scale of a report map and cuts the 756 kB world file to a 21 kB regional one.
TOLERANCE = 0.02


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute longitude/latitude points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One closed ring from arc indices; consecutive arcs share their joining point."""
    out: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative (rings can hold thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = (abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm
                 else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5)
            if d > best:
                best, idx = d, i
        if best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def build(topo: dict[str, Any]) -> dict[str, Any]:
    """The basemap FeatureCollection: the ``COUNTRIES`` of the TopoJSON, rings simplified
    and rounded to 3 decimals so the file stays small for the dashboard."""
    arcs = decode_arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom["properties"]["name"]
        if name not in COUNTRIES:
            continue
        polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        out = []
        for poly in polys:
            rings = [simplify(ring(r, arcs), TOLERANCE) for r in poly]
            rounded = [[[round(x, 3), round(y, 3)] for x, y in r] for r in rings if len(r) >= 4]
            if rounded:
                out.append(rounded)
        features.append({"type": "Feature", "properties": {"name": name},
                         "geometry": {"type": "MultiPolygon", "coordinates": out}})
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    source = Path(sys.argv[1])
    target = Path(__file__).with_name("middle_east.geojson")
    target.write_text(json.dumps(build(json.loads(source.read_text())), separators=(",", ":")))
    print(f"wrote {target} ({target.stat().st_size // 1024} kB)")
