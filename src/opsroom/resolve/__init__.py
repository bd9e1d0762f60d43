"""Actors and people: the knowledge base of who fights, and resolving them in articles.

kb = ActorKB.load(extra_files=["my_actors.jsonl"])
resolver = ActorResolver(kb)                 # build once, reuse for every article
actors, relations = resolver.resolve(doc, article_id)
people = extract_people(doc, actors)
"""

from .actors import ActorResolver
from .kb import Actor, ActorKB
from .people import extract_people

__all__ = ["Actor", "ActorKB", "ActorResolver", "extract_people"]
