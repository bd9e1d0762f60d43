"""Splitting pasted wire copy into articles, cleaning, and metadata, on the real corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opsroom.ingest import prepare
from opsroom.ingest.blocks import classify, dateline_match
from opsroom.models import RawDocument


def articles_of(path: Path):  # type: ignore[no-untyped-def]
    return prepare(RawDocument(origin=str(path), text=path.read_text("utf-8")))


@pytest.fixture(scope="module")
def corpus(corpus_files: list[Path]):  # type: ignore[no-untyped-def]
    return {p.name[:3]: articles_of(p) for p in corpus_files}


def test_seed_000_holds_ten_articles_with_their_headlines(corpus) -> None:  # type: ignore[no-untyped-def]
    titles = [a.title for a in corpus["000"]]
    assert len(titles) == 10
    assert titles[0] == "Rockets hit Iraqi base housing U.S. forces, wounding two – U.S. coalition"
    assert titles[3] == ("Syrian, Iraqi forces say U.S. bombs military border positions, "
                         "U.S. denies")
    assert titles[-1] == "Thousands more Iraqis flee Mosul as military advances"
    assert sum(len(v) for v in corpus.values()) == 14


def test_metadata_of_wire_copy(corpus) -> None:  # type: ignore[no-untyped-def]
    first, _, sdf, albu_kamal, khusham = corpus["000"][:5]
    assert first.source == "Reuters" and first.dateline == "Baghdad"
    # No byline: the end credit names the reporters and the writer, not the editors.
    assert first.authors == ["Ahmed Rasheed", "Suleiman al-Khalidi", "Tom Perry"]
    assert sdf.authors == ["Phil Stewart"]
    # The caption's "February 18, 2019" is when the picture was taken, not the publication.
    assert sdf.published is None and sdf.published_source is None
    assert khusham.authors == ["Phil Stewart", "Lisa Barrington"]
    assert khusham.dateline == "Washington/Beirut"
    # A FILE PHOTO's date says nothing about when the article was published.
    assert albu_kamal.published is None
    assert corpus["000"][1].dateline == "Qayyara West Airfield, Iraq"


def test_dates_found_in_page_text(corpus) -> None:  # type: ignore[no-untyped-def]
    (new_arab,) = corpus["002"]
    assert new_arab.published == dt.date(2017, 10, 7) and new_arab.published_source == "text"
    (arab_news,) = corpus["003"]
    assert arab_news.published == dt.date(2017, 10, 28)
    assert arab_news.dateline == "Beirut"


def test_outlet_line_is_not_the_title(corpus) -> None:  # type: ignore[no-untyped-def]
    (star,) = corpus["004"]
    assert star.title == "Caliphate reduced to crumbs"
    assert star.source == "Sunday Star-Times"


def test_furniture_and_repeated_headlines_are_dropped(corpus) -> None:  # type: ignore[no-untyped-def]
    (agg,) = corpus["001"]
    assert "Leave a Reply" not in agg.text and "Read the full article" not in agg.text
    (arab_news,) = corpus["003"]
    assert "Daesh shores up last stronghold" not in arab_news.text
    assert arab_news.text.startswith("Daesh is building up its defenses")
    (star,) = corpus["004"]
    assert "Newspapers in English" not in star.text
    assert "?? REUTERS ??" not in star.text
    (new_arab,) = corpus["002"]
    # The standfirst repeats the lead paragraph: it is stored once.
    assert new_arab.text.count("final large fight") == 2  # lead + the later quote
    assert "3 min read" not in new_arab.text


def test_captions_kept_apart_from_body(corpus) -> None:  # type: ignore[no-untyped-def]
    mosul = corpus["000"][-1]
    assert any("Khazer camp" in c for c in mosul.captions)
    assert "Khazer camp" not in mosul.text
    assert "Double click" not in mosul.text
    (star,) = corpus["004"]
    assert len(star.captions) == 1 and "al-Qaim" in star.captions[0]


def test_dateline_prefix_is_not_in_body(corpus) -> None:  # type: ignore[no-untyped-def]
    first = corpus["000"][0]
    assert first.text.startswith("At least 14 rockets hit an Iraqi air base")


def test_character_map_cites_the_raw_text(corpus_files: list[Path], corpus) -> None:  # type: ignore[no-untyped-def]
    raw = corpus_files[0].read_text("utf-8")
    for article in corpus["000"]:
        for seg in article.offset_map:
            assert (article.text[seg.clean_start:seg.clean_start + seg.length]
                    == raw[seg.raw_start:seg.raw_start + seg.length])
    first = corpus["000"][0]
    pos = first.text.index("Ain al-Asad")
    assert raw[first.raw_offset(pos):].startswith("Ain al-Asad air base in western Iraq")


def test_broken_paragraph_is_joined(corpus) -> None:  # type: ignore[no-untyped-def]
    sdf = corpus["000"][2]
    assert "not seeking a military deal with Damascus." in sdf.text


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("(Reporting by Phil Stewart; Editing by Alison Williams)", "credit"),
        ("By Stephen Kalin and Goran Tomasevic", "byline"),
        ("Updated 28 October 2017", "date"),
        ("07 October, 2017", "date"),
        ("Leave a Reply", "furniture"),
        ("Newspapers from New Zealand", "furniture"),
        ("SKIRMISHES", "subhead"),
        ("Turkish President Tayyip Erdogan speaks during a meeting at the Presidential Palace "
         "in Ankara, Turkey, January 10, 2018", "caption"),
        ("The Islamic State is on the verge of defeat in both Syria and Iraq. [Getty]", "caption"),
    ],
)
def test_block_kinds(line: str, kind: str) -> None:
    assert classify(line) == kind


@pytest.mark.parametrize(
    ("para", "place", "agency"),
    [
        ("BAGHDAD (Reuters) -At least 14 rockets hit an Iraqi air base hosting U.S. forces",
         "BAGHDAD", "Reuters"),
        ("NEAR MOSUL/ERBIL, Iraq (Reuters) – More than 2,000 Iraqis a day are fleeing Mosul",
         "NEAR MOSUL/ERBIL, Iraq", "Reuters"),
        ("BEIRUT: Daesh is building up its defenses in a pocket of territory on the frontier",
         "BEIRUT", None),
        ("MOSUL, Iraq (AP) — Iraqi forces pushed into the last districts of the old city today",
         "MOSUL, Iraq", "AP"),
        # The wire's own form leaves the year out of its date.
        ("MOGADISHU, March 14 (Reuters) - Al Shabaab militants stormed a hotel in the capital",
         "MOGADISHU", "Reuters"),
    ],
)
def test_datelines(para: str, place: str, agency: str | None) -> None:
    m = dateline_match(para)
    assert m is not None
    assert m.group("place") == place and m.group("agency") == agency


def test_not_a_dateline() -> None:
    assert dateline_match("UPDATE: the ministry said on Monday that the toll had risen to 12") is None
    assert dateline_match("U.S. PRESENCE") is None


def test_a_one_line_note_ending_on_its_date_is_an_article() -> None:
    """Prose that ends on a date introduces it ("… on October 26, 2008."): body text, not
    a photo caption; and an input with no body line is still one article."""
    from opsroom.ingest.split import split_text

    note = "He was killed in a raid by special forces near the border on October 26, 2008."
    assert classify(note) == "body"
    assert classify("Iraqi soldiers rest in a house in Mosul, Iraq August 5, 2017.") == "caption"
    (segment,) = split_text("Iraqi soldiers rest in a house in Mosul, Iraq August 5, 2017.\n")
    assert [b.kind for b in segment.blocks] == ["caption"]
