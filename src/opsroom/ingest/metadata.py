"""Article metadata read from the copy itself: authors, outlet, dateline, dates, language."""

from __future__ import annotations

import datetime as dt
import re

from .blocks import CAPTION_DATE_RE, DATE_LINE_RE, outlet_names

_CREDIT_PART = re.compile(
    r"^\s*\(?\s*(?P<role>additional reporting|reporting|writing|compiled)\s+by\s+(?P<names>.+?)\)?\s*$",
    re.IGNORECASE,
)


def _split_names(names: str) -> list[str]:
    """'A, B and C in Baghdad' → ['A', 'B', 'C']."""
    out: list[str] = []
    for part in re.split(r",\s*|\s+and\s+|\s*&\s*", names):
        part = re.sub(r"\s+in\s+[A-Z][\w .'’\-]*$", "", part.strip()).strip(" .)")
        if not part or "newsroom" in part.lower() or not part[0].isupper():
            continue
        if len(part.split()) > 5:
            continue
        out.append(part)
    return out


def byline_authors(byline: str) -> list[str]:
    """Names in a byline such as 'By Phil Stewart and Lisa Barrington'."""
    return _split_names(re.sub(r"^By\s+", "", byline.strip()))


def credit_authors(credit: str) -> list[str]:
    """Reporters and writers named in an end credit (editors are not authors)."""
    names: list[str] = []
    for part in credit.strip().strip("()").split(";"):
        m = _CREDIT_PART.match(part)
        if m and m.group("role").lower() != "additional reporting":
            names.extend(n for n in _split_names(m.group("names")) if n not in names)
    return names


def pretty_place(place: str) -> str:
    """'QAYYARA WEST AIRFIELD, Iraq' → 'Qayyara West Airfield, Iraq'."""
    def fix(word: str) -> str:
        """One word in title case, except short words and abbreviations ("US", "U.N."),
        which keep their case, and linking words after the first ("of", "near")."""
        if word in ("IN", "OF", "AT", "ON", "NEAR", "THE") and word != place.split()[0]:
            return word.lower()
        if not word.isupper() or "." in word or len(word) <= 2:
            return word
        return "-".join(p.capitalize() for p in word.split("-"))

    return re.sub(r"[A-Za-z.'’\-]+", lambda m: fix(m.group(0)), place).strip()


def canonical_outlet(name: str | None) -> str | None:
    """Canonical outlet name for an agency or outlet string."""
    if not name:
        return None
    return outlet_names().get(name.strip().lower(), name.strip())


def parse_date_text(text: str) -> dt.date | None:
    """A date from a short span that is only a date ('07 October, 2017')."""
    import dateparser

    parsed = dateparser.parse(
        text.replace(",", " "),
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"},
    )
    return parsed.date() if parsed else None


def date_from_date_line(line: str) -> dt.date | None:
    """The date of a line such as 'Updated 28 October 2017'."""
    m = DATE_LINE_RE.match(line.strip())
    return parse_date_text(m.group("date")) if m else None


def date_from_caption(caption: str) -> dt.date | None:
    """A photo's date from its caption: a lower bound on publication, never the date itself.

    The article ran on or after the picture was taken, perhaps weeks later, so the cleaner
    does not date an article by its captions; they stay in ``Article.captions``, where this
    reads the bound.  A file photo's date says nothing about the article.
    """
    if re.search(r"file photo", caption, re.IGNORECASE):
        return None
    parsed = (parse_date_text(m.group("date")) for m in CAPTION_DATE_RE.finditer(caption))
    dates = [d for d in parsed if d is not None]
    return max(dates) if dates else None


_EN_WORDS = frozenset(
    "the of and to in a is that for on with as was by said it from at his have has are were "
    "be an this which not but had they its their been who".split()
)


def detect_language(text: str) -> str | None:
    """'en' when the text reads as English.

    Written here rather than taken from a language-id package: the pipeline only handles
    English, so the one question is "is this English?", and the share of English function
    words answers it (≥ 25% in English news copy, < 5% in other languages) without a model.
    """
    words = re.findall(r"[a-z]+", text[:5000].lower())
    if len(words) < 5:
        return None
    share = sum(w in _EN_WORDS for w in words) / len(words)
    return "en" if share >= 0.15 else None
