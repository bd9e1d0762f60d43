"""ACLED typing: from a detection and its arguments to (event type, sub-event type).

Rules named in the trigger lexicon (data/events/triggers.jsonl):

- ``fixed``: the entry names the sub-type ("arrested" → Arrests).
- ``instrument``: the strongest weapon or platform in the clause decides ("rockets hit" →
  Shelling/artillery/missile attack; "a drone attacked", "aircraft bombed" → Air/drone
  strike); without one the entry's default, and an attack on civilians is Violence
  against civilians / Attack.
- ``disrupt``: "thwarted a drone attack", "shot down a missile" → Disrupted weapons use;
  "repelled an attack" → Armed clash.
- ``territory``: who gains decides: state forces → Government regains territory,
  non-state → Non-state actor overtakes territory; unknown gainer → the verb's default.
- ``territory-loss``: "IS lost Mosul": the loser's opponent gains.
- ``casualty``: a bare killing: Attack on civilians, else Armed clash; marked so the
  merge step may fold it into the happening it counts.
- ``protest``: intervention or force against protesters upgrade the sub-type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .arguments import Arguments, exchanged, scope, worn_bomb
from .detect import DISPERSE_VERBS, Detection
from .lexicon import Lexicon
from .tree import children as children_of


@dataclass(frozen=True)
class Coding:
    """The ACLED type of one detection, and why."""

    event_type: str
    sub_event_type: str
    reason: str
    #: False when the rule fell back on its entry's default (no weapon named, gainer
    #: unnamed, a bare killing): the learned classifier may decide instead.
    firm: bool = True


#: Verbs of turning back an assault; a strike made "to <verb>" one is a clash.
_REPEL = {"repel", "repulse", "counter", "fend", "beat", "push"}


def _repels(det: Detection) -> bool:
    """Whether the trigger acts "to repel" an attack ("struck … to repel an attack")."""
    for c in det.token.children:
        if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in _REPEL and any(
                a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            return True
    return False


_TRANSFER = "Non-violent transfer of territory"


def _without_a_fight(det: Detection, lex: Lexicon) -> bool:
    """Whether ground taken is told as taken with no fight: "entered the town without a
    fight", "took over the base after the army withdrew", with no word of fighting in the
    sentence (CB: a non-violent transfer of territory)."""
    f = lex.filters
    sent = det.sentence
    text = " " + " ".join(t.lower_ for t in sent) + " "
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    if any(f" {m} " in text for m in f["no_fight_markers"]):
        return True
    if lemmas & set(f["fight_words"]):
        return False
    # "took over the base after the army withdrew": the withdrawal came first.  Not
    # "recaptured the city, and ISIL forces retreated": a retreat joined to the taking
    # with "and" is the loser driven out.
    return any(t.lemma_.lower() in f["withdrawal_verbs"] and t.i != det.token.i
               and t.pos_ == "VERB" and not (t.dep_ == "conj" and t.head == det.token)
               for t in sent)


#: The edge of a place: entering it takes no ground ("entered the eastern outskirts").
_EDGES = frozenset({"outskirt", "outskirts", "edge", "edges", "gate", "gates", "fringe",
                    "fringes", "periphery"})


def _in_progress(det: Detection) -> bool:
    """A progressive territory verb ("troops were clearing the district"), or one that
    reached only the edge of a place ("RSF fighters entered the eastern outskirts of the
    town after clashes"): fighting, no ground held yet."""
    tok = det.token
    if tok.pos_ == "VERB" and tok.lemma_.lower() in ("enter", "reach", "storm") and any(
            o.lemma_.lower() in _EDGES or o.lower_ in _EDGES for o in children_of(tok, "dobj")):
        return True
    return tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in tok.children)


def _terror(det: Detection, lex: Lexicon) -> bool:
    """The trigger noun is qualified as terror ("terror attacks", "a terrorist attack"), or
    called terror by the sentence it is the subject of ("The attack was an act of terror")."""
    tok = det.token
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ in ("amod", "compound") and lex.in_class(c.lemma_, "terror")
           for c in tok.children):
        return True
    return tok.dep_ == "nsubj" and tok.head.lemma_ == "be" and any(
        lex.in_class(t.lemma_, "terror")
        for attr in tok.head.children if attr.dep_ == "attr" for t in attr.subtree)


_ABDUCTION = "Abduction/forced disappearance"
#: Actor kinds that bear arms: their dead were not attacked as civilians.
_ARMED_KINDS = frozenset({"state", "non_state"})
#: Words of a deliberate killing of a person, not of a death in battle.
_DESTRUCTION = "Looting/property destruction"
MURDER_LEMMAS = frozenset({"assassinate", "murder", "slay", "stab", "assassination",
                           "stabbing"})


def _kills(tok: Token, lex: Lexicon) -> bool:
    """Whether a word folded into a trigger tells a killing or a wounding."""
    lemma = tok.lemma_.lower()
    return any(lemma in t.lemmas and (t.rule == "casualty" or t.sub_event_type == "Attack")
               for t in lex.triggers if t.pos == tok.pos_)


#: A state's own forces by ACLED's name: "Military Forces of Turkey".
_STATE_FORCE_NAME = re.compile(r"^(?:Military|Police) Forces of (?:the )?(?P<country>.+?)"
                               r"(?: \(\d{4}-\d{0,4}\))?$")


#: Aircraft with a crew aboard: downing one is a fight, not a weapon stopped.
_MANNED_AIRCRAFT = frozenset({"helicopter", "plane", "aircraft", "jet", "warplane", "fighter",
                              "bomber", "gunship", "airliner"})
#: Verbs of stopping an attack before it happens; "repelled" and "repulsed" tell a fight.
_PREVENT_LEMMAS = frozenset({"foil", "thwart"})
_BOMB_SUB_TYPES = frozenset({"Remote explosive/landmine/IED", "Suicide bomb"})


def _bomb_told(sent: Span, lex: Lexicon) -> bool:
    """Whether the sentence names an explosive device (an IED, a car bomb, a vest)."""
    words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    text = sent.text.lower()
    return any(ins.sub_event_type in _BOMB_SUB_TYPES and any(
        (w in text) if " " in w else (w in words) for w in ins.lemmas) for ins in lex.instruments)


def _abroad(args: Arguments) -> str | None:
    """The country whose forces took ground in another country, or None.

    "Turkish forces took control of Ras al-Ain": the codebook codes a foreign state's
    forces taking a place by force as a non-state actor overtaking territory; "Government
    regains territory" is a state's forces in their own country."""
    hit = _STATE_FORCE_NAME.match(args.actor1 or "")
    place = args.place
    if hit is None or place is None or not place.country:
        return None
    country = hit.group("country")
    if country.removeprefix("the ") == place.country.removeprefix("the ") or any(
            (a or "").endswith(f"Forces of {place.country}") for a in (args.assoc_actor_1,)):
        return None  # at home, or alongside the host state's own forces
    return country


def code(det: Detection, args: Arguments, lex: Lexicon) -> Coding | None:
    """Type one detection; None when the lexicon entry cannot decide."""
    trig = det.trigger
    sub: str | None = None
    reason = ""
    firm = True
    if trig.rule == "fixed":
        sub, reason = trig.sub_event_type, f"trigger '{det.token.text}'"
        if sub in (_ABDUCTION, _DESTRUCTION) and any(_kills(t, lex) for t in det.absorbed):
            # CB: killing or serious injury during an abduction makes it an Attack
            # ("they kidnapped and killed 11 people"); so does a killing with the
            # burning ("killed 14 people and burned dozens of homes": the destruction is
            # folded into the violence).
            sub, reason = "Attack", f"'{det.token.text}' with a killing: an attack (CB)"
        elif sub == "Arrests" and _arrests_protesters(det, lex):
            # CB §Protests: protesters arrested at their protest make a protest with
            # intervention, not a separate Arrests event.
            sub, reason = "Protest with intervention", f"'{det.token.text}' protesters"
        elif sub == "Arrests" and (args.agent_kind == "non_state" and args.actor1 is None
                                   or _held_unlawfully(det)):
            # CB: a non-state group that detains people abducts them ("militiamen
            # detained …"); so does anyone who holds them for ransom or where nobody knows
            # ("took them to an unknown location"). A named group that runs courts and
            # prisons (the SDF, the Houthis) can make arrests: the rule is left to them.
            sub, reason = _ABDUCTION, f"'{det.token.text}' by an armed group or out of law"
        elif sub == "Armed clash" and det.token.lemma_.lower() in _ASSAULT_VERBS and \
                (args.patient_civilian_named or _fired_on_civilians(det.token, lex)) \
                and lex.actor_kind(args.actor2) in (None, "civilians"):
            # "armed men stormed the village, killing 12 civilians", "ambushed a bus
            # carrying villagers": an assault whose victims are civilians has no second
            # armed side; CB codes it an Attack.
            sub, reason = "Attack", f"'{det.token.text}' on civilians"
        elif sub == "Armed clash" and det.token.lemma_.lower() == "engage" and \
                _flying_subject(det, lex) and not _repels(det):
            # "a Reaper remotely piloted aircraft … engaged it with a Hellfire missile": a
            # military report's aircraft that engages a target strikes it from the air.
            sub, reason = "Air/drone strike", f"'{det.token.text}' by an aircraft"
        elif sub == "Change to group/activity" and _founds_base(det, lex):
            # "announced the establishment of a command headquarters": the change is a base.
            sub, reason = "Headquarters or base established", f"'{det.token.text}' a base founded"
    elif trig.rule in ("instrument", "casualty") and _repels(det):
        # "struck pro-government forces with air and artillery fire to repel an attack":
        # both sides engaged, whatever weapons the defender used.
        sub, reason = "Armed clash", f"'{det.token.text}' to repel an attack: two sides engaged"
    elif trig.rule == "instrument" and exchanged(det.token):
        # "Turkish-backed factions and the SDF exchanged artillery fire": each side fired
        # on the other (CB §Armed clash: an exchange of fire), whatever the weapon.
        sub, reason = "Armed clash", f"'exchanged {det.token.text}': two sides engaged"
    elif trig.rule in ("instrument", "casualty"):
        if args.instrument is not None:
            sub = args.instrument.sub_event_type
            reason = f"trigger '{det.token.text}' with instrument '{args.instrument.weapon}'"
        elif args.patient_civilian and trig.sub_event_type in (None, "Armed clash"):
            # A shelling or a bombing that hits civilians stays remote violence (ACLED
            # marks it "civilian targeting"); only direct violence becomes an Attack.
            sub, reason = "Attack", f"trigger '{det.token.text}' against civilians"
            if any(_protest_word(t, lex) for t in scope(det)):
                # CB: lethal force against protesters is excessive force, whoever used it;
                # beaten with batons and sticks, and no one badly hurt, they were met
                # with force short of it.
                sub, reason = ("Excessive force against protesters",
                               f"trigger '{det.token.text}' against protesters")
                if not _serious_harm(det, args, lex):
                    sub, reason = ("Protest with intervention",
                                   f"trigger '{det.token.text}': protesters met with force")
        elif _terror(det, lex) and trig.sub_event_type in (None, "Armed clash") and \
                lex.actor_kind(args.actor2) in (None, "civilians"):
            # "the terror attacks in Paris": terror is violence aimed at civilians; with
            # no weapon named and no armed side attacked, there is no clash.
            sub, reason = "Attack", f"'{det.token.text}' called terror"
        elif trig.sub_event_type == "Armed clash" and _strikes_a_site(det, args, lex):
            # "The Israel Defense Forces said it struck a Hamas military compound": a state
            # force that strikes a site, with no weapon named, struck it from the air in
            # the idiom of its statements; the classifier may still say otherwise.
            sub, reason = "Air/drone strike", f"'{det.token.text}' a site by a state force"
            firm = False
        elif trig.sub_event_type is not None:
            sub, reason = trig.sub_event_type, f"trigger '{det.token.text}', no instrument named"
            # "two strikes engaged an ISIS tactical unit": a strike is an air strike in
            # the language of the reports that count them; what it hit ("engaged a
            # unit") does not make it a clash.  Other defaults may yield ("hit" → clash).
            firm = det.token.pos_ == "NOUN" and det.token.lemma_.lower() in _AIR_STRIKE_NOUNS
            if sub == "Armed clash" and det.token.pos_ == "VERB" and \
                    det.token.lemma_.lower() in ("attack", "raid") and args.actor1 is not None \
                    and (args.patient_state or args.patient_police or args.patient_armed
                         or lex.actor_kind(args.actor2) in _ARMED_KINDS):
                # "IS cell attacked a PMF checkpoint": a named side that attacks an armed
                # one, no weapon named, fought it (CB §Armed clash: "attacked positions").
                firm = True
        elif det.token.lemma_.lower() == "fire" and det.token.head.lemma_.lower() == "open" \
                and (args.patient_state or args.patient_police or args.patient_armed
                     or lex.actor_kind(args.actor2) in _ARMED_KINDS):
            # "gang members opened fire on a police station": gunfire at an armed side is
            # direct violence between two armed actors (CB §Armed clash); the classifier
            # may still read a fire from the air or the artillery.
            sub, reason = "Armed clash", f"'opened {det.token.text}' on an armed side"
            firm = False
        elif trig.rule == "casualty":
            sub, reason = "Armed clash", f"killing '{det.token.text}' between armed actors"
            # "gunmen killed three soldiers": the dead bore arms, so no attack on
            # civilians; with no weapon named, the one coding left is a clash.
            firm = args.patient_state or args.patient_police or args.patient_armed \
                or lex.actor_kind(args.actor2) in _ARMED_KINDS
            if not firm and det.token.lemma_.lower() in MURDER_LEMMAS:
                # "gunmen assassinated a local council member": a murder of someone
                # nobody says bore arms is an attack on a civilian (CB §Attack).
                sub, reason = "Attack", f"'{det.token.text}' of someone unarmed"
                firm = True
    elif trig.rule == "disrupt":
        objs = [t for t in scope(det) if t.dep_ in ("dobj", "nsubjpass")]
        remote = args.instrument is not None and args.instrument.sub_event_type != "Armed clash"
        weapon_obj = any(lex.in_class(o.lemma_, "instrument_head") for o in objs)
        manned = next((o for o in objs if o.lemma_.lower() in _MANNED_AIRCRAFT and not any(
            c.lower_ in ("unmanned", "drone", "pilotless", "remotely") for c in o.subtree)), None)
        if manned is not None:
            # "an army helicopter was shot down by FARC dissidents": a crewed aircraft
            # downed is an attack on its crew, not an attack prevented (CB: DWU stops a
            # weapon, a drone or a missile).
            sub, reason = "Armed clash", f"'{det.token.text}' a crewed {manned.text}"
        elif weapon_obj or remote and not any(lex.in_class(o.lemma_, "attack") and not any(
                lex.in_class(c.lemma_, "instrument_head") for c in o.children) for o in objs):
            sub, reason = "Disrupted weapons use", f"'{det.token.text}' a weapon in flight"
        elif det.token.lemma_.lower() in _PREVENT_LEMMAS and _bomb_told(det.token.sent, lex):
            # "foiled an attack after detecting an IED buried along the road": an
            # explosive attack prevented (CB: Disrupted weapons use), no fight.
            sub, reason = "Disrupted weapons use", f"'{det.token.text}' a bomb attack"
        else:
            sub, reason = trig.sub_event_type, f"'{det.token.text}' an attack"
    elif trig.rule == "territory":
        if _in_progress(det):
            sub, reason = "Armed clash", f"'{det.token.text}' in progress: fighting, ground not yet taken"
        elif _without_a_fight(det, lex):
            sub, reason = _TRANSFER, f"'{det.token.text}' with no fight told: a non-violent transfer"
        elif args.agent_kind == "state" and (abroad := _abroad(args)) is not None:
            sub, reason = ("Non-state actor overtakes territory",
                           f"territory taken by {abroad}'s forces abroad (CB: a foreign state's "
                           "forces take ground as a non-state actor does)")
        elif args.agent_kind == "state":
            sub, reason = "Government regains territory", "territory taken by state forces"
        elif args.agent_kind == "non_state":
            sub, reason = "Non-state actor overtakes territory", "territory taken by a non-state actor"
        else:
            sub, reason = trig.sub_event_type, f"territory verb '{det.token.text}', gainer unnamed"
            firm = False
    elif trig.rule == "territory-loss":
        loser = lex.actor_kind(args.actor2)
        if args.agent_kind in ("state", "non_state"):
            # "fell to coalition forces": the gainer named decides, as for a gain.
            sub = ("Government regains territory"
                   if args.agent_kind == "state" and _abroad(args) is None
                   else "Non-state actor overtakes territory")
            reason = f"'{det.token.text}' to {args.actor1}: territory taken by its gainer"
        else:
            sub = ("Non-state actor overtakes territory" if loser == "state"
                   else "Government regains territory")
            reason = f"'{det.token.text}': territory lost by {args.actor2 or 'an unnamed side'}"
    elif trig.rule == "protest":
        # Protesters who disperse of themselves ("before quickly dispersing") met no
        # intervention: only a dispersal done to them counts (CB §Protests).
        lemmas = {t.lemma_.lower() for t in det.sentence if not _self_dispersal(t)}
        # "fired tear gas to break up the march": crowd control, short of serious harm.
        controlled = bool(lemmas & _CROWD_CONTROL) and not _serious_harm(det, args, lex)
        cue = next((t for t in det.sentence if lex.in_class(t.lemma_, "riot_cue")), None)
        if cue is not None:
            # "Residents blocked roads with burning tyres to protest …": CB §Riots, a crowd
            # that blocks roads with barricades or burning tyres, or throws stones, is a
            # violent demonstration, whatever force met it.
            sub, reason = "Violent demonstration", f"protest with '{cue.text}'"
        elif lemmas & lex.classes.get("protest_force", frozenset()) and not controlled:
            sub, reason = "Excessive force against protesters", "force used on protesters"
        elif controlled or lemmas & lex.classes.get("protest_intervention", frozenset()):
            sub, reason = "Protest with intervention", "protest dispersed or arrested"
        else:
            sub, reason = "Peaceful protest", f"protest trigger '{det.token.text}'"
    if sub is None:
        return None
    if trig.rule in ("instrument", "casualty") and \
            lex.event_type(sub) == "Explosions/Remote violence" and \
            any(lex.in_class(t.lemma_, "premature") for t in det.sentence):
        # CB: a device that blew up early, killing only those who planted it, is a
        # disrupted weapons use ("the bomb they were planting went off prematurely").
        sub, reason = "Disrupted weapons use", f"'{det.token.text}' went off prematurely"
    if trig.rule in ("instrument", "casualty") and lex.event_type(sub) in (
            "Explosions/Remote violence", "Battles") and (worn := worn_bomb(det.sentence)) is not None:
        # "a bomber on a motorcycle blew himself up", "detonated an explosive vest": a
        # bomb its carrier set off on himself (CB: Suicide bomb), whoever "bomber" is.
        sub, reason, firm = "Suicide bomb", f"'{worn}': a bomb set off by its carrier", True
    if sub == "Armed clash" and (flight := _displacement(det)) is not None:
        # CB: displacement caused by fighting is "Other": "fighting between Fano and the
        # army displaced thousands", "thousands fled as fighting neared".
        sub, reason, firm = "Other", f"'{flight}': displacement caused by fighting", True
    if lex.event_type(sub) == "Explosions/Remote violence" and sub != "Air/drone strike" and (
            marker := _disposal(det, lex)) is not None:
        # CB: a device found and set off or made safe by those who found it ("KDF
        # engineers detected an IED and destroyed it in a controlled explosion").
        sub, reason, firm = "Disrupted weapons use", f"'{marker}': a device disposed of", True
    crowd = _crowd(det, lex)
    if crowd is not None and (lex.event_type(sub) in _CROWD_RECODED or sub in _RIOT_ACTS):
        # CB §Riots: violence by a crowd is a riot, not a battle: demonstrators who storm,
        # torch or fight make a violent demonstration, a mob set on harm mob violence;
        # destruction inside a riot is folded into it (CB §SD).
        sub, reason = crowd, f"'{det.token.text}' done by a crowd: {crowd.lower()}"
        firm = True
    elif crowd is None and lex.event_type(sub) in ("Battles", "Violence against civilians") \
            and args.agent_kind not in ("state", "non_state") and args.instrument is None:
        cue = next((t for t in det.sentence if lex.in_class(t.lemma_, "riot_cue")), None)
        if cue is not None:
            # CB §Riots: stones, burning tyres and barricades are a crowd's arms; a fight
            # told with them and no armed group named is a violent demonstration.
            sub, reason = "Violent demonstration", f"'{det.token.text}' with '{cue.text}'"
            firm = True
    if crowd is None and trig.rule in ("instrument", "casualty") and lex.event_type(sub) in (
            "Battles", "Violence against civilians") and (march := _fired_on_protest(det, lex)):
        # CB §Protests: force used on a protest is coded as the protest: lethal force or
        # serious injury is excessive force, tear gas or a dispersal an intervention
        # ("police fired live bullets at an anti-tax rally", "fired tear gas at marchers").
        if _serious_harm(det, args, lex):
            sub, reason = ("Excessive force against protesters",
                           f"'{det.token.text}' at '{march.text}': serious harm to protesters")
        else:
            sub, reason = ("Protest with intervention",
                           f"'{det.token.text}' at '{march.text}': force short of serious harm")
        firm = True
    return Coding(lex.event_type(sub), sub, reason, firm)


#: Words that tell a detention outside any law: a ransom, a place nobody knows.
_UNLAWFUL_HOLDING = ("ransom", "unknown location", "whereabouts unknown",
                     "whereabouts are unknown", "undisclosed location")


def _held_unlawfully(det: Detection) -> bool:
    text = det.sentence.text.lower()
    return any(w in text for w in _UNLAWFUL_HOLDING)


#: Verbs of people driven from their homes, and of their flight.
_DISPLACING = frozenset({"displace", "uproot", "force", "drive"})
_FLEEING = frozenset({"flee", "escape", "evacuate"})
#: Verbs of leaving home, displacement only when dwellers leave.
_LEAVING = frozenset({"leave", "abandon", "desert"})
_DWELLERS = frozenset({"family", "resident", "people", "villager", "civilian", "household",
                       "inhabitant", "person"})
#: Nouns of fighting that may drive people away.
_FIGHTING = frozenset({"fighting", "fight", "clash", "battle", "combat", "hostility"})


def _displacement(det: Detection) -> str | None:
    """The verb when the trigger is fighting told as what drove people away, not as the
    news itself ("Fighting … displaced about 4,000 residents", "clashes forced hundreds
    of families to flee", "thousands fled … as fighting neared"), or None."""
    tok = det.token
    noun = tok.pos_ == "NOUN" or (tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "csubj"))
    if not noun or tok.lemma_.lower() not in _FIGHTING:
        return None
    head = tok.head
    if tok.dep_ in ("nsubj", "csubj") and head.lemma_.lower() in _DISPLACING and (
            head.lemma_.lower() == "displace" or any(
                c.lemma_.lower() in _FLEEING or c.lower_ in ("out", "from")
                for c in head.subtree)):
        return head.text
    clause = head if tok.dep_ in ("nsubj", "csubj") else None
    if clause is not None and clause.dep_ == "advcl" and clause.head.lemma_.lower() in _FLEEING \
            and any(c.dep_ == "mark" and c.lower_ in ("as", "while") for c in clause.children):
        return clause.head.text
    if clause is not None and clause.dep_ == "pcomp" and clause.head.lower_ in ("as", "while") \
            and clause.head.head.lemma_.lower() in _FLEEING:
        return clause.head.head.text  # the parser may read "as" as a preposition
    if tok.dep_ == "pobj" and tok.head.lower_ in ("after", "amid", "following"):
        # "About 9,000 families left Sweida city after the clashes": people leaving their
        # homes because of fighting told before.
        verb = tok.head.head
        lemma = verb.lemma_.lower()
        # Dwellers only: fighters "evacuated following heavy fighting" are no displacement.
        if (lemma in _FLEEING or lemma in _LEAVING) and any(
                s.lemma_.lower() in _DWELLERS for s in children_of(verb, "nsubj", "nsubjpass")):
            return verb.text
    return None


def _disposal(det: Detection, lex: Lexicon) -> str | None:
    """The words that tell a bomb disposed of in the trigger's sentence, or None."""
    text = " " + " ".join(t.lower_ for t in det.sentence) + " "
    return next((m for m in lex.filters["disposal_markers"] if f" {m} " in text), None)


#: Words of force short of serious harm, which make an attack on a protest an intervention.
#: Sites a state force strikes from afar: "struck a weapons depot", "a Hamas compound".
_STRUCK_SITES = frozenset({"compound", "depot", "facility", "site", "target", "headquarters",
                           "warehouse", "stockpile", "launcher", "tunnel", "infrastructure",
                           "storage", "factory", "workshop", "arsenal"})


def _strikes_a_site(det: Detection, args: Arguments, lex: Lexicon) -> bool:
    """Whether a state force "struck" a site, told with no weapon and no fight."""
    if det.token.pos_ != "VERB" or det.token.lemma_.lower() != "strike" \
            or lex.actor_kind(args.actor1) != "state" and args.agent_kind != "state":
        return False
    return any(o.lemma_.lower() in _STRUCK_SITES for o in children_of(det.token, "dobj"))


#: Nouns that name an air strike by themselves.
_AIR_STRIKE_NOUNS = frozenset({"strike", "airstrike", "air-strike", "sortie"})

#: Clash verbs that name one side's assault, which civilians may suffer alone.
_ASSAULT_VERBS = frozenset({"storm", "assault", "ambush", "besiege"})


def _fired_on_civilians(verb: Token, lex: Lexicon) -> bool:
    """Whether a verb joined to the assault aims at civilians: "stormed the village … and
    opened fire on residents", "raided the market and shot three traders"."""
    for conj in verb.conjuncts:
        objs = children_of(conj, "dobj")
        objs += [g for o in objs for p in o.children if p.dep_ == "prep" and p.lower_ in ("on", "at")
                 for g in p.children if g.dep_ == "pobj"]
        objs += [g for p in children_of(conj, "prep") if p.lower_ in ("on", "at")
                 for g in p.children if g.dep_ == "pobj"]
        if any(lex.in_class(o.lemma_, "civilian") for o in objs):
            return True
    return False

_CROWD_CONTROL = frozenset({"tear", "teargas", "gas", "cannon", "baton", "rubber", "pepper",
                            "disperse", "scatter"})
#: Force short of lethal besides crowd-control arms: beatings with sticks and whips.
_NON_LETHAL = _CROWD_CONTROL | {"beat", "stick", "whip", "shove"}


def _fired_on_protest(det: Detection, lex: Lexicon) -> Token | None:
    """The protest noun the trigger's force was aimed at ("fired … at an anti-tax rally",
    "opened fire on a peaceful sit-in", "fired into a crowd of teachers demanding
    salaries"), or None.  Only the trigger's own target phrase counts: a protest told
    elsewhere in the sentence is no target."""
    heads = [det.token, *det.absorbed]
    heads += [h.head for h in list(heads) if h.pos_ == "NOUN" and h.head.pos_ == "VERB"]
    for h in heads:
        for purpose in children_of(h, "advcl", "xcomp"):
            # "fired tear gas to break up a peaceful march": the crowd the force was for.
            if purpose.lemma_.lower() in DISPERSE_VERBS:
                for obj in children_of(purpose, "dobj"):
                    hit = next((t for t in obj.subtree if _protest_word(t, lex)
                                or t.lemma_.lower() == "crowd"), None)
                    if hit is not None:
                        return hit
        for prep in children_of(h, "prep"):
            if prep.lower_ not in ("at", "on", "into", "upon", "against"):
                continue
            for obj in children_of(prep, "pobj"):
                for t in obj.subtree:
                    if _protest_word(t, lex) or (t.lemma_.lower() == "crowd" and any(
                            c.dep_ in ("acl", "relcl") or c.lower_ == "of" for c in obj.subtree
                            if c is not obj)):
                        return t
    return None


def _serious_harm(det: Detection, args: Arguments, lex: Lexicon) -> bool:
    """Whether the force on a protest killed or seriously hurt (CB: lethal force or
    injury needing hospital care), told by a killing, a wound or live fire, rather than
    tear gas or a dispersal alone."""
    words = {t.lemma_.lower() for t in det.sentence} | {t.lower_ for t in det.sentence}
    lethal = {"kill", "dead", "death", "wound", "injure", "injured", "wounded", "injury",
              "blind", "fracture", "live", "bullet", "shoot", "massacre", "die", "hospital",
              "hospitalise", "hospitalize", "hospitalised", "hospitalized"}
    if words & lethal:
        return True
    return not (words & _NON_LETHAL)


#: Event types whose doer, when a crowd, makes the event a riot.
_CROWD_RECODED = frozenset({"Battles", "Violence against civilians",
                            "Explosions/Remote violence", "Riots"})
#: Sub-types of other types that a crowd's doing makes a riot: a crowd that burns or
#: loots riots (CB §Riots: vandalism; CB §SD: destruction inside a riot is folded in).
_RIOT_ACTS = frozenset({"Looting/property destruction"})


#: Verbs that make the people they describe demonstrators ("teachers demonstrating").
_PROTESTING = frozenset({"protest", "demonstrate", "rally", "march"})


def _crowd(det: Detection, lex: Lexicon) -> str | None:
    """The riot sub-type when the trigger's doer is a crowd ("a mob stormed …", "angry
    villagers burned …"); a coordinate verb shares its first verb's subject."""
    tok = det.token
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    while tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX") \
            and not children_of(tok, "nsubj"):
        tok = tok.head
    for subj in children_of(tok, "nsubj"):
        lemma = subj.lemma_.lower()
        if lex.in_class(lemma, "mob"):
            return "Mob violence"
        if lex.in_class(lemma, "demonstrator") or any(
                c.dep_ == "acl" and c.lemma_.lower() in _PROTESTING for c in subj.children):
            return "Violent demonstration"  # "youths protesting the results burned …"
        if lex.in_class(lemma, "person") and any(
                c.dep_ == "amod" and (lex.in_class(c.lemma_, "mob_mood")
                                      or lex.in_class(c.lower_, "mob_mood"))
                for c in subj.children):
            return "Mob violence"  # CB cue "angry crowd": people in a rage are a mob
        if subj.tag_ == "NNS" and lex.in_class(lemma, "civilian") and _at_the_law(tok, lex):
            # "Villagers set fire to a police station": townsfolk who turn on the law's
            # own buildings riot (CB §Riots: a crowd's violence with no protest told).
            return "Mob violence"
    return None


def _at_the_law(verb: Token, lex: Lexicon) -> bool:
    """Whether the verb's object (or what "fire" was set to) is the police or one of
    their sites: "a police station", "the gendarmerie", "policemen"."""
    objs = children_of(verb, "dobj")
    objs += [g for o in objs if o.lower_ == "fire" for c in o.children
             if c.dep_ == "prep" and c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
    objs += [g for c in children_of(verb, "prep") if c.lower_ in ("to", "at", "on")
             for g in c.children if g.dep_ == "pobj"]
    return any(lex.in_class(o.lemma_, "police") or any(
        c.dep_ in ("compound", "amod") and lex.in_class(c.lemma_, "police") for c in o.children)
        for o in objs)


def _self_dispersal(tok: Token) -> bool:
    """An intransitive "disperse" ("the crowd dispersed"): no one dispersed the crowd."""
    return tok.lemma_.lower() == "disperse" and tok.pos_ == "VERB" and not children_of(
        tok, "dobj", "nsubjpass", "auxpass", "agent")


def _flying_subject(det: Detection, lex: Lexicon) -> bool:
    """Whether the trigger's subject (or its conjunct head's) is an aircraft or a drone
    ("a Reaper remotely piloted aircraft identified a mortar team … and engaged it")."""
    tok = det.token
    subjects = children_of(tok, "nsubj") or (
        children_of(tok.head, "nsubj") if tok.dep_ == "conj" else [])
    air = frozenset(w for inst in lex.instruments if inst.sub_event_type == "Air/drone strike"
                    for w in inst.lemmas)
    return any(w.lemma_.lower() in air or w.lower_ in air for s in subjects for w in s.subtree)


def _arrests_protesters(det: Detection, lex: Lexicon) -> bool:
    """Whether those arrested are told as protesters ("arrested 14 youths taking part in a
    procession", "detained dozens of demonstrators")."""
    tok = det.token
    objs = children_of(tok, "dobj", "nsubjpass")
    # "Police beat protesters with batons and arrested 30": the verb it is joined to says
    # whom; "arrested 30 during a rally": where they were taken.
    if tok.dep_ == "conj" and tok.head.pos_ == "VERB":
        objs += children_of(tok.head, "dobj")
    if any(_protest_word(o, lex) for p in children_of(tok, "prep")
           if p.lower_ in ("during", "at") for o in children_of(p, "pobj")):
        return True
    # "detained several women protesting in Kabul": people a participle says protested.
    return any(_protest_word(t, lex) or t.dep_ == "acl" and t.head == o and t.tag_ == "VBG"
               and t.lemma_.lower() in _PROTEST_VERBS for o in objs for t in o.subtree)


#: Verbs of protesting, whose participle on people makes them protesters.
_PROTEST_VERBS = frozenset({"protest", "demonstrate", "rally", "march"})


def _protest_word(tok: Token, lex: Lexicon) -> bool:
    """A noun of protest or protesters ("march", "sit-in", "demonstrators"); the month
    "March" is a name, not a march."""
    return tok.pos_ == "NOUN" and lex.in_class(tok.lemma_, "protest_event")


def _founds_base(det: Detection, lex: Lexicon) -> bool:
    """Whether a founding told is of a base ("the establishment of a headquarters")."""
    return any(lex.in_class(o.lemma_, "founding") and any(
        lex.in_class(b.lemma_, "base") for p in children_of(o, "prep") if p.lower_ == "of"
        for b in children_of(p, "pobj"))
        for o in children_of(det.token, "dobj"))
