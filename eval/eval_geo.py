"""Score toponym recognition and resolution on the GeoVirus and LGL news sets.

Usage: ``.venv/bin/python eval/eval_geo.py [--devsets PATH] [--sets geovirus,lgl] [--limit N]
[--json] [--errors] [--min-score F]``

The data (``geo/GeoVirus.xml``, ``geo/lgl.xml``, see ``../shared/devsets/README.md``) is
read from ``--devsets`` (else ``$OPSROOM_DEVSETS``, else ``../shared/devsets`` beside the
clone) and never copied into the repository.

1. Each article runs through the real pipeline as one article (cleaning, the one spaCy
   pass, actors, people, places); PLACE entities of the body are mapped back to the raw
   text with the article's character map.
2. Recognition: a gold toponym is found when a system PLACE entity overlaps it; a system
   entity is correct when it overlaps a gold toponym.  Precision, recall and F1.
3. Resolution, the usual measure: over all gold toponyms with coordinates, the share that
   is found *and* placed within 161 km (100 miles) of the gold point (the overlapping
   system entity with the largest overlap is the one judged).
4. LGL splits by docid parity into a development half (even) and a held-out half (odd);
   tune on GeoVirus and LGL-dev, only report LGL-test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

DEFAULT_DEVSETS = common.EVAL_DIR.parent.parent / "shared" / "devsets"
#: The customary tolerance of the geoparsing literature (Gritta et al. 2019): 100 miles.
PLACED_KM = 161.0
SETS = ("geovirus", "lgl")


@dataclass(frozen=True)
class Toponym:
    start: int
    end: int
    text: str
    latitude: float | None
    longitude: float | None


@dataclass
class GeoDoc:
    set: str
    id: str
    split: str
    text: str
    toponyms: list[Toponym] = field(default_factory=list)


@dataclass(frozen=True)
class SysPlace:
    start: int
    end: int
    text: str
    name: str | None
    latitude: float | None
    longitude: float | None
    method: str | None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None and text.strip() else None
    except ValueError:
        return None


def _aligned(text: str, name: str, start: int, end: int) -> tuple[int, int]:
    """The gold span where the gold name stands: GeoVirus offsets are mostly one character
    late (2,155 of 2,170 names sit at ``start - 1``), a few off by two."""
    if name and text[start:end] != name:
        for shift in (-1, 1, -2, 2, -3, 3):
            if text[start + shift:start + shift + len(name)] == name:
                return start + shift, start + shift + len(name)
    return start, end


def load_geovirus(path: Path) -> list[GeoDoc]:
    """GeoVirus articles (``<article><source/><text/><locations>…``)."""
    from defusedxml import ElementTree

    root = ElementTree.parse(path).getroot()
    docs = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        doc = GeoDoc("geovirus", art.findtext("source") or f"geovirus-{n}", "dev", text)
        for loc in art.iter("location"):
            start, end = int(loc.findtext("start") or 0), int(loc.findtext("end") or 0)
            start, end = _aligned(text, loc.findtext("name") or "", start, end)
            doc.toponyms.append(Toponym(start, end, text[start:end], _float(loc.findtext("lat")),
                                        _float(loc.findtext("lon"))))
        docs.append(doc)
    return docs


def load_lgl(path: Path) -> list[GeoDoc]:
    """LGL articles; a toponym without ``gaztag`` has no coordinates (step 4 for the split)."""
    from defusedxml import ElementTree

    root = ElementTree.parse(path).getroot()
    docs = []
    for art in root.iter("article"):
        docid = art.get("docid") or ""
        split = "test" if docid.isdigit() and int(docid) % 2 else "dev"
        text = art.findtext("text") or ""
        doc = GeoDoc("lgl", docid, split, text)
        for top in art.iter("toponym"):
            start, end = int(top.findtext("start") or 0), int(top.findtext("end") or 0)
            tag = top.find("gaztag")
            lat = _float(tag.findtext("lat")) if tag is not None else None
            lon = _float(tag.findtext("lon")) if tag is not None else None
            doc.toponyms.append(Toponym(start, end, text[start:end], lat, lon))
        docs.append(doc)
    return docs


def run_system(docs: Sequence[GeoDoc]) -> dict[int, list[SysPlace]]:
    """System PLACE entities of each document, in raw-text offsets (step 1)."""
    from opsroom.config import Settings
    from opsroom.errors import InputError
    from opsroom.ingest import prepare
    from opsroom.models import RawDocument
    from opsroom.pipeline import Extractor

    prepared: list[tuple[int, list[Any]]] = []
    for i, d in enumerate(docs):
        raw = RawDocument(origin=f"{d.set}:{d.id}", text=d.text, single_article=True)
        try:
            prepared.append((i, prepare(raw)))
        except InputError:
            prepared.append((i, []))
    flat = [a for _i, arts in prepared for a in arts]
    documents = iter(Extractor(Settings()).documents(flat))
    out: dict[int, list[SysPlace]] = {}
    for i, arts in prepared:
        found: list[SysPlace] = []
        for _ in arts:
            sysdoc = next(documents)
            article = sysdoc.article
            for e in sysdoc.entities:
                if e.label != "PLACE" or (getattr(e, "part", None) or "body") != "body" or e.end <= e.start:
                    continue
                begin, last = article.raw_offset(e.start), article.raw_offset(e.end - 1)
                if begin is None or last is None:
                    continue
                found.append(SysPlace(begin, last + 1, e.text, e.name, e.latitude, e.longitude,
                                      e.resolution.method if e.resolution else None))
        out[i] = found
    return out


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def score_document(doc: GeoDoc, system: Sequence[SysPlace]) -> dict[str, Any]:
    """Counts and errors of one document (steps 2 and 3)."""
    c = {"gold": len(doc.toponyms), "gold_coords": 0, "found": 0, "found_coords": 0, "placed": 0,
         "system": len(system), "correct": 0}
    errors: list[dict[str, Any]] = []
    for g in doc.toponyms:
        hits = [(_overlap(g.start, g.end, s.start, s.end), s) for s in system]
        hits = [h for h in hits if h[0] > 0]
        best = max(hits, key=lambda h: h[0])[1] if hits else None
        if best is not None:
            c["found"] += 1
        if g.latitude is None or g.longitude is None:
            continue
        c["gold_coords"] += 1
        if best is None:
            errors.append({"error": "missed", "text": g.text, "start": g.start})
            continue
        c["found_coords"] += 1
        dist = common.distance_km(g.latitude, g.longitude, best.latitude, best.longitude)
        if dist is not None and dist <= PLACED_KM:
            c["placed"] += 1
        else:
            errors.append({"error": "misplaced", "text": g.text, "system_text": best.text,
                           "system_name": best.name, "method": best.method,
                           "distance_km": round(dist) if dist is not None else None,
                           "gold": [g.latitude, g.longitude]})
    for s in system:
        if any(_overlap(g.start, g.end, s.start, s.end) for g in doc.toponyms):
            c["correct"] += 1
        else:
            errors.append({"error": "spurious", "text": s.text, "system_name": s.name,
                           "method": s.method, "start": s.start})
    return {"counts": c, "errors": errors}


def _summary(c: dict[str, int], documents: int) -> dict[str, Any]:
    p = c["correct"] / c["system"] if c["system"] else 0.0
    r = c["found"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "documents": documents, **c,
        "found_placed_161km": round(c["placed"] / c["gold_coords"], 4) if c["gold_coords"] else 0.0,
        "placed_of_found": round(c["placed"] / c["found_coords"], 4) if c["found_coords"] else 0.0,
        "found_share": round(c["found_coords"] / c["gold_coords"], 4) if c["gold_coords"] else 0.0,
        "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
    }


def score(docs: Sequence[GeoDoc], system: dict[int, list[SysPlace]]) -> dict[str, Any]:
    """Scores per set and LGL split, and every error."""
    groups: dict[str, dict[str, int]] = {}
    counted: dict[str, int] = {}
    errors: list[dict[str, Any]] = []
    for i, d in enumerate(docs):
        res = score_document(d, system.get(i, []))
        names = [d.set] + ([f"{d.set}-{d.split}"] if d.set == "lgl" else [])
        for name in names:
            tot = groups.setdefault(name, dict.fromkeys(res["counts"], 0))
            for k, v in res["counts"].items():
                tot[k] += v
            counted[name] = counted.get(name, 0) + 1
        errors.extend({"set": d.set, "split": d.split, "doc": d.id, **e} for e in res["errors"])
    return {"sets": {name: _summary(c, counted[name]) for name, c in groups.items()}, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devsets", type=Path,
                        default=Path(os.environ.get("OPSROOM_DEVSETS") or DEFAULT_DEVSETS),
                        help="folder holding geo/ (default $OPSROOM_DEVSETS or ../shared/devsets)")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: geovirus,lgl")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles of each set")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--errors", action="store_true", help="list every error")
    parser.add_argument("--min-score", type=float, default=None,
                        help="exit 1 when a set's found-and-placed share is below this floor")
    parser.add_argument("--output", type=Path, default=None,
                        help="results file (default eval/results/geo.json)")
    args = parser.parse_args(argv)
    root = args.devsets / "geo"
    if not root.is_dir():
        print(f"geo development data not found at {root}: pass --devsets PATH or set "
              "OPSROOM_DEVSETS (the folder that holds geo/)", file=sys.stderr)
        return 2
    wanted = [s.strip().lower() for s in args.sets.split(",") if s.strip()]
    unknown = set(wanted) - set(SETS)
    if unknown:
        parser.error(f"unknown set(s) {sorted(unknown)}; choose from {SETS}")
    loaders = {"geovirus": (load_geovirus, "GeoVirus.xml"), "lgl": (load_lgl, "lgl.xml")}
    docs: list[GeoDoc] = []
    for name in wanted:
        loader, filename = loaders[name]
        if not (root / filename).is_file():
            print(f"{root / filename} not found", file=sys.stderr)
            return 2
        docs.extend(loader(root / filename)[: args.limit])
    started = time.perf_counter()
    system = run_system(docs)
    report = score(docs, system)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["limit"] = args.limit
    path = common.write_results("geo", report, args.output)
    if args.json:
        shown = {k: v for k, v in report.items() if k != "errors" or args.errors}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
    else:
        rows = [(name, m["documents"], m["gold_coords"], m["found_placed_161km"], m["found_share"],
                 m["placed_of_found"], m["precision"], m["recall"], m["f1"])
                for name, m in report["sets"].items()]
        common.print_table(f"Toponyms ({report['seconds']} s) → {path}",
                           ["set", "articles", "gold with coords", "found & placed ≤161 km", "found",
                            "placed of found", "rec P", "rec R", "rec F1"], rows)
        if args.errors:
            common.print_errors(report["errors"])
    status = 0
    for name in wanted:
        m = report["sets"].get(name)
        if m is not None:
            status |= common.finish(m["found_placed_161km"], args.min_score, f"{name} found-and-placed")
    return status


if __name__ == "__main__":
    sys.exit(main())
