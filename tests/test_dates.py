"""Date expressions resolved against the publication date (opsroom.events.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from opsroom.events.dates import DatedValue, compatible, find_dates, resolve_date, writing_day

#: The Ain al-Asad article (first in 000_…) was published on Wednesday 2021-07-07.
WED = dt.date(2021, 7, 7)
#: The Qayyara handover article: Thursday 2020-03-26.
THU = dt.date(2020, 3, 26)


def _r(text: str, published: dt.date | None = WED) -> DatedValue:
    value = resolve_date(text, published)
    assert value is not None, text
    return value


def test_weekday_same_as_publication_day_is_that_day() -> None:
    v = _r("on Wednesday")
    assert (v.date, v.precision) == (WED, "day")
    assert "publication day" in v.reason


def test_weekday_is_latest_on_or_before_publication() -> None:
    assert _r("on Monday").date == dt.date(2021, 7, 5)  # two days earlier
    assert _r("On Tuesday").date == dt.date(2021, 7, 6)
    assert _r("on Thursday", THU).date == THU
    assert _r("Wednesday’s attack").date == WED


def test_last_weekday_is_strictly_before() -> None:
    assert _r("last Thursday", THU).date == dt.date(2020, 3, 19)


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("last month", dt.date(2021, 6, 1), "month"),
        ("earlier this month", dt.date(2021, 7, 1), "month"),
        ("this year", dt.date(2021, 1, 1), "year"),
        ("earlier this year", dt.date(2021, 1, 1), "year"),
        ("last year", dt.date(2020, 1, 1), "year"),
        ("yesterday", dt.date(2021, 7, 6), "day"),
        ("At 22:00 last night", dt.date(2021, 7, 6), "day"),
        ("overnight", dt.date(2021, 7, 6), "day"),
        ("today", WED, "day"),
        ("last week", dt.date(2021, 7, 1), "week"),  # mid-week of the week before
        ("a week ago", dt.date(2021, 6, 30), "week"),
        ("four years ago", dt.date(2017, 1, 1), "year"),
        ("nearly three years ago", dt.date(2018, 1, 1), "year"),
        ("June 28", dt.date(2021, 6, 28), "day"),
        ("in September 2017", dt.date(2017, 9, 1), "month"),
        ("in 2014", dt.date(2014, 1, 1), "year"),
        ("February 18, 2019", dt.date(2019, 2, 18), "day"),
        ("28 October 2017", dt.date(2017, 10, 28), "day"),
    ],
)
def test_relative_and_absolute_expressions(text: str, date: dt.date, precision: str) -> None:
    v = _r(text)
    assert (v.date, v.precision) == (date, precision)
    assert v.reason


def test_month_day_without_year_never_lands_in_the_future() -> None:
    # dateparser's 'current_period' puts "December 5" after a July reference date.
    assert _r("December 5").date == dt.date(2020, 12, 5)


def test_month_without_year_is_latest_such_month() -> None:
    oct_2017 = dt.date(2017, 10, 7)
    assert _r("which it lost in July", oct_2017).date == dt.date(2017, 7, 1)


def test_without_publication_date_relative_dates_are_not_invented() -> None:
    for text in ("on Wednesday", "last month", "yesterday", "June 28", "four years ago"):
        v = _r(text, None)
        assert v.date is None and v.precision is None
        assert "no publication date" in v.reason
    # Full dates need no anchor.
    assert _r("in 2014", None).date == dt.date(2014, 1, 1)
    assert _r("September 2017", None).date == dt.date(2017, 9, 1)


def test_durations_are_not_dates() -> None:
    assert resolve_date("six years", WED) is None
    assert resolve_date("the 12th week", WED) is None


def test_find_dates_spans_point_into_the_text() -> None:
    text = ("At least 14 rockets hit an Iraqi air base hosting U.S. and other international "
            "forces on Wednesday, slightly wounding two people. Iraqi militia groups aligned "
            "with Iran vowed to retaliate after last month’s U.S. strikes on the border.")
    found = find_dates(text, WED)
    assert [text[v.start:v.end] for v in found] == ["on Wednesday", "last month"]
    assert found[0].date == WED and found[1].precision == "month"


def test_may_the_verb_is_not_a_month() -> None:
    assert find_dates("The coalition may strike again.", WED) == []


def test_compatible_periods() -> None:
    day = _r("on Monday")
    month = _r("earlier this month")
    other_day = _r("on Tuesday")
    assert compatible(day, month)
    assert not compatible(day, other_day)
    assert compatible(day, None)


@pytest.mark.parametrize("text,expected", [
    # corpus shape: "In 2014, Islamic State seized ..." at the head of a sentence
    ("In 2014 Islamic State declared its caliphate in Mosul.", (dt.date(2014, 1, 1), "year")),
    ("Since March 2015 the rebels have held the town.", (dt.date(2015, 3, 1), "month")),
    ("During 2016 the front barely moved.", (dt.date(2016, 1, 1), "year")),
])
def test_capitalised_lead_words_still_date_a_sentence(text: str,
                                                      expected: tuple[dt.date, str]) -> None:
    found = find_dates(text, dt.date(2017, 10, 7))
    assert [(d.date, d.precision) for d in found] == [expected]


# -- the day a text was written, and weeks ------------------------------------------------

#: (sentence, outlet, print date, the day "yesterday" means).  The first is the corpus's
#: (Caliphate reduced to crumbs, Sunday Star-Times, printed Sunday 2017-11-05, written the
#: day before); the second has the same shape, invented.
SUNDAY_PAPERS = [
    ("Islamic State’s territory has been reduced to a rump of desert and a few small towns "
     "after it suffered defeats on both sides of the IraqSyria border yesterday.",
     "Sunday Star-Times", dt.date(2017, 11, 5), dt.date(2017, 11, 3)),
    ("Kurdish fighters yesterday pushed militants out of the last streets of the old city.",
     "The Sunday Telegraph", dt.date(2019, 3, 24), dt.date(2019, 3, 22)),
]


@pytest.mark.parametrize("text,outlet,printed,meant", SUNDAY_PAPERS)
def test_a_sunday_papers_yesterday_counts_from_the_writing_day(
        text: str, outlet: str, printed: dt.date, meant: dt.date) -> None:
    written = writing_day(printed, outlet)
    assert written == printed - dt.timedelta(days=1)
    [value] = find_dates(text, printed, written)
    assert (value.date, value.precision) == (meant, "day")
    assert "written" in value.reason
    # A daily printed the same Sunday counts from its print date.
    assert writing_day(printed, "Reuters") is None
    [daily] = find_dates(text, printed, writing_day(printed, "Reuters"))
    assert daily.date == printed - dt.timedelta(days=1)


def test_a_sunday_paper_on_another_day_is_not_shifted() -> None:
    assert writing_day(dt.date(2017, 11, 4), "Sunday Star-Times") is None
    assert writing_day(None, "Sunday Star-Times") is None


def test_week_dates_sit_mid_week_and_span_the_week() -> None:
    # "Coalition troops left a base at al-Qaim on the Syrian border last week." (THU)
    last = _r("last week", THU)
    assert last.date == dt.date(2020, 3, 19)  # Thursday of the week before
    assert last.period() == (dt.date(2020, 3, 16), dt.date(2020, 3, 22))
    # Invented, same shape: a Monday story's "earlier this week" is that Monday.
    this = _r("earlier this week", dt.date(2020, 3, 23))
    assert (this.date, this.precision) == (dt.date(2020, 3, 23), "week")


def test_a_narrative_counts_its_days_in_the_year_it_wrote() -> None:
    """An encyclopedia's narrative has no publication date: a day or a month told without
    a year is in the year the text last wrote, and nothing else borrows that year."""
    text = ("In November 2005 the coalition launched an operation near Husaybah. On "
            "5 November, Marines began their assault on Karabilah. Then on 10 November the "
            "coalition forces attacked the city. Last year they came back on Tuesday.")
    found = {v.text: v for v in find_dates(text, None)}
    assert found["5 November"].date == dt.date(2005, 11, 5)
    assert found["10 November"].precision == "day"
    assert "2005" in found["10 November"].reason
    assert found["Last year"].date is None and found["on Tuesday"].date is None
    # With a publication date the article's own calendar decides, as before.
    dated = {v.text: v for v in find_dates(text, dt.date(2006, 3, 1))}
    assert dated["5 November"].date == dt.date(2005, 11, 5)


@pytest.mark.parametrize("text,date", [
    # Notes and feeds write the day in figures, day first as the region does.
    ("13/03/2019 - Coalition airstrike on Baghuz camp", dt.date(2019, 3, 13)),
    ("2019-03-13: SDF fighters clashed with ISIS in Hajin.", dt.date(2019, 3, 13)),
    ("Clashes on 12.05.2021.", dt.date(2021, 5, 12)),
    # A first figure no month can be: month first.
    ("Posted 03/13/2019", dt.date(2019, 3, 13)),
])
def test_days_written_in_figures(text: str, date: dt.date) -> None:
    [v] = find_dates(text, WED)
    assert (v.date, v.precision) == (date, "day")


@pytest.mark.parametrize("text", ["version 1.2.2019x", "ref 2019-03-13.5", "31/02/2019"])
def test_figures_that_are_no_day(text: str) -> None:
    """A version number, a decimal after a date and an impossible day are no dates."""
    assert [v.date for v in find_dates(text, WED) if v.date is not None] == []
