"""Arguments of a detected event: actors, place, date, weapon and quantity.

All of them come from the trigger's own clause over the dependency parse, never from
"every entity in the sentence":

- actor1 is the agent (subject; the ``by`` phrase of a passive; the owner of a nominal
  trigger, "U.S. air strike"), actor2 the patient (object; passive subject; ``on``/
  ``against`` phrase).  Actors joined to them by "and" are the associated actors.
  Observers and claimants (monitors, news agencies) are never actors.
- the location is the PLACE entity nearest the trigger in the tree, with penalties for
  places reached through "about", "to", "toward", "from" …: "a drone attacked Erbil
  airport, targeting a U.S. base" is at Erbil airport, "talks in Damascus about Raqqa"
  is not at Raqqa.
- the date is the date expression nearest the trigger in the tree; a date that only
  dates the report ("the coalition said on Thursday") is kept apart as a fallback.
- the weapon is the strongest instrument word in the clause (data/events/
  instruments.jsonl), the quantity the count of the munition ("at least 14 rockets").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..geo.gazetteer import distance_km
from ..models import Entity
from ..resolve.organisations import common_body
from .dates import DatedValue
from .detect import CAMPAIGN_NOUNS, Detection, headline
from .lexicon import Instrument, Lexicon
from .numbers import elided_passive, weapon_quantity
from .tree import antecedent, children, entity_root, in_subtree, slipped_participle, tree_distance

#: Movements of troops that fight where they go: the place "to" them is theirs.
_SORTIES = frozenset({"patrol", "advance", "push", "raid", "incursion", "sortie", "mission",
                      "expedition", "offensive", "operation"})
#: Places reached through these prepositions are not where the event happened.
_AWAY_PREPS = {"about", "to", "toward", "towards", "into", "with", "than", "like", "for",
               "over", "via", "against", "from", "between", "beyond"}
_BEARINGS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
             "southwest"}
_NEAR_PREPS = {"near", "around", "outside", "close", "nearby", "southeast", "southwest",
               "northeast", "northwest", "north", "south", "east", "west", "outskirts"}
#: A place more than this many arcs from the trigger belongs to another clause; read off
#: the seed corpus, where the place of an event sits at most trigger→dobj→prep→pobj→compound.
MAX_PLACE_DISTANCE = 5
#: When no place is that near, the sentence's own place up to this many arcs away still
#: beats the sentences before, unless something rules it out (an origin, a topic, an
#: actor's name).
LOOSE_PLACE_DISTANCE = 9
#: Sub-types whose attacker fires from afar: where the attacker stands is not the place.
REMOTE_SUB_TYPES = {"Air/drone strike", "Shelling/artillery/missile attack",
                    "Remote explosive/landmine/IED", "Chemical weapon"}
#: How much further from the trigger (in arcs) a town may be than the province it lies in
#: and still be the event's place ("in al-Kasra town in Deir ez-Zor province", "a vehicle
#: 20 km north of Baquba in Diyala province").
INNER_PLACE_SLACK = 3.0
#: Same idea for dates ("rockets hit … on Wednesday": hit→prep→pobj is 2 arcs).
MAX_DATE_DISTANCE = 5
#: Clauses that tell something else: a complement, a coordinate verb, a relative clause
#: describing a noun ("an area where U.S. forces came under rocket fire").
_SCOPE_CUT = {"ccomp", "parataxis", "conj", "relcl"}
_PRONOUNS = {"they", "it", "he", "she", "we"}
_TRANSFER_TRIGGERS = {"handover", "depart-base", "withdraw-from", "handover-noun"}
#: "including X" names the members of the ground a trigger speaks of: they are its places.
_IN_PREPS = {"in", "at", "on", "near", "around", "outside", "inside", "of", "including"}
#: Place kinds that name a stretch, not a site where fighting can be placed.
BROAD_FEATURES = {"country", "region", "admin1", "river", "sea", "desert", "mountain"}


@dataclass
class EntityIndex:
    """The article's entities with their root tokens."""

    items: list[tuple[Entity, Token]]
    #: The start token of each item's sentence, read once (``Token.sent`` walks the
    #: sentence each time it is asked, and every trigger asks for every entity).
    sent_starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Doc, entities: list[Entity]) -> EntityIndex:
        """Index the entities by their syntactic head in ``doc``; an entity that covers no
        token of ``doc`` is left out."""
        items = []
        for e in entities:
            if e.label == "PLACE" and e.role:
                continue  # a country acting, a place inside a name: no event's place
            root = entity_root(doc, e)
            if root is not None:
                items.append((e, root))
        return cls(items, [r.sent.start for _, r in items])

    def _in(self, sent: Span, label: str) -> list[tuple[Entity, Token]]:
        if len(self.sent_starts) != len(self.items):
            self.sent_starts = [r.sent.start for _, r in self.items]
        return [item for item, start in zip(self.items, self.sent_starts, strict=True)
                if start == sent.start and item[0].label == label]

    def in_sentence(self, tok: Token, label: str) -> list[tuple[Entity, Token]]:
        """Entities of ``label`` whose head lies in the sentence of ``tok``: the candidates for
        a trigger's actors, people and places."""
        return self._in(tok.sent, label)

    def name_tokens(self, tok: Token) -> set[int]:
        """Tokens inside an actor's name in the sentence of ``tok``.  The tagger may read a
        name as a word of the clause ("IS positions": "IS" as the verb "is"); such a token
        opens no clause of its own and makes no passive."""
        sent = tok.sent
        return {t.i for e, _ in self._in(sent, "ACTOR") for t in sent if e.start <= t.idx < e.end}

    def place_tokens(self) -> set[int]:
        """Head tokens of every place: they tell the detector that a trigger's object is
        ground ("retook Rawa")."""
        return {r.i for e, r in self.items if e.label == "PLACE"}

    def town_tokens(self) -> set[int]:
        """Places named down to a settlement or site (not a country, region or river)."""
        return {r.i for e, r in self.items if e.label == "PLACE" and e.geo_precision == 1
                and e.feature not in BROAD_FEATURES}


@dataclass
class Arguments:
    """What the clause of a trigger says about its event."""

    actor1: str | None = None
    assoc_actor_1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    agent_kind: str | None = None
    patient_civilian: bool = False
    #: The civilians are named as such ("civilians", "shepherds"), not just "people": a
    #: strike on a base "wounding three people" does not make civilians its target.
    patient_civilian_named: bool = False
    place: Entity | None = None
    geo_precision: int | None = None
    place_reason: str = ""
    #: Where the text just was, for a happening whose sentence names no place (used only
    #: when no report of the event names one; it never decides what merges with what).
    context_place: Entity | None = None
    date: DatedValue | None = None
    report_date: DatedValue | None = None
    instrument: Instrument | None = None
    weapon: str | None = None
    quantity: int | None = None
    agent_pronoun: bool = False
    #: The agent is an unowned platform or unit ("six bombers struck", "troops entered").
    agent_platform: bool = False
    #: The agent is the police, unnamed ("Police detained four activists").
    agent_police: bool = False
    #: The agent is "security forces", "government troops", "the army", unnamed: the
    #: state's forces where it happened.
    agent_security: bool = False
    #: The target is unnamed soldiers ("killed three soldiers") or police ("a police
    #: patrol"): the forces of the country where it happened.
    patient_state: bool = False
    patient_police: bool = False
    #: The target is fighters nobody names ("killed two militants in a gunfight"): an
    #: unidentified armed group of the country where it happened.
    patient_armed: bool = False
    #: Who met a protest with force, when another clause of its sentence says so
    #: ("Police used tear gas to disperse students who were protesting"): its name, or
    #: the unnamed police or state forces of the country it happened in.
    intervener: str | None = None
    intervener_police: bool = False
    intervener_security: bool = False


def scope(det: Detection) -> list[Token]:
    """Tokens that belong to the trigger's own clause (for instruments and objects)."""
    roots = [det.token, *det.absorbed]
    tok = det.token
    if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"):
        gov = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
        if gov.pos_ in ("VERB", "AUX"):
            roots.append(gov)
    seen: set[int] = set()
    out: list[Token] = []

    def walk(t: Token, top: Token) -> None:
        if t.i in seen:
            return
        if t is not top and (t.dep_ in _SCOPE_CUT and t.pos_ in ("VERB", "AUX")
                             or t.dep_ == "advcl" and children(t, "mark")):
            return
        seen.add(t.i)
        out.append(t)
        for c in t.children:
            walk(c, top)

    for r in roots:
        if r == tok or r in det.absorbed:
            walk(r, r)
        else:  # the governing verb: its subject and prepositions only
            seen.add(r.i)
            for c in r.children:
                if c.dep_ in ("nsubj", "nsubjpass", "agent", "prep", "npadvmod", "advmod"):
                    walk(c, c)
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and not children(tok, "nsubj") \
            and tok.head.pos_ == "VERB":
        # "An SVBIED rammed a checkpoint, killing four soldiers": what rammed killed.
        for subj in children(tok.head, "nsubj", "nsubjpass"):
            walk(subj, subj)
    if tok.dep_ == "relcl" and tok.head.i not in seen and any(
            c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in tok.children):
        # "a roadside bomb that hit an army patrol": the noun the clause describes is its
        # subject, and the weapon that hit.
        out.append(tok.head)
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.i not in seen:
        # "a rocket fired from Gaza", "shells launched at the town": the noun the
        # participle describes is what was fired.
        out.append(tok.head)
    return out


def find_instrument(det: Detection, lex: Lexicon) -> tuple[Instrument | None, str | None,
                                                            int | None]:
    """(platform-or-munition deciding the sub-type, weapon name, munition quantity)."""
    best: tuple[Instrument, Token] | None = None
    munition: tuple[Instrument, Token] | None = None
    for t in scope(det):
        if t.i == det.token.i and det.trigger.pos == "VERB":
            continue
        if _in_support_phrase(t, det.token):
            continue  # "the SDF, backed by Coalition helicopters, conducted a raid"
        if t.i != det.token.i and _struck_thing(t, det):
            continue  # "a strike destroyed an ISIL vehicle-borne IED": the target
        if _answered_phrase(t, det.token):
            continue  # "struck a weapons site in response to rocket fire": the other's
        words = {t.lemma_.lower(), t.lower_}
        if t.i > 0:
            words.add(f"{t.doc[t.i - 1].lower_} {t.lower_}")
        for part in t.lower_.split("-"):
            words.add(part)
        if t.tag_ == "NNPS" and t.lower_.endswith("s"):
            words.add(t.lower_[:-1])  # "Rockets landed …": a capital plural tagged a name
        if t.lower_.endswith("s") and any(ch.isdigit() for ch in t.lower_):
            words.add(t.lower_[:-1])  # "Iraqi F-16s struck": a model's plural
        head_lemma = t.head.lemma_.lower() if t.dep_ in ("compound", "amod", "nmod") else ""
        if t.i + 1 < len(t.doc) and t.doc[t.i + 1].dep_ != "punct":
            head_lemma = head_lemma or t.doc[t.i + 1].lemma_.lower()
        for inst in lex.instruments:
            if words & inst.lemmas:
                if head_lemma in inst.except_heads and not _air_force_acting(t, det):
                    break
                if best is None or inst.priority > best[0].priority:
                    best = (inst, t)
                if inst.munition and (munition is None or inst.priority > munition[0].priority):
                    munition = (inst, t)
                break
    if worn_bomb(det.sentence) is not None:
        suicide = next((i for i in lex.instruments if i.sub_event_type == "Suicide bomb"), None)
        if suicide is not None:
            return suicide, suicide.weapon, None
    if best is None:
        return None, None, None
    weapon_src = munition if munition is not None else best
    qty = None
    if munition is not None and munition[1].i != det.token.i:
        count = weapon_quantity(munition[1], lex)
        qty = count.value if count is not None else None
    return best[0], weapon_src[0].weapon, qty


#: Verbs of setting off a bomb, and what a carrier sets off on himself.
_DETONATE = frozenset({"blow", "detonate", "explode"})
_WORN = frozenset({"himself", "herself", "themselves", "vest", "belt"})


def worn_bomb(sent: Span) -> str | None:
    """The words of a bomb set off by its carrier ("blew himself up", "detonated his
    explosive vest", "detonated a suicide belt"), or None."""
    for t in sent:
        if t.lemma_.lower() in _DETONATE and t.pos_ == "VERB":
            for o in children(t, "dobj"):
                if o.lower_ in _WORN or o.lemma_.lower() in _WORN:
                    return f"{t.text} {o.text}"
    return None


#: Words that make a phrase the backing of a doer, not its weapon ("backed by helicopters",
#: "with the support of warplanes", "under air cover").
_SUPPORT_WORDS = frozenset({"back", "backed", "support", "supported", "backing", "cover",
                            "escort", "escorted", "assist", "assisted", "aid", "aided"})


def _in_support_phrase(tok: Token, trigger: Token) -> bool:
    """Whether ``tok`` lies in a phrase that tells who backed the doer, below the
    trigger's own words: "the SDF, backed by Coalition helicopters, conducted a raid" is a
    ground raid the helicopters supported, not an air strike."""
    for t in tok.ancestors:
        if t.i == trigger.i:
            return False
        if t.lemma_.lower() in _SUPPORT_WORDS or t.lower_ in _SUPPORT_WORDS:
            return True
    return False


#: Verbs whose object is what a strike hit, never what it hit with.
_HIT_THING_VERBS = frozenset({"destroy", "engage", "suppress", "damage", "neutralise",
                              "neutralize", "target", "defuse", "dismantle", "disable"})
#: Nouns after which "to"/"for" introduces what is answered: "in response to rocket fire".
_ANSWER_NOUNS = frozenset({"response", "retaliation", "reprisal", "revenge"})


def _air_force_acting(tok: Token, det: Detection) -> bool:
    """Whether "air" of "air force" is the subject of the trigger: "its air force struck
    RSF concentrations" is an air strike, where "the Air Force base" names no aircraft."""
    force = tok.head
    return tok.lower_ == "air" and force.lemma_.lower() == "force" and force.dep_ == "nsubj" \
        and force.head.i in {det.token.i, *(a.i for a in det.absorbed)}


def suicide_bomber(tok: Token) -> bool:
    """"Suicide bombers": people armed with their bomb, whoever stopped them."""
    return tok.lemma_.lower() == "bomber" and any(
        c.lower_ == "suicide" and c.dep_ in ("compound", "amod") for c in tok.children)


def _struck_thing(tok: Token, det: Detection) -> bool:
    """Whether ``tok`` lies in the object of a verb of hitting a target whose subject is
    the trigger ("four strikes destroyed an ISIL mortar system and a VBIED"): a military
    report names what a strike destroyed, and a weapon destroyed is no weapon used.  Nor
    is whom a killing killed ("security forces killed three suicide bombers")."""
    triggers = {det.token.i, *(a.i for a in det.absorbed)}
    for t in (tok, *tok.ancestors):
        if t.dep_ in ("dobj", "nsubjpass") and t.head.i in triggers and \
                det.trigger.rule == "casualty" and t.head.pos_ == "VERB":
            return True
        if t.dep_ == "dobj" and t.head.lemma_.lower() in _HIT_THING_VERBS and (
                t.head.i in triggers or any(s.i in triggers for s in children(t.head, "nsubj"))
                or t.head.dep_ == "acl" and t.head.head.i in triggers
                or any(s.i in triggers for c in t.head.conjuncts for s in children(c, "nsubj"))):
            return True
        if t.i in triggers:
            return False
    return False


def _answered_phrase(tok: Token, trigger: Token) -> bool:
    """Whether ``tok`` lies in "in response to …", "in retaliation for …": what the
    other side did, below the trigger ("struck a Hamas site in response to rocket fire")."""
    for t in tok.ancestors:
        if t.i == trigger.i:
            return False
        if t.dep_ == "prep" and t.lower_ in ("to", "for") and t.head.lemma_.lower() in _ANSWER_NOUNS:
            return True
    return False


def _backer(tok: Token, top: Token) -> bool:
    """Whether ``tok`` names who backs a noun below ``top`` ("government forces backed by
    African Union troops"): a support word that modifies a noun, not a clause's own verb
    ("we have supported the liberation of …")."""
    for t in tok.ancestors:
        if t.i == top.i:
            return False
        if (t.lemma_.lower() in _SUPPORT_WORDS or t.lower_ in _SUPPORT_WORDS) \
                and t.dep_ in ("acl", "amod", "relcl") and t.head.pos_ in ("NOUN", "PROPN"):
            return True
    return False


#: Verbs of taking people that a note tells without their auxiliary ("3 suspects arrested").
_CAPTURE_VERBS = frozenset({"arrest", "detain", "capture", "apprehend", "abduct", "kidnap",
                            "nab"})


def _note_capture(tok: Token) -> bool:
    """A note's passive with its auxiliary left out: "…, 2 ISIS suspects detained"."""
    return tok.lemma_.lower() in _CAPTURE_VERBS and tok.tag_ in ("VBN", "VBD") \
        and not children(tok, "dobj", "aux", "auxpass") \
        and any(children(s, "nummod") for s in children(tok, "nsubj"))


def _agents(tok: Token, light_verbs: frozenset[str] = frozenset(),
            inherit_conj: bool = True) -> list[Token]:
    """Heads of the agent phrase of a trigger."""
    if tok.pos_ in ("VERB", "AUX"):
        passive = bool(children(tok, "auxpass")) or (tok.tag_ == "VBN" and (
            children(tok, "nsubjpass") or tok.dep_ == "acl" and not children(tok, "nsubj"))) \
            or elided_passive(tok) or _note_capture(tok)  # "bridges bombed by the
        # coalition", a note's "1 PMF member killed", "2 ISIS suspects detained"
        if passive:
            # "he was bombed and killed by coalition aircraft": the last of two passive
            # verbs carries the "by" phrase for both.
            verbs = [tok, *(c for c in children(tok, "conj") if c.tag_ == "VBN")]
            by = [p for v in verbs for a in children(v, "agent") for p in children(a, "pobj")]
            if not by and tok.dep_ == "relcl" and any(
                    p.lower_ in ("in", "during") and any(o.tag_ == "WDT" for o in children(p, "pobj"))
                    for p in children(tok, "prep")):
                # "conducted an operation …, during which four terrorists were killed": who
                # conducted the operation the clause is about did the killing.
                return _agents(tok.head, light_verbs)
            # "killed in a raid conducted by the U.S. military", "died in a U.S. strike":
            # whoever made the raid did the killing.
            return by or [p for v in verbs for prep in children(v, "prep")
                          if prep.lower_ in ("in", "during")
                          for n in children(prep, "pobj") if n.pos_ == "NOUN"
                          and any(c.dep_ in ("acl", "compound", "amod", "poss") for c in n.children)
                          for p in _noun_agents(n)]
        subj = children(tok, "nsubj")
        if subj and tok.dep_ == "relcl" and subj[0].tag_ in ("WDT", "WP"):
            return [tok.head]  # "the Islamic State group, which lost …"
        if subj:
            return subj
        between = [p for prep in children(tok, "prep") if prep.lower_ == "between"
                   for p in children(prep, "pobj")]
        if between:
            return between  # "Fighting between the army and IS killed …": the first side
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB":
            verb = tok.head.head
            if tok.head.lower_ in ("on", "for") and children(verb, "dobj"):
                return children(verb, "dobj")  # "congratulated Iraqi forces on retaking"
            return _agents(verb, light_verbs, inherit_conj)  # "had caused … by bombing"
        deps = ("advcl", "xcomp", "conj", "pcomp") if inherit_conj else ("advcl", "xcomp", "pcomp")
        if tok.dep_ in deps and tok.head.pos_ in ("VERB", "AUX"):
            return _agents(tok.head, light_verbs)
        return []
    out = _noun_agents(tok)
    if tok.dep_ in ("attr", "nsubj") and tok.head.text == "IS":
        # A note's "IS attack on army positions": the parser reads the group's name as
        # the verb "is" and the attack as its complement.
        out.append(tok.head)
    own = any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her") for c in tok.children)
    if tok.dep_ == "dobj" and tok.head.pos_ in ("VERB", "AUX") and (
            tok.head.lemma_.lower() in light_verbs | _WIELDING_VERBS | _PLACING_VERBS or own
            or tok.head.lemma_.lower() == "claim"):
        # "Israel has carried out strikes"; "Iraqi forces renewed their push": the
        # subject owns the action its pronoun points back to; "militants planted a
        # roadside bomb": who laid the device set it off; "IS claimed the attack": who
        # owns it made it.
        out += _agents(tok.head, light_verbs)
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        for a in children(tok.head, "agent"):  # "The attack was carried out by 500 troops"
            out += children(a, "pobj")
        out += _between(tok.head)  # "clashes took place between the Peshmerga and IS"
    claim = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "for" else None
    if claim is not None and claim.lemma_.lower() == "responsibility" and \
            claim.head.lemma_.lower() in _OWNING_VERBS:
        # "Al Shabaab claimed responsibility for the blast": who owns the act did it.
        out += _agents(claim.head, light_verbs)
    if tok.dep_ == "pobj" and tok.head.lower_ == "with":
        # "attacked with artillery fire", "initiated hostilities with artillery fire":
        # the verb's subject wields it.
        host = tok.head.head
        if host.pos_ == "NOUN" and host.dep_ == "dobj":
            host = host.head
        if host.pos_ == "VERB":
            out += _agents(host, light_verbs)
    if not out and tok.dep_ == "pobj" and tok.head.lower_ in ("after", "during", "in") \
            and tok.lemma_.lower() in _CLASH_WORDS and tok.head.head.pos_ == "VERB" \
            and any(p.lower_ == "with" for p in children(tok, "prep")):
        # "troops rescued 15 hostages after an encounter with ISWAP terrorists": the
        # fight's other side is named, so the one who did the rest fought it.
        out += [a for a in _agents(tok.head.head, light_verbs) if not in_subtree(a, tok)]
    return out


#: Verbs of owning an act: "claimed responsibility for", "admitted responsibility for".
_OWNING_VERBS = frozenset({"claim", "accept", "admit", "take", "bear", "assume"})
#: Verbs of laying a device: their subject is the bomber.
_PLACING_VERBS = frozenset({"plant", "lay", "place", "hide", "rig", "emplace"})


def _between(verb: Token) -> list[Token]:
    """The sides of "… took place / erupted / broke out between X and Y" on ``verb``."""
    return [p for prep in children(verb, "prep") if prep.lower_ == "between"
            for p in children(prep, "pobj")]


def _manner_word(tok: Token, lex: Lexicon) -> bool:
    """A plain adjective of manner ("fierce", "heavy"), no doer of the noun it qualifies
    (as "terrorist" or "rebel" are)."""
    return tok.dep_ == "amod" and tok.pos_ == "ADJ" and tok.text.islower() and not tok.ent_type_ \
        and not any(lex.in_class(tok.lemma_.lower(), c) for c in ("combatant", "group", "unit"))


def _noun_agents(tok: Token) -> list[Token]:
    """Who makes the action a noun names: its owner ("U.S. air strike", "Iraq's
    offensive"), its "by" phrase, or the "by" phrase of the participle that describes it
    ("a raid conducted by the U.S. military", "strikes carried out by Russian jets")."""
    out = [c for c in tok.children if c.dep_ in ("compound", "poss", "amod", "nmod")]
    for p in children(tok, "prep"):
        if p.lower_ == "by":
            out += children(p, "pobj")
        elif p.lower_ == "between":  # "the agreement between Baghdad and Erbil": the first party
            out += children(p, "pobj")
    for c in children(tok, "acl"):
        if c.tag_ == "VBN":
            out += [p for a in children(c, "agent") for p in children(a, "pobj")]
    return out


def _under_fire(tok: Token) -> Token | None:
    """The verb of "X came under fire/attack" (its subject is the target), else None."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "under" and tok.head.head.lemma_ in ("come", "be"):
        return tok.head.head
    return None


#: Verbs of running onto a laid device: "their vehicle hit a landmine", "a patrol struck
#: an IED", "a shepherd stepped on a mine".
_RUN_ONTO = frozenset({"hit", "strike", "run", "drive", "step", "tread"})


def _ran_onto_mine(tok: Token, lex: Lexicon) -> bool:
    """Whether the trigger's subject ran onto a laid explosive: it is then the target
    (CB: the victims of a remote explosive are actor2), never who laid it."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in _RUN_ONTO:
        return False
    objs = children(tok, "dobj") + [o for p in children(tok, "prep")
                                     if p.lower_ in ("on", "over", "onto", "into")
                                     for o in children(p, "pobj")]
    laid = {w for inst in lex.instruments
            if inst.sub_event_type == "Remote explosive/landmine/IED" for w in inst.lemmas}
    return any(o.lemma_.lower() in laid and o.lemma_.lower() not in ("explosion", "blast")
               for o in objs)


def _patients(det: Detection, lex: Lexicon | None = None) -> list[Token]:
    """Heads of the patient phrase of a trigger."""
    out: list[Token] = []
    if det.token.dep_ == "acl" and det.token.tag_ == "VBN" and not children(det.token, "nsubj"):
        out.append(det.token.head)  # "bridges bombed by the coalition": the bridges
    verb = _under_fire(det.token)
    if verb is not None:
        out += children(verb, "nsubj")  # "U.S. forces came under rocket fire"
    if _note_capture(det.token):
        out += children(det.token, "nsubj")  # a note's "2 ISIS suspects detained"
    if lex is not None and _ran_onto_mine(det.token, lex) or det.trigger.id == _MET_DEATH:
        out += children(det.token, "nsubj")  # "their vehicle hit a landmine"
    for t in [det.token, *det.absorbed]:
        if t.pos_ in ("VERB", "AUX"):
            out += [slipped_participle(o) for o in children(t, "dobj", "nsubjpass")]
            if not children(t, "dobj"):
                # "settlers attacked Palestinian farmers harvesting olives": the parser
                # reads the object and its participle as a clause of their own.
                out += [s for c in children(t, "ccomp") if c.tag_ == "VBG"
                        for s in children(c, "nsubj")]
            if elided_passive(t):
                out += children(t, "nsubj")  # "IED explosion in X, two civilians wounded"
        if lex is not None and det.trigger.sub_event_type == "Armed clash":
            # "launched an offensive to capture territory held by Daesh": the side that
            # holds the ground a clash is fought for is its other party.
            hosts = [t, t.head] if t.pos_ == "NOUN" else [t]
            out += [o for h in hosts for c in children(h, "advcl", "acl", "xcomp")
                    if _purpose_of_gain(c, lex) for o in children(c, "dobj")]
        for p in children(t, "prep"):
            if p.lower_ in ("on", "against", "at", "from", "of", "between"):
                out += children(p, "pobj")
            elif lex is not None and p.lower_ == "with" and t.lemma_.lower() in _CLASH_WORDS \
                    and not _names_weapon(p, lex):
                out += children(p, "pobj")  # "gangs clashed with police": the other side
            elif p.lower_ in ("in", "inside") and lex is not None and det.trigger.rule in (
                    "instrument", "casualty") and t.pos_ in ("VERB", "AUX"):
                # "a car bomb exploded in a crowded market", "blew himself up inside a
                # mosque": a bomb set off in a place only civilians fill targeted them.
                out += [o for o in children(p, "pobj") if lex.in_class(o.lemma_, "civilian_site")]
            elif p.lower_ == "under" and det.trigger.rule in ("instrument", "casualty"):
                # "a landmine exploded under a shepherd", "a bomb went off under a bus"
                out += [o for o in children(p, "pobj") if o.lower_ != "fire"]
            if lex is not None and p.lower_ in ("after", "following", "amid") and \
                    det.trigger.rule in ("territory", "territory-loss"):
                # "took control of Ras al-Ain after clashes with the SDF": the side the
                # fight for the ground was with is the one that lost it.
                fights = set(lex.filters["fight_words"])
                out += [o for n in children(p, "pobj") if n.lemma_.lower() in fights
                        for w in children(n, "prep") if w.lower_ in ("with", "against")
                        for o in children(w, "pobj")]
        if lex is not None and t.pos_ == "NOUN" and t.dep_ == "dobj" and (
                t.head.lemma_.lower() in lex.filters["light_verbs"]
                or t.head.lemma_.lower() in _WIELDING_VERBS):
            # "police used live fire against protesters", "carried out strikes on Hajin":
            # the parser may hang the target's phrase on the verb that carries the noun.
            out += [o for p in children(t.head, "prep") if p.lower_ in ("on", "against", "at")
                    for o in children(p, "pobj")]
        if t.pos_ == "NOUN" and t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX"):
            out += _between(t.head)  # the other side of "clashes erupted between X and Y"
            # "one strike destroyed an ISIS headquarters", "the raid hit a Shabaab camp":
            # what the strike's verb acts on is its target; not what it shows ("the
            # attacks demonstrate the barbarity of the regime").
            if t.head.lemma_.lower() not in _SHOWING_VERBS:
                out += children(t.head, "dobj")
        if t.pos_ == "NOUN" and t.dep_ == "pobj" and t.head.lower_ in ("with", "by", "in") \
                and t.head.head.lemma_.lower() in _HIT_THING_VERBS:
            # "destroyed a PKK arms depot with an airstrike": what the verb the strike
            # was the means of acted on.
            out += children(t.head.head, "dobj", "nsubjpass")
        if t.pos_ == "NOUN" and t.dep_ == "appos" and t.head.dep_ == "nsubj" \
                and t.head.head.lemma_.lower() in _HIT_THING_VERBS:
            # "Near Sinjar, a strike suppressed an ISIL position": the parser makes the
            # place the subject and the strike its apposition.
            out += children(t.head.head, "dobj")
        if t.pos_ == "NOUN" and t.dep_ == "pobj" and t.head.lower_ in ("in", "during", "by") \
                and t.head.head.lemma_.lower() in ("kill", "wound", "injure"):
            # "4 ISIS terrorists killed in airstrike", "were wounded in the shelling": who
            # the strike killed is whom it hit.
            harm = t.head.head
            out += [harm.head] if harm.dep_ == "acl" and harm.tag_ == "VBN" else \
                children(harm, "nsubjpass")
        if t.pos_ == "NOUN":
            # A note's "Explosion of a car bomb in Azaz, 5 civilians killed": the counted
            # people set beside the blast, with their participle, are whom it hit.
            out += [a for a in children(t, "appos") if any(
                c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in ("kill", "wound", "injure")
                for c in a.children)]
            # "…, 4 civilians dead": the parser hangs the people on the adjective.
            out += [p for a in children(t, "amod") if a.lower_ in ("dead", "killed", "wounded",
                                                                   "injured")
                    for p in children(a, "npadvmod", "nsubj")]
        for c in children(t, "advcl", "acl"):
            if c.lemma_ == "target" or t.pos_ == "NOUN" and c.lemma_.lower() in _HIT_THING_VERBS:
                out += children(c, "dobj")  # "…, a strike destroyed an ISIL VBIED" (acl)
    # "killed dozens of civilians", "wounded scores of villagers": the count's people.
    out += [p for o in list(out) if o.ent_type_ == "CARDINAL" or o.lemma_.lower() in _COUNTS
            for prep in children(o, "prep") if prep.lower_ == "of" for p in children(prep, "pobj")]
    # "bombed Khan Sheikhoun, 4 civilians killed": a note's apposition says who was hit.
    out += [c for o in list(out) for c in o.children if c.dep_ == "appos"]
    # "killing nine people, including two children": whom the count takes in.
    out += [p for o in list(out) for prep in children(o, "prep")
            if prep.lower_ in ("including", "among") for p in children(prep, "pobj")]
    return out


#: Words of a fight whose "with" phrase names the other side.
_CLASH_WORDS = frozenset({"clash", "fight", "battle", "skirmish", "exchange", "firefight",
                          "gunfight", "gunbattle", "confrontation", "encounter", "shootout"})


#: Verbs by which a happening means or shows something, acting on nothing.
_SHOWING_VERBS = frozenset({"demonstrate", "show", "prove", "mark", "reveal", "highlight",
                            "underline", "illustrate", "reflect", "represent", "indicate",
                            "signal", "constitute", "be", "remain", "become", "mean"})


#: Verbs that wield the weapon or force they take as object ("used live fire", "opened
#: fire", "employed tear gas"): their subject is the doer, their target the noun's.
_WIELDING_VERBS = frozenset({"use", "open", "employ", "direct", "turn"})


#: Nouns and words that count people ("dozens of", "a number of", "many of").
_COUNTS = {"dozen", "score", "hundred", "thousand", "number", "handful", "several", "many",
           "some", "all", "most"}


def _via_clause(r: Token, h: Token) -> bool:
    """Whether ``r`` hangs under ``h`` through a relative clause ("…, where U.S. forces operate")."""
    for t in [r, *r.ancestors]:
        if t == h:
            return False
        if t.dep_ == "relcl":
            return True
    return False


def _pick_actor(heads: list[Token], actors: list[tuple[Entity, Token]],
                exclude: set[str]) -> tuple[Entity | None, Entity | None, Token | None]:
    """(main actor, associated actor, head used) among the entities under ``heads``."""
    for h in heads:
        # "government forces backed by African Union troops": the backer is no doer.
        inside = [(e, r) for e, r in actors if in_subtree(r, h) and e.name not in exclude
                  and not _via_clause(r, h) and not _backer(r, h)]
        if not inside:
            continue
        inside.sort(key=lambda er: tree_distance(er[1], h))
        main = inside[0]
        assoc = None
        for e, r in inside[1:]:
            if e.name != main[0].name and (r in main[1].conjuncts or r.dep_ == "conj"):
                assoc = e
                break
        return main[0], assoc, h
    return None, None, None


def find_intervener(det: Detection, index: EntityIndex, lex: Lexicon, args: Arguments) -> None:
    """Who met the protest with force, told by another clause of its sentence: the doer of
    the dispersal, the arrest or the shooting ("Police used tear gas to disperse students
    who were protesting", "protesters … were dispersed by riot police").  The protest
    trigger's own phrase names only the crowd; CB codes the force as actor2."""
    if det.trigger.rule != "protest":
        return
    words = lex.classes.get("protest_intervention", frozenset()) | lex.classes.get(
        "protest_force", frozenset())
    light = frozenset(lex.filters["light_verbs"])
    actors = [(e, r) for e, r in index.in_sentence(det.token, "ACTOR")
              if e.name and lex.actor_kind(e.name) != "observer"]
    for t in det.sentence:
        if t.lemma_.lower() not in words or in_subtree(t, det.token):
            continue
        # "used tear gas", "fired water cannon": the weapon's verb has the doer.
        verb = t if t.pos_ in ("VERB", "AUX") else next(
            (a for a in t.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if verb is None:
            continue
        doers = [a for a in _agents(verb, light) if not in_subtree(a, det.token)]
        if not doers:
            continue
        main, _, _ = _pick_actor(doers, actors, set())
        if main is not None:
            if lex.actor_kind(main.name) == "state":
                args.intervener = main.name
                return
            continue
        if any(lex.in_class(a.lemma_, "police") for a in doers):
            args.intervener_police = True
            return
        if any(_state_force(a) for a in doers):
            args.intervener_security = True
            return


#: Kinds of unresolved organisation that are civil bodies: firms, schools, media.
_CIVIL_KINDS = frozenset({"company", "education", "media"})


def _civil_body(entity: Entity, lex: Lexicon, root: Token | None = None) -> bool:
    """Whether an organisation the base does not know is a civil body: a firm, a school, a
    newspaper, or a name that ends in a civil site ("the Hayat Hotel", "Al-Shifa Hospital"),
    or that names the site the word after it is ("Gaza City's Al Shifa hospital")."""
    if entity.resolution is None or entity.resolution.method != "unresolved" or not entity.name:
        return False
    last = entity.name.split()[-1].lower()
    return entity.kind in _CIVIL_KINDS or lex.in_class(last, "civilian_site") \
        or lex.in_class(last.removesuffix("s"), "civilian_site") or root is not None \
        and root.dep_ in ("compound", "nmod") and lex.in_class(root.head.lemma_, "civilian_site")


def find_actors(det: Detection, index: EntityIndex, lex: Lexicon, args: Arguments) -> None:
    """Fill actor1/actor2 (+assoc) from the agent and patient phrases."""
    # "the regime", "his government": a state named by a common noun is no actor a coder
    # can name; the noun itself says the state's forces act (``_state_force``).  "The
    # army" stays, as the merge names it the country's (``_national_force``).
    # "The group", "the militia": a body named by its kind alone that no earlier name
    # resolved is no actor a coder can name either; the noun still says what kind of
    # side acted (an armed group).
    # "the Hayat Hotel", "Kabul University": a civil body the model tagged is the site
    # of its people, a civilian target, never a side (CB).
    civil_sites = {r.i for e, r in index.in_sentence(det.token, "ACTOR")
                   if _civil_body(e, lex, r)}
    actors = [(e, r) for e, r in index.in_sentence(det.token, "ACTOR")
              if e.name and lex.actor_kind(e.name) != "observer" and not (
                  common_body(e) and e.name.split()[-1].lower() not in _FORCE_HEADS)
              and r.i not in civil_sites and not _weapon_model(e, r, lex)]
    light = frozenset(lex.filters["light_verbs"])
    # A bare killing does not borrow a coordinated verb's subject: the parser often hangs
    # "… strikes killed four" on the sentence's main verb ("militias vowed … killed").
    agents = _agents(det.token, light, inherit_conj=det.trigger.rule != "casualty")
    if not agents and det.token.pos_ == "NOUN" and det.token.dep_ == "pobj" \
            and det.token.head.lower_ in ("in", "during") \
            and det.token.head.head.lemma_.lower() in _WIELDING_VERBS \
            and not children(det.token.head.head, "auxpass"):
        # "Government forces used chlorine gas in an attack on Kafr Zita": who used the
        # weapon in the attack made it.
        agents = children(det.token.head.head, "nsubj")
    if not agents and det.token.dep_ == "compound" and det.token.head.lemma_.lower() in CAMPAIGN_NOUNS:
        agents = _noun_agents(det.token.head)  # "Arrest campaign by the Asayish in Raqqa"
    if not agents and det.token.dep_ == "acl" and det.token.tag_ == "VBG" and headline(det.token):
        agents = [det.token.head]  # a note's "Regime shelling on Kafr Nabl": the noun acts
    if det.token.pos_ == "NOUN" and all(_manner_word(a, lex) for a in agents):
        # "security forces killed two militants in a (fierce) gunfight": the verb the noun
        # trigger folded in has the doer, unless that is the trigger's own phrase ("an
        # attack … killed four soldiers").
        agents = [a for v in det.absorbed if v.pos_ == "VERB" and v in det.token.ancestors
                  for a in _agents(v, light) if not in_subtree(det.token, a)] or agents
    if _under_fire(det.token) is not None:
        agents = [p for prep in children(det.token, "prep") if prep.lower_ == "by"
                  for p in children(prep, "pobj")]  # the subject is the target, not the attacker
    elif _ran_onto_mine(det.token, lex) or det.trigger.id == _MET_DEATH:
        # "their vehicle hit a landmine": whoever laid it is not named; "two soldiers
        # embraced martyrdom": who met death is no doer.
        agents = []
    main, assoc, _ = _pick_actor(agents, actors, set())
    if main is None and det.token.pos_ in ("NOUN", "PROPN"):
        # "coalition strikes", "U.S.-led airstrikes": the actor's name takes in the noun
        # that is the trigger itself.
        main = next((e for e, r in actors if e.start <= det.token.idx < e.end), None)
    if main is None:
        # "leader Abu Bakr al-Baghdadi declared …", "a spokesman for X said its …": a
        # person acts for the organisation the entity layer gave him.
        people = [(e, r) for e, r in index.in_sentence(det.token, "PERSON") if e.organisation]
        person, _, _ = _pick_actor(agents, people, set())
        if person is not None and person.organisation and \
                lex.actor_kind(person.organisation) != "observer":
            main = Entity(person.text, person.start, person.end, "ACTOR",
                          person.organisation, person.organisation)
    if main is None and det.token.dep_ == "acl" and det.token.tag_ == "VBD" and \
            det.token.head.dep_ == "attr":
        # "IS militants attacked SDF positions": the tagger reads "IS" as the verb "is" and
        # the rest as its attribute; the name it swallowed is the doer.
        main = next((e for e, r in actors if r == det.token.head.head), None)
    if main is None and det.token.pos_ == "VERB":
        # "IS seized …": the tagger may read the name as the auxiliary "is".
        left = [(e, r) for e, r in actors if r.head == det.token and r.i < det.token.i
                and r.dep_ in ("aux", "auxpass", "npadvmod", "nsubj")]
        if left:
            main = left[0][0]
    platforms = {w for inst in lex.instruments if not inst.munition for w in inst.lemmas}
    # A platform noun may be the trigger itself ("six bombers struck" folds into "bombers").
    # A noun's modifiers ("air strike") are no doers.
    # "regime warplanes carried out airstrikes": a noun trigger's light verb has the doer;
    # the noun's own modifiers ("U.S. air strike") are no doers.
    doers = [det.token, *(a for a in agents if a.head != det.token)] \
        if det.token.pos_ in ("NOUN", "PROPN") else agents
    args.agent_police = main is None and any(lex.in_class(a.lemma_, "police") for a in doers)
    args.agent_security = main is None and any(_state_force(a) for a in doers)
    args.agent_platform = main is None and any(
        a.lemma_.lower() in platforms or lex.in_class(a.lemma_, "unit") for a in doers) \
        and worn_bomb(det.sentence) is None  # "a bomber … blew himself up" is no aircraft
    args.agent_pronoun = main is None and any(
        a.lower_ in _PRONOUNS or any(c.dep_ == "poss" and c.lower_ in ("its", "their")
                                     for c in a.children) for a in agents)
    exclude = {main.name} if main is not None and main.name else set()
    if det.trigger.rule == "territory-loss":
        # "Islamic State lost Mosul": the loser is the subject; the winner is not named,
        # unless the ground fell "to" it ("the town fell to coalition forces").
        args.actor2 = main.name if main else None
        args.agent_kind = None
        to = [p for prep in children(det.token, "prep") if prep.lower_ == "to"
              for p in children(prep, "pobj")]
        of = next((c for c in children(det.token, "prep") if c.lower_ == "of"), None)
        if not to and det.token.pos_ == "NOUN" and of is not None \
                and of.right_edge.i + 1 < len(det.token.doc) \
                and det.token.doc[of.right_edge.i + 1].lower_ == "to":
            # "the fall of Mosul to Daesh", "to" hung on the sentence's verb
            to = children(det.token.doc[of.right_edge.i + 1], "pobj")
        gainer, _, _ = _pick_actor(to, actors, exclude)
        if gainer is not None:
            args.actor1 = gainer.name
            args.agent_kind = lex.actor_kind(gainer.name)
    else:
        args.actor1 = main.name if main else None
        args.assoc_actor_1 = assoc.name if assoc else None
        args.agent_kind = lex.actor_kind(args.actor1)
        if args.agent_security:
            args.agent_kind = "state"  # "security forces took control of …", "our troops"
        groups = {r.i for e, r in index.in_sentence(det.token, "ACTOR")
                  if common_body(e) and e.kind == "armed_group"}
        if main is None and any(lex.in_class(a.lemma_.lower(), "combatant") or a.i in groups
                                or _armed_people(a, lex)
                                for a in doers):
            # "Kurdish fighters pushed ISIL out of Kobane", "the group captured Mosul":
            # fighters, militants, an armed group nobody names are an armed group, not a
            # state's forces.
            args.agent_kind = "non_state"
        patients = _patients(det, lex)
        # "forces backed by African Union troops recaptured …": the backer is no target.
        p_main, p_assoc, p_head = _pick_actor(
            patients, [(e, r) for e, r in actors if not _backer(r, det.token)], exclude)
        args.actor2 = p_main.name if p_main else None
        args.assoc_actor_2 = p_assoc.name if p_assoc else None
        if p_main is None and assoc is not None and (
                det.token.lemma_.lower() in _MUTUAL
                and _joined_subjects(det.token, main, assoc, actors)
                or exchanged(det.token) and _joined_subjects(det.token.head, main, assoc, actors)):
            # "HTS and regime forces clashed near Tal Marq": the two sides of a mutual
            # verb are its two actors, not allies (CB: "X and Y clashed" is X vs Y).
            args.actor2, args.assoc_actor_1 = assoc.name, None
        if args.actor1 is None and args.actor2 is not None and det.trigger.sub_event_type in (
                "Change to group/activity", "Headquarters or base established") and any(
                _pick_actor([s], actors, exclude)[0] is p_main
                for s in children(det.token, "nsubjpass")):
            # "Hezbollah fighters were deployed to Qusayr": who was moved, formed or set
            # up is the group the change is of, its actor1; nobody is its target.
            args.actor1, args.assoc_actor_1 = args.actor2, args.assoc_actor_2
            args.actor2 = args.assoc_actor_2 = None
            args.agent_kind = lex.actor_kind(args.actor1)
        if det.trigger.id in _TRANSFER_TRIGGERS:
            # ACLED codes a handover with the side that takes the ground as actor1.
            heads = [det.token, *det.absorbed]
            heads += [c for t in list(heads) for c in children(t, "prt", "advmod")]
            to = [p for t in heads for prep in children(t, "prep", "dative")
                  if prep.lower_ == "to" for p in children(prep, "pobj")]
            gainer, _, _ = _pick_actor(to, actors, exclude)
            if gainer is not None:
                args.actor2, args.assoc_actor_2 = args.actor1, args.assoc_actor_1
                args.actor1, args.assoc_actor_1 = gainer.name, None
                args.agent_kind = lex.actor_kind(gainer.name)
        # Civilians, or a place only civilians fill ("attacked a bus", "shelled a market").
        # "an apartment building", "a residential block": a site the modifier makes civil.
        civ = [h for h in patients if lex.in_class(h.lemma_, "civilian") or h.i in civil_sites
               or any(lex.in_class(w.lemma_, "civilian_site") for w in (h, *h.children)
                      if w == h or w.dep_ in ("compound", "amod"))]
        # "killed dozens of civilians fleeing El Fasher": a name in a clause describing
        # the civilians is where they were, not who was attacked.
        described = p_main is not None and any(
            e.name == p_main.name and in_subtree(r, c) for e, r in actors for h in civ
            for c in h.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB")
        if described:
            # "executed 4 civilians accused of collaborating with the Iraqi army": the
            # army the clause names is no party to the killing.
            args.actor2 = args.assoc_actor_2 = None
        args.patient_civilian = bool(civ) and (p_main is None or described) or (
            p_main is not None and lex.actor_kind(p_main.name) == "civilians")
        args.patient_civilian_named = args.patient_civilian and (
            p_main is not None or any(not lex.in_class(h.lemma_, "anyone") for h in civ))
        if p_main is None and not civ:
            # "killed three soldiers", "ambushed a police patrol": CB codes the unnamed
            # soldiers or police of a country as that country's forces.
            args.patient_police = any(_police(h, lex) for h in patients)
            sides = [c for h in patients for c in (h, *h.conjuncts)]
            args.patient_state = not args.patient_police and any(
                _state_force(h) or h.lemma_.lower() in _SOLDIERS for h in sides)
            # "engaged the terrorists' location": the owners of the place attacked.
            owners = [c for h in patients for c in h.children if c.dep_ == "poss"]
            args.patient_armed = not (args.patient_police or args.patient_state) and any(
                lex.in_class(h.lemma_.lower(), "combatant") or suicide_bomber(h)
                for h in [*sides, *owners])


#: Verbs whose joined subjects fight each other ("X and Y clashed").
_MUTUAL = frozenset({"clash", "fight", "battle", "skirmish",
                     # "The government and the TPLF signed a peace agreement": the parties.
                     "sign", "agree", "conclude"})


def exchanged(tok: Token) -> bool:
    """Whether a trigger noun is what two sides exchanged ("X and Y exchanged artillery
    fire"): each side fired on the other (CB: an exchange of fire is a clash)."""
    return tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.lemma_.lower() == "exchange"


def _joined_subjects(verb: Token, main: Entity | None, other: Entity,
                     actors: list[tuple[Entity, Token]]) -> bool:
    """Whether ``main`` and ``other`` head subjects of ``verb`` joined by "and"."""
    roots = {id(e): r for e, r in actors}
    a, b = roots.get(id(main)), roots.get(id(other))
    if a is None or b is None:
        return False
    subjects = {t.i for s in children(verb, "nsubj") for t in (s, *s.conjuncts)}

    def side(tok: Token) -> int | None:
        return next((t.i for t in (tok, *tok.ancestors) if t.i in subjects), None)

    return None not in (side(a), side(b)) and side(a) != side(b)


#: Nouns that name state forces when a word of ``_STATE_MODIFIERS`` qualifies them.
_FORCE_NOUNS = {"force", "troop", "soldier", "unit", "service", "personnel", "convoy",
                "patrol", "checkpoint", "post", "position", "base", "warplane", "aircraft",
                "jet", "helicopter", "plane", "gunship", "drone", "artillery", "tank"}
#: Sites and vehicles a force's name qualifies: "a police station", "army barracks", "a
#: military vehicle".  Attacking one attacks that force (CB: the force holding it is actor2).
_FORCE_SITES = {"station", "barracks", "outpost", "headquarters", "vehicle", "truck",
                "van", "camp", "academy"}
#: "security forces", "government troops", "regime soldiers", "army units".
_STATE_MODIFIERS = {"security", "government", "regime", "army", "state", "junta", "federal",
                    "military", "governmental"}
#: Bare nouns that are a state's own forces ("the army", "soldiers", "troops").
_SOLDIERS = {"army", "military", "soldier", "troop", "servicemen", "serviceman"}


#: The trigger of a death met ("two soldiers embraced martyrdom"): its subject died.
_MET_DEATH = "meet-death"


#: Common nouns that name a state itself: when it acts by force, its forces act.
_STATE_NOUNS = frozenset({"regime", "government"})
#: Heads of a body named by its kind that the merge names by the country it acts in:
#: "the army" → Military Forces of X, "the military police" → Police Forces of X.
_FORCE_HEADS = frozenset({"army", "military", "police", "forces", "troops", "soldiers",
                          "gendarmerie", "force"})


_DEFENCE = frozenset({"defence", "defense", "defences", "defenses"})


def _air_defence(tok: Token) -> bool:
    """"Air defences", "air defence systems", "the air defense": a state's arm."""
    if tok.lower_ in _DEFENCE or tok.lemma_.lower() in _DEFENCE:
        return any(c.lower_ == "air" and c.dep_ in ("amod", "compound") for c in tok.children)
    return tok.lemma_.lower() in ("system", "unit", "battery", "force") and any(
        c.dep_ == "compound" and _air_defence(c) for c in tok.children)


#: Marks that close a note's header ("Daraa: …", "Hasakah - …").
_HEADER_MARKS = frozenset({":", "-", "–", "—"})


def _note_header(ent: Entity, root: Token) -> bool:
    """Whether the place opens its sentence as a note's header ("#Idlib: Russian jets …",
    "Kirkuk: Unknown gunmen kidnapped …")."""
    sent = root.sent
    if sent.text[: ent.start - sent.start_char].strip(" #") != "":
        return False
    after = next((t for t in sent if t.idx >= ent.end), None)
    return after is not None and after.text in _HEADER_MARKS


_CARE_SITES = frozenset({"hospital", "clinic", "morgue", "mortuary"})


def _aftercare(tok: Token) -> bool:
    """A care site the wounded or the dead were brought to ("taken to hospital", "treated
    in hospital", "rushed to a clinic"), not one an attack hit ("struck a hospital")."""
    if tok.pos_ == "VERB":  # "taken to hospital in Maiduguri": the verb holds the place
        return any(c.dep_ == "prep" and c.lower_ == "to" and any(
            g.dep_ == "pobj" and g.lemma_.lower() in _CARE_SITES for g in c.children)
            for c in tok.children)
    if tok.lemma_.lower() not in _CARE_SITES or tok.dep_ != "pobj":
        return False
    prep = tok.head.lower_
    bare = not any(c.dep_ in ("det", "poss") for c in tok.children)
    return prep == "to" or prep == "in" and bare


def _state_force(tok: Token) -> bool:
    """Whether ``tok`` heads an unnamed state force: "security forces", "government
    troops", "regime soldiers", "an army patrol", "the army", "the military"."""
    lemma = tok.lemma_.lower()
    bare = not any(c.dep_ in ("amod", "compound") for c in tok.children)
    if lemma in ("army", "military") and tok.pos_ in ("NOUN", "PROPN") or lemma in _STATE_NOUNS:
        return bare  # "the regime" of Syrian reporting is its state
    if _air_defence(tok):
        return True  # "air defences shot down two drones": only a state keeps them
    own = any(c.lower_ in ("own", "our") and c.dep_ in ("amod", "poss") for c in tok.children)
    if lemma in ("troop", "soldier") and tok.pos_ == "NOUN" and (bare or own):
        # "The troops made contact with the terrorists": bare troops and soldiers are a
        # state's, as a military press office tells its own; "rebel troops" are not.
        return True
    if lemma in _FORCE_NOUNS and own:
        # a ministry or army press office tells its own operations: "our forces", and in
        # Pakistan's military idiom "own troops"
        return True
    return lemma in _FORCE_NOUNS | _FORCE_SITES and any(
        c.dep_ in ("amod", "compound") and c.lower_ in _STATE_MODIFIERS for c in tok.children)


def _police(tok: Token, lex: Lexicon) -> bool:
    """Whether ``tok`` heads unnamed police: "policemen", "a police patrol"."""
    return lex.in_class(tok.lemma_, "police") or \
        tok.lemma_.lower() in _FORCE_NOUNS | _FORCE_SITES and any(
        c.dep_ in ("amod", "compound") and lex.in_class(c.lemma_, "police")
        for c in tok.children)


def _weapon_model(entity: Entity, root: Token, lex: Lexicon) -> bool:
    """Whether a name the base does not know is a weapon's model, the model read as an
    organisation: "Tornado GR4s struck", "Paveway IV guided bombs", "Hellfire missile"."""
    if entity.resolution is None or entity.resolution.method != "unresolved":
        return False
    for t in (root, *root.ancestors):
        if t != root and (t.lemma_.lower() in lex.instrument_lemmas
                          or t.lower_ in lex.instrument_lemmas):
            return True
        if t.dep_ not in ("compound", "nmod", "amod", "nummod", "npadvmod"):
            return False
    return False


def _names_weapon(prep: Token, lex: Lexicon) -> bool:
    """Whether a "with" phrase names a weapon ("with bombs", "with heavy artillery"),
    not a companion or an opponent ("clashed with rebels")."""
    return any(o.lemma_.lower() in inst.lemmas for o in children(prep, "pobj")
               for inst in lex.instruments)


def _in_place_chain(t: Token, lex: Lexicon) -> bool:
    """A link of "in the village of X": the place noun, its "of", and the name after it."""
    if t.dep_ == "pobj" and lex.in_class(t.lemma_, "territory"):
        return True
    if t.dep_ == "prep" and t.lower_ == "of" and lex.in_class(t.head.lemma_, "territory"):
        return True
    return t.dep_ == "pobj" and t.head.lower_ == "of" and lex.in_class(t.head.head.lemma_, "territory")


def _leads_a_longer_name(root: Token) -> bool:
    """Whether a place opens a longer proper name that a locative preposition governs:
    "in Daraa al-Balad", "near Deir ez-Zor Military Airport"."""
    head = root.head
    while head.dep_ in ("compound", "nmod") and head.pos_ == "PROPN" and head.head != head:
        head = head.head
    return root.dep_ == "compound" and head.pos_ == "PROPN" and head.dep_ == "pobj" \
        and head.head.lower_ in ("in", "at", "near", "inside", "outside")


def _on_road(root: Token) -> bool:
    """Whether a place names a road that joins it to another ("the Kaduna-Abuja highway",
    "the Maiduguri-Damboa road"), however the parser chained the names before the noun."""
    t = root
    while t.dep_ in ("compound", "amod", "nmod") and t.head != t:
        t = t.head
        if t.lemma_.lower() in _ROAD_NOUNS:
            return True
    return False


def _placed_at(clause: Token, lex: Lexicon) -> bool:
    """A participle that says where its noun lay ("an IED planted on a road near X",
    "a car bomb parked outside the market") or whose it is ("a weapons depot belonging
    to Hezbollah near Nabatieh", "a base used by the militia in X"): its place is the
    object's, so the event's."""
    if clause.dep_ != "acl":
        return False
    if clause.tag_ == "VBN" and lex.in_class(clause.lemma_, "placement"):
        return True
    return clause.tag_ in ("VBN", "VBG") and lex.in_class(clause.lemma_, "possession")


def _victims_doing(clause: Token, trigger: Token) -> bool:
    """A present participle on the trigger's object says where its victims were when they
    were hit ("attacked worshippers leaving a mosque in X", "shelled farmers working in
    fields near X"): that place is the event's."""
    if clause.dep_ != "acl" or clause.tag_ != "VBG":
        return False
    # "fired into a crowd of teachers demanding salaries in X": the people may sit deeper
    # in the target phrase, through its prepositions.
    for t in (clause.head, *clause.head.ancestors):
        if t == trigger:
            return True
        if t.dep_ not in ("dobj", "nsubjpass", "pobj", "prep"):
            return False
    return False


#: Nouns that make a town's name stand for the area around it: "in Dibis district", "the
#: Tarmiyah area", "the countryside of Tal Tamr" (CB: a small area known, a town standing
#: in for it: precision 2).
_AREA_NOUNS = {"district", "subdistrict", "sub-district", "area", "countryside", "outskirt",
               "outskirts", "suburb", "suburbs", "vicinity", "environs", "surroundings",
               "region"}
#: Nouns that make a name stand for its province: "the province of Idlib" (precision 3).
_PROVINCE_NOUNS = {"province", "governorate"}


#: Gazetteer kinds of a settlement, which a district or province may be named after.
_SETTLEMENTS = {"town", "city", "village"}


def _unit_precision(ent: Entity, root: Token) -> int | None:
    """The geo precision the mention's own noun gives its place when the gazetteer
    resolved the name to the settlement a unit is named after: a town named as a district
    or area is coded at the town at precision 2, a name called a province at precision 3;
    None when no such noun, or when the place is the unit itself (a city's district, "the
    Wahda district", is a site of its own)."""
    if ent.feature not in _SETTLEMENTS:
        return None
    nouns = [ent.text.split()[-1].lower()] if ent.text.split() else []
    after = next((t for t in root.doc[root.i:root.sent.end] if t.idx >= ent.end), None)
    if after is not None:
        nouns.append(after.lemma_.lower())  # "in Dibis district", however it is parsed
    if root.dep_ in ("compound", "amod", "nmod"):
        nouns.append(root.head.lemma_.lower())  # "Dibis district"
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        nouns.append(root.head.head.lemma_.lower())  # "the district of Dibis"
    if any(n in _PROVINCE_NOUNS for n in nouns):
        return 3
    if any(n in _AREA_NOUNS for n in nouns):
        return 2
    return None


#: Prepositions that locate a thing ("a bar in X", "a camp near X").
_LOCATING_PREPS = {"in", "at", "near", "outside", "inside", "around", "on"}
#: Prepositions of a motion whose goal or source a located thing may be.
_MOTION_PREPS = {"into", "to", "toward", "towards", "onto", "from", "against"}


def _locates_goal(prep: Token, root: Token) -> bool:
    """Whether the place at ``root`` locates the common noun a motion preposition hung on
    the verb reaches ("threw grenades into a bar in Bujumbura", "exhumed bodies from a
    burial site in Izium"), rather than being the goal or source itself ("fled to
    Turkey", "fighters from Hawija")."""
    if prep.lower_ not in _MOTION_PREPS or prep.head.pos_ not in ("VERB", "AUX"):
        return False
    for obj in children(prep, "pobj"):
        if obj.pos_ != "NOUN":
            continue
        for loc in children(obj, "prep"):
            if loc.lower_ in _LOCATING_PREPS and in_subtree(root, loc):
                return True
        # "fired into a crowd of teachers demanding salaries in X": where the people
        # the motion reached were.
        for clause in obj.subtree:
            if clause.dep_ == "acl" and clause.tag_ == "VBG" and in_subtree(root, clause) \
                    and _victims_doing(clause, prep.head):
                return True
    return False


#: Roads a town's name may qualify ("the Kaduna-Abuja highway", "the Mosul road").
_ROAD_NOUNS = {"road", "highway", "route", "motorway", "expressway", "roadway", "corridor"}

#: Nouns of an authority a place may qualify ("the Kirkuk government", "Iraq's ministry").
_AUTHORITY_NOUNS = {"government", "ministry", "authority", "administration", "regime",
                    "army", "military", "governor", "mayor", "president"}
#: Administrative units a name may precede as a plain modifier ("Plateau state", "Nariño
#: department", "Maungdaw township"): the name is the unit, a place.
_UNIT_NOUNS = {"state", "governorate", "oblast", "county", "township", "department",
               "prefecture", "municipality", "province", "district", "subdistrict", "region",
               "commune", "canton"}


def _names_site(noun: Token, lex: Lexicon) -> bool:
    """Whether a noun a place qualifies is a site, not an actor or a person ("city hall",
    "airport"; not "forces", "government", "police", "governor")."""
    lemma = noun.lemma_.lower()
    if noun.pos_ == "PROPN" and noun.ent_type_ in ("FAC", "LOC"):
        return True  # "Baghdad's Tahrir Square", "Kabul's Wazir Akbar Khan hospital"
    if noun.pos_ != "NOUN" or lemma in _AUTHORITY_NOUNS:
        return False
    return not any(lex.in_class(lemma, c) for c in ("group", "unit", "person", "police"))


def _located_by(root: Token, places: list[tuple[Entity, Token]]) -> list[Entity]:
    """Places the phrase of the place at ``root`` is located by: "the village of Saida
    near Ain Issa", "Kharab al-Jir in the Dibis district", "Sheikh Hamad village, south
    of Makhmour"."""
    heads = [root]
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        heads.append(root.head.head)  # "the village of X"
    if root.dep_ == "compound":
        heads.append(root.head)  # "X village"
    links = [p for h in heads for p in children(h, "prep")
             if p.lower_ in _LOCATING_PREPS or p.lower_ in _NEAR_PREPS]
    links += [p for h in heads for a in children(h, "advmod") if a.lower_ in _NEAR_PREPS
              for p in children(a, "prep")]  # "X, south of Y"
    return [e for link in links for e, r in places if r.i != root.i and in_subtree(r, link)]


#: A named region ("the Donbas", "Jabal al-Zawiya") holds the towns this near its point:
#: regions carry a point, not an outline.
REGION_RADIUS_KM = 150.0


def _in_region(town: Entity, area: Entity) -> bool:
    """Whether ``town`` lies in the named region ``area`` ("shelled Kramatorsk in the
    Donbas region"), judged by distance, as a region has no outline to test."""
    if area.feature != "region" or town.latitude is None or town.longitude is None \
            or area.latitude is None or area.longitude is None:
        return False
    return distance_km(town.latitude, town.longitude, area.latitude,
                       area.longitude) <= REGION_RADIUS_KM


def _named_after(town: Entity, area: Entity, places: list[tuple[Entity, Token]]) -> bool:
    """Whether the area is named after the town ("the Badia of Palmyra")."""
    roots = {id(e): r for e, r in places}
    t, a = roots.get(id(town)), roots.get(id(area))
    return t is not None and a is not None and t.dep_ == "pobj" and t.head.lower_ == "of" \
        and t.head.head == a


def _namesake_checked(best: tuple[float, Entity, int, str],
                      places: list[tuple[Entity, Token]]) -> tuple[float, Entity, int, str]:
    """The place, unless the text locates it in or near a place of another country: then
    the gazetteer took a namesake of a village it lacks ("the village of Saida near Ain
    Issa" is no Saïda in Algeria), and the locating place stands in for it (CB: a nearby
    town, precision 2)."""
    ent = best[1]
    root = next((r for e, r in places if e is ent), None)
    if root is None or not ent.country:
        return best
    for loc in _located_by(root, places):
        if loc.country and loc.country != ent.country:
            return (best[0], loc, max(loc.geo_precision or 2, 2),
                    f"{ent.text} located by {loc.name}, not the namesake in {ent.country}")
        unit_admin1 = loc.admin1 if loc.feature == "admin2" else (
            loc.admin1 if (loc.id or "").startswith("admin1:") else None)
        if unit_admin1 and ent.admin1 and unit_admin1 != ent.admin1 \
                and ent.feature not in BROAD_FEATURES:
            # "the village of Shahpur in North Waziristan": a district or a province
            # other than the town's says the gazetteer took a namesake (CB: the unit
            # named, precision 2 or 3).
            return (best[0], loc, max(loc.geo_precision or 2, 2),
                    f"{ent.text} located in {loc.name}, not the namesake in {ent.admin1}")
    return best


def _town_of_area(best: tuple[float, Entity, int, str],
                  places: list[tuple[Entity, Token]]) -> tuple[float, Entity, int, str]:
    """The town a wide area is named after: "clashed with IS cells in the Badia of
    Al-Mayadin" happened in the desert around Al-Mayadin, which CB codes at the town,
    precision 2."""
    ent = best[1]
    if ent.feature not in BROAD_FEATURES or ent.feature in ("country", "admin1"):
        return best
    root = next((r for e, r in places if e is ent), None)
    if root is None:
        return best
    for prep in children(root, "prep"):
        if prep.lower_ != "of":
            continue
        for e, r in places:
            if r.head == prep and e.feature not in BROAD_FEATURES and e.geo_precision \
                    and e.geo_precision <= 2 and e.country == ent.country:
                return (best[0], e, 2, f"the town {ent.text} is named after")
    return best


def _armed_people(tok: Token, lex: Lexicon) -> bool:
    """"Armed men", "armed individuals", "gang members": people the text arms, or members
    of a body that fights, are an armed group's."""
    lemma = tok.lemma_.lower()
    return lemma in ("man", "person", "individual", "youth", "assailant") and any(
        c.dep_ == "amod" and c.lower_ == "armed" for c in tok.children) or lemma == "member" \
        and any(c.dep_ == "compound" and lex.in_class(c.lemma_, "combatant") for c in tok.children)


def _site_in_place(near: Token, root: Token) -> bool:
    """Whether "near"/"outside" governs a site the place holds ("outside a mosque in
    Basra"): the event is near the mosque, in the town."""
    between: list[Token] = []
    for t in root.ancestors:
        if t == near:
            return any(x.dep_ == "prep" and x.lower_ in ("in", "inside", "at") for x in between)
        between.append(t)
    return False


#: Nouns of an act of violence that may stand as a passive's agent ("killed by sniper
#: fire in X", "wounded by shelling on Y"): where they struck is the event's place.
_ACT_AGENTS = frozenset({"fire", "gunfire", "shelling", "strike", "airstrike", "bombing",
                         "attack", "explosion", "blast", "raid", "ambush", "bombardment"})


def _act_or_weapon(tok: Token, lex: Lexicon) -> bool:
    """Whether a passive's "by" phrase names an act or a weapon, not whoever wielded it
    ("killed by sniper fire in X").  A weapon as subject stands where it was fired from
    ("Turkish artillery in Kilis shelled villages across the border")."""
    if not (tok.dep_ == "pobj" and tok.head.dep_ == "agent"):
        return False
    lemma = tok.lemma_.lower()
    return lemma in _ACT_AGENTS or lemma in lex.instrument_lemmas or tok.lower_ in lex.instrument_lemmas


def _path(a: Token, b: Token) -> list[Token]:
    """Tokens between ``a`` and ``b`` in the tree, both ends' chains up to their meeting."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    ids_a = {t.i for t in up_a}
    out: list[Token] = []
    for t in up_b:
        if t.i in ids_a:
            meet = t
            break
        out.append(t)
    else:
        return out
    for t in up_a:
        if t.i == meet.i:
            break  # meets at ``a`` itself when ``b`` lies in its subtree: nothing to add
        if t is not a:
            out.append(t)
    return out


#: Arcs by which a trigger hangs under another clause's verb.
_CLAUSE_ARCS = {"advcl", "xcomp", "conj", "ccomp", "pcomp", "relcl"}
#: Extra distance for a place reached by climbing out of the trigger's clause: enough to
#: let a place in the trigger's own phrase win at equal arc count, too little to outweigh
#: an away-preposition penalty (3).
CLAUSE_EXIT_PENALTY = 1.5


def _leaves_clause(anchor: Token, root: Token, names: set[int]) -> bool:
    """Whether the tree path from ``anchor`` to ``root`` climbs above the anchor's clause
    (a name the tagger read as a verb, in ``names``, is no clause)."""
    if in_subtree(root, anchor):
        return False
    for t in [anchor, *anchor.ancestors]:
        if in_subtree(root, t):
            return False
        if t.dep_ in _CLAUSE_ARCS and t.pos_ in ("VERB", "AUX") and t.i not in names:
            return True
    return False


def _place_agents(det: Detection, light: frozenset[str], names: set[int]) -> list[Token]:
    """Heads of the agent phrase, for telling an attacker's position from the event's
    place.  "IS militants kidnapped two shepherds in Al-Hadar district": when the tagger
    reads the name "IS" as the passive auxiliary, the subject is still the doer, and the
    "in" phrase is not the "in a U.S. strike" of a passive."""
    tok = det.token
    if any(c.dep_ == "auxpass" and c.i in names for c in tok.children):
        return children(tok, "nsubj")
    return _agents(tok, light)


def find_place(det: Detection, index: EntityIndex, claimant_spans: list[tuple[int, int]],
               args: Arguments, lex: Lexicon) -> None:
    """The place where the event happened (see the module docstring)."""
    best: tuple[float, Entity, int, str] | None = None
    loose: tuple[float, Entity, int, str] | None = None
    scored: list[tuple[float, Entity, int, str]] = []
    anchors = [det.token, *det.absorbed]
    # "fighting to retake Mosul", "launched an offensive to capture Rawa": a clash is
    # fought where its purpose clause says the ground lies.
    purpose_place = det.trigger.sub_event_type == "Armed clash" and det.trigger.rule != "casualty"
    # The agent phrase, unless the trigger sits inside it ("the group, which lost Mosul").
    light = frozenset(lex.filters["light_verbs"])
    names = index.name_tokens(det.token)
    # The sides of a "between" phrase are where the fighting is, not an attacker's position.
    agent_heads = [a for a in _place_agents(det, light, names) if not in_subtree(det.token, a)
                   and not (a.dep_ == "pobj" and a.head.lower_ == "between")]
    place_roots = {r.i for _, r in index.in_sentence(det.token, "PLACE")}
    for ent, root in index.in_sentence(det.token, "PLACE"):
        if any(s <= ent.start < e for s, e in claimant_spans):
            continue
        dist = min(tree_distance(a, root) for a in anchors)
        if dist > 50:
            continue
        anchor = min(anchors, key=lambda a: tree_distance(a, root))
        path = _path(anchor, root)
        penalty = 0.0
        near = False
        #: Penalised for a reason that rules the place out, not just for distance: it
        #: may not stand in when no place is near the trigger.
        excluded = False
        for t in path:
            if t.dep_ == "prep" and t.lower_ in _AWAY_PREPS:
                own = t.lower_ in det.trigger.preps and t.head in anchors  # "pushed into X"
                # "killed dozens with bombs in Kirkuk": the weapon's phrase is the event's
                # own, however the parser hung the place on it.
                # "clashed with rebels near Idlib": the opponent's phrase, hung on the
                # trigger itself, is the event's own too.
                own = own or t.lower_ == "with" and (_names_weapon(t, lex) or t.head in anchors)
                # "signed a ceasefire with the ELN in Havana": an agreement's other party
                # is the event's own phrase, as an opponent's is.
                own = own or t.lower_ == "with" and det.trigger.sub_event_type == "Agreement"
                # "shot down two drones over Latakia", "strikes over Kyiv": what flies is
                # met over the place, where a dispute "over Kirkuk" is about it.
                own = own or t.lower_ == "over" and (
                    t.head in anchors or t.head.dep_ == "dobj" and t.head.head in anchors) and (
                    det.trigger.rule == "disrupt"
                    or det.trigger.sub_event_type == "Air/drone strike")
                # "an airstrike against al-Shabaab fighters near Jilib": the target's
                # phrase on the trigger itself places the event where the target was.
                own = own or t.lower_ == "against" and t.head in anchors
                # "fought for control of the town of Lalibela", "the battle for Mosul":
                # a fight for a place is fought there.
                own = own or t.lower_ == "for" and t.head in anchors and \
                    det.trigger.sub_event_type == "Armed clash" and any(
                        o.lemma_.lower() == "control" or o.i in place_roots
                        for o in children(t, "pobj"))
                # "launched a security campaign against ISIS cells in Diban, arresting
                # 12": an operation is where its target is, and so is what it did.
                own = own or t.lower_ == "against" and t.head.pos_ == "NOUN" and (
                    lex.in_class(t.head.lemma_, "operation") or lex.in_class(t.head.lemma_, "attack"))
                # "a depot belonging to Hezbollah near Nabatieh": whose the target is
                # goes nowhere; the parser hangs the target's place on its owner.
                own = own or t.lower_ == "to" and _placed_at(t.head, lex)
                # "fighting broke out between X and Y in Taiz": the sides are the event's.
                own = own or t.lower_ == "between" and (t.head in anchors or (
                    det.token.dep_ == "nsubj" and t.head == det.token.head))
                if t.lower_ == "between" and t.head.pos_ == "NOUN" and lex.in_class(
                        t.head.lemma_, "territory"):
                    # "a checkpoint on the road between Kirkuk and Tikrit", "the area
                    # between Salahuddin and Diyala": a stretch between two places lies
                    # near them (CB: near a named place, precision 2).
                    own = near = True
                if t.lower_ == "to" and t.head.lower_ in ("next", "close"):
                    own = near = True  # "a base next to the airport in Timbuktu"
                if t.lower_ == "to" and t.head.pos_ == "NOUN" and t.head.lemma_.lower() in _SORTIES:
                    # "during a fighting patrol to Bula Yobe in Borno State": a sortie
                    # fights where it went (CB: near a named place, precision 2).
                    own = near = True
                if not own and not (t.lower_ == "from" and det.trigger.rule.startswith("territory")):
                    penalty += 3
                    # "fled to Turkey", "talks about Raqqa", "fighters from Hawija": the
                    # place is where someone went, came from or spoke of.  Not so "threw
                    # grenades into a bar in X", "set fire to a station in X": the place
                    # locates the thing the act reached.
                    excluded = excluded or not _locates_goal(t, root)
            elif t.dep_ == "prep" and t.lower_ in _IN_PREPS and not _in_place_chain(t, lex):
                penalty -= 0.5
            if t.dep_ in ("relcl", "acl", "ccomp", "advcl") and t != root \
                    and t.i not in names and not (
                    purpose_place and _purpose_of_gain(t, lex)) and not _placed_at(t, lex) \
                    and not _victims_doing(t, det.token):
                penalty += 3
            if t.lower_ in _NEAR_PREPS and not _site_in_place(t, root):
                near = True
            if t.dep_ == "prep" and t.lower_ == "of" and t.head.lower_ in _BEARINGS and (
                    t.head.head.i in place_roots or any(
                        c.i in place_roots for c in t.head.children if c is not t)):
                # "in Al-Ba'aj district west of Mosul": the place told by its bearing from
                # another is nearer the event than the one it is measured from.
                penalty += 1
            if t.dep_ == "prep" and t.lower_ == "of" and t.head.lemma_.lower() in _UNIT_NOUNS \
                    and t.head.i in place_roots:
                # "in the Hays district of Hodeidah": the unit named is inside the place
                # after "of", and nearer the event.
                penalty += 1
        if _note_header(ent, root):
            # "Daraa: Unknown gunmen killed a regime soldier in Inkhil": a note's header
            # names the province it is filed under; a town the sentence tells is nearer.
            penalty += 2
        if any(_aftercare(t) for t in path):
            # "wounded and taken to hospital in Maiduguri": where the wounded were
            # brought, not where they were hurt.
            continue
        if any(in_subtree(root, a) and not _act_or_weapon(a, lex) for a in agent_heads):
            # "two submarines in the Mediterranean launched missiles at targets near X":
            # the attacker's position is not the event's place (the target's is).  Who
            # acts by hand acts where he stands ("villagers in Kisii lynched …").
            penalty += 3
            excluded = excluded or det.trigger.sub_event_type in REMOTE_SUB_TYPES
        if _leaves_clause(anchor, root, names):
            # "put the group under pressure west of Raqqa, driving it from its last
            # territory in Aleppo province": the trigger's own phrase beats its host's.
            penalty += CLAUSE_EXIT_PENALTY
        if _on_road(root):
            near = True  # "on the Kaduna-Abuja highway": somewhere along it (CB: near, 2)
        possessive = root.dep_ == "poss" or any(c.dep_ == "case" for c in root.children)
        # "Al-Ba'aj district west of Mosul": the parser may hang the place on its bearing.
        # "on the Maiduguri-Damboa road": the towns a road joins place what happened on it.
        modifier = root.dep_ in ("compound", "amod") and not lex.in_class(
            root.head.lemma_, "territory") and root.head.lemma_.lower() not in _UNIT_NOUNS \
            and root.head.lower_ not in _BEARINGS and not _on_road(root)
        if modifier and _leads_a_longer_name(root):
            # "killed a former FSA member in Daraa al-Balad": a town that opens a longer
            # name the gazetteer lacks, after "in", is a quarter of it (CB: near, 2).
            modifier, near = False, True
        if possessive or modifier:
            penalty += 3  # "Lebanon's Hezbollah": the actor's country, not the event's place
            # "Kyiv city hall", "Mogadishu's airport": a place that qualifies a site, not
            # an actor, locates it.  "Kirkuk police arrested …": a town's own force acts
            # in and around its town (precision 2), a country's forces anywhere.
            home_force = ent.feature in _SETTLEMENTS and root.head.lemma_.lower() in (
                _FORCE_NOUNS | _SOLDIERS) | lex.classes.get("police", frozenset())
            near = near or home_force
            excluded = excluded or not (_names_site(root.head, lex) or home_force)
        # "in the village of X in the Daquq district": the arcs of a chain of places, each
        # inside the next, do not take the event away from them; when X is a village the
        # gazetteer lacks, the district that holds it is the place (CB: the smallest
        # named unit).
        dist -= sum(1 for t in path if _in_place_chain(t, lex))
        score = dist + penalty + (ent.geo_precision or 3) * 0.1
        prec = ent.geo_precision
        if near and prec is not None and prec < 2:
            prec = 2
        unit = _unit_precision(ent, root)
        if unit is not None and prec is not None and prec < unit:
            prec = unit
        if dist + penalty > MAX_PLACE_DISTANCE:
            if not excluded and dist <= LOOSE_PLACE_DISTANCE and (
                    loose is None or score < loose[0]):
                loose = (score, ent, prec or 0,
                         f"the sentence's place, far from the trigger ({dist} arcs)")
            continue
        reason = f"nearest place to the trigger ({dist} arcs{', near' if near else ''})"
        scored.append((score, ent, prec if prec is not None else 0, reason))
        if best is None or score < best[0]:
            best = scored[-1]
    if best is not None and (best[1].geo_precision or 3) >= 2:
        # "attacked SDF positions in al-Kasra town in Deir ez-Zor province": the parser may
        # hang the province nearer the verb than the town inside it; CB codes the most
        # specific place named, so a town of that province named beside the verb wins.
        inner = [c for c in scored if (c[1].geo_precision or 3) < (best[1].geo_precision or 3)
                 and c[1].country == best[1].country and best[1].name
                 and (c[1].admin1 == best[1].name or _in_region(c[1], best[1]) and not
                      _named_after(c[1], best[1], index.in_sentence(det.token, "PLACE")))
                 and c[0] <= best[0] + INNER_PLACE_SLACK]
        if inner:
            best = min(inner, key=lambda c: c[0])
            best = (best[0], best[1], best[2], best[3] + f", inside {best[1].admin1}")
    if best is not None:
        best = _namesake_checked(best, index.in_sentence(det.token, "PLACE"))
        best = _town_of_area(best, index.in_sentence(det.token, "PLACE"))
    tok = det.token
    if tok.dep_ == "relcl" and any(c.tag_ in ("WDT", "WP") and c.dep_ in ("nsubjpass", "dobj")
                                   for c in tok.children):
        # "the Al-Omar oil field, which was captured on Sunday": the place is the noun
        # the clause describes, however the parser attached it.
        noun = antecedent(tok)
        # "the city of Mosul, which it lost", "Raqqa, the group's capital, which …"
        named = {noun.i} | {c.i for c in noun.children if c.dep_ == "appos"}
        named |= {p.i for prep in children(noun, "prep") if prep.lower_ == "of"
                  for p in children(prep, "pobj")}
        if noun.dep_ == "appos":
            named.add(noun.head.i)
        for ent, root in index.in_sentence(tok, "PLACE"):
            if root.i in named:
                best = (0.0, ent, ent.geo_precision or 0, "the place the relative clause describes")
    if best is None:
        best = _place_of_relative(det, index, lex)
    if best is None:
        # A short report names the event's place in its own sentence, however far the
        # parser hangs it ("IS fired mortar rounds filled with mustard gas at Peshmerga
        # positions in Makhmour"): a place nothing rules out beats the sentences before.
        best = loose
    if best is None:
        args.context_place = _place_of_context(det, index)
    elif best is loose and best[1].feature in BROAD_FEATURES:
        # "repel an unprovoked attack near the Euphrates": a river, a region or a
        # country far from the trigger says less than the town the text was just at or
        # another report of the event names; it only stands in for them.
        args.context_place = _place_of_context(det, index) or best[1]
        best = None
    if best is not None:
        args.place = best[1]
        args.geo_precision = best[2] or None
        args.place_reason = best[3]


#: How many sentences back a happening that names no place may take one from.
CONTEXT_SENTENCES = 2
#: How often the article must have named a place before it is the article's focus.
FOCUS_MENTIONS = 2


def _place_of_context(det: Detection, index: EntityIndex) -> Entity | None:
    """A happening whose sentence names no place happened where the text just was: "Iraq
    launched an offensive on Rawa. They killed 11 people." (the codebook codes a location
    from the report's context). The last place named in the two sentences before, with
    geo precision 2 at best: the text implies the place, it does not say it."""
    doc = det.token.doc
    start = det.token.sent.start
    for _ in range(CONTEXT_SENTENCES):
        if start == 0:
            break
        prev = doc[start - 1].sent
        here = [(e, r) for e, r in index.items if e.label == "PLACE" and r.sent == prev]
        if here:
            return max(here, key=lambda er: er[0].start)[0]
        start = prev.start
    return _focus_place(det, index)


def _focus_place(det: Detection, index: EntityIndex) -> Entity | None:
    """Where the text is about when the sentences just before name no place either: the
    place the article has named most often up to the event (the first of equals), as a
    coder reading the whole report would place it; a place named once is no focus."""
    before = [e for e, r in sorted(index.items, key=lambda er: er[1].i)
              if e.label == "PLACE" and r.i < det.token.sent.start]
    counts: dict[str | None, int] = {}
    for e in before:
        counts[e.name] = counts.get(e.name, 0) + 1
    top = max(counts.values(), default=0)
    if top < FOCUS_MENTIONS:
        return None
    return next(e for e in before if counts[e.name] == top)


#: A site and the region that locates it sit this close in the tree ("the X oil field in
#: eastern Syria": field→on→attack→in→Syria is 4 arcs when "in" hangs on the verb).
NEAR_SITE_ARCS = 4


def _place_of_relative(det: Detection, index: EntityIndex,
                       lex: Lexicon) -> tuple[float, Entity, int, str] | None:
    """A happening told in a relative clause of place takes the place it describes.

    "the Al Omar oil field, an area where U.S. forces came under rocket fire", "the town
    where the jihadists declared a caliphate": the clause's noun (or the place it stands
    in apposition to) is where it happened.
    """
    for t in [det.token, *det.token.ancestors]:
        if t.dep_ != "relcl":
            continue
        if not any(c.lower_ in ("where", "in", "at") and (c.dep_ == "advmod" or c.dep_ == "prep")
                   for c in t.children) and not lex.in_class(t.head.lemma_, "territory"):
            return None
        noun = t.head
        hosts = {noun.i} | {c.i for c in noun.children if c.dep_ == "appos"}
        while noun.dep_ in ("dobj", "pobj") and noun.head.dep_ in ("acl", "prep") \
                and noun.head.head.pos_ in ("NOUN", "PROPN"):
            # "an area bordering Iraq where …", "the town of Hawija, where …": the clause
            # may hang on the last noun of the phrase it describes.
            noun = noun.head.head
            hosts.add(noun.i)
        if noun.dep_ == "appos":
            # "the oil field in eastern Syria, an area where …": the apposition may hang
            # on the field or on the region that locates it; the most precise place wins.
            hosts |= {a.i for a in [noun.head, *noun.head.ancestors][:3]}
        places = index.in_sentence(det.token, "PLACE")
        found = [(ent, root) for ent, root in places if root.i in hosts]
        if not found:
            return None
        ent, root = min(found, key=lambda er: er[0].geo_precision or 9)
        if (ent.geo_precision or 3) >= 3:
            # "the Al Omar oil field in eastern Syria, an area where …": the region is
            # named to locate a site beside it; the site is the place.
            inner = [(e, r) for e, r in places if (e.geo_precision or 3) < 3
                     and e.country and e.country in (ent.name, ent.country)
                     and tree_distance(r, root) <= NEAR_SITE_ARCS]
            if inner:
                ent = min(inner, key=lambda er: tree_distance(er[1], root))[0]
        return (0.0, ent, ent.geo_precision or 0, "place described by the relative clause")
    return None


def _purpose_of_gain(t: Token, lex: Lexicon) -> bool:
    """A to-infinitive of a territory verb ("to retake", "to capture")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) and \
        t.lemma_.lower() in lex.territory_lemmas()


_TIME_MARKS = {"after", "before", "since", "until", "when", "following"}


def _in_other_relative(tok: Token, anchors: list[Token]) -> bool:
    """Whether ``tok`` sits in a relative or time clause that holds none of the anchors."""
    for t in [tok, *tok.ancestors]:
        if any(in_subtree(a, t) for a in anchors):
            return False
        if t.dep_ == "relcl" or (t.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in t.children)):
            return True  # "… after Mosul fell in July": July dates the fall only
        if t.i not in (tok.i, tok.head.i) and t.dep_ == "pobj" and t.head.lower_ in _TIME_MARKS:
            # "after a buildup of forces over the past week": the buildup's date; not
            # "after last month's strikes", whose date is the strikes' own.
            return True
    return False


def find_date(det: Detection, dates: list[DatedValue], report_verbs: set[int],
              args: Arguments) -> None:
    """The date nearest the trigger; a date on the reporting verb is only a fallback."""
    doc = det.token.doc
    sent = det.sentence
    anchors = [det.token, *det.absorbed]
    if det.token.pos_ == "NOUN" and det.token.head.pos_ in ("VERB", "AUX"):
        anchors.append(det.token.head)
    best: tuple[int, DatedValue] | None = None
    report: tuple[int, DatedValue] | None = None
    loose: tuple[int, DatedValue] | None = None
    for d in dates:
        if not (sent.start_char <= d.start < sent.end_char):
            continue
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if _in_other_relative(root, anchors):
            continue  # "Mosul, the city where Baghdadi declared a caliphate years ago"
        dist = min(tree_distance(a, root) for a in anchors)
        chain = [root, *root.ancestors][:3]
        # "The troops made contact … on Sunday …, the army said": a date that hangs on
        # the trigger itself is the event's, whatever verb reports the clause above it.
        ids = {a.i for a in anchors}
        chain = chain[:next((k for k, h in enumerate(chain) if h.i in ids), len(chain))]
        on_report = any(h.i in report_verbs and not in_subtree(h, det.token) for h in chain)
        if on_report:
            if report is None or dist < report[0]:
                report = (dist, d)
            continue
        if dist <= MAX_DATE_DISTANCE and (best is None or dist < best[0]):
            best = (dist, d)
        elif loose is None or dist < loose[0]:
            loose = (dist, d)
    in_sentence = [d for d in dates if sent.start_char <= d.start < sent.end_char]
    if best is None and loose is not None and len(in_sentence) == 1 and not det.anaphoric \
            and not det.ongoing:
        # The sentence's only date, far in the tree: "X hit … on Wednesday, as Y said
        # they thwarted a drone attack".  An anaphor never takes it: it refers back.
        best = loose
    if best is None and _SAME_DAY.search(sent.text):
        # "On 15 March, a Reaper engaged …  The same day, Tornado GR4s struck …": the
        # day is the last one the text named before.
        told = [d for d in dates if d.end <= sent.start_char and d.date is not None
                and d.precision == "day"]
        if told:
            best = (0, told[-1])
    args.date = best[1] if best else None
    args.report_date = report[1] if report else None


#: Words that date a sentence by the day named before it.
_SAME_DAY = re.compile(r"\b(?:(?:on\s+)?the same (?:day|night|morning|evening)|"
                       r"later (?:that|the same) (?:day|night)|that same (?:day|night))\b", re.I)


def _agentless_relative_gain(det: Detection) -> bool:
    """A territory verb told in a passive relative clause with no ``by`` phrase ("the
    oil field, which was captured from Daesh on Sunday")."""
    tok = det.token
    if det.trigger.rule != "territory" or tok.pos_ != "VERB" or children(tok, "agent"):
        return False
    return tok.dep_ in ("relcl", "ccomp", "acl") and any(
        c.tag_ in ("WDT", "WP") and c.dep_ == "nsubjpass" for c in tok.children)


def _holder(tok: Token, index: EntityIndex, lex: Lexicon,
            exclude: set[str | None]) -> Entity | None:
    """Who holds what a holding word governs: "its control" / "the SDF's grip" (owner
    of the noun), "the army secured the town" (subject of the verb).  A possessive
    pronoun points to the nearest actor named before it in the sentence."""
    actors = [(e, r) for e, r in index.in_sentence(tok, "ACTOR")
              if e.name and e.name not in exclude and lex.actor_kind(e.name) != "observer"]
    if tok.pos_ == "NOUN":
        owners = children(tok, "poss")
    else:
        owners = children(tok, "nsubj")
    for o in owners:
        named = [e for e, r in actors if in_subtree(r, o)]
        if named:
            return named[0]
        if o.lower_ in ("its", "their"):
            before = [(e, r) for e, r in actors if r.i < o.i]
            if before:
                return max(before, key=lambda er: er[1].i)[0]
    return None


def find_relative_gainer(det: Detection, index: EntityIndex, lex: Lexicon,
                         args: Arguments) -> None:
    """The taker of ground whose capture a relative clause tells without a ``by`` phrase.

    "The SDF's priority was to shore up its control over the Al-Omar oil field, which
    was captured from Daesh on Sunday": the side the main clause has holding the place
    (its control over, its grip on, secured …) is the side that took it; "from X" stays
    the loser.  Only when the held thing is the very place the capture is placed at.
    """
    if args.actor1 is not None or args.place is None or not _agentless_relative_gain(det):
        return
    place_roots = [r for e, r in index.in_sentence(det.token, "PLACE") if e is args.place]
    if not place_roots:
        return
    target = place_roots[0]
    for t in det.sentence:
        if in_subtree(t, det.token):
            continue
        if t.pos_ == "NOUN" and lex.in_class(t.lemma_, "holding"):
            held = [p for prep in children(t, "prep") if prep.lower_ in ("over", "of", "on")
                    for p in children(prep, "pobj")]
        elif t.pos_ == "VERB" and lex.in_class(t.lemma_, "holding_verb"):
            held = children(t, "dobj")
        else:
            continue
        if not any(in_subtree(target, h) for h in held):
            continue
        holder = _holder(t, index, lex, {args.actor2})
        if holder is not None and holder.name is not None:
            args.actor1 = holder.name
            args.agent_kind = lex.actor_kind(holder.name)
            return


def arguments(det: Detection, index: EntityIndex, dates: list[DatedValue],
              report_verbs: set[int], claimant_spans: list[tuple[int, int]],
              lex: Lexicon) -> Arguments:
    """Every argument of one detection."""
    args = Arguments()
    find_actors(det, index, lex, args)
    find_intervener(det, index, lex, args)
    find_place(det, index, claimant_spans, args, lex)
    find_relative_gainer(det, index, lex, args)
    find_date(det, dates, report_verbs, args)
    args.instrument, args.weapon, args.quantity = find_instrument(det, lex)
    return args
