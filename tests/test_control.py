"""Territorial control: changes read from events, who held a place when, contradictions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opsroom.analysis import change_of, changes_from_events, control_changes, who_held
from opsroom.analysis.control import load_cues, place_matches, state_on
from opsroom.config import Settings
from opsroom.knowledge import Knowledge
from opsroom.models import Event, Source
from opsroom.pipeline import ingest
from opsroom.resolve import ActorKB
from opsroom.store import Store

from .conftest import CorpusAnalysis

#: The packaged knowledge: these tests read no user files.
KNOWLEDGE = Knowledge()

D = dt.date
DAY = D(2017, 11, 17)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def event(sentence: str, *, sub: str = "Armed clash", etype: str = "Battles",
          actor1: str | None = "Military Forces of Iraq", actor2: str | None = "Islamic State",
          location: str = "Rāwah", date: dt.date | None = DAY, eid: str = "e1",
          lat: float = 34.48, lon: float = 41.92, country: str = "Iraq") -> Event:
    return Event(event_id=eid, event_type=etype, sub_event_type=sub, event_date=date,
                 date_precision="day" if date else None, actor1=actor1, actor2=actor2,
                 location=location, latitude=lat, longitude=lon, geo_precision=1,
                 country=country, sources=[Source("a1", sentence, 0, len(sentence))])


def test_cues_load() -> None:
    cues = load_cues()
    assert "Government regains territory" in cues.sub_types
    assert cues.pattern.search("Iraqi forces retook the town")


def test_a_clash_that_took_the_town_is_a_change(kb: ActorKB) -> None:
    ev = event("Iraqi forces recaptured Rawa from Islamic State on Friday, the military said.")
    change = change_of(ev, kb)
    assert change is not None
    assert (change.gained_by, change.lost_by) == ("Military Forces of Iraq", "Islamic State")
    assert "recaptured" in change.how
    assert change.evidence[0].sentence.startswith("Iraqi forces recaptured Rawa")


def test_plans_and_other_places_are_not_changes(kb: ActorKB) -> None:
    assert change_of(event("Iraqi forces will retake Rawa within days, a commander said."), kb) is None
    assert change_of(event("Iraqi forces launched an offensive to capture Rawa."), kb) is None
    # The cue speaks of another place than the event's.
    assert change_of(event("Fighting raged near Rawa after the army captured Anah."), kb) is None
    # An arrest report's "captured" is about people.
    arrest = event("Police captured three Rawa militants.", sub="Arrests",
                   etype="Strategic developments")
    assert change_of(arrest, kb) is None


def test_a_departure_names_who_left(kb: ActorKB) -> None:
    left = event("Coalition troops left a base at al-Qaim on the Syrian border last week.",
                 sub="Non-violent transfer of territory", etype="Strategic developments",
                 actor1="U.S.-led Coalition", actor2=None, location="Al Qā’im")
    change = change_of(left, kb)
    assert change is not None and (change.gained_by, change.lost_by) == (None, "U.S.-led Coalition")
    handover = event(
        "Troops with the U.S.-led coalition fighting Islamic State began departing an air base "
        "in northern Iraq on Thursday, handing it over fully to the Iraqi military as part of "
        "a reduction of foreign forces in the country.",
        sub="Non-violent transfer of territory", etype="Strategic developments",
        actor1="Military Forces of Iraq", actor2="U.S.-led Coalition",
        location="Qayyarah Airfield West")
    change = change_of(handover, kb)
    assert change is not None
    assert (change.gained_by, change.lost_by) == ("Military Forces of Iraq", "U.S.-led Coalition")


def test_contradictions_are_shown(kb: ActorKB) -> None:
    sub = "Government regains territory"
    a = event("The army said it retook Rawa.", sub=sub, eid="e1")
    b = event("Islamic State said it still held Rawa.", sub="Non-state actor overtakes territory",
              actor1="Islamic State", actor2="Military Forces of Iraq", eid="e2")
    later = event("Iraqi troops retook Rawa.", sub=sub, eid="e3", date=D(2017, 12, 20))
    changes = changes_from_events([a, b, later], kb)
    by_id = {c.event_id: c for c in changes}
    assert by_id["e1"].contradicts == ["e2"] and by_id["e2"].contradicts == ["e1"]
    assert by_id["e3"].contradicts == []
    # The same day, two parties: the answer names one and shows the other beside it.
    state = state_on("Rawa", changes, D(2017, 11, 30))
    assert {state.holder, *(c.gained_by for c in state.contradictions)} == {
        "Islamic State", "Military Forces of Iraq"}
    # Taking a place back the next day is a sequence, not a contradiction.
    next_day = event("Iraqi troops retook Rawa.", sub=sub, eid="e4", date=D(2017, 11, 18))
    assert all(not c.contradicts for c in changes_from_events([b, next_day], kb))
    state = state_on("Rawa", changes, D(2017, 12, 31))
    assert state.holder == "Military Forces of Iraq" and state.since == D(2017, 12, 20)
    assert state_on("Rawa", changes, D(2017, 1, 1)).holder is None


def test_an_undated_report_counts_from_its_publication(kb: ActorKB) -> None:
    old = event("IS seized Rawa in 2014.", sub="Non-state actor overtakes territory",
                actor1="Islamic State", actor2=None, date=D(2014, 1, 1), eid="e1")
    retaken = event("Iraqi forces have advanced since retaking Rawa.", date=None, eid="e2",
                    sub="Government regains territory")
    changes = changes_from_events([old, retaken], kb, {"a1": D(2017, 11, 20)})
    latest = state_on("Rawa", changes, None)
    assert latest.holder == "Military Forces of Iraq" and latest.since is None
    assert latest.known_by == D(2017, 11, 20)
    assert state_on("Rawa", changes, D(2017, 6, 1)).holder == "Islamic State"


def test_place_names_match_in_any_spelling(kb: ActorKB) -> None:
    deir = event("Syrian state media said Deir elZour had been cleared.",
                 sub="Government regains territory", actor1="Military Forces of Syria",
                 location="Deir ez-Zor", lat=35.34, lon=40.14, country="Syria")
    nearby = event("The army took the Deir ez-Zor airport district.", eid="e2",
                   sub="Government regains territory", actor1="Military Forces of Syria",
                   location="Al Jafrah", lat=35.36, lon=40.17, country="Syria")
    changes = changes_from_events([deir, nearby], kb)
    for spelling in ("Deir el-Zour", "Dayr az-Zawr", "deir al-zor"):
        assert {c.event_id for c in place_matches(spelling, changes)} == {"e1", "e2"}


def test_control_on_the_corpus(analysed: CorpusAnalysis, corpus_dir: Path, store: Store, db_url: str) -> None:
    """What the corpus yields (most of its control reports carry no date: see below)."""
    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    # al-Qaim: Iraq's troops entered it; coalition troops later left a base there.  Neither
    # article gives a publication date, so the changes are undated, and listed as such.
    qaim = who_held(store, "al-Qaim", KNOWLEDGE)
    assert qaim.holder == "Military Forces of Iraq" and qaim.since is None
    sentences = " ".join(e.sentence for c in qaim.history for e in c.evidence)
    assert "entered the town of al-Qaim" in sentences
    assert any(c.lost_by == "U.S.-led Coalition" for c in qaim.undated)
    # Deir ez-Zor: the Syrian government said it freed the city's last districts.
    deir = who_held(store, "Deir el-Zour", KNOWLEDGE)
    assert deir.holder == "Military Forces of Syria"
    assert any("freed the last districts" in e.sentence for c in deir.history for e in c.evidence)
    # Hawija: "since retaking Hawija", in an article of 2017-10-07.  Whether the event is
    # dated to that week or left undated, by December Iraq held it, and not before October.
    hawija = who_held(store, "Hawija", KNOWLEDGE, on=D(2017, 12, 1))
    assert hawija.holder == "Military Forces of Iraq"
    assert (hawija.since or hawija.known_by) == D(2017, 10, 7)
    assert who_held(store, "Hawija", KNOWLEDGE, on=D(2017, 9, 1)).holder != "Military Forces of Iraq"
    since, until = D(2017, 10, 1), D(2017, 11, 30)
    moved = control_changes(store, KNOWLEDGE, since, until, include_undated=True)
    assert any("Hawija" in e.sentence for c in moved for e in c.evidence)
    for c in moved:
        assert (c.period and c.period[0] <= until and c.period[1] >= since) or \
            (c.date is None and c.reported and since <= c.reported <= until)


def test_control_of_al_omar_and_qayyara(analysed: CorpusAnalysis, corpus_dir: Path, store: Store, db_url: str) -> None:
    ingest([str(corpus_dir)], store, Settings(database_url=db_url), analyse=analysed)
    omar = who_held(store, "Al-Omar oil field", KNOWLEDGE)
    assert omar.holder == "Syrian Democratic Forces" and omar.since == D(2017, 10, 22)
    assert who_held(store, "Qayyara airfield", KNOWLEDGE).holder == "Military Forces of Iraq"
