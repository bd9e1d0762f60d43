"""The actor graph: fights from events, backing and membership from the base and the text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from opsroom.analysis import actor_graph, build_graph
from opsroom.cli import app
from opsroom.config import Settings
from opsroom.knowledge import Knowledge
from opsroom.models import Event, Relation, Source
from opsroom.pipeline import ingest
from opsroom.resolve import ActorKB
from opsroom.store import Store

from .conftest import CorpusAnalysis

#: The packaged knowledge: these tests read no user files.
KNOWLEDGE = Knowledge()

SANA = ("Syrian state media said on Monday that U.S.-led coalition aircraft had bombed a Syrian "
        "army position near the Iraqi border, causing deaths and injuries.")
STATED = ("Syrian troops backed by Russia and Kurdish-led forces supported by the US are now "
          "racing toward Boukamal.")


def _strike(eid: str, fatalities: int | None) -> Event:
    return Event(event_id=eid, event_type="Explosions/Remote violence",
                 sub_event_type="Air/drone strike", event_date=dt.date(2018, 6, 18),
                 actor1="U.S.-led Coalition", actor2="Syrian army", fatalities=fatalities,
                 sources=[Source("a1", SANA, 0, len(SANA))])


def test_graph_weights_fights_and_keeps_evidence() -> None:
    kb = ActorKB.load()
    relations = [(Relation("military_forces_of_syria", "backed_by", "government_of_russia",
                           STATED, 0, len(STATED), "a2"), dt.date(2017, 10, 28))]
    graph = build_graph([_strike("e1", 22), _strike("e2", None)], relations, kb)
    fights = [e for e in graph.edges if e.kind == "fights"]
    # "Syrian army" is an alias: the node is the canonical actor.
    assert [(e.source, e.target, e.weight, e.fatalities) for e in fights] == [
        ("U.S.-led Coalition", "Military Forces of Syria", 2, 22)]
    assert fights[0].evidence[0].sentence == SANA
    backed = next(e for e in graph.edges if e.kind == "backed_by"
                  and e.source == "Military Forces of Syria" and e.target == "Government of Russia")
    assert "text" in backed.origins and backed.evidence[0].sentence == STATED
    # The knowledge base adds what it states between actors of the picture.
    part_of = [e for e in graph.edges if e.kind == "part_of"]
    kb_backed = [e for e in graph.edges if "kb" in e.origins]
    assert kb_backed and all(ev.ref.endswith(tuple("0123456789")) for e in kb_backed
                             for ev in e.evidence if ev.kind == "kb")
    assert all(e.source != e.target for e in part_of)
    nodes = {n.name: n for n in graph.nodes}
    assert nodes["Military Forces of Syria"].actor_id == "military_forces_of_syria"
    assert nodes["U.S.-led Coalition"].events == 2
    assert json.loads(json.dumps(graph.to_json()))["edges"]


def test_graph_of_the_corpus(analysed: CorpusAnalysis, corpus_dir: Path, store: Store, db_url: str) -> None:
    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    graph = actor_graph(store, KNOWLEDGE)
    fights = [e for e in graph.edges if e.kind == "fights"]
    assert fights and all(e.weight >= 1 and e.evidence for e in fights)
    stated = [e for e in graph.edges if "text" in e.origins]
    assert any(e.source == "Syrian Democratic Forces" and e.kind == "backed_by" for e in stated)
    assert all(ev.sentence for e in stated for ev in e.evidence if ev.kind == "text")
    # A window before every dated event leaves no fights.
    early = actor_graph(store, KNOWLEDGE, dt.date(2000, 1, 1), dt.date(2000, 12, 31))
    assert not [e for e in early.edges if e.kind == "fights"]
    result = CliRunner().invoke(app, ["graph", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"nodes", "edges"} <= set(data) and data["edges"]
