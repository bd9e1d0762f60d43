"""Who says so: attribution and denial, one sentence at a time.

Reporting attributes almost every figure: "the U.S.-led coalition said", "according to
the United Nations", "state news agency SANA said, citing a military source".  For each
attribution verb (data/events/claims.json) the claimant is its subject, resolved

1. to an ACTOR entity inside the subject phrase (the actor's canonical name);
2. else to the organisation of a PERSON entity there (a spokesman speaks for his force);
3. else to the previous claimant when the subject is a pronoun ("it said in a statement");
4. else to the subject's own words ("Kurdish security sources").

A denial verb ("denied", "disputed") gives stance ``denies``; a negated event in the
reported clause ("No member of the coalition carried out strikes") is detected as a
negated trigger in ``detect`` and takes the stance of its attribution there.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..models import Entity, Stance
from .lexicon import Lexicon, load_lexicon
from .tree import children, entity_root, in_subtree

_PRONOUNS = {"he", "she", "it", "they", "we", "i"}
#: Words that refer back to the party that made the claim in an earlier sentence.
_BACKREF = {"spokesman", "spokeswoman", "official", "commander", "observatory", "monitor",
            "statement", "group"}


@dataclass(frozen=True)
class Attribution:
    """One party's attribution verb in a sentence, with its resolved claimant."""

    claimant: str | None
    claimant_text: str
    stance: Stance
    verb: str
    verb_i: int
    method: str
    via: str | None = None
    subject_start: int = -1
    subject_end: int = -1


def _noun_phrase(head: Token) -> str:
    """A compact phrase for a subject: its left modifiers and the head, no clauses."""
    left = head.left_edge.i
    doc = head.doc
    words = doc[left : head.i + 1]
    text = words.text.strip(" ,“”\"'")
    return text


def _names_speaker(r: Token, head: Token) -> bool:
    """Whether an entity under the subject names the speaker or his organisation.

    "a spokesman for the SDF", "Major Josh Jacques, a U.S. Central Command spokesman" do;
    "two sources familiar with U.S. policy" and "a commander … fighting alongside
    Damascus" do not.
    """
    for t in [r, *r.ancestors]:
        if t == head:
            return True
        if t.dep_ in ("relcl", "acl", "advcl") or (
                t.dep_ == "prep" and t.lower_ not in ("of", "for", "from", "at", "with")):
            return False
        if t.dep_ == "amod" and t.pos_ == "ADJ" and t.lower_ == "familiar":
            return False
    return False


def _resolve(head: Token, ents: list[tuple[Entity, Token]], previous: Attribution | None,
             lex: Lexicon) -> tuple[str | None, str, str]:
    """(claimant, claimant text, method) for the subject headed by ``head``."""
    text = _noun_phrase(head)
    inside = [(e, r) for e, r in ents if in_subtree(r, head) and _names_speaker(r, head)]
    actors = [(e, r) for e, r in inside if e.label == "ACTOR" and e.name]
    if actors:
        ent, _ = min(actors, key=lambda er: abs(er[1].i - head.i))
        return ent.name, text, "actor entity in the subject"
    people = [e for e, _ in inside if e.label == "PERSON" and e.organisation]
    if people:
        return people[0].organisation, text, "organisation of the person speaking"
    if head.lower_ in _PRONOUNS and previous is not None:
        return previous.claimant, head.text, "pronoun: the previous claimant"
    if head.lower_ in _BACKREF and previous is not None and any(
            c.lower_ in ("the", "its", "his") for c in head.children) and \
            previous.claimant_text.lower().endswith(head.lower_):
        return previous.claimant, text, "definite reference to the previous claimant"
    return text or None, text, "subject text (no actor named)"


def attributions(sent: Span, entities: list[Entity], previous: Attribution | None = None,
                 lex: Lexicon | None = None) -> list[Attribution]:
    """The attributions of one sentence, in order."""
    lex = lex or load_lexicon()
    doc = sent.doc
    ents = []
    for e in entities:
        if sent.start_char <= e.start < sent.end_char:
            root = entity_root(doc, e)
            if root is not None:
                ents.append((e, root))
    verbs = set(lex.claims["attribution_verbs"])
    denials = set(lex.claims["denial_verbs"])
    found: list[Attribution] = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and (lemma in verbs or lemma in denials):
            if lemma == "cite" and tok.head.lemma_.lower() in verbs and tok.head != tok:
                continue  # "SANA said, citing a military source": the source, not a claimant
            subj = children(tok, "nsubj")
            if not subj and tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.pos_ == "VERB":
                subj = children(tok.head, "nsubj")  # "..., saying seven were killed"
            if not subj:
                continue
            head = subj[0]
            claimant, text, method = _resolve(head, ents, previous, lex)
            via = None
            for c in tok.children:
                if c.lemma_ == "cite" and c.dep_ in ("advcl", "xcomp"):
                    objs = children(c, "dobj")
                    via = _noun_phrase(objs[0]) if objs else None
            stance: Stance = "denies" if lemma in denials else "asserts"
            att = Attribution(claimant, text, stance, lemma, tok.i, method, via,
                              head.left_edge.idx, head.right_edge.idx + len(head.right_edge))
            found.append(att)
            if stance == "asserts" and claimant is not None:
                previous = att
        elif tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
            objs = children(doc[tok.i + 1], "pobj")
            if objs:
                claimant, text, method = _resolve(objs[0], ents, previous, lex)
                found.append(Attribution(claimant, text, "asserts", "according to", tok.i,
                                         method, None, objs[0].left_edge.idx,
                                         objs[0].right_edge.idx + len(objs[0].right_edge)))
    return found


def attribution_for(tok: Token, atts: list[Attribution]) -> Attribution | None:
    """The attribution that covers a trigger: the nearest attribution verb above it.

    Falls back to the sentence's only (or first asserting) attribution, since a reported
    clause is often parsed beside its verb rather than under it.
    """
    anc = {t.i for t in tok.ancestors}
    # A participle or relative clause describes a noun ("protesters disputing the
    # results erected barricades"), and a verb coordinated with the trigger tells an act
    # beside it ("denied the charges and attacked the town"): neither reports the trigger.
    atts = [a for a in atts if not _coordinated(tok, a.verb_i) and (
        a.verb_i in anc or tok.doc[a.verb_i].dep_ not in ("acl", "relcl", "amod"))]
    if not atts:
        return None
    covering = [a for a in atts if a.verb_i in anc]
    if covering:
        return max(covering, key=lambda a: a.verb_i if a.verb_i < tok.i else -a.verb_i)
    asserting = [a for a in atts if a.stance == "asserts"]
    if asserting:
        return min(asserting, key=lambda a: abs(a.verb_i - tok.i))
    return atts[0]


def _coordinated(tok: Token, verb_i: int) -> bool:
    """Whether ``tok`` hangs from the verb at ``verb_i`` as its conjunct (directly or
    through a chain of conjuncts), not as its complement."""
    cur = tok
    while cur.dep_ == "conj" and cur.head != cur:
        if cur.head.i == verb_i:
            return True
        cur = cur.head
    return False


def claimant_of_sentence(atts: list[Attribution]) -> Attribution | None:
    """The last asserting attribution of a sentence: the antecedent for "it said"."""
    named = [a for a in atts if a.stance == "asserts" and a.claimant]
    return named[-1] if named else None
