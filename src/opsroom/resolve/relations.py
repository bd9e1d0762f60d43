"""Relations between actors that the text states as fact: who backs, is allied with or part of whom.

Three forms cover what reporting writes (word lists in ``data/actors/patterns/relations.json``):

1. a compound adjective on the backed actor's noun phrase: "U.S.-backed Syrian Democratic
   Forces", "Iranbacked Lebanese militia Hezbollah", or on a noun in apposition with it:
   "the SDF, a U.S.-backed alliance".  The compound belongs to the noun it modifies, so
   the actor must stand between it and that noun.  On an undertaking ("a U.S.-backed
   campaign to isolate Islamic State's capital") it names the backer of whoever carries
   the undertaking out ("the SDF's U.S.-backed offensive", "a U.S.-backed offensive by
   the SDF"), or of nobody: an actor named later in the phrase is the target;
2. a verb with its other party after "by" or "with": "Syrian troops backed by Russia",
   "The Assad regime, which is supported heavily by Iran", "groups aligned with Iran";
   or active, in a finite clause with its own subject: "Turkey, which is backing
   rebels", "The coalition has supported the Iraqi military" (not a participle: "troops
   supporting the SDF" is often a plan or a possibility);
3. "part of" and its kin: "troops that are part of a coalition", "Kataib Hezbollah, a
   member of the PMF", "the UK, as part of the Global Coalition, ...".
4. Only what the text states as fact is kept.  A relation that is negated ("is not backed
   by"), under a modal ("could arm"), in a clause of denial, accusation or hedging ("Iran
   denies arming", "accusations that it supports", "allegedly backed", "suspected
   Iran-backed militants") is less sure; ``Relation`` has no field to show it as
   "reported", so it is dropped.

A backer named by its country ("Iranian-backed") resolves to that country's government.
Precision is measured by ``eval/eval_relations.py`` against re3d's relations.
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

#: How many clause links a doubt word, a negation or a modal reaches down: "Iran has
#: denied accusations that it supports X" is two (support → accusation → deny); four
#: leaves room for "did not say that ... was believed to be ..." and stops before the
#: words of another sentence part.
_DOUBT_DEPTH = 4

#: Links from a clause to the word that governs what it asserts: a complement clause
#: ("denies that"), an infinitive ("is believed to be"), a gerund after a preposition
#: ("accusations of arming"), a noun's clause ("accusations that"), a coordinated verb.
_GOVERNED_BY = frozenset({"ccomp", "xcomp", "pcomp", "prep", "acl", "conj"})

#: Dependencies that make a word a modifier of the noun after it ("U.S.-backed forces").
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})


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
        """The actor entity covering ``tok``, or None: how a walk over the parse gets from a
        token back to an actor."""
        return self.by_token.get(tok.i)


def extract_relations(doc: Doc, entities: list[Entity], kb: ActorKB, article_id: str | None = None) -> list[Relation]:
    """Relations stated as fact in ``doc`` between the actor ``entities`` found in it."""
    index = _Index(doc, entities)
    words = relation_words()
    activities = words.activities
    doubt = words.doubt
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

    def stated(clause: Token) -> Callable[[str | None, str, str | None, Token], None]:
        """``add`` when the clause states the relation as fact, else a no-op (step 4)."""
        if _doubted(clause, doubt):
            return lambda *_args: None
        return add

    def actor_id(tok: Token, exclude: Entity | None = None) -> str | None:
        """The actor a token names: its entity, else a country term's government."""
        ent = index.at(tok)
        if ent is not None and ent is not exclude:
            return ent.id
        return _term_actor(kb, tok.text)

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
            subject = _compound_subject(tok, index, activities)
            first = backer_tok.i if backer_tok is not None else tok.i
            if subject is not None and not _hedged(tok, first, doubt):
                if backer_tok is not None:
                    backer = actor_id(backer_tok, exclude=subject)
                else:
                    backer = _term_actor(kb, backer_text)
                add(subject.id, predicate, backer, tok)
            continue
        # 2. "X backed by Y", "X, which is supported by Y", "X aligned with Y"
        if tok.pos_ == "VERB" and tok.lemma_ in words.backed_by["verbs"]:
            _verb_relation(tok, "backed_by", "agent", index, actor_id, stated(tok))
        elif tok.lower_ in words.allied_with["compound"] or (
            tok.pos_ == "VERB" and tok.lemma_ in words.allied_with["verbs"]
        ):
            _verb_relation(tok, "allied_with", "prep", index, actor_id, stated(tok))
        # 3. "X is part of Y", "X, a member of Y", "X, as part of Y, ..."
        elif tok.lemma_ in words.part_of["nouns"] and tok.pos_ == "NOUN":
            obj = _pobj(tok, "prep", "of")
            if obj is None:
                continue
            subject_id, clause = _part_subject(tok, index, kb)
            if subject_id is not None:
                stated(clause)(subject_id, "part_of", actor_id(obj), tok)
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


def _modified_noun(tok: Token) -> Token | None:
    """The noun a compound word modifies: "forces" in "American and Iranian-backed forces"."""
    word = tok
    while word.dep_ == "conj" and word.head.i < word.i:
        word = word.head  # "American and Iranian-backed forces": the first conjunct's noun
    if word.dep_ not in _MODIFIER_DEPS:
        return None
    noun = word.head
    while noun.dep_ in _MODIFIER_DEPS and noun.head.i > noun.i:
        noun = noun.head  # "U.S.-backed Syrian Democratic Forces (SDF) alliance"
    if noun.i <= tok.i or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    return noun


def _compound_subject(tok: Token, index: _Index, activities: frozenset[str]) -> Entity | None:
    """The actor a compound backer word describes, or None (step 1).

    The actor covers the compound, or starts between it and the noun it modifies (within
    ``_SUBJECT_WINDOW``), or stands in apposition with that noun.  On an undertaking
    ("campaign", "offensive") it is the undertaking's owner or nobody; an actor inside
    "anti-X" is the target.
    """
    covering = index.at(tok)
    if covering is not None:
        return covering
    if tok.dep_ in ("acomp", "attr"):
        return _clause_subject(tok, index)  # "the militia is Iran-backed"
    noun = _modified_noun(tok)
    if noun is None:
        return None
    for nxt in tok.doc[tok.i + 1 : min(noun.i, tok.i + _SUBJECT_WINDOW) + 1]:
        ent = index.at(nxt)
        if ent is not None:
            return None if _after_anti(nxt) else ent  # "a Turkish-backed anti-YPG operation"
    if noun.lemma_.lower() in activities:
        return _owner(noun, index)
    if noun.dep_ == "appos":
        return index.at(noun.head)  # "the SDF, a U.S.-backed alliance"
    for child in noun.children:
        if child.dep_ == "appos" and (ent := index.at(child)) is not None:
            return ent  # "a U.S.-backed alliance, the SDF,"
    return None


def _after_anti(tok: Token) -> bool:
    """True when "anti" comes just before a token: "anti-YPG", "anti YPG"."""
    doc = tok.doc
    before = [doc[i].lower_ for i in range(max(0, tok.i - 2), tok.i)]
    return bool(before) and (before[-1] in ("anti", "anti-") or before == ["anti", "-"])


def _owner(noun: Token, index: _Index) -> Entity | None:
    """Who carries out an undertaking: "the SDF's offensive", "an offensive by the SDF"."""
    for child in noun.children:
        if child.dep_ == "poss" and (ent := index.at(child)) is not None:
            return ent
        if child.dep_ == "prep" and child.lower_ == "by":
            for grand in child.children:
                if grand.dep_ == "pobj" and (ent := index.at(grand)) is not None:
                    return ent
    return None


def _hedged(tok: Token, first: int, doubt: frozenset[str]) -> bool:
    """True when the writer hedges a compound: "suspected Iran-backed", "allegedly Iran-backed".

    The word just before the compound (which starts at token ``first``) is read as well as
    the modifiers of the compound and of its noun: the parser hangs "Suspected" and
    "Allegedly" at the head of a sentence on other words.
    """
    noun = _modified_noun(tok)
    near = [*tok.children, *(noun.children if noun is not None else ())]
    if any(c.dep_ in ("advmod", "amod", "nmod") and c.lower_ in doubt for c in near):
        return True
    return first > 0 and tok.doc[first - 1].lower_ in doubt


def _doubted(clause: Token, doubt: frozenset[str]) -> bool:
    """True when a clause does not state its relation as fact (step 4).

    Walks up from the relation's word through the words that govern what it asserts
    (``_GOVERNED_BY``): any of them a doubt word ("deny", "accusation"), hedged
    ("allegedly", "whether"), under a modal ("could"), or negated ("not").  A negation
    on a coordinated verb does not carry over: "does not fund X but backs Y".
    """
    node, steps, via_conj = clause, 0, False
    while True:
        if node.lemma_.lower() in doubt:
            return True
        for child in node.children:
            if child.dep_ == "neg" and not via_conj:
                return True
            if child.dep_ in ("aux", "auxpass") and child.tag_ == "MD":
                return True
            if child.dep_ in ("advmod", "amod", "mark") and child.lower_ in doubt:
                return True
        if node.dep_ not in _GOVERNED_BY or node.head == node or steps >= _DOUBT_DEPTH:
            return False
        via_conj = node.dep_ == "conj"
        node, steps = node.head, steps + 1


def _before_comma(tok: Token, index: _Index) -> Entity | None:
    """The actor just before ", backed by": "offensives by the SDF, backed by the coalition".

    A fallback for parses that hang the participle on the wrong word, so it takes only an
    actor that can be the backed one: a subject ("The SDF, backed by") or the agent of
    an undertaking ("offensives by the SDF, backed by").  The object of a verb or of
    another preposition is left alone: in "an offensive against Islamic State, backed by
    the United States" the offensive is backed, not its target.
    """
    i = tok.i - 1
    if i < 1 or tok.doc[i].text != ",":
        return None
    i -= 1
    if tok.doc[i].text == ")" and i > 0:
        i -= 1
    before = tok.doc[i]
    ent = index.at(before)
    if ent is None:
        return None
    root = before
    while root.dep_ in ("appos", "compound", "amod", "nmod") and root.head != root:
        root = root.head
    if root.dep_ in ("nsubj", "nsubjpass"):
        return ent
    if root.dep_ == "pobj" and root.head.lower_ == "by":
        return ent
    return None


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


def _part_subject(tok: Token, index: _Index, kb: ActorKB) -> tuple[str | None, Token]:
    """The actor a "part of" noun says is a part, and the clause that says it (step 3).

    "X is part of Y" and "X, which is part of Y" (the noun is the predicate); "X, a member
    of Y" (in apposition); "X, as part of Y, is ..." and "X is working as part of Y" (the
    subject acting as part: a country named here is its government).  "part" as an
    object ("struck part of Y") says nothing about who belongs to whom.
    """
    if tok.dep_ == "attr":
        ent = _clause_subject(tok, index)
        return (ent.id if ent else None), tok.head
    if tok.dep_ == "appos":
        ent = index.at(tok.head)
        return (ent.id if ent else None), tok
    if tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.dep_ == "prep":
        verb = tok.head.head
        for child in verb.children:
            if child.dep_ == "nsubj":
                ent = index.at(child)
                return (ent.id if ent else _term_actor(kb, child.text)), verb
    return None, tok


def _finite(tok: Token) -> bool:
    """True when a verb heads a finite clause: "backs", "backed", "has backed", "is backing"."""
    if tok.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    return any(c.dep_ == "aux" and c.tag_ != "MD" and c.lower_ != "to" for c in tok.children)


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
    # active: "Turkey, which is backing rebels": the object is backed by the subject; only
    # in a finite clause with its own subject ("troops supporting the SDF" is a participle)
    if tok.dep_ == "acl" or not _finite(tok):
        return
    backed = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if backed is not None and subject is not None and (ent := index.at(backed)) is not None:
        add(ent.id, "backed_by", subject.id, tok)
