"""Relations between actors stated in the text, on sentences of the seed corpus."""

from __future__ import annotations

import pytest

from opsroom.nlp import load_nlp
from opsroom.resolve import ActorKB, ActorResolver


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def resolver(nlp) -> ActorResolver:
    return ActorResolver(ActorKB.load(), nlp)


def relations(resolver, nlp, text):
    _, rels = resolver.resolve(nlp(text), "art-1")
    return {(r.subject, r.predicate, r.object) for r in rels}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "In Syria, the U.S.-backed Syrian Democratic Forces said no damage was done by the "
            "drone attack on the Al Omar oil field in eastern Syria.",
            ("syrian_democratic_forces", "backed_by", "government_of_the_united_states"),
        ),
        (
            "The extremist militants are also under pressure in eastern Syria, facing separate "
            "offensives by the Kurdish-Arab Syrian Democratic Forces (SDF), backed by the US-led "
            "coalition, and by Russian-backed Syrian regime forces.",
            ("military_forces_of_syria", "backed_by", "government_of_russia"),
        ),
        (
            "The extremist militants are also under pressure in eastern Syria, facing separate "
            "offensives by the Kurdish-Arab Syrian Democratic Forces (SDF), backed by the US-led "
            "coalition, and by Russian-backed Syrian regime forces.",
            ("syrian_democratic_forces", "backed_by", "u_s_led_coalition"),
        ),
        (
            "The Syrian Observatory for Human Rights, a Britain-based war monitor, said the group "
            "had retaken most of the industrial district of Raqqa after mounting a fierce "
            "counter-attack against the Syrian Democratic Forces (SDF), a U.S.-backed alliance of "
            "Kurdish and Arab militias.",
            ("syrian_democratic_forces", "backed_by", "government_of_the_united_states"),
        ),
        (
            "Syrian troops backed by Russia and Kurdish-led forces supported by the US are now "
            "racing toward Boukamal from opposite sides of the Euphrates River.",
            ("military_forces_of_syria", "backed_by", "government_of_russia"),
        ),
        (
            "Syrian troops backed by Russia and Kurdish-led forces supported by the US are now "
            "racing toward Boukamal from opposite sides of the Euphrates River.",
            ("syrian_democratic_forces", "backed_by", "government_of_the_united_states"),
        ),
        (
            "The Assad regime, which is supported heavily by Iran, and the Kurdishled Syrian "
            "Democratic Forces, armed and trained by the West, are converging.",
            ("government_of_syria", "backed_by", "government_of_iran"),
        ),
        (
            "A newspaper close to Iranbacked Lebanese militia Hezbollah yesterday claimed that a "
            "senior American official had travelled to Damascus.",
            ("hezbollah", "backed_by", "government_of_iran"),
        ),
        (
            "Pro-Damascus forces, who are also backed by the Russian air force, said on Thursday "
            "they would march on the town.",
            ("pro_government_forces_syria", "backed_by", "military_forces_of_russia"),
        ),
        (
            "Iraqi militia groups aligned with Iran vowed to retaliate after last month's U.S. "
            "strikes on the Iraqi-Syrian border killed four of their members.",
            ("iran_backed_militias", "allied_with", "government_of_iran"),
        ),
        (
            "Hezbollah-aligned al Akhbar newspaper in Lebanon reported on Thursday that some IS "
            "leaders did not want members of the group back.",
            ("al_akhbar", "allied_with", "hezbollah"),
        ),
    ],
)
def test_stated_relations(resolver, nlp, text, expected):
    assert expected in relations(resolver, nlp, text)


def test_relation_carries_its_sentence(resolver, nlp):
    text = "Iran has denied it. In Syria, the U.S.-backed Syrian Democratic Forces said no damage was done."
    doc = nlp(text)
    _, rels = resolver.resolve(doc, "art-7")
    rel = next(r for r in rels if r.subject == "syrian_democratic_forces")
    assert rel.article_id == "art-7"
    assert doc.text[rel.start : rel.end] == rel.sentence
    assert rel.sentence.startswith("In Syria")


def test_no_relation_without_a_backed_actor(resolver, nlp):
    text = (
        "The commander of U.S.-backed forces in Syria called on Monday for about 1,000 to "
        "1,500 international forces to remain."
    )
    assert not any(p == "backed_by" and s == "syrian_democratic_forces" for s, p, _ in relations(resolver, nlp, text))
