"""Every entity of one parsed text: known actors, other organisations, people and places.

``EntityFinder.find`` runs the resolvers in the order their claims need:

1. actors of the knowledge base (names, descriptions, agents, back-references);
2. organisations the base does not know, kept unresolved with their kind (a name the
   article also gives a person is the person's);
3. people, who read both kinds of organisation for their role and organisation;
4. places (the place resolver is injected: ``geo`` is its own stage); a place inside an
   institution's name ("the Baghdad Operational Command") belongs to the institution,
   any other overlap goes to the place.

``find_in_part`` does the same for a caption, marking each entity with where it stood.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from spacy.tokens import Doc

from ..models import Article, Entity, Relation, Resolution
from .actors import ActorResolver
from .kb import ActorKB
from .organisations import OrganisationFinder, settle_with_places
from .people import PeopleReading, extract_people


class PlaceStage(Protocol):
    """What the finder needs of a place resolver."""

    def resolve(self, doc: Doc, article: Article, actors: Sequence[Entity] | None = None,
                actor_countries: Sequence[str] = (),
                state_countries: Sequence[str] = ()) -> list[Entity]:
        """The place entities of ``doc`` in text order; ``actors`` (the actor resolver's finds)
        tell which country names act rather than locate ("Iran has denied");
        ``actor_countries`` are the countries the article's armed groups fight in, and
        ``state_countries`` those whose governments and forces it names."""
        ...


class EntityFinder:
    """Actors, organisations, people and places of parsed texts; build once, reuse."""

    def __init__(self, actors: ActorResolver, places: PlaceStage | Any,
                 organisations: OrganisationFinder | None = None) -> None:
        self.actors = actors
        self.places = places
        self.organisations = organisations or OrganisationFinder()

    def find(self, doc: Doc, article: Article) -> tuple[list[Entity], list[Relation]]:
        """The entities of ``doc`` (in text order) and the relations stated between actors."""
        # 1. the knowledge base
        known, relations = self.actors.resolve(doc, article.id)
        # 2. organisations it does not know; a name the model took for a body but the
        # article gives to a person ("Dillon said") stays the person's
        reading = PeopleReading.of(doc)
        named = extract_people(doc, known, self.actors.kb, reading)
        others = [_national_force(e, self.actors.kb)
                  for e in self.organisations.find(doc, known + named)]
        # 3. people, with the organisations for their titles and appositions
        people = extract_people(doc, known + others, self.actors.kb, reading)
        # 4. places
        places = self.places.resolve(
            doc, article, actors=known, actor_countries=_home_countries(known, self.actors.kb),
            state_countries=_home_countries(known, self.actors.kb, _STATE_KINDS))
        others, places = settle_with_places(others, places)
        # "took control of Ras al-Ain": the place resolver read the words the model called
        # a person as a place by their cue and the gazetteer; one span is one thing.
        spans = {(p.start, p.end) for p in places}
        people = [p for p in people if (p.start, p.end) not in spans]
        entities = sorted(known + others + people + places, key=lambda e: (e.start, e.end, e.label))
        return entities, relations

    def find_in_part(self, doc: Doc, article: Article, part: str, index: int) -> list[Entity]:
        """The entities of a caption (``part``) with offsets into that text."""
        entities, _relations = self.find(doc, article)
        for e in entities:
            e.part, e.part_index = part, index
        return entities


#: Words of a state's own armed forces' name after its country: "Somali National Army",
#: "Ethiopian National Defense Force", "Malian Armed Forces", "Royal Thai Army".
_NATIONAL_FORCE_WORDS = frozenset({"national", "defence", "defense", "defence-force", "armed",
                                   "army", "forces", "force", "air", "navy", "royal", "ground",
                                   "land", "military", "people's", "self-defense",
                                   "self-defence"})


def _national_force(entity: Entity, kb: ActorKB) -> Entity:
    """An army the base does not list by this name, whose name is its country's and a
    national force's words, is that country's military: "Somali National Army" is the
    Military Forces of Somalia (CB names state forces by their country).  Any other name
    stays as found."""
    if entity.kind != "armed_forces" or not entity.name:
        return entity
    words = entity.name.split()
    for k in range(min(3, len(words) - 1), 0, -1):
        country = kb.country_of_term(" ".join(words[:k]))
        rest = [w.lower() for w in words[k:]]
        if country is None or not rest or not all(w in _NATIONAL_FORCE_WORDS for w in rest) \
                or not set(rest) & {"army", "forces", "force", "navy", "military"}:
            continue
        military = kb.military_of(country)
        if military is None:
            return entity
        reason = f"{entity.name!r}: a national army's name after {' '.join(words[:k])!r}"
        return Entity(text=entity.text, start=entity.start, end=entity.end, label="ACTOR",
                      id=military.id, name=military.name, kind=military.kind,
                      resolution=Resolution(method="description", score=0.85, reason=reason))
    return entity


#: Actor kinds that act in their own country: a group's home says where the story is.
#: Governments and foreign forces act abroad (a U.S. strike in Syria), so they say nothing.
_HOME_KINDS = frozenset({"rebel_group", "political_militia", "identity_militia", "civilians",
                         "protesters", "rioters"})


#: Kinds of a state's own bodies: they fight abroad as often as at home.
_STATE_KINDS = frozenset({"government", "state_forces"})


def _home_countries(actors: Sequence[Entity], kb: ActorKB,
                    kinds: frozenset[str] = _HOME_KINDS) -> list[str]:
    """The countries of the article's actors of ``kinds`` (by default its non-state armed
    groups, civilians and crowds), once each: the SDF's Syria tells al-Busayrah in Deir
    ez-Zor from Busayra in Jordan."""
    out: list[str] = []
    for e in actors:
        try:
            actor = kb.get(e.id) if e.id else None
        except KeyError:
            continue
        if actor is not None and actor.kind in kinds and actor.country \
                and actor.country not in out:
            out.append(actor.country)
    return out

