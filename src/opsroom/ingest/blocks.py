"""Cut raw text into blocks (non-empty lines) and say what each block is.

Real input is wire copy pasted from web pages: one paragraph per line, headlines and
captions on lines of their own, page furniture around it.  The kinds below are what
that copy shows; ``split`` and ``clean`` decide from them where articles start and
what is body text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from ..calendar_words import MONTH_RE

BlockKind = Literal[
    "body", "headline", "caption", "byline", "dateline", "credit", "date", "outlet",
    "furniture", "subhead",
]


@dataclass
class Block:
    """One non-empty line of raw text: ``raw[start:end] == text``."""

    start: int
    end: int
    text: str
    kind: BlockKind = "body"


_MONTHS = MONTH_RE + r"\.?"
# The wire's own form leaves the year out: "MOGADISHU, March 14 (Reuters) -".
_DATE_EXPR = (rf"(?:\d{{1,2}}\s+{_MONTHS}(?:,?\s+\d{{4}})?|{_MONTHS}\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
              r"|\d{4}-\d{2}-\d{2})")

# Dateline: "BAGHDAD (Reuters) -", "QAYYARA WEST AIRFIELD, Iraq (Reuters) –",
# "NEAR MOSUL/ERBIL, Iraq (Reuters) –", "BEIRUT: ", "MOSUL, Iraq (AP) —", and the dated
# form of press releases and statements: "SOUTHWEST ASIA, March 3, 2017 —",
# "WASHINGTON, 5 January 2017 -".
_PLACE = r"[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+)*"
_DATELINE_RE = re.compile(
    rf"^(?P<place>{_PLACE}(?:,\s*[A-Z][A-Za-z.\-]+(?:\s[A-Z][A-Za-z.\-]+)?)?"
    rf"(?:/{_PLACE}(?:,\s*[A-Z][A-Za-z.\-]+)?)*)"
    rf"(?:,?\s*(?P<date>{_DATE_EXPR}))?"
    r"(?:\s*\((?P<agency>[A-Za-z][A-Za-z .&\-]{0,40})\))?"
    r"\s*(?:[–—\-]+|:)\s*"
)
# The title-case form of press offices: "Mogadishu, Somalia —", "Tampa, Fla. –", "Kyiv,
# Ukraine, March 3, 2023 —": a town, a comma, its country or state, and a true dash (a
# hyphen joins words in prose too often to mark one).
_TITLE_WORD = r"[A-Z][a-z'’\-]+"
_TITLE_DATELINE_RE = re.compile(
    rf"^(?P<place>{_TITLE_WORD}(?: {_TITLE_WORD}){{0,2}},\s*[A-Z][A-Za-z.'’\-]+"
    rf"(?: [A-Z][A-Za-z.'’\-]+){{0,2}})"
    rf"(?:,?\s*(?P<date>{_DATE_EXPR}))?"
    r"(?:\s*\((?P<agency>[A-Za-z][A-Za-z .&\-]{0,40})\))?"
    r"\s*[–—]\s*(?=[A-Z\"“])"
)
#: Title-case words that open prose with a comma, never a dateline's town.
_NOT_TOWN = {"Meanwhile", "However", "Still", "Yet", "Today", "Later", "Earlier", "Also",
             "Instead", "Separately", "Elsewhere", "Overall", "Nevertheless", "Moreover",
             "Indeed", "Finally", "Then", "Now", "Yesterday", "Tomorrow", "Here", "There"}
#: All-caps words that open a paragraph with a colon but are not places.
_NOT_DATELINE = {"UPDATE", "NOTE", "EDITOR'S NOTE", "WATCH", "READ MORE", "PHOTO", "VIDEO",
                 "BREAKING", "EXCLUSIVE", "ANALYSIS", "FILE", "FILE PHOTO", "CORRECTION"}

_CREDIT_RE = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|research)\s+by\b.*\)?\s*$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w.'’\-]+(?:\s+(?:al-|el-|bin\s|van\s|de\s)?[A-Z][\w.'’\-]+){0,3}"
_BYLINE_RE = re.compile(rf"^By\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*\s*$")

#: A line that is only a date, maybe with "Updated"/"Published" and a time.
DATE_LINE_RE = re.compile(
    rf"^(?:(?P<label>updated|published|last updated|posted)\s*:?\s*)?(?P<date>{_DATE_EXPR})"
    r"(?:\s*(?:at\s*)?\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)
#: A date at the end of a photo caption ("... Iraq August 5, 2017." / "Picture taken ...").
CAPTION_DATE_RE = re.compile(rf"(?P<date>{_MONTHS}\s+\d{{1,2}},\s+\d{{4}})\.?")
_CAPTION_MARKERS = re.compile(
    r"(REUTERS/|\bREUTERS\s*$|\?\?\s*REUTERS\s*\?\?|^REUTERS\s|\((?:AFP|AP|Reuters)\)\s*$|"
    r"\[(?:Getty|AFP|Reuters|AP)[^\]]*\]\s*$|Picture taken|^FILE PHOTO|Handout via|"
    r"\bPhoto:|/File Photo\s*$|\(Photo\b|\bGetty Images\s*$)",
)
#: A caption ends on the day the picture was taken, set after the place with no preposition
#: ("... in Mosul, Iraq August 5, 2017."); prose that ends on a date introduces it ("... was
#: killed in a raid on October 26, 2008.", "... since June 3, 2014."), and is body text.
_CAPTION_END_DATE = re.compile(
    rf"(?<!\bon\s)(?<!\bsince\s)(?<!\buntil\s)(?<!\bby\s)(?<!\bfrom\s)(?<!\bto\s)"
    rf"(?<!\bbefore\s)(?<!\bafter\s)(?<!\bof\s)"
    rf"{_MONTHS}\s+\d{{1,2}},\s+\d{{4}}\.?\s*$",
)
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*\s*$")
_OUTLET_SUFFIX = re.compile(
    r"^(?:The\s+)?(?:[A-Z][\w\-]*\s+){0,3}(?:Times|Post|News|Herald|Journal|Gazette|Tribune|"
    r"Star|Star-Times|Telegraph|Guardian|Observer|Chronicle|Independent|Monitor|Daily|Express)$"
)


@lru_cache(maxsize=1)
def furniture_patterns() -> tuple[re.Pattern[str], ...]:
    """Page-furniture patterns, kept as data so users can add their own sites' lines."""
    text = resources.files("opsroom.data.ingest").joinpath("furniture.jsonl").read_text("utf-8")
    return tuple(
        re.compile(json.loads(line)["pattern"], re.IGNORECASE)
        for line in text.splitlines()
        if line.strip()
    )


@lru_cache(maxsize=1)
def outlet_records() -> tuple[dict[str, Any], ...]:
    """The outlets file's records (``data/ingest/outlets.jsonl``), read once: names and
    aliases for the cleaner, reach (``scale``) for the ACLED export."""
    text = resources.files("opsroom.data.ingest").joinpath("outlets.jsonl").read_text("utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def outlet_names() -> dict[str, str]:
    """Alias (lower case) → canonical outlet name."""
    return {alias.lower(): rec["name"] for rec in outlet_records() for alias in rec["aliases"]}


def dateline_match(text: str) -> re.Match[str] | None:
    """The dateline at the start of a paragraph, if there is one."""
    m = _DATELINE_RE.match(text)
    if not m:
        m = _TITLE_DATELINE_RE.match(text)
        if m is None or m.group("place").split(",")[0].split()[0] in _NOT_TOWN \
                or len(text[m.end():].split()) < 6:
            return None
        return m
    place = m.group("place").strip()
    head = place.split(",")[0].strip()
    if head in _NOT_DATELINE or len(re.sub(r"[^A-Z]", "", head)) < 3:
        return None
    rest = text[m.end():]
    # A dateline opens a paragraph of prose, not a subhead or a caption.
    if len(rest.split()) < 6:
        return None
    if not m.group("agency") and not m.group("date") and \
            ":" not in text[m.start("place") + len(m.group("place")):m.end()]:
        # "X -" without an agency or a date: accept only an all-caps place followed by prose
        # ("SOUTHWEST ASIA -", "MOGADISHU, Somalia -": the city in capitals, its country not).
        if not head.isupper():
            return None
    return m


def classify(text: str) -> BlockKind:
    """What one block is, from its own text."""
    stripped = text.strip()
    lower = stripped.lower()
    words = stripped.split()
    if not re.search(r"[A-Za-z\u0600-\u06FF]{2,}", stripped):
        return "furniture"
    if any(p.search(lower) for p in furniture_patterns()):
        return "furniture"
    if _CREDIT_RE.match(stripped):
        return "credit"
    if _BYLINE_RE.match(stripped):
        return "byline"
    if DATE_LINE_RE.match(stripped):
        return "date"
    if dateline_match(stripped):
        return "dateline"
    if _CAPTION_MARKERS.search(stripped) or (
        _CAPTION_END_DATE.search(stripped) and len(words) >= 5
    ):
        return "caption"
    if stripped.lower() in outlet_names() or (
        len(words) <= 4 and _OUTLET_SUFFIX.match(stripped)
    ):
        return "outlet"
    letters = re.sub(r"[^A-Za-z]", "", stripped)
    if letters.isupper() and len(words) <= 8:
        return "subhead"
    if len(words) <= 25 and not _SENTENCE_END.search(stripped):
        return "headline"
    return "body"


def to_blocks(raw: str) -> list[Block]:
    """Non-empty lines with their offsets and kinds."""
    blocks: list[Block] = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        lead = len(content) - len(content.lstrip())
        body = content.strip()
        if body:
            start = pos + lead
            blocks.append(Block(start, start + len(body), body, classify(body)))
        pos += len(line)
    return blocks
