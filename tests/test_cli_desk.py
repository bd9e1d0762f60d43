"""The analyst's desk at the terminal: tables that read at 80 columns, one event shown whole,
errors a script can act on, and a command line that starts without loading the library.

The sample corpus (``opsroom ingest --sample``: the dated articles) is ingested once into a
SQLite file.  Layout is checked as a user sees it, in a subprocess with ``COLUMNS=80``;
behaviour (exit codes, messages) through ``CliRunner``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from opsroom.cli import SHORT_ID, SORT_CHOICES, app, sample_articles
from opsroom.config import Settings
from opsroom.pipeline import ingest
from opsroom.store import Store
from opsroom.store.query import SORTS, event_ids_with_prefix, get_view_event

from .test_export import sample_documents, store_documents

runner = CliRunner()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a SQLite store holding the ingested sample articles."""
    url = f"sqlite:///{tmp_path_factory.mktemp('desk') / 'opsroom.db'}"
    store = Store.open(url)
    try:
        report = ingest([str(sample_articles())], store, Settings(database_url=url))
        assert report.new == 14 and report.failed == 0
    finally:
        store.close()
    yield url


def at_80(*args: str) -> subprocess.CompletedProcess[str]:
    """``opsroom ARGS`` in a terminal 80 columns wide."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "opsroom", *args], capture_output=True,
                          text=True, env=env, timeout=300, check=False)


def events_json(url: str, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["events", "--db", url, "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def flat(text: str) -> str:
    """Text with every run of spaces and line breaks made one space (as wrapped output reads)."""
    return " ".join(text.split())


# -- start-up ---------------------------------------------------------------------------


def test_help_loads_neither_the_store_nor_the_pipeline() -> None:
    """``opsroom --help`` (and a command's help) runs without SQLAlchemy, spaCy or the API:
    they took it past a second."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from opsroom.cli import app\n"
        "for args in (['--help'], ['events', '--help'], ['event', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "heavy = ('sqlalchemy', 'spacy', 'torch', 'pandas', 'fastapi', 'opsroom.store',\n"
        "         'opsroom.pipeline', 'opsroom.analysis')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_sort_choices_in_help_are_the_stores() -> None:
    assert SORT_CHOICES == SORTS


# -- tables at 80 columns ---------------------------------------------------------------


def _when(ev: dict[str, Any]) -> str:
    date, precision = ev["event_date"], ev["date_precision"]
    return {"year": date[:4], "month": date[:7], "week": date + "~"}.get(precision, date)


def test_events_read_at_80_columns_with_ids_and_whole_dates(desk: str) -> None:
    served = events_json(desk, "--limit", "20")
    result = at_80("events", "--db", desk, "--limit", "20")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), result.stdout
    rows = {line[:SHORT_ID]: line for line in lines if re.match(r"[0-9a-f]{8} ", line)}
    assert len(rows) == len(served) == 20  # one line a row: nothing wrapped
    for ev in served:
        row = rows[ev["event_id"][:SHORT_ID]]
        assert f" {_when(ev)} " in row  # the date whole, cut to its precision
    # Long text gives way with an ellipsis, never a word broken onto the next line.
    assert "…" in result.stdout
    assert "Democrati\n" not in result.stdout


def test_events_wide_shows_full_ids_and_text(desk: str) -> None:
    served = events_json(desk, "--limit", "5")
    result = at_80("events", "--db", desk, "--limit", "5", "--wide")
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    for ev in served:
        row = next(line for line in result.stdout.splitlines() if line.startswith(ev["event_id"]))
        for value in (ev["sub_event_type"], ev["actor1"], ev["location"]):
            if value:
                assert value in row


def test_changes_keep_evidence_to_one_line_at_80_columns(desk: str) -> None:
    result = at_80("changes", "--from", "2017-01-01", "--to", "2018-12-31", "--db", desk)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    head = re.search(r"(\d+) changes of hands, 2017-01-01 to 2018-12-31", lines[0])
    assert head is not None and int(head.group(1)) >= 10, lines[0]
    rows = [line for line in lines if re.match(r"[0-9a-f]{8} ", line)]
    assert len(rows) == int(head.group(1))  # a change a line, its evidence cut with '…'
    assert all(line.rstrip().endswith("…") for line in rows)


# -- one event --------------------------------------------------------------------------


def _strike(url: str) -> dict[str, Any]:
    """The disputed strike at al-Harra: 22 killed by one account, 52 by another."""
    found = [ev for ev in events_json(url, "--search", "Harra") if ev["fatalities"] == 22]
    assert len(found) == 1
    return found[0]


def test_event_by_a_short_id_shows_fields_sources_and_claims(desk: str) -> None:
    strike = _strike(desk)
    result = runner.invoke(app, ["event", strike["event_id"][:SHORT_ID], "--db", desk])
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert strike["event_id"] in text
    assert "Air/drone strike" in text and "22 (reports say 22–52)" in text
    for src in strike["sources"]:
        assert flat(src["sentence"]) in text
        assert f"{src['stance']} · {src['claimed_by'] or 'the outlet'}" in text
    assert f"{len(strike['sources'])} sources" in text
    assert "fatalities 52: Syrian Observatory for Human Rights asserts · digits" in text
    assert "fatalities 22: Popular Mobilization Forces asserts" in text


def test_event_json_is_what_the_api_serves(desk: str) -> None:
    from fastapi.testclient import TestClient

    from opsroom.api import create_app

    strike = _strike(desk)
    result = runner.invoke(app, ["event", strike["event_id"][:SHORT_ID], "--db", desk, "--json"])
    assert result.exit_code == 0, result.output
    store = Store.open(desk)
    try:
        settings = Settings(database_url=desk, api_tokens="reader:read-secret")
        with TestClient(create_app(settings, store)) as client:
            served = client.get(f"/api/v1/events/{strike['event_id']}",
                                headers={"Authorization": "Bearer read-secret"})
    finally:
        store.close()
    assert served.status_code == 200
    assert json.loads(result.stdout) == served.json()


def test_an_unknown_or_ambiguous_id_is_a_one_line_error(desk: str) -> None:
    result = runner.invoke(app, ["event", "zzzz", "--db", desk])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no event with id 'zzzz'"
    firsts = [ev["event_id"][0] for ev in events_json(desk, "--limit", "1000")]
    shared = max(set(firsts), key=firsts.count)
    assert firsts.count(shared) > 1
    result = runner.invoke(app, ["event", shared, "--db", desk])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "give more of it" in result.stderr


def test_an_id_prefix_finds_the_served_event(store: Store) -> None:
    from opsroom.knowledge import Knowledge
    from opsroom.merge import merge_all

    store_documents(store, sample_documents())
    knowledge = Knowledge.from_settings(Settings())
    merge_all(store, knowledge.actors, knowledge.merge_rules)
    assert event_ids_with_prefix(store, "no such") == []
    for event_id in ("c79a5c4fd5500b6a", "0f1e2d3c4b5a6978"):  # ids of test_export's events
        served = get_view_event(store, event_id)
        assert served is not None
        assert event_ids_with_prefix(store, event_id[:6]) == [served.event.event_id]
    assert event_ids_with_prefix(store, "%") == []  # a LIKE wildcard is only itself


# -- control, changes: errors a script can act on ----------------------------------------


def test_control_of_an_unknown_place_is_an_error(desk: str) -> None:
    result = runner.invoke(app, ["control", "Xyzzyville", "--db", desk])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: unknown place: Xyzzyville"
    assert result.stdout == ""


def test_control_of_a_known_place_without_changes_says_so(desk: str) -> None:
    result = runner.invoke(app, ["control", "Baghdad", "--db", desk])
    assert result.exit_code == 0, result.output
    assert flat(result.stdout).startswith("Baghdad: no change of hands on record")


def test_control_counts_changes_in_good_english(desk: str) -> None:
    mosul = runner.invoke(app, ["control", "Mosul", "--db", desk, "--on", "2010-01-01"])
    assert mosul.exit_code == 0, mosul.output
    assert "no change of hands on record by then (1 later one below)" in flat(mosul.stdout)
    assert "1 change of hands at Mosul" in mosul.stdout
    qaim = runner.invoke(app, ["control", "al-Qaim", "--db", desk])
    assert "held by Military Forces of Iraq" in flat(qaim.stdout)
    assert "2 changes of hands at al-Qaim" in qaim.stdout


def test_a_window_that_ends_before_it_starts_is_a_usage_error(desk: str) -> None:
    for command in ("changes", "graph", "trends", "report"):
        result = runner.invoke(app, [command, "--from", "2018-01-01", "--to", "2017-01-01",
                                     "--db", desk])
        assert result.exit_code == 2, (command, result.output)
        assert "--from 2018-01-01 is after --to 2017-01-01" in result.output
    result = runner.invoke(app, ["events", "--from", "2018-01-01", "--to", "2017-01-01",
                                 "--db", desk])
    assert result.exit_code == 2


def test_empty_results_say_so(desk: str) -> None:
    result = runner.invoke(app, ["changes", "--from", "2019-01-01", "--to", "2019-01-31",
                                 "--db", desk])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "no change of hands on record from 2019-01-01 to 2019-01-31"
    result = runner.invoke(app, ["events", "--country", "Narnia", "--db", desk])
    assert result.exit_code == 0
    assert result.stderr.strip() == "no event matches these filters"


def test_counts_are_pluralised(desk: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["events", "--db", desk, "--limit", "1"])
    assert re.search(r"1 of \d+ events", result.stdout)
    result = runner.invoke(app, ["articles", "--db", desk, "--limit", "1"])
    assert "1 of 14 articles" in result.stdout


def test_articles_page_like_the_api(desk: str) -> None:
    """`opsroom articles` pages with the API's names; page 2 holds the next articles."""
    first = runner.invoke(app, ["articles", "--db", desk, "--per-page", "3", "--json"])
    second = runner.invoke(app, ["articles", "--db", desk, "--per-page", "3", "--page", "2",
                                 "--json"])
    assert first.exit_code == 0 and second.exit_code == 0
    ids_1 = [json.loads(line)["id"] for line in first.stdout.splitlines()]
    ids_2 = [json.loads(line)["id"] for line in second.stdout.splitlines()]
    assert len(ids_1) == 3 and len(ids_2) == 3 and not set(ids_1) & set(ids_2)


def test_a_country_place_is_named_once(desk: str) -> None:
    """An event placed at a country reads "Syria", not "Syria, Syria"."""
    result = at_80("events", "--db", desk, "--wide")
    assert result.returncode == 0, result.stderr
    for country in ("Syria", "Iraq", "Lebanon"):
        assert f"{country}, {country}" not in result.stdout
