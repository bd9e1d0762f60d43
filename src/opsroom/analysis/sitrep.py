"""The situation report: what happened in a window, written for an analyst.

``build_sitrep`` gathers the figures from the store; ``render_markdown`` and
``render_html`` write them out; ``write_sitrep`` does all three and the two images.
The report is built in four steps:

1. select the window's events (history told in passing is left out);
2. headline figures: events, fatalities (conservative, and the low–high span of the
   claims), by country; the main events, ranked by what an analyst reads first;
3. control changes: events that move ground from one side to another;
4. two images drawn offline with matplotlib: a map on the shipped Natural Earth basemap
   (``opsroom/data/basemap``) and a weekly trend chart.

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
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import KnowledgeError
from ..models import Event, Source
from ..store import EventQuery, Store, select_events
from .control import ControlChange, Evidence, control_changes
from .trends import iso_week, trend

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
    weeks: list[tuple[dt.date, int, int]]
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
        """How many events the window holds: the headline count."""
        return len(self.events)

    @property
    def fatalities(self) -> int:
        """Conservative deaths: each event's reconciled figure; an event without one adds
        nothing (unknown, not zero)."""
        return sum(e.fatalities or 0 for e in self.events)

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


def _high(ev: Event) -> int:
    return max(v for v in (ev.fatalities_high, ev.fatalities, 0) if v is not None)


def window_events(store: Store, opts: SitrepOptions) -> list[Event]:
    """Dated, non-background events of the window, oldest first: merged events (one per
    happening, every source) once merging has run, per-article events before."""
    return select_events(store, EventQuery(since=opts.since, until=opts.until,
                                           country=opts.country, sort="event_date"))


# -- 2. headline figures and main events --------------------------------------------


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
    """The "By country" rows: most events first, "Not stated" (no country) always last."""
    by: dict[str, CountryFigures] = {}
    for ev in events:
        name = ev.country or "Not stated"
        row = by.setdefault(name, CountryFigures(name))
        row.events += 1
        row.fatalities += ev.fatalities or 0
        row.fatalities_high += _high(ev)
        row.unknown += ev.fatalities is None and ev.fatalities_high is None
    return sorted(by.values(), key=lambda r: (r.country == "Not stated", -r.events, r.country))


def weekly(events: Iterable[Event], since: dt.date, until: dt.date) -> list[tuple[dt.date, int, int]]:
    """(Monday, events, fatalities) for every week of the window, empty weeks included
    (the weekly trend of ``analysis.trends``, laid out for a chart)."""
    rows = {r.key: r for r in trend(events, "week", since, until).rows}
    out = []
    day = since - dt.timedelta(days=since.weekday())
    while day <= until:
        row = rows.get(iso_week(day))
        out.append((day, row.events if row else 0, row.fatalities if row else 0))
        day += dt.timedelta(days=7)
    return out


# -- 3. control changes ---------------------------------------------------------------


def window_changes(store: Store, knowledge: Knowledge, opts: SitrepOptions) -> list[ControlChange]:
    """Ground that changed hands in the window (the control timeline's), oldest first."""
    changes = [c for c in control_changes(store, knowledge, opts.since, opts.until, opts.country)
               if not c.background]
    return sorted(changes, key=lambda c: (c.date or dt.date.min, c.place, c.event_id))


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
            labels[aid] = f"“{_shorten(article.title, TITLE_CHARS)}”"
    return labels


def build_sitrep(store: Store, knowledge: Knowledge, opts: SitrepOptions, draw: bool = True
                 ) -> Sitrep:
    """Everything the report says for the window (images drawn unless ``draw`` is False)."""
    # 1.
    events = window_events(store, opts)
    outlets = store.outlets_of([s.article_id for e in events for s in e.sources])
    # 2.
    main = main_events(events, opts.main_events)
    rep = Sitrep(
        options=opts, events=events, outlets=outlets, main=main,
        # 3.
        control=(control := window_changes(store, knowledge, opts)),
        contested={c.event_id for c in control if c.contradicts},
        by_country=country_figures(events),
        weeks=weekly(events, opts.since, opts.until),
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
        paras.append(f"Ground changed hands {_plural(len(rep.control), 'time')}: {places}{more} "
                     "(details below).")
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
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def draw_map(rep: Sitrep) -> bytes:
    """The events on the basemap, coloured by type, sized by deaths; main events numbered."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    x0, x1, y0, y1 = map_extent(rep.events)
    fig = Figure(figsize=(9.0, 5.6))
    ax = fig.add_subplot()
    ax.set_facecolor("#dfe9f2")
    for feat in basemap()["features"]:
        for poly in feat["geometry"]["coordinates"]:
            ax.add_patch(Polygon(poly[0], closed=True, facecolor="#f5f3ee", edgecolor="#8a8a8a",
                                 linewidth=0.7, zorder=1))
    centres = country_centres()
    for feat in basemap()["features"]:
        name = feat["properties"]["name"]
        lx, ly = centres.get(name) or _label_point(feat)
        clear = all(abs(e.longitude - lx) > 0.8 or abs(e.latitude - ly) > 0.4
                    for e in rep.events if e.latitude is not None and e.longitude is not None)
        if clear and x0 + 0.5 < lx < x1 - 0.5 and y0 + 0.3 < ly < y1 - 0.3:
            ax.text(lx, ly, name.upper(), fontsize=8, color="#9a9a9a", ha="center", va="center",
                    zorder=2)
    used: list[str] = []
    labels: dict[tuple[float, float], list[str]] = defaultdict(list)
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
        if ev.event_id in rep.numbers:
            # events within ~25 km share one label, or the numbers print over each other
            labels[(round(ev.longitude * 4) / 4, round(ev.latitude * 4) / 4)].append(
                str(rep.numbers[ev.event_id]))
    for (lon, lat), numbers in labels.items():
        ax.annotate(",".join(numbers), (lon, lat), xytext=(7, 5), textcoords="offset points",
                    fontsize=9, weight="bold", color="#1d232b", zorder=4)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.tick_params(labelsize=7, colors="#777777")
    handles = [Line2D([], [], marker="o", linestyle="", color=TYPE_COLOURS.get(t, "#555555"),
                      markersize=8, label=t) for t in sorted(used)]
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.9, title="Event type",
                  title_fontsize=8)
    placed = sum(1 for e in rep.events if e.latitude is not None)
    ax.set_title(f"{placed} of {rep.n_events} events placed on the map; numbers are the main events",
                 fontsize=9, color="#555555", loc="left")
    return _png(fig)


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
    """Events (bars) and reported deaths (line) per week of the window."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(8.6, 3.0))
    ax = fig.add_subplot()
    days: Any = [w[0] for w in rep.weeks]  # matplotlib plots dates; its stubs say floats
    ax.bar(days, [w[1] for w in rep.weeks], width=5.5, color="#2c6fad", label="events", zorder=2)
    ax.set_ylabel("events per week", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#e5e5e5", zorder=0)
    axes = [ax]
    names = ["events"]
    if any(w[2] for w in rep.weeks):  # no line of zeros when no source gave a figure
        ax2 = ax.twinx()
        ax2.plot(days, [w[2] for w in rep.weeks], color="#c0392b", marker="o", markersize=4,
                 zorder=3)
        ax2.set_ylabel("deaths per week", fontsize=8, color="#c0392b")
        ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax2.set_ylim(bottom=0, top=max(w[2] for w in rep.weeks) * 1.15)
        axes.append(ax2)
        names.append("deaths (conservative figure)")
    else:
        names[0] = "events (no death figures given in the window)"
    ax.set_ylim(bottom=0, top=max([w[1] for w in rep.weeks] + [1]) * 1.15)
    ax.set_xticks(days)
    step = max(1, len(days) // 14)  # at most ~14 dates under the axis
    ax.set_xticklabels([f"{d.day} {d:%b}" if i % step == 0 else "" for i, d in enumerate(days)],
                       fontsize=7)
    handles: list[Any] = []
    for a in axes:
        a.tick_params(labelsize=7)
        a.spines["top"].set_visible(False)
        handles += a.get_legend_handles_labels()[0] or a.get_lines()[:1]
    ax.legend(handles, names, fontsize=8, loc="upper left", frameon=False)
    ax.set_title("Week starting", fontsize=8, color="#555555", loc="left", y=-0.22)
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
            srcs = "<br>".join(f"{_md(attribution(src, rep.labels))}: “{_md(src.sentence)}”"
                               for src in _distinct(ev.sources))
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
            evidence = "<br>".join(f"{_md(attribution(q, rep.labels))}: “{_md(q.sentence)}”"
                                   for q in _distinct(c.evidence))
            if c.contradicts:
                evidence += "<br>**Contradicted by another report.**"
            o.append(f"| {_md(fmt_day(c.date, c.date_precision))} | {_md(c.place)} | "
                     f"{_md(c.gained_by or 'not stated')} | {_md(c.lost_by or 'not stated')} | {evidence} |")
    else:
        o.append("_No ground is reported to have changed hands in the window._")
    o += ["", "## Trend", "", f"![Events and deaths per week]({trend_file})", "",
          "| Week starting | Events | Deaths |", "|---|---|---|"]
    o += [f"| {d.isoformat()} | {n} | {k} |" for d, n, k in rep.weeks]
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
         "the claim. Events told only as history are left out.")


def _distinct(sources: Iterable[Any]) -> list[Any]:
    """Sources (or evidence) without repeats of one sentence by one claimant."""
    seen: set[tuple[str, str | None, str]] = set()
    out = []
    for s in sources:
        key = (" ".join(s.sentence.split()), s.claimed_by, s.stance)
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


def _sources_html(ev: Event, labels: dict[str, str]) -> str:
    return _quotes_html(ev.sources, labels)


def _quotes_html(quotes: Iterable[Source | Evidence], labels: dict[str, str]) -> str:
    items = []
    for src in _distinct(quotes):
        who = _e(attribution(src, labels))
        if src.stance == "denies":
            who = who.removesuffix(" denies") + ' <span class="denies">denies</span>'
        items.append(f'<li><span class="who">{who}:</span> “{_e(src.sentence)}”</li>')
    return f'<ul class="sources">{"".join(items)}</ul>'


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
        o.append('<table><thead><tr><th class="num">#</th><th>Date</th><th>What happened and who says so</th>'
                 '<th class="num">Killed</th></tr></thead><tbody>')
        for i, ev in enumerate(rep.main, start=1):
            sub = f"{ev.event_type} · {ev.sub_event_type}"
            o.append(f'<tr><td class="num">{i}</td><td class="date">{_e(fmt_date(ev))}</td>'
                     f'<td><div class="what">{_e(describe(ev))}</div><div class="sub">{_e(sub)}</div>'
                     f"{_sources_html(ev, rep.labels)}</td>"
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
        o.append("<table><thead><tr><th>Date</th><th>Place</th><th>Taken by</th><th>From</th>"
                 "<th>Evidence</th></tr></thead><tbody>")
        for c in rep.control:
            flag = '<div class="denies">Contradicted by another report.</div>' if c.contradicts else ""
            o.append(f'<tr><td class="date">{_e(fmt_day(c.date, c.date_precision))}</td>'
                     f"<td>{_e(c.place)}</td><td>{_e(c.gained_by or 'not stated')}</td>"
                     f"<td>{_e(c.lost_by or 'not stated')}</td>"
                     f"<td>{_quotes_html(c.evidence, rep.labels)}{flag}</td></tr>")
        o.append("</tbody></table>")
    else:
        o.append('<p class="empty">No ground is reported to have changed hands in the window.</p>')
    o.append("<h2>Trend</h2>")
    if rep.trend_png:
        o += ["<figure>", _img(rep.trend_png, "Events and deaths per week"),
              "<figcaption>Events per week (bars)"
              + (" and reported deaths per week (line)" if any(w[2] for w in rep.weeks) else "")
              + ", by the week each event happened.</figcaption>", "</figure>"]
    o.append("<h2>By country</h2>")
    o.append('<table><thead><tr><th>Country</th><th class="num">Events</th><th class="num">Deaths</th>'
             '<th class="num">Events without a figure</th></tr></thead><tbody>')
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
    "Sitrep", "SitrepFiles", "SitrepOptions", "build_sitrep", "window_changes",
    "describe", "main_events", "main_score", "render_html", "render_markdown", "weekly",
    "write_sitrep",
]
