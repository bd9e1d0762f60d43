"""One event per happening: per-article events that report the same thing, merged.

Outlets retell a strike in their own words; one article may tell it twice.  Two stored
events describe one happening when

1. their types agree: the same ACLED type, and the same sub-type or sub-types that
   outlets often confuse (``data/merge/rules.json``: rocket vs drone strike; clash vs
   capture);
2. their dates agree: the periods their precisions cover (day; the week from its first
   day; the month; the year) lie at most one day apart.  An undated event matches only
   the same named place, reported by another article published within two days (or,
   against a dated event, a date in the week before its publication);
3. their places agree: the same place name, or within 25 km (100 km when one side names
   only a province); a country-wide location matches only the same country-wide one;
4. their actors agree, side by side: the same actor, an unknown or unidentified one, or
   one that is part of the other in the actor knowledge base.  A clash may tell its
   sides in either order.

Cost: events are bucketed by week and by a 0.5° grid cell (or by place name when there
are no coordinates), and only events of neighbouring buckets are compared, so the work
grows with the number of events, not with its square.  Compatibility is not transitive
(an unknown actor fits both the United States and Russia), so each connected group is
split greedily, in a fixed order, into clusters whose members all fit one another:
the same input always gives the same clusters, whatever order it arrived in.

A cluster's id is the id of its earliest member (first by publication date, then by
event date, then by id), so it survives re-ingest; every member records why it joined.
Figures are reconciled as ACLED and UCDP do: ``fatalities`` is the most conservative
credible figure (the smallest non-zero figure asserted; denials do not count),
``fatalities_low``/``fatalities_high`` span the asserted figures, and every claimant
is listed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .errors import KnowledgeError
from .events.dates import DatedValue
from .geo.gazetteer import distance_km
from .geo.keys import place_key
from .models import Claim, Event, Source
from .store.db import exclusive

if TYPE_CHECKING:
    from .resolve import ActorKB
    from .store import Store

#: Two periods this many days apart still fit: a report filed after midnight, or in
#: another time zone, dates the same strike a day later (ACLED's day precision, ±1).
DATE_SLACK_DAYS = 1
#: An undated event is told as news: it happened in the days before publication.  A
#: week covers "last week" retold without the phrase; chosen from the corpus, where
#: undated events are at most a week older than their article.
UNDATED_LOOKBACK_DAYS = 7
#: Two undated reports of one place are the same news when published this close: wire
#: stories and their rewrites appear within a day or two.
UNDATED_PUBLISHED_DAYS = 2
#: Same happening within this distance: a town and its outskirts, a base and the town
#: beside it (Ain al-Asad–al-Baghdadi 8 km; al-Qaim–Albu Kamal 10 km), but not two towns
#: of one valley (al-Qaim–Rawa 100 km).  ACLED's own "near" places lie within ~25 km.
NEAR_KM = 25.0
#: geo_precision 3 names a province: its centre stands for anywhere in it.  A governorate
#: of Iraq or Syria spans ~100–200 km, so 100 km from the centre is "in the province".
PROVINCE_KM = 100.0
#: Grid cell of the spatial blocking, in degrees.  0.5° is ≥ 45 km at these latitudes,
#: wider than NEAR_KM, so near events are always in neighbouring cells.
CELL_DEG = 0.5
#: How many cells around its own a province-precision event looks (100 km / 45 km).
PROVINCE_CELLS = 3
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_FAR = dt.date.max


@dataclass(frozen=True)
class MergeRules:
    """Sub-types outlets confuse, which one wins, and where sides may come in any order."""

    groups: tuple[frozenset[str], ...]
    precedence: tuple[str, ...]
    swappable: frozenset[str]

    def compatible(self, a: str, b: str) -> bool:
        return a == b or any(a in g and b in g for g in self.groups)

    def rank(self, sub_type: str) -> int:
        return self.precedence.index(sub_type) if sub_type in self.precedence else len(self.precedence)


@lru_cache(maxsize=1)
def load_rules() -> MergeRules:
    """The shipped merge rules, checked against the event ontology."""
    data_dir = resources.files("opsroom.data")
    where = "data/merge/rules.json"
    try:
        rules = json.loads(data_dir.joinpath("merge", "rules.json").read_text("utf-8"))
        ontology = json.loads(data_dir.joinpath("events", "ontology.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"{where}: cannot read merge rules: {exc}") from exc
    type_of = {sub: etype for etype, subs in ontology.items() if not etype.startswith("_")
               for sub in subs}
    groups = []
    for group in rules.get("compatible_sub_types", []):
        unknown = [s for s in group if s not in type_of]
        if unknown:
            raise KnowledgeError(f"{where}: unknown sub-types {unknown}")
        if len({type_of[s] for s in group}) != 1:
            raise KnowledgeError(f"{where}: group {group} spans several event types")
        groups.append(frozenset(group))
    for key in ("precedence", "swappable_sides"):
        unknown = [s for s in rules.get(key, []) if s not in type_of]
        if unknown:
            raise KnowledgeError(f"{where}: {key} names unknown sub-types {unknown}")
    return MergeRules(tuple(groups), tuple(rules.get("precedence", [])),
                      frozenset(rules.get("swappable_sides", [])))


# -- the record merging works on ---------------------------------------------------------


@dataclass
class Item:
    """A stored event as merging sees it: its fields, its article's date, its order."""

    event: Event
    article_id: str | None
    published: dt.date | None
    period: tuple[dt.date, dt.date] | None = None
    place: str = ""
    country_wide: bool = False

    def __post_init__(self) -> None:
        ev = self.event
        if ev.event_date is not None:
            self.period = DatedValue(ev.event_date, ev.date_precision or "day", "").period()  # type: ignore[arg-type]
        self.place = place_key(ev.location) if ev.location else ""
        self.country_wide = bool(ev.location and ev.country and
                                 place_key(ev.location) == place_key(ev.country))

    @property
    def id(self) -> str:
        return self.event.event_id

    @property
    def order(self) -> tuple[dt.date, dt.date, str]:
        """Total order: first published report first, then event date, then id."""
        return (self.published or _FAR, self.period[0] if self.period else _FAR, self.id)

    @property
    def has_coords(self) -> bool:
        return self.event.latitude is not None and self.event.longitude is not None

    def window(self) -> tuple[dt.date, dt.date] | None:
        """Days this event may have happened on, for blocking (None: no date at all)."""
        if self.period:
            start, end = self.period
        elif self.published:
            start, end = self.published - dt.timedelta(days=UNDATED_LOOKBACK_DAYS), self.published
        else:
            return None
        slack = dt.timedelta(days=DATE_SLACK_DAYS)
        return start - slack, end + slack


@dataclass
class Member:
    """One event of a cluster and why it joined."""

    event_id: str
    reason: str


@dataclass
class Cluster:
    """A merged event: the reconciled record, its members and the block it lives in."""

    event: Event
    members: list[Member]
    block: str
    claimants: list[str] = field(default_factory=list)
    n_articles: int = 0
    pending: bool = False  # a new event's own cluster, until a merge has seen it

    @property
    def cluster_id(self) -> str:
        return self.event.event_id

    @property
    def search_text(self) -> str:
        """What a text search of the served events looks in: the place and every
        sentence that tells the event, lower-cased, each once."""
        parts = [self.event.location or ""]
        parts += dict.fromkeys(s.sentence for s in self.event.sources)
        return " ".join(p for p in parts if p).lower()


# -- the match ---------------------------------------------------------------------------


class ActorMatcher:
    """Whether two actor names can name the same party, through the knowledge base."""

    def __init__(self, kb: ActorKB | None) -> None:
        self.kb = kb
        self._ancestors: dict[str, frozenset[str]] = {}
        self._ids: dict[str, str] = {}

    def _id(self, name: str) -> str:
        # Cached: the knowledge-base lookup normalises the name each time, and a merge
        # asks for the same few hundred names millions of times.
        known = self._ids.get(name)
        if known is not None:
            return known
        found = name.strip().lower()
        if self.kb is not None:
            hit = self.kb.lookup(name)
            if hit is not None:
                found = hit[0].id
        self._ids[name] = found
        return found

    def ancestors(self, name: str) -> frozenset[str]:
        """The actor and every actor it is, transitively, part of."""
        if name in self._ancestors:
            return self._ancestors[name]
        start = self._id(name)
        seen, todo = {start}, [start]
        while todo and self.kb is not None:
            current = todo.pop()
            if current not in self.kb:
                continue
            for parent in self.kb.get(current).part_of:
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        self._ancestors[name] = frozenset(seen)
        return self._ancestors[name]

    @staticmethod
    def unknown(name: str | None) -> bool:
        # ACLED names parties nobody identified "Unidentified Armed Group (Country)".
        return not name or name.lower().startswith("unidentified")

    def fits(self, a: str | None, b: str | None) -> str | None:
        """Why ``a`` and ``b`` can be one party, or None when they cannot."""
        if self.unknown(a) or self.unknown(b):
            return "unknown"
        assert a is not None and b is not None
        ia, ib = self._id(a), self._id(b)
        if ia == ib:
            return "same"
        if ib in self.ancestors(a):
            return f"{a} part of {b}"
        if ia in self.ancestors(b):
            return f"{b} part of {a}"
        return None


def match_dates(a: Item, b: Item) -> str | None:
    """Why the two dates fit, or None."""
    if a.period and b.period:
        gap = (max(a.period[0], b.period[0]) - min(a.period[1], b.period[1])).days
        if gap <= DATE_SLACK_DAYS:
            return (f"dates {a.event.event_date}/{a.event.date_precision} and "
                    f"{b.event.event_date}/{b.event.date_precision} overlap")
        return None
    # An undated event: only the same named place, told by another article of those days.
    if not a.place or a.place != b.place:
        return None
    if a.article_id is not None and a.article_id == b.article_id:
        return None  # the article's own merger already kept these apart
    if not a.period and not b.period:
        if a.published and b.published and \
                abs((a.published - b.published).days) <= UNDATED_PUBLISHED_DAYS:
            return f"undated, same place, published {a.published} and {b.published}"
        return None
    dated, undated = (a, b) if a.period else (b, a)
    if undated.published is None or dated.period is None:
        return None
    lo = undated.published - dt.timedelta(days=UNDATED_LOOKBACK_DAYS)
    if dated.period[1] >= lo and dated.period[0] <= undated.published:
        return f"undated report published {undated.published}, within a week of {dated.event.event_date}"
    return None


def match_places(a: Item, b: Item) -> str | None:
    """Why the two places fit, or None."""
    if a.place and a.place == b.place:
        return f"same place {a.event.location}"
    if a.country_wide or b.country_wide:
        return None  # "in Syria" says nothing about where: only the same wording matches
    if not (a.has_coords and b.has_coords):
        return None
    ea, eb = a.event, b.event
    km = distance_km(ea.latitude, ea.longitude, eb.latitude, eb.longitude)  # type: ignore[arg-type]
    coarse = (ea.geo_precision or 1) >= 3 or (eb.geo_precision or 1) >= 3
    if coarse and ea.admin1 and ea.admin1 == eb.admin1:
        return f"same province {ea.admin1}"
    limit = PROVINCE_KM if coarse else NEAR_KM
    if km <= limit:
        return f"{km:.0f} km apart (≤ {limit:.0f})"
    return None


def match_actors(a: Event, b: Event, actors: ActorMatcher,
                 rules: MergeRules) -> tuple[str, bool] | None:
    """Why the two events' sides fit and whether some party is positively the same; or None."""
    pairs = [((a.actor1, b.actor1), (a.actor2, b.actor2), "")]
    if a.sub_event_type in rules.swappable and b.sub_event_type in rules.swappable:
        pairs.append(((a.actor1, b.actor2), (a.actor2, b.actor1), "sides swapped: "))
    for (x1, y1), (x2, y2), note in pairs:
        one, two = actors.fits(x1, y1), actors.fits(x2, y2)
        if one and two:
            return f"{note}actor1 {one}, actor2 {two}", (one, two) != ("unknown", "unknown")
    return None


def match(a: Item, b: Item, actors: ActorMatcher, rules: MergeRules | None = None) -> str | None:
    """Why ``a`` and ``b`` report one happening, or None when they do not."""
    rules = rules or load_rules()
    ea, eb = a.event, b.event
    if ea.event_type != eb.event_type or not rules.compatible(ea.sub_event_type, eb.sub_event_type):
        return None
    why_date = match_dates(a, b)
    if why_date is None:
        return None
    why_place = match_places(a, b)
    if why_place is None:
        return None
    why_actors = match_actors(ea, eb, actors, rules)
    if why_actors is None:
        return None
    if a.country_wide and b.country_wide and not why_actors[1]:
        return None  # "in Syria" twice says nothing: some party must be the same too
    kind = "same sub-type" if ea.sub_event_type == eb.sub_event_type else \
        f"compatible sub-types ({ea.sub_event_type} / {eb.sub_event_type})"
    return f"{kind}; {why_date}; {why_place}; {why_actors[0]}"


# -- blocking ----------------------------------------------------------------------------


def _cell(item: Item) -> tuple[Any, ...] | None:
    ev = item.event
    if item.has_coords and not item.country_wide:
        return ("g", math.floor(ev.latitude / CELL_DEG), math.floor(ev.longitude / CELL_DEG))  # type: ignore[operator]
    if item.place:
        return ("p", item.place)
    return None


def _weeks(item: Item) -> range:
    win = item.window()
    if win is None:
        return range(0)
    return range(win[0].toordinal() // 7, win[1].toordinal() // 7 + 1)


def _coarse(item: Item) -> bool:
    """Located by its province only: its place stands for anywhere within ~100 km."""
    return (item.event.geo_precision or 1) >= 3


def _neighbour_cells(item: Item, radius: int) -> Iterator[tuple[Any, ...]]:
    cell = _cell(item)
    if cell is None or cell[0] == "p":
        return
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            yield ("g", cell[1] + dy, cell[2] + dx)


def block_of(item: Item) -> str:
    """The block a cluster is filed under: country and ISO week of its first day."""
    win = item.window()
    if win is None:
        return f"{item.event.country or '?'}|undated"
    year, week, _ = (win[0] + dt.timedelta(days=DATE_SLACK_DAYS)).isocalendar()
    return f"{item.event.country or '?'}|{year}-W{week:02d}"


class Blocks:
    """Items filed by week and by place cell, so neighbours are found without comparing
    every pair.  Items can be added as they are read (the incremental merge does).

    Two items are neighbours when they share a week and either the same place name or
    grid cells at most one apart, or ``PROVINCE_CELLS`` apart when either is located by
    its province only.  Province-level items are filed apart, so that the relation is
    the same seen from either side: seen only from the precise side, a pair was found
    or missed depending on which of the two came first.
    """

    def __init__(self) -> None:
        self._buckets: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        self._coarse: dict[tuple[Any, ...], list[int]] = defaultdict(list)

    def add(self, i: int, item: Item) -> None:
        cell = _cell(item)
        if cell is None:
            return
        grid = self._coarse if _coarse(item) else self._buckets
        for week in _weeks(item):
            if cell[0] == "g":
                grid[(week, *cell)].append(i)
            if item.place:
                self._buckets[(week, "p", item.place)].append(i)

    def near(self, item: Item) -> set[int]:
        """Indices of the items sharing a week with ``item`` in a neighbouring cell."""
        out: set[int] = set()
        cell = _cell(item)
        if cell is None:
            return out
        precise = list(_neighbour_cells(item, PROVINCE_CELLS if _coarse(item) else 1))
        coarse = list(_neighbour_cells(item, PROVINCE_CELLS))
        for week in _weeks(item):
            if item.place:
                out.update(self._buckets.get((week, "p", item.place), ()))
            for c in precise:
                out.update(self._buckets.get((week, *c), ()))
            for c in coarse:
                out.update(self._coarse.get((week, *c), ()))
        return out


def candidate_pairs(items: Sequence[Item]) -> Iterator[tuple[int, int]]:
    """Index pairs worth comparing: sharing a week and neighbouring in space.

    Each pair once, ``i < j``; only one item's neighbours are held at a time (a set of
    every pair was 2 million tuples at 100,000 events).
    """
    blocks = Blocks()
    for i, item in enumerate(items):
        blocks.add(i, item)
    for i, item in enumerate(items):
        for j in sorted(blocks.near(item)):
            if j > i:
                yield i, j


class _Groups:
    """Disjoint sets of indices, joined pair by pair (union-find).  Each set is named by
    its smallest index, so the groups come out in a fixed order.

    Hand-written: a dozen lines, where a graph library would be a dependency for one
    function; both the full merge and the incremental walk use it."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}

    def root(self, x: int) -> int:
        parent = self._parent
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def of(self, members: Iterable[int]) -> list[list[int]]:
        """The groups of ``members``, each in the order given."""
        out: dict[int, list[int]] = defaultdict(list)
        for k in members:
            out[self.root(k)].append(k)
        return list(out.values())


def _components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    groups = _Groups()
    for i, j in edges:
        groups.join(i, j)
    return groups.of(range(n))


def group(items: Sequence[Item], kb: ActorKB | None = None,
          rules: MergeRules | None = None) -> list[list[tuple[Item, str]]]:
    """Items split into happenings: each a list of (item, reason it joined), earliest first.

    Connected groups of matching items are split greedily in a fixed order: an item joins
    the first cluster all of whose members it matches, or starts one.
    """
    rules = rules or load_rules()
    actors = ActorMatcher(kb)
    # Who matches whom, as sets of indices; the reasons are written only for the pairs a
    # cluster keeps (a member and its first).  A reason for every matching pair, both
    # ways, was most of a large merge's memory.
    adjacent: dict[int, set[int]] = defaultdict(set)
    for i, j in candidate_pairs(items):
        if match(items[i], items[j], actors, rules) is not None:
            adjacent[i].add(j)
            adjacent[j].add(i)
    edges = ((i, j) for i, js in adjacent.items() for j in js if i < j)
    out: list[list[tuple[Item, str]]] = []
    for comp in _components(len(items), edges):
        comp.sort(key=lambda k: items[k].order)
        clusters: list[list[int]] = []
        home_of: dict[int, int] = {}
        for k in comp:
            # Only clusters holding a match of k can take it; the first such that all fit.
            near = adjacent.get(k, set())
            options = sorted({home_of[m] for m in near if m in home_of})
            home = next((c for c in options if all(m in near for m in clusters[c])), None)
            if home is None:
                home = len(clusters)
                clusters.append([])
            clusters[home].append(k)
            home_of[k] = home
        for c in clusters:
            first = items[c[0]]
            members = [(first, "earliest report: the merged event takes its id")]
            members += [(items[k], f"matches {first.id[:12]}: "
                                   f"{match(first, items[k], actors, rules)}") for k in c[1:]]
            out.append(members)
    out.sort(key=lambda members: members[0][0].order)
    return out


# -- reconciling -------------------------------------------------------------------------


def _figures(events: Sequence[Event], claims: Iterable[Claim], name: str
             ) -> tuple[int | None, int | None, int | None]:
    """(conservative, low, high) of one figure over the asserted claims and the members."""
    values: list[int] = []
    highs: list[int] = []
    for c in claims:
        if c.field == name and c.stance == "asserts" and c.value is not None:
            values.append(c.value)
            if c.value_high is not None:
                highs.append(c.value_high)
    for ev in events:
        for attr in (name, f"{name}_low", f"{name}_high"):
            v = getattr(ev, attr, None)
            if v is not None:
                values.append(v)
    if not values:
        return None, None, None
    # A zero stated beside non-zero figures speaks for one side only ("no American was
    # killed"): the conservative figure is the smallest non-zero one, as in one article.
    nonzero = [v for v in values if v > 0]
    if not nonzero:
        return 0, 0, 0
    return min(nonzero), min(nonzero), max(nonzero + highs)


def _vote(values: Iterable[Any]) -> Any:
    """The most frequent non-empty value; ties go to the earliest (inputs come in order)."""
    seen = [v for v in values if v not in (None, "")]
    if not seen:
        return None
    counts = Counter(seen)
    best = max(counts.values())
    return next(v for v in seen if counts[v] == best)


def reconcile(members: Sequence[tuple[Item, str]], rules: MergeRules | None = None) -> Cluster:
    """The merged event of a cluster: one record, all sources and claims, figures reconciled."""
    rules = rules or load_rules()
    items = [m[0] for m in members]
    events = [i.event for i in items]
    first = events[0]
    # Type: the most specific sub-type any outlet reported (a capture beats a clash).
    sub = min((e.sub_event_type for e in events), key=lambda s: (rules.rank(s), s))
    etype = next(e.event_type for e in events if e.sub_event_type == sub)
    # Date: the most precise; among equals, the most reported, then the earliest report.
    dated = [e for e in events if e.event_date is not None]
    date_src = min(dated, key=lambda e: _PRECISION_RANK.get(e.date_precision or "day", 0),
                   default=None)
    if date_src is not None:
        best = _PRECISION_RANK.get(date_src.date_precision or "day", 0)
        date = _vote(e.event_date for e in dated
                     if _PRECISION_RANK.get(e.date_precision or "day", 0) == best)
        date_src = next(e for e in dated if e.event_date == date and
                        _PRECISION_RANK.get(e.date_precision or "day", 0) == best)
    # Place: the most precise location; among equals, the report that gave the sub-type.
    located = [e for e in events if e.location]
    place_src = min(located, key=lambda e: (e.geo_precision or 3, e.sub_event_type != sub),
                    default=first)

    def side(attr: str) -> str | None:
        named = [getattr(e, attr) for e in events if not ActorMatcher.unknown(getattr(e, attr))]
        return _vote(named) or _vote(getattr(e, attr) for e in events)

    claims = [c for e in events for c in e.claims]
    sources = [s for e in events for s in e.sources]
    fatalities = _figures(events, claims, "fatalities")
    injuries = _figures(events, claims, "injuries")
    merged = Event(
        event_id=first.event_id,
        event_type=etype, sub_event_type=sub,
        event_date=date_src.event_date if date_src else None,
        date_precision=date_src.date_precision if date_src else None,
        date_reason=date_src.date_reason if date_src else None,
        type_reason=next((e.type_reason for e in events if e.sub_event_type == sub), None),
        actor1=side("actor1"), actor2=side("actor2"),
        assoc_actor_1=_vote(e.assoc_actor_1 for e in events),
        assoc_actor_2=_vote(e.assoc_actor_2 for e in events),
        location=place_src.location, admin1=place_src.admin1, country=place_src.country,
        latitude=place_src.latitude, longitude=place_src.longitude,
        geo_precision=place_src.geo_precision,
        fatalities=fatalities[0], fatalities_low=fatalities[1], fatalities_high=fatalities[2],
        injuries=injuries[0],
        weapon=_vote(e.weapon for e in events), quantity=_vote(e.quantity for e in events),
        background=all(e.background for e in events),
        sources=_unique_sources(sources), claims=claims,
    )
    claimants = sorted({x for x in [*(c.claimed_by for c in claims),
                                    *(s.claimed_by for s in sources)] if x})
    articles = {s.article_id for s in sources}
    return Cluster(event=merged, members=[Member(i.id, why) for i, why in members],
                   block=block_of(items[0]), claimants=claimants, n_articles=len(articles))


def _unique_sources(sources: Iterable[Source]) -> list[Source]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for s in sources:
        key = (s.article_id, s.start, s.end)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def cluster_events(items: Sequence[Item], kb: ActorKB | None = None) -> list[Cluster]:
    """Merged events of the items (pure: nothing is read or written)."""
    rules = load_rules()
    return [reconcile(members, rules) for members in group(items, kb, rules)]


# -- against the store -------------------------------------------------------------------


@dataclass
class MergeReport:
    """What a merge run did."""

    events: int = 0
    clusters: int = 0
    merged: int = 0  # clusters of more than one event
    removed: int = 0  # clusters replaced


#: Why a pending cluster's one member is there.
PENDING_REASON = "stored; not merged yet"

#: Name of the lock every merge (full or incremental) holds while it reads and rewrites.
MERGE_LOCK = "merge"


def pending_clusters(events: Sequence[Event], article_id: str,
                     published: dt.date | None) -> list[Cluster]:
    """The clusters newly stored events are served as until a merge sees them: each its
    own, reconciled as a merge would leave it alone."""
    rules = load_rules()
    out = []
    for ev in events:
        cl = reconcile([(Item(ev, article_id, published), PENDING_REASON)], rules)
        cl.pending = True
        out.append(cl)
    return out


def _kb() -> ActorKB | None:
    from .resolve import ActorKB

    return ActorKB.load()


def merge_all(store: Store, kb: ActorKB | None = None) -> MergeReport:
    """Recompute every merged event from the stored events (``opsroom merge``)."""
    kb = kb if kb is not None else _kb()
    with exclusive(store.engine, MERGE_LOCK):
        report = _merge_all(store, kb)
        store.refresh_statistics()
        return report


def _merge_all(store: Store, kb: ActorKB | None) -> MergeReport:
    # Every stored event, walked in steps as an ingest's new events are: the clusters of
    # a whole store in one step held 2 GB at 100,000 events (bench/merge_memory.py).
    # An ingest running beside this one keeps the pending clusters of what it stored
    # since (its own merge picks them up).
    ids = set(store.event_ids())
    if not ids:  # no events: only clusters left over from deleted ones, if any
        return MergeReport(removed=store.replace_clusters([], []))
    return _merge_steps(store, kb, ids)


def update_merged(store: Store, kb: ActorKB | None = None) -> MergeReport:
    """Merge events not yet in a cluster, re-doing only the clusters they touch.

    Called at the end of every ingest.  Follows the matches of the new events (and of
    the members of clusters that lost one) through the stored events, as far as they
    chain, and replaces the clusters of the connected groups found: the result is what a
    full recompute gives those events, while reading only the events near them.
    """
    with exclusive(store.engine, MERGE_LOCK):
        report = _update_merged(store, kb)
        if report.events:
            store.refresh_statistics()
        return report


#: New events merged per step of the incremental merge, at most; and the days their
#: dates may span.  An ingest of 100,000 articles leaves ~100,000 events to merge at its
#: end: in one step, their records, sources and claims were all in memory at once (3 GB;
#: bench/ingest_volume.py); and 2,000 new events spread over five years made one step
#: read nearly every stored event around them (bench/memory_flat.py).  A step of a few
#: weeks reads only the events of those weeks and of the matches it follows, so memory
#: follows the step, not the ingest or the store.
MERGE_STEP = 5000
STEP_DAYS = 28


def _update_merged(store: Store, kb: ActorKB | None, step: int = MERGE_STEP,
                   step_days: int = STEP_DAYS) -> MergeReport:
    seeds = (set(store.unclustered_event_ids()) | set(store.pending_event_ids())
             | set(store.stale_cluster_event_ids()))
    return _merge_steps(store, kb, seeds, step, step_days)


def _merge_steps(store: Store, kb: ActorKB | None, seeds: set[str], step: int = MERGE_STEP,
                 step_days: int = STEP_DAYS) -> MergeReport:
    """Re-group the connected groups holding ``seeds``, a step of neighbouring dates at a
    time."""
    if not seeds:
        return MergeReport()
    kb = kb if kb is not None else _kb()
    # An event with neither a date nor a publication date matches nothing
    # (``match_dates``): those go in steps of their own.
    windows: dict[str, tuple[dt.date, dt.date] | None] = {}
    ordered_seeds = sorted(seeds)
    for k in range(0, len(ordered_seeds), step):  # not every seed's record at once
        for row in store.merge_items(ids=ordered_seeds[k:k + step]):
            windows[row[0].event_id] = Item(*row).window()
    dated = sorted((w, i) for i, w in windows.items() if w is not None)
    steps: list[list[str]] = []
    first: dt.date | None = None
    for (lo, _), i in dated:
        if not steps or len(steps[-1]) >= step or \
                first is None or (lo - first).days > step_days:
            steps.append([])
            first = lo
        steps[-1].append(i)
    undated = sorted(i for i, w in windows.items() if w is None)
    steps += [undated[k:k + step] for k in range(0, len(undated), step)]
    report = MergeReport()
    done: set[str] = set()  # events whose whole connected group a step already re-did
    for ids in steps:
        todo = [i for i in ids if i not in done]
        if not todo:
            continue
        part = _merge_around(store, kb, todo, done)
        report.events += part.events
        report.clusters += part.clusters
        report.merged += part.merged
        report.removed += part.removed
    return report


def _merge_around(store: Store, kb: ActorKB | None, seeds: Sequence[str],
                  done: set[str]) -> MergeReport:
    """Re-group the connected groups of matching events that hold ``seeds``.

    A breadth-first walk: read the stored events whose dates could fit the frontier's,
    keep those that match a frontier event, and go on from them until nothing new
    matches.  The members of the old clusters of what was reached join the walk too
    (their cluster is re-done, so they must be placed again).
    """
    rules = load_rules()
    actors = ActorMatcher(kb)
    items: list[Item] = []
    index: dict[str, int] = {}
    blocks = Blocks()

    def read(rows: Iterable[tuple[Event, str, dt.date | None]]) -> None:
        for row in rows:
            if row[0].event_id not in index:
                index[row[0].event_id] = len(items)
                items.append(Item(*row))
                blocks.add(len(items) - 1, items[-1])

    read(store.merge_items(ids=seeds))
    frontier = sorted(index[i] for i in seeds if i in index)
    reached: set[int] = set(frontier)
    reader = StoreReader(store)
    expanded: set[int] = set()  # events whose every match is joined in ``joined``
    joined = _Groups()

    while frontier:
        read(reader.around(w for k in frontier if (w := items[k].window()) is not None))
        nxt: set[int] = set()
        for k in frontier:
            for j in blocks.near(items[k]):
                # An expanded event already tried k: what could match it was read
                # before it was expanded.
                if j != k and j not in expanded and \
                        match(items[k], items[j], actors, rules) is not None:
                    joined.join(k, j)
                    if j not in reached:
                        nxt.add(j)
            expanded.add(k)
        if not nxt:
            ids = {items[k].id for k in reached}
            extra = store.cluster_members_of(ids) - ids
            read(store.merge_items(ids=extra))
            nxt = {index[i] for i in extra if i in index}
        reached |= nxt
        frontier = sorted(nxt)
    # Matches only join reached events, so these are whole connected groups.
    grouped = [members for comp in joined.of(sorted(reached))
               for members in group([items[k] for k in comp], kb, rules)]
    grouped.sort(key=lambda members: members[0][0].order)
    ids = {items[k].id for k in reached}
    clusters = list(_reconciled(store, grouped, rules))
    removed = store.replace_clusters(ids, clusters)
    done |= ids
    return MergeReport(events=len(ids), clusters=len(clusters),
                       merged=sum(len(c.members) > 1 for c in clusters), removed=removed)


#: A month-precision date is the first day of a period of up to 31 days; a week-precision
#: date is the middle day of seven (``DatedValue.period``).
_PERIOD_REACH = 31
_WEEK_HALF = 3
#: Days a walk reads at a time, aligned: each block is read once per walk.
READ_BLOCK_DAYS = 14


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive numbers joined: {2017, 2018, 2020} -> [(2017, 2018), (2020, 2020)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _block_spans(blocks: Iterable[int]) -> list[tuple[dt.date, dt.date]]:
    """Aligned blocks of days as date spans, neighbouring blocks joined."""
    return [(dt.date.fromordinal(max(first * READ_BLOCK_DAYS, 1)),
             dt.date.fromordinal(last * READ_BLOCK_DAYS + READ_BLOCK_DAYS - 1))
            for first, last in _runs(blocks)]


def _blocks(lo: dt.date, hi: dt.date) -> range:
    return range(lo.toordinal() // READ_BLOCK_DAYS, hi.toordinal() // READ_BLOCK_DAYS + 1)


class StoreReader:
    """The stored events a merge walk may need, each read once.

    Asked for the events that could match events of given windows (``Item.window``), it
    reads whole blocks of days it has not read yet: by event date, reaching back a
    month for the periods of week and month dates; undated events by publication, in
    the week after; year-precision events by year.  A walk's later steps mostly look
    where its first one already read, and re-reading those days was most of its time.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.dated: set[int] = set()
        self.undated: set[int] = set()
        self.years: set[int] = set()

    def around(self, windows: Iterable[tuple[dt.date, dt.date]]
               ) -> list[tuple[Event, str, dt.date | None]]:
        dated: set[int] = set()
        undated: set[int] = set()
        years: set[int] = set()
        day = dt.timedelta(days=1)
        for lo, hi in windows:
            dated.update(_blocks(lo - dt.timedelta(days=_PERIOD_REACH) - day,
                                 hi + dt.timedelta(days=_WEEK_HALF) + day))
            undated.update(_blocks(lo - day, hi + dt.timedelta(days=UNDATED_LOOKBACK_DAYS) + day))
            years.update(range((lo - 2 * day).year, (hi + 2 * day).year + 1))
        dated -= self.dated
        undated -= self.undated
        years -= self.years
        if not (dated or undated or years):
            return []
        self.dated |= dated
        self.undated |= undated
        self.years |= years
        return self.store.merge_items(dated=_block_spans(dated), undated=_block_spans(undated),
                                      years=_runs(years))


#: Members whose sources and claims are read from the store in one query.
_FETCH_BATCH = 500


def _reconciled(store: Store, grouped: Sequence[list[tuple[Item, str]]],
                rules: MergeRules) -> Iterator[Cluster]:
    """Reconcile groups of light items, reading members' sources and claims in batches."""
    batch: list[list[tuple[Item, str]]] = []
    size = 0
    for members in [*grouped, None]:
        if members is not None:
            batch.append(members)
            size += len(members)
            if size < _FETCH_BATCH:
                continue
        full = {e.event_id: e for e in store.events_by_ids(
            [it.id for ms in batch for it, _ in ms])}
        for ms in batch:
            for it, _ in ms:
                it.event = full.get(it.id, it.event)
            yield reconcile(ms, rules)
        batch, size = [], 0
