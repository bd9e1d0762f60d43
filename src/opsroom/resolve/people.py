"""People named in an article, with their rank, role and organisation.

``extract_people`` reads one parsed ``Doc`` and the actor entities already found in it:

1. candidates: names after a rank or title ("Colonel Ryan Dillon", "President Bashar
   al-Assad") and the model's PERSON spans of two words or more ("Abu Ghadiya" is two:
   a kunya is a name, unless the text uses its last word as a place's); marks that
   scraping glued to a name ("al-Assad,[1]") stay out of it;
2. places the small model calls PERSON ("in Al Qaim", "the town of Abu Kamal") are
   dropped by their context words (``data/actors/patterns/people.json``);
3. rank, role and organisation come from the words before the name ("U.S. Army Colonel",
   "Syrian President") and from an apposition or "who is" clause after it
   (", spokesman for the coalition", ", the commander-in-chief of the SDF");
4. later mentions by surname ("Kobani said") link back to the same person id;
5. an office named without a name ("the Foreign Secretary", "Minister for the Middle
   East") is a mention of its holder: the person the article names with that role, else
   a person known only by the office (method "unresolved"); an office right before a
   name ("The Foreign Secretary, Boris Johnson,") is a mention of that person too;
6. a role phrase ("the Iraqi commander", "his spiritual adviser", "a spokesman") is a
   mention of the person it stands in apposition or as predicate to, else of a person
   known only by the role; "he was a commander" says what he was and is no mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token
from unidecode import unidecode

from ..models import Entity, Resolution
from .kb import ActorKB
from .normalise import alias_key, glued, name_word
from .organisations import organisation_words
from .patterns import KnownPerson, PeopleWords, known_people, people_words, reads_as_place

#: Words inside an Arabic name that are not capitalised ("Bashar al-Assad", "bin").
_INITIAL = re.compile(r"^(?:[A-Z]\.|Jr\.?|Sr\.?)$")
_JOINED_ARTICLE = re.compile(r"^(?:al|el)[A-Z][a-z]+$")
_NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "abd", "ad", "as", "ash", "-", "de"}
#: Particles that make a name with the word after them ("Abu Ghadiya", "Umm Hassan"): such
#: a name is two words, where "al-Assad" alone is one.
_KUNYA = {"abu", "umm", "ibn", "bin", "bint", "abd"}
#: Two first names are the same person's when their ratio reaches this; 80 joins the
#: corpus's "Jospeh"/"Joseph" Votel while "Donald"/"Ivanka" Trump stay apart (ratio 18).
_FIRST_NAME_RATIO = 80
# Scores by method, chosen by hand in order of evidence: a title before the name, the
# model's PERSON span, a bare surname that matches an earlier full name.
_SCORE = {"title": 0.9, "ner": 0.75, "surname": 0.8, "alias": 0.85, "office": 0.7, "unresolved": 0.6}


def _word(tok: Token) -> str | None:
    """The name word a token holds ("Qanbar(Arabic" -> "Qanbar"), or None."""
    return name_word(tok.text)


def _glued(tok: Token) -> bool:
    """True when the token is a name word with marks glued after it ("Qanbar(Arabic")."""
    return glued(tok.text)


def _end_char(span: Span) -> int:
    """Where the name of ``span`` ends in the text: before marks glued to its last word."""
    last = span[-1]
    return last.idx + len(_word(last) or last.text) if _glued(last) else span.end_char


def _text(span: Span) -> str:
    """The name as written, without marks glued to its last word.

    Cut from the span's own text: ``span.doc.text`` joins every token of the article
    anew on each call, which made people the slowest stage of analysis."""
    return span.text[: _end_char(span) - span.start_char]


@dataclass
class _Person:
    """One person of the article, as first named in full."""

    id: str
    name: str
    first: str
    surname: str
    rank: str | None = None
    role: str | None = None
    organisation: str | None = None
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)  # tok start, end, method, reason


@dataclass
class PeopleReading:
    """What ``extract_people`` reads off the text alone, whatever actors were found: the
    entity layer asks twice (before and after the organisations), and these parts,
    most of its cost, are the same both times."""

    candidates: list[tuple[Span, str, Span | None]]
    offices: list[tuple[Span, Span | None]]
    places: set[str]
    place_words: set[str]
    role_heads: list[Token]

    @classmethod
    def of(cls, doc: Doc) -> PeopleReading:
        words = people_words()
        found = list(_candidates(doc, _title_table(words), words.offices))
        offices = [(span, title) for span, method, title in found if method == "office"]
        candidates = [c for c in found if c[1] != "office"]
        # 2. a name the article also uses as a place ("the town of Albu Kamal" ... "Albu
        # Kamal was a target") is a place everywhere in it
        bounds = _token_bounds(doc)
        places = {span.text for span, method, _title in candidates
                  if method == "ner" and _used_as_place(span, words, bounds)}
        # and a kunya that ends as a place of the text ("Abu Kamal" beside "in Albu Kamal")
        # is that place spelt another way; "Mazloum Kobani" is a man whatever the town
        place_texts = [*places, *(e.text for e in doc.ents
                                  if e.label_ in ("GPE", "LOC", "FAC") or reads_as_place(e, words))]
        place_words = {w for text in place_texts for w in text.split()[-1:] if len(w) > 3}
        return cls(candidates, offices, places, place_words, _role_heads(doc, words))


def extract_people(doc: Doc, actor_entities: Sequence[Entity], kb: ActorKB | None = None,
                   reading: PeopleReading | None = None) -> list[Entity]:
    """PERSON entities of ``doc`` with rank, role and organisation where the text gives them.

    ``reading`` is ``PeopleReading.of(doc)``, passed by a caller that asks more than once.
    """
    kb = kb if kb is not None else ActorKB.load()
    words = people_words()
    actors = _ActorIndex(doc, actor_entities)
    people: list[_Person] = []
    taken: set[int] = set()
    reading = reading if reading is not None else PeopleReading.of(doc)
    candidates, offices = reading.candidates, reading.offices
    places, place_words = reading.places, reading.place_words

    # 1. candidates, in text order
    for span, method, title_span in candidates:
        if method == "ner" and len(span) > 1 and span[0].lower_ in words.place_cues:
            span = span[1:]  # "Near Ar Raqqah, …": the model took the cue into the name
        if any(i in taken for i in range(span.start, span.end)):
            continue
        if any(actors.at(t) for t in span) or reads_as_place(span, words):
            continue
        if method == "ner" and (span.text in places or (
                title_span is None and span[0].lower_ in _KUNYA and _word(span[-1]) in place_words)):
            continue
        if method == "ner" and (head := _gloss_head(span)) is not None and head not in taken:
            continue  # "Hamrin Mountains (Arabic: … Jabāl Hamrīn)": another spelling of no person
        if method == "ner" and len(span) > 1 and (span[-1].lower_ in organisation_words().heads
                                                  or span[0].lower_ in organisation_words().heads):
            continue  # "Monotheism Supporters Brigades", "Jaish al-Mahdi": a body's name, not a person's
        name_tokens = [t for t in span if t.text != "-"]
        if not any(_word(t) for t in span):
            continue  # a span of initials or symbols ("Ð.") names no one we can link
        if not name_tokens or not all(
            t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES or t.text == "-" for t in span
        ):
            continue
        if any(_glued(t) for t in span[:-1]):
            continue  # "Abu Haidar,[1] is": marks inside the span, the model ran past the name
        single = len([t for t in span if _word(t) and (t.lower_ not in _NAME_PARTICLES or t.lower_ in _KUNYA)
                      ]) == 1
        person = _known(people, span)
        known = _known_person(span)
        if person is None and single and method == "ner" and known is None:
            continue  # a lone capitalised word the model calls PERSON: too weak alone
        if person is None and known is not None:
            person = next((p for p in people if p.id == known.id), None)
        if person is not None and single and method == "ner":
            method = "surname"
        if person is None:
            person = _new_person(span, known, kb)
            people.append(person)
        _describe(person, span, title_span, doc, actors, kb, words)
        if method == "surname":
            reason = f"surname of {person.name!r}"
        elif title_span is not None:
            reason = f"name after {title_span.text!r}"
        else:
            reason = "model PERSON span"
        person.spans.append((span.start, span.end, method, reason))
        taken.update(range(span.start, span.end))
        if title_span is not None and method == "title" and _is_office(title_span, words):
            # "The Foreign Secretary, Boris Johnson,": the office names the same person
            person.spans.append((title_span.start, title_span.end, "office",
                                 f"office {title_span.text!r} of {person.name!r}, named with it"))
            taken.update(range(title_span.start, title_span.end))

    # 3b. names of shipped people the model missed ("Asad", "Maliki")
    index = _known_index()
    for tok in doc:
        if tok.i in taken or not tok.text[:1].isupper() or tok.lower_ in ("the", "a", "an"):
            continue
        for n in (3, 2, 1):
            span = doc[tok.i : tok.i + n]
            known = index.get(alias_key(span.text)) if len(span) == n else None
            if known is None or any(i in taken for i in range(span.start, span.end)):
                continue
            # "the Asad regime" names the regime and, inside it, the man who leads it
            inside = actors.first_in(list(span))
            if (inside is not None and inside.id != known.organisation) or reads_as_place(span, words):
                break
            person = next((p for p in people if p.id == known.id), None)
            if person is None:
                person = _new_person(span, known, kb)
                people.append(person)
            person.spans.append((span.start, span.end, "alias", f"name of {known.name!r} (shipped list)"))
            taken.update(range(span.start, span.end))
            break

    # 4. later mentions by surname
    by_surname = {p.surname: p for p in people if len(p.surname) > 2 and p.surname not in places}
    for tok in doc:
        person = by_surname.get(_word(tok) or "")
        if person is None or tok.i in taken or actors.at(tok) or tok.pos_ != "PROPN":
            continue
        if reads_as_place(doc[tok.i : tok.i + 1], words):
            continue
        start = tok.i
        if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in ("al", "el"):
            start -= 2
        person.spans.append((start, tok.i + 1, "surname", f"surname of {person.name!r}"))
        taken.update(range(start, tok.i + 1))

    # 5. offices named without a name: their holder in the article, if one is named
    for span, _title in offices:
        if any(i in taken for i in range(span.start, span.end)) or any(actors.at(t) for t in span):
            continue
        holder = _office_person(span, people, doc, actors, kb, words)
        if holder not in people:
            people.append(holder)
        taken.update(range(span.start, span.end))

    # 6. people named by their role ("the Iraqi commander", "his spiritual adviser"): the
    # named person the phrase stands in apposition or as predicate to, else one known
    # only by the role
    owner = {i: p for p in people for start, end, _m, _r in p.spans for i in range(start, end)}
    for role_head in reading.role_heads:
        span = _role_span(role_head)
        if any(i in taken for i in range(span.start, span.end)) or actors.at(role_head):
            continue
        role = " ".join(t.text for t in span if t.i == role_head.i or t.dep_ not in ("det", "poss", "nummod"))
        owners = [t for c in role_head.children if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("of", "for"))
                  for t in c.subtree]
        found = actors.first_in(sorted([*span, *owners], key=lambda t: t.i))
        organisation = found.name if found is not None else None
        partner = _role_partner(role_head, owner)
        if partner is not None:
            partner.role = partner.role or role
            partner.organisation = partner.organisation or organisation
            partner.spans.append((span.start, span.end, "office", f"role {span.text!r} of {partner.name!r}"))
        else:
            slug = _slug(f"{organisation or ''} {role}")
            partner = next((p for p in people if p.id == f"role_{slug}"), None)
            if partner is None:
                partner = _Person(id=f"role_{slug}", name=span.text, first="", surname="", role=role,
                                  organisation=organisation)
                people.append(partner)
            partner.spans.append((span.start, span.end, "unresolved", f"role {role!r}, person not named"))
        taken.update(range(span.start, span.end))

    out: list[Entity] = []
    for person in people:
        for start, end, method, reason in person.spans:
            span = doc[start:end]
            out.append(
                Entity(
                    text=_text(span),
                    start=span.start_char,
                    end=_end_char(span),
                    label="PERSON",
                    id=person.id,
                    name=person.name,
                    resolution=Resolution(method=method, score=_SCORE[method], reason=reason),
                    role=person.role,
                    organisation=person.organisation,
                    rank=person.rank,
                )
            )
    return sorted(out, key=lambda e: e.start)


# -- candidates -------------------------------------------------------------------------


def _title_table(words: PeopleWords) -> frozenset[str]:
    """Every rank and title as written ("Lt. Gen.", "Prime Minister")."""
    return frozenset(words.ranks) | frozenset(words.titles)


#: Longest rank or title in tokens: "Lt. Gen." is four tokens ("Lt", ".", "Gen", ".").
_TITLE_TOKENS = 5


@lru_cache(maxsize=8)
def _title_prefixes(titles: frozenset[str]) -> frozenset[str]:
    """Every leading part of every title ("L", "Lt", "Lt.", "Lt. G", …)."""
    return frozenset(t[:k] for t in titles for k in range(1, len(t) + 1))


def _title_at(doc: Doc, i: int, titles: frozenset[str]) -> int:
    """Length in tokens of the longest title starting at token ``i`` (0 if none).

    Titles are compared as text, so "Col." matches however the tokenizer split it.
    """
    if i >= len(doc) or doc[i].text not in _title_prefixes(titles):
        return 0  # most tokens start no title: skip building five spans to find out
    for n in range(min(_TITLE_TOKENS, len(doc) - i), 0, -1):
        span = doc[i : i + n]
        if span.text in titles and span[-1].text[:1].isupper() | (span[-1].text == "."):
            return n
    return 0


def _name_after(doc: Doc, i: int) -> int:
    """End of a personal name starting at token ``i`` (``i`` if none)."""
    j = i
    while j < len(doc):
        tok = doc[j]
        nxt = doc[j + 1 : j + 3]
        if (
            tok.lower_ in _NAME_PARTICLES
            and len(nxt)
            and (nxt[0].text[:1].isupper() or (nxt[0].text == "-" and nxt[1:].text[:1].isupper()))
        ):
            j += 1
            continue
        if j > i and _INITIAL.match(tok.text):
            j += 1  # "Andrew A. Croft", "Joseph F. Dunford Jr."
            continue
        if tok.text == "-" and j > i and not doc[j - 1].whitespace_ and doc[j + 1 : j + 2].text[:1].isupper():
            j += 1
            continue
        if tok.pos_ == "PROPN" and tok.text[:1].isupper() and _word(tok) == tok.text:
            j += 1
            continue
        if j > i and tok.text[:1].isupper() and _glued(tok):
            j += 1  # "Bashar al-Assad,[1] who": the name ends at the glued mark
            break
        if j > i and _JOINED_ARTICLE.match(tok.text):
            j += 1  # "Bashar alAssad": scraped text drops the hyphen of al-
            continue
        break
    return j


def _candidates(doc: Doc, titles: frozenset[str],
                offices: frozenset[str] = frozenset()) -> list[tuple[Span, str, Span | None]]:
    """``(name span, method, title span or None)`` in text order.

    An office named without a name ("the Foreign Secretary", "Minister for the Middle
    East") comes as ``(office span, "office", None)``.
    """
    found: list[tuple[Span, str, Span | None]] = []
    covered: set[int] = set()
    i = 0
    while i < len(doc):
        n = _title_at(doc, i, titles)
        if n:
            # titles chain: "Brigadier General", "Marine General", "U.S. Army Colonel"
            while (m := _title_at(doc, i + n, titles)) > 0:
                n += m
            title_end = i + n
            office = doc[i:title_end].text in offices
            if office and title_end < len(doc) and doc[title_end].lower_ in ("for", "of"):
                # "Minister for the Middle East Tobias Ellwood", "Secretary of State John Kerry"
                title_end = _office_object_end(doc, title_end)
            end = _name_after(doc, title_end)
            if end > title_end and doc[end - 1].text != "-":
                found.append((doc[title_end:end], "title", doc[i:title_end]))
                covered.update(range(i, end))
                i = end
                continue
            # "Foreign Office Minister, Tobias Ellwood, said"
            if title_end + 1 < len(doc) and doc[title_end].text == ",":
                first = title_end + 1
                while (m := _title_at(doc, first, titles)) > 0:
                    first += m  # "the Minister of Foreign Affairs, HE Dr Ibrahim Al-Ja’afari,"
                end = _name_after(doc, first)
                if end - first > 1 and (end == len(doc) or doc[end].is_punct or _glued(doc[end - 1])):
                    found.append((doc[first:end], "title", doc[i:title_end]))
                    covered.update(range(i, end))
                    i = end
                    continue
            if office:
                found.append((doc[i:title_end], "office", None))
                covered.update(range(i, title_end))
                i = title_end
                continue
        i += 1
    for ent in doc.ents:
        if ent.label_ != "PERSON" or any(t.i in covered for t in ent):
            continue
        start = ent.start
        while start < ent.end and _title_at(doc, start, titles):
            start += _title_at(doc, start, titles)
        if start < ent.end:
            found.append((doc[start : ent.end], "ner", doc[ent.start : start] if start > ent.start else None))
    return sorted(found, key=lambda item: item[0].start)


def _is_office(title_span: Span, words: PeopleWords) -> bool:
    """True when a title before a name is an office ("Foreign Secretary", "Minister for
    the Middle East", "Foreign Office Minister"): re3d-style texts and readers take the
    office alone as a mention of its holder, where a rank or "Dr" is only part of a name."""
    tokens = list(title_span)
    for k, tok in enumerate(tokens):
        if tok.lower_ in ("for", "of") and k:
            tokens = tokens[:k]  # "Minister for the Middle East": the office before its object
            break
    return any(title_span.doc[tokens[k].i : tokens[-1].i + 1].text in words.offices for k in range(len(tokens)))


def _office_object_end(doc: Doc, k: int) -> int:
    """End of the office's object after "for"/"of" at ``k``, before any name that follows.

    The object is a run of capitalised words ("the Middle East", "Foreign Affairs of
    Iraq"); when its last part holds three or more of them, the last two (or the model's
    PERSON span ending there) are the holder's name ("the Middle East Tobias Ellwood").
    """
    j = k + 1
    last_part = j
    while j < len(doc):
        tok = doc[j]
        if tok.lower_ in ("the", "of", "and", "for") and j + 1 < len(doc) and doc[j + 1].text[:1].isupper():
            j += 1
            last_part = j
            continue
        if tok.text[:1].isupper() and tok.is_alpha:
            j += 1
            continue
        break
    if j == k + 1 or doc[j - 1].lower_ in ("the", "of", "and", "for"):
        return k  # no object: the title ends before "for"
    person = next((e for e in doc.ents if e.label_ == "PERSON" and e.end == j and last_part < e.start), None)
    if person is not None:
        return person.start
    if j - last_part >= 3:
        return j - 2
    return j


def _office_person(span: Span, people: list[_Person], doc: Doc, actors: _ActorIndex,
                   kb: ActorKB, words: PeopleWords) -> _Person:
    """The person an office mention stands for: the one named in the article holding it,
    else a person known only by the office."""
    probe = _Person(id="", name="", first="", surname="")
    _describe(probe, span, span, doc, actors, kb, words)
    role = span.text if any(t.lower_ in ("for", "of") for t in span) else (probe.role or span.text)
    for person in people:
        if person.role and person.role.lower() == role.lower() and person.id.startswith("person_") and (
            probe.organisation is None or person.organisation in (None, probe.organisation)
        ):
            person.spans.append((span.start, span.end, "office", f"office of {person.name!r}"))
            return person
    slug = _slug(f"{probe.organisation or ''} {role}")
    for person in people:
        if person.id == f"office_{slug}":
            person.spans.append((span.start, span.end, "unresolved", f"office {role!r}, holder not named"))
            return person
    holder = _Person(id=f"office_{slug}", name=span.text, first="", surname="", rank=probe.rank,
                     role=role, organisation=probe.organisation)
    holder.spans.append((span.start, span.end, "unresolved", f"office {role!r}, holder not named"))
    return holder


#: Words that make a singular role noun a definite mention of one person ("the
#: commander", "his adviser", "a spokesman"); "every leader" or "no official" is none.
_ROLE_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "one"}
#: Role words that also name things ("shot in the head", "in general"): a person only
#: with an "of" after them ("the head of the council").
_ROLE_NEEDS_OF = {"head", "general", "chief", "deputy"}


def _role_heads(doc: Doc, words: PeopleWords) -> list[Token]:
    """Singular role nouns heading a noun phrase with a determiner or an owner."""
    out = []
    for tok in doc:
        if tok.tag_ not in ("NN", "NNP") or tok.lower_ not in words.roles or tok.dep_ in ("compound", "amod"):
            continue
        children = list(tok.children)
        if not any(c.i < tok.i and (c.dep_ == "poss" or (c.dep_ in ("det", "nummod") and c.lower_ in _ROLE_DETERMINERS))
                   for c in children):
            continue
        if tok.lower_ in _ROLE_NEEDS_OF and not any(c.dep_ == "prep" and c.lower_ == "of" for c in children):
            continue
        if tok.dep_ in ("attr", "oprd") and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in children):
            continue  # "Qanbar was a commander in the navy": what he was, no mention of someone
        out.append(tok)
    return out


def _role_span(head: Token) -> Span:
    """The role phrase up to its head: "the lead Syrian commander", "his Chief".

    It runs left over the words that modify the head and stops at a name ("a senior
    Interior Ministry official" gives "official"): the name is an organisation's own.
    """
    doc = head.doc
    start = head.i
    while start > 0:
        prev = doc[start - 1]
        if prev.head.i != head.i and not (prev.head.i >= start - 1 and prev.head.i <= head.i):
            break
        if prev.dep_ in ("det", "nummod") or (prev.dep_ == "poss" and prev.pos_ == "PRON"):
            start -= 1  # "the", "one", "his"; a named owner ("the group's") stays its own
            break
        if prev.pos_ in ("ADJ", "ADV") or (prev.pos_ == "NOUN" and prev.is_lower) or prev.text == "-":
            start -= 1
            continue
        break
    return doc[start : head.i + 1]


def _role_partner(head: Token, owner: dict[int, _Person]) -> _Person | None:
    """The named person a role phrase describes: in apposition ("A local physician, Zahid
    Rawi"), as predicate ("his Chief of Plans is Colonel Abd Alamir"), or as what a
    person was made ("appointed Abu Ghadiya the lead commander", "named X as envoy")."""
    if head.dep_ == "appos" and head.head.i in owner:
        return owner[head.head.i]
    for child in head.children:
        if child.dep_ == "appos" and child.i in owner:
            return owner[child.i]
    verb = head.head
    if head.dep_ in ("nsubj", "attr") and verb.lemma_ == "be":
        other = "attr" if head.dep_ == "nsubj" else "nsubj"
        return next((owner[c.i] for c in verb.children if c.dep_ == other and c.i in owner), None)
    if head.dep_ == "pobj" and verb.lower_ == "as":
        verb = verb.head
    elif head.dep_ not in ("oprd", "dobj"):
        return None
    return next((owner[c.i] for c in verb.children
                 if c.dep_ in ("dobj", "nsubjpass") and c.i != head.i and c.i in owner), None)


#: Languages that open a gloss of a name ("Hamrin Mountains (Arabic: جبل حمرين Jabāl Hamrīn)").
_GLOSS_LANGUAGES = {"arabic", "kurdish", "persian", "farsi", "turkish", "syriac", "aramaic", "hebrew",
                    "russian", "french", "pashto", "urdu", "turkmen"}


def _gloss_head(span: Span) -> int | None:
    """The token before the bracket when ``span`` stands in a gloss ("(Arabic: …)"), else None.

    A gloss spells the name before it in another language: a person only when that name is.
    """
    doc = span.doc
    for k in range(span.start - 1, max(-1, span.start - 16), -1):
        tok = doc[k]
        if tok.text == ")":
            return None
        if tok.text == "(":
            opened = k + 2 < span.start and doc[k + 1].lower_ in _GLOSS_LANGUAGES and doc[k + 2].text == ":"
            return k - 1 if opened and k > 0 else None
    return None


_Bounds = tuple[str, dict[int, int], dict[int, int]]


def _token_bounds(doc: Doc) -> _Bounds:
    """The doc's text, where each token starts (character → index) and ends (→ index + 1).

    ``Doc.text`` joins every token anew and ``Doc.char_span`` scans the doc on each call;
    a long article asks hundreds of times, so both are read once.
    """
    from spacy.attrs import IDX, LENGTH

    cols = doc.to_array([IDX, LENGTH])  # no Token objects made: this runs on every article
    starts = cols[:, 0].tolist()
    ends = (cols[:, 0] + cols[:, 1]).tolist()
    return (doc.text, dict(zip(starts, range(len(doc)), strict=True)),
            dict(zip(ends, range(1, len(doc) + 1), strict=True)))


def _used_as_place(span: Span, words: PeopleWords, bounds: _Bounds | None = None) -> bool:
    """True when any occurrence of the span's text in the doc reads as a place."""
    doc = span.doc
    text, starts, ends = bounds or _token_bounds(doc)
    start = text.find(span.text)
    while start >= 0:
        first, last = starts.get(start), ends.get(start + len(span.text))
        if first is not None and last is not None and reads_as_place(doc[first:last], words):
            return True
        start = text.find(span.text, start + 1)
    return False


# -- people -----------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", unidecode(text).lower()).strip("_")


def _new_person(span: Span, known: KnownPerson | None = None, kb: ActorKB | None = None) -> _Person:
    parts = [w for t in span if (w := _word(t))]
    surname = parts[-1]
    if known is not None:
        # a person of the shipped list: its id and full name, and the role it is known by
        org_id = known.organisation
        organisation = kb.get(org_id).name if kb is not None and org_id and org_id in kb else None
        return _Person(id=known.id, name=known.name, first=parts[0], surname=surname,
                       role=known.role, organisation=organisation)
    return _Person(id=f"person_{_slug(_text(span))}", name=_text(span), first=parts[0], surname=surname)


def _known_person(span: Span) -> KnownPerson | None:
    """The shipped person a name stands for ("Assad", "Haider al-Abadi"), if any."""
    return _known_index().get(alias_key(_text(span)))


@lru_cache(maxsize=1)
def _known_index() -> dict[str, KnownPerson]:
    return {alias_key(a): p for p in known_people() for a in (p.name, *p.aliases)}


def _known(people: list[_Person], span: Span) -> _Person | None:
    """The person already met whom this span names again, if any."""
    parts = [w for t in span if (w := _word(t))]
    if not parts:
        return None
    for person in people:
        if person.surname != parts[-1]:
            continue
        if len(parts) == 1 or person.first == person.surname:
            return person
        if fuzz.ratio(parts[0], person.first) >= _FIRST_NAME_RATIO:
            return person
    return None


class _ActorIndex:
    """Actor entities by token."""

    def __init__(self, doc: Doc, entities: Sequence[Entity]) -> None:
        self.by_token: dict[int, Entity] = {}
        for ent in entities:
            span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
            if span is not None and ent.label == "ACTOR":
                for i in range(span.start, span.end):
                    self.by_token[i] = ent

    def at(self, tok: Token) -> Entity | None:
        """The actor entity covering ``tok``, or None."""
        return self.by_token.get(tok.i)

    def first_in(self, tokens: Sequence[Token]) -> Entity | None:
        """The first actor among ``tokens``, in their order: the organisation a title or an
        apposition names ("U.S. Army Colonel", "a spokesman for the coalition")."""
        return next((e for t in tokens if (e := self.at(t)) is not None), None)


def _describe(
    person: _Person,
    span: Span,
    title_span: Span | None,
    doc: Doc,
    actors: _ActorIndex,
    kb: ActorKB,
    words: PeopleWords,
) -> None:
    """Fill rank, role and organisation from the title before and the apposition after."""
    rank = role = organisation = None
    if title_span is not None:
        ranks = {r for r in words.ranks}
        text = title_span.text
        found_rank = next((r for r in sorted(ranks, key=len, reverse=True) if text.endswith(r)), None)
        if found_rank:
            rank = words.abbreviations.get(found_rank, found_rank)
        # "Spokesman Colonel Ryan Dillon": a civil title may stand before the rank
        role = next(
            (
                t
                for t in sorted(words.titles, key=len, reverse=True)
                if re.search(rf"(?:^|\s){re.escape(t)}(?:\s|$)", text.removesuffix(found_rank or "").strip())
            ),
            None,
        )
        role = words.abbreviations.get(role, role) if role else None
        if any(t.lower_ in ("for", "of") for t in title_span) and text in words.offices | {text}:
            # an office with its object: "Minister for the Middle East"
            role = text.removeprefix("the ").removeprefix("The ")
        if role in words.honorifics:
            role = None
        # "U.S. Army Colonel", "Syrian President": what stands before the title
        before = doc[max(0, title_span.start - 4) : title_span.end]
        ent = actors.first_in(list(before))
        if ent is not None and _ends_at(doc, ent, title_span):
            organisation = ent.name
        elif title_span.start > 0 or len(title_span) > 1:
            for tok in (doc[title_span.start - 1] if title_span.start > 0 else None, title_span[0]):
                if tok is None:
                    continue
                country = kb.country_of_term(tok.text)
                gov = kb.government_of(country) if country else None
                if gov is not None:
                    organisation = gov.name
                    break
    # "Hezbollah leader Sayyed Hassan Nasrallah": a role word (and its actor) before
    first = title_span.start if title_span is not None else span.start
    if first > 0 and doc[first - 1].lower_ in words.roles and doc[first - 1].is_lower:
        role = doc[first - 1].text
        if first > 1 and (ent := actors.at(doc[first - 2])) is not None:
            organisation = ent.name
    described = _apposition(span, actors, words)
    if described is not None:
        role = described[0] or role
        organisation = described[1] or organisation
    person.rank = person.rank or rank
    person.role = person.role or role
    person.organisation = person.organisation or organisation


def _ends_at(doc: Doc, ent: Entity, title_span: Span) -> bool:
    """True when the actor entity stands right before (or inside) the title."""
    return ent.end <= title_span.end_char and ent.end >= doc[max(0, title_span.start - 1)].idx


def _apposition(span: Span, actors: _ActorIndex, words: PeopleWords) -> tuple[str | None, str | None] | None:
    """``(role, organisation)`` from ", spokesman for the coalition" or ", who is …"."""
    root = span.root
    heads: list[Token] = [c for c in root.children if c.dep_ == "appos" and c.i >= span.end]
    for child in root.children:
        if child.dep_ == "relcl" and child.lemma_ == "be":
            heads.extend(c for c in child.children if c.dep_ == "attr")
    prep = next(
        (c for c in root.children if c.dep_ == "prep" and c.lower_ in ("of", "from") and c.i >= span.end),
        None,
    )
    for head in heads:
        tokens = sorted(head.subtree, key=lambda t: t.i)
        organisation = actors.first_in(tokens)
        role = _role_text(head, tokens, actors, words)
        if role or organisation:
            return role, organisation.name if organisation else None
    if prep is not None:
        organisation = actors.first_in(sorted(prep.subtree, key=lambda t: t.i))
        if organisation is not None:
            return None, organisation.name
    return None


def _role_text(head: Token, tokens: list[Token], actors: _ActorIndex, words: PeopleWords) -> str | None:
    """The role words of an apposition: its noun phrase up to "of"/"for", without the
    article and the organisation ("a U.S. Central Command spokesman" -> "spokesman")."""
    kept: list[Token] = []
    for tok in tokens:
        if tok.i > head.i and tok.dep_ == "prep" and tok.lower_ in ("of", "for", "at", "with", "in", "from"):
            if not (tok.i > 0 and tok.doc[tok.i - 1].text == "-"):
                break
        if tok.dep_ in ("det", "poss", "case", "punct") and tok.text != "-":
            continue
        if actors.at(tok) is not None:
            continue
        kept.append(tok)
    while kept and kept[0].text == "-":
        kept.pop(0)
    if not kept:
        return None
    text = "".join(t.text_with_ws for t in kept).strip()
    last = text.split()[-1].lower() if text.split() else ""
    if last in words.roles or text.lower() in words.roles or head.lower_ in words.roles:
        return text
    return None
