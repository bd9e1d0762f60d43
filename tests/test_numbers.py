"""Casualty figures and weapon counts (opsroom.events.numbers), on corpus sentences."""

from __future__ import annotations

import pytest
from spacy.language import Language

from opsroom.events.numbers import casualty_figures, parse_count, weapon_quantity
from opsroom.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _figs(nlp: Language, text: str) -> dict[str, int]:
    doc = nlp(text)
    return {f.field: f.value for f in casualty_figures(doc[:])}


@pytest.mark.parametrize(
    ("text", "value", "high"),
    [
        ("at least 14", 14, 14),
        ("more than 100", 100, 100),
        ("1,000 to 1,500", 1000, 1500),
        ("1500 to 2500", 1500, 2500),
        ("two", 2, 2),
        ("twenty-two", 22, 22),
        ("22", 22, 22),
        ("some 2,000", 2000, 2000),
        ("dozens", 12, 12),
        ("hundreds", 100, 100),
        ("several", 3, 3),
        ("several hundred", 300, 300),
        ("a dozen", 12, 12),
        ("nearly 290,000", 290000, 290000),
    ],
)
def test_parse_count(text: str, value: int, high: int) -> None:
    count = parse_count(text)
    assert count is not None
    assert (count.value, count.high) == (value, high)
    assert count.reason


def test_parse_count_rejects_non_numbers() -> None:
    assert parse_count("the coalition") is None
    assert parse_count("an unspecified number") is None


def test_killed_of_its_members_and_wounded_others(nlp: Language) -> None:
    text = ("Iraq’s Popular Mobilisation Forces, a grouping of mostly Iran-backed Shi’ite "
            "paramilitaries, said a U.S. air strike on the Iraqi border with Syria killed 22 of "
            "its members and wounded 12 others.")
    assert _figs(nlp, text) == {"fatalities": 22, "injuries": 12}


def test_seven_killed_and_27_injured(nlp: Language) -> None:
    text = ("But a commander in the military alliance supporting Assad disputed the death toll, "
            "saying seven pro-government forces were killed and 27 injured.")
    assert _figs(nlp, text) == {"fatalities": 7, "injuries": 27}


def test_more_than_100_of_them(nlp: Language) -> None:
    text = ("The attack was carried out by 500 troops backed by artillery, tanks, multiple-launch "
            "rocket systems and mortars but the coalition and its local allies killed more than "
            "100 of them, the official said.")
    assert _figs(nlp, text) == {"fatalities": 100}


def test_killed_four_of_their_members(nlp: Language) -> None:
    text = ("Iraqi militia groups aligned with Iran vowed to retaliate after last month’s U.S. "
            "strikes on the Iraqi-Syrian border killed four of their members.")
    assert _figs(nlp, text) == {"fatalities": 4}


def test_martyrdom_of_22_fighters(nlp: Language) -> None:
    text = ("“At 22:00 last night a U.S. plane hit a fixed headquarters of the Popular "
            "Mobilisation Forces’ 45th and 46th brigades using two guided missiles which led to "
            "the martyrdom of 22 fighters,” it said in a statement.")
    assert _figs(nlp, text) == {"fatalities": 22}


@pytest.mark.parametrize(
    "text",
    [
        "Three rockets also landed on Ain al-Asad on Monday without causing casualties.",
        "In Syria, U.S. forces came under rocket fire but escaped injury on June 28.",
        "No American troops were killed or wounded in the incident, officials said.",
    ],
)
def test_stated_zeros(nlp: Language, text: str) -> None:
    assert _figs(nlp, text) == {"fatalities": 0, "injuries": 0}


def test_unstated_is_no_figure_not_zero(nlp: Language) -> None:
    assert _figs(nlp, "On Tuesday, a drone attacked Erbil airport in northern Iraq, "
                      "Kurdish security sources said.") == {}
    assert _figs(nlp, "SANA said the attack caused an unspecified number of deaths "
                      "and injuries.") == {}
    # "no damage" is not "no casualties".
    assert _figs(nlp, "The SDF said no damage was done by the drone attack.") == {}


def test_dead_and_wounded_together_is_one_casualty_figure(nlp: Language) -> None:
    text = ("Syrian state television reported that the coalition had caused “dozens of dead "
            "and wounded” by bombing pro-government forces.")
    assert _figs(nlp, text) == {"casualties": 12}


def test_weapon_counts_stay_apart_from_casualties(nlp: Language) -> None:
    text = ("At least 14 rockets hit an Iraqi air base hosting U.S. and other international "
            "forces on Wednesday, slightly wounding two people, the U.S.-led coalition said.")
    doc = nlp(text)
    assert {f.field: f.value for f in casualty_figures(doc[:])} == {"injuries": 2}
    rockets = next(t for t in doc if t.text == "rockets")
    count = weapon_quantity(rockets)
    assert count is not None and count.value == 14
    doc2 = nlp("two Russian submarines in the Mediterranean Sea launched six cruise missiles "
               "at Isis targets.")
    missiles = next(t for t in doc2 if t.text == "missiles")
    count2 = weapon_quantity(missiles)
    assert count2 is not None and count2.value == 6
    assert casualty_figures(doc2[:]) == []


@pytest.mark.parametrize("text", [
    # corpus (Caliphate article)
    "Syrian state media said Deir elZour had been cleared. ‘‘Large numbers of Isis "
    "terrorists’’ were killed, it said.",
    "A large number of militants were killed in the raid.",
])
def test_large_numbers_is_ten_as_acled_codes_it(nlp: Language, text: str) -> None:
    doc = nlp(text)
    figs = [f for s in doc.sents for f in casualty_figures(s)]
    assert [(f.field, f.value) for f in figs] == [("fatalities", 10)]


def test_a_report_that_gives_no_numbers_gives_no_figure() -> None:
    """A vague word is no count when the report says no count was given."""
    from opsroom.nlp import parse

    sent = parse("A commander said the strike had killed and wounded some fighters, but he "
                 "did not give any numbers.")[:]
    assert casualty_figures(sent) == []
    # Without the disclaimer the codebook's rule for vague counts applies, and says so.
    (fig,) = casualty_figures(parse("Gunmen killed several villagers near Kirkuk.")[:])
    assert (fig.field, fig.value, fig.reason) == ("fatalities", 3, "vague quantity 'several'")


def test_a_conjunct_that_drops_its_were_counts_its_own_subject(nlp: Language) -> None:
    """"Three soldiers were killed and four others wounded": the wounded are the four,
    not the three counted again as dead and wounded together."""
    assert _figs(nlp, "Three soldiers were killed and four others wounded.") == {
        "fatalities": 3, "injuries": 4}


def test_who_died_is_the_subject_of_died(nlp: Language) -> None:
    """"At least 20 people died when a bomber detonated a vest": 20 dead; "died of their
    wounds" counts the dead once, not as wounded too."""
    assert _figs(nlp, "At least 20 people died when a bomber detonated a vest at a rally "
                      "in Bajaur, police said.") == {"fatalities": 20}
    assert _figs(nlp, "Two soldiers died of their wounds.") == {"fatalities": 2}


def test_victims_joined_by_and_are_summed(nlp: Language) -> None:
    """"killed 9 soldiers and 14 militants" is 23 dead (ACLED counts every death of the
    event); a joined noun with no count of its own adds nothing."""
    assert _figs(nlp, "Clashes killed 9 soldiers and 14 militants near Kafr Nabuda.") == {
        "fatalities": 23}
    assert _figs(nlp, "The strike killed two soldiers and a civilian.") == {"fatalities": 3}
    assert _figs(nlp, "Gunmen killed three soldiers and their driver.") == {"fatalities": 3}


@pytest.mark.parametrize("text,fields", [
    # One article for two people.
    ("Gunmen killed a father and son in Tafas.", {"fatalities": 2}),
    ("A shell killed a woman and child in Douma.", {"fatalities": 2}),
    # ACLED counts every death of the event, the bomber's too.
    ("A suicide bomber killed himself and two soldiers at a checkpoint in Tikrit.",
     {"fatalities": 3}),
    ("A woman was hacked to death by suspected herders in Benue state.", {"fatalities": 1}),
    # The death that set off the riot is its cause, not its toll.
    ("Villagers set fire to a police station after the death of a detainee.", {}),
    ("Protesters marched against the violence that had put 30 people to death.", {}),
])
def test_people_counted_by_their_words(nlp: Language, text: str, fields: dict[str, int]) -> None:
    assert _figs(nlp, text) == fields
