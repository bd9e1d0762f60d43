"""Event extraction end to end on corpus paragraphs (opsroom.events.extract_events).

Entities are built by hand here, as the actor and place resolvers give them (canonical
names from eval/ANNOTATION.md, char offsets into the article body); the last test runs
the real resolvers when they are installed in the tree.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from opsroom.errors import KnowledgeError
from opsroom.events import extract_events, load_lexicon
from opsroom.events.lexicon import _data_dir
from opsroom.models import Article, Entity, Event
from opsroom.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def ent(text: str, span: str, label: str, name: str, occurrence: int = 1,
        **kw: object) -> Entity:
    at = -1
    for _ in range(occurrence):
        at = text.index(span, at + 1)
    return Entity(text=span, start=at, end=at + len(span), label=label,  # type: ignore[arg-type]
                  id=name, name=name, **kw)  # type: ignore[arg-type]


def place(text: str, span: str, name: str, lat: float, lon: float, country: str,
          precision: int, occurrence: int = 1, admin1: str | None = None) -> Entity:
    return ent(text, span, "PLACE", name, occurrence, latitude=lat, longitude=lon,
               country=country, admin1=admin1, geo_precision=precision)


def run(nlp: Language, text: str, published: dt.date | None,
        entities: list[Entity]) -> list[Event]:
    article = Article(id="a1", text=text, published=published)
    return extract_events(nlp(text), article, entities)


def by_type(events: list[Event], sub: str) -> list[Event]:
    return [e for e in events if e.sub_event_type == sub]


# --- knowledge files ---------------------------------------------------------------------

def test_lexicon_loads_and_covers_the_ontology() -> None:
    lex = load_lexicon()
    assert len(lex.ontology) == 6
    subs = {s for v in lex.ontology.values() for s in v}
    assert len(subs) == 25
    reachable = {t.sub_event_type for t in lex.triggers if t.sub_event_type}
    reachable |= {i.sub_event_type for i in lex.instruments}
    # Sub-types the coding rules reach from a trigger's rule rather than its entry.
    reachable |= {"Attack", "Non-state actor overtakes territory", "Government regains territory",
                  "Disrupted weapons use", "Protest with intervention",
                  "Excessive force against protesters"}
    assert subs - reachable == {"Other"}
    assert lex.actor_kind("Military Forces of Iraq") == "state"
    assert lex.actor_kind("Islamic State") == "non_state"
    assert lex.actor_kind("Syrian Observatory for Human Rights") == "observer"


def test_broken_lexicon_names_the_file(tmp_path: Path) -> None:
    for f in _data_dir().iterdir():
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "triggers.jsonl").open("a") as fh:
        fh.write(json.dumps({"id": "bad", "pos": "VERB", "lemmas": ["x"], "rule": "fixed",
                             "sub_event_type": "Picnic"}) + "\n")
    with pytest.raises(KnowledgeError, match="triggers.jsonl"):
        load_lexicon(tmp_path)


# --- the Ain al-Asad article: weekdays, quantities, zeros, the Erbil-airport rule --------

AIN_AL_ASAD = (
    "At least 14 rockets hit an Iraqi air base hosting U.S. and other international forces on "
    "Wednesday, slightly wounding two people, the U.S.-led coalition said, as Kurdish-led forces "
    "in Syria said they thwarted a drone attack in an area where U.S. forces also operate.\n\n"
    "Iraqi militia groups aligned with Iran vowed to retaliate after last month’s U.S. strikes "
    "on the Iraqi-Syrian border killed four of their members.\n\n"
    "Two people were slightly wounded in the rocket attack on the Ain al-Asad air base in western "
    "Iraq, U.S. Army Colonel Wayne Marotto, spokesman for the coalition, said. He initially put "
    "the number of injuries at three. The rockets landed on the base and its perimeter, he "
    "tweeted.\n\n"
    "Iraqi military sources said a rocket launcher fixed on the back of a truck was used in "
    "Wednesday’s attack on the Ain al-Asad air base and was found on nearby farmland set on "
    "fire.\n\n"
    "On Tuesday, a drone attacked Erbil airport in northern Iraq, targeting a U.S. base on the "
    "airport grounds, Kurdish security sources said.\n\n"
    "Three rockets also landed on Ain al-Asad on Monday without causing casualties.\n"
)
WEDNESDAY = dt.date(2021, 7, 7)


def _ain_entities(text: str) -> list[Entity]:
    ain = dict(name="Ain al-Asad Air Base", lat=33.79, lon=42.44, country="Iraq", precision=1,
               admin1="Anbar")
    return [
        ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
        ent(text, "Kurdish-led forces", "ACTOR", "Syrian Democratic Forces"),
        ent(text, "U.S. forces", "ACTOR", "Military Forces of the United States"),
        ent(text, "Iraqi militia groups aligned with Iran", "ACTOR", "Iran-backed Militias"),
        ent(text, "U.S.", "ACTOR", "Military Forces of the United States", occurrence=3),
        place(text, "Syria", "Syria", 35.0, 38.0, "Syria", 3),
        place(text, "Ain al-Asad air base", occurrence=1, **ain),  # type: ignore[arg-type]
        place(text, "Iraq", "Iraq", 33.0, 44.0, "Iraq", 3, occurrence=2),
        place(text, "Ain al-Asad air base", occurrence=2, **ain),  # type: ignore[arg-type]
        place(text, "Erbil airport", "Erbil International Airport", 36.24, 43.96, "Iraq", 1,
              admin1="Erbil"),
        place(text, "Iraq", "Iraq", 33.0, 44.0, "Iraq", 3, occurrence=3),
        place(text, "Ain al-Asad", occurrence=3, **ain),  # type: ignore[arg-type]
    ]


@pytest.fixture(scope="module")
def ain_events(nlp: Language) -> list[Event]:
    return run(nlp, AIN_AL_ASAD, WEDNESDAY, _ain_entities(AIN_AL_ASAD))


def test_wednesday_rocket_attack_is_one_event(ain_events: list[Event]) -> None:
    shelling = [e for e in by_type(ain_events, "Shelling/artillery/missile attack")
                if e.event_date == WEDNESDAY]
    assert len(shelling) == 1
    ev = shelling[0]
    assert ev.event_type == "Explosions/Remote violence"
    assert ev.date_precision == "day"
    assert "publication day" in (ev.date_reason or "")
    assert ev.location == "Ain al-Asad Air Base" and ev.geo_precision == 1
    assert (ev.weapon, ev.quantity) == ("rocket", 14)
    assert ev.injuries == 2
    assert ev.fatalities is None  # nobody said anyone died: unstated, not zero
    assert ev.actor1 == "Unidentified Armed Group (Iraq)"  # no attacker named
    # The lead, the detail paragraph and "Wednesday's attack" all tell it.
    assert len(ev.sources) >= 3
    claimants = {s.claimed_by for s in ev.sources}
    assert "U.S.-led Coalition" in claimants


def test_monday_rockets_two_days_earlier_with_stated_zero(ain_events: list[Event]) -> None:
    monday = [e for e in ain_events if e.event_date == dt.date(2021, 7, 5)]
    assert len(monday) == 1
    ev = monday[0]
    assert ev.sub_event_type == "Shelling/artillery/missile attack"
    assert (ev.fatalities, ev.injuries, ev.quantity) == (0, 0, 3)


def test_erbil_drone_is_at_the_airport_not_the_base_or_iraq(ain_events: list[Event]) -> None:
    erbil = [e for e in ain_events if e.event_date == dt.date(2021, 7, 6)]
    assert len(erbil) == 1
    ev = erbil[0]
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.location == "Erbil International Airport"
    assert ev.weapon == "drone"
    assert ev.sources[0].claimed_by == "Kurdish security sources"


def test_threat_is_not_an_event_but_its_cause_is_background(ain_events: list[Event]) -> None:
    texts = [s.sentence for e in ain_events for s in e.sources]
    retaliation = [e for e in ain_events
                   if any("vowed to retaliate" in s.sentence for s in e.sources)]
    # "vowed to retaliate" gives nothing; "last month's U.S. strikes … killed four" is history.
    assert len(retaliation) == 1
    ev = retaliation[0]
    assert ev.sub_event_type == "Air/drone strike"
    assert (ev.event_date, ev.date_precision) == (dt.date(2021, 6, 1), "month")
    assert ev.background is True
    assert ev.fatalities == 4
    assert all("retaliat" not in (e.date_reason or "") for e in ain_events)
    assert texts  # sources are present


def test_drone_interception_is_disrupted_weapons_use(ain_events: list[Event]) -> None:
    ev = by_type(ain_events, "Disrupted weapons use")
    assert len(ev) == 1
    assert ev[0].actor1 == "Syrian Democratic Forces"  # "they" = the forces that said so


def test_sources_point_into_the_article(ain_events: list[Event]) -> None:
    for ev in ain_events:
        for s in ev.sources:
            assert AIN_AL_ASAD[s.start:s.end] == s.sentence
        for c in ev.claims:
            assert AIN_AL_ASAD[c.start:c.end] in AIN_AL_ASAD


def test_event_ids_are_deterministic_and_unique(nlp: Language, ain_events: list[Event]) -> None:
    again = run(nlp, AIN_AL_ASAD, WEDNESDAY, _ain_entities(AIN_AL_ASAD))
    assert [e.event_id for e in again] == [e.event_id for e in ain_events]
    assert len({e.event_id for e in ain_events}) == len(ain_events)


def test_no_publication_date_no_invented_date(nlp: Language) -> None:
    text = ("On Tuesday, a drone attacked Erbil airport in northern Iraq, targeting a U.S. base on "
            "the airport grounds, Kurdish security sources said.\n")
    events = run(nlp, text, None, [place(text, "Erbil airport", "Erbil International Airport",
                                         36.24, 43.96, "Iraq", 1)])
    assert len(events) == 1
    assert events[0].event_date is None and events[0].date_precision is None
    assert "no publication date" in (events[0].date_reason or "")


# --- denials and disputed figures ---------------------------------------------------------

ALBU_KAMAL = (
    "Syrian state media said on Monday that U.S.-led coalition aircraft had bombed a Syrian army "
    "position near the Iraqi border, causing deaths and injuries, but the U.S. military denied it "
    "was responsible.\n\n"
    "The attack took place in al-Harra, southeast of the town of Albu Kamal, state news agency "
    "SANA said, citing a military source.\n\n"
    "Iraq’s Popular Mobilisation Forces, a grouping of mostly Iran-backed Shi’ite paramilitaries, "
    "said a U.S. air strike on the Iraqi border with Syria killed 22 of its members and wounded "
    "12 others.\n\n"
    "“No member of the U.S.-led coalition carried out strikes near Albu Kamal,” Major Josh "
    "Jacques, a U.S. Central Command spokesman, told Reuters.\n\n"
    "The Syrian Observatory for Human Rights, a war monitor, said unidentified planes had struck "
    "Lebanon’s Shi’ite Hezbollah and other allied foreign militias around Albu Kamal.\n\n"
    "The UK-based Observatory said the strikes had killed 52 people.\n"
)


def _albu_kamal_entities(text: str) -> list[Entity]:
    abk = dict(name="Albu Kamal", lat=34.45, lon=40.92, country="Syria", precision=1)
    return [
        ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
        ent(text, "Syrian army", "ACTOR", "Military Forces of Syria"),
        ent(text, "the U.S. military", "ACTOR", "Military Forces of the United States"),
        place(text, "al-Harra", "Al-Harra", 34.38, 40.99, "Syria", 1),
        place(text, "Albu Kamal", occurrence=1, **abk),  # type: ignore[arg-type]
        ent(text, "SANA", "ACTOR", "Syrian Arab News Agency"),
        ent(text, "Popular Mobilisation Forces", "ACTOR", "Popular Mobilization Forces"),
        ent(text, "U.S.", "ACTOR", "Military Forces of the United States", occurrence=4),
        place(text, "Syria", "Syria", 35.0, 38.0, "Syria", 3, occurrence=3),
        ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition", occurrence=2),
        place(text, "Albu Kamal", occurrence=2, **abk),  # type: ignore[arg-type]
        ent(text, "Josh Jacques", "PERSON", "Josh Jacques",
            organisation="Military Forces of the United States"),
        ent(text, "The Syrian Observatory for Human Rights", "ACTOR",
            "Syrian Observatory for Human Rights"),
        ent(text, "Hezbollah", "ACTOR", "Hezbollah"),
        place(text, "Lebanon", "Lebanon", 33.9, 35.8, "Lebanon", 3),
        place(text, "Albu Kamal", occurrence=3, **abk),  # type: ignore[arg-type]
        ent(text, "Observatory", "ACTOR", "Syrian Observatory for Human Rights", occurrence=2),
    ]


def test_disputed_strike_is_one_event_with_both_figures_and_the_denial(nlp: Language) -> None:
    events = run(nlp, ALBU_KAMAL, None, _albu_kamal_entities(ALBU_KAMAL))
    strikes = by_type(events, "Air/drone strike")
    assert len(strikes) == 1
    ev = strikes[0]
    # 22 says the PMF, 52 says the monitor: the conservative figure, the span of claims.
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (22, 22, 52)
    assert ev.injuries == 12
    figures = {(c.claimed_by, c.value) for c in ev.claims if c.field == "fatalities"}
    assert ("Popular Mobilization Forces", 22) in figures
    assert ("Syrian Observatory for Human Rights", 52) in figures
    denials = [s for s in ev.sources if s.stance == "denies"]
    assert {s.claimed_by for s in denials} == {"Military Forces of the United States"}
    assert any("No member" in s.sentence for s in denials)  # the negated strike, attached
    assert ev.location in ("Al-Harra", "Albu Kamal")
    assert ev.actor1 == "U.S.-led Coalition"
    assert ev.event_date is None  # published unknown: "on Monday" cannot be anchored


KHUSHAM = (
    "The U.S.-led coalition and its local allies in Syria struck pro-government forces with "
    "deadly air and artillery fire overnight to repel “an unprovoked attack” near the Euphrates, "
    "the coalition said on Thursday.\n\n"
    "The attack was carried out by 500 troops backed by artillery, tanks, multiple-launch rocket "
    "systems and mortars but the coalition and its local allies killed more than 100 of them, "
    "the official said.\n\n"
    "Syrian state television reported that the coalition had caused “dozens of dead and wounded” "
    "by bombing pro-government forces. But a commander in the military alliance supporting Assad "
    "disputed the death toll, saying seven pro-government forces were killed and 27 injured.\n\n"
    "No American troops were killed or wounded in the incident, officials said.\n"
)


def test_more_than_100_against_seven_keeps_the_conservative_figure(nlp: Language) -> None:
    text = KHUSHAM
    entities = [
        ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
        ent(text, "pro-government forces", "ACTOR", "Pro-Government Forces (Syria)"),
        place(text, "Euphrates", "Euphrates River", 35.0, 40.5, "Syria", 2),
        ent(text, "coalition", "ACTOR", "U.S.-led Coalition", occurrence=4),
        ent(text, "pro-government forces", "ACTOR", "Pro-Government Forces (Syria)", occurrence=2),
    ]
    events = run(nlp, text, dt.date(2018, 2, 8), entities)
    assert len(events) == 1
    ev = events[0]
    assert ev.event_date == dt.date(2018, 2, 7)  # "overnight", reported on Thursday
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (7, 7, 100)
    assert ev.actor1 == "U.S.-led Coalition"
    assert ev.actor2 == "Pro-Government Forces (Syria)"
    stances = {(c.stance, c.field) for c in ev.claims}
    assert ("denies", "fatalities") in stances  # "disputed the death toll"
    zero = [c for c in ev.claims if c.field == "fatalities" and c.value == 0]
    assert zero and zero[0].claimed_by == "officials"  # kept as a claim, not the figure


# --- what is not an event -----------------------------------------------------------------

def test_threats_and_plans_are_not_events(nlp: Language) -> None:
    text = (
        "President Tayyip Erdogan said on Monday the United States was trying to create a “terror "
        "army” on Turkey’s southern frontier by training a Syrian border force that includes a "
        "Kurdish militia, and pledged to crush it before it came into being.\n\n"
        "Erdogan says Turkey will crush the terror army in northern Syria.\n\n"
        "Erdogan also said that Turkey’s armed forces had completed preparations for an operation "
        "against the Kurdish-controlled region of Afrin in northwest Syria and the town of "
        "Manbij.\n\n"
        "Although the loss of Mosul would deal a major defeat to Islamic State, U.S. and Iraqi "
        "officials are preparing for smaller battles even after the city is recaptured.\n\n"
        "Spokesman Colonel Ryan Dillon said he expected many to try to flee, but that the "
        "coalition aimed to annihilate the leaders.\n"
    )
    assert run(nlp, text, dt.date(2018, 1, 15), []) == []


def test_totals_over_years_are_not_events(nlp: Language) -> None:
    text = (
        "The Syrian Observatory for Human Rights, a Britain-based war monitor, said on Monday "
        "there are so far about 465,000 people killed and missing in Syria’s civil war.\n\n"
        "It said government forces and their allies had killed more than 83,500 civilians, "
        "including more than 27,500 in air strikes and 14,600 under torture in prison.\n\n"
        "The Islamic State jihadist group has killed more than 3,700 civilians, air strikes by the "
        "U.S.-led coalition have killed 920 civilians and Turkey, which is backing rebels in "
        "northern Syria, has killed more than 500 civilians, it added.\n\n"
        "Syria’s government and Russia both deny targeting civilians or using torture or "
        "extrajudicial killings.\n"
    )
    assert run(nlp, text, dt.date(2017, 3, 13), []) == []


# --- territory, transfers and history -----------------------------------------------------

def test_handover_of_a_base_and_history_in_passing(nlp: Language) -> None:
    text = (
        "Troops with the U.S.-led coalition fighting Islamic State began departing an air base in "
        "northern Iraq on Thursday, handing it over fully to the Iraqi military as part of a "
        "reduction of foreign forces in the country.\n\n"
        "Qayyara air base, south of the city of Mosul where Islamic State declared its caliphate "
        "in 2014, is the second base to be handed over to the Iraqis this month. Coalition troops "
        "left a base at al-Qaim on the Syrian border last week.\n"
    )
    entities = [
        ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
        ent(text, "Islamic State", "ACTOR", "Islamic State"),
        place(text, "Iraq", "Iraq", 33.0, 44.0, "Iraq", 3),
        ent(text, "Iraqi military", "ACTOR", "Military Forces of Iraq"),
        place(text, "Qayyara air base", "Qayyarah Airfield West", 35.77, 43.12, "Iraq", 1),
        place(text, "Mosul", "Mosul", 36.34, 43.13, "Iraq", 1),
        ent(text, "Islamic State", "ACTOR", "Islamic State", occurrence=2),
        ent(text, "Coalition", "ACTOR", "U.S.-led Coalition", occurrence=1),
        place(text, "al-Qaim", "Al-Qaim", 34.37, 41.09, "Iraq", 1),
    ]
    events = run(nlp, text, dt.date(2020, 3, 26), entities)
    transfers = by_type(events, "Non-violent transfer of territory")
    assert [(e.event_date, e.date_precision) for e in transfers] == [
        (dt.date(2020, 3, 26), "day"), (dt.date(2020, 3, 16), "week")]
    # The side that takes the ground is actor1 when the text names it ("handing it over
    # fully to the Iraqi military"); otherwise the side that leaves is the only actor.
    assert (transfers[0].actor1, transfers[0].actor2) == ("Military Forces of Iraq",
                                                          "U.S.-led Coalition")
    assert transfers[1].actor1 == "U.S.-led Coalition"
    assert transfers[1].location == "Al-Qaim"
    caliphate = by_type(events, "Change to group/activity")
    assert len(caliphate) == 1
    assert caliphate[0].background is True
    assert (caliphate[0].event_date, caliphate[0].date_precision) == (dt.date(2014, 1, 1), "year")
    assert caliphate[0].location == "Mosul"


def test_territory_history_is_background_with_a_coarse_date(nlp: Language) -> None:
    text = (
        "IS seized vast areas of Iraq and Syria in 2014, but multiple offensives in both countries "
        "have since cornered it in a pocket of territory stretching from Syria’s Deir az-Zour to "
        "the Iraqi towns of Rawa and Al-Qaim.\n\n"
        "Meanwhile, the government in Iraq said its troops had entered the town of al-Qaim and "
        "taken control of the nearby border post at Husaybah.\n"
    )
    entities = [
        ent(text, "IS", "ACTOR", "Islamic State"),
        place(text, "Iraq", "Iraq", 33.0, 44.0, "Iraq", 3),
        place(text, "Syria", "Syria", 35.0, 38.0, "Syria", 3),
        ent(text, "the government in Iraq", "ACTOR", "Government of Iraq"),
        ent(text, "its troops", "ACTOR", "Military Forces of Iraq"),
        place(text, "al-Qaim", "Al-Qaim", 34.37, 41.09, "Iraq", 1, occurrence=1),
        place(text, "Husaybah", "Husaybah", 34.40, 40.99, "Iraq", 1),
    ]
    events = run(nlp, text, dt.date(2017, 11, 4), entities)
    seized = by_type(events, "Non-state actor overtakes territory")
    assert len(seized) == 1
    assert seized[0].background is True
    assert (seized[0].event_date, seized[0].date_precision) == (dt.date(2014, 1, 1), "year")
    assert seized[0].actor1 == "Islamic State"
    regained = by_type(events, "Government regains territory")
    assert len(regained) == 1
    assert regained[0].actor1 == "Military Forces of Iraq"
    assert regained[0].background is False


# --- with the real resolvers, when they are in the tree -----------------------------------

def test_with_the_real_resolvers(nlp: Language) -> None:
    resolve = pytest.importorskip("opsroom.resolve")
    geo = pytest.importorskip("opsroom.geo")
    text = AIN_AL_ASAD
    doc = nlp(text)
    article = Article(id="ain", text=text, published=WEDNESDAY)
    actors, _ = resolve.ActorResolver(resolve.ActorKB.load()).resolve(doc, article.id)
    places = geo.PlaceResolver(geo.Gazetteer.load()).resolve(doc, article)
    events = extract_events(doc, article, actors + places)
    wed = [e for e in events if e.event_date == WEDNESDAY
           and e.sub_event_type == "Shelling/artillery/missile attack"]
    assert len(wed) == 1 and wed[0].quantity == 14 and wed[0].injuries == 2
    assert "Asad" in (wed[0].location or "")
    erbil = [e for e in events if e.event_date == dt.date(2021, 7, 6)]
    assert len(erbil) == 1 and "Erbil" in (erbil[0].location or "")


def test_undated_happening_takes_the_lead_date_at_week_precision(nlp: Language) -> None:
    text = (
        "Islamic State’s territory has been reduced to a rump of desert and a few small towns "
        "after it suffered defeats on both sides of the IraqSyria border yesterday.\n\n"
        "Meanwhile, the government in Iraq said its troops had entered the town of al-Qaim and "
        "taken control of the nearby border post at Husaybah.\n"
    )
    entities = [
        ent(text, "the government in Iraq", "ACTOR", "Government of Iraq"),
        place(text, "al-Qaim", "Al-Qaim", 34.37, 41.09, "Iraq", 1),
        place(text, "Husaybah", "Husaybah", 34.40, 40.99, "Iraq", 1),
    ]
    events = run(nlp, text, dt.date(2017, 11, 4), entities)
    assert len(events) == 1
    ev = events[0]
    assert ev.sub_event_type == "Government regains territory"
    # "its troops", said by the government: the government's forces, as military actors.
    assert ev.actor1 == "Military Forces of Iraq"
    assert (ev.event_date, ev.date_precision) == (dt.date(2017, 11, 3), "week")
    assert "lead" in (ev.date_reason or "")


def test_a_plan_in_one_paragraph_does_not_reach_into_the_next(nlp: Language) -> None:
    text = (
        "\"All campaigns will aim in that direction, and it is going to happen sooner rather than "
        "later.\"\n\n"
        "IS seized vast areas of Iraq and Syria in 2014, but multiple offensives in both countries "
        "have since cornered it in a pocket of territory.\n"
    )
    events = run(nlp, text, dt.date(2017, 10, 7), [ent(text, "IS", "ACTOR", "Islamic State")])
    assert [(e.sub_event_type, e.background) for e in events] == [
        ("Non-state actor overtakes territory", True)]
