"""Organisations outside the knowledge base, offices, known people and caption entities,
on sentences of UK government statements of the kind re3d holds (written for the tests)."""

from __future__ import annotations

import pytest

from opsroom.models import Article
from opsroom.nlp import load_nlp
from opsroom.resolve import ActorKB, ActorResolver, EntityFinder, OrganisationFinder, extract_people


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def resolver(nlp) -> ActorResolver:
    return ActorResolver(ActorKB.load(), nlp)


class _NoPlaces:
    def resolve(self, doc, article, actors=None, actor_countries=(), state_countries=()):
        return []


def entities(resolver, nlp, text):
    finder = EntityFinder(resolver, _NoPlaces())
    found, _ = finder.find(nlp(text), Article(id="t", text=text))
    for e in found:
        assert text[e.start : e.end] == e.text
    return found


def test_ministry_and_council_are_unresolved_organisations_with_kind(resolver, nlp):
    text = ("The Ministry of Higher Education said the Human Rights Council would meet. "
            "The Office of Foreign Assets Control (OFAC) listed the society.")
    found = [e for e in entities(resolver, nlp, text) if e.label == "ACTOR"]
    by_text = {e.text: e for e in found}
    ministry = by_text["Ministry of Higher Education"]
    assert ministry.kind == "government" and ministry.resolution.method == "unresolved"
    assert ministry.id == "org_ministry_of_higher_education"
    assert by_text["Human Rights Council"].kind == "international"
    ofac = by_text["OFAC"]
    assert ofac.id == by_text["Office of Foreign Assets Control"].id  # the bracketed short form


def test_known_actors_stay_resolved_and_outlets_that_carry_the_story_are_not_parties(resolver, nlp):
    text = "Daesh attacked the town, a commander told Reuters. The UN Security Council met."
    found = [e for e in entities(resolver, nlp, text) if e.label == "ACTOR"]
    assert {e.name for e in found} == {"Islamic State", "United Nations"}
    assert all(e.kind for e in found)


def test_office_with_object_gives_role_and_name(resolver, nlp):
    text = "Minister for the Middle East Tobias Ellwood said the attack was a horrific act."
    found = [e for e in entities(resolver, nlp, text) if e.label == "PERSON"]
    assert [(p.text, p.role) for p in found] == [
        ("Minister for the Middle East", "Minister for the Middle East"),
        ("Tobias Ellwood", "Minister for the Middle East")]
    office, name = found
    # the office before the name is a mention of the same person, as it is without one
    assert office.id == name.id and office.resolution.method == "office"


def test_office_without_name_links_to_its_holder(resolver, nlp):
    text = ("Foreign Secretary Boris Johnson met his counterpart. "
            "The Foreign Secretary said the talks were frank.")
    found = [e for e in entities(resolver, nlp, text) if e.label == "PERSON"]
    johnson = next(p for p in found if p.text == "Boris Johnson")
    office = next(p for p in found if p.text == "Foreign Secretary" and p.start > johnson.start)
    assert office.id == johnson.id and office.resolution.method == "office"


def test_office_never_named_is_an_unresolved_person(resolver, nlp):
    text = "The Prime Minister will host the summit in Amiens."
    found = [e for e in entities(resolver, nlp, text) if e.label == "PERSON"]
    assert [(p.text, p.resolution.method, p.role) for p in found] == [
        ("Prime Minister", "unresolved", "Prime Minister")]


def test_known_person_by_surname_alone(resolver, nlp):
    doc = nlp("The regime of Asad continues to bomb civilians.")
    actors, _ = resolver.resolve(doc)
    people = extract_people(doc, actors)
    asad = next(p for p in people if p.text == "Asad")
    assert asad.name == "Bashar al-Assad" and asad.organisation == "Government of Syria"


def test_finder_never_overlaps_given_entities(resolver, nlp):
    doc = nlp("Syrian Democratic Forces and the Ministry of Defence said so.")
    actors, _ = resolver.resolve(doc)
    others = OrganisationFinder().find(doc, actors)
    assert all(not (o.start < a.end and a.start < o.end) for o in others for a in actors)
    assert [o.text for o in others] == ["Ministry of Defence"]


def test_kind_rank_and_caption_part_survive_the_store(store):
    from opsroom.ingest.dedup import article_id, content_hash, minhash, signature_bytes
    from opsroom.models import Document, Entity, Resolution

    text = "The Ministry of Defence said the strike hit a depot."
    chash = content_hash(text)
    art = Article(id=article_id(chash), text=text, captions=["The Ministry of Defence briefing"],
                  origin="test:store", content_hash=chash)
    body = Entity("Ministry of Defence", 4, 23, "ACTOR", "org_ministry_of_defence", "Ministry of Defence",
                  Resolution("unresolved", 0.7, "institution name"), kind="government")
    caption = Entity("Ministry of Defence", 4, 23, "ACTOR", "org_ministry_of_defence", "Ministry of Defence",
                     Resolution("unresolved", 0.7, "institution name"), kind="government",
                     part="caption", part_index=0)
    person = Entity("Ryan Dillon", 30, 41, "PERSON", "person_ryan_dillon", "Ryan Dillon",
                    Resolution("title", 0.9, "name after 'Colonel'"), rank="Colonel", role="spokesman")
    sig = minhash(text)
    with store.engine.begin() as conn:
        store.add_article(conn, art, signature_bytes(sig), [])
        store.add_document(conn, Document(art, [body, caption, person]))
    stored = store.entities_of(art.id)
    assert len(stored) == 3  # the caption's entity is not taken for the body's
    got = {(e.part, e.kind, e.rank) for e in stored}
    assert got == {(None, "government", None), ("caption", "government", None), (None, None, "Colonel")}
    assert next(e for e in stored if e.part).part_index == 0


def test_country_as_passive_subject_of_a_policy_verb_is_its_government(resolver, nlp):
    doc = nlp("The UK is committed to supporting the Iraqi government. Mosul was bombed.")
    actors, _ = resolver.resolve(doc)
    assert ("UK", "Government of the United Kingdom") in [(a.text, a.name) for a in actors]
    assert all(a.text != "Mosul" for a in actors)


def test_leader_named_inside_the_regime_he_leads(resolver, nlp):
    doc = nlp("The Asad regime continues to bomb civilians.")
    actors, _ = resolver.resolve(doc)
    assert [a.name for a in actors if a.text.endswith("regime")] == ["Government of Syria"]
    people = extract_people(doc, actors)
    assert [(p.text, p.name) for p in people] == [("Asad", "Bashar al-Assad")]


def test_shipped_people_and_organisation_words_load_and_point_at_known_actors():
    from opsroom.resolve.organisations import organisation_words
    from opsroom.resolve.patterns import known_people

    kb = ActorKB.load()
    people = known_people()
    assert people and len({p.id for p in people}) == len(people)
    assert all(p.organisation is None or p.organisation in kb for p in people)
    assert organisation_words().heads["ministry"] == "government"


def test_a_named_operation_is_no_organisation(resolver, nlp):
    """"Operation Desert Lion" names a happening; the forces that carry it out are the actors."""
    text = "Operation Desert Lion was launched by Iraqi forces near Rutba in March 2019."
    found = [e for e in entities(resolver, nlp, text) if e.label == "ACTOR"]
    assert all("Operation" not in e.text for e in found), [e.text for e in found]


def test_arabic_head_words_name_armed_groups_not_people(resolver, nlp):
    text = "Jaish al-Fatah al-Jadid claimed the attack, along with Liwa al-Haqq Group and Kata'ib Hezbollah."
    found = entities(resolver, nlp, text)
    assert not any(e.label == "PERSON" and "Jaish" in e.text for e in found)
    orgs = {e.text: e for e in found if e.label == "ACTOR"}
    assert orgs["Jaish al-Fatah al-Jadid"].kind == "armed_group"
    assert "Liwa al-Haqq Group" in orgs  # cut before the known actor the name ran into


def test_glued_footnote_short_form_and_national_body(resolver, nlp):
    text = ("Its members backed the Kurdish Cyber Army.[2] Nahrain News is a private channel. "
            "Nahrain broadcasts from Baghdad. The minister spoke on Iraqi television.")
    orgs = {e.text: e for e in entities(resolver, nlp, text) if e.label == "ACTOR"}
    assert "Kurdish Cyber Army" in orgs
    assert orgs["Nahrain"].id == orgs["Nahrain News"].id
    assert orgs["Iraqi television"].kind == "media"


def test_definite_common_nouns_name_a_body_and_indefinite_ones_none(resolver, nlp):
    text = ("The navy and its allies met. The regime shelled the town. "
            "The envoy called on the international community to act. It is an organization based in Erbil.")
    orgs = {e.text: e for e in entities(resolver, nlp, text) if e.label == "ACTOR"}
    assert orgs["The navy"].kind == "armed_forces"
    assert orgs["The regime"].kind == "government"
    assert orgs["the international community"].kind == "international"
    assert not any("organization" in t for t in orgs)
