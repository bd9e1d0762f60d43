"""Daily strike reports: a lead that names the striker, sub-headings per country, and one
line per place ("Near X, N strikes engaged …").  Each line is its own event, at its own
place, by the striker the lead names, against the group whose positions were hit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from opsroom.config import Settings
from opsroom.ingest.clean import prepare
from opsroom.models import RawDocument
from opsroom.pipeline import extract_documents

RELEASE = """SOUTHWEST ASIA - On Dec. 3, Coalition military forces conducted 14 strikes \
consisting of 22 engagements against ISIS targets in Syria and Iraq.

Strikes in Syria
Near Abu Kamal, three strikes engaged an ISIS tactical unit and destroyed two fighting \
positions and a vehicle.
Near Ash Shaddadi, one strike destroyed an ISIS headquarters.
Near Dayr Az Zawr, four strikes engaged two ISIS tactical units and destroyed an artillery piece.

Strikes in Iraq
Near Al Qaim, two strikes destroyed an ISIS staging area and suppressed a mortar team.
Near Mosul, one strike engaged an ISIS sniper team.

These strikes were conducted as part of Operation Inherent Resolve, the operation to \
destroy ISIS in Iraq and Syria.
"""


def test_a_sub_heading_is_not_joined_to_the_line_below() -> None:
    (art,) = prepare(RawDocument("release.txt", RELEASE, published=dt.date(2017, 12, 4)))
    assert "Strikes in Syria\n\nNear Abu Kamal" in art.text
    # A paragraph broken mid-sentence still joins: its line ends on a word that runs on.
    (broken,) = prepare(RawDocument("broken.txt", "The Kurdish commander spoke to "
                                    "reporters in Qamishli on Sunday.\n\nHe was not seeking a "
                                    "deal with\n\nDamascus, he said.\n", single_article=True))
    assert "a deal with Damascus" in broken.text


def test_each_line_of_a_strike_report_is_an_event(tmp_path: Path) -> None:
    src = tmp_path / "release.txt"
    src.write_text(RELEASE, encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), dt.date(2017, 12, 4), None)
    strikes = [e for e in doc.events if e.sub_event_type == "Air/drone strike"]
    # Albu Kamal (Syria) and al-Qaim (Iraq) lie 10 km apart across the border: two events.
    assert len(strikes) == 5, [(e.location, e.actor1) for e in doc.events]
    assert {e.country for e in strikes} == {"Syria", "Iraq"}
    assert len({e.location for e in strikes}) == 5
    # The lead names the striker once; the list keeps it to its last line.
    assert {e.actor1 for e in strikes} == {"Coalition"}
    # "one strike destroyed an ISIS headquarters": what was hit says whose it was.
    assert {e.actor2 for e in strikes} == {"Islamic State"}
    assert {e.event_date for e in strikes} == {dt.date(2017, 12, 3)}


COMMAND_RELEASE = """MOGADISHU, Somalia - U.S. Africa Command conducted an airstrike against \
al-Shabaab fighters near Jilib, Somalia, on May 14, killing four militants.

The strike was carried out in coordination with the Federal Government of Somalia. AFRICOM \
assessed that no civilians were injured or killed in this strike.
"""

ARMY_RELEASE = """ABUJA - The Nigerian Army said on Monday that its troops had repelled an \
attack on their base in Borno State.

The troops made contact with the terrorists at Gwoza on Sunday and neutralised three of \
them, the army said. Two soldiers were wounded in the fighting.
"""


def test_a_combatant_command_strikes_where_its_target_was(tmp_path: Path) -> None:
    src = tmp_path / "africom.txt"
    src.write_text(COMMAND_RELEASE, encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), dt.date(2024, 5, 15), None)
    (ev,) = doc.events
    # "MOGADISHU, Somalia -": a dateline, not an actor or the lead's first words.
    assert doc.article.dateline == "Mogadishu, Somalia"
    assert not doc.article.text.startswith("MOGADISHU")
    # The command is the U.S. military; the strike was where its target was.
    assert (ev.sub_event_type, ev.actor1, ev.actor2) == (
        "Air/drone strike", "Military Forces of the United States", "Al Shabaab")
    assert (ev.location, ev.country, ev.fatalities) == ("Jilib", "Somalia", 4)
    assert ev.event_date == dt.date(2024, 5, 14)


def test_an_army_release_tells_its_own_troops(tmp_path: Path) -> None:
    src = tmp_path / "army.txt"
    src.write_text(ARMY_RELEASE, encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), dt.date(2024, 5, 15), None)
    (ev,) = doc.events
    # Bare "troops" and a later "the army" are the army the release named first.
    assert (ev.sub_event_type, ev.actor1) == ("Armed clash", "Military Forces of Nigeria")
    # A town after "at" in a story the text sets in Nigeria (the Nigerian Army, Borno
    # State) is that country's town, though the model tags no place there.
    assert (ev.location, ev.country) == ("Gwoza", "Nigeria")
    # "on Sunday" hangs on the clash itself: not the report's day, though the army
    # "said" the sentence.
    assert ev.event_date == dt.date(2024, 5, 12)
    # "neutralised" may mean killed, captured or surrendered: no figure is made up.
    assert ev.fatalities is None


SUMMED = """SOUTHWEST ASIA - On Jan. 14, 2018, Coalition military forces conducted 12 strikes \
consisting of 19 engagements against ISIS targets in Syria and Iraq.

In Syria, Coalition military forces conducted eight strikes consisting of 11 engagements \
against ISIS targets:
Near Abu Kamal, four strikes engaged four ISIS tactical units and destroyed an ISIS vehicle.
Near Ash Shaddadi, two strikes engaged an ISIS tactical unit.
Near Dayr Az Zawr, two strikes destroyed an ISIS headquarters.

In Iraq, Coalition military forces conducted four strikes consisting of eight engagements \
against ISIS targets:
Near Al Qaim, two strikes destroyed two ISIS weapons caches.
Near Mosul, two strikes engaged an ISIS tactical unit.
"""


def test_a_country_total_told_line_by_line_is_no_event_of_its_own(tmp_path: Path) -> None:
    """"In Syria, … conducted eight strikes" sums the lines that follow: each line is the
    event, at its town; the country-wide total adds none. Weapons caches destroyed by a
    strike are that strike, not a disrupted weapons use."""
    src = tmp_path / "release.txt"
    src.write_text(SUMMED, encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), None, None)
    places = sorted(str(e.location) for e in doc.events)
    assert places == sorted(["Ālbū Kamāl", "Ash Shaddādah", "Deir ez-Zor", "Al Qā’im",
                             "Mosul"]), places
    assert {e.sub_event_type for e in doc.events} == {"Air/drone strike"}


def test_a_release_with_a_title_case_dateline_and_a_count_over_two_countries(tmp_path: Path) -> None:
    """"Mogadishu, Somalia —" is a dateline, not two actors of the first sentence; a count
    with no place ("conducted 14 strikes … in Syria and Iraq") is broken down by the items
    told at their places, which take its striker and are the events."""
    from opsroom.pipeline import extract_documents

    release = (
        "Mogadishu, Somalia — U.S. Africa Command, in coordination with the Federal Government "
        "of Somalia, conducted an airstrike against al-Shabaab militants in the vicinity of "
        "Jilib, Somalia, on March 3.\n\nThe command's initial assessment is that the airstrike "
        "killed three militants and that no civilians were injured or killed.\n")
    src = tmp_path / "release.txt"
    src.write_text(release, encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), dt.date(2019, 3, 4), None)
    assert doc.article.dateline == "Mogadishu, Somalia"
    assert [(e.sub_event_type, e.actor1, e.actor2, e.location, e.fatalities) for e in doc.events] \
        == [("Air/drone strike", "Military Forces of the United States", "Al Shabaab", "Jilib", 3)]
    assert not any(e.text == "Federal" for e in doc.entities if e.label == "PLACE")

    report = (
        "SOUTHWEST ASIA — U.S. and partner forces conducted 9 strikes consisting of 12 "
        "engagements against ISIS targets in Syria and Iraq on Nov. 12.\n\n"
        "Near Al Shadaddi, two strikes engaged an ISIS tactical unit and destroyed two vehicles.\n\n"
        "Near Abu Kamal, one strike suppressed an ISIS mortar team.\n\n"
        "Near Rawah, two strikes destroyed an ISIS staging area and two boats.\n")
    src.write_text(report, encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), dt.date(2017, 11, 13), None)
    assert [(e.actor1, e.location) for e in doc.events] == [
        ("Military Forces of the United States", "Ash Shaddādah"),
        ("Military Forces of the United States", "Ālbū Kamāl"),
        ("Military Forces of the United States", "Rāwah")]


def test_a_military_media_statement_in_its_own_idiom(tmp_path: Path) -> None:
    """"own troops" are the state's forces; "sent to hell" and "embraced shahadat" count
    the dead; the unnamed terrorists they fought are an unidentified armed group."""
    from opsroom.pipeline import extract_documents

    src = tmp_path / "ispr.txt"
    src.write_text(
        "RAWALPINDI: Security forces conducted an intelligence-based operation in North "
        "Waziristan on the night of 14 March, the military said in a statement. During the "
        "operation, own troops effectively engaged the terrorists' location and, after an "
        "intense exchange of fire, six terrorists were sent to hell. However, during the "
        "exchange of fire, two soldiers embraced shahadat.\n", encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), dt.date(2024, 3, 15), None)
    # The dead of each side, told side by side, add up: 6 + 2.
    assert [(e.sub_event_type, e.actor1, e.actor2, e.fatalities) for e in doc.events] == [
        ("Armed clash", "Military Forces of Pakistan", "Unidentified Armed Group (Pakistan)", 8)]


def test_a_response_is_the_other_side_s_act(tmp_path: Path) -> None:
    """"an anti-tank missile was launched from Lebanon toward Metula … IDF artillery
    responded by striking the source of the launch": two acts, the answer not merged
    into the missile it answers, nor placed where the missile landed."""
    from opsroom.pipeline import extract_documents

    src = tmp_path / "idf.txt"
    src.write_text(
        "An anti-tank missile was launched from Lebanon toward the area of Metula on "
        "Tuesday; no injuries were reported. IDF artillery responded by striking the source "
        "of the launch.\n", encoding="utf-8")
    (doc,) = extract_documents([src], Settings(), dt.date(2024, 3, 15), None)
    events = [(e.actor1, e.location) for e in doc.events]
    assert ("Military Forces of Israel", "Metula") not in events, events
    assert any(e.location == "Metula" and e.actor1 != "Military Forces of Israel"
               for e in doc.events), events
