"""Find the actors an article names, describes, refers back to or makes act.

``ActorResolver.resolve`` runs four passes over one parsed ``Doc``:

1. names and descriptions: phrase matchers built once from every alias and
   description of the knowledge base (short all-caps words such as "IS" match only as
   written, the rest in any case, each also in the spellings scraped text shows);
2. agents: a country or capital that is the subject of a verb ("Iran has denied",
   "Israel has carried out strikes") is the country's government, or its armed forces
   when the verb is military; a country that only locates is left to the place resolver;
3. context: a bare reference ("the jihadists", "the coalition") is the latest actor
   already named in the article that lists the reference among its context terms;
4. relations stated in the text ("U.S.-backed SDF"), see ``relations.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from threading import Lock
from weakref import WeakKeyDictionary

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import StringStore
from spacy.tokens import Doc, Span, Token

from ..models import Entity, Relation, Resolution
from .kb import Actor, ActorKB
from .normalise import alias_key, case_variants, is_case_sensitive, strip_article, variants
from .patterns import agent_verbs
from .relations import extract_relations

# Scores order the methods by how much we trust them; chosen by hand, not calibrated:
# a name is near certain, a description names a family of units, an agent depends on
# the parse, a back-reference on the article having only one candidate.
SCORE = {"alias": 0.95, "description": 0.85, "agent": 0.75, "context": 0.7}

#: Alphabetic neighbours checked on each side of a short all-caps hit ("IS") to tell a
#: name from a word of a shouted headline ("WHAT IS LEFT"): 3 covers a headline phrase.
_SHOUT_WINDOW = 3


@dataclass(frozen=True, order=True)
class _Hit:
    """A resolved token span, before it becomes an ``Entity``."""

    start: int
    end: int
    actor_id: str
    method: str
    reason: str


_SHARED: WeakKeyDictionary[ActorKB, ActorResolver] = WeakKeyDictionary()
_SHARED_LOCK = Lock()


class ActorResolver:
    """Resolve the actors of parsed articles against an ``ActorKB``; build once, reuse."""

    def __init__(self, kb: ActorKB | None = None, nlp: Language | None = None) -> None:
        if nlp is None:
            from ..nlp import load_nlp

            nlp = load_nlp()
        self.kb = kb if kb is not None else ActorKB.load()
        self._verbs = agent_verbs()
        vocab = nlp.vocab
        self._names_lower = PhraseMatcher(vocab, attr="LOWER")
        self._names_orth = PhraseMatcher(vocab, attr="ORTH")
        self._context = PhraseMatcher(vocab, attr="LOWER")
        self._agents = PhraseMatcher(vocab, attr="ORTH")
        self._keys: dict[int, tuple[str, str]] = {}
        self._context_actors: dict[int, list[str]] = {}
        self._build(nlp)

    @classmethod
    def shared(cls, kb: ActorKB) -> ActorResolver:
        """The resolver of ``kb`` in this process, built on first use.

        Its matchers take about half a second to build from a world's actors, and every
        ingest, every API upload and every extractor of a long-lived process would build
        the same ones again for the same base (``ActorKB.load`` returns one object per
        set of files).  Resolving reads the matchers and never changes them.
        """
        with _SHARED_LOCK:
            resolver = _SHARED.get(kb)
            if resolver is None:
                resolver = _SHARED[kb] = cls(kb)
            return resolver

    # -- building the matchers ------------------------------------------------------------

    def _key(self, strings: StringStore, label: str, value: tuple[str, str]) -> str:
        """Register a match label and what it resolves to."""
        self._keys[strings.add(label)] = value
        return label

    def _build(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        lower: dict[str, set[str]] = {}
        orth: dict[str, set[str]] = {}
        context: dict[str, set[str]] = {}
        agents: dict[str, set[str]] = {}
        context_owner: dict[str, list[str]] = {}
        for actor in self.kb:
            for form, method in actor.surface_forms():
                label = self._key(strings, f"{actor.id}\t{method}", (actor.id, method))
                for text in variants(strip_article(form)):
                    if is_case_sensitive(text):
                        orth.setdefault(label, set()).update(case_variants(text))
                    else:
                        lower.setdefault(label, set()).add(text)
            for term in actor.context_terms:
                label = f"context\t{alias_key(term)}"
                strings.add(label)
                context_owner.setdefault(label, []).append(actor.id)
                context.setdefault(label, set()).update(variants(term))
            if actor.kind == "government":
                label = self._key(strings, f"{actor.id}\tagent", (actor.id, "agent"))
                for term in actor.agent_terms:
                    agents.setdefault(label, set()).update(variants(strip_article(term)))
                # "Turkish drones struck", "Iranian missiles": the adjective says whose
                # forces act, but only where it qualifies a military or policy noun
                label = self._key(strings, f"{actor.id}\tdemonym", (actor.id, "demonym"))
                for term in actor.demonyms:
                    agents.setdefault(label, set()).add(term)
                label = self._key(strings, f"{actor.id}\tcapital", (actor.id, "capital"))
                for term in actor.capitals:
                    agents.setdefault(label, set()).update(variants(term))
        for matcher, table in (
            (self._names_lower, lower),
            (self._names_orth, orth),
            (self._context, context),
            (self._agents, agents),
        ):
            for label, texts in table.items():
                matcher.add(label, [nlp.make_doc(t) for t in sorted(texts)])
        self._context_actors = {strings[label]: ids for label, ids in context_owner.items()}

    # -- resolving -----------------------------------------------------------------------

    def resolve(self, doc: Doc, article_id: str | None = None) -> tuple[list[Entity], list[Relation]]:
        """The ACTOR entities of ``doc`` (char offsets into ``doc.text``) and the relations
        the text states between them."""
        hits = self._name_hits(doc)
        hits = _take(hits, self._agent_hits(doc, hits))
        hits = _take(hits, self._context_hits(doc, hits))
        entities = [self._entity(doc, hit) for hit in sorted(hits)]
        return entities, extract_relations(doc, entities, self.kb, article_id)

    def _entity(self, doc: Doc, hit: _Hit) -> Entity:
        span = doc[hit.start : hit.end]
        actor = self.kb.get(hit.actor_id)
        return Entity(
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            label="ACTOR",
            id=actor.id,
            name=actor.name,
            kind=actor.kind,
            resolution=Resolution(method=hit.method, score=SCORE[hit.method], reason=hit.reason),
        )

    # 1. names and descriptions
    def _name_hits(self, doc: Doc) -> list[_Hit]:
        found: list[_Hit] = []
        for matcher, case in ((self._names_lower, "any case"), (self._names_orth, "as written")):
            for match_id, start, end in matcher(doc):
                actor_id, method = self._keys[match_id]
                span = doc[start:end]
                if case == "as written" and _shouted(span):
                    continue
                actor = self.kb.get(actor_id)
                if method == "description" and (other := self._other_country_before(span, actor)):
                    led = start >= 3 and doc[start - 1].lower_ == "led" and doc[start - 2].text == "-"
                    found.append(
                        _Hit(
                            start - (3 if led else 1),
                            end,
                            other.id,
                            "description",
                            f"{doc[start - (3 if led else 1) : end].text!r}: {span.text!r} "
                            f"qualified by {doc[start - (3 if led else 1)].text!r} names that "
                            "country's forces",
                        )
                    )
                    continue
                found.append(_Hit(start, end, actor_id, method, f"{method} {span.text!r} matched {case}"))
        return _drop_restatements(doc, _take([], found))

    def _other_country_before(self, span: Span, actor: Actor) -> Actor | None:
        """For "Iraqi pro-government forces" (a Syria-scoped description that another
        country's adjective qualifies) or "Saudi-led coalition jets" (a coalition another
        country leads), that other country's armed forces."""
        if span.start == 0 or not actor.country:
            return None
        doc, i = span.doc, span.start - 1
        if i >= 2 and doc[i].lower_ == "led" and doc[i - 1].text == "-":
            i -= 2  # "Saudi-led coalition jets": the coalition its leader's forces lead
        country = self.kb.country_of_term(doc[i].text)
        if country is None or country == actor.country:
            return None
        gov = self.kb.government_of(country)
        if gov is not None and gov.id in actor.backed_by:
            return None  # "US-led coalition forces" are the coalition the U.S. backs
        return self.kb.military_of(country)

    # 2. agents
    def _agent_hits(self, doc: Doc, taken: list[_Hit]) -> list[_Hit]:
        found: list[_Hit] = []
        for match_id, start, end in self._agents(doc):
            government_id, term_kind = self._keys[match_id]
            span = doc[start:end]
            if span.root.ent_type_ == "PERSON" and not _designation(span.root.head) \
                    or _overlaps(taken, start, end):
                continue  # not "Jordanian F-16s", which the model reads as a person
            actor = self.kb.get(government_id)
            if term_kind == "demonym" and span.root.dep_ not in ("amod", "compound", "nmod"):
                continue  # "the Turkish" alone, or a parse that makes it a subject
            role = self._agent_role(span, adjective=span.text in actor.demonyms)
            if role is None:
                continue
            word, military, how = role
            if military and term_kind != "capital":
                actor = self.kb.military_of(actor.country or "") or actor
            military = military and term_kind != "capital"
            kind = "military" if military else "statement or policy"
            reason = f"{span.text!r} acts: {how} {kind} word {word.lemma_!r}"
            found.append(_Hit(start, end, actor.id, "agent", reason))
        return found

    def _agent_role(self, span: Span, adjective: bool) -> tuple[Token, bool, str] | None:
        """``(word, military?, how)`` when the span acts, None when it only locates.

        ``adjective`` is true for names that also serve as the country's adjective
        ("U.S."): only those say who acts when they qualify a noun ("U.S. strikes");
        a country name there locates ("the Syria attack", "his Syria policy").
        """
        verbs = self._verbs
        tok = span.root
        while tok.dep_ == "conj" and tok.head != tok:
            tok = tok.head
        head = tok.head
        if tok.dep_ in ("compound", "amod", "nmod") and head.pos_ in ("NOUN", "PROPN"):
            if not adjective:
                return None
            # "U.S. strikes" (armed forces), "U.S. accusations" (government)
            if head.lemma_.lower() in verbs.military_nouns or _designation(head):
                return head, True, "qualifies military noun"
            if head.lemma_.lower() in verbs.policy_nouns:
                return head, False, "qualifies policy noun"
            return None
        if tok.dep_ == "poss" and head.pos_ in ("NOUN", "PROPN"):
            # "America's interest" (government), "Russia's air strikes" (armed forces);
            # "Syria's largest", "Iraq's second city" locate.
            if head.lemma_.lower() in verbs.military_nouns:
                return head, True, "owns military noun"
            if head.lemma_.lower() in verbs.policy_nouns:
                return head, False, "owns policy noun"
            return None
        if tok.dep_ == "pobj" and head.lower_ in verbs.party_preps:
            # "an explanation from the United States", "holding talks with Iran": the
            # other party of a dealing noun (on the noun or on its verb's object).
            host = head.head
            nouns = [host] if host.pos_ in ("NOUN", "PROPN") else [
                c for c in host.children if c.dep_ == "dobj"] if host.pos_ in ("VERB", "AUX") else []
            for n in nouns:
                if n.lemma_.lower() in verbs.party_nouns:
                    return n, False, f"'{head.lower_}' party of"
            if head.lower_ not in verbs.agent_preps:
                return None
        if tok.dep_ == "nsubj":
            verb, how = head, "subject of"
        elif tok.dep_ == "pobj" and head.dep_ == "agent":
            verb, how = head.head, "agent of"
            if verb.lemma_ not in verbs.passive_agent_verbs:
                return None
        elif tok.dep_ == "pobj" and head.lower_ in verbs.agent_preps:
            verb, how = head.head, f"'{head.lower_}' party of"
        elif tok.dep_ == "dobj" and head.lemma_ in verbs.object_verbs:
            return head, False, "object of"
        elif (tok.dep_ == "nsubjpass" and head.lemma_ not in verbs.military
              and head.lemma_ not in verbs.passive_agent_verbs and head.lemma_ not in verbs.not_agent):
            # "the UK is committed", "Iran was accused": a place is bombed, not committed
            return head, False, "passive subject of"
        else:
            return None
        if verb.lemma_ in verbs.not_agent:
            return None
        if how == "subject of" and verb.pos_ not in ("VERB", "AUX"):
            return None
        return verb, verb.lemma_ in verbs.military, how

    def _group_subject(self, doc: Doc, start: int, end: int, hits: list[_Hit]) -> _Hit | None:
        """The armed group that is the subject of the anaphor's own sentence, if any.

        "The SDF captured the village from IS militants on Tuesday, a spokesman for the
        group said": "the group" is the one the sentence is about, not the nearest named.
        """
        if doc[end - 1].lemma_.lower() not in _GROUP_HEADS:
            return None
        root = doc[start].sent.root
        # "…, a spokesman for the group said": the parser makes "said" the root, and the
        # subject sits in the clause it reports, so that clause's subject counts too.
        clauses = [root, *(c for c in root.children if c.dep_ in ("ccomp", "parataxis"))]
        subjects = [c for cl in clauses for c in cl.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subj in subjects:
            for h in hits:
                if h.start <= subj.i < h.end and h.end <= start:
                    actor = self.kb.get(h.actor_id)
                    if actor is not None and actor.kind in _GROUP_KINDS:
                        return h
        return None

    # 3. context
    def _context_hits(self, doc: Doc, taken: list[_Hit]) -> list[_Hit]:
        found: list[_Hit] = []
        named = sorted(taken)
        for match_id, start, end in self._context(doc):
            if _overlaps(taken, start, end) or _overlaps(found, start, end):
                continue
            if end < len(doc) and doc[end].lower_ == "of":
                continue  # "the group of reporters": a different noun phrase
            if start > 0 and (doc[start - 1].tag_ == "POS" or doc[start - 1].ent_type_ in (
                    "GPE", "NORP")) and doc[start].lower_ != "the":
                continue  # "Turkey's defence ministry": the qualifier says whose it is
            owners = self._context_actors.get(match_id, [])
            earlier = [h for h in [*named, *found] if h.end <= start and not _ties_only(doc, h)]
            before = [h for h in earlier if h.actor_id in owners]
            if not before and doc[end - 1].lemma_.lower() in _GROUP_HEADS:
                # "Al Shabaab has been fighting for years … Last month, the group
                # attacked": with no group that lists the word named before, "the group"
                # is the armed group named last, whichever it is.
                before = [h for h in earlier if (a := self.kb.get(h.actor_id)) is not None
                          and a.kind in _GROUP_KINDS]
            subject = self._group_subject(doc, start, end, [*named, *found])
            if subject is not None:
                before = [subject]
            if not before:
                continue
            last = max(before, key=lambda h: h.start)
            anchor = doc[last.start : last.end]
            found.append(
                _Hit(
                    start,
                    end,
                    last.actor_id,
                    "context",
                    f"{doc[start:end].text!r} refers back to {anchor.text!r} at char {anchor.start_char}",
                )
            )
        return found


#: Words after a hyphen that make a name a tie of another body: "an al Qaeda-linked group".
_TIE_WORDS = frozenset({"linked", "affiliated", "allied", "aligned", "inspired", "backed",
                        "affiliate", "sponsored", "funded", "trained"})


def _ties_only(doc: Doc, hit: _Hit) -> bool:
    """Whether the name only says whom another body is tied to ("the al Qaeda-linked
    group"): that body, not the one named, is what "the group" later refers back to."""
    return hit.end + 1 < len(doc) and doc[hit.end].text in ("-", "–") \
        and doc[hit.end + 1].lower_ in _TIE_WORDS


#: Head words of a generic anaphor for an armed group ("the group", "the alliance").
_GROUP_HEADS = {"group", "alliance", "militia", "movement", "organisation", "organization",
                "faction"}
#: Kinds of actor such an anaphor can stand for.
_GROUP_KINDS = {"rebel_group", "political_militia", "identity_militia"}


#: A weapon's type designation: "F-16s", "Su-34", "MiG-29", "Tu-22M", "T-72".
_DESIGNATION = re.compile(r"^[A-Za-z]{1,4}-\d{1,3}[A-Za-z]{0,2}s?$")


def _designation(tok: Token) -> bool:
    """Whether a word names a weapon by its type designation ("Russian Su-34s bombed …"):
    a nationality before it names that state's forces."""
    return _DESIGNATION.match(tok.text) is not None


def _shouted(span: Span) -> bool:
    """True when a short all-caps hit sits among all-caps words (a shouted headline)."""
    if len(span.text.replace(".", "")) > 3:
        return False
    doc = span.doc
    around = [
        t
        for t in doc[max(0, span.start - _SHOUT_WINDOW) : span.end + _SHOUT_WINDOW]
        if t.is_alpha and len(t) > 1 and not (span.start <= t.i < span.end)
    ]
    return len(around) >= 2 and all(t.is_upper for t in around)


def _drop_restatements(doc: Doc, hits: list[_Hit]) -> list[_Hit]:
    """Drop a description glued to a name of the same actor: "the Syrian Democratic Forces
    (SDF) alliance of Kurdish and Arab militias" is one mention (ANNOTATION.md)."""
    out: list[_Hit] = []
    for hit in hits:
        prev = out[-1] if out else None
        if (
            prev is not None
            and hit.method == "description"
            and prev.actor_id == hit.actor_id
            and all(t.text in "()" for t in doc[prev.end : hit.start])
        ):
            continue
        out.append(hit)
    return out


def _overlaps(hits: list[_Hit], start: int, end: int) -> bool:
    return any(h.start < end and start < h.end for h in hits)


def _take(kept: list[_Hit], new: list[_Hit]) -> list[_Hit]:
    """Add ``new`` hits to ``kept``, longest first, never overlapping; aliases beat
    descriptions of the same length."""
    out = list(kept)
    rank = {"alias": 0, "description": 1, "agent": 2, "context": 3}
    for hit in sorted(new, key=lambda h: (-(h.end - h.start), rank[h.method], h.start)):
        if not _overlaps(out, hit.start, hit.end):
            out.append(hit)
    return sorted(out)
