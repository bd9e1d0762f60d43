"""Find date expressions in an article and resolve them against its publication date.

Why our own rules: dateparser, asked with a Wednesday reference, turns "on Wednesday" into
the Wednesday a week earlier, puts "December 5" in the future and gives nothing for
"earlier this month" or "overnight" (NOTES.md).  News reporting dates events relative to
the day the story was filed, so every relative expression is resolved here against
``Article.published`` by explicit arithmetic, and every value says why.

1. Spans come from regular expressions (weekdays, month-day, month-year, years, relative
   words, "N years ago") and from spaCy's DATE/TIME entities, longest span first.
2. Each span is resolved by :func:`resolve_date`: a :class:`DatedValue` with a date, a
   precision (day / week / month / year, as ACLED) and a reason.  Without a publication
   date a relative expression resolves to ``date=None`` with its reason: never invented.
3. Durations ("six years", "in six years of fighting") are not points in time: skipped.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from spacy.tokens import Doc

from ..calendar_words import MONTH_RE, MONTHS, WEEKDAY_RE, WEEKDAYS
from .lexicon import load_lexicon

Precision = Literal["day", "week", "month", "year"]

@dataclass(frozen=True)
class DatedValue:
    """A resolved date expression: when, how precisely, why, and where it was written."""

    date: dt.date | None
    precision: Precision | None
    reason: str
    text: str = ""
    start: int = 0
    end: int = 0

    def period(self) -> tuple[dt.date, dt.date] | None:
        """First and last day the value covers (None when unresolved)."""
        if self.date is None or self.precision is None:
            return None
        d = self.date
        if self.precision == "day":
            return d, d
        if self.precision == "week":
            # A week-precision date is the best single day inside its week (mid-week
            # for "last week"; eval/ANNOTATION.md), so the week spans three days around it.
            return d - dt.timedelta(days=3), d + dt.timedelta(days=3)
        if self.precision == "month":
            return d, d.replace(day=calendar.monthrange(d.year, d.month)[1])
        return d, dt.date(d.year, 12, 31)


def compatible(a: DatedValue | None, b: DatedValue | None) -> bool:
    """Whether two dates can describe the same happening (periods overlap; unknown fits)."""
    if a is None or b is None:
        return True
    pa, pb = a.period(), b.period()
    if pa is None or pb is None:
        return True
    return pa[0] <= pb[1] and pb[0] <= pa[1]


_YEAR_RE = r"(?:19|20)\d\d"


@lru_cache(maxsize=1)
def _small_numbers() -> dict[str, int]:
    """Number words of a count of days, weeks, months or years ("two weeks ago"): the
    lexicon's number words (data/events/numbers.json), and "a"/"an" for one."""
    words = {w: n for w, n in load_lexicon().numbers["words"].items() if 0 < n <= 12}
    return {"a": 1, "an": 1, **words}


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The span patterns, most specific first (compiled once, on first use)."""
    num = "(?:" + "|".join(sorted(_small_numbers(), key=len, reverse=True)) + r"|\d+)"
    return (
        # Notes and feeds write days in figures: "2019-03-13", "13/03/2019", "13.03.2019".
        ("iso", re.compile(rf"(?<![\d/.-])(?P<y>{_YEAR_RE})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?![\w/-]|\.\d)")),
        ("numeric", re.compile(
            rf"(?<![\d/.-])(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>{_YEAR_RE})"
            r"(?![\w/-]|\.\d)")),
        ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{MONTH_RE})\.?,?\s+(?P<y>{_YEAR_RE})\b")),
        ("mdy", re.compile(
            rf"\b(?P<m>{MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
            rf"(?:,?\s+(?P<y>{_YEAR_RE})\b)?")),
        ("dm", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{MONTH_RE})\b")),
        ("my", re.compile(
            rf"\b(?:(?P<mod>(?i:early|late|mid-?|in|since|during|by|until|from|of|last|this|"
            rf"through|before|after))\s+)?(?P<m>{MONTH_RE})\b(?:\s+(?P<y>{_YEAR_RE})\b)?")),
        ("year", re.compile(
            rf"\b(?P<mod>(?i:in|since|during|by|until|from|of|early|late|mid-|before|after|"
            rf"between|and|to|year))\s+(?P<y>{_YEAR_RE})\b(?!\s*(?:km|miles|people|troops|"
            rf"fighters|soldiers|civilians)\b)")),
        ("weekday", re.compile(
            rf"\b(?:(?P<mod>last|this|next|late on|early on|late|early|on|since|by|until|from)"
            rf"\s+)?(?P<wd>{WEEKDAY_RE})(?P<poss>['’]s)?(?:\s+(?P<part>night|morning|evening|"
            rf"afternoon))?\b")),
        ("ago", re.compile(
            rf"\b(?:(?:nearly|almost|about|some|around|more than|over|just over|less than)\s+)?"
            rf"(?P<n>{num})\s+(?P<u>day|week|month|year)s?\s+ago\b", re.IGNORECASE)),
        ("relative", re.compile(
            r"\b(?:(?:late|early)\s+)?(?P<rel>yesterday|today|tonight|overnight|last night|"
            r"this morning|this afternoon|this evening|earlier today|earlier this week|"
            r"this week|last week|the past week|the previous week|earlier this month|"
            r"later this month|this month|last month|the past month|the previous month|"
            r"earlier this year|this year|last year|the previous year|the past year|"
            r"last weekend|this weekend|the weekend)\b", re.IGNORECASE)),
    )


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _midweek(d: dt.date) -> dt.date:
    """Thursday of ``d``'s week: the middle of a Monday-to-Sunday week."""
    return _monday(d) + dt.timedelta(days=3)


def _first_of_month_back(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + (d.month - 1) - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _no_anchor(text: str) -> DatedValue:
    return DatedValue(None, None, f"'{text}' is relative and the article has no publication date")


def _resolve_match(kind: str, m: re.Match[str], published: dt.date | None,
                   written: dt.date | None = None) -> DatedValue | None:
    text = m.group(0)
    g = m.groupdict()
    if kind in ("iso", "numeric"):
        if kind == "iso":
            day, month = int(g["d"]), int(g["m"])
        else:
            # Day first, as the world and the region's notes write it, unless the first
            # figure cannot be a month's day and the second can ("03/13/2019").
            day, month = int(g["a"]), int(g["b"])
            if month > 12 >= day:
                day, month = month, day
        try:
            return DatedValue(dt.date(int(g["y"]), month, day), "day", "full date written")
        except ValueError:
            return None
    if kind in ("dmy", "mdy", "dm"):
        month = MONTHS[g["m"].lower().rstrip(".")]
        day = int(g["d"])
        year = g.get("y")
        if year:
            try:
                return DatedValue(dt.date(int(year), month, day), "day", "full date written")
            except ValueError:
                return None
        if published is None:
            return _no_anchor(text)
        for y in (published.year, published.year - 1):
            try:
                cand = dt.date(y, month, day)
            except ValueError:
                continue
            if cand <= published:
                return DatedValue(cand, "day", "month and day: the latest such date on or "
                                  "before publication")
        return None
    if kind == "my":
        month = MONTHS[g["m"].lower().rstrip(".")]
        mod = (g.get("mod") or "").lower()
        if g.get("y"):
            reason = "start of a period" if mod == "since" else "month and year written"
            return DatedValue(dt.date(int(g["y"]), month, 1), "month", reason)
        if not mod or g["m"] == "May" and mod not in ("in", "since", "during", "early", "late",
                                                      "mid", "mid-", "last", "this", "until"):
            return None  # a bare capitalised month word is too often not a date ("May")
        if published is None:
            return _no_anchor(text)
        year = published.year if month <= published.month else published.year - 1
        if mod == "last" and month == published.month:
            year -= 1
        return DatedValue(dt.date(year, month, 1), "month",
                          "month without year: the latest such month on or before publication")
    if kind == "year":
        mod = (g.get("mod") or "").lower()
        reason = "start of a period" if mod == "since" else "year written"
        return DatedValue(dt.date(int(g["y"]), 1, 1), "year", reason)
    if kind == "weekday":
        if published is None:
            return _no_anchor(text)
        target = WEEKDAYS.index(g["wd"])
        mod = (g.get("mod") or "").lower()
        back = (published.weekday() - target) % 7
        if mod == "last" and back == 0:
            back = 7
            why = "'last' weekday: the one before the publication day"
        elif mod == "next":
            fwd = (target - published.weekday()) % 7 or 7
            return DatedValue(published + dt.timedelta(days=fwd), "day",
                              "'next' weekday: after publication")
        elif back == 0:
            why = "weekday of the publication day itself"
        else:
            why = f"latest {g['wd']} on or before publication ({back} days earlier)"
        return DatedValue(published - dt.timedelta(days=back), "day", why)
    if kind == "ago":
        if published is None:
            return _no_anchor(text)
        raw = g["n"].lower()
        n = int(raw) if raw.isdigit() else _small_numbers()[raw]
        unit = g["u"].lower()
        if unit == "day":
            return DatedValue(published - dt.timedelta(days=n), "day", f"{n} day{'s' * (n != 1)} before publication")
        if unit == "week":
            return DatedValue(published - dt.timedelta(days=7 * n), "week",
                              f"{n} week{'s' * (n != 1)} before publication")
        if unit == "month":
            return DatedValue(_first_of_month_back(published, n), "month",
                              f"{n} month{'s' * (n != 1)} before publication")
        return DatedValue(dt.date(published.year - n, 1, 1), "year",
                          f"{n} year{'s' * (n != 1)} before publication")
    if kind == "relative":
        if published is None:
            return _no_anchor(text)
        rel = g["rel"].lower()
        p = published
        if written is not None and written != published and rel in _DAY_WORDS:
            # "yesterday" in a text written the day before it was printed.
            said_of = (written - dt.timedelta(days=1)) if rel in _DAY_BEFORE_WORDS else written
            return DatedValue(said_of, "day", f"'{rel}' from the day the text was written "
                              f"({written.isoformat()}), before its print date")
        table: dict[str, tuple[dt.date, Precision, str]] = {
            "today": (p, "day", "the publication day"),
            "tonight": (p, "day", "the publication day"),
            "this morning": (p, "day", "the publication day"),
            "this afternoon": (p, "day", "the publication day"),
            "this evening": (p, "day", "the publication day"),
            "earlier today": (p, "day", "the publication day"),
            "yesterday": (p - dt.timedelta(days=1), "day", "the day before publication"),
            "last night": (p - dt.timedelta(days=1), "day", "the night before publication"),
            "overnight": (p - dt.timedelta(days=1), "day",
                          "overnight: the night before publication, dated by its evening"),
            "this week": (min(_midweek(p), p), "week", "the publication week"),
            "earlier this week": (min(_midweek(p), p), "week", "the publication week"),
            "last week": (_midweek(p) - dt.timedelta(days=7), "week",
                          "the week before the publication week, mid-week"),
            "the past week": (p - dt.timedelta(days=3), "week",
                              "the seven days to publication, their middle"),
            "the previous week": (_midweek(p) - dt.timedelta(days=7), "week",
                                  "the week before the publication week, mid-week"),
            "this month": (p.replace(day=1), "month", "the publication month"),
            "earlier this month": (p.replace(day=1), "month", "the publication month"),
            "later this month": (p.replace(day=1), "month", "the publication month"),
            "last month": (_first_of_month_back(p, 1), "month",
                           "the month before the publication month"),
            "the past month": (_first_of_month_back(p, 1), "month",
                               "the month before the publication month"),
            "the previous month": (_first_of_month_back(p, 1), "month",
                                   "the month before the publication month"),
            "this year": (dt.date(p.year, 1, 1), "year", "the publication year"),
            "earlier this year": (dt.date(p.year, 1, 1), "year", "the publication year"),
            "last year": (dt.date(p.year - 1, 1, 1), "year", "the year before publication"),
            "the past year": (dt.date(p.year - 1, 1, 1), "year", "the year before publication"),
            "the previous year": (dt.date(p.year - 1, 1, 1), "year",
                                  "the year before publication"),
        }
        if rel in ("last weekend", "this weekend", "the weekend"):
            back = (p.weekday() - 5) % 7
            if rel == "last weekend" and back < 2:
                back += 7
            return DatedValue(p - dt.timedelta(days=back), "week",
                              "the latest weekend on or before publication")
        value = table.get(rel)
        if value is None:
            return None
        return DatedValue(value[0], value[1], value[2])
    return None


#: Relative words that count from the day the text was written.
_DAY_BEFORE_WORDS = {"yesterday", "last night", "overnight"}
_DAY_WORDS = _DAY_BEFORE_WORDS | {"today", "tonight", "this morning", "this afternoon",
                                  "this evening", "earlier today"}
#: A Sunday newspaper: its pages are written the day before they are printed.
_SUNDAY_PAPER = re.compile(r"\bSunday\b", re.IGNORECASE)


def writing_day(published: dt.date | None, outlet: str | None) -> dt.date | None:
    """The day the text was written, when it differs from its print date.

    A Sunday paper is printed on Sunday from copy written on Saturday, so its
    "yesterday" is Friday (eval/ANNOTATION.md: a Sunday reprint keeps the print date;
    its "yesterday" counts from the writing day).  None otherwise.
    """
    if published is None or outlet is None or published.weekday() != 6:
        return None
    if not _SUNDAY_PAPER.search(outlet):
        return None
    return published - dt.timedelta(days=1)


def resolve_date(text: str, published: dt.date | None) -> DatedValue | None:
    """Resolve one date expression; None when the text holds no point in time at all.

    The first pattern (most specific first) that matches anywhere in ``text`` decides.
    A value with ``date=None`` means a date expression that cannot be anchored.
    """
    for kind, pattern in _patterns():
        m = pattern.search(text)
        if m:
            value = _resolve_match(kind, m, published)
            if value is not None:
                return replace(value, text=text)
    return None


def find_dates(doc: Doc | str, published: dt.date | None,
               written: dt.date | None = None) -> list[DatedValue]:
    """Every date expression in the text, resolved, in text order, without overlaps.

    ``written`` is the day the text was written when not its print date
    (:func:`writing_day`): day words ("yesterday") count from it.
    """
    text = doc if isinstance(doc, str) else doc.text
    found: list[DatedValue] = []
    for kind, pattern in _patterns():
        for m in pattern.finditer(text):
            value = _resolve_match(kind, m, published, written)
            if value is not None:
                found.append(replace(value, text=m.group(0), start=m.start(), end=m.end()))
    if not isinstance(doc, str):
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            value = resolve_date(ent.text, published)
            if value is not None and re.fullmatch(rf"(?:the\s+)?{_YEAR_RE}", ent.text):
                found.append(replace(value, start=ent.start_char, end=ent.end_char))
    found.sort(key=lambda v: (-(v.end - v.start), v.start))
    kept: list[DatedValue] = []
    for v in found:
        if all(v.end <= k.start or v.start >= k.end for k in kept):
            kept.append(v)
    kept.sort(key=lambda v: v.start)
    return _in_the_narrative_year(kept) if published is None else kept


#: How far back (characters) a written year still sets the year of a day or a month told
#: without one: about a paragraph of an encyclopedia's narrative.
NARRATIVE_YEAR_REACH = 1500
_MONTH_ONLY = re.compile(rf"\b(?:{MONTH_RE})\b")


def _in_the_narrative_year(kept: list[DatedValue]) -> list[DatedValue]:
    """Days and months told without a year, in a text with no publication date, take the
    year the text last wrote before them.

    "In November 2005 the coalition launched Operation Steel Curtain. … On 10 November the
    coalition forces began to attack the city": an encyclopedia's or a statement's
    narrative writes the year once and counts the days in it.  Only a month name is read
    so (not "last year" or "Tuesday", which count from a day the text never gives), and
    only a year written out ("2005", "November 2005", "5 November 2005") within about a
    paragraph before it.
    """
    out: list[DatedValue] = []
    year: tuple[int, int] | None = None  # (year, where it was written)
    for v in kept:
        if v.date is not None and v.reason in _WRITTEN_YEAR_REASONS:
            year = (v.date.year, v.end)
        elif v.date is None and year is not None and _MONTH_ONLY.search(v.text) \
                and v.start - year[1] <= NARRATIVE_YEAR_REACH:
            value = resolve_date(v.text, dt.date(year[0], 12, 31))
            if value is not None and value.date is not None and value.date.year == year[0]:
                v = replace(value, reason=f"told without a year: the year the text last "
                            f"wrote ({year[0]})", start=v.start, end=v.end)
        out.append(v)
    return out


#: Reasons of dates whose year the text wrote out.
_WRITTEN_YEAR_REASONS = frozenset({"full date written", "month and year written", "year written"})
