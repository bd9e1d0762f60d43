"""People with rank, role and organisation, on sentences of the seed corpus."""

from __future__ import annotations

import pytest

from opsroom.nlp import load_nlp
from opsroom.resolve import ActorKB, ActorResolver, extract_people


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def resolver(nlp) -> ActorResolver:
    return ActorResolver(ActorKB.load(), nlp)


def people(resolver, nlp, text):
    doc = nlp(text)
    actors, _ = resolver.resolve(doc)
    found = extract_people(doc, actors)
    for ent in found:
        assert doc.text[ent.start : ent.end] == ent.text
        assert ent.label == "PERSON" and ent.resolution is not None
    return found


def test_rank_role_and_organisation_from_title_and_apposition(resolver, nlp):
    text = (
        "Two people were slightly wounded in the rocket attack on the Ain al-Asad air base "
        "in western Iraq, U.S. Army Colonel Wayne Marotto, spokesman for the coalition, said."
    )
    found = people(resolver, nlp, "The U.S.-led coalition said it. " + text)
    marotto = next(p for p in found if p.text == "Wayne Marotto")
    assert (marotto.rank, marotto.role, marotto.organisation) == ("Colonel", "spokesman", "U.S.-led Coalition")
    assert all("Asad" not in p.text for p in found)  # the air base is no person


def test_commander_in_chief_and_surname_links_back(resolver, nlp):
    text = (
        "The remarks by Mazloum Kobani, the commander-in-chief of the Kurdish-led Syrian "
        "Democratic Forces, followed talks with senior U.S. generals at an airbase in "
        "northeast Syria. \u201cWe would like to have air cover,\u201d Kobani told a small "
        "group of reporters."
    )
    found = people(resolver, nlp, text)
    full = next(p for p in found if p.text == "Mazloum Kobani")
    assert full.role == "commander-in-chief"
    assert full.organisation == "Syrian Democratic Forces"
    later = [p for p in found if p.text == "Kobani"]
    assert later and later[0].id == full.id
    assert later[0].resolution.method == "surname"


def test_central_command_spokesman(resolver, nlp):
    text = (
        "\u201cNo member of the U.S.-led coalition carried out strikes near Albu Kamal,\u201d "
        "Major Josh Jacques, a U.S. Central Command spokesman, told Reuters."
    )
    jacques = next(p for p in people(resolver, nlp, text) if p.text == "Josh Jacques")
    assert (jacques.rank, jacques.role, jacques.organisation) == (
        "Major",
        "spokesman",
        "Military Forces of the United States",
    )


def test_president_title_gives_government(resolver, nlp):
    text = (
        "Without a deal with the U.S.-led coalition, experts say Kobani may have to strike a "
        "deal with Syrian President Bashar al-Assad to avoid a Turkish sweep. Votel said "
        "Assad's Russian backers would object."
    )
    found = people(resolver, nlp, text)
    assad = next(p for p in found if p.text == "Bashar al-Assad")
    assert (assad.role, assad.organisation) == ("President", "Government of Syria")
    assert any(p.text == "Assad" and p.id == assad.id for p in found)


def test_misspelt_first_name_is_the_same_person(resolver, nlp):
    text = (
        "U.S. Army General Jospeh Votel, head of Central Command, visits an airbase. "
        "U.S. Army General Joseph Votel, head of Central Command, said after the talks. "
        "\u201cWe certainly understand,\u201d Votel told reporters."
    )
    found = people(resolver, nlp, text)
    assert len({p.id for p in found if "Votel" in p.text}) == 1
    first = found[0]
    assert (first.rank, first.role, first.organisation) == ("General", "head", "Military Forces of the United States")


def test_place_names_tagged_person_are_dropped(resolver, nlp):
    text = (
        "Iraq launched an offensive to capture Rawa and Al Qaim, a town just over the border "
        "from the Syrian town of Albu Kamal. Dillon said Albu Kamal was definitely a target."
    )
    names = [p.text for p in people(resolver, nlp, text)]
    assert not any("Kamal" in n or "Qaim" in n for n in names)


def test_abbreviated_rank_is_written_out(resolver, nlp):
    text = (
        "\u201cRight now, we are seeing the buildup,\u201d Col. Ryan Dillon told Reuters by "
        "phone. Dillon said Albu Kamal was a target."
    )
    found = people(resolver, nlp, text)
    dillon = next(p for p in found if p.text == "Ryan Dillon")
    assert dillon.rank == "Colonel"
    assert [p.id for p in found if p.text == "Dillon"] == [dillon.id]


def test_office_before_a_name_is_a_mention_of_the_same_person(resolver, nlp):
    text = "The Defence Secretary, Gavin Walsh, visited the base on Monday."
    found = people(resolver, nlp, text)
    office = next(p for p in found if p.text == "Defence Secretary")
    name = next(p for p in found if p.text == "Gavin Walsh")
    assert office.id == name.id and office.resolution.method == "office"


def test_footnote_marks_and_apostrophes_stay_out_of_names(resolver, nlp):
    text = ("The group was later led by Karim al-Dulaimi,[3] who fled in 2009. The minister met the "
            "Minister of Interior of Jordan, HE Dr Samir Al-Qa’oud, in Amman.")
    found = people(resolver, nlp, text)
    names = {p.text for p in found}
    assert "Karim al-Dulaimi" in names
    assert "Samir Al-Qa’oud" in names


def test_kunya_is_a_full_name_but_not_beside_a_place_of_that_name(resolver, nlp):
    text = ("Abu Hamza (Arabic: أبو حمزة), born in 1975, ran the network's finances. "
            "Abu Hamza moved money across the border. Hamza was arrested in 2010.")
    found = people(resolver, nlp, text)
    hamza = next(p for p in found if p.text == "Abu Hamza")
    assert any(p.text == "Hamza" and p.id == hamza.id for p in found)
    text = ("Fighters regrouped in Albu Kamal near the border. Command had shifted to Abu Kamal from "
            "towns deeper inside Syria.")
    assert not any("Kamal" in p.text for p in people(resolver, nlp, text))


def test_role_phrases_are_people_linked_to_the_name_beside_them(resolver, nlp):
    text = ("A local doctor from the town, Samir Haddad, said nine people were hurt. "
            "The Iraqi commander refused to comment. He was a commander in the navy for years.")
    found = people(resolver, nlp, text)
    haddad = next(p for p in found if p.text == "Samir Haddad")
    doctor = next(p for p in found if "doctor" in p.text)
    assert doctor.id == haddad.id and haddad.role
    assert any(p.text == "The Iraqi commander" and p.resolution.method == "unresolved" for p in found)
    assert not any(p.text == "a commander" for p in found)  # what he was, no mention of someone


def test_gloss_of_a_place_name_is_no_person(resolver, nlp):
    text = "The ridge (Arabic: تلال مخمور Tilal Makhmur) rises south of the town of Makhmur."
    assert not any("Makhmur" in p.text for p in people(resolver, nlp, text))
