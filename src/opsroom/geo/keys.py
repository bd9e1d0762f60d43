"""Transliteration-robust keys for place names.

Arabic names reach English text in many spellings: Deir ez-Zor, Deir al-Zor,
Deir el-Zour, Dayr az-Zawr; Albu Kamal, Abu Kamal, Al-Bukamal, Boukamal. A key folds
the differences that transliteration makes (articles, vowel length, doubled letters,
q/k, ou/u) so that all spellings of one name meet in one index slot. The key is
deliberately lossy: two different places may share a key, and the resolver
disambiguates them by context.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

#: Arabic definite articles as they are transliterated ("al-", "el-", "ad-", "ash-" …).
ARTICLES: frozenset[str] = frozenset(
    {"al", "el", "il", "ul", "ez", "az", "ad", "ed", "ar", "er", "as", "es", "ash",
     "esh", "at", "et", "an", "en", "the"}
)
#: "Abu", "Albu", "Bu", "Abou", "Bou" are one prefix ("father of", "family of").
_ABU = re.compile(r"^(?:albu|abu|abou|albou|bou|bu)(?=[a-z])|^(?:albu|abu|abou|albou|bou|bu)$")
_CAMEL_ARTICLE = re.compile(r"\b(al|el|ez|az|ad|ar|as|ash|at|an)(?=[A-Z])")
_APOSTROPHES = re.compile(r"['’‘`ʿʾ´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")


#: "Ayn"/"Ain"/"Ein" (spring) starts many names; one spelling keeps the first letter
#: stable, which the fuzzy search relies on.
_AIN = {"ayn": "ain", "ein": "ain", "eyn": "ain", "ain": "ain"}
#: "Tall"/"Tal"/"Tell"/"Tel" (hill, mound) starts as many: Tall Tamr, Tel Tamr, Tell
#: Abyad, Tal Abyad.  The vowel rules alone would split them ("til" and "tal"); they
#: meet on the "e" spelling's fold, which a name run into one word keeps ("Telafar").
_TALL = {"tall": "til", "tal": "til", "tell": "til", "tel": "til"}


_AW = re.compile(r"aw(?=[^aeiouy]|$)")
_AY = re.compile(r"(?:ay|ei|ey)(?=[^aeiouy]|$)")
_TA_MARBUTA = re.compile(r"([aeiu])h$")


@lru_cache(maxsize=400_000)
def _fold_word(word: str) -> str:
    """Fold one lower-case ASCII word; the order of the rules matters.

    Cached: building the world index folds two million words, most of them repeats.
    """
    if word in _AIN:
        return "ain"
    if word in _TALL:
        return "til"
    word = _ABU.sub("bu", word)
    word = word.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    word = word.replace("aa", "a").replace("ck", "k").replace("q", "k")
    # "Zawr"/"Zor"/"Zour" and "Dayr"/"Deir": a diphthong before a consonant
    # or at the end is one vowel in the other spellings ("ai" is kept: "Qaim" must
    # not shrink to a three-letter key that collides with unrelated names).
    word = _AW.sub("u", word)
    word = _AY.sub("i", word)
    word = word.replace("o", "u").replace("e", "i")
    # Final "-ah"/"-eh" (ta marbuta) is written with or without the h.
    word = _TA_MARBUTA.sub(r"\1", word)
    word = word[:-2] + "a" if word.endswith("iyia") else word
    return _DOUBLE.sub(r"\1", word)


#: Abbreviated first words of place names and the words they stand for.
_TITLE_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


@lru_cache(maxsize=400_000)
def place_key(name: str) -> str:
    """Return the folded key of a place name ("" when nothing is left to match on).

    >>> place_key("Deir ez-Zor") == place_key("Dayr az-Zawr") == place_key("Deir el-Zour")
    True
    """
    text = _CAMEL_ARTICLE.sub(r"\1 ", name)
    text = _APOSTROPHES.sub("", unidecode(text)).lower()
    words = [w for w in _NON_ALNUM.split(text) if w]
    # Drop articles, but never the only word ("As" alone stays "as" and is then
    # filtered by the caller's stop list).
    kept = [w for w in words if w not in ARTICLES] or words
    if len(kept) > 1 and kept[0] in _TITLE_ABBREVIATIONS:
        # "St. Marc", "Mt. Pleasant", "Ft. Worth": the abbreviation of a name's first word
        # is that word (Saint-Marc, Mount Pleasant, Fort Worth).
        kept[0] = _TITLE_ABBREVIATIONS[kept[0]]
    # "Albu Kamal" / "Abu Kamal" / "Bukamal": the prefix always joins the next word.
    return "".join(_fold_word(w) for w in kept)


_JOINED = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]{2,})$")


def split_joined(token: str) -> tuple[str, str] | None:
    """Split two capitalised names run together by lost punctuation ("IraqSyria").

    Returns the two halves, or None when the token is not of that shape. Article
    prefixes ("alQaim", "elZour") are not splits: ``place_key`` handles them.
    """
    match = _JOINED.match(token)
    if match is None:
        return None
    return match.group(1), match.group(2)


#: Kind words GeoNames puts in a district's own name ("Kurram District", "Qaḑā’ Kifrī").
_UNIT_WORDS = frozenset({"district", "qada", "qadaa", "qadha", "qaza", "nahiya", "nahiyat",
                         "markaz"})


def bare_unit_name(name: str) -> str:
    """A district's name without its kind word ("Qaḑā’ Kifrī" gives "Kifri", "Kurram
    District" gives "Kurram")."""
    words = unidecode(name).split()
    return " ".join(w for w in words if _APOSTROPHES.sub("", w).lower() not in _UNIT_WORDS)
