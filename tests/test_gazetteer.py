"""The gazetteer's data files, the transliteration key, look-up and the on-disk cache."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsroom.errors import KnowledgeError
from opsroom.geo import Gazetteer, Place, PlaceResolver, distance_km, place_key
from opsroom.geo.gazetteer import KINDS, check_curated_record
from opsroom.geo.keys import split_joined
from opsroom.geo.resolver import Lexicon, default_lexicon

PLACES = Path(str(resources.files("opsroom").joinpath("data", "places")))

#: Bounding boxes (lat min, lat max, lon min, lon max) of the countries curated places lie
#: in, from general knowledge, rounded outwards by a few tenths of a degree.
BBOX = {
    "IQ": (29.0, 37.4, 38.7, 48.7),
    "SY": (32.3, 37.4, 35.6, 42.4),
    "JO": (29.1, 33.4, 34.9, 39.4),
    "LB": (33.0, 34.7, 35.1, 36.7),
    "TR": (35.8, 42.2, 25.6, 44.9),
    "IR": (25.0, 39.8, 44.0, 63.4),
    "IL": (29.4, 33.4, 34.2, 35.9),
    "SA": (16.3, 32.2, 34.5, 55.7),
    "KW": (28.5, 30.1, 46.5, 48.5),
    "DE": (47.2, 55.1, 5.8, 15.1),
    "AU": (-44.0, -10.0, 112.9, 154.0),
    "NG": (4.2, 13.9, 2.6, 14.7),
}


def _jsonl(name: str) -> list[dict]:
    with (PLACES / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# -- data files ---------------------------------------------------------------------


CURATED = _jsonl("curated.jsonl")


@pytest.mark.parametrize("rec", CURATED, ids=[r["id"] for r in CURATED])
def test_curated_record_schema_and_bbox(rec: dict) -> None:
    check_curated_record(rec, "curated.jsonl", set(BBOX) | {"DE"})
    assert rec["kind"] in KINDS
    assert "knowledge" in rec["note"] or "GeoNames" in rec["note"]
    if rec["country"] is not None:
        lat0, lat1, lon0, lon1 = BBOX[rec["country"]]
        assert lat0 <= rec["latitude"] <= lat1, rec["id"]
        assert lon0 <= rec["longitude"] <= lon1, rec["id"]


def test_curated_ids_unique() -> None:
    ids = [r["id"] for r in CURATED]
    assert len(ids) == len(set(ids))


def test_curated_schema_rejects_bad_records() -> None:
    good = dict(CURATED[0])
    with pytest.raises(KnowledgeError, match="kind"):
        check_curated_record({**good, "kind": "fortress"}, "x", set(BBOX))
    with pytest.raises(KnowledgeError, match="latitude"):
        check_curated_record({**good, "latitude": 123.0}, "x", set(BBOX))
    with pytest.raises(KnowledgeError, match="unknown"):
        check_curated_record({**good, "colour": "red"}, "x", set(BBOX))
    with pytest.raises(KnowledgeError, match="country"):
        check_curated_record({**good, "country": "ZZ"}, "x", set(BBOX))
    with pytest.raises(KnowledgeError, match="note"):
        check_curated_record({**good, "note": ""}, "x", set(BBOX))


def test_curated_settlements_do_not_duplicate_geonames(gaz: Gazetteer) -> None:
    """A curated town next to a GeoNames town of the same key would split the votes."""
    for rec in CURATED:
        if rec["kind"] not in {"city", "town", "village"}:
            continue
        for name in [rec["name"], *rec["aliases"]]:
            for p in gaz.lookup(name):
                if p.source == "geonames":
                    d = distance_km(p.latitude, p.longitude, rec["latitude"], rec["longitude"])
                    assert d > 3, f"{rec['id']} duplicates {p.id}"


def test_admin1_and_countries_files_load() -> None:
    admin1 = _jsonl("admin1.jsonl")
    assert {(r["country"], r["name"]) for r in admin1} >= {
        ("IQ", "Anbar"), ("IQ", "Nineveh"), ("IQ", "Kirkuk"), ("SY", "Deir ez-Zor"), ("SY", "Raqqa")
    }
    for r in admin1:
        lat0, lat1, lon0, lon1 = BBOX[r["country"]]
        assert lat0 <= r["latitude"] <= lat1 and lon0 <= r["longitude"] <= lon1, r["name"]
    countries = {r["iso"]: r for r in _jsonl("countries.jsonl")}
    assert "U.S." in countries["US"]["aliases"]
    for iso, (lat0, lat1, lon0, lon1) in BBOX.items():
        if iso in countries:
            assert lat0 <= countries[iso]["latitude"] <= lat1, iso
            assert lon0 <= countries[iso]["longitude"] <= lon1, iso


def test_lexicon_loads_and_rejects_bad_schema() -> None:
    lex = default_lexicon()
    assert "province" in lex.kind_after and "southeast of" in lex.relations
    with pytest.raises(KnowledgeError):
        Lexicon.from_json({"kind_after": {}})
    data = json.loads((PLACES / "lexicon.json").read_text(encoding="utf-8"))
    with pytest.raises(KnowledgeError):
        Lexicon.from_json({**data, "relations": "near"})


# -- keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Deir ez-Zor", "Deir al-Zor", "Deir el-Zour", "Dayr az-Zawr", "Deir az-Zour", "Deir elZour"],
        ["Albu Kamal", "Abu Kamal", "Al-Bukamal", "Boukamal", "Ālbū Kamāl"],
        ["al-Qaim", "Al-Qaim", "Al Qaim", "alQaim", "Al Qā’im", "Al-Qa'im"],
        ["Qayyara", "Qayyarah", "Al Qayyārah"],
        ["Hawija", "Al-Hawijah", "Hawijah", "al-Hawija"],
        ["Ain al-Asad", "Ayn al-Asad", "Ain al Asad"],
        ["Raqqa", "Ar Raqqah", "Raqqah"],
        ["Tel Tamr", "Tell Tamr", "Tal Tamr", "Tall Tamr"],
        ["Tal Abyad", "Tell Abyad", "Tel Abyad"],
    ],
)
def test_place_key_folds_transliterations(spellings: list[str]) -> None:
    assert len({place_key(s) for s in spellings}) == 1, {s: place_key(s) for s in spellings}


def test_place_key_keeps_different_names_apart() -> None:
    names = ["Mosul", "Raqqa", "Hajin", "Hawija", "Rawa", "Albu Kamal", "Al-Qaim", "Tal Afar"]
    assert len({place_key(n) for n in names}) == len(names)


def test_split_joined() -> None:
    assert split_joined("IraqSyria") == ("Iraq", "Syria")
    assert split_joined("SyriaIraq") == ("Syria", "Iraq")
    assert split_joined("Syria") is None
    assert split_joined("alQaim") is None


@given(st.text(max_size=40))
def test_place_key_is_total_and_ascii(text: str) -> None:
    key = place_key(text)
    assert key == "" or key.isascii() and key.isalnum() and key == key.lower()


# -- look-up ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Deir ez-Zor", "Deir al-Zor", "Deir el-Zour", "Dayr az-Zawr"],
        ["Albu Kamal", "Abu Kamal", "Al-Bukamal", "Boukamal"],
        ["al-Qaim", "Al Qaim", "Al-Qaim"],
        ["Qayyara", "Qayyarah"],
        ["Hawija", "Al-Hawijah"],
    ],
)
def test_spellings_share_one_geonames_place(gaz: Gazetteer, spellings: list[str]) -> None:
    ids = [{p.id for p in gaz.lookup(s) if p.source == "geonames" and p.kind != "admin1"} for s in spellings]
    assert all(ids) and all(i == ids[0] for i in ids), ids


def test_world_places_and_countries_are_usable(gaz: Gazetteer) -> None:
    for name in ["Washington", "Moscow", "Beirut", "Ankara", "Tehran", "Amman", "Jerusalem"]:
        assert any(p.population > 500_000 for p in gaz.lookup(name)), name
    assert {p.kind for p in gaz.lookup("Maine")} >= {"admin1"}
    for alias, iso in [("U.S.", "US"), ("Britain", "GB"), ("Syria", "SY"), ("Iraq", "IQ")]:
        assert any(p.kind == "country" and p.country_code == iso for p in gaz.lookup(alias)), alias


def test_province_and_city_are_both_indexed(gaz: Gazetteer) -> None:
    kinds = {p.kind for p in gaz.lookup("Deir al-Zor")}
    assert {"city", "admin1"} <= kinds


def test_fuzzy_catches_spelling_variants_and_rejects_noise(gaz: Gazetteer) -> None:
    assert any(p.geonameid == 90393 for p, _ in gaz.fuzzy("Telafar"))  # Tall 'Afar
    assert any(p.id == "curated:ain-al-asad" for p, _ in gaz.fuzzy("Ayn al-Assad air base"))
    assert gaz.fuzzy("Qwxzpt") == []
    assert gaz.fuzzy("Iraq") == []  # too short to fuzz


# -- cache and extension ------------------------------------------------------------


def test_load_builds_once_then_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm load reads the pickle instead of building; editing a user file rebuilds.

    The build itself is stood in for by a small one over the user's file (the world
    build takes a minute and is exercised by every other test through the default)."""
    from opsroom.geo import gazetteer as gz
    from opsroom.jsonl import read_jsonl

    builds: list[int] = []

    def small_build(extra_files: list[Path]) -> object:
        builds.append(1)
        places = []
        for path in extra_files:
            for _line, rec in read_jsonl(path):
                places.append((gz.Place(
                    id=f"curated:{rec['id']}", name=rec["name"], kind=rec["kind"],
                    latitude=rec["latitude"], longitude=rec["longitude"], country_code="IQ",
                    country="Iraq", admin1=rec["admin1"], source="curated", note=rec["note"],
                    aliases=tuple(rec["aliases"])), [rec["name"], *rec["aliases"]]))
        return Gazetteer.from_places(places)._ix

    monkeypatch.setattr(gz, "_build", small_build)
    extra = tmp_path / "mine.jsonl"
    extra.write_text(
        json.dumps({
            "id": "test-outpost", "name": "Outpost Zulu", "aliases": ["Zulu outpost"], "kind": "base",
            "latitude": 34.1, "longitude": 41.2, "country": "IQ", "admin1": "Anbar",
            "note": "test fixture, not real",
        }) + "\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    cold = Gazetteer.load(extra_files=[extra], cache_dir=cache)
    warm = Gazetteer.load(extra_files=[extra], cache_dir=cache)
    assert len(builds) == 1
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 1
    assert len(cold) == len(warm)
    assert [p.id for p in warm.lookup("Zulu outpost")] == ["curated:test-outpost"]
    # Editing the user file changes the cache key.
    extra.write_text(extra.read_text(encoding="utf-8").replace("Outpost Zulu", "Outpost Yankee"), encoding="utf-8")
    Gazetteer.load(extra_files=[extra], cache_dir=cache)
    assert len(builds) == 2
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 2
    # A torn cache file is rebuilt, not trusted.
    for path in cache.glob("gazetteer-*.pickle"):
        path.write_bytes(path.read_bytes()[:50])
    Gazetteer.load(extra_files=[extra], cache_dir=cache)
    assert len(builds) == 3
    # Processes started together on a cold cache build once: the others wait on the
    # build lock and read what the first wrote.
    import shutil
    import threading

    from opsroom.config import cache_build_lock

    made = max(cache.glob("gazetteer-*.pickle"), key=lambda f: f.stat().st_mtime_ns)
    shared = tmp_path / "shared"
    shared.mkdir()
    loaded: list[Gazetteer] = []
    with cache_build_lock(shared / made.name):
        worker = threading.Thread(
            target=lambda: loaded.append(Gazetteer.load(extra_files=[extra], cache_dir=shared)))
        worker.start()
        worker.join(timeout=3)
        assert worker.is_alive()  # waiting, not building
        shutil.copy(made, shared / made.name)
    worker.join(timeout=60)
    assert len(builds) == 3 and len(loaded) == 1
    assert [p.id for p in loaded[0].lookup("Outpost Yankee")] == ["curated:test-outpost"]


def test_bad_user_file_is_a_knowledge_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(KnowledgeError, match="bad.jsonl:1"):
        Gazetteer.load(extra_files=[bad], use_cache=False)
    with pytest.raises(KnowledgeError, match="not found"):
        Gazetteer.load(extra_files=[tmp_path / "missing.jsonl"])


def test_tiny_gazetteer_serves_the_resolver(nlp) -> None:  # type: ignore[no-untyped-def]
    """The resolver needs nothing but a Gazetteer: tests and deployments may bring their own."""
    from opsroom.models import Article

    town = Place("t:1", "Qaryat Test", "town", 35.0, 40.0, "SY", "Syria", population=1000)
    tiny = Gazetteer.from_places([(town, ["Qaryat al-Test"])])
    text = "Fighters entered Qaryat al-Test on Monday."
    ents = PlaceResolver(tiny).resolve(nlp(text), Article(id="a", text=text))
    assert [(e.text, e.id, e.geo_precision) for e in ents] == [("Qaryat al-Test", "t:1", 1)]


@pytest.mark.parametrize("query,name", [
    ("Qayyara airfield", "Qayyarah Airfield West"),  # the corpus's "Qayyara air base" story
    ("Al-Omar oil field", "Al-Omar Oil Field"),
    ("Deir el-Zour", "Deir ez-Zor"),
])
def test_canonical_names_resolve_aliases(query: str, name: str) -> None:
    from opsroom.geo.gazetteer import canonical_names

    assert name in canonical_names(query)
    assert canonical_names("Nowhere-at-all-ville") == set()


def test_world_villages_and_admin_units(gaz: Gazetteer) -> None:
    # A cities500 village outside the old region, and GeoNames' districts with their units.
    assert any(p.country_code == "PH" for p in gaz.lookup("Pandi"))
    (tel_afar,) = [p for p in gaz.lookup("Tel Afar District") if p.kind == "admin2"]
    assert tel_afar.country_code == "IQ" and tel_afar.admin1_code == "IQ.15"
    laurel = [p for p in gaz.lookup("Laurel County") if p.kind == "admin2"]
    assert {p.admin1 for p in laurel} >= {"Kentucky"}
    town = next(p for p in gaz.lookup("Tal Afar") if p.kind in {"town", "city"})
    nineveh = next(p for p in gaz.lookup("Nineveh") if p.kind == "admin1")
    assert town.within(nineveh) and town.admin2_code == tel_afar.admin2_code


@pytest.mark.parametrize("alias,iso", [
    ("DRC", "CD"), ("DR Congo", "CD"), ("Côte d'Ivoire", "CI"), ("Cote d'Ivoire", "CI"),
    ("People's Republic of China", "CN"), ("Burma", "MM"), ("Cape Verde", "CV"),
    ("Czech Republic", "CZ"), ("East Timor", "TL"), ("Congo", "CG"),
])
def test_countries_answer_to_the_names_news_gives_them(gaz: Gazetteer, alias: str, iso: str) -> None:
    """GeoNames names a country once ("Ivory Coast"); news uses the others too."""
    assert any(p.kind == "country" and p.country_code == iso for p in gaz.lookup(alias)), alias


def test_state_abbreviation_and_islands_are_indexed(gaz: Gazetteer) -> None:
    assert any(p.kind == "admin1" and p.country_code == "AU" for p in gaz.lookup("NSW"))
    for name, iso in [("Darfur", "SD"), ("Sumatra", "ID"), ("Mindanao", "PH")]:
        assert any(p.kind == "region" and p.country_code == iso for p in gaz.lookup(name)), name


def test_wide_units_are_placed_in_their_middle_not_where_people_live(gaz: Gazetteer) -> None:
    """Texas's towns crowd its east: the point is the middle of its extent (general
    knowledge: about 31 N 100 W), not of its towns."""
    for name, cc, lat, lon in [("Texas", "US", 31.0, -100.0)]:
        unit = next(p for p in gaz.lookup(name) if p.kind == "admin1" and p.country_code == cc)
        assert distance_km(unit.latitude, unit.longitude, lat, lon) < 161, (name, unit)


def test_russia_is_placed_where_geonames_places_it(gaz: Gazetteer) -> None:
    russia = next(p for p in gaz.lookup("Russia") if p.kind == "country")
    assert distance_km(russia.latitude, russia.longitude, 60.0, 100.0) < 50
