"""The actor knowledge base: who fights in the war, every name they go by, who backs whom.

The knowledge lives in JSON Lines files (``opsroom/data/actors/*.jsonl``, one actor a line);
users extend it with files of the same schema, without code.  ``ActorKB.load`` checks
every line against the schema and the whole against three rules a matcher relies on:

1. ids are unique;
2. no surface form (alias or description) names two actors;
3. every relation (``part_of``, ``backed_by``, ``allied_with``) points at a known id.

A broken line raises ``KnowledgeError`` naming the file and the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import KnowledgeError
from ..jsonl import read_jsonl
from .normalise import alias_key

ActorKind = Literal[
    "state_forces",
    "rebel_group",
    "political_militia",
    "identity_militia",
    "rioters",
    "protesters",
    "civilians",
    "external_forces",
    "government",
    "monitor",
    "agency",
    "media",
]

#: ACLED's interaction codes, for the kinds that have one.
ACLED_INTER: dict[str, int] = {
    "state_forces": 1,
    "government": 1,
    "rebel_group": 2,
    "political_militia": 3,
    "identity_militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external_forces": 8,
}


class Actor(BaseModel):
    """One actor of the war, as a line of an actor file states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    name: str = Field(min_length=1)
    #: Names: each one, alone, identifies the actor ("Daesh", "SDF").
    aliases: tuple[str, ...] = ()
    #: Noun phrases that describe the actor without naming it ("Iraqi troops").
    descriptions: tuple[str, ...] = ()
    #: Bare references ("the militants") that point to the actor only when the
    #: article has already named it.
    context_terms: tuple[str, ...] = ()
    #: Names that stand for the actor only when they act: a country or its capital
    #: as the subject of a verb ("Iran has denied", "Baghdad said").
    agent_terms: tuple[str, ...] = ()
    #: Capitals: like agent terms, but a capital that acts is always the government
    #: ("Damascus", "Tehran"), never the armed forces.
    capitals: tuple[str, ...] = ()
    #: Adjectives and short forms of the actor's country ("Iranian", "U.S."): a backer
    #: named so ("Iranian-backed") or a title ("Syrian President") points to it.
    demonyms: tuple[str, ...] = ()
    kind: ActorKind
    inter: int | None = Field(default=None, ge=1, le=8)
    country: str | None = None
    part_of: tuple[str, ...] = ()
    backed_by: tuple[str, ...] = ()
    allied_with: tuple[str, ...] = ()

    @field_validator("aliases", "descriptions", "context_terms", "agent_terms", "capitals", "demonyms")
    @classmethod
    def _no_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v.strip() for v in value):
            raise ValueError("blank name")
        return value

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """Yield ``(form, method)`` for the name, each alias and each description."""
        yield self.name, "alias"
        for alias in self.aliases:
            yield alias, "alias"
        for desc in self.descriptions:
            yield desc, "description"


@dataclass(frozen=True)
class _Where:
    """Where an actor was read from, to name it in errors."""

    path: str
    line: int


def packaged_files() -> list[Path]:
    """The actor files that ship with opsroom, in a stable order."""
    root = resources.files("opsroom").joinpath("data", "actors")
    return sorted(Path(str(p)) for p in root.iterdir() if str(p).endswith(".jsonl"))


def _read(path: Path) -> Iterator[tuple[Actor, _Where]]:
    for number, record in read_jsonl(path):
        try:
            actor = Actor.model_validate(record)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}" for err in exc.errors()
            )
            raise KnowledgeError(f"{path}:{number}: {problems}") from exc
        yield actor, _Where(str(path), number)


class ActorKB:
    """The loaded, checked knowledge base with its lookups."""

    def __init__(self, actors: Iterable[tuple[Actor, _Where]]) -> None:
        self._actors: dict[str, Actor] = {}
        self._where: dict[str, _Where] = {}
        #: normalised surface form -> (actor id, method)
        self._forms: dict[str, tuple[str, str]] = {}
        for actor, where in actors:
            self._add(actor, where)
        self._check_relations()
        self._by_country_kind: dict[tuple[str, str], str] = {}
        for actor in self._actors.values():
            if actor.country and actor.agent_terms and actor.kind == "government":
                self._by_country_kind.setdefault((actor.country, "government"), actor.id)
        self._country_terms: dict[str, str] = {}
        for actor in self._actors.values():
            if actor.country and actor.kind == "government":
                for term in (*actor.agent_terms, *actor.capitals, *actor.demonyms, actor.country):
                    self._country_terms.setdefault(term.lower().removeprefix("the "), actor.country)
        for actor in self._actors.values():
            gov = self._by_country_kind.get((actor.country or "", "government"))
            if actor.kind in ("state_forces", "external_forces") and gov in actor.part_of:
                self._by_country_kind.setdefault((actor.country or "", "military"), actor.id)
        for actor in self._actors.values():
            # The world's states carry no part-of link: their military is the one ACLED
            # names "Military Forces of <country>" ("Saudi air defences").
            if actor.kind == "state_forces" and actor.country \
                    and actor.name == f"Military Forces of {actor.country}":
                self._by_country_kind.setdefault((actor.country, "military"), actor.id)

    # -- building -----------------------------------------------------------------------

    @classmethod
    def load(cls, extra_files: Iterable[str | Path] = ()) -> ActorKB:
        """Load the packaged actor files plus ``extra_files`` (same schema); cached.

        The cache key holds each user file's modification time, so an edited file is
        read again.
        """
        key = []
        for f in extra_files:
            path = Path(f)
            try:
                mtime = path.stat().st_mtime_ns
            except OSError as exc:
                raise KnowledgeError(f"{path}: cannot read actor file: {exc}") from exc
            key.append((str(path), mtime))
        return _load_cached(tuple(key))

    @classmethod
    def from_files(cls, files: Iterable[str | Path]) -> ActorKB:
        """Load exactly ``files`` (no packaged data): for tests and custom bases."""
        return cls(item for f in files for item in _read(Path(f)))

    def _add(self, actor: Actor, where: _Where) -> None:
        if actor.id in self._actors:
            first = self._where[actor.id]
            raise KnowledgeError(
                f"{where.path}:{where.line}: duplicate actor id {actor.id!r} (first at {first.path}:{first.line})"
            )
        for form, method in actor.surface_forms():
            key = alias_key(form)
            owner = self._forms.get(key)
            if owner is not None and owner[0] != actor.id:
                first = self._where[owner[0]]
                raise KnowledgeError(
                    f"{where.path}:{where.line}: {form!r} of {actor.id!r} already names "
                    f"{owner[0]!r} ({first.path}:{first.line})"
                )
            if owner is None or method == "alias":
                self._forms[key] = (actor.id, method)
        self._actors[actor.id] = actor
        self._where[actor.id] = where

    def _check_relations(self) -> None:
        for actor in self._actors.values():
            for relation in ("part_of", "backed_by", "allied_with"):
                for target in getattr(actor, relation):
                    if target not in self._actors:
                        where = self._where[actor.id]
                        raise KnowledgeError(
                            f"{where.path}:{where.line}: {actor.id!r}.{relation} names unknown actor {target!r}"
                        )

    # -- lookups ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def get(self, actor_id: str) -> Actor:
        """The actor with this id (KeyError if none)."""
        return self._actors[actor_id]

    def lookup(self, form: str) -> tuple[Actor, str] | None:
        """The actor a surface form names, with the method ("alias"/"description")."""
        hit = self._forms.get(alias_key(form))
        if hit is None:
            return None
        return self._actors[hit[0]], hit[1]

    def source_of(self, actor_id: str) -> str:
        """``file:line`` the actor was read from."""
        where = self._where[actor_id]
        return f"{where.path}:{where.line}"

    def government_of(self, country: str) -> Actor | None:
        """The government actor of a country, if the base has one."""
        found = self._by_country_kind.get((country, "government"))
        return self._actors[found] if found else None

    def country_of_term(self, term: str) -> str | None:
        """The country a country name, capital or demonym stands for ("Iranian" -> Iran)."""
        return self._country_terms.get(term.strip().lower().removeprefix("the "))

    def military_of(self, country: str) -> Actor | None:
        """The state military actor of a country, if the base has one."""
        found = self._by_country_kind.get((country, "military"))
        return self._actors[found] if found else None


@lru_cache(maxsize=8)
def _load_cached(extra_files: tuple[tuple[str, int], ...]) -> ActorKB:
    files = [*packaged_files(), *(Path(f) for f, _mtime in extra_files)]
    return ActorKB.from_files(files)
