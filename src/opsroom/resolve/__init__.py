"""Actors and people: the knowledge base of who fights, and resolving them in articles.

kb = ActorKB.load(extra_files=["my_actors.jsonl"])
resolver = ActorResolver(kb)                 # build once, reuse for every article
actors, relations = resolver.resolve(doc, article_id)
people = extract_people(doc, actors)
finder = EntityFinder(resolver, place_resolver)  # all of them, in the order their claims need
entities, relations = finder.find(doc, article)
"""

from .actors import ActorResolver
from .entities import EntityFinder
from .kb import Actor, ActorKB
from .organisations import OrganisationFinder
from .people import extract_people

__all__ = ["Actor", "ActorKB", "ActorResolver", "EntityFinder", "OrganisationFinder", "extract_people"]
