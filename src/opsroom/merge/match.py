"""Whether two stored events tell one happening, and the happenings a set of them holds.

The test is ``match`` (type, date, place, actors; see the package docstring); blocking
(``Blocks``, ``candidate_pairs``) keeps the comparisons near-linear; ``group`` splits
each connected group greedily, in a fixed order, into clusters whose members all fit.
Pure: nothing here reads or writes the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..events.dates import DatedValue
from ..geo.gazetteer import distance_km
from ..geo.keys import place_key
from ..models import Event
from .rules import MergeRules, load_rules

if TYPE_CHECKING:
    from ..resolve.kb import ActorKB

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
        """The stored event's id, the key the merge groups by."""
        return self.event.event_id

    @property
    def order(self) -> tuple[dt.date, dt.date, str]:
        """Total order: first published report first, then event date, then id."""
        return (self.published or _FAR, self.period[0] if self.period else _FAR, self.id)

    @property
    def has_coords(self) -> bool:
        """True when the event has both coordinates, so distance can decide a match."""
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
        """True for a missing or unidentified party, which may match any other."""
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
        """File item ``i`` under each week it may fall in, by grid cell and by place name;
        an item with neither a place nor coordinates is not filed and matches nothing here."""
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
        """The representative of ``x``'s group (halving paths on the way)."""
        parent = self._parent
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        """Put ``a`` and ``b`` in one group; the smaller index represents it, so groups come
        out the same whatever order the joins came in."""
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

