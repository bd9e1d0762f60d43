"""The ACLED CSV as ACLED users expect it: history left out unless asked, ACLED's 0 for an
unknown toll with opsroom's basis beside it, ``source_scale`` from the outlets.

The bundled sample (``opsroom ingest --sample``: fourteen dated articles from Reuters, AFP,
Arab News and the Sunday Star-Times) is ingested once, on SQLite: the ACLED mapping does not
depend on the database, and tests/test_event_query.py checks the export selects the same
events on both.  Where a record must hold one exact shape, the hand-built events of
tests/test_export.py (real corpus sentences) are used.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opsroom.cli import app, sample_articles
from opsroom.config import Settings
from opsroom.export import (
    CSV_COLUMNS,
    FORMATS,
    export,
    fatality_basis,
    includes_background,
    read_acled_csv,
    source_scale,
)
from opsroom.export.acled import outlet_scales
from opsroom.models import Claim, Event
from opsroom.pipeline import ingest
from opsroom.store import EventQuery, Store, select_events

from .test_export import KNOWLEDGE, TOLL, sample_documents

runner = CliRunner()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """(database URL, store) of the ingested bundled sample."""
    url = f"sqlite:///{tmp_path_factory.mktemp('acled') / 'sample.db'}"
    store = Store.open(url)
    report = ingest([sample_articles()], store, Settings(database_url=url))
    assert (report.new, report.failed) == (14, 0)
    yield url, store
    store.close()


def cli_rows(url: str, out: Path, *flags: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["export", "--db", url, "-o", str(out), *flags])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        return list(reader)


def _background(row: dict[str, str]) -> bool:
    return "background=true" in row["tags"].split("; ")


# -- background ---------------------------------------------------------------------


def test_background_left_out_by_default_and_in_with_the_flag(
        sample: tuple[str, Store], tmp_path: Path) -> None:
    url, store = sample
    history = {e.event_id for e in select_events(store, EventQuery(include_background=True))
               if e.background}
    assert history  # the sample recalls 2014's conquests and the like
    default = cli_rows(url, tmp_path / "default.csv")
    asked = cli_rows(url, tmp_path / "asked.csv", "--background")
    assert not any(_background(r) for r in default)
    assert {r["event_id_cnty"][3:] for r in asked if _background(r)} == history
    assert len(asked) == len(default) + len(history)
    assert export(store, "acled-csv", tmp_path / "lib.csv", EventQuery(), KNOWLEDGE) == len(default)


def test_every_event_format_leaves_history_out_unless_asked(
        sample: tuple[str, Store], tmp_path: Path) -> None:
    """GeoJSON too, as the API's export does; the JSONL documents keep whole articles."""
    url, store = sample
    every = select_events(store, EventQuery(include_background=True))
    out = tmp_path / "e.geojson"
    result = runner.invoke(app, ["export", "--db", url, "--format", "geojson", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not any(f["properties"]["background"]
                   for f in json.loads(out.read_text("utf-8"))["features"])
    result = runner.invoke(app, ["export", "--db", url, "--format", "geojson", "-o", str(out),
                                 "--background"])
    assert result.exit_code == 0, result.output
    features = json.loads(out.read_text("utf-8"))["features"]
    assert len(features) == len(every)
    assert {f["id"] for f in features if f["properties"]["background"]} == \
        {e.event_id for e in every if e.background}
    assert [includes_background(f) for f in FORMATS] == [False, False, True, False]


# -- fatalities ---------------------------------------------------------------------


def test_unknown_toll_is_0_and_the_basis_says_not_mentioned(
        sample: tuple[str, Store], tmp_path: Path) -> None:
    url, store = sample
    rows = {r["event_id_cnty"][3:]: r for r in cli_rows(url, tmp_path / "e.csv", "--background")}
    events = {e.event_id: e for e in select_events(store, EventQuery(include_background=True))}
    unknown = [i for i, e in events.items() if e.fatalities is None]
    assert unknown
    for i in unknown:
        assert (rows[i]["fatalities"], rows[i]["fatality_basis"]) == ("0", "not_mentioned"), i
    # "without causing casualties": a stated zero, which ACLED's 0 alone could not tell
    zero = [i for i, e in events.items() if e.fatalities == 0]
    assert zero and all(rows[i]["fatality_basis"] == "none_reported" for i in zero)
    # every ACLED cell of fatalities is a number, as ACLED's files have it
    assert all(r["fatalities"].isdigit() for r in rows.values())


def test_a_stated_figure_is_exact_and_dozens_vague(sample: tuple[str, Store]) -> None:
    _, store = sample
    events = select_events(store, EventQuery(include_background=True))
    # Reuters, 8 Feb 2018: "... killed 22" in digits
    stated = [e for e in events if e.fatalities == 22]
    assert stated and fatality_basis(stated[0]) == "exact"
    # Sunday Star-Times: "large numbers" of fighters killed
    vague = [e for e in events if any((c.reason or "").startswith("vague quantity")
                                      for c in e.claims if c.field == "fatalities")]
    assert vague and {fatality_basis(e) for e in vague} == {"vague"}


def test_basis_of_ranges_and_bounds() -> None:
    strike = sample_documents()[0].events[0]
    i = TOLL.index("more than 100")
    claim = Claim("a U.S. official", "asserts", "fatalities", 100, TOLL, i, i + 13, "a1",
                  reason="digits, 'more than': the stated number is kept")
    assert fatality_basis(replace(strike, fatalities=100, claims=[claim])) == "range"
    about = replace(claim, reason="digits, 'about': the stated number is kept")
    assert fatality_basis(replace(strike, fatalities=100, claims=[about])) == "exact"
    span = replace(claim, value_high=150, reason="range 100 to 150")
    assert fatality_basis(replace(strike, fatalities=100, claims=[span])) == "range"
    # one outlet's exact figure beats another's vague word for the same number
    vague = replace(claim, reason="vague quantity 'hundreds'")
    exact = replace(claim, claimed_by="Reuters", reason="digits")
    assert fatality_basis(replace(strike, fatalities=100, claims=[vague, exact])) == "exact"
    # a denial supports nothing
    denied = replace(exact, stance="denies")
    assert fatality_basis(replace(strike, fatalities=100, claims=[vague, denied])) == "vague"


def test_round_trip_keeps_the_unknown(sample: tuple[str, Store], tmp_path: Path) -> None:
    url, store = sample
    out = tmp_path / "e.csv"
    cli_rows(url, out, "--background")
    before = select_events(store, EventQuery(include_background=True, sort="event_date"))
    after = read_acled_csv(out)
    assert [e.event_id for e in after] == [e.event_id for e in before]
    for a, b in zip(before, after, strict=True):
        assert (b.fatalities, b.fatalities_low, b.fatalities_high, b.background) == \
            (a.fatalities, a.fatalities_low, a.fatalities_high, a.background), a.event_id


# -- source_scale -------------------------------------------------------------------


def test_source_scale_of_reuters_and_of_foreign_papers(
        sample: tuple[str, Store], tmp_path: Path) -> None:
    url, store = sample
    rows = cli_rows(url, tmp_path / "e.csv", "--background")
    reuters = [r for r in rows if r["source"] == "Reuters"]
    assert reuters and {r["source_scale"] for r in reuters} == {"International"}
    # a Saudi daily and a New Zealand weekly report Iraq and Syria from abroad
    abroad = [r for r in rows if r["source"] in ("Arab News", "Sunday Star-Times")]
    assert abroad and {r["source_scale"] for r in abroad} == {"International"}
    assert all(r["source_scale"] for r in rows)  # every sample outlet is in outlets.jsonl


def test_source_scale_joins_levels_closest_first() -> None:
    doc = sample_documents()[1]
    rawa = next(e for e in doc.events if e.location == "Rāwah")  # Iraq
    assert source_scale(rawa, ["Reuters"]) == "International"
    assert source_scale(rawa, ["Rudaw", "Reuters"]) == "Subnational-International"
    assert source_scale(rawa, ["Al-Monitor"]) == "Regional"  # Middle East outlet, ME event
    syria = replace(rawa, country="Syria")
    assert source_scale(syria, ["Reuters", "SANA"]) == "National-International"
    assert source_scale(syria, ["Rudaw"]) == "International"  # Iraqi outlet on Syria
    # an outlet the file does not know: no scale is invented for it
    assert source_scale(rawa, ["Iraqi News"]) == ""
    assert source_scale(rawa, ["Iraqi News", "AFP"]) == "International"
    assert source_scale(replace(rawa, country=None), ["Rudaw"]) == "International"


def test_every_outlet_has_a_scale() -> None:
    scales = outlet_scales()
    assert scales["reuters"].scale == "International"
    assert scales["agence france-presse"].scale == "International"
    assert (scales["sana"].scale, scales["sana"].country) == ("National", "Syria")
    from opsroom.ingest.blocks import outlet_names

    assert set(outlet_names()) == set(scales)


def test_event_without_claims_keeps_its_figure_exact() -> None:
    ev = Event("e", "Battles", "Armed clash", fatalities=5)
    assert fatality_basis(ev) == "exact"
