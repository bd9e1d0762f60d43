"""The situation report: what happened in a window, written for an analyst.

``build_sitrep`` gathers the figures from the store; ``render_markdown`` and
``render_html`` write them out; ``write_sitrep`` does all three and the two images.
The report is built in four steps:

1. select the window's events with the query of ``opsroom events --since --until`` (history
   told in passing is left out);
2. headline figures from the functions the other commands print: events and deaths are the
   totals of ``opsroom trends`` (the conservative figure, and the low–high span of the
   claims), the by-country rows its ``--by country``; the main events, ranked by what an
   analyst reads first, each quoted by the few sentences that tell it best (the rest
   folded);
3. control changes: the list ``opsroom changes`` prints for the window, whole;
4. two images drawn offline with matplotlib: a map on the shipped Natural Earth basemap
   (``opsroom/data/basemap``), its numbers placed so that no two labels overlap, and a trend
   chart by week (a window of up to 16 weeks) or by month, whose table folds stretches of
   empty weeks or months into one row.

The HTML page is self-contained: inline CSS, images as base64 ``data:`` URIs, no script,
no external request; every piece of article text is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ..errors import KnowledgeError
from ..geo.keys import place_key
from ..models import Event, Source
from ..store import EventQuery, Store, select_events
from .control import ControlChange, Evidence, control_changes, load_cues
from .trends import Trend, trend

if TYPE_CHECKING:
    from ..knowledge import Knowledge

#: Sub-types that move ground from one side to another: the report's "control changes".
TERRITORIAL = ("Government regains territory", "Non-state actor overtakes territory",
               "Non-violent transfer of territory")

#: Main events shown in the report's table. Ten rows fit one screen of the HTML page and
#: are what a daily brief of the ACLED/ISW kind leads with; the rest are counted.
MAIN_EVENTS = 10

#: Event type colours on the map and in the legend (ColorBrewer-like, distinct in print).
TYPE_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#27ae60",
    "Riots": "#795548",
    "Strategic developments": "#2c6fad",
}


# -- 1. selecting -------------------------------------------------------------------


@dataclass(frozen=True)
class SitrepOptions:
    """The window and scope of one report."""

    since: dt.date
    until: dt.date
    country: str | None = None
    main_events: int = MAIN_EVENTS


@dataclass
class CountryFigures:
    """One row of the "By country" table; ``unknown`` counts events with no figure, so a
    country whose every event lacks one reads "not stated", not 0."""

    country: str
    events: int = 0
    fatalities: int = 0
    fatalities_high: int = 0
    unknown: int = 0


Unit = Literal["week", "month"]


@dataclass(frozen=True)
class Bucket:
    """One row of the trend table: a week or a month of the window (cut to the window at
    either end), or a folded stretch of ``spans`` empty ones."""

    start: dt.date
    end: dt.date
    events: int
    fatalities: int
    #: Events of the period that state a death toll: none means the deaths are unknown.
    with_figures: int
    spans: int = 1


@dataclass
class Sitrep:
    """Everything the report says, computed once and rendered twice."""

    options: SitrepOptions
    events: list[Event]
    outlets: dict[str, str | None]
    main: list[Event]
    control: list[ControlChange]
    #: Event ids of the window's changes that another report contradicts.
    contested: set[str]
    by_country: list[CountryFigures]
    #: The window's events by ISO week: what ``opsroom trends --by week`` prints, totals
    #: included, so the headline and that command cannot disagree.
    totals: Trend
    #: "week" for a window of up to ``WEEKLY_MAX_DAYS``, else "month".
    unit: Unit
    #: Every week or month of the window, empty ones included (the chart's bars).
    buckets: list[Bucket]
    generated: dt.date
    map_png: bytes = b""
    trend_png: bytes = b""
    #: How each article is named beside its sentences: its outlet, else its title.
    labels: dict[str, str] = field(default_factory=dict)
    #: Main-event number of each event id, as the map labels it.
    numbers: dict[str, int] = field(default_factory=dict)

    # headline figures
    @property
    def n_events(self) -> int:
        """How many events the window holds: the headline count (``opsroom events``' total)."""
        return self.totals.total_events

    @property
    def fatalities(self) -> int:
        """Conservative deaths: each event's reconciled figure; an event without one adds
        nothing (unknown, not zero).  The "killed" total of ``opsroom trends``."""
        return self.totals.total_fatalities

    @property
    def fatalities_high(self) -> int:
        """Deaths by the highest claims: the top of the headline span ("7–100")."""
        return sum(_high(e) for e in self.events)

    @property
    def no_figure(self) -> int:
        """Events that state no death toll, reported apart so unknown is never read as zero."""
        return sum(1 for e in self.events if e.fatalities is None and e.fatalities_high is None)

    @property
    def articles(self) -> set[str]:
        """Ids of the articles the events come from ("They come from 12 articles")."""
        return {s.article_id for e in self.events for s in e.sources}

    @property
    def outlet_names(self) -> list[str]:
        """Known outlets of those articles, sorted: an article without an outlet is counted
        in ``articles`` but not named."""
        return sorted({o for a in self.articles if (o := self.outlets.get(a))})

    @property
    def rows(self) -> list[Bucket]:
        """The trend table's rows: ``buckets`` with empty stretches folded."""
        return fold_empty(self.buckets)


def _high(ev: Event) -> int:
    return max(v for v in (ev.fatalities_high, ev.fatalities, 0) if v is not None)


def window_query(opts: SitrepOptions) -> EventQuery:
    """The query ``opsroom events --since S --until U [--country C]`` runs, oldest first:
    dated, non-background events of the window, one per happening once merging has run."""
    return EventQuery(since=opts.since, until=opts.until, country=opts.country, sort="event_date")


def window_events(store: Store, opts: SitrepOptions) -> list[Event]:
    """The window's events (``window_query``), with their sources and claims."""
    return select_events(store, window_query(opts))


# -- 2. headline figures, main events, buckets -------------------------------------------


def main_score(ev: Event) -> float:
    """How much an analyst needs to read this event first.

    Deaths weigh most (log-scaled so one mass-casualty claim does not hide everything
    else), then ground changing hands, then how well the event is pinned down and how many
    articles carry it.  The weights order the corpus's events the way a brief would (a
    deadly strike, then a town retaken, then a located clash, then vague fighting).
    """
    score = 3.0 * math.log1p(_high(ev))
    score += 3.0 if ev.sub_event_type in TERRITORIAL else 0.0
    score += 1.0 if ev.location else 0.0
    score += 0.5 * sum(1 for a in (ev.actor1, ev.actor2) if a)
    score += 0.5 if ev.date_precision == "day" else 0.0
    score += 1.0 * min(len({s.article_id for s in ev.sources}), 3)
    return score


def main_events(events: Sequence[Event], n: int) -> list[Event]:
    """The ``n`` events to lead with, in date order."""
    ranked = sorted(events, key=lambda e: (-main_score(e), e.event_date or dt.date.min, e.event_id))
    return sorted(ranked[:n], key=lambda e: (e.event_date or dt.date.min, e.event_id))


def country_figures(events: Iterable[Event]) -> list[CountryFigures]:
    """The "By country" rows: most events first, "Not stated" (no country) always last.

    Events and conservative deaths per country are those of ``opsroom trends --by country``
    (both add ``fatalities or 0``); the high end and the unknowns are the report's own."""
    by: dict[str, CountryFigures] = {}
    for ev in events:
        name = ev.country or "Not stated"
        row = by.setdefault(name, CountryFigures(name))
        row.events += 1
        row.fatalities += ev.fatalities or 0
        row.fatalities_high += _high(ev)
        row.unknown += ev.fatalities is None and ev.fatalities_high is None
    return sorted(by.values(), key=lambda r: (r.country == "Not stated", -r.events, r.country))


#: Longest window counted by week: 16 weeks (17 bars at most, about four months).  Past
#: it a weekly table runs to pages of rows (a two-year window gave 105) and the bars get
#: too thin to read, so the report counts by month.
WEEKLY_MAX_DAYS = 16 * 7


def bucket_unit(since: dt.date, until: dt.date) -> Unit:
    """"week" for a window of up to 16 weeks, "month" for a longer one."""
    return "week" if (until - since).days + 1 <= WEEKLY_MAX_DAYS else "month"


def _periods(since: dt.date, until: dt.date, unit: Unit) -> list[tuple[dt.date, dt.date]]:
    """The window's ISO weeks (Monday to Sunday) or calendar months, cut to the window."""
    out = []
    if unit == "week":
        start = since - dt.timedelta(days=since.weekday())
        while start <= until:
            end = start + dt.timedelta(days=6)
            out.append((max(start, since), min(end, until)))
            start = end + dt.timedelta(days=1)
        return out
    start = since.replace(day=1)
    while start <= until:
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        out.append((max(start, since), min(nxt - dt.timedelta(days=1), until)))
        start = nxt
    return out


def time_buckets(events: Iterable[Event], since: dt.date, until: dt.date,
                 unit: Unit | None = None) -> list[Bucket]:
    """Events and deaths of every week or month of the window, empty ones included.

    Each period's figures are ``analysis.trends.trend`` of its events, so a week's row is
    the row ``opsroom trends --by week`` prints for that ISO week; an event outside the
    window, or undated, is in no period."""
    unit = unit or bucket_unit(since, until)
    periods = _periods(since, until, unit)
    groups: list[list[Event]] = [[] for _ in periods]
    starts = [p[0] for p in periods]
    for ev in events:
        if ev.event_date is None or not since <= ev.event_date <= until:
            continue
        groups[bisect_right(starts, ev.event_date) - 1].append(ev)
    out = []
    for (start, end), group in zip(periods, groups, strict=True):
        t = trend(group, "week")
        out.append(Bucket(start, end, t.total_events, t.total_fatalities,
                          sum(r.with_figures for r in t.rows)))
    return out


#: Empty periods in a row that are folded into one table row: two or more (one empty week
#: between busy ones reads as a pause and keeps its row).
FOLD_EMPTY = 2


def fold_empty(buckets: Sequence[Bucket], at_least: int = FOLD_EMPTY) -> list[Bucket]:
    """``buckets`` with every run of ``at_least`` or more empty periods made one row, so a
    long window with a few busy weeks is a few rows, not a column of zeros."""
    out: list[Bucket] = []
    run: list[Bucket] = []

    def flush() -> None:
        if len(run) >= at_least:
            out.append(Bucket(run[0].start, run[-1].end, 0, 0, 0, spans=len(run)))
        else:
            out.extend(run)
        run.clear()

    for b in buckets:
        if b.events == 0:
            run.append(b)
            continue
        flush()
        out.append(b)
    flush()
    return out


# -- 3. control changes ---------------------------------------------------------------


def window_changes(store: Store, knowledge: Knowledge, opts: SitrepOptions) -> list[ControlChange]:
    """Ground that changed hands in the window: exactly the list ``opsroom changes --from
    --to [--country]`` prints (dated changes whose period meets the window, history told in
    passing included and flagged as such by the renderers), oldest first."""
    return control_changes(store, knowledge, opts.since, opts.until, opts.country)


# -- quotes -------------------------------------------------------------------------------


#: Sentences quoted with a main event before the rest are folded: the sentence that tells
#: it, the one behind its death toll and a denial fit.  One clash in the corpus carries 17
#: sentences of its article, most of them context ("Russian commanders held talks…").
QUOTES_SHOWN = 3
#: Evidence sentences shown with a control change: its table has five columns, and the
#: sentence with the cue word and the one naming the place are what a reader checks.
EVIDENCE_SHOWN = 2

Q = TypeVar("Q", Source, Evidence)


def _norm(text: str) -> str:
    return " ".join(text.split())


def pick_quotes(quotes: Iterable[Q], ev: Event | None = None, place: str | None = None,
                limit: int = QUOTES_SHOWN) -> tuple[list[Q], list[Q]]:
    """The quotes to show and the ones to fold, each in the sources' own order.

    Only the event's own sentences are candidates (its sources, or a change's evidence);
    repeats are dropped.  They rank by what they tell about the event:

    1. a denial, so the other side is never folded away (+4);
    2. a sentence behind the event's death toll or the top of its span (+4), behind another
       of its figures ("No American troops were killed", "One fighter was wounded") (+2);
    3. the first of an article's sentences, the one that told the extractor of the event (+3);
    4. a word that moves ground, "retook", "captured" (+2, evidence of a control change);
    5. the event's place named (+1).

    Ties keep the text order.  A sentence told by two parties (one asserts, one denies) is
    shown once, by its best-ranked telling; the other is folded.
    """
    items = _distinct(quotes)
    if len(items) <= limit:
        return items, []
    figures: dict[str, int] = {}
    denied: set[str] = set()
    toll = {v for v in (ev.fatalities, ev.fatalities_high) if v is not None} if ev else set()
    for claim in ev.claims if ev else []:
        key = _norm(claim.sentence)
        if claim.stance == "denies":
            denied.add(key)
        if claim.field in ("fatalities", "injuries"):
            bonus = 4 if claim.field == "fatalities" and claim.value in toll else 2
            figures[key] = max(figures.get(key, 0), bonus)
    where = place_key(place or (ev.location if ev else None) or "")
    cues = load_cues().pattern if ev is None else None
    seen_articles: set[str] = set()

    def score(q: Q) -> int:
        key = _norm(q.sentence)
        s = 4 if q.stance == "denies" or key in denied else 0
        s += figures.get(key, 0)
        if q.article_id not in seen_articles:
            seen_articles.add(q.article_id)
            s += 3
        if cues is not None and cues.search(key):
            s += 2
        if len(where) >= 4 and where in place_key(key):
            s += 1
        return s

    scores = [score(q) for q in items]  # in text order: "first of its article" needs it
    shown: set[int] = set()
    said: set[str] = set()
    # of two tellings of one sentence that rank alike, the denial is the one shown
    for i in sorted(range(len(items)), key=lambda i: (-scores[i], items[i].stance != "denies", i)):
        key = _norm(items[i].sentence)
        if len(shown) < limit and key not in said:
            shown.add(i)
            said.add(key)
    return ([q for i, q in enumerate(items) if i in shown],
            [q for i, q in enumerate(items) if i not in shown])


#: Double quotation marks that may open or close a quote in reporting, straight and curly.
_OPEN = "“\"„«"
_CLOSE = "”\"»“"
_DOUBLE_MARK = re.compile(r"[“”\"„«»]")


def quote_text(sentence: str) -> str:
    """A sentence made ready to stand inside the report's own “…”: its own surrounding
    marks stripped, a lone mark left by the sentence splitter dropped, and the quotes it
    holds inside made single (‘…’), as a quote within a quote is written.

    '“Coalition officials were in contact,” the official said.' is printed
    “‘Coalition officials were in contact,’ the official said.” and never ““Coalition….
    """
    text = _norm(sentence)
    for pair, mark in (("‘‘", "“"), ("’’", "”"), ("``", "“"), ("''", '"')):
        text = text.replace(pair, mark)  # typewriter copy doubles single marks for one double
    if len(text) >= 2 and text[0] in _OPEN and text[-1] in _CLOSE and \
            len(_DOUBLE_MARK.findall(text)) == 2:
        text = text[1:-1].strip()
    marks = _DOUBLE_MARK.findall(text)
    if len(marks) % 2 and text[:1] in _OPEN:
        text = text[1:].lstrip()
    elif len(marks) % 2 and text[-1:] in _CLOSE:
        text = text[:-1].rstrip()
    out = []
    opening = True
    for ch in text:
        if ch in "“„«":
            out.append("‘")
            opening = False
        elif ch in "”»":
            out.append("’")
            opening = True
        elif ch == '"':
            out.append("‘" if opening else "’")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def quoted(sentence: str) -> str:
    """The sentence in the report's quotation marks: “…”, never ““…”."""
    return f"“{quote_text(sentence)}”"


# -- building ---------------------------------------------------------------------------


#: Longest article title quoted in place of an unknown outlet: about half a table line.
TITLE_CHARS = 48


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:-–") + "…"


def article_labels(store: Store, outlets: dict[str, str | None]) -> dict[str, str]:
    """Outlet of each article, or its title in quotes when the outlet is not known."""
    labels = {}
    for aid, outlet in outlets.items():
        if outlet:
            labels[aid] = outlet
        elif (article := store.get_article(aid)) is not None and article.title:
            labels[aid] = quoted(_shorten(quote_text(article.title), TITLE_CHARS))
    return labels


def build_sitrep(store: Store, knowledge: Knowledge, opts: SitrepOptions, draw: bool = True
                 ) -> Sitrep:
    """Everything the report says for the window (images drawn unless ``draw`` is False)."""
    # 1.
    events = window_events(store, opts)
    outlets = store.outlets_of([s.article_id for e in events for s in e.sources])
    # 2.
    main = main_events(events, opts.main_events)
    unit = bucket_unit(opts.since, opts.until)
    rep = Sitrep(
        options=opts, events=events, outlets=outlets, main=main,
        # 3.
        control=(control := window_changes(store, knowledge, opts)),
        contested={c.event_id for c in control if c.contradicts},
        by_country=country_figures(events),
        totals=trend(events, "week", opts.since, opts.until),
        unit=unit,
        buckets=time_buckets(events, opts.since, opts.until, unit),
        generated=dt.date.today(),
        numbers={e.event_id: i for i, e in enumerate(main, start=1)},
        labels=article_labels(store, outlets),
    )
    # 4.
    if draw:
        rep.map_png = draw_map(rep)
        rep.trend_png = draw_trend(rep)
    return rep


# -- plain words ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def phrases() -> dict[str, Any]:
    """The plain-language phrasing of event types (``templates/phrases.json``), checked."""
    path = resources.files("opsroom.analysis") / "templates" / "phrases.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for group in ("sub_event_types", "event_types"):
        for key, forms in data.get(group, {}).items():
            if set(forms) != {"both", "one"}:
                raise KnowledgeError(f"phrases.json: {group}.{key} needs 'both' and 'one'")
    if set(data.get("default", {})) != {"both", "one"}:
        raise KnowledgeError("phrases.json: 'default' needs 'both' and 'one'")
    return data


def place_phrase(ev: Event) -> str:
    """The place clause the phrase templates append as ``{at}``: " at Rawa, Iraq",
    " in Iraq", or "" when nothing places the event (hence the leading space)."""
    if ev.location and ev.country and ev.location != ev.country:
        return f" at {ev.location}, {ev.country}"
    if ev.location or ev.country:
        return f" in {ev.location or ev.country}"
    return ""


def describe(ev: Event) -> str:
    """One plain sentence for an event ("Military Forces of Iraq retook ground at Rawa, Iraq")."""
    data = phrases()
    forms = (data["sub_event_types"].get(ev.sub_event_type)
             or data["event_types"].get(ev.event_type) or data["default"])
    a1 = ev.actor1 or data["unknown_actor"]
    form = forms["both"] if ev.actor2 else forms["one"]
    text = form.format(a1=a1, a2=ev.actor2 or "", at=place_phrase(ev),
                       sub_event_type=ev.sub_event_type.lower())
    if text.startswith(data["unknown_actor"]):
        text = data["unknown_actor_start"] + text[len(data["unknown_actor"]):]
    return text[0].upper() + text[1:]


def fmt_date(ev: Event) -> str:
    """The date as precise as it is known: "26 Oct 2017", "≈ 7 Oct 2017" (week), "Oct 2017"."""
    return fmt_day(ev.event_date, ev.date_precision)


def fmt_day(d: dt.date | None, precision: str | None) -> str:
    """A date at the precision it is known: "26 Oct 2017", "≈ 7 Oct 2017" (week), "Oct 2017",
    "2017"; shared by the event table and the control-change table."""
    if d is None:
        return "date not stated"
    if precision == "month":
        return d.strftime("%b %Y")
    if precision == "year":
        return str(d.year)
    text = f"{d.day} {d:%b %Y}"
    return f"≈ {text}" if precision == "week" else text


def fmt_killed(ev: Event) -> str:
    """The deaths cell of one event: "7–100" when the claims span a range, "—" when no
    figure is stated (unknown, not zero)."""
    if ev.fatalities is None and ev.fatalities_high is None:
        return "—"
    low = ev.fatalities if ev.fatalities is not None else ev.fatalities_low
    if ev.fatalities_high is not None and ev.fatalities_high != low:
        return f"{low}–{ev.fatalities_high}"
    return str(low)


def fmt_range(low: int, high: int) -> str:
    """A low–high span with thousands separators, one figure when both ends agree
    ("1,200", not "1,200–1,200")."""
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def deaths_headline(rep: Sitrep) -> str:
    """Deaths as the headline states them: "7–100", or "none stated" (unknown is not zero)."""
    if rep.events and rep.no_figure == rep.n_events:
        return "none stated"
    return fmt_range(rep.fatalities, rep.fatalities_high)


def _deaths_phrase(rep: Sitrep) -> str:
    figure = deaths_headline(rep)
    return "no death toll stated" if figure == "none stated" else f"{figure} reported deaths"


def _country_deaths(c: CountryFigures) -> str:
    return "not stated" if c.unknown == c.events else fmt_range(c.fatalities, c.fatalities_high)


def _window(opts: SitrepOptions) -> str:
    a, b = opts.since, opts.until
    if a.year == b.year:
        return f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
    return f"{a.day} {a:%B %Y} – {b.day} {b:%B %Y}"


def _between(opts: SitrepOptions) -> str:
    return _window(opts).replace(" – ", " and ")


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def title_of(rep: Sitrep) -> str:
    """The report's title: the country asked for, else the first three countries of the
    events ("Situation report: Iraq and Syria, 1 October – 31 October 2017")."""
    countries = [c.country for c in rep.by_country if c.country != "Not stated"]
    where = rep.options.country or (_and(countries[:3]) if countries else "the war")
    return f"Situation report: {where}, {_window(rep.options)}"


def summary_paragraphs(rep: Sitrep) -> list[str]:
    """The report's opening paragraphs, plain text (escaped by the renderer)."""
    if not rep.events:
        return [f"No dated events were recorded between {_between(rep.options)}"
                f"{' in ' + rep.options.country if rep.options.country else ''}. "
                "Either nothing was reported, or the articles for this period are not yet ingested."]
    paras = []
    types = Counter(e.event_type for e in rep.events)
    top_type, top_n = types.most_common(1)[0]
    countries = [f"{c.events} in {c.country}" for c in rep.by_country if c.country != "Not stated"]
    unplaced = sum(c.events for c in rep.by_country if c.country == "Not stated")
    if unplaced:
        countries.append(f"{unplaced} with no place stated")
    where = f": {_and(countries)}" if countries else ""
    if len(rep.by_country) == 1:
        only = rep.by_country[0].country
        where = ", none with a place stated" if only == "Not stated" else f", all in {only}"
    outlets = rep.outlet_names
    paras.append(
        f"Between {_between(rep.options)} the record holds {_plural(rep.n_events, 'event')}{where}. "
        f"{'They come' if rep.n_events > 1 else 'It comes'} from {_plural(len(rep.articles), 'article')}"
        f"{' by ' + _and(outlets) if outlets else ''}."
        + ("" if rep.n_events == 1 else f" All are {top_type.lower()}." if top_n == rep.n_events
           else f" {top_type} account for {top_n} of them.")
    )
    if rep.fatalities_high:
        paras.append(
            f"Reported deaths: at least {rep.fatalities:,}"
            + (f", and up to {rep.fatalities_high:,} by the highest claims"
               if rep.fatalities_high != rep.fatalities else "")
            + f". {_plural(rep.no_figure, 'event gives', 'events give')} no casualty figure."
        )
    else:
        paras.append("No source in the window gives a death toll for these events; "
                     "that means unknown, not zero.")
    if rep.control:
        places = _and([c.place for c in rep.control[:4]])
        more = f" and {len(rep.control) - 4} more" if len(rep.control) > 4 else ""
        told = sum(1 for c in rep.control if c.background)
        history = f", {told} of them told in passing by later reports" if told else ""
        paras.append(f"Ground changed hands {_plural(len(rep.control), 'time')}: {places}{more} "
                     f"(details below{history}).")
    return paras


# -- 4. images --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def basemap() -> dict[str, Any]:
    """Country outlines of the region (Natural Earth, public domain), from package data."""
    path = resources.files("opsroom.data") / "basemap" / "middle_east.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        raise KnowledgeError("basemap/middle_east.geojson is not a FeatureCollection")
    return data


#: Default view (lon/lat) when no event has coordinates: Iraq and Syria.
DEFAULT_EXTENT = (35.0, 49.0, 29.0, 38.0)


def map_extent(events: Sequence[Event]) -> tuple[float, float, float, float]:
    """Lon/lat box around the events, padded, at least 9°×6.5° so a town has its country
    around it (Iraq is about 10° wide)."""
    pts = [(e.longitude, e.latitude) for e in events if e.latitude is not None and e.longitude is not None]
    if not pts:
        return DEFAULT_EXTENT
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    w = max(max(xs) - min(xs) + 2.0, 9.0)
    h = max(max(ys) - min(ys) + 1.5, 6.5)
    # a landscape map (1.5:1 on screen once longitude is shrunk by cos(35°) ≈ 0.82) fills
    # the page's width without towering over the text
    w, h = max(w, h * 1.8), max(h, w / 1.8)
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


#: Resolution of both images: sharp on a laptop screen, a few hundred kB as base64.
DPI = 110
#: Where a map label may sit around its circle, as unit directions tried in turn: right,
#: left, above, below, then the diagonals (a number to the right of its dot reads first).
LABEL_DIRECTIONS = ((1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0),
                    (0.75, 0.75), (-0.75, 0.75), (0.75, -0.75), (-0.75, -0.75))
#: Gap between a circle's edge and its label, in points, on each ring tried: beside the
#: dot, then farther out with a leader line.  Three rings placed every label of the
#: corpus's busiest window and of a test map of ten events within 1° of Mosul.
LABEL_RINGS = (3.0, 14.0, 28.0)
#: Space kept clear around a label, in pixels, so that two labels never touch.
LABEL_PAD = 2.0


def _overlaps(a: Any, b: Any, pad: float = LABEL_PAD) -> bool:
    return not (a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 or a.y1 + pad <= b.y0 or b.y1 + pad <= a.y0)


def _disc(ax: Any, lon: float, lat: float, size: float, dpi: float) -> Any:
    """The display box of a scatter circle of area ``size`` (points²) at lon/lat."""
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform((lon, lat))
    r = math.sqrt(size) / 2 * dpi / 72
    return Bbox([[x - r, y - r], [x + r, y + r]])


def text_box(text: Any, renderer: Any) -> Any:
    """The display box of a label's letters, without the leader line an annotation's own
    box takes in (which reaches the circle and would make every far label collide)."""
    from matplotlib.text import Text

    text.get_window_extent(renderer)  # an annotation places its text here
    return Text.get_window_extent(text, renderer)


def place_labels(fig: Any, ax: Any, labels: Sequence[tuple[str, float, float, float]],
                 obstacles: Sequence[Any]) -> list[str]:
    """Write each label (text, lon, lat, circle radius in points) beside its circle where
    it overlaps no label placed before it, no circle and no box of ``obstacles`` (the
    legend), and stays inside the map; return the texts that found no such place.

    Each label tries ``LABEL_DIRECTIONS`` on each of ``LABEL_RINGS`` in turn, first fit
    wins; past the first ring a thin line leads back to its circle.  Labels are placed in
    the order given, so the caller puts the ones that matter most first.
    """
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = list(obstacles)
    missing = []
    for text, lon, lat, radius in labels:
        for ring in LABEL_RINGS:
            spot = None
            for dx, dy in LABEL_DIRECTIONS:
                dist = radius + ring
                ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
                va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
                arrow = {"arrowstyle": "-", "color": "#555555", "linewidth": 0.6,
                         "shrinkA": 0, "shrinkB": radius} if ring > LABEL_RINGS[0] else None
                ann = ax.annotate(text, (lon, lat), xytext=(dx * dist, dy * dist),
                                  textcoords="offset points", ha=ha, va=va, fontsize=9,
                                  weight="bold", color="#1d232b", zorder=5, arrowprops=arrow,
                                  bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                        "edgecolor": "none", "alpha": 0.7})
                box = text_box(ann, renderer)
                inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                if inside and not any(_overlaps(box, other) for other in placed):
                    spot = box
                    break
                ann.remove()
            if spot is not None:
                placed.append(spot)
                break
        else:
            missing.append(text)
    return missing


def map_figure(rep: Sitrep) -> Any:
    """The map as a matplotlib figure: events on the basemap, coloured by type, sized by
    deaths; main events numbered, no two labels overlapping; country names where they fit."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    x0, x1, y0, y1 = map_extent(rep.events)
    fig = Figure(figsize=(9.0, 5.6), dpi=DPI)
    canvas = FigureCanvasAgg(fig)  # a renderer to measure labels with before the PNG is written
    ax = fig.add_subplot()
    ax.set_facecolor("#dfe9f2")
    for feat in basemap()["features"]:
        for poly in feat["geometry"]["coordinates"]:
            ax.add_patch(Polygon(poly[0], closed=True, facecolor="#f5f3ee", edgecolor="#8a8a8a",
                                 linewidth=0.7, zorder=1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.tick_params(labelsize=7, colors="#777777")
    used: list[str] = []
    circles: list[tuple[float, float, float]] = []
    groups: dict[tuple[float, float], list[tuple[int, float, float, float]]] = defaultdict(list)
    for ev in rep.events:
        if ev.latitude is None or ev.longitude is None:
            continue
        colour = TYPE_COLOURS.get(ev.event_type, "#555555")
        if ev.event_type not in used:
            used.append(ev.event_type)
        size = 40 + 28 * math.sqrt(_high(ev))
        known = ev.fatalities is not None or ev.fatalities_high is not None
        ax.scatter([ev.longitude], [ev.latitude], s=size, color=colour, alpha=0.75 if known else 0.35,
                   edgecolor=colour if not known else "white", linewidth=1.2, zorder=3)
        circles.append((ev.longitude, ev.latitude, size))
        if ev.event_id in rep.numbers:
            # events within ~25 km share one label ("6,9"): one place, one note on it
            groups[(round(ev.longitude * 4) / 4, round(ev.latitude * 4) / 4)].append(
                (rep.numbers[ev.event_id], ev.longitude, ev.latitude, size))
    handles = [Line2D([], [], marker="o", linestyle="", color=TYPE_COLOURS.get(t, "#555555"),
                      markersize=8, label=t) for t in sorted(used)]
    canvas.draw()  # lays the axes out, so that display boxes are final
    renderer = canvas.get_renderer()
    obstacles = [_disc(ax, lon, lat, size, fig.dpi) for lon, lat, size in circles]
    if handles:
        legend = ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.9,
                           title="Event type", title_fontsize=8)
        obstacles.append(legend.get_window_extent(renderer))
    labels = []
    for members in sorted(groups.values(), key=lambda m: min(n for n, *_ in m)):
        members.sort()
        lon = sum(m[1] for m in members) / len(members)
        lat = sum(m[2] for m in members) / len(members)
        radius = math.sqrt(max(m[3] for m in members)) / 2
        labels.append((",".join(str(m[0]) for m in members), lon, lat, radius))
    missing = place_labels(fig, ax, labels, obstacles)
    # Country names last, only where they sit clear of every circle and number.
    taken = obstacles + [text_box(t, renderer) for t in ax.texts]
    frame = ax.get_window_extent(renderer)
    centres = country_centres()
    for feat in basemap()["features"]:
        name = feat["properties"]["name"]
        lx, ly = centres.get(name) or _label_point(feat)
        if not (x0 < lx < x1 and y0 < ly < y1):
            continue
        text = ax.text(lx, ly, name.upper(), fontsize=8, color="#9a9a9a", ha="center",
                       va="center", zorder=2)
        box = text.get_window_extent(renderer)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if inside and not any(_overlaps(box, other) for other in taken):
            taken.append(box)
        else:
            text.remove()
    placed = sum(1 for e in rep.events if e.latitude is not None)
    title = f"{placed} of {rep.n_events} events placed on the map; numbers are the main events"
    if missing:
        title += f" ({', '.join(missing)} too crowded to label)"
    ax.set_title(title, fontsize=9, color="#555555", loc="left")
    return fig


def draw_map(rep: Sitrep) -> bytes:
    """The map (``map_figure``) as PNG."""
    return _png(map_figure(rep))


@lru_cache(maxsize=1)
def country_centres() -> dict[str, tuple[float, float]]:
    """(lon, lat) of an interior point of each country, from the gazetteer's country file."""
    path = resources.files("opsroom.data") / "places" / "countries.jsonl"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            for name in row.get("aliases", [])[:1]:
                out[name] = (float(row["longitude"]), float(row["latitude"]))
    return out


def _label_point(feature: dict[str, Any]) -> tuple[float, float]:
    """Where to write a country's name: the middle of its largest ring's bounding box."""
    rings = [poly[0] for poly in feature["geometry"]["coordinates"]]
    ring = max(rings, key=len)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def draw_trend(rep: Sitrep) -> bytes:
    """Events (bars) and reported deaths (line) per week or month of the window; empty
    periods stay on the axis (the time scale is kept), unlike the table, which folds them."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    per = rep.unit
    fig = Figure(figsize=(8.6, 3.0), dpi=DPI)
    ax = fig.add_subplot()
    buckets = rep.buckets
    # Each bar and its tick sit at the middle of its period (a week cut by the window is
    # narrower); matplotlib plots dates, though its stubs say floats.
    days: Any = [b.start + (b.end - b.start) / 2 for b in buckets]
    widths = [0.8 * ((b.end - b.start).days + 1) for b in buckets]
    ax.bar(days, [b.events for b in buckets], width=widths, color="#2c6fad", label="events",
           zorder=2)
    ax.set_ylabel(f"events per {per}", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#e5e5e5", zorder=0)
    axes = [ax]
    names = ["events"]
    if any(b.fatalities for b in buckets):  # no line of zeros when no source gave a figure
        ax2 = ax.twinx()
        # a period whose events state no figure is a gap in the line: unknown, not zero
        ax2.plot(days, [b.fatalities if b.with_figures else math.nan for b in buckets],
                 color="#c0392b", marker="o", markersize=4, zorder=3)
        ax2.set_ylabel(f"deaths per {per}", fontsize=8, color="#c0392b")
        ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax2.set_ylim(bottom=0, top=max(b.fatalities for b in buckets) * 1.15)
        axes.append(ax2)
        names.append("deaths (conservative figure)")
    else:
        names[0] = "events (no death figures given in the window)"
    ax.set_ylim(bottom=0, top=max([b.events for b in buckets] + [1]) * 1.15)
    ax.set_xticks(days)
    step = max(1, math.ceil(len(days) / 14))  # at most 14 dates under the axis
    fmt = (lambda d: f"{d.day} {d:%b}") if per == "week" else (lambda d: f"{d:%b %Y}")
    ax.set_xticklabels([fmt(b.start) if i % step == 0 else "" for i, b in enumerate(buckets)],
                       fontsize=7)
    handles: list[Any] = []
    for a in axes:
        a.tick_params(labelsize=7)
        a.spines["top"].set_visible(False)
        handles += a.get_legend_handles_labels()[0] or a.get_lines()[:1]
    ax.legend(handles, names, fontsize=8, loc="upper left", frameon=False)
    ax.set_title("Week (first day in the window)" if per == "week" else "Month", fontsize=8, color="#555555",
                 loc="left", y=-0.22)
    return _png(fig)


# -- rendering: Markdown ------------------------------------------------------------------


def _md(text: str | None) -> str:
    """Text safe inside a Markdown table cell: no raw HTML, no column breaks."""
    text = " ".join((text or "").split())
    return html.escape(text, quote=False).replace("|", "\\|")


def attribution(src: Source | Evidence, labels: dict[str, str]) -> str:
    """Who reports a sentence and whose claim it is: "Reuters, quoting U.S.-led Coalition"."""
    where = labels.get(src.article_id) or "an unnamed outlet"
    if src.stance == "denies":
        return f"{where}: {src.claimed_by or 'a source'} denies"
    if src.claimed_by:
        return f"{where}, quoting {src.claimed_by}"
    return where


#: Hex digits of an event id shown after "+N more": as ``opsroom events`` shows it, and a
#: prefix ``opsroom event`` takes.
SHORT_ID = 8


def _md_quotes(shown: Sequence[Source | Evidence], folded: Sequence[Any], event_id: str,
               labels: dict[str, str]) -> str:
    """The quotes of one table cell: the chosen ones, then "+N more" naming the command
    that prints them all (a Markdown table cell cannot fold)."""
    out = [f"{_md(attribution(q, labels))}: {_md(quoted(q.sentence))}" for q in shown]
    if folded:
        out.append(f"*+{len(folded)} more: `opsroom event {event_id[:SHORT_ID]}`*")
    return "<br>".join(out)


def period_label(b: Bucket, unit: Unit) -> str:
    """A trend row's period: "2–8 Oct 2017", "Oct 2017", or a folded stretch
    "9 Oct – 19 Nov 2017"."""
    a, z = b.start, b.end
    if unit == "month":  # a month cut by the window is still named by its month
        first, last = f"{a:%b %Y}", f"{z:%b %Y}"
        if first == last:
            return first
        return f"{a:%b} – {last}" if a.year == z.year else f"{first} – {last}"
    if a == z:
        return f"{a.day} {a:%b %Y}"
    if (a.year, a.month) == (z.year, z.month):
        return f"{a.day}–{z.day} {z:%b %Y}"
    if a.year == z.year:
        return f"{a.day} {a:%b} – {z.day} {z:%b %Y}"
    return f"{a.day} {a:%b %Y} – {z.day} {z:%b %Y}"


def row_label(b: Bucket, unit: Unit) -> str:
    """``period_label``, and for a folded row how many empty weeks or months it stands for."""
    label = period_label(b, unit)
    return f"{label} ({b.spans} {unit}s without events)" if b.spans > 1 else label


def row_deaths(b: Bucket) -> str:
    """A trend row's deaths: "—" when no event of the period states a figure."""
    return str(b.fatalities) if b.with_figures else "—"


def trend_note(rep: Sitrep) -> str:
    """What the trend table's rows are and why there are no more of them."""
    unit = rep.unit
    why = ("the window is up to 16 weeks long" if unit == "week"
           else "the window is longer than 16 weeks")
    return (f"One row per {unit} ({why}), by the {unit} each event happened; the counts are "
            f"those of opsroom trends. Stretches of {FOLD_EMPTY} or more {unit}s without "
            f"events are folded into one row. Deaths “—”: no event of the {unit} states a "
            "figure (unknown, not zero).")


def _background_note(c: ControlChange) -> str:
    return "Told in passing, as history, by a later report." if c.background else ""


def render_markdown(rep: Sitrep, map_file: str = "map.png", trend_file: str = "trend.png") -> str:
    """The report as Markdown; images are referenced as files next to it."""
    o: list[str] = [f"# {_md(title_of(rep))}", ""]
    o.append(f"*Generated {rep.generated.isoformat()} by opsroom from stored reporting.*")
    o.append("")
    o.append(f"**{_plural(rep.n_events, 'event')}** · **{_deaths_phrase(rep)}** · "
             f"**{_plural(len(rep.control), 'control change')}** · "
             f"**{_plural(len(rep.articles), 'article')}**")
    o.append("")
    o += [_md(p) + "\n" for p in summary_paragraphs(rep)]
    if rep.events:
        o += ["## Where", "", f"![Map of the events]({map_file})", ""]
    o += ["## Main events", ""]
    if rep.main:
        o.append("| # | Date | What happened | Killed | Sources |")
        o.append("|---|---|---|---|---|")
        for i, ev in enumerate(rep.main, start=1):
            shown, folded = pick_quotes(ev.sources, ev)
            srcs = _md_quotes(shown, folded, ev.event_id, rep.labels)
            o.append(f"| {i} | {_md(fmt_date(ev))} | {_md(describe(ev))} | {fmt_killed(ev)} | {srcs} |")
        rest = rep.n_events - len(rep.main)
        if rest > 0:
            o += ["", f"{_plural(rest, 'other event')} in the window are in the record "
                  "(`opsroom events --since … --until …`)."]
    else:
        o.append("_No events in the window._")
    o += ["", "## Control changes", ""]
    if rep.control:
        o.append("| Date | Place | Taken by | From | Evidence |")
        o.append("|---|---|---|---|---|")
        for c in rep.control:
            proof, more = pick_quotes(c.evidence, place=c.place, limit=EVIDENCE_SHOWN)
            evidence = _md_quotes(proof, more, c.event_id, rep.labels)
            if c.background:
                evidence += f"<br>*{_background_note(c)}*"
            if c.contradicts:
                evidence += "<br>**Contradicted by another report.**"
            o.append(f"| {_md(fmt_day(c.date, c.date_precision))} | {_md(c.place)} | "
                     f"{_md(c.gained_by or 'not stated')} | {_md(c.lost_by or 'not stated')} | {evidence} |")
    else:
        o.append("_No ground is reported to have changed hands in the window._")
    unit = rep.unit
    o += ["", "## Trend", "", f"![Events and deaths per {unit}]({trend_file})", "",
          f"| {unit.capitalize()} | Events | Deaths |", "|---|---|---|"]
    o += [f"| {_md(row_label(b, unit))} | {b.events} | {row_deaths(b)} |" for b in rep.rows]
    o += ["", _md(trend_note(rep))]
    o += ["", "## By country", "", "| Country | Events | Deaths | Events without a figure |",
          "|---|---|---|---|"]
    o += [f"| {_md(c.country)} | {c.events} | {_country_deaths(c)} | {c.unknown} |"
          for c in rep.by_country]
    o += ["", "## About these figures", "", _md(ABOUT), ""]
    return "\n".join(o)


ABOUT = ("Deaths are the most conservative credible figure of each event (ACLED's rule); "
         "the range runs to the highest figure any source claimed. An event without a stated "
         "figure counts as unknown, not as zero. Dates marked ≈ are known only to the week. "
         "Each event can be traced to the sentences quoted with it and to the party that made "
         "the claim; the sentences that tell it best are shown, the others folded. Events told "
         "only as history are left out of the counts of events and deaths; a change of hands "
         "told as history is listed, and marked so. The counts are those of opsroom events, "
         "opsroom trends and opsroom changes for the same window.")


def _distinct(sources: Iterable[Q]) -> list[Q]:
    """Sources (or evidence) without repeats of one sentence by one claimant."""
    seen: set[tuple[str, str | None, str]] = set()
    out = []
    for s in sources:
        key = (_norm(s.sentence), s.claimed_by, s.stance)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


# -- rendering: HTML -------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(" ".join(str(text).split()), quote=True)


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}">'


@lru_cache(maxsize=1)
def _css() -> str:
    return (resources.files("opsroom.analysis") / "templates" / "sitrep.css").read_text(encoding="utf-8")


def _quote_items(quotes: Iterable[Source | Evidence], labels: dict[str, str]) -> str:
    items = []
    for src in quotes:
        who = _e(attribution(src, labels))
        if src.stance == "denies":
            who = who.removesuffix(" denies") + ' <span class="denies">denies</span>'
        items.append(f'<li><span class="who">{who}:</span> {_e(quoted(src.sentence))}</li>')
    return "".join(items)


def _quotes_html(shown: Sequence[Source | Evidence], folded: Sequence[Source | Evidence],
                 labels: dict[str, str]) -> str:
    """The chosen quotes, then the others folded in a ``<details>`` a reader opens."""
    out = f'<ul class="sources">{_quote_items(shown, labels)}</ul>'
    if folded:
        out += (f'<details class="more"><summary>+{len(folded)} more</summary>'
                f'<ul class="sources">{_quote_items(folded, labels)}</ul></details>')
    return out


def render_html(rep: Sitrep) -> str:
    """The report as one self-contained HTML page."""
    o: list[str] = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title_of(rep))}</title>", f"<style>{_css()}</style>", "</head>", "<body><main>",
        "<header>", '<p class="kicker">Situation report</p>',
        f"<h1>{_e(title_of(rep).removeprefix('Situation report: '))}</h1>",
        f'<p class="meta">Window {_e(rep.options.since.isoformat())} to {_e(rep.options.until.isoformat())}'
        f"{' · ' + _e(rep.options.country) if rep.options.country else ''}"
        f" · generated {_e(rep.generated.isoformat())} by opsroom from "
        f"{_plural(len(rep.articles), 'article')}</p>",
        "</header>",
        '<section class="figures">',
        _figure(f"{rep.n_events:,}", "events"),
        _figure(deaths_headline(rep), "reported deaths"),
        _figure(str(len(rep.control)), "control changes"),
        _figure(str(len([c for c in rep.by_country if c.country != "Not stated"])), "countries"),
        "</section>",
    ]
    o += [f"<p>{_e(p)}</p>" for p in summary_paragraphs(rep)]
    if rep.events and rep.map_png:
        o += ["<h2>Where</h2>", "<figure>", _img(rep.map_png, "Map of the events"),
              "<figcaption>Circles are sized by reported deaths; faint circles give no figure. "
              "Country outlines: Natural Earth.</figcaption>", "</figure>"]
    o.append("<h2>Main events</h2>")
    if rep.main:
        o.append('<table class="main"><thead><tr><th class="num">#</th><th>Date</th>'
                 '<th>What happened and who says so</th><th class="num">Killed</th></tr></thead><tbody>')
        for i, ev in enumerate(rep.main, start=1):
            sub = f"{ev.event_type} · {ev.sub_event_type}"
            shown, folded = pick_quotes(ev.sources, ev)
            o.append(f'<tr><td class="num">{i}</td><td class="date">{_e(fmt_date(ev))}</td>'
                     f'<td><div class="what">{_e(describe(ev))}</div><div class="sub">{_e(sub)}</div>'
                     f"{_quotes_html(shown, folded, rep.labels)}</td>"
                     f'<td class="num">{_e(fmt_killed(ev))}</td></tr>')
        o.append("</tbody></table>")
        rest = rep.n_events - len(rep.main)
        if rest > 0:
            o.append(f'<p class="note">{_plural(rest, "other event")} in the window are in the record '
                     "(opsroom events).</p>")
    else:
        o.append('<p class="empty">No events in the window.</p>')
    o.append("<h2>Control changes</h2>")
    if rep.control:
        o.append('<table class="control"><thead><tr><th>Date</th><th>Place</th><th>Taken by</th>'
                 "<th>From</th><th>Evidence</th></tr></thead><tbody>")
        for c in rep.control:
            flag = '<div class="denies">Contradicted by another report.</div>' if c.contradicts else ""
            if c.background:
                flag += f'<div class="sub">{_e(_background_note(c))}</div>'
            proof, more = pick_quotes(c.evidence, place=c.place, limit=EVIDENCE_SHOWN)
            o.append(f'<tr><td class="date">{_e(fmt_day(c.date, c.date_precision))}</td>'
                     f"<td>{_e(c.place)}</td><td>{_e(c.gained_by or 'not stated')}</td>"
                     f"<td>{_e(c.lost_by or 'not stated')}</td>"
                     f"<td>{_quotes_html(proof, more, rep.labels)}{flag}</td></tr>")
        o.append("</tbody></table>")
    else:
        o.append('<p class="empty">No ground is reported to have changed hands in the window.</p>')
    o.append("<h2>Trend</h2>")
    unit = rep.unit
    if rep.trend_png:
        o += ["<figure>", _img(rep.trend_png, f"Events and deaths per {unit}"),
              f"<figcaption>Events per {unit} (bars)"
              + (f" and reported deaths per {unit} (line; no point where no event states a toll)"
                 if any(b.fatalities for b in rep.buckets) else "")
              + f", by the {unit} each event happened.</figcaption>", "</figure>"]
    o.append(f'<table class="trend"><thead><tr><th>{unit.capitalize()}</th><th class="num">Events</th>'
             '<th class="num">Deaths</th></tr></thead><tbody>')
    o += [f'<tr{" class=folded" if b.spans > 1 else ""}><td>{_e(row_label(b, unit))}</td>'
          f'<td class="num">{b.events}</td><td class="num">{_e(row_deaths(b))}</td></tr>'
          for b in rep.rows]
    o.append("</tbody></table>")
    o.append(f'<p class="note">{_e(trend_note(rep))}</p>')
    o.append("<h2>By country</h2>")
    o.append('<table class="countries"><thead><tr><th>Country</th><th class="num">Events</th>'
             '<th class="num">Deaths</th><th class="num">Events without a figure</th></tr></thead><tbody>')
    o += [f'<tr><td>{_e(c.country)}</td><td class="num">{c.events}</td>'
          f'<td class="num">{_e(_country_deaths(c))}</td>'
          f'<td class="num">{c.unknown}</td></tr>' for c in rep.by_country]
    o.append("</tbody></table>")
    o += ["<h2>About these figures</h2>", f'<p class="note">{_e(ABOUT)}</p>', "</main></body></html>"]
    return "\n".join(o)


def _figure(number: str, label: str) -> str:
    return f'<div class="figure"><div class="n">{_e(number)}</div><div class="l">{_e(label)}</div></div>'


# -- writing -----------------------------------------------------------------------------------


@dataclass
class SitrepFiles:
    """Where ``write_sitrep`` put each file, so the CLI can say what it wrote."""

    markdown: Path
    html: Path
    map_png: Path
    trend_png: Path


def write_sitrep(store: Store, knowledge: Knowledge, opts: SitrepOptions, out_dir: Path
                 ) -> SitrepFiles:
    """Write sitrep.md (with map.png and trend.png beside it) and a self-contained sitrep.html."""
    rep = build_sitrep(store, knowledge, opts)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = SitrepFiles(out_dir / "sitrep.md", out_dir / "sitrep.html", out_dir / "map.png",
                        out_dir / "trend.png")
    files.map_png.write_bytes(rep.map_png)
    files.trend_png.write_bytes(rep.trend_png)
    files.markdown.write_text(render_markdown(rep, files.map_png.name, files.trend_png.name),
                              encoding="utf-8")
    files.html.write_text(render_html(rep), encoding="utf-8")
    return files


__all__ = [
    "Bucket", "Sitrep", "SitrepFiles", "SitrepOptions", "build_sitrep", "bucket_unit",
    "describe", "fold_empty", "main_events", "main_score", "map_figure", "pick_quotes",
    "quote_text", "quoted", "render_html", "render_markdown", "time_buckets", "window_changes",
    "window_query", "write_sitrep",
]
