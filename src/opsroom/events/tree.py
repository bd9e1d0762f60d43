"""Small helpers over the dependency parse shared by the event modules."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..models import Entity


def ancestors_to(tok: Token) -> list[Token]:
    """``tok`` and its ancestors, nearest first."""
    return [tok, *tok.ancestors]


def tree_distance(a: Token, b: Token) -> int:
    """Number of arcs between two tokens of one sentence (large when not connected)."""
    if a.sent != b.sent:
        return 99
    chain_a = {t.i: n for n, t in enumerate(ancestors_to(a))}
    for n, t in enumerate(ancestors_to(b)):
        if t.i in chain_a:
            return chain_a[t.i] + n
    return 99


def entity_span(doc: Doc, ent: Entity) -> Span | None:
    """The tokens an entity covers (offsets are into ``doc.text``)."""
    return doc.char_span(ent.start, ent.end, alignment_mode="expand")


def entity_root(doc: Doc, ent: Entity) -> Token | None:
    """The syntactic head of an entity's tokens."""
    span = entity_span(doc, ent)
    return span.root if span is not None and len(span) else None


def in_subtree(tok: Token, root: Token) -> bool:
    """Whether ``tok`` lies in the subtree of ``root``."""
    return root.left_edge.i <= tok.i <= root.right_edge.i and (
        tok == root or root in tok.ancestors
    )


def children(tok: Token, *deps: str) -> list[Token]:
    """Children of ``tok`` with one of the dependency labels."""
    return [c for c in tok.children if c.dep_ in deps]


def antecedent(rel: Token) -> Token:
    """The noun a relative clause describes ("the field, Syria's largest, which was
    captured"): its head, or, when the parser hung the clause on an adjective or a verb,
    the nearest noun before the clause that is not a possessive."""
    head = rel.head
    if head.pos_ in ("NOUN", "PROPN"):
        return head
    for t in reversed(rel.doc[rel.sent.start : rel.left_edge.i]):
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("poss", "compound") and not any(
                c.dep_ == "case" for c in t.children):
            return t
    return head


def slipped_participle(obj: Token) -> Token:
    """The person a participle describes, where the parser read "a child herding sheep"
    as one noun: "child herding" a compound of "sheep", or "girl" a modifier of "goats"
    with "herding" hung on it.  The victim is the child, the girl."""
    for c in obj.children:
        if c.dep_ not in ("compound", "nmod") or c.i > obj.i:
            continue
        if c.tag_ == "VBG":
            person = next((g for g in c.children if g.dep_ in ("compound", "nmod")
                           and g.pos_ == "NOUN"), None)
            if person is not None:
                return person
        elif c.pos_ == "NOUN" and any(g.tag_ == "VBG" and g.dep_ in ("acl", "compound")
                                      for g in c.children):
            return c
    return obj
