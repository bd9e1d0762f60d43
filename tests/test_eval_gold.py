"""The hand-annotated gold sets are well formed, and the evaluation scripts score right.

The gold files are checked against the seed corpus itself (every mention and evidence
passage must be found in its article); the scorers are checked on documents built from
the gold, so a perfect system must score 1.0 and a damaged one less.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from opsroom.models import Article, Document, Entity, Event, Source

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
sys.path.insert(0, str(EVAL_DIR))

import common  # noqa: E402
import eval_articles  # noqa: E402
import eval_entities  # noqa: E402
import eval_events  # noqa: E402

SUB_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
PLACE_KINDS = {"city", "town", "village", "region", "country", "base", "oil_field", "crossing",
               "district", "river", "dam", "camp", "other"}
CORPUS = common.DEFAULT_CORPUS


def _annotation_names() -> set[str]:
    """Canonical actor names listed in ANNOTATION.md (shipped list and documented extras)."""
    text = (EVAL_DIR / "ANNOTATION.md").read_text(encoding="utf-8")
    names: set[str] = set()
    blocks = (r"### Canonical actor names[^\n]*\n(.*?)\n\n",
              r"\*\*Names outside the shipped list\.\*\*[^\n]*\n(.*?)\n- ")
    for block in blocks:
        match = re.search(block, text, re.S)
        assert match, block
        names |= {n.strip() for n in re.split(r"[·\n]", match.group(1)) if n.strip()}
    return names


def _article_region(article: common.GoldArticle) -> str:
    """The article's text in its file: from its headline to the end of its body."""
    raw = (CORPUS / article.file).read_text(encoding="utf-8")
    start = raw.find(article.title)
    assert start >= 0, article.title
    body = raw.find(article.body_start or "", start)
    end = raw.find(article.body_end or "", body) + len(article.body_end or "")
    assert body >= 0 and end > body, article.title
    return raw[start:end]


# --------------------------------------------------------------------------- gold files


def test_articles_schema() -> None:
    articles = common.load_articles()
    assert len(articles) == 14
    assert len({a.title for a in articles}) == 14
    for a in articles:
        assert a.title and a.file and a.published_evidence
        dt.date.fromisoformat(a.published or "")
        for alt in a.published_alternatives:
            dt.date.fromisoformat(alt)
        assert a.source
        assert all(isinstance(x, str) and x for x in a.authors)


def test_articles_found_in_corpus() -> None:
    for a in common.load_articles():
        raw = (CORPUS / a.file).read_text(encoding="utf-8")
        assert a.title in raw.splitlines(), a.title
        _article_region(a)


def test_given_publication_dates_agree_with_their_weekday() -> None:
    """The brief's dates, and the weekday the text gives for the day it reports."""
    by_title = {a.title[:30]: a.published for a in common.load_articles()}
    expected = {
        "Rockets hit Iraqi base housing": ("2021-07-07", 2), "U.S.-led forces depart Iraqi m": ("2020-03-26", 3),
        "Syrian, Iraqi forces say U.S. ": ("2018-06-18", 0), "U.S.-led coalition, pro-Assad ": ("2018-02-08", 3),
        "Erdogan says Turkey will crush": ("2018-01-15", 0), "Islamic State convoy in Syria a": ("2017-08-31", 3),
        "Trump’s son-in-law, Kushner, f": ("2017-04-03", 0), "Syrian war monitor says 465,00": ("2017-03-13", 0),
        "Thousands more Iraqis flee Mos": ("2017-01-04", 2), "U.S.-backed Syrian forces call": ("2019-02-18", 0),
    }
    for prefix, (date, weekday) in expected.items():
        assert by_title[prefix[:30]] == date
        assert dt.date.fromisoformat(date).weekday() == weekday


def test_entities_schema() -> None:
    titles = {a.title for a in common.load_articles()}
    names = _annotation_names()
    gold = common.load_entities()
    assert len({g.article for g in gold}) >= 6
    for g in gold:
        assert g.article in titles
        assert g.label in {"PLACE", "ACTOR"}
        assert g.text and g.occurrence >= 1 and g.name
        if g.label == "PLACE":
            assert g.kind in PLACE_KINDS, g
            assert g.latitude is not None and -90 <= g.latitude <= 90
            assert g.longitude is not None and -180 <= g.longitude <= 180
        else:
            assert g.name in names, g.name
    keys = [(g.article, g.text, g.occurrence) for g in gold]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]


def test_entities_cover_the_required_articles() -> None:
    annotated = {g.article for g in common.load_entities()}
    for prefix in ("Rockets hit Iraqi base", "Syrian, Iraqi forces say U.S. bombs", "U.S.-led coalition, pro-Assad",
                   "Iraq-Syria border set for", "Daesh shores up", "Caliphate reduced to crumbs"):
        assert any(t.startswith(prefix) for t in annotated), prefix


def test_every_mention_is_found_in_its_article() -> None:
    articles = common.gold_article_index()
    for g in common.load_entities():
        art = articles[g.article]
        region = _article_region(art)
        span = common.locate_mention(region, g.text, g.occurrence, art)
        assert span is not None, (g.article, g.text, g.occurrence)
        assert common.squash(region[span[0]:span[1]]) == common.squash(g.text)


def test_known_mentions_land_where_annotated() -> None:
    """Occurrence counting includes substrings: the right 'Iraq' after 'Iraqi' is found."""
    art = common.gold_article_index()["Rockets hit Iraqi base housing U.S. forces, wounding two – U.S. coalition"]
    region = _article_region(art)
    gold = [g for g in common.load_entities() if g.article == art.title and g.text == "Iraq"]
    first = common.locate_mention(region, "Iraq", gold[0].occurrence, art)
    assert first is not None
    assert region[first[0] - 11:first[1]].endswith("operate in Iraq")


def test_events_schema() -> None:
    titles = {a.title for a in common.load_articles()}
    names = _annotation_names()
    events, empty = common.load_events()
    assert len(events) >= 40
    for e in events:
        assert e.title in titles
        assert e.sub_event_type in SUB_EVENT_TYPES[e.event_type], (e.event_type, e.sub_event_type)
        dt.date.fromisoformat(e.event_date or "")
        assert e.date_precision in {"day", "week", "month", "year"}
        assert e.geo_precision in {1, 2, 3}
        assert e.latitude is not None and e.longitude is not None and e.country
        assert e.actor1 in names, e.actor1
        assert e.actor2 is None or e.actor2 in names, e.actor2
        assert e.fatalities is None or e.fatalities >= 0
        assert e.injuries is None or e.injuries >= 0
        assert e.evidence and all(e.evidence)
        assert e.note, "every gold event says what could be coded otherwise"
        for c in e.claims:
            assert c["stance"] in {"asserts", "denies"}
    with_events = {e.title for e in events}
    assert not with_events & set(empty)
    assert with_events | set(empty) == titles


def test_event_evidence_is_in_its_article() -> None:
    articles = common.gold_article_index()
    events, _ = common.load_events()
    for e in events:
        region = common.squash(_article_region(articles[e.title]))
        for passage in e.evidence:
            assert common.squash(passage) in region, (e.title, passage)


# --------------------------------------------------------------------------- perfect system


def _perfect_documents() -> list[Document]:
    """Documents a perfect system would return for the gold articles."""
    articles = common.load_articles()
    mentions = common.load_entities()
    events, _ = common.load_events()
    docs = []
    for a in articles:
        text = _article_region(a)
        art = Article(id=a.title[:8], text=text, title=a.title, source=a.source, authors=list(a.authors),
                      dateline=a.dateline, published=dt.date.fromisoformat(a.published or ""))
        ents = []
        for g in (m for m in mentions if m.article == a.title):
            span = common.locate_mention(text, g.text, g.occurrence, a)
            assert span is not None
            ents.append(Entity(text=g.text, start=span[0], end=span[1], label=g.label,  # type: ignore[arg-type]
                               id=None, name=g.name, latitude=g.latitude, longitude=g.longitude,
                               country=g.country))
        evs = []
        for i, g in enumerate(e for e in events if e.title == a.title):
            evs.append(Event(event_id=f"{a.title[:5]}{i}", event_type=g.event_type, sub_event_type=g.sub_event_type,
                             event_date=dt.date.fromisoformat(g.event_date or ""), date_precision=g.date_precision,
                             actor1=g.actor1, actor2=g.actor2, location=g.location, latitude=g.latitude,
                             longitude=g.longitude, fatalities=g.fatalities, injuries=g.injuries,
                             background=g.background,
                             sources=[Source(article_id=art.id, sentence=s, start=0, end=len(s)) for s in g.evidence]))
        docs.append(Document(article=art, entities=ents, events=evs))
    return docs


@pytest.fixture(scope="module")
def perfect() -> list[Document]:
    return _perfect_documents()


def test_perfect_system_scores_one(perfect: list[Document]) -> None:
    ent = eval_entities.score_entities(common.load_entities(), perfect)
    for label in ("PLACE", "ACTOR", "ALL"):
        assert ent["labels"][label]["detection"]["f1"] == 1.0
        assert ent["labels"][label]["resolution"]["f1"] == 1.0
    gold_events, _ = common.load_events()
    ev = eval_events.score_events(gold_events, perfect)
    assert ev["events"]["f1"] == 1.0
    assert all(v["accuracy"] == 1.0 for v in ev["fields"].values()), ev["fields"]
    art = eval_articles.score_articles(common.load_articles(), perfect)
    assert art["mean_accuracy"] == 1.0
    assert art["errors"] == []


def test_missing_event_lowers_recall_only(perfect: list[Document]) -> None:
    docs = [dataclasses.replace(d, events=list(d.events)) for d in perfect]
    target = next(d for d in docs if d.article.title.startswith("Syrian, Iraqi forces say"))
    target.events.pop(0)
    gold_events, _ = common.load_events()
    ev = eval_events.score_events(gold_events, docs)
    assert ev["events"]["precision"] == 1.0
    assert ev["events"]["recall"] < 1.0
    assert any(e["error"] == "missed" for e in ev["errors"])


def test_spurious_event_lowers_precision(perfect: list[Document]) -> None:
    docs = [dataclasses.replace(d, events=list(d.events)) for d in perfect]
    target = next(d for d in docs if d.article.title.startswith("Erdogan says"))
    target.events.append(Event(event_id="x", event_type="Battles", sub_event_type="Armed clash",
                                event_date=dt.date(2018, 1, 15), actor1="Military Forces of Turkey",
                                sources=[Source(article_id="x", sentence="Our mission is to strangle it",
                                                start=0, end=1)]))
    gold_events, _ = common.load_events()
    ev = eval_events.score_events(gold_events, docs)
    assert ev["events"]["recall"] == 1.0 and ev["events"]["precision"] < 1.0


def test_wrong_place_lowers_resolution_not_detection(perfect: list[Document]) -> None:
    docs = []
    moved = 0
    for d in perfect:
        ents = []
        for e in d.entities:
            if e.label == "PLACE" and e.name == "Albu Kamal":
                e = dataclasses.replace(e, latitude=(e.latitude or 0) + 1.0)  # ~110 km north
                moved += 1
            ents.append(e)
        docs.append(dataclasses.replace(d, entities=ents))
    assert moved
    rep = eval_entities.score_entities(common.load_entities(), docs)
    place = rep["labels"]["PLACE"]
    assert place["detection"]["f1"] == 1.0
    assert place["resolution_accuracy"]["accuracy"] < 1.0
    assert rep["labels"]["ACTOR"]["resolution"]["f1"] == 1.0
    assert sum(e["error"] == "wrong_resolution" for e in rep["errors"]) == moved


def test_wrong_actor_and_label_errors(perfect: list[Document]) -> None:
    d = perfect[0]
    first_actor = next(i for i, e in enumerate(d.entities) if e.label == "ACTOR")
    ents = list(d.entities)
    ents[first_actor] = dataclasses.replace(ents[first_actor], name="Hezbollah")
    relabelled = next(i for i, e in enumerate(ents) if e.label == "PLACE")
    ents[relabelled] = dataclasses.replace(ents[relabelled], label="ACTOR")
    docs = [dataclasses.replace(d, entities=ents), *perfect[1:]]
    rep = eval_entities.score_entities(common.load_entities(), docs)
    kinds = Counter(e["error"] for e in rep["errors"])
    assert kinds["wrong_resolution"] == 1
    assert kinds["missed"] == 1 and kinds["spurious"] == 1
    assert rep["labels"]["ACTOR"]["detection"]["precision"] < 1.0


def test_swapped_actors_count_as_right_and_date_precision() -> None:
    gold = common.GoldEvent(title="t", event_type="Battles", sub_event_type="Armed clash", event_date="2017-07-01",
                            date_precision="month", actor1="Islamic State", actor2="Military Forces of Iraq",
                            location="Mosul", country="Iraq", admin1=None, latitude=36.335, longitude=43.119,
                            geo_precision=1, fatalities=None, injuries=None, background=True,
                            evidence=("after Mosul fell in July",))
    system = Event(event_id="e", event_type="Battles", sub_event_type="Armed clash", event_date=dt.date(2017, 7, 10),
                   actor1="Military Forces of Iraq", actor2="Islamic State", latitude=36.34, longitude=43.13,
                   background=True, sources=[Source(article_id="a", sentence="Iraqi armed forces have made swift work "
                                                    "of clearing pockets of Isis territory after Mosul fell in July.",
                                                    start=0, end=10)])
    assert eval_events.candidate_score(gold, system) is not None
    result = eval_events.compare_fields(gold, system)
    assert result["actor1"] and result["actor2"]
    assert not result["date_exact"] and result["date_at_precision"]
    assert result["location_25km"] and result["fatalities"]
    other_type = dataclasses.replace(system, event_type="Explosions/Remote violence")
    assert eval_events.candidate_score(gold, other_type) is None


def test_fallback_match_needs_place_and_date() -> None:
    gold = common.GoldEvent(title="t", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                            event_date="2017-08-30", date_precision="day", actor1="U.S.-led Coalition",
                            actor2="Islamic State", location="x", country="Syria", admin1=None, latitude=34.6,
                            longitude=39.4, geo_precision=3, fatalities=None, injuries=None, background=False,
                            evidence=("used warplanes on Wednesday to halt the convoy",))
    near = Event(event_id="e", event_type=gold.event_type, sub_event_type=gold.sub_event_type,
                 event_date=dt.date(2017, 8, 31), latitude=34.8, longitude=39.3)
    assert eval_events.candidate_score(gold, near) is not None
    late = dataclasses.replace(near, event_date=dt.date(2017, 9, 5))
    far = dataclasses.replace(near, latitude=36.5)
    assert eval_events.candidate_score(gold, late) is None
    assert eval_events.candidate_score(gold, far) is None


def test_alignment_tolerates_typography_and_rejects_other_headlines() -> None:
    art = Article(id="1", text="", title="Erdogan says Turkey will crush 'terror army' in northern Syria")
    other = Article(id="2", text="", title="Turkey says it will protect its borders")
    al = common.align_documents([a.title for a in common.load_articles()],
                                [Document(article=art), Document(article=other)])
    assert al.doc("Erdogan says Turkey will crush ‘terror army’ in northern Syria") is not None
    assert al.unmatched_system == ["Turkey says it will protect its borders"]


def test_metadata_field_errors(perfect: list[Document]) -> None:
    docs = []
    for d in perfect:
        art = dataclasses.replace(d.article, dateline=None, authors=d.article.authors[:1])
        docs.append(dataclasses.replace(d, article=art))
    rep = eval_articles.score_articles(common.load_articles(), docs)
    assert rep["fields"]["title"]["accuracy"] == 1.0
    assert rep["fields"]["published"]["accuracy"] == 1.0
    assert rep["fields"]["dateline"]["accuracy"] < 1.0
    assert rep["fields"]["authors"]["accuracy"] < 1.0
    assert 0 < rep["authors_mean_jaccard"] < 1.0


def test_min_f1_floor_sets_exit_status() -> None:
    assert common.finish(0.5, None, "x") == 0
    assert common.finish(0.5, 0.4, "x") == 0
    assert common.finish(0.5, 0.6, "x") == 1
