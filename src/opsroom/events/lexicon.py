"""Load and check the event knowledge files under ``opsroom/data/events``.

Trigger words, instruments, word classes, filters, attribution verbs and number words are
data (STYLE.md rule 6): a user extends them without touching code.  Every file is checked
against its schema here, and a broken file raises :class:`~opsroom.errors.KnowledgeError`
naming the file and the line.

Files and their schema:

- ``ontology.json``: ACLED event type → list of its sub-types (6 types, 25 sub-types).
- ``triggers.jsonl``: one trigger per line: ``id``, ``pos`` (VERB|NOUN), ``lemmas``,
  ``rule`` (one of :data:`RULES`, see ``coding``), ``sub_event_type`` (the fixed or default
  sub-type, or null), optional ``objects`` (word classes the object must belong to),
  ``preps`` (a preposition or particle it must govern), ``particle`` ("handed over").
- ``instruments.jsonl``: weapon and platform words: ``lemmas``, ``weapon``,
  ``sub_event_type``, ``priority`` (the highest in a clause decides), ``munition`` (counted
  as the event's quantity), optional ``except_heads`` ("air base" is no aircraft).
- ``classes.json``: named word classes (territory, base, person, civilian, …).
- ``filters.json``: modal auxiliaries, plan and threat words, light verbs, temporal marks
  and the running-total threshold that keep non-events out (``detect``).
- ``claims.json``: attribution and denial verbs (``claims``).
- ``numbers.json``: number words, vague quantities and the rule for them, casualty words
  and stated-zero phrases (``numbers``).
- ``actor_kinds.json``: regular expressions over canonical actor names → state /
  non_state / civilians / observer, and ``sides``: names one party goes by.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import KnowledgeError
from ..jsonl import read_jsonl

RULES = ("fixed", "instrument", "territory", "territory-loss", "casualty", "disrupt", "protest")


@dataclass(frozen=True)
class Trigger:
    """One trigger entry: which lemmas, as which part of speech, coded by which rule."""

    id: str
    pos: str
    lemmas: frozenset[str]
    rule: str
    sub_event_type: str | None
    objects: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()
    particle: str | None = None


@dataclass(frozen=True)
class Instrument:
    """A weapon or platform word and the sub-type it implies."""

    lemmas: frozenset[str]
    weapon: str
    sub_event_type: str
    priority: int
    munition: bool
    #: Head nouns that make the word no weapon ("air base", "air force").
    except_heads: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    """All event knowledge, loaded once."""

    ontology: dict[str, tuple[str, ...]]
    triggers: tuple[Trigger, ...]
    instruments: tuple[Instrument, ...]
    classes: dict[str, frozenset[str]]
    filters: dict[str, Any]
    claims: dict[str, Any]
    numbers: dict[str, Any]
    actor_kinds: tuple[tuple[re.Pattern[str], str], ...]
    sides: tuple[frozenset[str], ...] = ()
    by_country: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = ()

    def in_country(self, name: str, country: str | None) -> str:
        """The canonical actor a country-bound description names there ("Kurdish forces"
        in Syria: the SDF), else the name as given (data: actor_kinds.json "by_country")."""
        if country:
            for pattern, actors in self.by_country:
                if pattern.match(name) and country in actors:
                    return actors[country]
        return name

    def same_side(self, a: str, b: str) -> bool:
        """Whether two canonical names can name the same party (data: actor_kinds.json)."""
        return a == b or any(a in side and b in side for side in self.sides)

    def event_type(self, sub_event_type: str) -> str:
        """The ACLED event type a sub-type belongs to."""
        for event_type, subs in self.ontology.items():
            if sub_event_type in subs:
                return event_type
        raise KnowledgeError(f"unknown sub_event_type {sub_event_type!r}")

    @cached_property
    def triggers_by_word(self) -> dict[str, tuple[int, ...]]:
        """Lemma or word → the positions of the triggers listing it, in lexicon order.

        Detection asks, for every token, which trigger comes first that matches it;
        looking up the few triggers that list the word spares testing all of them.
        """
        index: dict[str, list[int]] = {}
        for n, trig in enumerate(self.triggers):
            for word in trig.lemmas:
                index.setdefault(word, []).append(n)
        return {w: tuple(ns) for w, ns in index.items()}

    @cached_property
    def instrument_lemmas(self) -> frozenset[str]:
        """Every weapon and platform word of ``instruments.jsonl``."""
        return frozenset(w for inst in self.instruments for w in inst.lemmas)

    def territory_lemmas(self) -> frozenset[str]:
        """Verbs of taking ground (the triggers coded by the ``territory`` rule)."""
        return frozenset(w for t in self.triggers if t.rule == "territory" for w in t.lemmas)

    def in_class(self, lemma: str, name: str) -> bool:
        """Whether a (lower-case) lemma belongs to a named word class of ``classes.json``.

        The tagger reads a capitalised plural that opens a sentence ("Militiamen looted
        …") as a name and leaves it unlemmatised: a plural the class lacks is tried in
        the singular."""
        words = self.classes.get(name, frozenset())
        low = lemma.lower()
        if low in words:
            return True
        if low.endswith("men"):
            return low[:-3] + "man" in words
        if low.endswith("ies"):
            return low[:-3] + "y" in words
        return low.endswith("s") and low[:-1] in words

    def actor_kind(self, name: str | None) -> str | None:
        """state / non_state / civilians / observer for a canonical actor name."""
        if not name:
            return None
        for pattern, kind in self.actor_kinds:
            if pattern.search(name):
                return kind
        return None


def _data_dir() -> Path:
    return Path(str(resources.files("opsroom") / "data" / "events"))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc





def _require(cond: bool, where: str, problem: str) -> None:
    if not cond:
        raise KnowledgeError(f"{where}: {problem}")


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Load every event knowledge file from ``directory`` (default: the packaged data)."""
    if directory is None:
        return _packaged_lexicon()
    return _load(directory)


@lru_cache(maxsize=1)
def _packaged_lexicon() -> Lexicon:
    return _load(_data_dir())


def _load(d: Path) -> Lexicon:
    ontology_raw = _read_json(d / "ontology.json")
    _require(
        isinstance(ontology_raw, dict) and all(_str_list(v) for v in ontology_raw.values()),
        str(d / "ontology.json"),
        "must map each event type to a list of sub-types",
    )
    ontology = {k: tuple(v) for k, v in ontology_raw.items()}
    subtypes = {s for subs in ontology.values() for s in subs}

    triggers = []
    for n, row in read_jsonl(d / "triggers.jsonl"):
        where = f"{d / 'triggers.jsonl'}:{n}"
        _require(isinstance(row.get("id"), str), where, "'id' must be a string")
        _require(row.get("pos") in ("VERB", "NOUN"), where, "'pos' must be VERB or NOUN")
        _require(_str_list(row.get("lemmas")) and row["lemmas"], where, "'lemmas' must list words")
        _require(row.get("rule") in RULES, where, f"'rule' must be one of {RULES}")
        sub = row.get("sub_event_type")
        _require(sub is None or sub in subtypes, where, f"unknown sub_event_type {sub!r}")
        for key in ("objects", "preps"):
            _require(_str_list(row.get(key, [])), where, f"'{key}' must list words")
        triggers.append(
            Trigger(
                id=row["id"],
                pos=row["pos"],
                lemmas=frozenset(w.lower() for w in row["lemmas"]),
                rule=row["rule"],
                sub_event_type=sub,
                objects=tuple(row.get("objects", [])),
                preps=tuple(row.get("preps", [])),
                particle=row.get("particle"),
            )
        )

    instruments = []
    for n, row in read_jsonl(d / "instruments.jsonl"):
        where = f"{d / 'instruments.jsonl'}:{n}"
        _require(_str_list(row.get("lemmas")), where, "'lemmas' must list words")
        _require(row.get("sub_event_type") in subtypes, where, "unknown sub_event_type")
        _require(isinstance(row.get("weapon"), str), where, "'weapon' must be a string")
        _require(isinstance(row.get("priority"), int), where, "'priority' must be an integer")
        _require(_str_list(row.get("except_heads", [])), where, "'except_heads' must list words")
        instruments.append(
            Instrument(
                lemmas=frozenset(w.lower() for w in row["lemmas"]),
                weapon=row["weapon"],
                sub_event_type=row["sub_event_type"],
                priority=row["priority"],
                munition=bool(row.get("munition", False)),
                except_heads=frozenset(w.lower() for w in row.get("except_heads", [])),
            )
        )
    instruments.sort(key=lambda i: -i.priority)

    classes_raw = _read_json(d / "classes.json")
    _require(
        isinstance(classes_raw, dict) and all(_str_list(v) for v in classes_raw.values()),
        str(d / "classes.json"),
        "must map each class name to a list of words",
    )
    classes = {k: frozenset(w.lower() for w in v) for k, v in classes_raw.items()}
    for t in triggers:
        for obj in t.objects:
            _require(obj in classes, str(d / "triggers.jsonl"), f"{t.id}: unknown class {obj!r}")

    filters = _read_json(d / "filters.json")
    for key in ("modal_aux", "plan_verbs", "plan_nouns", "plan_adjectives", "aspect_verbs",
                "report_stop", "total_markers", "light_verbs", "temporal_marks", "habit_adverbs", "past_forms",
                "same_form_past", "definition_verbs",
                "target_verbs", "infinitive_plan_verbs", "memorial_nouns"):
        _require(_str_list(filters.get(key)), str(d / "filters.json"), f"'{key}' must list words")
    _require(isinstance(filters.get("total_threshold"), int), str(d / "filters.json"),
             "'total_threshold' must be an integer")

    claims = _read_json(d / "claims.json")
    for key in ("attribution_verbs", "denial_verbs", "according_to", "source_nouns"):
        _require(_str_list(claims.get(key)), str(d / "claims.json"), f"'{key}' must list words")

    numbers = _read_json(d / "numbers.json")
    for key in ("words", "vague"):
        _require(
            isinstance(numbers.get(key), dict)
            and all(isinstance(v, int) for v in numbers[key].values()),
            str(d / "numbers.json"),
            f"'{key}' must map words to integers",
        )
    for key in ("lower_bound", "killed", "wounded", "casualty", "zero_phrases",
                "no_figure_phrases"):
        _require(_str_list(numbers.get(key)), str(d / "numbers.json"), f"'{key}' must list words")

    kinds_raw = _read_json(d / "actor_kinds.json")
    kinds = []
    for row in kinds_raw.get("patterns", []):
        _require(
            isinstance(row, dict) and isinstance(row.get("pattern"), str)
            and row.get("kind") in ("state", "non_state", "civilians", "observer"),
            str(d / "actor_kinds.json"),
            f"bad pattern entry {row!r}",
        )
        try:
            kinds.append((re.compile(row["pattern"]), row["kind"]))
        except re.error as exc:
            raise KnowledgeError(f"{d / 'actor_kinds.json'}: {row['pattern']!r}: {exc}") from exc

    by_country = []
    for row in kinds_raw.get("by_country", []):
        _require(isinstance(row, dict) and isinstance(row.get("pattern"), str)
                 and isinstance(row.get("actors"), dict)
                 and all(isinstance(v, str) for v in row["actors"].values()),
                 str(d / "actor_kinds.json"), f"bad by_country entry {row!r}")
        try:
            by_country.append((re.compile(row["pattern"]), dict(row["actors"])))
        except re.error as exc:
            raise KnowledgeError(f"{d / 'actor_kinds.json'}: {row['pattern']!r}: {exc}") from exc
    sides = kinds_raw.get("sides", [])
    _require(isinstance(sides, list) and all(_str_list(x) for x in sides),
             str(d / "actor_kinds.json"), "'sides' must be a list of name lists")
    return Lexicon(
        sides=tuple(frozenset(x) for x in sides),
        ontology=ontology,
        triggers=tuple(triggers),
        instruments=tuple(instruments),
        classes=classes,
        filters=filters,
        claims=claims,
        numbers=numbers,
        actor_kinds=tuple(kinds),
        by_country=tuple(by_country),
    )
