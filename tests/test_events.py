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
    assert subs - reachable == set()  # every sub-type, "Other" too (a declared caliphate)
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
    # The side named as attacker denies it: the attacker is unidentified (ANNOTATION.md),
    # and the accusation stays a claim.
    assert ev.actor1 == "Unidentified Military Forces"
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
        (dt.date(2020, 3, 26), "day"), (dt.date(2020, 3, 19), "week")]  # mid-week
    # The side that takes the ground is actor1 when the text names it ("handing it over
    # fully to the Iraqi military"); a base the same side left with no receiver named goes
    # to the receiver of its other bases in the story.
    assert (transfers[0].actor1, transfers[0].actor2) == ("Military Forces of Iraq",
                                                          "U.S.-led Coalition")
    assert (transfers[1].actor1, transfers[1].actor2) == ("Military Forces of Iraq",
                                                          "U.S.-led Coalition")
    assert transfers[1].location == "Al-Qaim"
    # The declaration of a caliphate is coded Strategic developments / Other
    # (eval/ANNOTATION.md gold).
    caliphate = by_type(events, "Other")
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
    # Same action at two named sites on one day: two events (eval/ANNOTATION.md).
    regained = by_type(events, "Government regains territory")
    assert {e.location for e in regained} == {"Al-Qaim", "Husaybah"}
    assert all(e.actor1 == "Military Forces of Iraq" for e in regained)
    assert all(e.background is False for e in regained)


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
    # Entering al-Qaim and taking the Husaybah post: two sites, two events.
    assert {e.location for e in events} == {"Al-Qaim", "Husaybah"}
    for ev in events:
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


# --- general rules: each with a corpus sentence and an invented one of the same shape ----

def _one(events: list[Event], sub: str) -> Event:
    found = by_type(events, sub)
    assert len(found) == 1, [(e.sub_event_type, e.location) for e in events]
    return found[0]


@pytest.mark.parametrize("text,force,force_name,town,town_name,lat,lon,country", [
    ("The trip to Iraq comes as Iraqi security forces engage in fierce, house-to-house "
     "fighting to retake Mosul, Islamic State’s last major stronghold in Iraq.",
     "Iraqi security forces", "Military Forces of Iraq", "Mosul", "Mosul", 36.34, 43.12, "Iraq"),
    ("The talks open as Turkish troops fight street by street to capture Afrin.",
     "Turkish troops", "Military Forces of Turkey", "Afrin", "Afrin", 36.51, 36.87, "Syria"),
])
def test_present_tense_fighting_at_a_named_town_is_this_weeks_clash(
        nlp: Language, text: str, force: str, force_name: str, town: str, town_name: str,
        lat: float, lon: float, country: str) -> None:
    entities = [ent(text, force, "ACTOR", force_name),
                place(text, town, town_name, lat, lon, country, 1)]
    published = dt.date(2017, 4, 3)
    clash = _one(run(nlp, text, published, entities), "Armed clash")
    assert (clash.event_date, clash.date_precision) == (published, "week")
    assert clash.location == town_name  # the town its purpose clause names
    assert clash.actor1 == force_name
    assert clash.background is False


@pytest.mark.parametrize("text", [
    "Assisted by the coalition, the SDF is fighting Daesh on the eastern banks of the Euphrates.",
    "The rebels often fight government troops in the hills around Idlib.",
])
def test_present_tense_fighting_with_no_town_or_as_a_habit_is_not_coded(
        nlp: Language, text: str) -> None:
    entities = [place(text, "Euphrates", "Euphrates River", 35.0, 40.4, "Syria", 2)] \
        if "Euphrates" in text else [place(text, "Idlib", "Idlib", 35.93, 36.63, "Syria", 1)]
    assert by_type(run(nlp, text, dt.date(2017, 10, 28), entities), "Armed clash") == []


@pytest.mark.parametrize("text,region,region_name,lat,lon,decoy,decoy_name,dlat,dlon", [
    ("But west of Raqqa, the Syrian army put the group under more pressure, driving it from "
     "its last territory in Aleppo province, a Syrian military source said.",
     "Aleppo province", "Aleppo Governorate", 36.2, 37.6, "Raqqa", "Raqqa", 35.95, 39.01),
    ("North of Kirkuk, the Iraqi army kept up the pressure, pushing the militants out of "
     "their last villages in Salahuddin province.",
     "Salahuddin province", "Salahuddin Governorate", 34.5, 43.5, "Kirkuk", "Kirkuk", 35.47,
     44.39),
])
def test_place_in_the_triggers_own_phrase_beats_the_host_clause(
        nlp: Language, text: str, region: str, region_name: str, lat: float, lon: float,
        decoy: str, decoy_name: str, dlat: float, dlon: float) -> None:
    entities = [place(text, decoy, decoy_name, dlat, dlon, "Iraq", 2),
                place(text, region, region_name, lat, lon, "Iraq", 3)]
    ev = _one(run(nlp, text, dt.date(2017, 6, 30), entities), "Government regains territory")
    assert ev.location == region_name


@pytest.mark.parametrize("text,site,site_name,victims,victims_name", [
    ("In Syria, the U.S.-backed Syrian Democratic Forces said no damage was done by the drone "
     "attack on the Al Omar oil field in eastern Syria, an area bordering Iraq where U.S. forces "
     "came under rocket fire but escaped injury on June 28.",
     "Al Omar oil field", "Al-Omar Oil Field", "U.S. forces", "Military Forces of the United States"),
    ("Officials toured the Baiji refinery in northern Iraq, a site near Tikrit where Iraqi troops "
     "came under mortar fire on June 20.",
     "Baiji refinery", "Baiji Refinery", "Iraqi troops", "Military Forces of Iraq"),
])
def test_fire_told_in_a_relative_clause_of_place_is_at_that_site_and_history(
        nlp: Language, text: str, site: str, site_name: str, victims: str,
        victims_name: str) -> None:
    country = "Syria" if "Syria" in text else "Iraq"
    entities = [place(text, site, site_name, 35.0, 40.5, country, 1),
                place(text, country, country, 35.0, 38.0, country, 3,
                      occurrence=2 if country == "Syria" else 1),
                ent(text, victims, "ACTOR", victims_name)]
    if "Tikrit" in text:
        entities.append(place(text, "Tikrit", "Tikrit", 34.6, 43.68, "Iraq", 1))
    events = run(nlp, text, dt.date(2021, 7, 7), entities)
    fire = _one(events, "Shelling/artillery/missile attack")
    assert fire.location == site_name
    assert fire.actor2 == victims_name  # "X came under fire": X is the target
    assert fire.actor1 is not None and fire.actor1.startswith("Unidentified Armed Group")
    assert fire.background is True  # more than a week before publication


@pytest.mark.parametrize("text,site,site_name", [
    ("The SDF’s priority for now was to shore up its control over the Al-Omar oil field, "
     "Syria’s largest, which was captured from Daesh on Sunday, he said.",
     "Al-Omar oil field", "Al-Omar Oil Field"),
    ("The army’s aim was to hold the Baiji refinery, Iraq’s biggest, which was recaptured "
     "from the militants on Friday, he said.", "Baiji refinery", "Baiji Refinery"),
])
def test_relative_clause_hung_on_an_adjective_still_describes_its_noun(
        nlp: Language, text: str, site: str, site_name: str) -> None:
    entities = [place(text, site, site_name, 35.0, 40.5, "Syria", 1)]
    events = [e for e in run(nlp, text, dt.date(2017, 10, 28), entities)
              if e.event_type == "Battles"]
    assert len(events) == 1
    assert events[0].location == site_name
    assert events[0].event_date is not None and events[0].event_date.weekday() in (4, 6)


@pytest.mark.parametrize("text,published,expected", [
    ("Coalition troops left a base at al-Qaim on the Syrian border last week.",
     dt.date(2020, 3, 26), True),
    ("Iraqi forces seized the town of al-Qaim earlier this week.", dt.date(2020, 3, 26), False),
    ("IS seized the town of al-Qaim in 2014.", dt.date(2017, 10, 7), True),
    ("Iraqi forces recaptured al-Qaim this year.", dt.date(2017, 10, 7), True),
    ("Iraqi forces retook al-Qaim on March 2.", dt.date(2020, 3, 26), True),
    ("Iraqi forces recaptured al-Qaim on Monday.", dt.date(2020, 3, 26), False),
])
def test_background_follows_tense_and_distance_from_the_news_days(
        nlp: Language, text: str, published: dt.date, expected: bool) -> None:
    entities = [place(text, "al-Qaim", "Al-Qaim", 34.37, 41.09, "Iraq", 1)]
    for actor, name in (("Coalition", "U.S.-led Coalition"), ("Iraqi forces", "Military Forces of Iraq"),
                        ("Iraqi pro-government forces", "Military Forces of Iraq"),
                        ("IS", "Islamic State")):
        if actor in text and not (actor == "Iraqi forces" and "pro-government" in text):
            entities.append(ent(text, actor, "ACTOR", name))
    events = run(nlp, text, published, entities)
    assert len(events) == 1, events
    assert events[0].background is expected


@pytest.mark.parametrize("text", [
    "The group has lost more than 96 per cent of the territory it once held.",
    "The rebels have lost 40% of the land they held in Idlib.",
])
def test_a_share_of_ground_is_a_total_not_an_event(nlp: Language, text: str) -> None:
    assert run(nlp, text, dt.date(2017, 11, 5), []) == []


@pytest.mark.parametrize("text,town,town_name", [
    ("While IS militants have tried to hide among the thousands of people displaced by "
     "fighting, Croft said some 1,000 IS fighters were captured in Hawija.", "Hawija", "Hawija"),
    ("Thousands of families uprooted by fighting have reached camps, and 200 militants "
     "were captured in Tal Afar.", "Tal Afar", "Tal Afar"),
])
def test_people_displaced_by_fighting_and_captured_fighters_are_no_events_of_their_own(
        nlp: Language, text: str, town: str, town_name: str) -> None:
    entities = [place(text, town, town_name, 35.3, 43.8, "Iraq", 1)]
    events = run(nlp, text, dt.date(2017, 10, 7), entities)
    assert by_type(events, "Arrests") == []  # fighters taken in battle belong to the battle
    assert all("displaced" not in (e.sources[0].sentence if e.sources else "")
               or e.location == town_name for e in events)
    text2 = text + "\n\nIraqi forces recaptured " + town + " on Thursday."
    entities2 = entities + [place(text2, town, town_name, 35.3, 43.8, "Iraq", 1, occurrence=2),
                            ent(text2, "Iraqi forces", "ACTOR", "Military Forces of Iraq")]
    merged = run(nlp, text2, dt.date(2017, 10, 7), entities2)
    assert len(merged) == 1 and merged[0].sub_event_type == "Government regains territory"


@pytest.mark.parametrize("text,gainer,gainer_name,held", [
    ("Iraq launched an offensive on Thursday to capture the last Iraqi territory held by "
     "Daesh, the areas of Rawa and Al-Qaim.", "Iraq", "Military Forces of Iraq", "Daesh"),
    ("The army began an assault on Monday to retake the villages held by the Nusra Front near "
     "Hama.", "army", "Military Forces of Syria", "the Nusra Front"),
])
def test_a_clash_for_ground_is_against_the_side_holding_it(
        nlp: Language, text: str, gainer: str, gainer_name: str, held: str) -> None:
    held_name = "Islamic State" if held == "Daesh" else "Hayat Tahrir al-Sham"
    entities = [ent(text, gainer, "ACTOR", gainer_name), ent(text, held, "ACTOR", held_name)]
    clash = _one(run(nlp, text, dt.date(2017, 10, 28), entities), "Armed clash")
    assert (clash.actor1, clash.actor2) == (gainer_name, held_name)


@pytest.mark.parametrize("text", [
    "Meanwhile, the government in Iraq said its troops had entered the town of al-Qaim on "
    "Friday. Islamic State fighters fled as Islamic State lost its last towns.",
    "The army said its troops had entered the town of al-Qaim on Friday, Islamic State's "
    "last foothold, after Islamic State fighters fled.",
])
def test_ground_retaken_from_an_unnamed_side_is_taken_from_the_articles_armed_group(
        nlp: Language, text: str) -> None:
    entities = [place(text, "al-Qaim", "Al-Qaim", 34.37, 41.09, "Iraq", 1)]
    entities += [ent(text, "Islamic State", "ACTOR", "Islamic State", occurrence=n)
                 for n in range(1, text.count("Islamic State") + 1)]
    subject = "the government in Iraq" if "government in Iraq" in text else "The army"
    entities.append(ent(text, subject, "ACTOR",
                        "Government of Iraq" if "government" in subject else "Military Forces of Iraq"))
    ev = by_type(run(nlp, text, dt.date(2017, 11, 4), entities), "Government regains territory")
    assert ev and ev[0].actor1 == "Military Forces of Iraq"
    assert ev[0].actor2 == "Islamic State"


@pytest.mark.parametrize("text,claimant,claimant_name", [
    ("Major General Igor Konashenkov, a spokesman for the Russian Defence Ministry, said six "
     "Tu-22M bombers struck Isis targets near Boukamal.", "Russian Defence Ministry",
     "Military Forces of Russia"),
    ("A spokesman for the Turkish Defence Ministry said four warplanes struck PKK targets near "
     "Boukamal.", "Turkish Defence Ministry", "Military Forces of Turkey"),
])
def test_an_armed_force_reports_its_own_unnamed_aircraft(
        nlp: Language, text: str, claimant: str, claimant_name: str) -> None:
    entities = [ent(text, claimant, "ACTOR", claimant_name),
                place(text, "Boukamal", "Albu Kamal", 34.45, 40.92, "Syria", 2)]
    strike = _one(run(nlp, text, dt.date(2017, 11, 4), entities), "Air/drone strike")
    assert strike.actor1 == claimant_name


@pytest.mark.parametrize("text", [
    "Syrian state media said that aircraft had bombed an army position near Boukamal.",
    "State television said warplanes struck a market near Boukamal.",
])
def test_a_government_or_its_media_reporting_a_strike_is_not_the_attacker(
        nlp: Language, text: str) -> None:
    speaker = "Syrian state media" if "Syrian" in text else "State television"
    entities = [ent(text, speaker, "ACTOR", "Government of Syria"),
                place(text, "Boukamal", "Albu Kamal", 34.45, 40.92, "Syria", 2)]
    strike = _one(run(nlp, text, dt.date(2017, 11, 4), entities), "Air/drone strike")
    assert strike.actor1 != "Government of Syria"
    assert strike.actor1 != "Military Forces of Syria"


@pytest.mark.parametrize("text,place_span,place_name,platform", [
    ("Two Russian submarines in the Mediterranean Sea launched six cruise missiles at Isis "
     "targets near Boukamal.", "Mediterranean Sea", "Mediterranean Sea", "Russian submarines"),
    ("A warship in the Gulf fired missiles at rebel positions near Hodeidah.", "Gulf",
     "Persian Gulf", None),
])
def test_the_attackers_position_is_not_the_place_of_the_attack(
        nlp: Language, text: str, place_span: str, place_name: str, platform: str | None) -> None:
    target = "Boukamal" if "Boukamal" in text else "Hodeidah"
    entities = [place(text, place_span, place_name, 34.0, 20.0, "Syria", 3),
                place(text, target, target, 34.45, 40.92, "Syria", 2)]
    if platform:
        entities.append(ent(text, platform, "ACTOR", "Military Forces of Russia"))
    ev = _one(run(nlp, text, dt.date(2017, 11, 4), entities), "Shelling/artillery/missile attack")
    assert ev.location == target


@pytest.mark.parametrize("text", [
    "Qayyara air base, south of the city of Mosul where Islamic State declared its caliphate "
    "in 2014, was handed over to Iraqi forces.",
    "In 2006 the group proclaimed an emirate in Mosul.",
])
def test_a_declared_caliphate_is_other_and_history(nlp: Language, text: str) -> None:
    entities = [place(text, "Mosul", "Mosul", 36.34, 43.12, "Iraq", 1)]
    if "Islamic State" in text:
        entities.append(ent(text, "Islamic State", "ACTOR", "Islamic State"))
    ev = _one(run(nlp, text, dt.date(2020, 3, 26), entities), "Other")
    assert ev.background is True and ev.date_precision == "year"


@pytest.mark.parametrize("text,unit,unit_name,district,district_name", [
    ("Federal police advanced in the Wahda district, the military said on Wednesday.",
     "Federal police", "Police Forces of Iraq", "Wahda district", "Wahda (Mosul)"),
    ("Kurdish fighters pushed into the Sheikh Maqsoud neighbourhood on Friday.",
     "Kurdish fighters", "People's Protection Units", "Sheikh Maqsoud", "Sheikh Maqsoud"),
])
def test_advancing_into_a_named_district_is_a_clash(
        nlp: Language, text: str, unit: str, unit_name: str, district: str,
        district_name: str) -> None:
    entities = [ent(text, unit, "ACTOR", unit_name),
                place(text, district, district_name, 36.33, 43.15, "Iraq", 1)]
    clash = _one(run(nlp, text, dt.date(2017, 1, 4), entities), "Armed clash")
    assert clash.location == district_name and clash.actor1 == unit_name


def test_advancing_towards_a_place_is_movement_not_a_clash(nlp: Language) -> None:
    text = "Iraqi forces advanced towards Kurdish positions near Kirkuk on Monday."
    entities = [ent(text, "Iraqi forces", "ACTOR", "Military Forces of Iraq"),
                place(text, "Kirkuk", "Kirkuk", 35.47, 44.39, "Iraq", 1)]
    assert run(nlp, text, dt.date(2017, 10, 20), entities) == []


@pytest.mark.parametrize("text,site,site_name,country", [
    ("At least 14 rockets hit the Ain al-Asad air base on Wednesday, as Kurdish-led forces in "
     "Syria said they thwarted a drone attack near the Al-Omar oil field.",
     "Al-Omar oil field", "Al-Omar Oil Field", "Syria"),
    ("Iraqi troops said they shot down a drone near Baiji on Sunday.", "Baiji", "Baiji", "Iraq"),
])
def test_a_stopped_weapon_belongs_to_an_unidentified_side(
        nlp: Language, text: str, site: str, site_name: str, country: str) -> None:
    entities = [place(text, site, site_name, 35.0, 40.5, country, 1)]
    if "Kurdish-led forces" in text:
        entities.append(ent(text, "Kurdish-led forces", "ACTOR", "Syrian Democratic Forces"))
    else:
        entities.append(ent(text, "Iraqi troops", "ACTOR", "Military Forces of Iraq"))
    ev = _one(run(nlp, text, dt.date(2021, 7, 7), entities), "Disrupted weapons use")
    assert ev.actor2 == f"Unidentified Armed Group ({country})"


@pytest.mark.parametrize("text", [
    "Syrian state media said on Monday that U.S.-led coalition aircraft had bombed a Syrian "
    "army position near Albu Kamal, but the U.S. military denied it was responsible.",
    "Rebels said Russian jets had bombed a hospital near Albu Kamal on Monday, but the Russian "
    "military denied it was responsible.",
])
def test_an_attacker_disowned_by_its_own_side_is_unidentified(nlp: Language, text: str) -> None:
    if "U.S." in text:
        entities = [ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
                    ent(text, "the U.S. military", "ACTOR", "Military Forces of the United States")]
    else:
        entities = [ent(text, "Russian jets", "ACTOR", "Military Forces of Russia"),
                    ent(text, "the Russian military", "ACTOR", "Military Forces of Russia")]
    entities.append(place(text, "Albu Kamal", "Albu Kamal", 34.45, 40.92, "Syria", 2))
    ev = _one(run(nlp, text, dt.date(2018, 6, 18), entities), "Air/drone strike")
    assert ev.actor1 == "Unidentified Military Forces"
    assert any(s.stance == "denies" for s in ev.sources)


@pytest.mark.parametrize("text", [
    "The trip comes as Iraqi forces fight in Mosul, the city where leader Abu Bakr "
    "al-Baghdadi declared a caliphate nearly three years ago.",
    "Talks open as rebels fight in Daraa, the city where protesters first marched six years ago.",
])
def test_a_date_in_a_relative_clause_dates_only_that_clause(nlp: Language, text: str) -> None:
    town = "Mosul" if "Mosul" in text else "Daraa"
    entities = [place(text, town, town, 36.0, 40.0, "Iraq", 1)]
    published = dt.date(2017, 4, 3)
    clash = _one(run(nlp, text, published, entities), "Armed clash")
    assert clash.event_date == published and clash.background is False


@pytest.mark.parametrize("text,first,second", [
    ("Elite interior ministry troops were clearing the Mithaq district on Wednesday, after "
     "entering it on Tuesday when counterterrorism forces also retook an industrial zone.",
     dt.date(2017, 1, 4), dt.date(2017, 1, 3)),
    ("Kurdish fighters were clearing the Karama district on Wednesday, after storming it on "
     "Monday.", dt.date(2017, 1, 4), dt.date(2017, 1, 2)),
])
def test_a_verb_with_its_own_day_is_its_own_event_and_progressive_ground_is_fighting(
        nlp: Language, text: str, first: dt.date, second: dt.date) -> None:
    district = "Mithaq district" if "Mithaq" in text else "Karama district"
    entities = [place(text, district, district.split()[0], 36.33, 43.17, "Iraq", 1)]
    events = run(nlp, text, dt.date(2017, 1, 4), entities)
    # "were clearing": the operation in progress is fighting, the ground not yet taken.
    clearing = _one([e for e in events if e.event_date == first], "Armed clash")
    assert clearing.location == district.split()[0]
    earlier = [e for e in events if e.event_date == second]
    assert earlier, [(e.sub_event_type, e.event_date) for e in events]


@pytest.mark.parametrize("text", [
    "Elite troops cleared the Mithaq district after counterterrorism forces also retook an "
    "industrial zone on Tuesday.",
    "The army said its soldiers overran the airfield on Sunday.",
])
def test_irregular_past_forms_misread_as_present_are_past(nlp: Language, text: str) -> None:
    entities = [place(text, "Mithaq district" if "Mithaq" in text else "airfield",
                      "Mithaq", 36.33, 43.17, "Iraq", 1)]
    events = run(nlp, text, dt.date(2017, 1, 4), entities)
    assert any(e.event_type == "Battles" and e.event_date is not None for e in events)


@pytest.mark.parametrize("text,agent,agent_name", [
    ("People from the besieged west are increasingly attempting to escape, scaling bridges "
     "bombed by the coalition and crossing the Tigris by boat.", "coalition", "U.S.-led Coalition"),
    ("Families returned to homes shelled by the army and found nothing left.", "army",
     "Military Forces of Iraq"),
])
def test_an_attack_told_as_a_participle_is_history_with_its_agent(
        nlp: Language, text: str, agent: str, agent_name: str) -> None:
    entities = [ent(text, agent, "ACTOR", agent_name)]
    events = run(nlp, text, dt.date(2017, 1, 4), entities)
    assert len(events) == 1
    assert events[0].actor1 == agent_name
    assert events[0].background is True
    assert events[0].event_date is None  # no date is invented for it


@pytest.mark.parametrize("text", [
    "“A Daesh anti-aircraft weapon was opening fire on helicopters near Mosul on Wednesday. "
    "They were hit by planes near Mosul on Wednesday.”",
    "Warplanes struck a convoy near Mosul on Wednesday.",
])
def test_an_unclaimed_air_strike_is_by_unidentified_military_forces(
        nlp: Language, text: str) -> None:
    entities = [place(text, "Mosul", "Mosul", 36.34, 43.12, "Iraq", 2, occurrence=n)
                for n in range(1, text.count("Mosul") + 1)]
    strikes = by_type(run(nlp, text, dt.date(2017, 1, 4), entities), "Air/drone strike")
    assert strikes and all(e.actor1 == "Unidentified Military Forces" for e in strikes)


@pytest.mark.parametrize("text,a,b", [
    ("Federal police advanced in the Wahda district on Wednesday. Elite troops were clearing "
     "the Mithaq district on Wednesday.", "Wahda district", "Mithaq district"),
    ("Rebels pushed into the Karama district on Monday. Other rebels fought in the Salam "
     "district on Monday.", "Karama district", "Salam district"),
])
def test_same_day_fighting_at_two_named_districts_is_two_events(
        nlp: Language, text: str, a: str, b: str) -> None:
    entities = [place(text, a, a.split()[0], 36.33, 43.15, "Iraq", 1),
                place(text, b, b.split()[0], 36.34, 43.18, "Iraq", 1)]
    events = run(nlp, text, dt.date(2017, 1, 4), entities)
    assert {e.location for e in events} == {a.split()[0], b.split()[0]}


@pytest.mark.parametrize("text,published,day", [
    ("After quick initial advances, the operation stalled for several weeks but last Thursday "
     "Iraqi forces renewed their push from Mosul’s east towards the Tigris River.",
     dt.date(2017, 1, 4), dt.date(2016, 12, 29)),
    ("On Monday the army began its advance on Tal Afar.", dt.date(2017, 8, 23),
     dt.date(2017, 8, 21)),
])
def test_a_renewed_push_or_advance_is_a_clash(nlp: Language, text: str, published: dt.date,
                                              day: dt.date) -> None:
    town = "Mosul" if "Mosul" in text else "Tal Afar"
    actor = "Iraqi forces" if "Iraqi forces" in text else "army"
    entities = [place(text, town, town, 36.34, 43.12, "Iraq", 1),
                ent(text, actor, "ACTOR", "Military Forces of Iraq")]
    clash = _one(run(nlp, text, published, entities), "Armed clash")
    assert clash.event_date == day and clash.actor1 == "Military Forces of Iraq"


@pytest.mark.parametrize("text,first,second", [
    ("The group has lost most of its land, including Iraq’s second-largest city of Mosul, which "
     "it lost in July, and Raqqa, the group’s one-time de facto capital in northern Syria, "
     "which it lost last month.", "Mosul", "Raqqa"),
    ("The rebels have given up the town of Qusayr, which they lost in June, and Yabroud, their "
     "last stronghold, which they lost last month.", "Qusayr", "Yabroud"),
])
def test_each_relative_clause_takes_the_place_it_describes(
        nlp: Language, text: str, first: str, second: str) -> None:
    entities = [place(text, first, first, 36.34, 43.12, "Iraq", 1),
                place(text, second, second, 35.95, 39.01, "Syria", 1)]
    events = [e for e in run(nlp, text, dt.date(2017, 11, 5), entities)
              if e.event_type == "Battles"]
    assert sorted((e.location, e.date_precision) for e in events) == [
        (first, "month"), (second, "month")]
    assert all(e.background for e in events)


@pytest.mark.parametrize("text", [
    "After quick initial advances, the operation stalled but last Thursday Iraqi forces renewed "
    "their push towards the river. Federal police advanced in the Wahda district, the military "
    "said on Wednesday.",
    "Last Friday the rebels resumed their drive on the city. Kurdish fighters advanced in the "
    "Karama district, the group said on Wednesday.",
])
def test_a_report_of_another_day_does_not_fold_into_an_earlier_push(
        nlp: Language, text: str) -> None:
    district = "Wahda district" if "Wahda" in text else "Karama district"
    entities = [place(text, district, district.split()[0], 36.33, 43.15, "Iraq", 1)]
    for span, name in (("Iraqi forces", "Military Forces of Iraq"),
                       ("Federal police", "Police Forces of Iraq"),
                       ("Kurdish fighters", "People's Protection Units")):
        if span in text:
            entities.append(ent(text, span, "ACTOR", name))
    events = run(nlp, text, dt.date(2017, 1, 4), entities)
    advance = [e for e in events if e.location == district.split()[0]]
    assert len(advance) == 1 and advance[0].event_date == dt.date(2017, 1, 4)


@pytest.mark.parametrize("text,attacker,attacker_name,target,target_name", [
    ("The U.S.-led coalition and its local allies in Syria struck pro-government forces with "
     "deadly air and artillery fire overnight to repel “an unprovoked attack”, the coalition "
     "said on Thursday.", "U.S.-led coalition", "U.S.-led Coalition", "pro-government forces",
     "Pro-Government Forces (Syria)"),
    ("Turkish jets and guns pounded Kurdish fighters overnight to repulse an assault on a border "
     "post, the army said on Thursday.", "Turkish jets", "Military Forces of Turkey",
     "Kurdish fighters", "People's Protection Units"),
])
def test_a_strike_made_to_repel_an_attack_is_a_clash(
        nlp: Language, text: str, attacker: str, attacker_name: str, target: str,
        target_name: str) -> None:
    entities = [ent(text, attacker, "ACTOR", attacker_name), ent(text, target, "ACTOR", target_name)]
    clash = _one(run(nlp, text, dt.date(2018, 2, 8), entities), "Armed clash")
    assert {clash.actor1, clash.actor2} == {attacker_name, target_name}
    assert clash.event_date == dt.date(2018, 2, 7)


@pytest.mark.parametrize("text,town,country,loser,loser_name", [
    ("Successive defeats this year have dealt a huge blow to the Islamic State group, which "
     "lost its Iraqi 'capital' of Mosul in July.", "Mosul", "Iraq", "the Islamic State group",
     "Islamic State"),
    ("The rebels of the Nusra Front lost the town of Qusayr in June.", "Qusayr", "Syria",
     "the Nusra Front", "Hayat Tahrir al-Sham"),
])
def test_ground_lost_by_an_armed_group_is_regained_by_the_forces_of_its_country(
        nlp: Language, text: str, town: str, country: str, loser: str, loser_name: str) -> None:
    entities = [place(text, town, town, 35.0, 40.0, country, 1),
                ent(text, loser, "ACTOR", loser_name)]
    ev = _one(run(nlp, text, dt.date(2017, 10, 7), entities), "Government regains territory")
    assert ev.actor1 == f"Military Forces of {country}"
    assert ev.actor2 == loser_name
    assert ev.background is True


@pytest.mark.parametrize("text,force,force_name", [
    ("Federal police advanced in the Wahda district, the military said on Wednesday. Islamic "
     "State fighters have held the east of Mosul since 2014.", "Federal police",
     "Police Forces of Iraq"),
    ("Syrian troops fought in the Karama district on Wednesday. Islamic State still holds the "
     "desert to the east.", "Syrian troops", "Military Forces of Syria"),
])
def test_state_forces_fighting_an_unnamed_side_fight_the_articles_armed_group(
        nlp: Language, text: str, force: str, force_name: str) -> None:
    district = "Wahda district" if "Wahda" in text else "Karama district"
    entities = [ent(text, force, "ACTOR", force_name),
                place(text, district, district.split()[0], 36.33, 43.15, "Iraq", 1),
                ent(text, "Islamic State", "ACTOR", "Islamic State")]
    clash = _one(run(nlp, text, dt.date(2017, 1, 4), entities), "Armed clash")
    assert (clash.actor1, clash.actor2) == (force_name, "Islamic State")


@pytest.mark.parametrize("text", [
    KHUSHAM + "\nThe coalition said in an email the pro-government forces had initiated "
    "hostilities with artillery fire, tank maneuvers and mortar fire.\n",
    "Kurdish fighters and Turkish troops clashed near the border overnight, the army said on "
    "Thursday.\n\nThe army said the Kurdish fighters had opened the fighting with mortar fire.\n",
])
def test_one_side_retelling_the_fight_with_other_weapons_is_the_same_event(
        nlp: Language, text: str) -> None:
    if "KHUSHAM" in text or "coalition" in text:
        entities = [
            ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
            ent(text, "pro-government forces", "ACTOR", "Pro-Government Forces (Syria)"),
            ent(text, "coalition", "ACTOR", "U.S.-led Coalition", occurrence=4),
            ent(text, "pro-government forces", "ACTOR", "Pro-Government Forces (Syria)",
                occurrence=2),
            ent(text, "pro-government forces", "ACTOR", "Pro-Government Forces (Syria)",
                occurrence=4),
        ]
    else:
        entities = [ent(text, "Kurdish fighters", "ACTOR", "People's Protection Units"),
                    ent(text, "Turkish troops", "ACTOR", "Military Forces of Turkey"),
                    ent(text, "Kurdish fighters", "ACTOR", "People's Protection Units",
                        occurrence=2)]
    events = run(nlp, text, dt.date(2018, 2, 8), entities)
    assert len(events) == 1, [(e.sub_event_type, e.sources[0].sentence[:40]) for e in events]
    assert events[0].sub_event_type == "Armed clash"


@pytest.mark.parametrize("text", [
    "A convoy of Islamic State fighters turned back after U.S.-led air strikes on Wednesday "
    "near Sukhna, the coalition said on Thursday. It also struck fighters on their way to meet "
    "the convoy.",
    "Russian jets bombed rebel positions near Sukhna on Wednesday, the ministry said. They also "
    "hit a weapons depot.",
])
def test_a_pronoun_report_with_no_place_or_date_retells_the_event(nlp: Language, text: str) -> None:
    entities = [place(text, "Sukhna", "Sukhna", 34.89, 38.87, "Syria", 2)]
    if "coalition" in text:
        entities.append(ent(text, "U.S.-led", "ACTOR", "U.S.-led Coalition"))
    else:
        entities.append(ent(text, "Russian jets", "ACTOR", "Military Forces of Russia"))
    events = run(nlp, text, dt.date(2017, 8, 31), entities)
    assert len(events) == 1 and events[0].event_date == dt.date(2017, 8, 30)


@pytest.mark.parametrize("text", [
    "Iraqi armed forces have made swift work of clearing pockets of Isis territory after Mosul "
    "fell in July.",
    "Syrian troops have been busy clearing villages of militants since the city fell in May.",
])
def test_a_gerund_under_a_present_perfect_with_a_date_of_another_clause_is_no_event(
        nlp: Language, text: str) -> None:
    entities = [ent(text, "Iraqi armed forces" if "Iraqi" in text else "Syrian troops", "ACTOR",
                    "Military Forces of Iraq" if "Iraqi" in text else "Military Forces of Syria")]
    if "Mosul" in text:
        entities.append(place(text, "Mosul", "Mosul", 36.34, 43.12, "Iraq", 1))
    events = run(nlp, text, dt.date(2017, 11, 5), entities)
    assert [e for e in events if e.event_date is not None and e.event_date.month != 7
            and e.event_date.month != 5] == []
    assert all("clearing" not in (e.date_reason or "") for e in events)


@pytest.mark.parametrize("text,agent,agent_name", [
    ("The coalition said in an email the pro-government forces had initiated hostilities with "
     "artillery fire after a steady buildup of forces over the past week, near Khusham.",
     "pro-government forces", "Pro-Government Forces (Syria)"),
    ("The army said the rebels had begun hostilities with mortar fire after a month of "
     "preparations in late May, near Khusham.", "rebels", "Hayat Tahrir al-Sham"),
])
def test_the_wielder_of_fire_and_a_date_that_dates_another_thing(
        nlp: Language, text: str, agent: str, agent_name: str) -> None:
    entities = [ent(text, agent, "ACTOR", agent_name),
                place(text, "Khusham", "Khusham", 35.3, 40.3, "Syria", 2)]
    events = [e for e in run(nlp, text, dt.date(2018, 2, 8), entities)
              if e.event_type == "Explosions/Remote violence"]
    assert len(events) == 1
    assert events[0].actor1 == agent_name  # "… with artillery fire": the subject fires
    # The buildup's week (or the preparations' month) is not the attack's date.
    assert events[0].date_precision != "month"
    assert events[0].event_date != dt.date(2018, 2, 2)


# --- the taker of ground held in the main clause, the dateline's site ------------------

#: (sentence, holder, its name, the place, the place's name, the loser, its name, date)
#: The first is the corpus's (Daesh shores up …); the second has the same shape, invented.
RELATIVE_GAINS = [
    ("The SDF’s priority for now was to shore up its control over the Al-Omar oil field, "
     "Syria’s largest, which was captured from Daesh on Sunday, he said.",
     "SDF", "Syrian Democratic Forces", "Al-Omar oil field", "Al-Omar Oil Field",
     "Daesh", dt.date(2017, 10, 22), "Non-state actor overtakes territory"),
    ("The Iraqi army’s aim now was to consolidate its hold on the town of Rawa, which was "
     "seized from Islamic State on Monday, an officer said.",
     "Iraqi army", "Military Forces of Iraq", "Rawa", "Rawa",
     "Islamic State", dt.date(2017, 10, 23), "Government regains territory"),
]


@pytest.mark.parametrize("text,holder,holder_name,site,site_name,loser,day,sub", RELATIVE_GAINS)
def test_side_holding_a_place_took_it_in_the_relative_clause(
        nlp: Language, text: str, holder: str, holder_name: str, site: str, site_name: str,
        loser: str, day: dt.date, sub: str) -> None:
    entities = [
        ent(text, holder, "ACTOR", holder_name),
        # Rawa is in Iraq: its army there regains ground (abroad it would overtake it).
        place(text, site, site_name, 35.0, 40.5, "Syria" if holder == "SDF" else "Iraq", 1),
        ent(text, loser, "ACTOR", "Islamic State"),
    ]
    events = run(nlp, text, dt.date(2017, 10, 28), entities)
    gains = by_type(events, sub)
    assert len(gains) == 1
    assert (gains[0].actor1, gains[0].actor2) == (holder_name, "Islamic State")
    assert gains[0].location == site_name and gains[0].event_date == day


def test_relative_gain_without_a_holder_names_no_taker(nlp: Language) -> None:
    # Nobody holds the place in the main clause: the taker stays unnamed, not guessed.
    text = ("Reporters visited the Al-Omar oil field, which was captured from Daesh on Sunday, "
            "the SDF said.")
    entities = [place(text, "Al-Omar oil field", "Al-Omar Oil Field", 35.0, 40.5, "Syria", 1),
                ent(text, "Daesh", "ACTOR", "Islamic State"),
                ent(text, "SDF", "ACTOR", "Syrian Democratic Forces")]
    gains = [e for e in run(nlp, text, dt.date(2017, 10, 28), entities)
             if e.event_type == "Battles"]
    assert gains and all(e.actor1 is None for e in gains)


def _dateline_entity(text: str, name: str, feature: str, lat: float, lon: float) -> Entity:
    return Entity(text=text, start=0, end=0, label="PLACE", id=name, name=name, latitude=lat,
                  longitude=lon, country="Iraq", geo_precision=1, feature=feature)


#: (lead, the dateline's site, its kind, coordinates, precision expected).  The first is the
#: corpus's (U.S.-led forces depart …); the second has the same shape, invented.
DATELINE_LEADS = [
    ("Troops with the U.S.-led coalition fighting Islamic State began departing an air base in "
     "northern Iraq on Thursday, handing it over fully to the Iraqi military as part of a "
     "reduction of foreign forces in the country.",
     ("Qayyara West Airfield, Iraq", "Qayyarah Airfield West", "base", 35.767, 43.125), 1),
    ("Islamic State militants attacked an army checkpoint in western Iraq on Thursday, killing "
     "three soldiers, police said.",
     ("Rawa, Iraq", "Rawa", "town", 34.47, 41.91), 2),
]


@pytest.mark.parametrize("text,site,precision", DATELINE_LEADS)
def test_lead_placed_only_in_a_country_takes_the_dateline_site(
        nlp: Language, text: str, site: tuple[str, str, str, float, float],
        precision: int) -> None:
    dl_text, name, feature, lat, lon = site
    entities = [ent(text, "Iraq", "PLACE", "Iraq", latitude=33.0, longitude=44.0,
                    country="Iraq", geo_precision=3, feature="country")]
    for span, actor in (("U.S.-led coalition", "U.S.-led Coalition"),
                        ("Iraqi military", "Military Forces of Iraq"),
                        ("Islamic State", "Islamic State"), ("army", "Military Forces of Iraq")):
        if span in text:
            entities.append(ent(text, span, "ACTOR", actor))
    entities.sort(key=lambda e: e.start)
    article = Article(id="a1", text=text, published=dt.date(2020, 3, 26), dateline=dl_text)
    dateline = _dateline_entity(dl_text, name, feature, lat, lon)
    events = extract_events(nlp(text), article, entities, dateline=dateline)
    assert events
    assert events[0].location == name and events[0].geo_precision == precision
    # Without a dateline site the lead stays at country level.
    plain = extract_events(nlp(text), article, entities)
    assert plain[0].location == "Iraq"


def test_dateline_site_does_not_move_a_lead_placed_at_a_site(nlp: Language) -> None:
    text = "Rockets hit the Ain al-Asad air base in western Iraq on Wednesday, the coalition said."
    entities = [place(text, "Ain al-Asad air base", "Ain al-Asad Air Base", 33.8, 42.44, "Iraq", 1),
                ent(text, "Iraq", "PLACE", "Iraq", latitude=33.0, longitude=44.0,
                    country="Iraq", geo_precision=3, feature="country"),
                ent(text, "coalition", "ACTOR", "U.S.-led Coalition")]
    article = Article(id="a1", text=text, published=dt.date(2021, 7, 7), dateline="Rawa, Iraq")
    events = extract_events(nlp(text), article, entities,
                            dateline=_dateline_entity("Rawa, Iraq", "Rawa", "town", 34.47, 41.91))
    assert events[0].location == "Ain al-Asad Air Base"


def test_base_left_without_a_receiver_goes_to_the_sides_receiver(nlp: Language) -> None:
    # Invented, the shape of the corpus's drawdown story (see the Qayyara test above).
    text = ("Turkish troops handed over an outpost near Tal Afar to the Iraqi army on Monday.\n\n"
            "Turkish troops also left a post at Sinjar last week.\n")
    entities = [
        ent(text, "Turkish troops", "ACTOR", "Military Forces of Turkey"),
        place(text, "Tal Afar", "Tal Afar", 36.37, 42.45, "Iraq", 1),
        ent(text, "Iraqi army", "ACTOR", "Military Forces of Iraq"),
        ent(text, "Turkish troops", "ACTOR", "Military Forces of Turkey", occurrence=2),
        place(text, "Sinjar", "Sinjar", 36.32, 41.87, "Iraq", 1),
    ]
    transfers = by_type(run(nlp, text, dt.date(2020, 3, 26), entities),
                        "Non-violent transfer of territory")
    assert [(e.actor1, e.actor2) for e in transfers] == [
        ("Military Forces of Iraq", "Military Forces of Turkey")] * 2


# --- the event's own phrases, unnamed state forces, strike reports ------------------------

def test_a_place_hung_on_the_weapon_phrase_is_the_events(nlp: Language) -> None:
    """"killed dozens with bombs in Kirkuk": the parser hangs the place on the weapon; the
    weapon's phrase is the event's own, not a companion's."""
    text = "Insurgents killed dozens with bombs in Kirkuk on Monday."
    events = run(nlp, text, dt.date(2017, 1, 3),
                 [place(text, "Kirkuk", "Kirkuk", 35.47, 44.39, "Iraq", 1)])
    (event,) = events
    assert event.event_type == "Explosions/Remote violence"
    assert event.location == "Kirkuk" and event.fatalities == 12  # CB: "dozens" is 12


def test_the_opponent_phrase_of_a_clash_places_it(nlp: Language) -> None:
    """"clashed with rebels near Idlib": the place on the opponent is the clash's; the
    government troops nobody names are the forces of the country it happened in."""
    text = "Government troops clashed with rebels near Idlib on Monday."
    events = run(nlp, text, dt.date(2017, 1, 3),
                 [place(text, "Idlib", "Idlib", 35.93, 36.63, "Syria", 1)])
    clash = _one(events, "Armed clash")
    assert clash.location == "Idlib" and clash.geo_precision == 2  # "near": precision 2
    assert clash.actor1 == "Military Forces of Syria"


@pytest.mark.parametrize("text,town,actor2", [
    ("A roadside bomb killed three soldiers near Hawija on Monday.", "Hawija",
     "Military Forces of Iraq"),
    ("Militants ambushed a police patrol in Baquba on Monday, killing two policemen.",
     "Baquba", "Police Forces of Iraq"),
])
def test_unnamed_soldiers_and_police_are_the_countrys_forces(
        nlp: Language, text: str, town: str, actor2: str) -> None:
    """CB: the soldiers or police of a country that nobody names are coded as its forces."""
    events = run(nlp, text, dt.date(2017, 1, 3),
                 [place(text, town, town, 35.5, 44.0, "Iraq", 1)])
    assert [e.actor2 for e in events] == [actor2]


STRIKE_REPORT = (
    "In Syria, coalition military forces conducted 12 strikes against ISIS targets "
    "yesterday:\n\n"
    "Near Shaddadi, a strike destroyed an ISIS oil wellhead.\n\n"
    "Near Raqqah, three strikes engaged an ISIS tactical unit and destroyed a vehicle and "
    "two fighting positions.\n\n"
    "Near Tabqah, six strikes engaged five ISIS tactical units, destroyed two vehicle bombs "
    "and suppressed a mortar team.")


def test_a_strike_report_gives_every_strike_to_the_side_that_reports_them(
        nlp: Language) -> None:
    """The list items of a military strike report name no striker: the lead does.  What a
    strike destroyed ("fighting positions", "vehicle bombs") is its target, no event."""
    text = STRIKE_REPORT
    entities = [ent(text, "coalition military forces", "ACTOR", "U.S.-led Coalition"),
                place(text, "Syria", "Syria", 35.0, 38.0, "Syria", 3),
                place(text, "Shaddadi", "Ash Shaddadah", 36.06, 40.73, "Syria", 1),
                place(text, "Raqqah", "Ar Raqqah", 35.95, 39.01, "Syria", 1),
                place(text, "Tabqah", "At Tabqah", 35.84, 38.55, "Syria", 1)]
    events = run(nlp, text, dt.date(2017, 3, 3), entities)
    assert {e.sub_event_type for e in events} == {"Air/drone strike"}
    assert {e.location for e in events} >= {"Ar Raqqah", "At Tabqah"}
    assert {e.actor1 for e in events} == {"U.S.-led Coalition"}
    assert {e.event_date for e in events} == {dt.date(2017, 3, 2)}


def test_strikes_of_two_air_forces_are_not_given_to_either(nlp: Language) -> None:
    """With Russian jets and the coalition both striking in one article, an unclaimed
    strike stays unidentified."""
    text = ("Russian jets struck Idlib on Monday. Coalition aircraft bombed Raqqa on Monday. "
            "Another air strike hit Tabqa on Monday.")
    entities = [ent(text, "Russian jets", "ACTOR", "Military Forces of Russia"),
                ent(text, "Coalition aircraft", "ACTOR", "U.S.-led Coalition"),
                place(text, "Idlib", "Idlib", 35.93, 36.63, "Syria", 1),
                place(text, "Raqqa", "Ar Raqqah", 35.95, 39.01, "Syria", 1),
                place(text, "Tabqa", "At Tabqah", 35.84, 38.55, "Syria", 1)]
    events = run(nlp, text, dt.date(2017, 3, 3), entities)
    tabqa = [e for e in events if e.location == "At Tabqah"]
    assert [e.actor1 for e in tabqa] == ["Unidentified Military Forces"]


def test_strikes_carried_out_on_a_day_are_one_happening(nlp: Language) -> None:
    """A plural object of a light verb, dated where it is told, is one event; regime
    warplanes nobody names are the country's forces.  The habit stays no event."""
    text = "On 8 May 2017, regime warplanes carried out airstrikes on Khan Shaykhun."
    entities = [place(text, "Khan Shaykhun", "Khan Shaykhun", 35.44, 36.65, "Syria", 1)]
    (strike,) = run(nlp, text, None, entities)
    assert strike.sub_event_type == "Air/drone strike"
    assert strike.actor1 == "Military Forces of Syria"
    assert strike.event_date == dt.date(2017, 5, 8)
    habit = "The air force carries out airstrikes on rebel areas."
    assert run(nlp, habit, dt.date(2017, 5, 9), []) == []


def test_the_sides_of_fighting_between_two_forces(nlp: Language) -> None:
    """"clashes took place / fighting broke out between X and Y in Z": X and Y are the
    sides, Z the place; unnamed government troops are the country's forces."""
    text = "On 14 October 2016, clashes took place between the Peshmerga and IS near Bashiqa."
    entities = [ent(text, "Peshmerga", "ACTOR", "Peshmerga"),
                ent(text, "IS", "ACTOR", "Islamic State"),
                place(text, "Bashiqa", "Bashiqa", 36.45, 43.35, "Iraq", 1)]
    clash = _one(run(nlp, text, None, entities), "Armed clash")
    assert (clash.actor1, clash.actor2, clash.location) == ("Peshmerga", "Islamic State",
                                                            "Bashiqa")
    text = "Heavy fighting broke out between Houthi forces and government troops in Taiz."
    entities = [ent(text, "Houthi forces", "ACTOR", "Houthi Movement"),
                place(text, "Taiz", "Taiz", 13.58, 44.02, "Yemen", 1)]
    clash = _one(run(nlp, text, dt.date(2019, 3, 2), entities), "Armed clash")
    assert (clash.actor1, clash.actor2, clash.location) == (
        "Houthi Movement", "Military Forces of Yemen", "Taiz")


def test_is_read_as_a_verb_still_names_the_attacker(nlp: Language) -> None:
    """"IS militants attacked SDF positions": the tagger reads "IS" as "is" and the verb as
    a participle; the group it swallowed is still the attacker."""
    text = "On 12 April 2017, IS militants attacked SDF positions in Al Kasrah."
    entities = [ent(text, "IS", "ACTOR", "Islamic State"),
                ent(text, "SDF", "ACTOR", "Syrian Democratic Forces"),
                place(text, "Al Kasrah", "Al Kasrah", 35.6, 40.3, "Syria", 1)]
    clash = _one(run(nlp, text, None, entities), "Armed clash")
    assert (clash.actor1, clash.actor2) == ("Islamic State", "Syrian Democratic Forces")


def test_a_town_inside_the_province_beside_it_is_the_place(nlp: Language) -> None:
    """CB: the most specific place named.  The parser hangs "in Deir ez-Zor province" on the
    verb and "in al-Kasra town" on the object; the town inside that province wins."""
    text = "On 12 April 2017, IS militants attacked SDF positions in Al Kasrah town in Deir ez-Zor province."
    entities = [ent(text, "IS", "ACTOR", "Islamic State"),
                ent(text, "SDF", "ACTOR", "Syrian Democratic Forces"),
                place(text, "Al Kasrah", "Al Kasrah", 35.6, 40.3, "Syria", 1,
                      admin1="Deir ez-Zor"),
                place(text, "Deir ez-Zor province", "Deir ez-Zor", 35.1, 40.3, "Syria", 3,
                      admin1="Deir ez-Zor")]
    clash = _one(run(nlp, text, None, entities), "Armed clash")
    assert clash.location == "Al Kasrah"



@pytest.mark.parametrize(("text", "expected"), [
    # The fall of a town "to" a side, the "to" hung wherever the parser put it.
    ("Officials spoke a year after the fall of Mosul to Daesh.",
     ("Non-state actor overtakes territory", "Islamic State", "Mosul")),
    # A claim of a named town is news told in the present tense, not a habit.
    ("The Iraqi army now claims full control of Fallujah.",
     ("Government regains territory", "Military Forces of Iraq", "Fallujah")),
])
def test_ground_told_in_a_statement_s_idiom(nlp: Language, text: str,
                                            expected: tuple[str, str, str]) -> None:
    town = expected[2]
    entities = [place(text, town, town, 33.0, 43.0, "Iraq", 1)]
    if "Daesh" in text:
        entities.append(ent(text, "Daesh", "ACTOR", "Islamic State"))
    if "Iraqi army" in text:
        entities.append(ent(text, "Iraqi army", "ACTOR", "Military Forces of Iraq"))
    # The rules' reading: a one-sentence input would also ask the classifier, which reads
    # a statement's recollection as no event of the day.
    events = extract_events(nlp(text), Article(id="a1", text=text, published=dt.date(2016, 6, 1)),
                            entities, classifier=False)
    assert [(e.sub_event_type, e.actor1, e.location) for e in events] == [expected]


def test_what_a_happening_shows_is_not_its_target(nlp: Language) -> None:
    """"The attacks in Sarmin demonstrate the barbarity of the regime": the regime is
    what they show, not whom they hit."""
    text = "The attacks in Sarmin demonstrate the cruel barbarity of the Asad regime."
    entities = [place(text, "Sarmin", "Sarmin", 35.9, 36.7, "Syria", 1),
                ent(text, "Asad regime", "ACTOR", "Government of Syria")]
    assert all(e.actor2 is None for e in run(nlp, text, None, entities))
