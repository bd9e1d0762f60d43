"""Surface forms of names: the key two spellings share, and the variants scraped text shows.

Scraped text drops hyphens and spaces ("USled", "Kurdishled", "alAssad") and mixes
straight and curly apostrophes; the matcher is given every such variant of a name so
that one entry in the knowledge base covers them all.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})
_SHORT_CAPS = re.compile(r"^[A-Z](?:[A-Z.]){0,4}$")


def alias_key(form: str) -> str:
    """Key under which two spellings of one name are the same ("Da'esh" = "Daesh")."""
    text = unidecode(form.translate(_APOSTROPHES)).lower()
    text = re.sub(r"[.'\u2019]", "", text)
    text = re.sub(r"[-\s]+", " ", text).strip()
    return text.removeprefix("the ")


def strip_article(form: str) -> str:
    """Drop a leading "the": a name's span never includes it (ANNOTATION.md)."""
    return form[4:] if form.lower().startswith("the ") else form


def is_case_sensitive(form: str) -> bool:
    """True when the form holds a short all-caps word ("IS", "US", "SANA").

    Such words collide with English words ("is", "us") or names when case is ignored,
    so they match only as written.
    """
    return any(_SHORT_CAPS.match(word) for word in re.split(r"[\s\-]+", form) if word)


def variants(form: str) -> set[str]:
    """Spellings of ``form`` seen in scraped text: hyphens dropped or spaced, "U.S." as "US"."""
    base = form.translate(_APOSTROPHES)
    out = {form, base, base.replace("'", "’")}
    for text in list(out):
        if "U.S." in text:
            out.add(text.replace("U.S.", "US"))
    for text in list(out):
        if "-" in text:
            out.add(text.replace("-", ""))
            out.add(text.replace("-", " "))
    for text in list(out):
        # "al-Assad" -> "alAssad", "Al Qaeda" -> "AlQaeda": scraped Arabic articles
        joined = re.sub(r"\b([Aa][lnr])[\s-]([A-Z])", r"\1\2", text)
        out.add(joined)
    return {v for v in out if v.strip()}


def case_variants(form: str) -> set[str]:
    """Case spellings of a case-sensitive form: its short caps kept, other words varied.

    "U.S.-led coalition" also matches "U.S.-led Coalition" but "IS" never matches "is".
    """
    parts = re.split(r"(\s+|-)", form)

    def build(change: str) -> str:
        """The form with each longer word lowered, capitalised or upper-cased (``change``),
        separators and short caps ("U.S.", "IS") as they were."""
        out = []
        for part in parts:
            if not part.strip() or part == "-" or _SHORT_CAPS.match(part):
                out.append(part)
            elif change == "lower":
                out.append(part.lower())
            elif change == "title":
                out.append(part[:1].upper() + part[1:])
            else:
                out.append(part.upper())
        return "".join(out)

    return {form, build("lower"), build("title"), build("upper")}


#: A word of a name: letters, with an apostrophe inside ("Ja’afari", "Kata'ib", "O'Brien").
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Scraped text glues a footnote mark or a bracket to a name ("Assad,[1]",
#: "Qanbar(Arabic", "Army.[4]"); the tokenizer leaves them one token. A full stop alone
#: ends an abbreviation ("Jr."), no glued mark.
_GLUED = re.compile(r"([^\W\d_]{2,}(?:['’][^\W\d_]+)*)(?:[\[(]|[,.;:][\[(\d])")


def name_word(text: str) -> str | None:
    """The name word a token's text holds: all of it, or its part before a glued mark
    ("Qanbar(Arabic" -> "Qanbar"); None when it holds none."""
    if NAME_WORD.fullmatch(text):
        return text
    glued = _GLUED.match(text)
    return glued.group(1) if glued else None


def glued(text: str) -> bool:
    """True when a token's text is a name word with marks glued after it."""
    word = name_word(text)
    return word is not None and word != text
