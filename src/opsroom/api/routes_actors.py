"""``/actors`` (the actor knowledge base with event counts) and ``/places`` (the gazetteer)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from ..knowledge import Knowledge
from ..store import Store
from ..store.query import EventQuery, search_events
from ..store.views import actor_event_counts, article_texts, stated_relations
from .auth import require_reader
from .convert import event_out
from .deps import get_knowledge, get_store
from .params import ID_PATTERN
from .schemas import ActorDetail, ActorOut, PlaceOut, RelationOut

router = APIRouter(tags=["knowledge"], dependencies=[Depends(require_reader)])

RELATIONS = ("part_of", "backed_by", "allied_with")
#: Events shown on an actor's page: the latest ones; the event list pages the rest.
RECENT_EVENTS = 20


def _actor_out(actor, counts) -> ActorOut:  # type: ignore[no-untyped-def]
    return ActorOut(
        id=actor.id, name=actor.name, kind=actor.kind, inter=actor.inter, country=actor.country,
        aliases=list(actor.aliases),
        relations={rel: list(getattr(actor, rel)) for rel in RELATIONS},
        event_count=counts.get(actor.name, 0),
    )


@router.get("/actors", response_model=list[ActorOut])
def list_actors(
    store: Annotated[Store, Depends(get_store)],
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    q: Annotated[str | None, Query(min_length=1, max_length=120,
                                   description="Words of a name or alias")] = None,
    kind: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
) -> list[ActorOut]:
    """Actors of the knowledge base (name, kind, country, aliases, relations), most active first."""
    kb = knowledge.actors
    counts = actor_event_counts(store)
    words = q.lower().split() if q else []
    out = []
    for actor in kb:
        names = " ".join((actor.name, actor.id, *actor.aliases)).lower()
        if all(w in names for w in words) and (kind is None or actor.kind == kind):
            out.append(_actor_out(actor, counts))
    out.sort(key=lambda a: (-a.event_count, a.name))
    return out


@router.get("/actors/{actor_id}", response_model=ActorDetail)
def get_actor(
    store: Annotated[Store, Depends(get_store)],
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    actor_id: Annotated[str, Path(pattern=ID_PATTERN)],
) -> ActorDetail:
    """One actor: knowledge-base relations, relations stated in articles, recent events."""
    kb = knowledge.actors
    if actor_id not in kb:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    actor = kb.get(actor_id)
    related_by: dict[str, list[str]] = {rel: [] for rel in RELATIONS}
    for other in kb:
        for rel in RELATIONS:
            if actor_id in getattr(other, rel):
                related_by[rel].append(other.id)
    stated = [RelationOut(**r) for r in stated_relations(store, [actor_id])]
    items, _total = search_events(store, EventQuery(actor=actor.name, include_background=True,
                                                    limit=RECENT_EVENTS * 5))
    # The actor filter matches words; keep the events that name this very actor.
    items = [it for it in items if actor.name in (it.event.actor1, it.event.actor2,
                                                  it.event.assoc_actor_1, it.event.assoc_actor_2)]
    items = items[:RECENT_EVENTS]
    titles = article_texts(store, {s.article_id for it in items for s in it.event.sources},
                           text=False)
    base = _actor_out(actor, actor_event_counts(store))
    return ActorDetail(**base.model_dump(), stated_relations=stated, related_by=related_by,
                       recent_events=[event_out(it, titles) for it in items])


@router.get("/places", response_model=list[PlaceOut])
def search_places(
    knowledge: Annotated[Knowledge, Depends(get_knowledge)],
    q: Annotated[str, Query(min_length=2, max_length=120, description="A place name, any spelling")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[PlaceOut]:
    """Gazetteer search: places whose name matches ``q`` in any transliteration, best first."""
    from ..geo.gazetteer import Place

    gaz = knowledge.gazetteer
    best: dict[str, tuple[float, Place]] = {}
    for place, score in [(p, 100.0) for p in gaz.lookup(q)] + gaz.fuzzy(q, limit=limit):
        if place.id not in best or best[place.id][0] < score:
            best[place.id] = (score, place)
    # Exact keys first, then the better spelling match; among equals the bigger place.
    ranked = sorted(best.values(), key=lambda sp: (-sp[0], -sp[1].population, sp[1].name))
    return [PlaceOut(id=p.id, name=p.name, latitude=p.latitude, longitude=p.longitude,
                     country=p.country, admin1=p.admin1, kind=p.kind, score=score)
            for score, p in ranked[:limit]]
