"""ACLED-compatible CSV: ACLED's column names, in ACLED's order, one row per event.

How each ACLED column is filled (ACLED codebook 2023; API/"export" column order):

- ``event_id_cnty``: ISO alpha-3 of the country + our event id ("IRQ" + 32 hex digits;
  "UNK", the code the UN uses for an unknown country, when no country was resolved), so
  the row leads back to the stored event.
- ``event_date`` ISO date; ``year`` its year; ``time_precision`` 1 = day, 2 = week,
  3 = month or year (ACLED has no code coarser than a month).
- ``disorder_type`` from the event type (``acled_codes.json``).
- ``actor1``/``actor2``/``assoc_actor_*`` as coded; ``inter1``/``inter2`` are ACLED's
  numeric inter codes of the actor (``Actor.inter``, else ``ACLED_INTER[kind]`` of the
  actor knowledge base), blank for an actor the base lacks; ``interaction`` is the two codes
  joined low first ("12"), or ``inter1 * 10`` when there is no second actor (ACLED's rule).
- ``civilian_targeting`` = "Civilian targeting" for violence against civilians or a
  political-violence event whose second actor is civilians (inter 7).
- ``iso`` numeric ISO 3166-1, ``region`` ACLED's region; ``admin2``/``admin3`` blank
  (the gazetteer resolves to admin1 only).
- ``source``: the outlets of the reporting articles, "; "-joined as ACLED does.
- ``source_scale``: how close those outlets are to the event (``source_scale``): each known
  outlet's level (``scale`` in ``data/ingest/outlets.jsonl``; a national or subnational
  outlet reporting another country, or a regional one another region, is International),
  distinct levels joined closest first with "-" ("National-International"); an outlet the
  file does not know adds nothing, and with no known outlet the column stays blank.
- ``notes``: the source sentences, verbatim, " | "-joined, each followed by who claimed
  it and "[denies]" when it is a denial, so the note is the evidence.
- ``fatalities``: the conservative figure, and 0 when no figure was stated, as ACLED writes
  it (its 0 covers "no one died" and "deaths not mentioned"); what opsroom knows is kept in
  ``fatality_basis``, the one column added after ACLED's 31 (``fatality_basis``).
- ``tags``: what ACLED has no column for, as ``key=value`` pairs joined by "; ":
  ``fatalities_low``, ``fatalities_high``, ``injuries``, ``weapon``, ``quantity``,
  ``date_precision`` (when "year") and ``background``.
- ``timestamp``: Unix time of the export.
- ``fatality_basis`` (opsroom's, after ACLED's columns): ``exact``, ``vague``, ``range``,
  ``none_reported`` or ``not_mentioned`` (the codebook's opsroom policy), so an ACLED 0 that
  stands for an unknown toll is told apart from a stated zero, and reading the file back
  (``read_acled_csv``) gives the unknown back.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import KnowledgeError
from ..ingest.blocks import outlet_records
from ..models import Claim, Event

if TYPE_CHECKING:
    from ..resolve.kb import ActorKB

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
#: opsroom's columns after ACLED's, for what ACLED's own cannot hold.
EXTRA_COLUMNS: tuple[str, ...] = ("fatality_basis",)
#: The header of the CSV ``write_acled_csv`` writes.
CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS

#: Prefix of ``event_id_cnty`` when no country was resolved (the UN's code for "unknown").
UNKNOWN_COUNTRY = "UNK"
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_PRECISION_OF = {1: "day", 2: "week", 3: "month"}
_TAG_INTS = ("fatalities_low", "fatalities_high", "injuries", "quantity")


@lru_cache(maxsize=1)
def acled_codes() -> dict[str, Any]:
    """Country codes and disorder types (``acled_codes.json``), checked on load."""
    path = resources.files("opsroom.export") / "acled_codes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for name, c in data.get("countries", {}).items():
        if not (isinstance(c.get("iso"), int) and isinstance(c.get("alpha3"), str)
                and len(c["alpha3"]) == 3 and isinstance(c.get("region"), str)):
            raise KnowledgeError(f"acled_codes.json: bad country entry {name!r}")
    if not isinstance(data.get("disorder_types"), dict):
        raise KnowledgeError("acled_codes.json: disorder_types missing")
    return data


def inter_codes(kb: ActorKB) -> dict[str, int]:
    """ACLED inter code of every actor name the knowledge base knows.

    ``kb`` is the run's own (``Knowledge.actors``): an actor a user added with its
    ``inter`` or ``kind`` is coded in the export like a packaged one.
    """
    from ..resolve.kb import ACLED_INTER

    table: dict[str, int] = {}
    for actor in kb:
        code = actor.inter if actor.inter is not None else ACLED_INTER.get(actor.kind)
        if code is not None:
            table[actor.name] = code
    return table


FatalityBasis = Literal["exact", "vague", "range", "none_reported", "not_mentioned"]

#: Qualifiers of a stated number that make it one end of a span ("at least 10",
#: "up to 30"); the others in ``numbers.json``'s ``lower_bound`` ("about", "nearly",
#: "some") round a stated number, which stays ``exact``.
_BOUNDS = frozenset({"at least", "more than", "over", "upwards of", "no fewer than",
                     "in excess of", "as many as", "up to", "less than", "fewer than"})
_QUALIFIER = re.compile(r"'([^']+)': the stated number is kept")
#: When several claims state the conservative figure, the most definite names the basis.
_BASIS_RANK: tuple[FatalityBasis, ...] = ("exact", "range", "vague")


def _claim_basis(claim: Claim) -> FatalityBasis:
    """How one asserted figure was stated, from the reason its reader gave."""
    reason = claim.reason or ""
    if reason.startswith("vague quantity"):
        return "vague"
    qualifier = _QUALIFIER.search(reason)
    if (claim.value_high is not None or reason.startswith("range")
            or (qualifier is not None and qualifier.group(1) in _BOUNDS)):
        return "range"
    return "exact"


def fatality_basis(ev: Event) -> FatalityBasis:
    """What the event's ``fatalities`` rests on (the codebook's opsroom policy).

    ``not_mentioned`` when no figure was stated, ``none_reported`` for a stated zero;
    otherwise how the claims that assert the conservative figure stated it: ``vague``
    ("dozens"), ``range`` ("10 to 15", "at least 10", "up to 30") or ``exact``, the most
    definite when they differ, and ``exact`` when no claim carries it (a record built or
    imported with the figure alone).
    """
    if ev.fatalities is None:
        return "not_mentioned"
    if ev.fatalities == 0:
        return "none_reported"
    found = {_claim_basis(c) for c in ev.claims
             if c.field == "fatalities" and c.stance == "asserts" and c.value == ev.fatalities}
    return next((b for b in _BASIS_RANK if b in found), "exact")


#: ACLED's source levels, closest to the event first: the order of a joined value
#: ("Subnational-National", "National-International", as ACLED writes them).
SCALES: tuple[str, ...] = ("Local", "Subnational", "National", "Regional", "International")


@dataclass(frozen=True)
class OutletScale:
    """An outlet's reach: its ACLED level and, for a national or subnational outlet, its
    country, for a regional one its ACLED region."""

    scale: str
    country: str | None = None
    region: str | None = None

    def toward(self, country: str | None, region: str | None) -> str:
        """The outlet's level for an event in ``country`` (of ACLED ``region``): a home
        outlet is as close as its reach, a foreign one reports from abroad."""
        if self.country is not None:
            return self.scale if country == self.country else "International"
        if self.region is not None:
            return self.scale if region == self.region else "International"
        return self.scale


@lru_cache(maxsize=1)
def outlet_scales() -> dict[str, OutletScale]:
    """Outlet name and alias (lower case) → its reach, from ``data/ingest/outlets.jsonl``
    (outlets without a ``scale`` are left out: their level is not known)."""
    table: dict[str, OutletScale] = {}
    for n, rec in enumerate(outlet_records(), 1):
        if "scale" not in rec:
            continue
        scale = OutletScale(rec["scale"], rec.get("country"), rec.get("region"))
        if scale.scale not in SCALES or (scale.scale in ("National", "Subnational", "Local")
                                         and not scale.country) \
                or (scale.scale == "Regional" and not scale.region):
            raise KnowledgeError(f"outlets.jsonl:{n}: bad scale of {rec.get('name')!r}: "
                                 f"{SCALES} with a country below Regional, a region for it")
        for name in [rec["name"], *rec.get("aliases", [])]:
            table[name.lower()] = scale
    return table


def source_scale(ev: Event, outlets: Iterable[str],
                 scales: Mapping[str, OutletScale] | None = None) -> str:
    """ACLED's ``source_scale`` of the event reported by ``outlets``; "" when none is known."""
    scales = outlet_scales() if scales is None else scales
    region = acled_codes()["countries"].get(ev.country or "", {}).get("region")
    levels = {s.toward(ev.country, region) for o in outlets if (s := scales.get(o.lower()))}
    return "-".join(level for level in SCALES if level in levels)


def _tags(ev: Event) -> str:
    tags = [f"{name}={getattr(ev, name)}" for name in _TAG_INTS if getattr(ev, name) is not None]
    if ev.weapon:
        tags.append(f"weapon={ev.weapon}")
    if ev.date_precision == "year":
        tags.append("date_precision=year")
    if ev.background:
        tags.append("background=true")
    return "; ".join(tags)


def _notes(ev: Event) -> str:
    seen: list[str] = []
    for src in ev.sources:
        note = src.sentence.strip()
        if src.claimed_by:
            note += f" [{src.claimed_by}{', denies' if src.stance == 'denies' else ''}]"
        elif src.stance == "denies":
            note += " [denies]"
        if note not in seen:
            seen.append(note)
    return " | ".join(seen)


def acled_row(ev: Event, outlets: Mapping[str, str | None], timestamp: int,
              inter: Mapping[str, int],
              scales: Mapping[str, OutletScale] | None = None) -> dict[str, Any]:
    """One CSV row of an event (``CSV_COLUMNS``); ``outlets`` maps article id to outlet
    name, ``inter`` actor name to ACLED inter code (``inter_codes``), ``scales`` outlet
    to reach (``outlet_scales``, the packaged file when None)."""
    codes = acled_codes()
    country = codes["countries"].get(ev.country or "", {})
    inter1 = inter.get(ev.actor1) if ev.actor1 else None
    inter2 = inter.get(ev.actor2) if ev.actor2 else None
    if inter1 and inter2:
        interaction: int | None = int(f"{min(inter1, inter2)}{max(inter1, inter2)}")
    else:
        interaction = inter1 * 10 if inter1 and not ev.actor2 else None
    disorder = codes["disorder_types"].get(ev.event_type, "")
    targeting = ev.event_type == "Violence against civilians" or (
        disorder == "Political violence" and inter2 == 7)
    sources: list[str] = []
    for src in ev.sources:
        outlet = outlets.get(src.article_id)
        if outlet and outlet not in sources:
            sources.append(outlet)
    row = {
        "event_id_cnty": f"{country.get('alpha3', UNKNOWN_COUNTRY)}{ev.event_id}",
        "event_date": ev.event_date.isoformat() if ev.event_date else None,
        "year": ev.event_date.year if ev.event_date else None,
        "time_precision": TIME_PRECISION.get(ev.date_precision or ""),
        "disorder_type": disorder,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "actor1": ev.actor1, "assoc_actor_1": ev.assoc_actor_1, "inter1": inter1,
        "actor2": ev.actor2, "assoc_actor_2": ev.assoc_actor_2, "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if targeting else None,
        "iso": country.get("iso"), "region": country.get("region"),
        "country": ev.country, "admin1": ev.admin1, "admin2": None, "admin3": None,
        "location": ev.location, "latitude": ev.latitude, "longitude": ev.longitude,
        "geo_precision": ev.geo_precision,
        "source": "; ".join(sources), "source_scale": source_scale(ev, sources, scales),
        "notes": _notes(ev),
        "fatalities": ev.fatalities or 0,
        "tags": _tags(ev),
        "timestamp": timestamp,
        "fatality_basis": fatality_basis(ev),
    }
    return {k: ("" if v is None else v) for k, v in row.items()}


def write_acled_csv(
    events: Iterable[Event], path: Path, outlets: Mapping[str, str | None], kb: ActorKB,
    exported_at: dt.datetime | None = None,
) -> int:
    """Write the events as ACLED CSV (ACLED's 31 columns, then ``EXTRA_COLUMNS``); returns
    the number of rows."""
    stamp = int((exported_at or dt.datetime.now(dt.UTC)).timestamp())
    inter = inter_codes(kb)
    scales = outlet_scales()
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for ev in events:
            writer.writerow(acled_row(ev, outlets, stamp, inter, scales))
            n += 1
    return n


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def event_from_acled_row(row: Mapping[str, str]) -> Event:
    """The event fields an ACLED row carries (sources and claims are not in it).

    An ACLED 0 is an unknown toll when ``fatality_basis`` says ``not_mentioned``; a file
    without the column (ACLED's own) reads its 0 as ACLED means it.
    """
    fatalities = None if row.get("fatality_basis") == "not_mentioned" \
        else _int(row["fatalities"])
    tags = dict(t.split("=", 1) for t in row["tags"].split("; ") if "=" in t)
    precision = tags.get("date_precision") or _PRECISION_OF.get(_int(row["time_precision"]) or 0)
    return Event(
        event_id=row["event_id_cnty"][3:],
        event_type=row["event_type"], sub_event_type=row["sub_event_type"],
        event_date=dt.date.fromisoformat(row["event_date"]) if row["event_date"] else None,
        date_precision=precision,
        actor1=row["actor1"] or None, actor2=row["actor2"] or None,
        assoc_actor_1=row["assoc_actor_1"] or None, assoc_actor_2=row["assoc_actor_2"] or None,
        location=row["location"] or None, admin1=row["admin1"] or None,
        country=row["country"] or None,
        latitude=_float(row["latitude"]), longitude=_float(row["longitude"]),
        geo_precision=_int(row["geo_precision"]),
        fatalities=fatalities,
        fatalities_low=_int(tags.get("fatalities_low", "")),
        fatalities_high=_int(tags.get("fatalities_high", "")),
        injuries=_int(tags.get("injuries", "")),
        weapon=tags.get("weapon") or None,
        quantity=_int(tags.get("quantity", "")),
        background=tags.get("background") == "true",
    )


def read_acled_csv(path: Path) -> list[Event]:
    """Events read back from an ACLED CSV written by ``write_acled_csv``."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [event_from_acled_row(r) for r in csv.DictReader(fh)]
