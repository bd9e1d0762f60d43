"""One event per happening within an article, with its figures reconciled.

A story tells its main happening several times: the lead ("At least 14 rockets hit an
Iraqi air base … on Wednesday"), a detail paragraph ("Two people were slightly wounded
in the rocket attack on the Ain al-Asad air base"), an anaphor ("Wednesday's attack").
Candidates merge when their sub-types agree (an anaphor or a bare casualty report fits
any violent event), their dates overlap, their places agree (a country fits any place in
it) and their actors do not conflict; the most recent compatible event wins.

Figures: every stated figure stays a claim with its claimant.  ``fatalities`` is the most
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

from ..models import Claim, Entity, Event, Source
from .arguments import Arguments
from .coding import Coding
from .dates import DatedValue, compatible
from .lexicon import Lexicon

VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
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
    denial: bool = False
    background: bool = False
    trigger_rule: str = ""


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


def _places_compatible(a: Entity | None, b: Entity | None) -> bool:
    if a is None or b is None:
        return True
    if _place_key(a) == _place_key(b):
        return True
    if (a.geo_precision or 3) < 3 and (b.geo_precision or 3) < 3:
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

    @property
    def head(self) -> Candidate:
        """The most specific member: a real trigger beats an anaphor or a casualty verb."""
        for m in self.members:
            if not m.anaphoric and not m.casualty_only:
                return m
        return self.members[0]

    def date(self) -> DatedValue | None:
        dated = [m.args.date for m in self.members if m.args.date and m.args.date.date]
        if not dated:
            return None
        return min(dated, key=lambda d: _PRECISION_RANK.get(d.precision or "year", 4))

    def place(self) -> Entity | None:
        places = [m.args.place for m in self.members if m.args.place is not None]
        if not places:
            return None
        return min(places, key=lambda p: p.geo_precision or 9)

    def value(self, name: str) -> object:
        for m in self.members:
            v = getattr(m.args, name)
            if v is not None and not (isinstance(v, str) and v.startswith("Unidentified")):
                return v
        return None

    def accepts(self, c: Candidate, lex: Lexicon) -> bool:
        head = self.head
        loose = c.anaphoric or c.casualty_only
        same_weapon = c.args.weapon is not None and c.args.weapon == self.value("weapon")
        if c.anaphoric or (c.casualty_only and c.args.instrument is None):
            if head.coding.event_type not in VIOLENT_TYPES or \
                    c.coding.event_type not in VIOLENT_TYPES:
                if head.coding.sub_event_type != c.coding.sub_event_type and not same_weapon:
                    return False
        elif head.coding.sub_event_type != c.coding.sub_event_type:
            if not (head.anaphoric or head.casualty_only) or \
                    head.coding.event_type != c.coding.event_type:
                return False
        if not compatible(self.date(), c.args.date if c.args.date and c.args.date.date else None):
            return False
        # Without a publication date "on Monday" and "on Wednesday" stay unresolved, but
        # two different expressions still name two different days.
        mine = {_date_key(m.args.date) for m in self.members} - {None}
        theirs = _date_key(c.args.date)
        if mine and theirs is not None and theirs not in mine:
            return False
        if not _places_compatible(self.place(), c.args.place):
            return False
        # Sides name different victims; only two different attackers keep events apart.
        if not _actor_ok(self.value("actor1"), c.args.actor1, lex):  # type: ignore[arg-type]
            return False
        if loose or head.anaphoric or head.casualty_only:
            return True
        # Two full reports merge only on a shared anchor: a place, a date, the attacker,
        # or the same story told again within a few sentences.
        date = self.date()
        last = max(m.sentence_index for m in self.members)
        return (
            (self.place() is not None and c.args.place is not None)
            or (date is not None and c.args.date is not None and c.args.date.date is not None)
            or (self.value("actor1") is not None and self.value("actor1") == c.args.actor1)
            or c.sentence_index - last <= SAME_STORY_SENTENCES
        )


def _date_key(d: DatedValue | None) -> str | None:
    """A comparable key for a date expression left unresolved (no publication date)."""
    if d is None or d.date is not None:
        return None
    text = re.sub(r"['’]s\b", "", d.text.lower())
    return re.sub(r"^(on|in|at|late on|early on|late|early)\s+", "", text).strip()


def _reconcile(claims: list[Claim], fld: str) -> tuple[int | None, int | None, int | None]:
    """(conservative value, low, high) of the asserted claims for one figure."""
    values = [c.value for c in claims if c.field == fld and c.stance == "asserts"
              and c.value is not None]
    if not values:
        return None, None, None
    nonzero = [v for v in values if v > 0]
    if nonzero:
        highs = [c.value_high or c.value for c in claims
                 if c.field == fld and c.stance == "asserts" and c.value]
        return min(nonzero), min(nonzero), max(h for h in highs if h is not None)
    return 0, 0, 0


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower())


def event_id(article_id: str, sub_event_type: str, date: str | None, location: str | None,
             actor1: str | None, actor2: str | None, first_start: int) -> str:
    """Deterministic id: a hash of the article id and the event's normalised key fields."""
    key = "|".join([article_id, _norm(sub_event_type), date or "", _norm(location),
                    _norm(actor1), _norm(actor2), str(first_start)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def merge(candidates: list[Candidate], article_id: str, lex: Lexicon,
          lead_date: DatedValue | None = None) -> list[Event]:
    """Merge an article's candidates into events (see the module docstring)."""
    clusters: list[Cluster] = []
    denials: list[Candidate] = []
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
        target = fits[0] if fits else None
        if target is not None:
            target.members.append(c)
        elif (c.casualty_only or c.anaphoric) and c.args.date is None and c.args.place is None:
            continue  # an anaphor or a bare figure with nothing to refer to: not an event
        else:
            clusters.append(Cluster([c]))
    for d in denials:
        target = _denied(d, clusters)
        if target is not None:
            target.members.append(d)
    return [_event(cl, article_id, lead_date) for cl in clusters]


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


def _event(cl: Cluster, article_id: str, lead_date: DatedValue | None = None) -> Event:
    head = cl.head
    date = cl.date()
    date_reason = date.reason + f" ('{date.text}')" if date else None
    if date is None:
        report = next((m.args.report_date for m in cl.members
                       if m.args.report_date is not None and m.args.report_date.date), None)
        background = all(m.background for m in cl.members if not m.denial)
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
    claims = [c for m in cl.members for c in m.claims]
    sources: list[Source] = []
    seen: set[tuple[int, str | None, str]] = set()
    for m in cl.members:
        for s in m.sources:
            key = (s.start, s.claimed_by, s.stance)
            if key not in seen:
                seen.add(key)
                sources.append(s)
    fatalities, low, high = _reconcile(claims, "fatalities")
    injuries, _, _ = _reconcile(claims, "injuries")
    actor1 = cl.value("actor1")
    country = place.country if place is not None else None
    if actor1 is None and head.coding.event_type in VIOLENT_TYPES and \
            head.coding.sub_event_type not in ("Government regains territory",
                                               "Non-state actor overtakes territory"):
        actor1 = f"Unidentified Armed Group ({country})" if country else None
    location = (place.name or place.text) if place is not None else None
    geo_precision = next((m.args.geo_precision for m in cl.members
                          if m.args.place is place and m.args.geo_precision), None)
    if place is not None and geo_precision is None:
        geo_precision = place.geo_precision
    iso = date.date.isoformat() if date and date.date else None
    eid = event_id(article_id, head.coding.sub_event_type, iso, location, _str(actor1),
                   _str(cl.value("actor2")), min(m.trigger_start for m in cl.members))
    quantity = cl.value("quantity")
    return Event(
        event_id=eid,
        event_type=head.coding.event_type,
        sub_event_type=head.coding.sub_event_type,
        event_date=date.date if date else None,
        date_precision=date.precision if date and date.date else None,
        date_reason=date_reason,
        actor1=actor1 if isinstance(actor1, str) else None,
        actor2=_str(cl.value("actor2")),
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
        background=all(m.background for m in cl.members if not m.denial),
        sources=sources,
        claims=claims,
    )


def _str(v: object) -> str | None:
    return v if isinstance(v, str) else None
