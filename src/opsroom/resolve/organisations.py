"""Organisations the knowledge base does not name: ministries, UN bodies, courts, NGOs, units.

The actor knowledge base knows the parties of the war; a defence or government text also
names ministries, councils, courts, agencies, companies and media it does not list.
``OrganisationFinder.find`` keeps them as unresolved ACTOR entities, each with the kind its
name shows (``data/actors/patterns/organisations.json``):

1. the model's ORG spans, trimmed of "the", a possessive and trailing marks;
2. institution names built on a head word ("the Ministry of Higher Education", "Interior
   Ministry", "the Human Rights Council", "UN Board of Inquiry", "Treasury");
3. acronyms the model does not call a place, a nationality or a person ("FCO", "OFAC"),
   and an acronym given in brackets after a name is that name again;
4. a nationality before a body's common noun ("Iraqi television", "the Iraqi navy"), a
   definite common noun phrase on a body's noun ("the navy", "the regime", "this
   terrorist organisation"; never "an organisation") and collectives of states ("the
   international community");
5. mentions of one name share one id (``org_<slug>``), so later mentions link up, and a
   later mention without the head word ("Alsumaria" after "Alsumaria News") is the same.

Spans that the knowledge base already resolved are left to it; a candidate that is only
a place's name is left to the place resolver (``settle_with_places``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, ValidationError
from spacy.tokens import Doc, Span
from unidecode import unidecode

from ..errors import KnowledgeError
from ..models import Entity, Resolution
from .normalise import NAME_WORD, glued, name_word
from .patterns import people_words, reads_as_place

#: Scores by how the name was found, chosen by hand in order of evidence: a head word
#: says what the body is; the model's ORG label alone is often a person or a place in
#: this small model; a bare acronym is the weakest.
SCORE = {"head": 0.7, "ner": 0.6, "short": 0.6, "acronym": 0.5, "collective": 0.5, "common": 0.4}
#: Head words a definite common noun phrase names one body by ("the regime", "the navy",
#: "this terrorist organisation"), when the knowledge base could not say which. Not
#: "government": "the central government" is a state's government, which the knowledge
#: base's back-references resolve or miss, and an unresolved one would stand in its place.
_BODY_NOUNS = frozenset({"regime", "army", "navy", "militia", "militias", "organisation",
                         "organization", "group", "police"})
_DEFINITE = frozenset({"the", "this", "that", "these", "his", "her", "its", "their", "our"})

_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}s?|(?:[A-Z]\.){2,5})$")
_TRAILING_JUNK = re.compile(r"[\s.,;:\[\]()0-9]+$")
#: Words a name cannot end on: the model's span stopped before the rest of the name.
_DANGLING = frozenset({"in", "of", "for", "and", "on", "the", "at", "to", "&"})
#: Words that may stand inside an institution's name between capitalised words.
_CONNECTORS = {"of", "for", "and", "on", "the", "&"}


class OrganisationWords(BaseModel):
    """The word lists of ``organisations.json``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    heads: dict[str, str]
    international_prefixes: tuple[str, ...]
    not_organisations: frozenset[str]
    #: First words of the names of happenings ("Operation Steel Curtain", "Battle of
    #: Mosul"): such a name is an event's, not a body's.
    happening_words: frozenset[str] = frozenset()
    #: Lower-case phrases that name a collective of states ("the international community").
    collectives: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def organisation_words() -> OrganisationWords:
    """The organisation word lists, loaded once."""
    path = resources.files("opsroom").joinpath("data", "actors", "patterns", "organisations.json")
    try:
        return OrganisationWords.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from exc


@dataclass
class _Candidate:
    start: int  # token offsets
    end: int
    method: str
    kind: str
    reason: str
    #: The full name a short form stands for ("Alsumaria" for "Alsumaria News").
    full: str | None = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", unidecode(text).lower()).strip("_")


#: How the reason of a body named only by a common noun ("the regime", "his government")
#: opens: an entity of the text, but no actor a coder can name.
COMMON_BODY = "body named by"


def common_body(entity: Entity) -> bool:
    """Whether ``entity`` is a body the text names only by a common noun ("the regime")."""
    return entity.resolution is not None and entity.resolution.reason.startswith(COMMON_BODY)


class OrganisationFinder:
    """Find the organisations of a parsed article that no knowledge-base actor covers."""

    def __init__(self, words: OrganisationWords | None = None) -> None:
        self.words = words or organisation_words()
        people = self._people = people_words()
        self._titles = {t.lower() for t in (*people.titles, *people.ranks, *people.honorifics)}
        self._titles_plain = {t.rstrip(".") for t in self._titles}
        self._heads_one = {k: v for k, v in self.words.heads.items() if " " not in k}
        self._heads_two = {k: v for k, v in self.words.heads.items() if " " in k}

    def find(self, doc: Doc, taken: Sequence[Entity]) -> list[Entity]:
        """Unresolved organisation entities of ``doc``, none overlapping ``taken``."""
        blocked = _token_set(doc, taken)
        found: list[_Candidate] = []
        for raw in (*self._heads(doc), *self._national(doc), *self._collectives(doc), *self._ner(doc),
                    *self._acronyms(doc), *self._common(doc)):
            cand = self._cut(doc, raw, blocked) if raw.method == "head" else raw
            if cand is None or any(i in blocked for i in range(cand.start, cand.end)):
                continue
            if any(c.start < cand.end and cand.start < c.end for c in found):
                continue
            found.append(cand)
        found.extend(self._short_forms(doc, found, blocked))
        found.sort(key=lambda c: c.start)
        return self._entities(doc, found)

    # 1. the model's ORG spans
    def _ner(self, doc: Doc) -> list[_Candidate]:
        out = []
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            span = self._trim(ent)
            if span is None:
                continue
            if span.start > 0 and doc[span.start - 1].lower_.rstrip(".") in self._titles_plain:
                continue  # "Minister Ellwood": a person the model took for a body
            if span[-1].lower_.rstrip(".") in self._titles_plain or any(
                doc[max(0, span.start - k) : span.end].text.lower() in self._titles for k in range(1, 4)
            ):
                continue  # "Commanding General", "Secretary of State": a title
            if len(span) == 1 and re.search(r"[a-z][A-Z]", span.text):
                continue  # "IraqSyria": words glued by scraping, not a name
            if reads_as_place(span, self._people):
                continue  # "the village of Qaryat Zubeidat": a place the gazetteer lacks
            if _unit_of_possessor(span):
                continue  # "the Iraqi army's 20th Division": a unit of the army named
            kind = self._kind(span)
            if kind is None and _only_carries(span):
                continue  # "told Reuters": an outlet that carries the story is no party
            kind = kind or "organisation"
            out.append(_Candidate(span.start, span.end, "ner", kind, f"model ORG span {ent.text!r}"))
        return out

    def _trim(self, span: Span) -> Span | None:
        doc = span.doc
        start, end = span.start, span.end
        while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].text in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
                               or doc[end - 1].like_num or doc[end - 1].text.startswith("[")
                               or doc[end - 1].lower_ in _DANGLING):
            end -= 1  # "The Islamic Resistance in" (the model left the place out)
        if start >= end:
            return None
        out = doc[start:end]
        text = _TRAILING_JUNK.sub("", out.text)
        if not text or text in self.words.not_organisations:
            return None
        if out[0].text in self.words.happening_words:
            return None  # "Operation Steel Curtain" names a military operation, no actor
        if not any(t.text[:1].isupper() for t in out):
            return None
        if all(t.ent_type_ in ("GPE", "LOC", "NORP", "PERSON") and t.ent_type_ for t in out):
            return None
        return out

    # 2. institution names on a head word
    def _heads(self, doc: Doc) -> list[_Candidate]:
        out = []
        i = 0
        while i < len(doc):
            tok = doc[i]
            word = (name_word(tok.text) or tok.text).lower()
            two = doc[i : i + 2].text.lower() if i + 1 < len(doc) else ""
            if two in self._heads_two and doc[i + 1].text[:1].isupper():
                head_end, kind = i + 2, self._heads_two[two]
            elif word in self._heads_one and tok.text[:1].isupper():
                head_end, kind = i + 1, self._heads_one[word]
            else:
                i += 1
                continue
            start = self._extend_left(doc, i)
            end = head_end if glued(doc[head_end - 1].text) else self._extend_right(doc, head_end)
            span = doc[start:end]
            alone = end - start == head_end - i
            if alone and (tok.is_sent_start or i == 0 or doc[i - 1].is_punct and doc[i - 1].text != ","):
                i = head_end
                continue  # a capitalised head word opening a sentence or a heading
            if alone and (name_word(tok.text) or tok.text) in self.words.not_organisations:
                i = head_end
                continue  # "satellite TV network": a medium, no body
            if alone and tok.lower_ in ("government", "group", "office", "service", "services", "mission",
                                        "board", "fund", "post", "times", "cross", "watch", "union",
                                        "network", "front", "party", "force", "forces", "command"):
                i = head_end
                continue  # too plain alone ("the Government", "the Group")
            if _unit_of_possessor(span):
                i = head_end
                continue  # "the army's 5th Division": a unit of the force named before it
            if self._prefix(span):
                kind = "international"
            out.append(_Candidate(start, end, "head", kind, f"institution name on {tok.text!r}"))
            i = end
        return out

    def _cut(self, doc: Doc, cand: _Candidate, blocked: set[int]) -> _Candidate | None:
        """A head-word name that ran on into a known actor ("Saray al-Jihad Group and
        Kata'ib Hezbollah"), cut before it when a head word is left."""
        first = next((i for i in range(cand.start, cand.end) if i in blocked), None)
        if first is None:
            return cand
        if first == cand.start or doc[first - 1].lower_ not in _CONNECTORS:
            return None  # "Navy Captain Greg Hicks": a title before a name, no run-on
        end = first
        while end > cand.start and (doc[end - 1].lower_ in _CONNECTORS or doc[end - 1].is_punct):
            end -= 1
        if end <= cand.start or self._kind(doc[cand.start : end]) is None:
            return None
        return _Candidate(cand.start, end, cand.method, cand.kind, cand.reason)  # cut, no short form

    #: Kinds of body a nationality before a common noun names ("Iraqi television", "the
    #: Turkish parliament"): one body of that state, where "a Syrian group" is any.
    _NATIONAL_KINDS = frozenset({"government", "armed_forces", "media", "legislature", "court"})
    _NATIONAL_PLAIN = frozenset({"office", "post", "times", "mission", "service", "services", "administration",
                                 "delegation", "authority", "news", "program", "programme", "radio"})

    def _national(self, doc: Doc) -> list[_Candidate]:
        """A nationality and a lower-case head word: "Iraqi television", "the Iraqi navy"."""
        out = []
        for tok in doc:
            kind = self._heads_one.get(tok.lower_)
            if (kind not in self._NATIONAL_KINDS or not tok.is_lower or tok.lower_ in self._NATIONAL_PLAIN
                    or tok.pos_ != "NOUN"):
                continue
            start = tok.i - 1
            if start > 0 and doc[start].lower_ == "state":
                start -= 1  # "Syrian state television"
            if start < 0 or doc[start].ent_type_ != "NORP" or not doc[start].text[:1].isupper():
                continue
            out.append(_Candidate(start, tok.i + 1, "head", kind,
                                  f"institution name on {tok.text!r} after {doc[start].text!r}"))
        return out

    def _common(self, doc: Doc) -> list[_Candidate]:
        """A body named by a definite common noun phrase: "his government", "the navy",
        "the brutal shabiha militias"; "an organisation" or "the first group" names none."""
        out = []
        for tok in doc:
            if tok.lower_ not in _BODY_NOUNS or tok.pos_ != "NOUN" or not tok.is_lower:
                continue
            if tok.dep_ in ("compound", "amod", "nmod"):
                continue  # "the military action", "group leaders": the noun only modifies
            lefts = list(tok.lefts)
            det = next((c for c in lefts if c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE)), None)
            if det is None or any(c.dep_ == "nummod" or c.ent_type_ in ("ORDINAL", "CARDINAL") for c in lefts):
                continue
            # "Assad's brutal regime": a named owner is its own entity, the body follows it
            definite = det.lower_ in _DEFINITE
            first = det.i + 1 if definite else det.right_edge.i + 1
            start = tok.i
            while start > first and doc[start - 1].is_lower and doc[start - 1].pos_ in ("ADJ", "NOUN", "ADV"):
                start -= 1
            if start != first:
                continue  # a name between ("the Iraqi army"): the knowledge base's or a head word's
            kind = self._heads_one.get(tok.lower_, "government" if tok.lower_ == "regime" else "organisation")
            out.append(_Candidate(det.i if definite else start, tok.i + 1, "common", kind,
                                  f"{COMMON_BODY} {tok.text!r}"))
        return out

    def _collectives(self, doc: Doc) -> list[_Candidate]:
        """Phrases that name a collective of states ("the international community")."""
        out = []
        for phrase in self.words.collectives:
            words = phrase.split()
            for tok in doc:
                if tok.lower_ == words[0] and doc[tok.i : tok.i + len(words)].text.lower() == phrase:
                    out.append(_Candidate(tok.i, tok.i + len(words), "collective", "international",
                                          f"collective {phrase!r}"))
        return out

    def _short_forms(self, doc: Doc, found: list[_Candidate], blocked: set[int]) -> list[_Candidate]:
        """Later mentions of a found name without its head word ("Alsumaria News" ...
        "Alsumaria produces"), as a surname names a person again."""
        shorts: dict[str, str] = {}
        for cand in found:
            if cand.method not in ("head", "ner"):
                continue
            span = doc[cand.start : cand.end]
            rest = [t for t in span if (name_word(t.text) or t.text).lower() not in self._heads_one
                    and t.lower_ not in _CONNECTORS]
            if len(rest) == 1 and len(span) > 1 and rest[0].text[:1].isupper() and len(rest[0].text) > 3 \
                    and rest[0].ent_type_ not in ("NORP", "GPE", "LOC", "PERSON") and rest[0].is_alpha:
                shorts[rest[0].text] = span.text[: _end_char(span) - span.start_char]
        out = []
        used = {i for c in found for i in range(c.start, c.end)}
        for tok in doc:
            full = shorts.get(name_word(tok.text) or "")
            if full is None or tok.i in used or tok.i in blocked or tok.pos_ not in ("PROPN", "NOUN"):
                continue
            out.append(_Candidate(tok.i, tok.i + 1, "short", "organisation", f"short form of {full!r}", full))
        return out

    def _extend_left(self, doc: Doc, i: int) -> int:
        start = i
        while start > 0:
            prev = doc[start - 1]
            if prev.is_sent_end or prev.is_punct and prev.text not in ("-", "&") or prev.lower_ in ("the", "a", "an"):
                break
            if prev.text[:1].isupper() and prev.is_alpha or prev.text in ("-", "&") or _ACRONYM.match(prev.text):
                if prev.lower_ in self._titles and prev.text[:1].isupper() and start == i:
                    break  # "Minister Office"? a title is never part of a body's name
                start -= 1
                continue
            break
        while start < i and doc[start].text in ("-", "&"):
            start += 1
        return start

    def _extend_right(self, doc: Doc, end: int) -> int:
        j = end
        out = end
        while j < len(doc):
            tok = doc[j]
            if tok.lower_ in _CONNECTORS and j + 1 < len(doc):
                j += 1
                continue
            if (tok.lower_ in ("al", "el") and j + 2 < len(doc) and doc[j + 1].text == "-"
                    and doc[j + 2].text[:1].isupper()):
                j += 2  # "Jaish al-Ta'ifa al-Mansurah": the article of an Arabic name
                continue
            named = NAME_WORD.fullmatch(tok.text) or _ACRONYM.match(tok.text)
            if tok.text[:1].isupper() and named and not tok.is_sent_start:
                j += 1
                out = j
                continue
            if tok.text[:1].isupper() and glued(tok.text) and not tok.is_sent_start:
                return j + 1  # "the Syrian Electronic Army.[4]": the name ends at the mark
            break
        return out

    def _prefix(self, span: Span) -> bool:
        return any(span.text.startswith(p + " ") or span.text == p for p in self.words.international_prefixes)

    def _kind(self, span: Span) -> str | None:
        kind = None
        for k in range(len(span)):
            two = span[k : k + 2].text.lower()
            if two in self._heads_two:
                kind = self._heads_two[two]
            elif span[k].lower_ in self._heads_one:
                kind = self._heads_one[span[k].lower_]
        if self._prefix(span):
            return "international"
        return kind

    # 3. acronyms
    def _acronyms(self, doc: Doc) -> list[_Candidate]:
        out = []
        for tok in doc:
            if not _ACRONYM.match(tok.text) or tok.text in self.words.not_organisations:
                continue
            if tok.lower_ in self._titles or (tok.i > 0 and doc[tok.i - 1].like_num):
                continue  # "HE Dr Ibrahim" is a title; "10 MHZ" a unit
            if tok.ent_type_ in ("GPE", "LOC", "NORP", "PERSON", "DATE", "TIME", "CARDINAL", "MONEY"):
                continue
            if _shouting(doc, tok.i) or _only_carries(doc[tok.i : tok.i + 1]):
                continue
            out.append(_Candidate(tok.i, tok.i + 1, "acronym", "organisation", f"acronym {tok.text!r}"))
        return out

    # 4. entities, one id per name
    def _entities(self, doc: Doc, found: list[_Candidate]) -> list[Entity]:
        names: dict[str, tuple[str, str, str]] = {}  # text key -> (id, name, kind)
        out: list[Entity] = []
        for cand in found:
            span = doc[cand.start : cand.end]
            end = _end_char(span)
            text = span.text[: end - span.start_char]  # doc.text rebuilds the article
            key = (cand.full or text).lower()
            if key not in names and cand.full:
                names[key] = (f"org_{_slug(cand.full)}", cand.full, cand.kind)
            if key not in names:
                owner = _bracketed_after(doc, cand, out)
                if owner is not None:
                    names[key] = (owner.id or "", owner.name or "", owner.kind or cand.kind)
                else:
                    names[key] = (f"org_{_slug(text)}", text, cand.kind)
            oid, name, kind = names[key]
            if name == text or cand.method == "short":
                reason = cand.reason
            else:
                reason = f"{cand.reason}, the bracketed short form of {name!r}"
            out.append(Entity(
                text=text, start=span.start_char, end=end, label="ACTOR",
                id=oid, name=name, kind=kind,
                resolution=Resolution(method="unresolved", score=SCORE[cand.method],
                                      reason=f"{reason}; not in the knowledge base"),
            ))
        return out


def _end_char(span: Span) -> int:
    """Where a name ends in the text: before marks glued to its last word ("Army.[4]")."""
    last = span[-1]
    word = name_word(last.text)
    return last.idx + len(word) if word is not None and glued(last.text) else span.end_char


def _bracketed_after(doc: Doc, cand: _Candidate, before: list[Entity]) -> Entity | None:
    """The organisation an acronym in brackets follows: "Office of Foreign Assets Control (OFAC)"."""
    if cand.end - cand.start != 1 or cand.start < 2 or doc[cand.start - 1].text != "(":
        return None
    at = doc[cand.start - 2].idx + len(doc[cand.start - 2].text)
    return next((e for e in reversed(before) if e.end == at), None)


#: Verbs whose object only hears a statement ("told Reuters"); the phrase that credits a
#: source ("according to AFP"); an outlet that cannot verify: it carries the story
#: (ANNOTATION.md).
_CARRIER_VERBS = {"tell", "quote", "cite"}


#: Common nouns of military formations: numbered, they name a unit of a force, not a body.
_FORMATION_NOUNS = frozenset({"division", "brigade", "battalion", "regiment", "corps", "squadron",
                              "company", "platoon", "army", "fleet", "wing", "group"})


def _unit_of_possessor(span: Span) -> bool:
    """A formation whose force is named before it ("the Iraqi army's 20th Division",
    "Iraq's 9th Armoured Division"): the unit is part of the possessor's force, which
    the actor resolver names; as a body of its own it would stand in for that force."""
    words = [t for t in span if not (t.like_num or t.is_punct)]
    if not words or words[-1].lower_ not in _FORMATION_NOUNS:
        return False
    head = span.root
    return any(c.dep_ == "poss" for c in head.children) or (
        span.start > 0 and span.doc[span.start - 1].dep_ == "case")


def _only_carries(span: Span) -> bool:
    """True when a name without a head word is the outlet a statement was told to."""
    root = span.root
    if root.dep_ == "dobj" and root.head.lemma_ in _CARRIER_VERBS:
        return True
    if root.dep_ == "nsubj" and root.head.lemma_ in ("verify", "confirm") and any(
        c.dep_ == "neg" for c in root.head.children
    ):
        return True  # "Reuters could not independently verify the report"
    return root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lower_ == "according"


def _shouting(doc: Doc, i: int) -> bool:
    """True when the token sits among all-caps words (a shouted headline)."""
    around = [t for t in doc[max(0, i - 3) : i + 4] if t.i != i and t.is_alpha and len(t) > 1]
    return len(around) >= 2 and all(t.is_upper for t in around)


def _token_set(doc: Doc, entities: Sequence[Entity]) -> set[int]:
    out: set[int] = set()
    for e in entities:
        span = doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def settle_with_places(organisations: list[Entity], places: list[Entity]) -> tuple[list[Entity], list[Entity]]:
    """Resolve overlaps between unresolved organisations and places.

    An institution named on a head word keeps a place inside its name ("the Baghdad
    Operational Command"), and the place stays as a place named in a name (role
    "name": a toponym, never an event's place); any other candidate overlapping a place
    is the place. A place the resolver already marked as named in a name or as an actor
    takes nothing from an organisation.
    """
    kept_orgs: list[Entity] = []
    for org in organisations:
        over = [p for p in places if p.start < org.end and org.start < p.end and not p.role]
        if not over:
            kept_orgs.append(org)
            continue
        named = org.resolution is not None and org.resolution.reason.startswith("institution name")
        inside = all(org.start <= p.start and p.end <= org.end
                     and (p.end - p.start) < (org.end - org.start) for p in over)
        head = re.match(r"institution name on ['\"](.+?)['\"]", org.resolution.reason) \
            if named and org.resolution is not None else None
        if head is not None and any(head.group(1) in p.text.split() for p in over):
            # "Gwoza Local Government Area of Borno State": the head word the name was
            # taken on is a place's own kind word; the place is the place.
            continue
        if named and inside:
            kept_orgs.append(org)
            for p in over:
                p.role = "name"
    return kept_orgs, places
