"""Merging against the store: the full recompute and the incremental walk of an ingest.

Every merge holds one lock (``MERGE_LOCK``) while it reads and rewrites; the store
writes the clusters, this module decides them.  The actor base and the merge rules come
in from the caller's ``Knowledge`` (built from the user's settings), so the actors a
user added take part in every merge: callers pass ``Knowledge.actors`` and
``Knowledge.merge_rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import Cluster, Event
from ..store.db import exclusive
from .match import UNDATED_LOOKBACK_DAYS, ActorMatcher, Blocks, Item, _Groups, group, match
from .reconcile import reconcile
from .rules import MergeRules, load_rules

if TYPE_CHECKING:
    from ..resolve.kb import ActorKB
    from ..store import Store



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


def pending_clusters(events: Sequence[Event], article_id: str, published: dt.date | None,
                     rules: MergeRules | None = None) -> list[Cluster]:
    """The clusters newly stored events are served as until a merge sees them: each its
    own, reconciled as a merge would leave it alone."""
    rules = rules or load_rules()
    out = []
    for ev in events:
        cl = reconcile([(Item(ev, article_id, published), PENDING_REASON)], rules)
        cl.pending = True
        out.append(cl)
    return out


def merge_all(store: Store, kb: ActorKB, rules: MergeRules) -> MergeReport:
    """Recompute every merged event from the stored events (``opsroom merge``)."""
    with exclusive(store.engine, MERGE_LOCK):
        report = _merge_all(store, kb, rules)
        store.refresh_statistics()
        return report


def _merge_all(store: Store, kb: ActorKB, rules: MergeRules) -> MergeReport:
    # Every stored event, walked in steps as an ingest's new events are: the clusters of
    # a whole store in one step held 2 GB at 100,000 events (bench/merge_memory.py).
    # An ingest running beside this one keeps the pending clusters of what it stored
    # since (its own merge picks them up).
    ids = set(store.event_ids())
    if not ids:  # no events: only clusters left over from deleted ones, if any
        return MergeReport(removed=store.replace_clusters([], []))
    return _merge_steps(store, kb, rules, ids)


def update_merged(store: Store, kb: ActorKB, rules: MergeRules) -> MergeReport:
    """Merge events not yet in a cluster, re-doing only the clusters they touch.

    Called at the end of every ingest.  Follows the matches of the new events (and of
    the members of clusters that lost one) through the stored events, as far as they
    chain, and replaces the clusters of the connected groups found: the result is what a
    full recompute gives those events, while reading only the events near them.
    """
    with exclusive(store.engine, MERGE_LOCK):
        report = _update_merged(store, kb, rules)
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


def _update_merged(store: Store, kb: ActorKB, rules: MergeRules, step: int = MERGE_STEP,
                   step_days: int = STEP_DAYS) -> MergeReport:
    seeds = (set(store.unclustered_event_ids()) | set(store.pending_event_ids())
             | set(store.stale_cluster_event_ids()))
    return _merge_steps(store, kb, rules, seeds, step, step_days)


def _merge_steps(store: Store, kb: ActorKB, rules: MergeRules, seeds: set[str],
                 step: int = MERGE_STEP, step_days: int = STEP_DAYS) -> MergeReport:
    """Re-group the connected groups holding ``seeds``, a step of neighbouring dates at a
    time."""
    if not seeds:
        return MergeReport()
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
        part = _merge_around(store, kb, rules, todo, done)
        report.events += part.events
        report.clusters += part.clusters
        report.merged += part.merged
        report.removed += part.removed
    return report


def _merge_around(store: Store, kb: ActorKB, rules: MergeRules, seeds: Sequence[str],
                  done: set[str]) -> MergeReport:
    """Re-group the connected groups of matching events that hold ``seeds``.

    A breadth-first walk: read the stored events whose dates could fit the frontier's,
    keep those that match a frontier event, and go on from them until nothing new
    matches.  The members of the old clusters of what was reached join the walk too
    (their cluster is re-done, so they must be placed again).
    """
    actors = ActorMatcher(kb)
    items: list[Item] = []
    index: dict[str, int] = {}
    blocks = Blocks()

    def read(rows: Iterable[tuple[Event, str, dt.date | None]]) -> None:
        """Add the rows not yet seen to the items, the index and the blocks."""
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
        """The stored events that may match events of ``windows``, from the blocks of days
        (and years) not read before; an empty list when all were already read."""
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
