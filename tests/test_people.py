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
