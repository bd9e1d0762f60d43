"""The merge rules: sub-types outlets confuse, which one wins, where sides may swap.

Shipped as ``data/merge/rules.json`` and checked against the event ontology on load, so
a rule naming a sub-type that does not exist fails loudly instead of never firing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import KnowledgeError


@dataclass(frozen=True)
class MergeRules:
    """Sub-types outlets confuse, which one wins, and where sides may come in any order."""

    groups: tuple[frozenset[str], ...]
    precedence: tuple[str, ...]
    swappable: frozenset[str]

    def compatible(self, a: str, b: str) -> bool:
        """True when outlets may report one event as either sub-type (same, or in one group)."""
        return a == b or any(a in g and b in g for g in self.groups)

    def rank(self, sub_type: str) -> int:
        """Precedence of a sub-type when merged reports disagree: lower wins; unlisted last."""
        return self.precedence.index(sub_type) if sub_type in self.precedence else len(self.precedence)


@lru_cache(maxsize=1)
def load_rules() -> MergeRules:
    """The shipped merge rules, checked against the event ontology."""
    data_dir = resources.files("opsroom.data")
    where = "data/merge/rules.json"
    try:
        rules = json.loads(data_dir.joinpath("merge", "rules.json").read_text("utf-8"))
        ontology = json.loads(data_dir.joinpath("events", "ontology.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"{where}: cannot read merge rules: {exc}") from exc
    type_of = {sub: etype for etype, subs in ontology.items() if not etype.startswith("_")
               for sub in subs}
    groups = []
    for group in rules.get("compatible_sub_types", []):
        unknown = [s for s in group if s not in type_of]
        if unknown:
            raise KnowledgeError(f"{where}: unknown sub-types {unknown}")
        if len({type_of[s] for s in group}) != 1:
            raise KnowledgeError(f"{where}: group {group} spans several event types")
        groups.append(frozenset(group))
    for key in ("precedence", "swappable_sides"):
        unknown = [s for s in rules.get(key, []) if s not in type_of]
        if unknown:
            raise KnowledgeError(f"{where}: {key} names unknown sub-types {unknown}")
    return MergeRules(tuple(groups), tuple(rules.get("precedence", [])),
                      frozenset(rules.get("swappable_sides", [])))

