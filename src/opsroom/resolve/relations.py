"""Relations between actors that the text states: who backs, is allied with or part of whom.

Three forms cover what reporting writes (word lists in ``data/actors/patterns/relations.json``):

1. a compound adjective before the backed actor: "U.S.-backed Syrian Democratic Forces",
   "Iranbacked Lebanese militia Hezbollah", or in apposition: "the SDF, a U.S.-backed
   alliance";
2. a verb with its other party after "by" or "with": "Syrian troops backed by Russia",
   "The Assad regime, which is supported heavily by Iran", "groups aligned with Iran";
   or active: "Turkey, which is backing rebels";
3. "part of": "troops that are part of a coalition".

A backer named by its country ("Iranian-backed") resolves to that country's government.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Token

from ..models import Entity, Relation
from .kb import ActorKB
from .patterns import relation_words

#: Tokens after a compound backer word in which the backed actor must start:
#: "U.S.-backed [Syrian Democratic Forces]", "Russian-backed [Syrian regime forces]",
#: "Iranbacked [Lebanese militia Hezbollah]" (3 words in between at most in the corpus).
_SUBJECT_WINDOW = 4


class _Index:
    """Which actor entity covers which token of the doc."""

    def __init__(self, doc: Doc, entities: list[Entity]) -> None:
        self.by_token: dict[int, Entity] = {}
        for ent in entities:
            span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
            if span is None or ent.label != "ACTOR":
                continue
            for i in range(span.start, span.end):
                self.by_token[i] = ent

    def at(self, tok: Token) -> Entity | None:
        return self.by_token.get(tok.i)


def extract_relations(doc: Doc, entities: list[Entity], kb: ActorKB, article_id: str | None = None) -> list[Relation]:
    """Relations stated in ``doc`` between the actor ``entities`` found in it."""
    index = _Index(doc, entities)
    words = relation_words()
    compound = {w: "backed_by" for w in words.backed_by["compound"]}
    compound.update({w: "allied_with" for w in words.allied_with["compound"]})
    joined = re.compile(r"^(?P<backer>[a-z.]{2,}?)-?(?P<word>" + "|".join(compound) + r")$")
    found: dict[tuple[str, str, str, int], Relation] = {}

    def add(subject: str | None, predicate: str, obj: str | None, tok: Token) -> None:
        if not subject or not obj or subject == obj:
            return
        sent = tok.sent
        found.setdefault(
            (subject, predicate, obj, sent.start_char),
            Relation(
                subject=subject,
                predicate=predicate,  # type: ignore[arg-type]
                object=obj,
                sentence=sent.text,
                start=sent.start_char,
                end=sent.end_char,
                article_id=article_id,
            ),
        )

    def actor_id(tok: Token, exclude: Entity | None = None) -> str | None:
        """The actor a token names: its entity, else a country term's government."""
        ent = index.at(tok)
        if ent is not None and ent is not exclude:
            return ent.id
        return _term_actor(kb, tok.text)

    def subject_after(tok: Token) -> Entity | None:
        covering = index.at(tok)
        if covering is not None:
            return covering
        for nxt in tok.doc[tok.i + 1 : tok.i + 1 + _SUBJECT_WINDOW]:
            if nxt.is_punct or nxt.sent != tok.sent:
                break
            if (ent := index.at(nxt)) is not None:
                return ent
        head = tok.head
        if head.dep_ == "appos":
            return index.at(head.head)
        return None

    for tok in doc:
        # 1. "U.S.-backed X", "Iranbacked X", "the SDF, a U.S.-backed alliance"
        backer_tok: Token | None = None
        backer_text = None
        predicate = compound.get(tok.lower_)
        if predicate and tok.i >= 2 and doc[tok.i - 1].text in ("-", "–"):
            if not doc[tok.i - 2].whitespace_:
                backer_tok = doc[tok.i - 2]
                backer_text = backer_tok.text
        elif (m := joined.match(tok.lower_)) is not None:
            predicate = compound[m.group("word")]
            backer_text = tok.text[: len(m.group("backer"))]
        if backer_text is not None and predicate:
            subject = subject_after(tok)
            if subject is not None:
                if backer_tok is not None:
                    backer = actor_id(backer_tok, exclude=subject)
                else:
                    backer = _term_actor(kb, backer_text)
                add(subject.id, predicate, backer, tok)
            continue
        # 2. "X backed by Y", "X, which is supported by Y", "X aligned with Y"
        if tok.pos_ == "VERB" and tok.lemma_ in words.backed_by["verbs"]:
            _verb_relation(tok, "backed_by", "agent", index, actor_id, add)
        elif tok.lower_ in words.allied_with["compound"] or (
            tok.pos_ == "VERB" and tok.lemma_ in words.allied_with["verbs"]
        ):
            _verb_relation(tok, "allied_with", "prep", index, actor_id, add)
        # 3. "X is part of Y"
        elif tok.lemma_ in words.part_of["nouns"] and tok.pos_ == "NOUN":
            obj = _pobj(tok, "prep", "of")
            subject = _clause_subject(tok, index)
            if obj is not None and subject is not None:
                add(subject.id, "part_of", actor_id(obj, exclude=subject), tok)
    return list(found.values())


def _term_actor(kb: ActorKB, text: str) -> str | None:
    """The actor a bare backer word names: a country's government, else a name."""
    country = kb.country_of_term(text)
    government = kb.government_of(country) if country else None
    if government is not None:
        return government.id
    hit = kb.lookup(text)
    return hit[0].id if hit else None


def _pobj(tok: Token, dep: str, word: str | None = None) -> Token | None:
    for child in tok.children:
        if child.dep_ == dep and (word is None or child.lower_ == word):
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _before_comma(tok: Token, index: _Index) -> Entity | None:
    """The actor just before ", backed by": "the SDF, backed by the US-led coalition"."""
    i = tok.i - 1
    if i < 1 or tok.doc[i].text != ",":
        return None
    i -= 1
    if tok.doc[i].text == ")" and i > 0:
        i -= 1
    return index.at(tok.doc[i])


def _is_backed_itself(tok: Token) -> bool:
    """True when a noun has its own backing clause ("forces supported by the US")."""
    verbs = relation_words().backed_by["verbs"]
    return any(c.dep_ in ("acl", "relcl") and c.lemma_ in verbs for c in tok.children)


def _clause_subject(tok: Token, index: _Index) -> Entity | None:
    """The actor a verb or predicate noun says something about."""
    head = tok
    if head.dep_ in ("attr", "acomp", "dobj"):
        head = head.head
    if head.dep_ in ("acl", "relcl", "amod"):
        noun = head.head
        found = index.at(noun)
        if found is None and noun.dep_ == "conj":
            found = index.at(noun.head)  # "the Syrian army and its allies, supported by"
        return found
    for child in head.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.lower_ in ("which", "who", "that") and head.dep_ == "relcl":
                return index.at(head.head)
            return index.at(child)
    return None


def _verb_relation(
    tok: Token,
    predicate: str,
    dep: str,
    index: _Index,
    actor_id: Callable[..., str | None],
    add: Callable[[str | None, str, str | None, Token], None],
) -> None:
    """A verb relation: the other party follows "by" (backing) or "with" (alliance)."""
    obj = _pobj(tok, dep, "with" if dep == "prep" else None)
    subject = _clause_subject(tok, index) or _before_comma(tok, index)
    if obj is not None:
        if subject is None:
            return
        for other in (obj, *obj.conjuncts):
            if _is_backed_itself(other):
                # "troops backed by Russia and Kurdish-led forces supported by the US": a
                # misparse puts the second backed actor under "by"; look at its modifiers
                for mod in other.children:
                    if mod.dep_ in ("nmod", "compound") and actor_id(mod) is not None:
                        add(subject.id, predicate, actor_id(mod, exclude=subject), tok)
                continue
            add(subject.id, predicate, actor_id(other, exclude=subject), tok)
        return
    if predicate != "backed_by" or any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
        return
    # active: "Turkey, which is backing rebels": the object is backed by the subject
    backed = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if backed is not None and subject is not None and (ent := index.at(backed)) is not None:
        add(ent.id, "backed_by", subject.id, tok)
