"""One event per happening within an article, with its figures reconciled.

A story tells its main happening several times: the lead ("At least 14 rockets hit an
Iraqi air base … on Wednesday"), a detail paragraph ("Two people were slightly wounded
in the rocket attack on the Ain al-Asad air base"), an anaphor ("Wednesday's attack").
Candidates merge when their sub-types agree (an anaphor or a bare casualty report fits
any violent event), their dates overlap, their places agree (a country fits any place in
it) and their actors do not conflict; the most recent compatible event wins.

Figures: every stated figure stays a claim with its claimant, reconciled by the one rule
the merge across articles uses too (``opsroom.figures``): ``fatalities`` is the most
conservative credible figure, as ACLED codes: the smallest non-zero claim (a zero stated
beside non-zero figures speaks for one side only: "No American troops were killed");
``fatalities_low``/``fatalities_high`` span the claims, as UCDP's low and high.
Denials attach to the event they deny: same event type, compatible place.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

from ..figures import asserted, figure_span
from ..models import Claim, Entity, Event, Source
from .arguments import Arguments
from .coding import Coding
from .dates import DatedValue, compatible
from .lexicon import Lexicon

#: A state's force named by its kind alone ("The army said it intercepted …").
_BARE_FORCE = re.compile(r"(?i)^(?:the\s+)?(?:country's\s+|army's\s+)?(?P<kind>army|military|"
                         r"armed forces|security forces|troops|soldiers|police|police force|"
                         r"military police|riot police|"
                         r"gendarmerie|air force|air defen[cs]es?(?:\s+(?:forces|systems|units))?|"
                         # "The Ministry of Defence announced that its forces detained …":
                         # the ministry's forces are the state's (police for the interior).
                         r"(?:ministry of (?:national )?defen[cs]e|defen[cs]e ministry|"
                         r"ministry of (?:the )?interior|interior ministry))$")


def _national_force(actor: object, country: str | None) -> object:
    """A force named by its kind alone is the force of the country the event is in (CB:
    a country's army and police are its state forces): "the army" → "Military Forces of
    Saudi Arabia", "police" → "Police Forces of Kenya"."""
    if not isinstance(actor, str) or not country or (hit := _BARE_FORCE.match(actor)) is None:
        return actor
    named = hit.group("kind").lower()
    kind = "Police" if named.startswith("police") or "interior" in named else "Military"
    return f"{kind} Forces of {country}"


#: Protest sub-types of force met: the protesters are actor1, the force actor2 (CB).
_FORCE_ON_PROTEST = ("Protest with intervention", "Excessive force against protesters")
_TERRITORY_SUBTYPES = ("Government regains territory", "Non-state actor overtakes territory")
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
#: Names of a state's own forces (CB: "Police Forces of Iraq", "Military Forces of Iraq").
_STATE_FORCES = ("Police Forces of ", "Military Forces of ")
#: Event types of crowds, whose victims a casualty clause of their sentence counts.
_CROWD_TYPES = ("Protests", "Riots")
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


@dataclass
class Candidate:
    """One detection, typed and argued, ready to merge."""

    coding: Coding
    args: Arguments
    sentence_index: int
    trigger_start: int
    sources: list[Source] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    casualty_only: bool = False
    anaphoric: bool = False
    #: Anaphoric only through a pronoun for its agent ("They kidnapped and killed 11
    #: people"): it refers back when an event fits, and is its own report when none does.
    retold: bool = False
    denial: bool = False
    background: bool = False
    trigger_rule: str = ""
    trigger_id: str = ""
    #: The sentence opens with its place ("Near Mosul, one strike engaged …"): an item of
    #: a list told place by place, as strike reports and event notes are.
    place_led: bool = False
    #: The name the sentence opens with when no place was found for it ("Near Kisik, a
    #: strike …"): an item of its own all the same.
    lead_name: str | None = None
    #: How many of the happening the trigger counts ("conducted 14 strikes" → 14).
    times: int | None = None
    #: Each figure's field, value and whose dead it counts ("state", "armed", "civilian"
    #: or "unknown"): the parts a report tells side by side.
    figure_sides: list[tuple[str, int, str]] = field(default_factory=list)
    #: Told as the answer to what came before ("IDF artillery responded by striking the
    #: source of the launch"): the other side's act, never a report of the same one.
    response: bool = False


#: Triggers of an attack told by its word alone ("attack", "hit", "target").
_ATTACK_TRIGGERS = frozenset({"attack-noun", "attack-verb"})


def _bare_attack(m: Candidate) -> bool:
    """An attack told with no weapon: its sub-type is the rule's default, not the act's
    (not "struck … to repel an attack", which says both sides engaged)."""
    return m.trigger_id in _ATTACK_TRIGGERS and m.args.instrument is None and not m.coding.firm


def _place_key(p: Entity | None) -> str | None:
    if p is None:
        return None
    return (p.name or p.text).lower()


#: Two named places this close can be one happening told by two sides ("al-Harra,
#: southeast of Albu Kamal" and "near Albu Kamal"): ACLED's "near" reaches about a
#: district, and the seed corpus's same-event places lie within 30 km of each other.
SAME_PLACE_KM = 50.0


def _km(a: Entity, b: Entity) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = (math.radians(x) for x in (a.latitude, a.longitude,
                                                        b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _places_compatible(a: Entity | None, b: Entity | None,
                       prec_a: int | None = None, prec_b: int | None = None) -> bool:
    """Whether two places can be one happening's; ``prec_*`` are the precisions the
    reports gave them ("near Albu Kamal" is 2 although the town itself is 1)."""
    if a is None or b is None:
        return True
    if _place_key(a) == _place_key(b):
        return True
    pa = prec_a or a.geo_precision
    pb = prec_b or b.geo_precision
    # Two sites each named as the place itself ("advanced in the Wahda district", "cleared
    # the Mithaq district") are two happenings however close; "near X" may be one told
    # by two sides ("in al-Harra" and "near Albu Kamal").
    # Across a border they are two (Albu Kamal in Syria, al-Qaim in Iraq: 10 km apart).
    if (pa or 3) < 3 and (pb or 3) < 3 and not (pa == 1 and pb == 1) \
            and not (a.country and b.country and a.country != b.country):
        km = _km(a, b)
        if km is not None and km <= SAME_PLACE_KM:
            return True
    for broad, narrow in ((a, b), (b, a)):
        if (broad.geo_precision or 0) >= 3 or broad.feature in ("country", "region", "admin1"):
            names = {x.lower() for x in (broad.name, broad.text) if x}
            if {x.lower() for x in (narrow.country, narrow.admin1) if x} & names:
                return True
    return False


#: Reports of the same sub-type this close are one happening told again: news style
#: restates the lead within a paragraph or two (read off the seed corpus).
SAME_STORY_SENTENCES = 3


def _actor_ok(a: str | None, b: str | None, lex: Lexicon) -> bool:
    if a is None or b is None or lex.same_side(a, b):
        return True
    return a.startswith("Unidentified") or b.startswith("Unidentified")


@dataclass
class Cluster:
    """The candidates told of one happening."""

    members: list[Candidate]
    #: The attacker of the barrage this cluster is one hit of (``_hits_of_a_barrage``),
    #: when no member names one.
    barrage_actor: str | None = None

    @property
    def head(self) -> Candidate:
        """The most specific member: a real trigger beats an anaphor or a casualty verb,
        and an act told with its weapon beats a bare "attack" ("the attack on the convoy"
        … "the convoy was attacked from the air")."""
        full = [m for m in self.members if not m.anaphoric and not m.casualty_only]
        if full and full[0].args.instrument is None and any(_bare_attack(m) for m in self.members):
            # The weapon says most, even told again ("the convoy was attacked from the
            # air"), over "killed 20 civilians".
            # Shells or strikes in a battle told with its clashes are the battle's (CB: a
            # strike that is part of a battle is folded into it): "attacked the town …
            # after clashes with the army …  14 civilians were killed by stray shells".
            battle = any(m.coding.event_type == "Battles" and m.trigger_rule == "fixed"
                         for m in full)
            armed = None if battle else next(
                (m for m in self.members if m.args.instrument is not None
                 and m.coding.event_type == "Explosions/Remote violence"), None)
            told = armed or next((m for m in full if not _bare_attack(m) and m.coding.event_type
                                  == "Violence against civilians"), None)
            if told is not None:
                return told
        return full[0] if full else self.members[0]

    def date(self) -> DatedValue | None:
        """The most precise date a member states (a day beats "last week"); None when no member
        is dated."""
        dated = [m.args.date for m in self.members if m.args.date and m.args.date.date]
        if not dated:
            return None
        return min(dated, key=lambda d: _PRECISION_RANK.get(d.precision or "year", 4))

    def background(self) -> bool:
        """History when its dated reports are: an undated retelling ("the United States
        told the Council it targeted the militia") does not make old news current."""
        told = [m for m in self.members if not m.denial]
        # A bare figure or anaphor retells; the reports that name the happening decide.
        told = [m for m in told if not (m.casualty_only or m.anaphoric)] or told
        dated = [m for m in told if m.args.date is not None]
        return all(m.background for m in (dated or told))

    def place(self) -> Entity | None:
        """The most precise place a member names (a town beats its province); None when none does."""
        places = [m.args.place for m in self.members if m.args.place is not None]
        if not places:
            return None
        return min(places, key=lambda p: p.geo_precision or 9)

    def place_precision(self) -> int | None:
        """The precision the reports gave the cluster's place (2 for "near X")."""
        place = self.place()
        return max((m.args.geo_precision for m in self.members
                    if m.args.place is place and m.args.geo_precision), default=None)

    def value(self, name: str) -> object:
        """The first member's stated value of argument ``name``, skipping "Unidentified …"
        placeholders so a named side wins over an unnamed one."""
        for m in self.members:
            v = getattr(m.args, name)
            if v is not None and not (isinstance(v, str) and v.startswith("Unidentified")):
                return v
        return None

    def _same_crowd(self, c: Candidate) -> bool:
        """Force met a violent crowd told in the riot's own sentence: "Demonstrators burned
        tires and blocked the bridge; security forces fired live rounds, killing 3": one
        violent demonstration, the force its actor2 (CB: the label does not say who
        started the violence)."""
        return self.head.coding.sub_event_type == "Violent demonstration" \
            and c.coding.sub_event_type in _FORCE_ON_PROTEST \
            and any(m.sentence_index == c.sentence_index for m in self.members)

    def _same_attack(self, c: Candidate) -> bool:
        """A bare "attack" and the same act told with its weapon, on the same target: "the
        attack on a UN aid convoy near Aleppo … killed around 20 civilians" and "the convoy
        was attacked from the air".  Dates, places and attackers must still agree."""
        head = self.head
        if head.coding.event_type not in VIOLENT_TYPES or c.coding.event_type not in VIOLENT_TYPES:
            return False
        bare_here = any(_bare_attack(m) for m in self.members)
        if not (bare_here or _bare_attack(c)):
            return False
        told = c if bare_here else head
        if told.coding.event_type not in ("Explosions/Remote violence", "Violence against civilians"):
            return False  # ground taken or a fight told with its weapon is not a bare attack
        if min(abs(m.sentence_index - c.sentence_index) for m in self.members) > 3 \
                or c.background or any(m.background for m in self.members):
            return False  # the story told again close by, not an attack of last month
        mine, theirs = self.value("actor2"), c.args.actor2
        civil = (any(m.args.patient_civilian for m in self.members), c.args.patient_civilian)
        return mine == theirs or mine is None or theirs is None or civil == (True, True)

    def _same_fight(self, c: Candidate, lex: Lexicon) -> bool:
        """A clash and a strike between the same two named sides: one fight told twice.

        "The coalition struck pro-government forces … to repel an attack" (a clash) and
        "the coalition had caused dozens of dead by bombing pro-government forces" (the
        other side's account of the same night).
        """
        subs = {self.head.coding.sub_event_type, c.coding.sub_event_type}
        if "Armed clash" not in subs or self.head.coding.event_type not in VIOLENT_TYPES \
                or c.coding.event_type not in VIOLENT_TYPES:
            return False
        a1, a2 = self.value("actor1"), self.value("actor2")
        b1, b2 = c.args.actor1, c.args.actor2
        if not (isinstance(a1, str) and isinstance(a2, str)):
            return False
        here = self.place()
        if here is not None and c.args.place is not None \
                and _place_key(here) != _place_key(c.args.place):
            # "an Israeli air strike hit a convoy outside Gaza City … troops and Hamas
            # militants also clashed near Beit Hanoun": the same sides at two named
            # places fought twice.
            return False
        if isinstance(b1, str) and isinstance(b2, str):
            return (lex.same_side(a1, b1) and lex.same_side(a2, b2)) or (
                lex.same_side(a1, b2) and lex.same_side(a2, b1))
        # One side named ("the pro-government forces had initiated hostilities with
        # artillery fire"; "groups bombed by the coalition"): the same fight retold when
        # nothing dates or places it apart, or when it follows within a few sentences.
        named = b1 if isinstance(b1, str) else b2
        if not isinstance(named, str) or not (lex.same_side(a1, named) or lex.same_side(a2, named)):
            return False
        last = max(m.sentence_index for m in self.members)
        bare = c.args.date is None and c.args.place is None
        return bare or c.sentence_index - last <= SAME_STORY_SENTENCES

    def accepts(self, c: Candidate, lex: Lexicon) -> bool:
        """Whether candidate ``c`` tells this cluster's happening: sub-types fit, dates, places and
        attackers agree, and two full reports share an anchor: a place, a date, the attacker,
        or the same story told again within a few sentences."""
        head = self.head
        same_fight = False
        loose = c.anaphoric or c.casualty_only
        same_weapon = c.args.weapon is not None and c.args.weapon == self.value("weapon")
        if c.anaphoric or (c.casualty_only and c.args.instrument is None):
            # "opened fire on demonstrators, wounding 15": the toll of force used on a
            # crowd, or of a riot, is that event's.
            crowd_toll = c.casualty_only and head.coding.event_type in _CROWD_TYPES
            # "They killed 14 villagers and set fire to 40 houses": the burning told again
            # of an attack is part of it (CB: destruction inside violence is folded in).
            burnt = c.coding.sub_event_type == "Looting/property destruction" \
                and head.coding.event_type in VIOLENT_TYPES
            if (head.coding.event_type not in VIOLENT_TYPES or
                    c.coding.event_type not in VIOLENT_TYPES) and not crowd_toll and not burnt:
                if head.coding.sub_event_type != c.coding.sub_event_type and not same_weapon:
                    return False
        elif head.coding.sub_event_type != c.coding.sub_event_type:
            if not (head.anaphoric or head.casualty_only) or \
                    head.coding.event_type != c.coding.event_type:
                if self._same_fight(c, lex):
                    same_fight = True  # the sides may be told in either order
                elif not self._same_attack(c) and not self._same_crowd(c):
                    return False
        if not compatible(self.date(), c.args.date if c.args.date and c.args.date.date else None):
            return False
        # Without a publication date "on Monday" and "on Wednesday" stay unresolved, but
        # two different expressions still name two different days.
        mine = {_date_key(m.args.date) for m in self.members} - {None}
        theirs = _date_key(c.args.date)
        if mine and theirs is not None and theirs not in mine:
            return False
        if not _places_compatible(self.place(), c.args.place, self.place_precision(),
                                  c.args.geo_precision):
            return False
        items = {_lead_key(m) for m in self.members if m.place_led}
        if c.place_led and items and _lead_key(c) not in items:
            return False  # "Near Abu Kamal, three strikes …" / "Near Al Qaim, two strikes …"
        if not c.place_led and c.args.place is not None and any(
                m.lead_name for m in self.members) and _lead_key(c) not in items:
            return False  # an item at a village the gazetteer lacks; the next count is not it
        if c.response and not any(m.response for m in self.members):
            return False
        here = self.place()
        if c.place_led and (c.args.place is None or c.args.place.feature != "country") and (
                here is not None and here.feature == "country"
                or here is None and (head.times or 0) > 1):
            # An item of a list told by its places is no part of the count before it
            # ("conducted 14 strikes …" / "Near Al Shadaddi, two strikes …").
            return False
        # Sides name different victims; only two different attackers keep events apart.
        if not same_fight and not _actor_ok(self.value("actor1"), c.args.actor1,  # type: ignore[arg-type]
                                            lex):
            return False
        if loose:
            return True
        if head.anaphoric or head.casualty_only:
            # "their push" last Thursday, then "police advanced …, the military said on
            # Wednesday": a full report of another day is not what the anaphor told.
            return not _reported_another_day(self.date(), c)
        # Two full reports merge only on a shared anchor: a place, a date, the attacker,
        # or the same story told again within a few sentences.
        date = self.date()
        last = max(m.sentence_index for m in self.members)
        # A side takes ground town by town: sharing the gainer does not make two reports
        # of ground taken one happening (CB: one event per location).
        territory = head.coding.sub_event_type in _TERRITORY_SUBTYPES
        return (
            (self.place() is not None and c.args.place is not None)
            or (date is not None and c.args.date is not None and c.args.date.date is not None)
            or (not territory and self.value("actor1") is not None
                and self.value("actor1") == c.args.actor1)
            or (c.sentence_index - last <= SAME_STORY_SENTENCES
                and not _reported_another_day(date, c))
        )


def _lead_key(c: Candidate) -> str | None:
    """The place an item of a list is told at: the one found, or the name it opens with."""
    return _place_key(c.args.place) if c.args.place is not None else c.lead_name


def _reported_another_day(date: DatedValue | None, c: Candidate) -> bool:
    """An undated report stated on a day other than the cluster's ("police advanced in
    Wahda, the military said on Wednesday" after "last Thursday forces renewed their
    push"): ACLED dates it by its report, so it tells another day's happening."""
    report = c.args.report_date
    if c.args.date is not None or report is None or report.date is None or date is None:
        return False
    if date.precision != "day" or report.precision != "day" or date.date is None:
        return False
    return report.date != date.date


def _date_key(d: DatedValue | None) -> str | None:
    """A comparable key for a date expression left unresolved (no publication date)."""
    if d is None or d.date is not None:
        return None
    text = re.sub(r"['’]s\b", "", d.text.lower())
    return re.sub(r"^(on|in|at|late on|early on|late|early)\s+", "", text).strip()


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower())


def event_id(article_id: str, sub_event_type: str, date: str | None, location: str | None,
             actor1: str | None, actor2: str | None, first_start: int) -> str:
    """Deterministic id: a hash of the article id and the event's normalised key fields."""
    key = "|".join([article_id, _norm(sub_event_type), date or "", _norm(location),
                    _norm(actor1), _norm(actor2), str(first_start)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def merge(candidates: list[Candidate], article_id: str, lex: Lexicon,
          lead_date: DatedValue | None = None, home: str | None = None) -> list[Event]:
    """Merge an article's candidates into events (see the module docstring).

    ``home`` is the one country every place of the article lies in, if there is one: an
    event told with no place of its own happened there, and its unnamed forces and
    victims are that country's."""
    clusters: list[Cluster] = []
    denials: list[Candidate] = []
    deferred: list[Candidate] = []
    unreferred: list[Candidate] = []
    figures_first: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: c.trigger_start):
        if c.denial:
            denials.append(c)
            continue
        fits = [cl for cl in reversed(clusters) if cl.accepts(c, lex)]
        if c.anaphoric or c.casualty_only:
            # "the rocket attack" refers back to a rocket attack, "the attack" to an attack
            # rather than to a handover, and to the story's news rather than its history.
            fits.sort(key=lambda cl: (
                all(m.background for m in cl.members) and not c.background,
                c.args.weapon is not None and cl.value("weapon") != c.args.weapon,
                c.args.instrument is not None
                and cl.head.coding.sub_event_type != c.coding.sub_event_type,
                cl.head.trigger_rule != c.trigger_rule,
            ))
        if not (c.anaphoric or c.casualty_only):
            # Of two reports that fit, the one of the same kind: "killed 14 people …" and
            # "… opened fire on residents" are one attack, beside the storming told with it.
            fits.sort(key=lambda cl: cl.head.coding.sub_event_type != c.coding.sub_event_type)
        target = fits[0] if fits else None
        if c.casualty_only and not c.anaphoric and c.args.place is not None and (
                target is None or _stale_for(target, c)):
            # "1,000 fighters were captured in Hawija" may count a battle told later
            # ("since retaking Hawija"): decide once every report has its cluster.
            deferred.append(c)
            continue
        if target is not None:
            target.members.append(c)
        elif (c.casualty_only or c.anaphoric) and c.args.date is None and c.args.place is None:
            if c.retold and not c.casualty_only:
                unreferred.append(c)  # an event told later in the text may be its referent
            elif c.casualty_only:
                # "Kenyan police killed two people when they fired at a rally": the toll
                # comes before the act in its own sentence.
                figures_first.append(c)
            continue  # an anaphor or a bare figure with nothing to refer to: not an event
        else:
            clusters.append(Cluster([c]))
    for c in deferred:
        fits = [cl for cl in clusters if cl.accepts(c, lex)]
        fits.sort(key=lambda cl: (_place_key(cl.place()) != _place_key(c.args.place),
                                  _stale_for(cl, c),
                                  abs(cl.members[0].trigger_start - c.trigger_start)))
        if fits:
            fits[0].members.append(c)
        else:
            clusters.append(Cluster([c]))
    for c in unreferred:
        fits = [cl for cl in clusters if cl.accepts(c, lex)]
        fits.sort(key=lambda cl: abs(cl.members[0].trigger_start - c.trigger_start))
        if fits:
            fits[0].members.append(c)
        else:
            clusters.append(Cluster([c]))
    for c in figures_first:
        fits = [cl for cl in clusters if cl.accepts(c, lex)
                and any(m.sentence_index == c.sentence_index for m in cl.members)]
        if fits:
            fits[0].members.append(c)
    # The hits take their striker from the count they break down before it goes.
    _hits_of_a_barrage(clusters)
    clusters = [cl for cl in clusters if not _summary_of_items(cl, clusters, lex)]
    clusters = [cl for cl in clusters if not _operation_told_again(cl, clusters)]
    clusters = _spoils_folded(clusters)
    for d in denials:
        target = _denied(d, clusters)
        if target is not None:
            target.members.append(d)
    return [_event(cl, article_id, lead_date, lex, home) for cl in clusters]


#: Triggers of weapons taken ("recovered six rifles"): spoils when a battle was just told.
_SPOILS_TRIGGERS = frozenset({"seize-weapons"})


def _spoils_folded(clusters: list[Cluster]) -> list[Cluster]:
    """Weapons taken in the battle just told ("troops neutralised 15 terrorists … The
    troops also recovered six rifles and a gun truck") are part of that battle (CB:
    what is destroyed or seized inside a battle is folded into it), not a disrupted
    weapons use of their own; a seizure with its own place elsewhere stays one."""
    out: list[Cluster] = []
    for cl in clusters:
        head = cl.head
        battle = None
        if head.trigger_id in _SPOILS_TRIGGERS:
            # A seizure told in the battle's own sentence ("raided a base in Monguno,
            # killing several soldiers and seizing weapons") is its spoils wherever its
            # place was told.
            battle = next((o for o in clusters if o.head.coding.event_type == "Battles"
                           and min(abs(head.sentence_index - m.sentence_index) for m in o.members)
                           <= SAME_STORY_SENTENCES
                           and (not head.place_led or any(
                               m.sentence_index == head.sentence_index for m in o.members))
                           and (cl.place() is None or _places_compatible(o.place(), cl.place()))),
                          None)
        if battle is not None:
            if all(m.casualty_only or m.anaphoric for m in battle.members):
                # "Troops neutralised three terrorists and recovered two rifles": the
                # killing is the battle's report, and stays its head.
                battle.members[0].casualty_only = False
            battle.members.extend(cl.members)
        else:
            out.append(cl)
    return out


#: Sub-types of weapons fired from afar: a barrage and the hits told after it.
_REMOTE = ("Air/drone strike", "Shelling/artillery/missile attack")


def _hits_of_a_barrage(clusters: list[Cluster]) -> None:
    """The hits of a barrage told country-wide: "Russian forces launched 24 drones and two
    missiles at Ukraine. … A missile struck an industrial facility in Kharkiv" names the
    launcher once; a hit told next with no attacker of its own, at a place of that
    country, is the launcher's, and so is a weapon of it shot down ("Air defence forces
    shot down 21 drones over the Kyiv region") the side whose weapon was stopped."""
    for cl in clusters:
        sub = cl.head.coding.sub_event_type
        if not (sub in _REMOTE and cl.value("actor1") is None
                or sub == "Disrupted weapons use" and cl.value("actor2") is None):
            continue
        place = cl.place()
        first = min(m.sentence_index for m in cl.members)
        barrage = next((o for o in reversed(clusters)
                        if o is not cl and o.head.coding.sub_event_type in _REMOTE
                        and isinstance(o.value("actor1"), str)
                        and (p := o.place()) is not None and p.feature == "country"
                        and place is not None and place.country == p.country
                        and 0 < first - max(m.sentence_index for m in o.members)
                        <= SAME_STORY_SENTENCES), None)
        if barrage is not None:
            cl.barrage_actor = str(barrage.value("actor1"))


def _summary_of_items(cl: Cluster, clusters: list[Cluster], lex: Lexicon) -> bool:
    """A country-wide count the text then breaks down place by place: "In Syria, Coalition
    military forces conducted eight strikes …" followed by "Near Abu Kamal, four strikes
    …" and "Near Dayr Az Zawr, two strikes …". CB codes each happening at its own place,
    so the total is no event of its own: dropped when the same kind of happening by the
    same side is told at a finer place of that country, in a list led by its places or
    at two places at least.  So is a count told with no place at all ("conducted 14
    strikes … in Syria and Iraq") that items at places then break down."""
    place = cl.place()
    if place is None and ((cl.head.times or 0) < 2 or any(m.lead_name for m in cl.members)):
        return False  # an item told at a village the gazetteer lacks is no total
    if place is not None and (place.feature != "country" or not place.country):
        return False
    sub, actor = cl.head.coding.sub_event_type, cl.value("actor1")
    items = [o for o in clusters if o is not cl and o.head.coding.sub_event_type == sub
             and (p := o.place()) is not None and p.feature != "country"
             and (place is None or p.country == place.country)
             and (actor is None and o.value("actor1") is None
                  or isinstance(actor, str) and _same_or_unnamed(actor, o.value("actor1"), lex))]
    return len(items) >= 2 or any(m.place_led for o in items for m in o.members)


#: The trigger of a candidate the classifier opened (``extract.CLASSIFIER_TRIGGER``).
_CLASSIFIER = "classifier"


def _operation_told_again(cl: Cluster, clusters: list[Cluster]) -> bool:
    """A strategic development only the classifier read ("Security forces conducted an
    intelligence-based operation in North Waziristan") that the text then tells as a
    fight, a strike or an arrest by the same side at the same place ("During the
    operation, own troops engaged the terrorists"): the operation is that event, not a
    change of activity of its own."""
    head = cl.head
    if head.trigger_id != _CLASSIFIER or head.coding.event_type != "Strategic developments" \
            or len(cl.members) > 1:
        return False
    actor, place = cl.value("actor1"), cl.place()
    return any(o is not cl and o.head.trigger_id != _CLASSIFIER
               and (o.head.coding.event_type in VIOLENT_TYPES
                    or o.head.coding.sub_event_type == "Arrests")
               and (actor is None or o.value("actor1") in (None, actor))
               and _place_key(_where(o)) == _place_key(place)
               for o in clusters)


def _sum_of_sides(cl: Cluster, name: str) -> int | None:
    """The sum of the dead (or wounded) each side lost, when the reports of one event count
    them side by side ("six terrorists were sent to hell … two soldiers embraced
    shahadat": 8), each side at its most conservative figure; None unless every figure
    says whose dead it counts and two sides at least are counted (a bare "eight people"
    may count them all)."""
    sides: dict[str, int] = {}
    for m in cl.members:
        if m.denial:
            continue
        for fld, value, side in m.figure_sides:
            if fld != name or value <= 0:
                continue
            if side == "unknown":
                return None
            sides[side] = min(value, sides.get(side, value))
    return sum(sides.values()) if len(sides) >= 2 else None


def _where(cl: Cluster) -> Entity | None:
    """The place a cluster names, else the one the text was at when it told it."""
    return cl.place() or next((m.args.context_place for m in cl.members
                               if m.args.context_place is not None), None)


def _same_or_unnamed(actor: str, other: object, lex: Lexicon) -> bool:
    """Whether ``other`` is ``actor``'s side, or unnamed: a report's items ("Near Rawah, two
    strikes destroyed …") leave the striker to its total."""
    return other is None or isinstance(other, str) and lex.same_side(actor, other)


def _stale_for(cl: Cluster, c: Candidate) -> bool:
    """A history cluster offered to a report of the news: a poor referent."""
    return all(m.background for m in cl.members) and not c.background


def _denied(d: Candidate, clusters: list[Cluster]) -> Cluster | None:
    """The event a denial is about: same type and compatible place, else same type."""
    same = [cl for cl in clusters if cl.head.coding.event_type == d.coding.event_type]
    if not same:
        same = [cl for cl in clusters if cl.head.coding.event_type in VIOLENT_TYPES]
    if not same:
        return None
    placed = [cl for cl in same if d.args.place is not None and cl.place() is not None
              and _places_compatible(cl.place(), d.args.place)]
    pool = placed or same
    before = [cl for cl in pool if cl.members[0].trigger_start <= d.trigger_start]
    return (before or pool)[-1]


def _event(cl: Cluster, article_id: str, lead_date: DatedValue | None = None,
           lex: Lexicon | None = None, home: str | None = None) -> Event:
    head = cl.head
    date = cl.date()
    date_reason = date.reason + f" ('{date.text}')" if date else None
    if date is None:
        report = next((m.args.report_date for m in cl.members
                       if m.args.report_date is not None and m.args.report_date.date), None)
        background = cl.background()
        if report is not None:
            date = report
            date_reason = f"no date on the event; date of the report ('{report.text}'): {report.reason}"
        elif lead_date is not None and not background:
            # ACLED dates an undated happening by its report; the lead dates the story.
            date = DatedValue(lead_date.date, "week", lead_date.reason, lead_date.text)
            date_reason = (f"no date on the event; the story's lead date ('{lead_date.text}'), "
                           "kept at week precision")
        else:
            unresolved = next((m.args.date for m in cl.members
                               if m.args.date is not None and m.args.date.date is None), None)
            date_reason = unresolved.reason if unresolved else "no date stated for the event"
    place = cl.place()
    context_place = None
    if place is None:
        # No report names a place: the place the text was at when it told the event
        # (geo precision 2 at best: implied, not stated).
        # An answer to an act ("responded by striking the source of the launch") is
        # aimed at where that act came from, not where the text just was.
        context_place = next((m.args.context_place for m in cl.members
                              if m.args.context_place is not None and not m.response), None)
        place = context_place
    claims = [c for m in cl.members for c in m.claims]
    sources: list[Source] = []
    seen: set[tuple[int, str | None, str]] = set()
    for m in cl.members:
        for s in m.sources:
            key = (s.start, s.claimed_by, s.stance)
            if key not in seen:
                seen.add(key)
                sources.append(s)
    fatalities, low, high = figure_span(*asserted(claims, "fatalities"))
    injuries, _, _ = figure_span(*asserted(claims, "injuries"))
    parts = _sum_of_sides(cl, "fatalities")
    if parts is not None and fatalities is not None and parts > fatalities:
        fatalities, low, high = parts, parts, max(high or parts, parts)
    parts = _sum_of_sides(cl, "injuries")
    if parts is not None and injuries is not None and parts > injuries:
        injuries = parts
    actor1 = cl.value("actor1")
    their_foe: object = None
    # "The attackers detonated a car bomb …  Three of the attackers were killed by
    # security forces": unnamed attackers' event is theirs; the force that killed them,
    # told in a toll merged into it, is the other side, not the bomber.
    unnamed_attackers = head.args.actor1 is None and head.args.agent_kind == "non_state"
    if unnamed_attackers and lex is not None and \
            lex.actor_kind(actor1 if isinstance(actor1, str) else None) == "state":
        their_foe, actor1 = actor1, None
    if actor1 is None and head.coding.sub_event_type in _REMOTE:
        actor1 = cl.barrage_actor
    country = place.country if place is not None else home
    if actor1 is None and head.coding.sub_event_type == "Government regains territory" \
            and country:
        # "Mosul fell in July": ground regained by government forces is regained by the
        # forces of the country it lies in.
        actor1 = f"Military Forces of {country}"
    if actor1 is None and country and any(m.args.agent_police for m in cl.members):
        # CB: an unnamed police force is the police of the country it acts in.
        if unnamed_attackers:
            their_foe = their_foe or f"Police Forces of {country}"
        else:
            actor1 = f"Police Forces of {country}"
    if actor1 is None and country and any(m.args.agent_security for m in cl.members):
        # "Security forces arrested 12 suspects in Kirkuk": the state's forces there.
        if unnamed_attackers:
            their_foe = their_foe or f"Military Forces of {country}"
        else:
            actor1 = f"Military Forces of {country}"
    actor1 = _national_force(actor1, country)
    if isinstance(actor1, str) and lex is not None:
        actor1 = lex.in_country(actor1, country)
    force_on_protest = None
    if head.coding.sub_event_type in _FORCE_ON_PROTEST and country and isinstance(actor1, str) \
            and not actor1.startswith("Protesters"):
        # CB: the protesters are actor1 of a protest met with force, whoever used it
        # ("police fired tear gas at marchers": Protesters vs the police).
        force_on_protest, actor1 = actor1, None
    elif head.coding.sub_event_type == "Violent demonstration" and isinstance(actor1, str) \
            and actor1.startswith(_STATE_FORCES):
        # "demonstrators burned tires …; police fired live rounds": the force that met a
        # violent crowd is its actor2, the rioters its actor1 (CB).
        force_on_protest, actor1 = actor1, None
    if force_on_protest is None and head.coding.sub_event_type in _FORCE_ON_PROTEST:
        # "Police used tear gas to disperse students who were protesting": the force
        # another clause names is the protest's actor2 (CB).
        force_on_protest = next((m.args.intervener for m in cl.members if m.args.intervener),
                                None)
        if force_on_protest is None and country and any(
                m.args.intervener_police for m in cl.members):
            force_on_protest = f"Police Forces of {country}"
        elif force_on_protest is None and country and any(
                m.args.intervener_security for m in cl.members):
            force_on_protest = f"Military Forces of {country}"
    if force_on_protest is None and actor1 is None and country and \
            head.coding.sub_event_type in _FORCE_ON_PROTEST and any(
                m.args.agent_kind == "non_state" and m.args.actor1 is None for m in cl.members):
        # "gunmen on motorbikes opened fire on protesters": CB, the unnamed attacker of a
        # protest is its actor2, an unidentified armed group.
        force_on_protest = f"Unidentified Armed Group ({country})"
    if actor1 is None and country and head.coding.event_type in ("Protests", "Riots"):
        # CB: unorganised demonstrators and crowds are coded by the country they act in.
        actor1 = (f"Protesters ({country})" if head.coding.event_type == "Protests"
                  else f"Rioters ({country})")
    if actor1 is None and head.coding.event_type in VIOLENT_TYPES and \
            head.coding.sub_event_type not in ("Government regains territory",
                                               "Non-state actor overtakes territory"):
        # An aircraft shot down was the target, not the attacker's ("rebels shot down a jet").
        target = cl.value("actor2")
        if cl.value("weapon") == "aircraft" and head.trigger_rule != "disrupt" or (
                head.coding.sub_event_type == "Air/drone strike" and (
                    cl.value("weapon") != "drone" or lex is not None and isinstance(target, str)
                    and lex.actor_kind(target) == "non_state"
                    and not target.startswith("Unidentified"))):
            # eval/ANNOTATION.md: an unclaimed attack by aircraft is by military forces; so
            # is an air strike told with no platform ("three strikes destroyed a wellhead"),
            # while a drone may be any armed group's, but for one that hunts an armed
            # group ("a drone strike killed two al-Shabaab commanders"): states fly those.
            actor1 = "Unidentified Military Forces"
        else:
            actor1 = f"Unidentified Armed Group ({country})" if country else None
    if actor1 is None and country and (
            head.coding.event_type == "Strategic developments"
            or head.coding.sub_event_type == "Non-state actor overtakes territory") \
            and any(m.args.agent_kind == "non_state" for m in cl.members):
        # "militants burned down two schools", "rebels took over the town", "Kurdish
        # fighters pushed ISIL out of Kobane": fighters nobody names are an unidentified
        # armed group (CB), whatever they did.
        actor1 = f"Unidentified Armed Group ({country})"
    if isinstance(actor1, str) and lex is not None and _disowned(cl, actor1, lex):
        # eval/ANNOTATION.md: when the named attacker's own side denies it, the attacker
        # is unidentified and the claims are kept side by side.
        actor1 = ("Unidentified Military Forces" if head.coding.sub_event_type == "Air/drone strike"
                  else f"Unidentified Armed Group ({country})" if country else None)
    actor2 = _national_force(cl.value("actor2") or their_foe, country)
    if isinstance(actor2, str) and lex is not None:
        actor2 = lex.in_country(actor2, country)
    if head.coding.sub_event_type == "Peaceful protest":
        # CB: a peaceful protest has no actor2; whom it is against ("a protest in Idlib
        # against HTS") is its cause, not a party to it.
        actor2 = None
    if force_on_protest is not None and (actor2 is None or str(actor2).startswith("Protesters")):
        actor2 = force_on_protest
    if actor2 is None and country and (
            head.coding.event_type == "Violence against civilians"
            or (head.coding.event_type in VIOLENT_TYPES
                and any(m.args.patient_civilian_named for m in cl.members))):
        # CB: the victims of violence against civilians, and civilians who were the main
        # target of a strike, are "Civilians (Country)" of the country it happened in.
        # Mere "people" hurt by a strike are not known to be civilians (a base's staff).
        actor2 = f"Civilians ({country})"
    # "demonstrators threw stones at police": the force a riot turned on is its actor2 (CB).
    hostile = (*VIOLENT_TYPES, "Riots")
    if actor2 is None and country and head.coding.event_type in hostile and \
            any(m.args.patient_police for m in cl.members):
        actor2 = f"Police Forces of {country}"
    elif actor2 is None and country and head.coding.event_type in hostile and \
            any(m.args.patient_state for m in cl.members) and \
            actor1 != f"Military Forces of {country}":
        # "gunmen killed three soldiers in Kirkuk": the unnamed soldiers of the country
        # where it happened (CB), unless they would fight themselves.
        actor2 = f"Military Forces of {country}"
    elif actor2 is None and country and head.coding.event_type == "Battles" and \
            isinstance(actor1, str) and not actor1.startswith("Unidentified") and \
            any(m.args.patient_armed for m in cl.members):
        # "troops killed two militants in a gunfight": fighters nobody names (CB).
        actor2 = f"Unidentified Armed Group ({country})"
    if actor2 is None and head.coding.sub_event_type == "Disrupted weapons use":
        actor2 = cl.barrage_actor
    if actor2 is None and head.coding.sub_event_type == "Disrupted weapons use" and country:
        # ACLED names the side whose weapon was stopped, unidentified when nobody claims it.
        actor2 = f"Unidentified Armed Group ({country})"
    location = (place.name or place.text) if place is not None else None
    geo_precision = next((m.args.geo_precision for m in cl.members
                          if m.args.place is place and m.args.geo_precision), None)
    if place is not None and geo_precision is None:
        geo_precision = place.geo_precision
    if context_place is not None:
        geo_precision = max(geo_precision or 3, 2)
    coding = head.coding
    if coding.sub_event_type == "Armed clash" and str(actor2).startswith("Civilians ("):
        # CB: a clash needs two armed sides; force whose target is civilians is an Attack.
        coding = Coding("Violence against civilians", "Attack",
                        f"{coding.reason}; its target civilians: an attack (CB)")
    iso = date.date.isoformat() if date and date.date else None
    eid = event_id(article_id, coding.sub_event_type, iso, location, _str(actor1),
                   _str(actor2), min(m.trigger_start for m in cl.members))
    quantity = cl.value("quantity")
    return Event(
        event_id=eid,
        event_type=coding.event_type,
        sub_event_type=coding.sub_event_type,
        event_date=date.date if date else None,
        date_precision=date.precision if date and date.date else None,
        date_reason=date_reason,
        type_reason=coding.reason,
        actor1=actor1 if isinstance(actor1, str) else None,
        actor2=_str(actor2),
        assoc_actor_1=_str(cl.value("assoc_actor_1")),
        assoc_actor_2=_str(cl.value("assoc_actor_2")),
        location=location,
        admin1=place.admin1 if place is not None else None,
        country=country,
        latitude=place.latitude if place is not None else None,
        longitude=place.longitude if place is not None else None,
        geo_precision=geo_precision,
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_high=high,
        injuries=injuries,
        weapon=_str(cl.value("weapon")),
        quantity=quantity if isinstance(quantity, int) else None,
        background=cl.background(),
        sources=sources,
        claims=claims,
    )


def _disowned(cl: Cluster, actor1: str, lex: Lexicon) -> bool:
    """Whether the side named as attacker denies the event ("the U.S. military denied it
    was responsible") while another party asserts it. A denial that names its own act
    against civilians ("the RSF denied targeting civilians") disputes the victims, not
    the attacker."""
    denied = any(m.denial and not (m.args.patient_civilian_named and not m.anaphoric)
                 and any(s.claimed_by and lex.same_side(s.claimed_by, actor1)
                         for s in m.sources) for m in cl.members)
    return denied and not actor1.startswith("Unidentified")


def _str(v: object) -> str | None:
    return v if isinstance(v, str) else None
