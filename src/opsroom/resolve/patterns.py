"""Word lists the resolvers read: agent verbs, relation words, people's titles.

They are data (``opsroom/data/actors/patterns/*.json``) so that a reader can see and
extend them without reading code; each file is checked here when loaded.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from spacy.tokens import Span

from ..errors import KnowledgeError


class AgentVerbs(BaseModel):
    """Verb lemmas that make a country subject an actor (agent_verbs.json)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    military: frozenset[str]
    statement: frozenset[str]
    passive_agent_verbs: frozenset[str]
    not_agent: frozenset[str]
    object_verbs: frozenset[str]
    military_nouns: frozenset[str]
    policy_nouns: frozenset[str]
    agent_preps: frozenset[str]
    #: Nouns of dealing between parties ("talks", "an explanation") and the prepositions
    #: that name the party ("with Iran", "from the United States").
    party_nouns: frozenset[str] = frozenset()
    party_preps: frozenset[str] = frozenset()


class RelationWords(BaseModel):
    """Words that state relations between actors (relations.json)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    backed_by: dict[str, frozenset[str]]
    allied_with: dict[str, frozenset[str]]
    part_of: dict[str, frozenset[str]]
    #: Nouns of undertakings ("a U.S.-backed campaign"): the backed is who carries it out.
    activities: frozenset[str] = frozenset()
    #: Words that put a relation in doubt ("denies", "allegedly"): not stated as fact.
    doubt: frozenset[str] = frozenset()


class PeopleWords(BaseModel):
    """Ranks, titles, roles and place cues for the people extractor (people.json)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    ranks: tuple[str, ...]
    titles: tuple[str, ...]
    roles: frozenset[str]
    place_cues: frozenset[str]
    place_after: frozenset[str]
    #: Short forms written out in the output ("Col." -> "Colonel").
    abbreviations: dict[str, str] = {}
    #: Titles that introduce a name but are no role ("Sayyed", "Mr.").
    honorifics: frozenset[str] = frozenset()
    #: Titles that name an office and so its holder even without a name ("the Foreign
    #: Secretary", "Minister for the Middle East").
    offices: frozenset[str] = frozenset()


def _read(name: str) -> Any:
    path = resources.files("opsroom").joinpath("data", "actors", "patterns", name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc


def _model(model: type[BaseModel], name: str) -> Any:
    try:
        return model.model_validate(_read(name))
    except ValidationError as exc:
        raise KnowledgeError(f"{name}: {exc}") from exc


@lru_cache(maxsize=1)
def agent_verbs() -> AgentVerbs:
    """The agent verb lists, loaded once."""
    return _model(AgentVerbs, "agent_verbs.json")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def relation_words() -> RelationWords:
    """The relation word lists, loaded once."""
    return _model(RelationWords, "relations.json")  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def people_words() -> PeopleWords:
    """The people word lists, loaded once."""
    return _model(PeopleWords, "people.json")  # type: ignore[no-any-return]


class KnownPerson(BaseModel):
    """A person of the war the article may name by surname alone (people/*.jsonl)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    #: Actor id of the organisation the person leads or serves.
    organisation: str | None = None


@lru_cache(maxsize=1)
def known_people() -> tuple[KnownPerson, ...]:
    """The packaged people files, checked line by line; loaded once."""
    from ..jsonl import read_jsonl

    root = resources.files("opsroom").joinpath("data", "actors", "people")
    out: list[KnownPerson] = []
    for path in sorted(str(p) for p in root.iterdir() if str(p).endswith(".jsonl")):
        for number, record in read_jsonl(Path(path)):
            try:
                out.append(KnownPerson.model_validate(record))
            except ValidationError as exc:
                raise KnowledgeError(f"{path}:{number}: {exc}") from exc
    return tuple(out)


#: Compass words of "8 km east of X", before the "of" that names a place.
_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast",
                      "southwest", "north-east", "north-west", "south-east", "south-west"})


def reads_as_place(span: Span, words: PeopleWords) -> bool:
    """True when the words around a name make it a place ("in Al Qaim", "Hajin town")."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    before2 = doc[span.start - 2].lower_ if span.start > 1 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if before in words.place_cues or after in words.place_after:
        return True
    if any(c.dep_ == "appos" and c.lemma_ in words.place_after for c in span.root.children):
        return True  # "Al Qaim, a town just over the border"
    # "the town of X", and "8 km east of X"
    if before == "of" and (before2 in words.place_cues or before2 in _COMPASS):
        return True
    return _inside_named_place(span, before)


#: Prepositions that put a name where something happened ("in X", "a raid on X").
_LOCATIVE_PREPS = frozenset({"in", "at", "near", "on", "into", "around", "outside"})
#: Verbs of fire from afar whose object, set inside a named place, is a village: "shelled
#: Al-Habit in southern Idlib" (one shells places, and bodies by their positions).
_STRUCK = frozenset({"shelled", "bombed", "bombarded", "pounded", "shells", "bombs", "pound"})
#: Direction adjectives before a province's name ("in southern Idlib").
_DIRECTIONS = frozenset({"northern", "southern", "eastern", "western", "northeastern",
                         "northwestern", "southeastern", "southwestern", "central", "rural"})
#: Words that end the name of an administrative unit ("Benue state", "Kunduz province").
_UNIT_WORDS = frozenset({"state", "province", "district", "region", "county", "governorate",
                         "municipality", "prefecture", "department", "oblast", "territory"})


def _inside_named_place(span: Span, before: str) -> bool:
    """A bare name put somewhere and then inside a named place ("a raid on Mbaakon in Benue
    state", "in Kidal near the Algerian border"): a village the gazetteer lacks, however the
    model labelled it.  A name of an upper-case acronym or of more than two words is left
    to the model; after "on" (an attack on a body, or on a village) the place that follows
    must be an administrative unit."""
    doc = span.doc
    words = [t for t in span if not t.is_punct]
    if before not in _LOCATIVE_PREPS | _STRUCK or len(words) > 2 or span.text.isupper() \
            or not all(t.pos_ == "PROPN" for t in words):
        return False
    i = span.end
    if i >= len(doc) or doc[i].lower_ not in ("in", "near"):
        return False
    i += 1
    while i < len(doc) and (doc[i].lower_ == "the" or doc[i].lower_ in _DIRECTIONS):
        i += 1  # "shelled Al-Habit in southern Idlib"
    if i >= len(doc) or doc[i].ent_type_ not in ("GPE", "LOC"):
        return False
    if before != "on":
        return True
    end = i
    while end < len(doc) and doc[end].ent_type_ == doc[i].ent_type_ and doc[end].ent_iob_ != "O" \
            and (end == i or doc[end].ent_iob_ == "I"):
        end += 1
    return end < len(doc) and doc[end].lower_ in _UNIT_WORDS or doc[end - 1].lower_ in _UNIT_WORDS

