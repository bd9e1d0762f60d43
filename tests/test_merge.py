"""Merging per-article events into one event per happening: rules, figures, the store."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from opsroom.config import Settings
from opsroom.knowledge import Knowledge
from opsroom.merge import (
    Item,
    candidate_pairs,
    cluster_events,
    load_rules,
    merge_all,
    update_merged,
)
from opsroom.models import Claim, Event, Source
from opsroom.pipeline import ingest
from opsroom.resolve import ActorKB
from opsroom.store import EventQuery, Store, search_events, select_events
from opsroom.store import tables as t
from opsroom.store.db import exclusive
from opsroom.store.query import get_view_event

from .conftest import CorpusAnalysis

#: The packaged knowledge: these tests read no user files.
KNOWLEDGE = Knowledge()

D = dt.date
PUBLISHED = D(2017, 11, 9)
DAY = D(2017, 11, 8)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def item(event_id: str, *, article: str = "a1", published: dt.date | None = PUBLISHED,
         sub: str = "Air/drone strike", etype: str = "Explosions/Remote violence",
         date: dt.date | None = DAY, precision: str | None = "day",
         actor1: str | None = "U.S.-led Coalition", actor2: str | None = "Islamic State",
         location: str | None = "Al Qā’im", lat: float | None = 34.39, lon: float | None = 40.99,
         gp: int = 1, country: str = "Iraq", admin1: str | None = "Anbar",
         claims: list[Claim] | None = None, fatalities: int | None = None) -> Item:
    ev = Event(event_id=event_id, event_type=etype, sub_event_type=sub, event_date=date,
               date_precision=precision if date else None, actor1=actor1, actor2=actor2,
               location=location, latitude=lat, longitude=lon, geo_precision=gp,
               country=country, admin1=admin1, fatalities=fatalities,
               sources=[Source(article, f"sentence of {event_id}", 0, 10)], claims=claims or [])
    return Item(ev, article, published)


def ids(clusters: list) -> list[list[str]]:  # type: ignore[type-arg]
    return [[m.event_id for m in c.members] for c in clusters]


def test_rules_load_and_agree_with_the_ontology() -> None:
    rules = load_rules()
    assert rules.compatible("Air/drone strike", "Shelling/artillery/missile attack")
    assert not rules.compatible("Air/drone strike", "Armed clash")
    assert rules.rank("Government regains territory") < rules.rank("Armed clash")


def test_same_place_different_days_stay_two(kb: ActorKB) -> None:
    a = item("e1", date=D(2017, 11, 3))
    b = item("e2", article="a2", date=D(2017, 11, 8))
    assert ids(cluster_events([a, b], kb)) == [["e1"], ["e2"]]


def test_a_day_apart_is_one_report_late(kb: ActorKB) -> None:
    a = item("e1", date=D(2017, 11, 7))
    b = item("e2", article="a2", date=D(2017, 11, 8))
    (cluster,) = cluster_events([a, b], kb)
    assert [m.event_id for m in cluster.members] == ["e1", "e2"]
    assert "overlap" in cluster.members[1].reason


def test_nearby_towns_merge_only_when_compatible(kb: ActorKB) -> None:
    # al-Qaim (Iraq) and Albu Kamal (Syria) lie ~10 km apart across the border.
    qaim = item("e1")
    bukamal = item("e2", article="a2", location="Ālbū Kamāl", lat=34.45, lon=40.92,
                   country="Syria", admin1="Deir ez-Zor")
    (cluster,) = cluster_events([qaim, bukamal], kb)
    assert "km apart" in cluster.members[1].reason
    # The same day and place, but another attacker: two strikes, not one.
    russian = item("e3", article="a3", location="Ālbū Kamāl", lat=34.45, lon=40.92,
                   country="Syria", actor1="Military Forces of Russia")
    assert len(cluster_events([qaim, russian], kb)) == 2
    # Another type of event on the same day nearby is another happening.
    clash = item("e4", article="a4", sub="Armed clash", etype="Battles")
    assert len(cluster_events([qaim, clash], kb)) == 2
    # Rawa is ~100 km up the valley: not near.
    rawa = item("e5", article="a5", location="Rāwah", lat=34.48, lon=41.92)
    assert len(cluster_events([qaim, rawa], kb)) == 2


def test_actors_match_through_part_of(kb: ActorKB) -> None:
    army = item("e1", sub="Armed clash", etype="Battles", actor1="Military Forces of Syria")
    government = item("e2", article="a2", sub="Armed clash", etype="Battles",
                      actor1="Government of Syria")
    unknown = item("e3", article="a3", sub="Armed clash", etype="Battles", actor1=None)
    clusters = cluster_events([army, government, unknown], kb)
    assert ids(clusters) == [["e1", "e2", "e3"]]
    assert "part of" in clusters[0].members[1].reason


def test_unknown_actor_does_not_chain_two_known_ones(kb: ActorKB) -> None:
    us = item("e1", actor1="U.S.-led Coalition")
    unknown = item("e2", article="a2", actor1="Unidentified Armed Group (Iraq)")
    russia = item("e3", article="a3", actor1="Military Forces of Russia")
    clusters = cluster_events([us, unknown, russia], kb)
    assert ids(clusters) == [["e1", "e2"], ["e3"]]


def test_coarse_precision_month_against_days(kb: ActorKB) -> None:
    month = item("e1", date=D(2017, 11, 1), precision="month", published=D(2017, 12, 2))
    inside = item("e2", article="a2", date=D(2017, 11, 20))
    outside = item("e3", article="a3", date=D(2017, 12, 20), published=D(2017, 12, 21))
    clusters = cluster_events([month, inside, outside], kb)
    # e2 was published first (November 9): the merged event takes its id.
    assert ids(clusters) == [["e2", "e1"], ["e3"]]
    # The merged event keeps the most precise date.
    assert clusters[0].event.event_date == D(2017, 11, 20)
    assert clusters[0].event.date_precision == "day"


def test_undated_events_need_the_same_place_and_close_reports(kb: ActorKB) -> None:
    a = item("e1", date=None, published=D(2017, 11, 9))
    same_article = item("e2", date=None, published=D(2017, 11, 9))
    other_outlet = item("e3", article="a3", date=None, published=D(2017, 11, 10))
    month_later = item("e4", article="a4", date=None, published=D(2017, 12, 15))
    clusters = cluster_events([a, same_article, other_outlet, month_later], kb)
    # The article's own merger kept e1 and e2 apart; without dates nothing overrules it.
    assert sorted(ids(clusters)) == [["e1", "e3"], ["e2"], ["e4"]]


def test_country_wide_places_need_a_shared_party(kb: ActorKB) -> None:
    def syria(eid: str, art: str, a1: str | None) -> Item:
        return item(eid, article=art, actor1=a1, actor2=None, location="Syria", lat=35.0,
                    lon=38.5, gp=3, country="Syria", admin1=None)

    assert len(cluster_events([syria("e1", "a1", None), syria("e2", "a2", None)], kb)) == 2
    assert len(cluster_events([syria("e1", "a1", "U.S.-led Coalition"),
                               syria("e2", "a2", "U.S.-led Coalition")], kb)) == 1


def test_figures_are_reconciled_conservatively(kb: ActorKB) -> None:
    sentence = "The UK-based Observatory said the strikes had killed 52 people."
    reuters = item("e1", claims=[
        Claim("Popular Mobilization Forces", "asserts", "fatalities", 22, "…22 killed…"),
        Claim("Military Forces of the United States", "denies", None, None, "No member …"),
        Claim("Military Forces of the United States", "denies", "fatalities", 0, "No one died"),
    ], fatalities=22)
    afp = item("e2", article="a2", claims=[
        Claim("Syrian Observatory for Human Rights", "asserts", "fatalities", 52, sentence)])
    (cluster,) = cluster_events([reuters, afp], kb)
    ev = cluster.event
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (22, 22, 52)
    assert len(ev.claims) == 4 and len(ev.sources) == 2
    assert cluster.claimants == ["Military Forces of the United States",
                                 "Popular Mobilization Forces",
                                 "Syrian Observatory for Human Rights"]
    assert cluster.n_articles == 2


def test_a_stated_zero_beside_a_toll_speaks_for_one_side(kb: ActorKB) -> None:
    a = item("e1", claims=[Claim("officials", "asserts", "fatalities", 0, "No American …")])
    b = item("e2", article="a2", claims=[Claim("a commander", "asserts", "fatalities", 7, "…")])
    (cluster,) = cluster_events([a, b], kb)
    assert (cluster.event.fatalities, cluster.event.fatalities_high) == (7, 7)


def test_clusters_do_not_depend_on_input_order(kb: ActorKB) -> None:
    items = [item(f"e{i}", article=f"a{i % 3}", date=D(2017, 11, 1) + dt.timedelta(days=i // 4),
                  actor1=random.Random(i).choice(["U.S.-led Coalition", None,
                                                  "Military Forces of Russia"]))
             for i in range(24)]
    first = cluster_events(items, kb)
    shuffled = list(items)
    random.Random(7).shuffle(shuffled)
    again = cluster_events(shuffled, kb)
    assert ids(first) == ids(again)
    assert [c.cluster_id for c in first] == [c.cluster_id for c in again]
    # Every cluster is named after its earliest member.
    for c in first:
        assert c.cluster_id == c.members[0].event_id


@pytest.mark.parametrize("precise_first", [True, False])
def test_a_province_level_report_meets_a_precise_one_whichever_came_first(
        kb: ActorKB, precise_first: bool) -> None:
    """A strike placed only "in Anbar" (the province's centre, three grid cells from
    al-Qaim) is the strike reported at al-Qaim.  Blocking found that pair only when the
    province-level report came first."""
    early, late = D(2017, 11, 9), D(2017, 11, 10)
    precise = item("p1", article="a1", published=early if precise_first else late)
    province = item("v1", article="a2", published=late if precise_first else early,
                    location="Anbar", lat=33.4, lon=42.0, gp=3)
    for order in ([precise, province], [province, precise]):
        clusters = cluster_events(order, kb)
        assert sorted(map(sorted, ids(clusters))) == [["p1", "v1"]]
        assert any(p == (0, 1) for p in candidate_pairs(sorted(order, key=lambda it: it.order)))


def test_blocking_compares_neighbours_not_all_pairs() -> None:
    rng = random.Random(3)
    n = 4000
    items = [item(f"e{i:05d}", article=f"a{i}", date=D(2017, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                  lat=33 + rng.random() * 4, lon=38 + rng.random() * 6, location=f"place {i}")
             for i in range(n)]
    start = time.perf_counter()
    pairs = sum(1 for _ in candidate_pairs(items))
    elapsed = time.perf_counter() - start
    # All pairs would be 8 million; neighbours in time and space are a tiny share.
    assert pairs < n * 10
    assert elapsed < 10


# -- against the store (SQLite and PostgreSQL) ---------------------------------------------

REUTERS_END = "U.S.-led forces depart Iraqi military base near Mosul in drawdown"
AFP_REWRITE = """Rockets hit Iraq base hosting US troops, three wounded

BAGHDAD (AFP) - Ten rockets hit the Ain al-Asad air base in western Iraq on Wednesday, \
wounding three people, Iraqi security sources said.

The rockets were fired from a truck parked on farmland near the base, the sources told AFP. \
No group claimed responsibility for the attack.
"""


def _clusters(store: Store) -> dict[str, list[str]]:
    events = select_events(store, EventQuery(include_background=True))
    return {e.event_id: sorted(m for m, _ in store.cluster_members(e.event_id)) for e in events}


def test_ingesting_the_corpus_twice_keeps_the_clusters(analysed: CorpusAnalysis, corpus_dir: Path, store: Store,
                                                       db_url: str) -> None:
    settings = Settings(database_url=db_url)
    ingest([str(corpus_dir)], store, settings, analyse=analysed)
    first = _clusters(store)
    n_events = store.counts()["events"]
    assert first and sum(len(m) for m in first.values()) == n_events
    ingest([str(corpus_dir)], store, settings, analyse=analysed)
    assert _clusters(store) == first
    # A full recompute agrees with the incremental one, and an update finds nothing to do.
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    assert _clusters(store) == first
    assert update_merged(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules).events == 0


def test_a_second_outlet_joins_the_first_report(corpus_files: list[Path], tmp_path: Path,
                                                store: Store, db_url: str) -> None:
    settings = Settings(database_url=db_url)
    corpus = corpus_files[0].read_text("utf-8")
    reuters = tmp_path / "reuters.txt"
    reuters.write_text(corpus[:corpus.index(REUTERS_END)], "utf-8")
    afp = tmp_path / "afp.txt"
    afp.write_text(AFP_REWRITE, "utf-8")
    ingest([str(reuters)], store, settings, published=D(2021, 7, 7))
    before = store.cluster_count()
    ingest([str(afp)], store, settings, published=D(2021, 7, 7))
    # The AFP report adds no merged event: it joins the Reuters one.
    assert store.cluster_count() == before
    events = select_events(store, EventQuery(text="Ain al-Asad", limit=100))
    wednesday = [e for e in events if len({s.article_id for s in e.sources}) == 2]
    assert len(wednesday) == 1
    ev = wednesday[0]
    assert ev.event_date == D(2021, 7, 7) and ev.location == "Ain al-Asad Air Base"
    wounded = {(c.claimed_by, c.value) for c in ev.claims if c.field == "injuries"}
    assert ("Iraqi security sources", 3) in wounded
    assert any(v == 2 for _, v in wounded)
    assert ev.injuries == 2  # the conservative figure
    members = store.cluster_members(ev.event_id)
    assert len(members) == 2 and "matches" in members[1][1]
    # The merged event is found by a member's id too.
    got = get_view_event(store, members[1][0])
    assert got is not None and got.event.event_id == ev.event_id
    # Monday's three rockets at the same base are another attack.
    monday = [e for e in events if e.event_id != ev.event_id and e.location == ev.location]
    assert all(e.event_date != ev.event_date for e in monday)


def test_the_merge_lock_excludes_a_second_holder(store: Store, db_url: str) -> None:
    """A second store on the same database waits for the first holder of the lock."""
    other = Store.open(db_url, migrate_schema=False)
    held, entered = threading.Event(), threading.Event()
    release = threading.Event()

    def first() -> None:
        with exclusive(store.engine, "merge"):
            held.set()
            release.wait(30)

    def second() -> None:
        held.wait(30)
        with exclusive(other.engine, "merge"):
            entered.set()

    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(first), pool.submit(second)]
        assert held.wait(30)
        assert not entered.wait(1.0), "the second holder got in while the first held the lock"
        release.set()
        assert entered.wait(30)
        for j in jobs:
            j.result()
    other.close()


def test_merges_running_together_write_each_cluster_once(analysed: CorpusAnalysis, corpus_dir: Path, store: Store,
                                                         db_url: str) -> None:
    """Ingests that finish together each run the incremental merge on the same new events.

    Without a lock both read the same unmerged events and both insert their clusters (a
    duplicate key on PostgreSQL); with it the later ones find nothing left to do.
    """
    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    expected = _clusters(store)
    with store.engine.begin() as conn:
        conn.execute(t.event_cluster_members.delete())
        conn.execute(t.event_clusters.delete())
    stores = [Store.open(db_url, migrate_schema=False) for _ in range(4)]
    start = threading.Barrier(len(stores))

    def run(s: Store) -> int:
        start.wait(30)
        return update_merged(s, KNOWLEDGE.actors, KNOWLEDGE.merge_rules).events

    with ThreadPoolExecutor(len(stores)) as pool:
        done = list(pool.map(run, stores))
    for s in stores:
        s.close()
    assert sorted(done)[-1] == store.counts()["events"]  # one did the work...
    assert sorted(done)[:-1] == [0] * (len(stores) - 1)  # ...the others found it done
    assert _clusters(store) == expected


def test_events_are_served_before_the_merge_runs(analysed: CorpusAnalysis, corpus_dir: Path, store: Store, db_url: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An article's events are served as soon as it is stored (each its own pending
    merged event); the merge then replaces them with what a full merge gives."""
    import opsroom.pipeline

    monkeypatch.setattr(opsroom.pipeline, "update_merged", lambda *_: None)
    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    n_events = store.counts()["events"]
    items, total = search_events(store, EventQuery(include_background=True, limit=None))
    assert total == n_events and not any(it.merged for it in items)
    assert all(it.event.sources for it in items)
    assert sorted(store.pending_event_ids()) == sorted(it.event.event_id for it in items)
    # Found by the words of their sentences before any merge.
    word = items[0].event.sources[0].sentence.split()[-1].strip(".,\"'")
    found, _ = search_events(store, EventQuery(text=word, include_background=True, limit=None))
    assert items[0].event.event_id in {it.event.event_id for it in found}

    report = update_merged(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    assert report.events == n_events and not store.pending_event_ids()
    incremental = _clusters(store)
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    assert _clusters(store) == incremental


@pytest.mark.parametrize(("step", "step_days"), [(3, 10**6), (10**6, 0)])
def test_the_incremental_merge_in_small_steps_gives_the_full_merge(analysed: CorpusAnalysis,
        corpus_dir: Path, store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch,
        step: int, step_days: int) -> None:
    """Merging the new events a few at a time, or a day of dates at a time (as a large
    ingest does, to bound memory), groups them as the full merge does: each step follows
    the matches of its events wherever they lead."""
    import opsroom.merge.walk
    import opsroom.pipeline

    monkeypatch.setattr(opsroom.pipeline, "update_merged", lambda *_: None)
    ingest([str(corpus_dir)], store, Settings(database_url=db_url), published=D(2017, 11, 9), analyse=analysed)
    merge_all(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules)
    full = _clusters(store)
    assert any(len(members) > 1 for members in full.values())  # steps must keep these
    # The stored merge is the pure one over every event at once.
    pure = cluster_events([Item(*row) for row in store.merge_items()], ActorKB.load())
    assert full == {c.cluster_id: sorted(m.event_id for m in c.members) for c in pure}
    with store.engine.begin() as conn:
        conn.execute(t.event_cluster_members.delete())
        conn.execute(t.event_clusters.delete())
    report = opsroom.merge.walk._update_merged(store, KNOWLEDGE.actors, KNOWLEDGE.merge_rules,
                                               step=step, step_days=step_days)
    assert report.events == store.counts()["events"]
    assert _clusters(store) == full


def test_a_walk_reads_every_event_that_could_match_and_each_once(analysed: CorpusAnalysis,
        corpus_dir: Path, store: Store, db_url: str) -> None:
    """The incremental merge reads only the stored events whose dates could fit its
    own.  That read must never miss one (a missed event would be a missed merge), and
    must not read an event twice in one walk (re-reading was most of its time)."""
    from opsroom.merge import StoreReader

    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    items = [Item(*row) for row in store.merge_items()]
    windows = {it.id: w for it in items if (w := it.window()) is not None}
    days = sorted(d for w in windows.values() for d in w)
    rng = random.Random(3)
    for _ in range(10):
        reader = StoreReader(store)
        seen: set[str] = set()
        for _ in range(4):  # a walk: windows asked for one after another
            lo = rng.choice(days)
            asked = [(lo, lo + dt.timedelta(days=rng.randint(0, 10)))]
            if rng.random() < 0.5:
                other = rng.choice(days)
                asked.append((other, other))
            got = [row[0].event_id for row in reader.around(asked)]
            assert not set(got) & seen and len(got) == len(set(got))
            seen.update(got)
            want = {i for i, (a, b) in windows.items()
                    if any(a <= hi and b >= s_lo for s_lo, hi in asked)}
            assert want <= seen
        assert len(seen) < len(items)  # a read of those dates, not of everything


def test_a_merge_leaves_statistics_for_the_planner(analysed: CorpusAnalysis, corpus_dir: Path, store: Store,
                                                   db_url: str) -> None:
    """After the merge that ends an ingest, the database has statistics on the served
    events (without them SQLite picked the wrong index for the event list)."""
    from sqlalchemy import text

    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    stats = ("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'event_clusters'"
             if store.engine.dialect.name == "sqlite" else
             "SELECT count(*) FROM pg_stats WHERE tablename = 'event_clusters'")
    with store.engine.connect() as conn:
        assert conn.execute(text(stats)).scalar_one() > 0
