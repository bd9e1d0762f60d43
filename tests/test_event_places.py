"""Where an event happened: the place chosen from the event's own sentence
(opsroom.events.arguments.find_place), on short notes and wire sentences.

Entities are built by hand, as the actor and place resolvers give them, so that what is
tested is the choice among the places of a sentence, not the gazetteer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from opsroom.events import extract_events
from opsroom.models import Article, Entity, Event
from opsroom.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def actor(text: str, span: str, name: str) -> Entity:
    at = text.index(span)
    return Entity(text=span, start=at, end=at + len(span), label="ACTOR", id=name, name=name)


def place(text: str, span: str, name: str, country: str, precision: int,
          lat: float, lon: float, admin1: str | None = None,
          feature: str = "town", occurrence: int = 1) -> Entity:
    at = -1
    for _ in range(occurrence):
        at = text.index(span, at + 1)
    return Entity(text=span, start=at, end=at + len(span), label="PLACE", id=name, name=name,
                  latitude=lat, longitude=lon, country=country, admin1=admin1,
                  geo_precision=precision, feature=feature)


def run(nlp: Language, text: str, entities: list[Entity]) -> list[Event]:
    article = Article(id="n1", text=text, published=dt.date(2024, 6, 20))
    return extract_events(nlp(text), article, entities)


def only(events: list[Event]) -> Event:
    assert len(events) == 1, [(e.sub_event_type, e.location) for e in events]
    return events[0]


def test_a_name_read_as_a_verb_does_not_hide_the_place(nlp: Language) -> None:
    # "IS positions": the tagger takes "IS" for the verb "is" and hangs the rest of the
    # sentence under it as a clause of its own.
    text = ("On 14 March, coalition aircraft struck IS positions in the village of "
            "Al-Marashida in Deir ez-Zor province.")
    ents = [actor(text, "coalition", "U.S.-led Coalition"), actor(text, "IS", "Islamic State"),
            place(text, "Al-Marashida", "Al-Marashida", "Syria", 1, 34.62, 40.92,
                  "Deir ez-Zor", "village"),
            place(text, "Deir ez-Zor province", "Deir ez-Zor", "Syria", 3, 35.0, 40.5,
                  "Deir ez-Zor", "admin1")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Al-Marashida" and ev.geo_precision == 1


def test_a_name_read_as_a_passive_is_no_attacker_position(nlp: Language) -> None:
    # "IS militants kidnapped": "IS" read as the auxiliary of a passive made the "in"
    # phrase look like the doer's; the district is where it happened, at precision 2.
    text = "On 2 March, IS militants kidnapped four farmers in Al-Shura district, south of Mosul."
    ents = [actor(text, "IS", "Islamic State"),
            place(text, "Al-Shura", "Al-Shura", "Iraq", 1, 35.96, 43.18, "Nineveh"),
            place(text, "Mosul", "Mosul", "Iraq", 2, 36.34, 43.12, "Nineveh", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Al-Shura" and ev.geo_precision == 2


def test_a_road_between_two_towns_is_near_the_first(nlp: Language) -> None:
    text = "On 9 March, gunmen attacked a checkpoint on the road between Kirkuk and Tikrit."
    ents = [place(text, "Kirkuk", "Kirkuk", "Iraq", 1, 35.47, 44.39, "Kirkuk", "city"),
            place(text, "Tikrit", "Tikrit", "Iraq", 1, 34.61, 43.68, "Salahuddin", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Kirkuk" and ev.geo_precision == 2


def test_a_town_named_as_a_district_is_coded_at_precision_2(nlp: Language) -> None:
    text = "On 11 March, unidentified gunmen shot dead a shepherd in the village of Tal Sheikh in Dibis district."
    ents = [place(text, "Dibis", "Dibis", "Iraq", 1, 35.67, 44.07, "Kirkuk")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Dibis" and ev.geo_precision == 2


def test_a_name_called_a_province_is_coded_at_precision_3(nlp: Language) -> None:
    # The gazetteer gave the provincial capital; the text speaks of the province.
    text = "On 12 March, regime forces shelled villages in the province of Idlib, killing two civilians."
    ents = [place(text, "Idlib", "Idlib", "Syria", 1, 35.93, 36.63, "Idlib", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Idlib" and ev.geo_precision == 3


def test_the_sentence_place_far_in_the_tree_is_still_the_place(nlp: Language) -> None:
    # The parser hangs "at … positions in Gwer" under "filled": too far for the nearest
    # place rule, yet the report names no other place.
    text = ("On 21 March, IS fired mortar rounds filled with chlorine at Peshmerga positions "
            "in Gwer; two fighters suffered burns.")
    ents = [actor(text, "IS", "Islamic State"), actor(text, "Peshmerga", "Peshmerga"),
            place(text, "Gwer", "Gwer", "Iraq", 1, 36.05, 43.49, "Erbil")]
    events = run(nlp, text, ents)
    assert events and all(e.location == "Gwer" for e in events)


def test_a_place_that_locates_the_goal_of_a_throw_is_the_place(nlp: Language) -> None:
    text = "Unknown attackers threw a grenade into a cafe in Kirkuk on Friday, wounding five people."
    ents = [place(text, "Kirkuk", "Kirkuk", "Iraq", 1, 35.47, 44.39, "Kirkuk", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.sub_event_type == "Grenade" and ev.location == "Kirkuk"


def test_where_the_attackers_came_from_is_not_the_place(nlp: Language) -> None:
    text = "On 2 June, IS militants from Hawija attacked an army post, killing one soldier."
    ents = [actor(text, "IS", "Islamic State"),
            place(text, "Hawija", "Hawija", "Iraq", 1, 35.33, 43.77, "Kirkuk")]
    events = run(nlp, text, ents)
    assert events and all(e.location is None for e in events)


def test_a_crowd_acts_where_it_stands(nlp: Language) -> None:
    # Who acts by hand acts where he is: the doer's place is the event's.
    text = "An angry crowd in Samarra attacked two men accused of theft, killing one."
    ents = [place(text, "Samarra", "Samarra", "Iraq", 1, 34.2, 43.87, "Salahuddin", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Samarra"


def test_where_a_gun_fires_from_is_not_the_place(nlp: Language) -> None:
    text = "On 4 April, Turkish artillery in Kilis shelled villages across the border, killing two civilians."
    ents = [place(text, "Kilis", "Kilis", "Turkey", 1, 36.72, 37.12, "Kilis", "city")]
    events = run(nlp, text, ents)
    assert events and all(e.location != "Kilis" for e in events)


def test_a_place_that_names_a_site_locates_it(nlp: Language) -> None:
    text = "Dozens of teachers gathered outside Basra city hall on Sunday to demand unpaid salaries."
    ents = [place(text, "Basra", "Basra", "Iraq", 1, 30.51, 47.78, "Basra", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.event_type == "Protests" and ev.location == "Basra"


def test_a_state_named_before_its_unit_noun_is_a_place(nlp: Language) -> None:
    text = ("Gunmen killed 11 villagers in an overnight raid on a farming community in "
            "Benue state, a local leader said.")
    ents = [place(text, "Benue", "Benue", "Nigeria", 3, 7.34, 8.74, "Benue", "admin1")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Benue"


def test_a_village_located_near_a_town_abroad_is_a_namesake(nlp: Language) -> None:
    # The gazetteer lacks the village and took a namesake in another country; the town
    # the text places it near stands in for it.
    text = "On 3 June, Turkish forces shelled the village of Saida near Ain Issa."
    ents = [place(text, "Saida", "Saida", "Algeria", 1, 34.83, 0.15, "Saida"),
            place(text, "Ain Issa", "Ain Issa", "Syria", 1, 36.39, 38.86, "Raqqa")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Ain Issa" and ev.geo_precision == 2


def test_a_town_inside_the_named_province_wins_over_it(nlp: Language) -> None:
    text = "On 6 June, a roadside bomb targeted a PMF vehicle 20 km north of Baquba in Diyala province."
    ents = [actor(text, "PMF", "Popular Mobilization Forces"),
            place(text, "Baquba", "Baquba", "Iraq", 1, 33.75, 44.61, "Diyala", "city"),
            place(text, "Diyala province", "Diyala", "Iraq", 3, 33.9, 45.0, "Diyala", "admin1")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Baquba" and ev.geo_precision == 2


def test_next_to_a_site_is_near_its_town(nlp: Language) -> None:
    text = "Russian forces set up a new base next to the airport in Qamishli, a war monitor said."
    ents = [place(text, "Qamishli", "Qamishli", "Syria", 1, 37.05, 41.23, "Al-Hasakah", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Qamishli" and ev.geo_precision == 2


def test_a_far_river_gives_way_to_the_town_just_named(nlp: Language) -> None:
    text = ("Government troops fought IS militants around Hajin on Monday. Coalition aircraft "
            "struck the militants overnight to repel an attack near the Euphrates, the "
            "coalition said.")
    ents = [actor(text, "IS", "Islamic State"),
            place(text, "Hajin", "Hajin", "Syria", 1, 34.7, 40.83, "Deir ez-Zor"),
            place(text, "Euphrates", "Euphrates River", "Syria", 3, 35.0, 40.5, None, "river")]
    events = run(nlp, text, ents)
    assert events and all(e.location != "Euphrates River" for e in events)
    assert any(e.location == "Hajin" for e in events)


def test_a_desert_named_after_a_town_is_placed_at_the_town(nlp: Language) -> None:
    text = "On 14 July, IS cells attacked regime positions in the Badia of Palmyra, killing four soldiers."
    ents = [actor(text, "IS", "Islamic State"),
            place(text, "Badia", "Syrian Desert", "Syria", 3, 34.5, 38.5, "Homs", "region"),
            place(text, "Palmyra", "Palmyra", "Syria", 1, 34.56, 38.28, "Homs", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.location == "Palmyra" and ev.geo_precision == 2


def test_an_unplaced_event_far_down_takes_the_article_focus(nlp: Language) -> None:
    text = ("Fighting around Tal Afar intensified this week. Tal Afar has been held by the "
            "militants since 2014. Residents said food was scarce. Doctors said medicine had "
            "run out. On Friday, a mortar round killed two children, a doctor said.")
    ents = [place(text, "Tal Afar", "Tal Afar", "Iraq", 1, 36.38, 42.45, "Nineveh", "city",
                  occurrence=n) for n in (1, 2)]
    shelling = [e for e in run(nlp, text, ents)
                if any("Friday" in s.sentence for s in e.sources)]
    assert shelling and all(e.location == "Tal Afar" and e.geo_precision == 2 for e in shelling)


def test_a_town_s_own_police_act_near_their_town(nlp: Language) -> None:
    text = "On 8 April, Mosul police arrested three suspected smugglers."
    ents = [place(text, "Mosul", "Mosul", "Iraq", 1, 36.34, 43.12, "Nineveh", "city")]
    ev = only(run(nlp, text, ents))
    assert ev.sub_event_type == "Arrests" and ev.location == "Mosul" and ev.geo_precision == 2


def test_a_country_s_forces_are_not_placed_at_the_country(nlp: Language) -> None:
    text = "On 8 April, Lebanon's army arrested three suspected smugglers."
    ents = [place(text, "Lebanon", "Lebanon", "Lebanon", 3, 33.9, 35.9, None, "country")]
    events = run(nlp, text, ents)
    assert events and all(e.location is None for e in events)
