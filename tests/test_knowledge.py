"""One ``Knowledge`` from the settings, seen by every door: a user's actor file counts in
the merge, control, the actor graph and the ACLED export, from the CLI and the API alike.

Before, only extraction and two API routes read ``actors_files``; ``opsroom merge``,
``control``, ``graph`` and the ACLED export loaded the packaged actors alone.  The two
reports below (written for this test) tell one capture by two outlets: one names the
Sinjar Resistance Units, the other the Popular Mobilization Forces.  The packaged actors
know the second, not the first; the user's file says the first is part of the second.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from opsroom.api import create_app
from opsroom.cli import app
from opsroom.config import Settings
from opsroom.knowledge import Knowledge
from opsroom.merge import merge_all
from opsroom.pipeline import ingest
from opsroom.store import Store

pytestmark = pytest.mark.slow

FIRST = """Sinjar Resistance Units take Khanasor from Islamic State

SINJAR, Iraq (Reuters) - The Sinjar Resistance Units captured the village of Khanasor in \
Nineveh province from Islamic State militants on Tuesday, a spokesman for the group said.

Three fighters of the group were killed in the assault, he said.
"""
SECOND = """Iraqi paramilitaries seize village near Sinjar

BAGHDAD (AP) - Fighters of the Popular Mobilization Forces seized the village of Khanasor \
in Nineveh province from Islamic State militants on Tuesday, the paramilitary force said \
in a statement.
"""
YBS = "Sinjar Resistance Units"
PMF = "Popular Mobilization Forces"
USER_ACTOR = {
    "id": "sinjar_resistance_units", "name": YBS, "aliases": [YBS, "YBS"],
    "kind": "identity_militia", "inter": 4, "country": "Iraq",
    "part_of": ["popular_mobilization_forces"],
}


@pytest.fixture
def desk(tmp_path: Path, store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
         ) -> tuple[Path, Path, str]:
    """The two reports stored (with the user's actors); (user config, no config, db url)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "ybs.txt").write_text(FIRST, encoding="utf-8")
    (folder / "pmf.txt").write_text(SECOND, encoding="utf-8")
    actors = tmp_path / "my_actors.jsonl"
    actors.write_text(json.dumps(USER_ACTOR) + "\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[opsroom]\nactors_files = ["{actors}"]\n', encoding="utf-8")
    monkeypatch.delenv("OPSROOM_DATABASE_URL", raising=False)
    settings = Settings(database_url=db_url, actors_files=(str(actors),))
    report = ingest([folder], store, settings, published=dt.date(2017, 11, 9))
    assert report.new == 2 and report.failed == 0
    return config, tmp_path / "no-config.toml", db_url


def _cli(monkeypatch: pytest.MonkeyPatch, config: Path, *args: str) -> str:
    monkeypatch.setenv("OPSROOM_CONFIG", str(config))
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _tied(edges: list[dict[str, object]]) -> bool:
    """Whether the graph says the Sinjar Resistance Units are part of the PMF."""
    return any((e["source"], e["target"], e["kind"]) == (YBS, PMF, "part_of") for e in edges)


def _acled_inter(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["actor1"]: row["inter1"] for row in csv.DictReader(fh)}


def test_a_user_actor_file_changes_the_merge_control_graph_and_export(
        desk: tuple[Path, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine, none, db = desk
    # The merge: part of the same force, the two outlets tell one capture.
    assert "2 events → 2 merged events" in _cli(monkeypatch, none, "merge", "--db", db)
    # Control (two merged events now): one party gaining the place while another gains it
    # is a contradiction, unless the user's file makes one part of the other.
    plain = json.loads(_cli(monkeypatch, none, "control", "Nineveh", "--json", "--db", db))
    users = json.loads(_cli(monkeypatch, mine, "control", "Nineveh", "--json", "--db", db))
    assert {plain["change"]["gained_by"], *(c["gained_by"] for c in plain["contradictions"])} \
        == {YBS, PMF}
    assert users["change"] is not None and users["contradictions"] == []
    # The ACLED export codes the user's actor (inter 4) only with the user's file.
    _cli(monkeypatch, none, "export", "-o", str(tmp_path / "plain.csv"), "--db", db)
    _cli(monkeypatch, mine, "export", "-o", str(tmp_path / "users.csv"), "--db", db)
    assert _acled_inter(tmp_path / "plain.csv")[YBS] == ""
    assert _acled_inter(tmp_path / "users.csv")[YBS] == "4"
    # The graph draws the user's "part of" tie.
    def part_of(config: Path) -> bool:
        graph = json.loads(_cli(monkeypatch, config, "graph", "--json", "--db", db))
        return _tied(graph["edges"])

    assert not part_of(none) and part_of(mine)
    assert "2 events → 1 merged events" in _cli(monkeypatch, mine, "merge", "--db", db)


def test_the_api_serves_with_the_knowledge_of_its_settings(
        desk: tuple[Path, Path, str], store: Store, tmp_path: Path) -> None:
    _mine, _none, db = desk
    actors = str(tmp_path / "my_actors.jsonl")
    packaged = Knowledge()
    merge_all(store, packaged.actors, packaged.merge_rules)  # two merged events, a row each
    for files, inter, known in (((), "", False), ((actors,), "4", True)):
        settings = Settings(database_url=db, actors_files=files)
        with TestClient(create_app(settings, store, recover_jobs=False)) as client:
            csv_text = client.get("/api/v1/export", params={"format": "acled-csv"}).text
            rows = {r["actor1"]: r["inter1"] for r in csv.DictReader(io.StringIO(csv_text))}
            assert rows[YBS] == inter
            ids = {a["id"] for a in client.get("/api/v1/actors", params={"q": "Sinjar"}).json()}
            assert ("sinjar_resistance_units" in ids) is known
            assert _tied(client.get("/api/v1/graph").json()["edges"]) is known


def test_knowledge_loads_each_part_once_and_only_when_asked() -> None:
    knowledge = Knowledge()
    assert "actors" not in vars(knowledge)  # nothing loaded yet
    assert knowledge.actors is knowledge.actors
    assert "gazetteer" not in vars(knowledge)
    assert Knowledge.from_settings(Settings(actors_files=("a.jsonl",))).actors_files == ("a.jsonl",)
