"""Who controlled which place, from when, on what evidence.

A control change is read from an event that changes hands:

1. its sub-type always does ("Government regains territory", "Non-state actor overtakes
   territory", "Non-violent transfer of territory"); or its source sentence says so
   ("captured", "retook", "withdrew from" …, ``data/analysis/control.json``) and names
   the event's place, and no "will"/"aim to" before the word makes it a plan;
2. the gainer and the loser: ACLED codes the party that takes a place as actor1 and the
   party that loses it as actor2.  A transfer told as a departure ("Coalition troops left
   a base at al-Qaim") names the party that left: the actor named nearest before the
   word, the other one gains;
3. the date: the event's date and precision; an undated change keeps the publication
   date of its article as "reported by", and is listed apart, never guessed.

A place is matched by name (the folded key of the gazetteer: "al-Qaim" = "Al Qā’im";
fuzzy ≥ 88), and then by distance: events within ``SAME_PLACE_KM`` of a matched one
count as the same place.  Two changes at one place in overlapping periods that give it to
different parties (not part of one another) contradict each other: both are kept, and
each names the other.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from ..errors import KnowledgeError
from ..events.dates import DatedValue
from ..geo.gazetteer import canonical_names, distance_km
from ..geo.keys import place_key
from ..merge import ActorMatcher
from ..models import Event

if TYPE_CHECKING:
    from ..geo.gazetteer import Gazetteer
    from ..knowledge import Knowledge
    from ..resolve import ActorKB
    from ..store import Store

#: Events this close to a place matched by name are at that place: a town and its
#: checkpoints, a base and its gate; far enough apart from the next town (al-Qaim and
#: Husaybah are 6 km apart and are told as one front).
SAME_PLACE_KM = 5.0
#: Fuzzy match of folded place names, as the gazetteer's (NOTES.md: ratio ≥ 88 joins
#: spellings the folded key misses, and nothing else on the corpus).
FUZZY_PLACE = 88.0
#: Words between a cue and the place it concerns: "retook an industrial zone" (3),
#: "captured from Daesh on Sunday the Al-Omar oil field" is rare; 8 words covers a clause.
_PLACE_WINDOW_WORDS = 8
#: Events whose text alone can tell a change of control: fighting.  "Captured" in an
#: arrest report is about people, in a strike report about footage.
TEXT_CUE_TYPES = frozenset({"Battles"})


@dataclass(frozen=True)
class Cues:
    """Words that tell a change of control, and words that make it not (yet) one."""

    sub_types: frozenset[str]
    gain: tuple[str, ...]
    loss: tuple[str, ...]
    not_yet: frozenset[str]
    infinitive: frozenset[str]

    @property
    def pattern(self) -> re.Pattern[str]:
        """One regex over every gain and loss word, longest first so "withdrew from" wins over
        a shorter cue, multi-word cues across any whitespace; compiled once per cue set."""
        return _cue_pattern(self.gain, self.loss)


@lru_cache(maxsize=4)
def _cue_pattern(gain: tuple[str, ...], loss: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({*gain, *loss}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """The shipped control cues, checked."""
    where = "data/analysis/control.json"
    try:
        data = json.loads(resources.files("opsroom.data").joinpath(
            "analysis", "control.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"{where}: cannot read control cues: {exc}") from exc
    for key in ("sub_types", "gain", "loss", "not_yet", "infinitive"):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise KnowledgeError(f"{where}: {key!r} must be a list of non-empty strings")
    overlap = set(data["gain"]) & set(data["loss"])
    if overlap:
        raise KnowledgeError(f"{where}: words both gain and loss: {sorted(overlap)}")
    return Cues(frozenset(data["sub_types"]), tuple(data["gain"]), tuple(data["loss"]),
                frozenset(w.lower() for w in data["not_yet"]),
                frozenset(w.lower() for w in data["infinitive"]))


@dataclass
class Evidence:
    """A sentence that tells a change, with its article and who said it."""

    article_id: str
    sentence: str
    claimed_by: str | None = None
    stance: str = "asserts"


@dataclass
class ControlChange:
    """A place changing hands: who took it, who lost it, when, and the evidence."""

    place: str
    country: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    date: dt.date | None
    date_precision: str | None
    gained_by: str | None
    lost_by: str | None
    event_id: str
    sub_event_type: str
    how: str  # why this event counts as a change: the sub-type or the cue word
    background: bool = False
    reported: dt.date | None = None  # publication date of the earliest source
    evidence: list[Evidence] = field(default_factory=list)
    contradicts: list[str] = field(default_factory=list)

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the change's date covers ("Oct 2017" is the whole month); None
        when undated. Two changes at one place contradict only when their periods overlap."""
        if self.date is None:
            return None
        return DatedValue(self.date, self.date_precision or "day", "").period()  # type: ignore[arg-type]


@dataclass
class ControlState:
    """Who held a place on a date, since when, and what speaks against it."""

    place: str
    on: dt.date | None
    holder: str | None
    since: dt.date | None
    since_precision: str | None
    change: ControlChange | None
    contradictions: list[ControlChange] = field(default_factory=list)
    undated: list[ControlChange] = field(default_factory=list)
    history: list[ControlChange] = field(default_factory=list)
    #: For an undated latest change: the publication date by which it had happened.
    known_by: dt.date | None = None


# -- reading changes from events --------------------------------------------------------


def _actor_spans(name: str, sentence: str, kb: ActorKB | None) -> list[int]:
    """Where the sentence names the actor (by any of its surface forms)."""
    forms = {name}
    if kb is not None and (hit := kb.lookup(name)) is not None:
        forms.update(form for form, _ in hit[0].surface_forms())
    out = []
    low = sentence.lower()
    for form in forms:
        for m in re.finditer(r"\b" + re.escape(form.lower()) + r"\b", low):
            out.append(m.start())
    return out


def _live_cues(sentence: str, cues: Cues) -> list[re.Match[str]]:
    """Cue words of a sentence that tell a done change (not "will capture")."""
    out = []
    for m in cues.pattern.finditer(sentence):
        before = re.findall(r"[\w’']+", sentence[:m.start()].lower())[-3:]
        if before and before[-1] in cues.infinitive:
            continue
        if any(w in cues.not_yet for w in before):
            continue
        out.append(m)
    return out


def _names_place(sentence: str, cue_end: int, event: Event) -> bool:
    """Whether the event's place is named within a few words after the cue ("retook X")."""
    if not event.location:
        return False
    key = place_key(event.location)
    words = re.findall(r"[\w’'-]+", sentence[cue_end:])[:_PLACE_WINDOW_WORDS]
    return any(place_key(" ".join(words[i:i + n])) == key
               for i in range(len(words)) for n in (1, 2, 3))


def change_of(event: Event, kb: ActorKB | None = None, cues: Cues | None = None,
              published: dt.date | None = None) -> ControlChange | None:
    """The control change an event tells, or None when it tells none."""
    cues = cues or load_cues()
    if not event.location or (event.country and place_key(event.location) == place_key(event.country)):
        return None  # "IS seized vast areas of Iraq" moves no front line one can map
    by_type = event.sub_event_type in cues.sub_types
    if not by_type and event.event_type not in TEXT_CUE_TYPES:
        return None
    how = event.sub_event_type if by_type else ""
    first_cue: tuple[re.Match[str], str] | None = None
    for src in event.sources:
        if src.stance == "denies":
            continue
        for m in _live_cues(src.sentence, cues):
            if by_type or _names_place(src.sentence, m.end(), event):
                first_cue = first_cue or (m, src.sentence)
                break
    if not by_type and first_cue is None:
        return None
    if first_cue is not None and not by_type:
        how = f"text says {first_cue[0].group(0)!r}"
    gained, lost = event.actor1, event.actor2
    if first_cue is not None and event.sub_event_type == "Non-violent transfer of territory":
        m, sentence = first_cue
        word = re.sub(r"\s+", " ", m.group(0).lower())
        if word in cues.loss:
            # The party that left is the one named nearest before the word.
            named = [(pos, a) for a in (event.actor1, event.actor2) if a
                     for pos in _actor_spans(a, sentence, kb) if pos < m.start()]
            leaver = max(named)[1] if named else event.actor1
            gained = event.actor2 if leaver == event.actor1 else event.actor1
            lost = leaver
        how = f"{event.sub_event_type}; text says {word!r}"
    if lost == gained:
        lost = None  # a party does not take a place from itself: the coding slipped
    if gained is None and lost is None:
        return None
    evidence = [Evidence(s.article_id, s.sentence.strip(), s.claimed_by, s.stance)
                for s in event.sources]
    return ControlChange(
        place=event.location, country=event.country, admin1=event.admin1,
        latitude=event.latitude, longitude=event.longitude,
        date=event.event_date, date_precision=event.date_precision,
        gained_by=gained, lost_by=lost, event_id=event.event_id,
        sub_event_type=event.sub_event_type, how=how, background=event.background,
        reported=published, evidence=evidence)


def changes_from_events(events: Iterable[Event], kb: ActorKB | None = None,
                        published: dict[str, dt.date | None] | None = None) -> list[ControlChange]:
    """Every control change the events tell, contradictions marked, in date order."""
    cues = load_cues()
    published = published or {}
    out = []
    for ev in events:
        dates = [d for s in ev.sources if (d := published.get(s.article_id)) is not None]
        change = change_of(ev, kb, cues, min(dates) if dates else None)
        if change is not None:
            out.append(change)
    mark_contradictions(out, ActorMatcher(kb))
    return sorted(out, key=_order)


def _order(c: ControlChange) -> tuple[dt.date, dt.date, str]:
    return (c.date or dt.date.max, c.reported or dt.date.max, c.event_id)


def _same_place(a: ControlChange, b: ControlChange) -> bool:
    if place_key(a.place) == place_key(b.place):
        return True
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= SAME_PLACE_KM  # type: ignore[arg-type]


def mark_contradictions(changes: Sequence[ControlChange], actors: ActorMatcher) -> None:
    """Name, on each change, the changes that give the same place to another party then."""
    by_place: dict[str, list[ControlChange]] = defaultdict(list)
    for c in changes:
        by_place[place_key(c.place)].append(c)
    for group in by_place.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                pa, pb = a.period, b.period
                if pa is None or pb is None or pa[0] > pb[1] or pb[0] > pa[1]:
                    continue
                if not a.gained_by or not b.gained_by or actors.fits(a.gained_by, b.gained_by):
                    continue
                a.contradicts.append(b.event_id)
                b.contradicts.append(a.event_id)


# -- queries ---------------------------------------------------------------------------


def all_changes(store: Store, knowledge: Knowledge, country: str | None = None
                ) -> list[ControlChange]:
    """Every control change in the store (merged events when merging has run)."""
    from ..store import EventQuery, select_events

    events = select_events(store, EventQuery(country=country, include_background=True))
    published = store.article_dates({s.article_id for e in events for s in e.sources})
    return changes_from_events(events, knowledge.actors, published)


def place_matches(query: str, changes: Sequence[ControlChange],
                  gazetteer: Gazetteer | None = None) -> list[ControlChange]:
    """Changes at the place a user named: by folded name, fuzzy name, then distance.

    ``gazetteer`` gives the query's other names (the shipped one when None)."""
    key = place_key(query)
    # The gazetteer's names for the query ("Qayyara airfield" is an alias of "Qayyarah
    # Airfield West"), looked up only when some change is left to match.
    keys = {key}
    if key and changes:
        keys |= {place_key(n) for n in canonical_names(query, gazetteer)}
    named = [c for c in changes if key and (place_key(c.place) in keys or
                                            fuzz.ratio(place_key(c.place), key) >= FUZZY_PLACE)]
    anchors = [(c.latitude, c.longitude) for c in named if c.latitude is not None
               and c.longitude is not None]
    out = list(named)
    for c in changes:
        if c in out or c.latitude is None or c.longitude is None:
            continue
        if any(distance_km(lat, lon, c.latitude, c.longitude) <= SAME_PLACE_KM  # type: ignore[arg-type]
               for lat, lon in anchors):
            out.append(c)
    return sorted(out, key=_order)


def state_on(place: str, changes: Sequence[ControlChange], on: dt.date | None) -> ControlState:
    """Who held the place on a date (the latest known when ``on`` is None).

    An undated change happened before its article was published: it counts from that
    date on, as the latest change when no dated change is newer ("held by X by R").
    """
    undated = [c for c in changes if c.date is None]
    timed: list[tuple[dt.date, int, ControlChange]] = []
    for c in changes:
        if c.period is not None:
            timed.append((c.period[0], 1, c))
        elif c.reported is not None:
            timed.append((c.reported, 0, c))
    if on is not None:
        timed = [x for x in timed if x[0] <= on]
    if not timed:
        # Undated reports only: name the holder when they all give the place to one party.
        gainers = {c.gained_by for c in undated if c.gained_by}
        holder = gainers.pop() if on is None and len(gainers) == 1 else None
        return ControlState(place, on, holder, None, None, None, [], undated, list(changes))
    _, _, last = max(timed, key=lambda x: (x[0], x[1], x[2].event_id))
    rivals = [c for c in changes if c.event_id in last.contradicts]
    return ControlState(place, on, last.gained_by, last.date, last.date_precision, last,
                        rivals, undated, list(changes),
                        known_by=last.reported if last.date is None else None)


def who_held(store: Store, place: str, knowledge: Knowledge, on: dt.date | None = None
             ) -> ControlState:
    """Who held ``place`` on ``on`` (latest when None), since when, on what evidence."""
    changes = place_matches(place, all_changes(store, knowledge), knowledge.gazetteer)
    return state_on(place, changes, on)


def control_changes(store: Store, knowledge: Knowledge, since: dt.date, until: dt.date,
                    country: str | None = None, include_undated: bool = False
                    ) -> list[ControlChange]:
    """Places that changed hands between ``since`` and ``until`` (periods overlapping).

    With ``include_undated``, undated changes reported (published) in the window too.
    """
    out = []
    for c in all_changes(store, knowledge, country):
        p = c.period
        if p is not None and p[0] <= until and p[1] >= since:
            out.append(c)
        elif p is None and include_undated and c.reported and since <= c.reported <= until:
            out.append(c)
    return out
