"""One-sentence inputs through the whole pipeline: a wire lead, an event note, a press
line, each read by the real ``Extractor`` as a feed item or a snippet would be.

The rules are silent on many one-line reports (no trigger word, a bare killing with no
place the gazetteer knows); there the learned classifier opens the event and names its
sub-type.  The sentences are written for these tests; none is in the example bank or in
``eval/gold/snippets.jsonl``.
"""

from __future__ import annotations

import pytest

from opsroom.config import Settings
from opsroom.extractor import Extractor
from opsroom.ingest import prepare
from opsroom.models import Document, RawDocument

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def read(extractor: Extractor, text: str) -> Document:
    (article,) = prepare(RawDocument("snippet/test", text, single_article=True))
    (doc,) = extractor.documents([article])
    return doc


def assert_first_sub_type(extractor: Extractor, sentence: str, expected: str) -> None:
    """The first event of the one-sentence input has the expected sub-type."""
    doc = read(extractor, sentence)
    assert doc.events, "no event found"
    assert doc.events[0].sub_event_type == expected, [
        (e.sub_event_type, e.type_reason) for e in doc.events]


@pytest.mark.parametrize(("sentence", "expected"), [
    # No trigger word: the classifier opens the event.
    ("Hundreds of nurses stood outside the health ministry in Lilongwe on Monday holding "
     "placards about unpaid allowances.", "Peaceful protest"),
    # A bare wounding with a weapon the rules do not tie to it.
    ("Someone hurled a grenade over the wall of a police compound in Bujumbura on Friday, "
     "wounding two officers.", "Grenade"),
    # A regained control: the government's side by the verb itself.
    ("Government forces restored control over the town of Bria on Tuesday after the rebels "
     "fled.", "Government regains territory"),
])
def test_a_one_sentence_report_gets_its_sub_type(extractor: Extractor, sentence: str,
                                                 expected: str) -> None:
    assert_first_sub_type(extractor, sentence, expected)


@pytest.mark.parametrize("sentence", [
    "The rebel spokesman warned that fighters would march on the provincial capital soon.",
    "More than 3,000 people have died in the conflict since it began six years ago.",
    # "set" over an infinitive is still a plan.
    "The rebels were set to attack the town of Goma on Friday.",
    # A massacre remembered is history.
    "Survivors marked the fifth anniversary of the Yelwata massacre in Benue on Sunday.",
    # Arrests counted since a date are a running total.
    "Police have arrested more than 300 people since the unrest began in March.",
])
def test_a_threat_a_plan_a_memorial_or_a_total_stays_no_event(extractor: Extractor,
                                                              sentence: str) -> None:
    assert read(extractor, sentence).events == []


def test_a_device_that_went_off_early_is_disrupted_weapons_use(extractor: Extractor) -> None:
    """CB: a bomb that blows up its own planters is prevented, not carried out."""
    doc = read(extractor, "On 9 March, a bomb exploded prematurely in a house in Maiduguri, "
                          "killing the two men who were making it.")
    assert [e.sub_event_type for e in doc.events][:1] == ["Disrupted weapons use"]


def test_stones_and_burning_tyres_make_a_violent_demonstration(extractor: Extractor) -> None:
    doc = read(extractor, "Youths clashed with police in Lubumbashi on Thursday, hurling "
                          "stones and burning tyres in the streets.")
    assert [e.sub_event_type for e in doc.events][:1] == ["Violent demonstration"]


@pytest.mark.parametrize(("sentence", "expected"), [
    # Arson is an act, not a plan ("set" plans only over an infinitive); by an armed group
    # it destroys property, by a crowd it is a riot (CB §Riots, §SD).
    ("Al-Shabaab fighters set fire to the district commissioner's office in Bulo Burde on "
     "Sunday.", "Looting/property destruction"),
    ("On Tuesday, protesters set fire to the governor's office in Kisumu.",
     "Violent demonstration"),
    ("Enraged residents of Butembo burned the home of a suspected thief on Saturday.",
     "Mob violence"),
    # A verb coordinated after two others is governed by none of them ("stopped").
    ("Gunmen stopped a minibus near Zhob on Friday, robbed the passengers and shot dead "
     "three farmers.", "Attack"),
    # News of arrests comes in the present perfect, undated.
    ("Police have arrested the leader of the opposition party in Harare.", "Arrests"),
    # Protesters arrested at their protest: a protest with intervention (CB §Protests).
    ("Police have arrested 20 students who took part in a banned march in Kampala.",
     "Protest with intervention"),
    # Checkpoints are a security measure, not a base.
    ("Security forces set up checkpoints on the roads leading into Bamako on Saturday.",
     "Change to group/activity"),
    # The capture outranks the fight for it (CB hierarchy, same actors, place and day).
    ("Rebels stormed and took the military base in Kalehe on Monday.",
     "Non-state actor overtakes territory"),
    # A press office's own forces are state forces; "neutralised" is killed.
    ("Our forces took control of the village of Ngala on Thursday after driving the "
     "terrorists out.", "Government regains territory"),
    ("Armed forces carried out an operation near Kidal on 4 June during which ten militants "
     "were neutralised.", "Armed clash"),
    # A denial verb the parser made the root does not deny its coordinated acts.
    ("Demonstrators disputing the vote count threw rocks at police in Lilongwe on Tuesday.",
     "Violent demonstration"),
    # A capitalised plural the tagger took for a name is still the weapon.
    ("Rockets landed near the airport in Tripoli on Saturday.",
     "Shelling/artillery/missile attack"),
    # A bare killing by a premature blast is disrupted weapons use (CB).
    ("Three insurgents were killed when the bomb they were assembling exploded prematurely "
     "in Mogadishu on Friday.", "Disrupted weapons use"),
    ("Security agents disappeared three student activists in Khartoum on Sunday.",
     "Abduction/forced disappearance"),
    ("Lawyers held a candlelight vigil outside the courthouse in Islamabad on Friday.",
     "Peaceful protest"),
    # Marchers who disperse of themselves met no intervention.
    ("Hundreds of teachers marched in Accra on Monday before dispersing peacefully.",
     "Peaceful protest"),
    ("The junta announced the mobilisation of reservists in the Sahel region on Friday.",
     "Change to group/activity"),
    ("Army officers seized power in Niamey on Wednesday and suspended the constitution.",
     "Other"),
    ("The rebels announced the establishment of a new headquarters in Bunagana on Monday.",
     "Headquarters or base established"),
    ("On 3 May, militiamen killed dozens of villagers in Djugu.", "Attack"),
    ("Government and rebel negotiators signed a cessation of hostilities in Juba on Sunday.",
     "Agreement"),
    ("Soldiers pillaged shops in the market of Bangassou on Tuesday.",
     "Looting/property destruction"),
    # A country's army named by its kind alone, and unnamed security forces, are state
    # forces: the ground they take is regained.
    ("Chad's army retook the town of Bol on Monday after driving Boko Haram fighters out.",
     "Government regains territory"),
    ("Security forces took control of the village of Kamba on Sunday.",
     "Government regains territory"),
    ("Troops recovered 40 rifles from a hideout in Zamfara on Sunday.",
     "Disrupted weapons use"),
    # Killing protesters is excessive force (CB); the month "March" is no march.
    ("Soldiers shot dead four unarmed demonstrators at a sit-in in Omdurman on Thursday.",
     "Excessive force against protesters"),
    ("On 2 March, gunmen killed five villagers in Kajuru.", "Attack"),
])
def test_rule_cues_of_one_line_reports(extractor: Extractor, sentence: str,
                                       expected: str) -> None:
    assert_first_sub_type(extractor, sentence, expected)


def test_an_attack_the_sentence_calls_terror_is_an_attack_on_civilians(
        extractor: Extractor) -> None:
    assert_first_sub_type(
        extractor, "The attack was a horrific act of terror against innocent people in the "
                   "early hours of Sunday in Karrada, Baghdad.", "Attack")
    # Called an assault by militants, it stays a clash.
    doc = read(extractor, "The attack on the checkpoint near Kirkuk was a coordinated "
                          "assault by dozens of militants on Sunday.")
    assert all(e.sub_event_type != "Attack" for e in doc.events)


@pytest.mark.parametrize(("sentence", "place"), [
    ("Gunmen attacked worshippers leaving a mosque in Kano on Friday, killing 12.", "Kano"),
    ("Militants shelled farmers working in fields near Kobani on Monday.", "Ayn al"),
])
def test_where_the_victims_were_is_the_place(extractor: Extractor, sentence: str,
                                             place: str) -> None:
    """A participle on the victims ("worshippers leaving a mosque in X") places them."""
    (event,) = read(extractor, sentence).events
    assert place in (event.location or ""), event.location
