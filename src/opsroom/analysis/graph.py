"""Who fights whom, and who backs, is part of, or is allied with whom, over a window.

Three sources, each edge keeping its evidence:

1. events: actor1 against actor2 in violent events (battles, remote violence, violence
   against civilians), weighted by how many events and how many dead;
2. the actor knowledge base: ``part_of``, ``backed_by``, ``allied_with`` of the actors
   in the picture (evidence: the file and line that states it);
3. relations stated in articles ("U.S.-backed SDF"), with their sentences.

Nodes are actors by canonical name.  Knowledge-base relations are drawn between the
actors that events or stated relations brought into the window, so the graph shows the
war of the window, not the whole base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..models import Event, Relation

if TYPE_CHECKING:
    from ..knowledge import Knowledge
    from ..resolve import ActorKB
    from ..store import Store

VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
#: Evidence items kept per edge: enough to check an edge, not a dump of every report.
MAX_EVIDENCE = 5


@dataclass
class EdgeEvidence:
    """Why an edge exists: an event, a stated sentence, or a knowledge-base line."""

    kind: str  # event | text | kb
    ref: str  # event id, article id, or file:line
    sentence: str | None = None
    date: dt.date | None = None


@dataclass
class Node:
    """An actor of the window."""

    name: str
    actor_id: str | None = None
    kind: str | None = None
    country: str | None = None
    events: int = 0
    fatalities: int = 0


@dataclass
class Edge:
    """A directed tie: ``source`` fights / is backed by / is part of / is allied with ``target``."""

    source: str
    target: str
    kind: str  # fights | backed_by | part_of | allied_with
    weight: int = 0  # events (fights) or statements (text and kb)
    fatalities: int = 0
    origins: list[str] = field(default_factory=list)  # events | text | kb
    evidence: list[EdgeEvidence] = field(default_factory=list)


@dataclass
class ActorGraph:
    """Nodes and edges of one window."""

    since: dt.date | None
    until: dt.date | None
    nodes: list[Node]
    edges: list[Edge]

    def to_json(self) -> dict[str, Any]:
        """The graph as plain JSON (dates as ISO strings): what ``opsroom graph`` prints and
        the API's graph route returns."""
        def enc(value: Any) -> Any:
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: enc(v) for k, v in value.items()}
            if isinstance(value, list):
                return [enc(v) for v in value]
            return value

        return enc({"since": self.since, "until": self.until,
                    "nodes": [asdict(n) for n in self.nodes],
                    "edges": [asdict(e) for e in self.edges]})


class _Builder:
    def __init__(self, kb: ActorKB | None) -> None:
        self.kb = kb
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], Edge] = {}

    def name_of(self, ref: str) -> str:
        """Canonical name of an actor given by id or by name."""
        if self.kb is not None:
            if ref in self.kb:
                return self.kb.get(ref).name
            hit = self.kb.lookup(ref)
            if hit is not None:
                return hit[0].name
        return ref

    def node(self, ref: str) -> Node:
        """The node of an actor given by id or by name, made on first sight with the knowledge
        base's id, kind and country, so every alias of one actor lands on one node."""
        name = self.name_of(ref)
        if name not in self.nodes:
            node = Node(name)
            if self.kb is not None and (hit := self.kb.lookup(name)) is not None:
                actor = hit[0]
                node.actor_id, node.kind, node.country = actor.id, actor.kind, actor.country
            self.nodes[name] = node
        return self.nodes[name]

    def edge(self, source: str, target: str, kind: str, origin: str) -> Edge:
        """The ``source``–``target`` edge of ``kind``, made on first use; ``origin`` is added to
        its origins, so a tie both fought and stated shows both."""
        a, b = self.node(source).name, self.node(target).name
        key = (a, b, kind)
        if key not in self.edges:
            self.edges[key] = Edge(a, b, kind)
        e = self.edges[key]
        if origin not in e.origins:
            e.origins.append(origin)
        return e

    def add_event(self, ev: Event) -> None:
        """Count the event for its actors; a violent event between two different actors adds
        to their "fights" edge (events, dead, and its first sentence as evidence)."""
        actors = [a for a in (ev.actor1, ev.actor2) if a]
        for a in actors:
            n = self.node(a)
            n.events += 1
            n.fatalities += ev.fatalities or 0
        if ev.event_type not in VIOLENT_TYPES or len(actors) < 2 or \
                self.name_of(actors[0]) == self.name_of(actors[1]):
            return
        e = self.edge(actors[0], actors[1], "fights", "events")
        e.weight += 1
        e.fatalities += ev.fatalities or 0
        if len(e.evidence) < MAX_EVIDENCE:
            sentence = ev.sources[0].sentence.strip() if ev.sources else None
            e.evidence.append(EdgeEvidence("event", ev.event_id, sentence, ev.event_date))

    def add_relation(self, rel: Relation, published: dt.date | None) -> None:
        """Add a relation stated in an article ("U.S.-backed SDF") as a text edge, with its
        sentence and the article's publication date."""
        e = self.edge(rel.subject, rel.object, rel.predicate, "text")
        e.weight += 1
        if len(e.evidence) < MAX_EVIDENCE:
            e.evidence.append(EdgeEvidence("text", rel.article_id or "", rel.sentence.strip(),
                                           published))

    def add_kb(self) -> None:
        """Draw knowledge-base ties only between actors already in the window, so the graph
        shows the window's war, not the whole base."""
        if self.kb is None:
            return
        present = {n.actor_id for n in self.nodes.values() if n.actor_id}
        for actor_id in sorted(present):
            actor = self.kb.get(actor_id)
            for kind in ("part_of", "backed_by", "allied_with"):
                for target in getattr(actor, kind):
                    if target not in present:
                        continue
                    e = self.edge(actor_id, target, kind, "kb")
                    e.weight += 1
                    e.evidence.append(EdgeEvidence("kb", self.kb.source_of(actor_id)))


def build_graph(events: Iterable[Event], relations: Iterable[tuple[Relation, dt.date | None]],
                kb: ActorKB | None = None, since: dt.date | None = None,
                until: dt.date | None = None) -> ActorGraph:
    """The graph of the given events and stated relations (pure)."""
    b = _Builder(kb)
    for ev in events:
        b.add_event(ev)
    for rel, published in relations:
        b.add_relation(rel, published)
    b.add_kb()
    nodes = sorted(b.nodes.values(), key=lambda n: (-n.events, n.name))
    edges = sorted(b.edges.values(), key=lambda e: (e.kind != "fights", -e.weight, -e.fatalities,
                                                    e.source, e.target, e.kind))
    return ActorGraph(since, until, nodes, edges)


def actor_graph(store: Store, knowledge: Knowledge, since: dt.date | None = None,
                until: dt.date | None = None) -> ActorGraph:
    """Who fights, backs, is part of or allied with whom, in a window of the store."""
    kb = knowledge.actors
    from ..store import EventQuery, select_events

    events = select_events(store, EventQuery(since=since, until=until, include_background=True))
    relations = store.stated_relations(since, until)
    return build_graph(events, relations, kb, since, until)
