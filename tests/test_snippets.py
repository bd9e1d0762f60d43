"""One-sentence inputs through the whole pipeline: a wire lead, an event note, a press
line, each read by the real ``Extractor`` as a feed item or a snippet would be.

The rules are silent on many one-line reports (no trigger word, a bare killing with no
place the gazetteer knows); there the learned classifier opens the event and names its
sub-type.  The sentences are written for these tests; none is in the example bank or in
``eval/gold/snippets.jsonl``.
"""

from __future__ import annotations

import pytest

from opsroom.config import Settings
from opsroom.extractor import Extractor
from opsroom.ingest import prepare
from opsroom.models import Document, RawDocument

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Settings())


def read(extractor: Extractor, text: str) -> Document:
    (article,) = prepare(RawDocument("snippet/test", text, single_article=True))
    (doc,) = extractor.documents([article])
    return doc


@pytest.mark.parametrize(("sentence", "expected"), [
    # No trigger word: the classifier opens the event.
    ("Hundreds of nurses stood outside the health ministry in Lilongwe on Monday holding "
     "placards about unpaid allowances.", "Peaceful protest"),
    # A bare wounding with a weapon the rules do not tie to it.
    ("Someone hurled a grenade over the wall of a police compound in Bujumbura on Friday, "
     "wounding two officers.", "Grenade"),
    # A regained control: the government's side by the verb itself.
    ("Government forces restored control over the town of Bria on Tuesday after the rebels "
     "fled.", "Government regains territory"),
])
def test_a_one_sentence_report_gets_its_sub_type(extractor: Extractor, sentence: str,
                                                 expected: str) -> None:
    doc = read(extractor, sentence)
    assert doc.events, "no event found"
    assert doc.events[0].sub_event_type == expected, [
        (e.sub_event_type, e.type_reason) for e in doc.events]


@pytest.mark.parametrize("sentence", [
    "The rebel spokesman warned that fighters would march on the provincial capital soon.",
    "More than 3,000 people have died in the conflict since it began six years ago.",
])
def test_a_threat_or_a_total_stays_no_event(extractor: Extractor, sentence: str) -> None:
    assert read(extractor, sentence).events == []


def test_a_device_that_went_off_early_is_disrupted_weapons_use(extractor: Extractor) -> None:
    """CB: a bomb that blows up its own planters is prevented, not carried out."""
    doc = read(extractor, "On 9 March, a bomb exploded prematurely in a house in Maiduguri, "
                          "killing the two men who were making it.")
    assert [e.sub_event_type for e in doc.events][:1] == ["Disrupted weapons use"]


def test_stones_and_burning_tyres_make_a_violent_demonstration(extractor: Extractor) -> None:
    doc = read(extractor, "Youths clashed with police in Lubumbashi on Thursday, hurling "
                          "stones and burning tyres in the streets.")
    assert [e.sub_event_type for e in doc.events][:1] == ["Violent demonstration"]
