"""Who says so: attributions and denials per sentence (opsroom.events.claims)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from opsroom.events.claims import attribution_for, attributions, claimant_of_sentence
from opsroom.models import Entity
from opsroom.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def ent(text: str, span: str, label: str, name: str, occurrence: int = 1, **kw: object) -> Entity:
    """An entity for the ``occurrence``-th ``span`` of ``text`` (as the resolvers give them)."""
    at = -1
    for _ in range(occurrence):
        at = text.index(span, at + 1)
    return Entity(text=span, start=at, end=at + len(span), label=label,  # type: ignore[arg-type]
                  id=name, name=name, **kw)  # type: ignore[arg-type]


def test_agency_citing_a_source(nlp: Language) -> None:
    text = ("The attack took place in al-Harra, southeast of the town of Albu Kamal, state news "
            "agency SANA said, citing a military source.")
    doc = nlp(text)
    atts = attributions(doc[:], [ent(text, "SANA", "ACTOR", "Syrian Arab News Agency")])
    assert len(atts) == 1
    a = atts[0]
    assert a.claimant == "Syrian Arab News Agency"
    assert a.stance == "asserts"
    assert a.via == "a military source"
    assert a.method == "actor entity in the subject"


def test_denial_beside_an_assertion(nlp: Language) -> None:
    text = ("Syrian state media said on Monday that U.S.-led coalition aircraft had bombed a "
            "Syrian army position near the Iraqi border, causing deaths and injuries, but the "
            "U.S. military denied it was responsible.")
    doc = nlp(text)
    ents = [ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
            ent(text, "the U.S. military", "ACTOR", "Military Forces of the United States")]
    atts = attributions(doc[:], ents)
    stances = {(a.claimant, a.stance) for a in atts}
    assert ("Syrian state media", "asserts") in stances
    assert ("Military Forces of the United States", "denies") in stances
    bombed = next(t for t in doc if t.text == "bombed")
    covering = attribution_for(bombed, atts)
    assert covering is not None and covering.claimant == "Syrian state media"


def test_pronoun_takes_the_previous_claimant(nlp: Language) -> None:
    first = ("Iraq’s Popular Mobilisation Forces said a U.S. air strike on the Iraqi border with "
             "Syria killed 22 of its members and wounded 12 others.")
    second = "“A U.S. plane hit a fixed headquarters,” it said in a statement."
    d1, d2 = nlp(first), nlp(second)
    a1 = attributions(d1[:], [ent(first, "Popular Mobilisation Forces", "ACTOR",
                                  "Popular Mobilization Forces")])
    prev = claimant_of_sentence(a1)
    assert prev is not None and prev.claimant == "Popular Mobilization Forces"
    a2 = attributions(d2[:], [], prev)
    assert a2[0].claimant == "Popular Mobilization Forces"
    assert a2[0].method.startswith("pronoun")


def test_according_to(nlp: Language) -> None:
    text = ("Nearly 290,000 people have fled the city to escape the fighting, according to the "
            "United Nations.")
    doc = nlp(text)
    atts = attributions(doc[:], [ent(text, "United Nations", "ACTOR", "United Nations")])
    assert [(a.claimant, a.verb) for a in atts] == [("United Nations", "according to")]


def test_spokesman_speaks_for_his_organisation(nlp: Language) -> None:
    text = ("“No member of the U.S.-led coalition carried out strikes near Albu Kamal,” Major "
            "Josh Jacques, a U.S. Central Command spokesman, told Reuters.")
    doc = nlp(text)
    ents = [ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
            ent(text, "Josh Jacques", "PERSON", "Josh Jacques",
                organisation="Military Forces of the United States")]
    atts = attributions(doc[:], ents)
    assert atts[0].claimant == "Military Forces of the United States"
    assert atts[0].method == "organisation of the person speaking"


def test_words_about_the_speaker_are_not_the_speaker(nlp: Language) -> None:
    text = ("Two sources familiar with U.S. policy on Syria said the airstrikes did not signal a "
            "more aggressive military approach.")
    doc = nlp(text)
    atts = attributions(doc[:], [ent(text, "U.S.", "ACTOR", "Government of the United States")])
    assert atts[0].claimant == "Two sources"
    assert atts[0].method == "subject text (no actor named)"


def test_two_claimants_in_one_sentence(nlp: Language) -> None:
    text = ("At least 14 rockets hit an Iraqi air base hosting U.S. and other international forces "
            "on Wednesday, slightly wounding two people, the U.S.-led coalition said, as "
            "Kurdish-led forces in Syria said they thwarted a drone attack in an area where U.S. "
            "forces also operate.")
    doc = nlp(text)
    ents = [ent(text, "U.S.-led coalition", "ACTOR", "U.S.-led Coalition"),
            ent(text, "Kurdish-led forces", "ACTOR", "Syrian Democratic Forces")]
    atts = attributions(doc[:], ents)
    hit = next(t for t in doc if t.text == "hit")
    thwarted = next(t for t in doc if t.text == "thwarted")
    a_hit, a_thw = attribution_for(hit, atts), attribution_for(thwarted, atts)
    assert a_hit is not None and a_hit.claimant == "U.S.-led Coalition"
    assert a_thw is not None and a_thw.claimant == "Syrian Democratic Forces"
