"""The ``opsroom`` command: thin shells that parse input and call one library function."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .config import Settings, resolve_settings
from .errors import InputError, OpsroomError
from .knowledge import Knowledge

# What the commands run is imported by the commands: the pipeline loads spaCy and torch,
# the store SQLAlchemy, and ``opsroom --help`` needs none of them (tests/test_cli_desk.py).
if TYPE_CHECKING:
    from .analysis import ControlChange
    from .models import Event
    from .pipeline import IngestReport
    from .store import EventQuery, Store
    from .store.query import ViewEvent

app = typer.Typer(
    name="opsroom",
    help="War reporting in; a sourced, geocoded, deduplicated conflict-event record out.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
# soft_wrap: an error is one line naming the file and the problem, never folded inside a
# path at the terminal's width.
err = Console(stderr=True, soft_wrap=True)
#: Seconds a server worker may take to answer its first health ping (see ``serve``).
WORKER_HEALTHCHECK_S = 120

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default sqlite:///opsroom.db; env OPSROOM_DATABASE_URL)."),
]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=0, help="Analyse on a local Dask cluster of N worker processes."),
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="Analyse on an existing Dask cluster (tcp://host:8786)."),
]
PublishedOption = Annotated[
    str | None,
    typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that give none."),
]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="Text encoding of the inputs (default UTF-8)."),
]
MaxMbOption = Annotated[
    float | None,
    typer.Option("--max-mb", min=0.001,
                 help="Largest input read, in MB: a whole file, or one JSONL line or WARC record."),
]


# The event filters of ``events`` and ``export``: the API's ``/events`` filters, under the
# same names, read into the one ``EventQuery`` by ``_event_query``.
SinceOption = Annotated[
    str | None, typer.Option("--since", "--from", help="Event date on or after (YYYY-MM-DD)."),
]
UntilOption = Annotated[
    str | None, typer.Option("--until", "--to", help="Event date on or before (YYYY-MM-DD)."),
]
CountryOption = Annotated[str | None, typer.Option(help="Country, e.g. Syria.")]
Admin1Option = Annotated[str | None, typer.Option(help="First-level region, e.g. Anbar.")]
ActorOption = Annotated[str | None, typer.Option(help="Words of an actor's name.")]
TypeOption = Annotated[
    str | None,
    typer.Option("--event-type", "--type", help="ACLED event type, whole (e.g. Battles)."),
]
SubTypeOption = Annotated[
    str | None,
    typer.Option("--sub-event-type", "--sub-type",
                 help="ACLED sub-event type, whole (e.g. 'Air/drone strike')."),
]
BboxOption = Annotated[
    str | None, typer.Option(help="Box of minlon,minlat,maxlon,maxlat, e.g. 40,33,43.5,35."),
]
SearchOption = Annotated[
    str | None,
    typer.Option("--q", "--search", "-s", help="Words in the event's place or source sentences."),
]
MinFatalitiesOption = Annotated[
    int | None, typer.Option("--min-fatalities", min=0, help="At least this many killed."),
]
WideOption = Annotated[
    bool, typer.Option("--wide", help="Full ids and text: rows as long as they need to be."),
]

#: The store's ``SORTS`` (``store.query``), written out so that ``--help`` does not load
#: the store; tests/test_cli_desk.py pins the two equal.
SORT_CHOICES = ("-event_date", "event_date", "-fatalities", "fatalities")


# -- output that reads at 80 columns ------------------------------------------------------

#: Hex digits of an id shown in a table.  ``opsroom event`` takes any unique prefix, and
#: names the candidates when one is not: 8 digits tell 10,000 events apart with a 1 in 100
#: chance of one shared prefix (n²/2³³), and a full id is one ``--wide`` away.
SHORT_ID = 8


def _plural(n: int, one: str, many: str | None = None) -> str:
    """``1 change of hands``, ``2 changes of hands``: the count with the right noun."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def _table(title: str) -> Table:
    """A table for an 80-column terminal: no frame, two spaces between columns, a row a line.

    Columns made by ``_fixed`` (ids, dates, numbers) are never cut; columns made by
    ``_flex`` give way, widest first, and their cells (``_cell``) end in '…' where cut.
    ``_print_table`` prints it so, or (``--wide``) at its full width.
    """
    return Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                 collapse_padding=True)


def _fixed(table: Table, name: str, justify: str = "left") -> None:
    table.add_column(name, no_wrap=True, justify=justify)  # type: ignore[arg-type]


def _flex(table: Table, *names: str) -> None:
    for name in names:
        table.add_column(name)


def _cell(value: str | None, style: str = "") -> Text:
    """A text cell: kept to one line, cut with '…' when its column gives way."""
    # A stored sentence may end in the paragraph break after it: one line, its spaces one.
    return Text(" ".join((value or "").split()) or "—", style=style, no_wrap=True,
                overflow="ellipsis")


def _print_table(table: Table, wide: bool = False) -> None:
    """Print ``table`` in the terminal's width, or (``wide``) in the width its longest
    row needs, so that no text is cut (a pager, ``less -S``, or ``grep`` reads it whole)."""
    if not wide:
        out.print(table)
        return
    from rich.measure import Measurement

    need = Measurement.get(out, out.options.update_width(1 << 16), table).maximum
    full = Console(width=max(need, out.width), file=out.file, force_terminal=out.is_terminal,
                   color_system=out.color_system, highlight=False)  # type: ignore[arg-type]
    full.print(table)


def _short_id(event_id: str, wide: bool) -> str:
    return event_id if wide else event_id[:SHORT_ID]


def _when(date: dt.date | None, precision: str | None, wide: bool = False) -> str:
    """A date cut to what is known: 2017-11-03, 2017-11 (a month), 2017 (a year),
    2017-11-03~ (within a week); ``wide``, the whole date and its precision."""
    if date is None:
        return "—"
    if wide:
        return f"{date} ({precision or '?'})"
    if precision == "year":
        return f"{date:%Y}"
    if precision == "month":
        return f"{date:%Y-%m}"
    return f"{date}~" if precision == "week" else str(date)


def _window(date_from: str | None, date_to: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--from`` and ``--to`` as dates; a window that ends before it starts is a usage error."""
    since, until = _date(date_from, "--from"), _date(date_to, "--to")
    if since is not None and until is not None and since > until:
        raise typer.BadParameter(f"--from {since} is after --to {until}", param_hint="--from")
    return since, until


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def _event_query(
    settings: Settings, *, since: str | None, until: str | None, country: str | None,
    admin1: str | None, actor: str | None, event_type: str | None, sub_event_type: str | None,
    bbox: str | None, search: str | None, min_fatalities: int | None, background: bool,
    per_article: bool = False, sort: str = "-event_date", limit: int | None = None,
    offset: int = 0,
) -> EventQuery:
    """The one event query (``store.query``) from the filter options of a command.

    Types are whole values, as in the API: a sub-type given as ``--type`` (or a type as
    ``--sub-type``) would select nothing, so it is refused with the right option named.
    """
    from .store.query import EventQuery, parse_bbox

    if event_type or sub_event_type:
        ontology = Knowledge.from_settings(settings).lexicon.ontology
        types = {name.lower() for name in ontology}
        subs = {name.lower() for names in ontology.values() for name in names}
        if event_type and event_type.lower() in subs - types:
            raise typer.BadParameter(f"{event_type!r} is a sub-event type: use "
                                     "--sub-event-type (--sub-type)", param_hint="--event-type")
        if sub_event_type and sub_event_type.lower() in types - subs:
            raise typer.BadParameter(f"{sub_event_type!r} is an event type: use "
                                     "--event-type (--type)", param_hint="--sub-event-type")
        # Anything else outside ACLED's ontology would select nothing, which reads as "no
        # events": refused, as the API refuses it, with the values that exist.
        if event_type and event_type.lower() not in types:
            raise typer.BadParameter(f"unknown event type {event_type!r}; expected one of "
                                     f"{', '.join(ontology)}", param_hint="--event-type")
        if sub_event_type and sub_event_type.lower() not in subs:
            raise typer.BadParameter(
                f"unknown sub-event type {sub_event_type!r}; expected one of "
                f"{', '.join(dict.fromkeys(n for names in ontology.values() for n in names))}",
                param_hint="--sub-event-type")
    try:
        return EventQuery(
            since=_date(since, "--since"), until=_date(until, "--until"),
            bbox=parse_bbox(bbox) if bbox is not None else None, country=country,
            admin1=admin1, actor=actor, event_type=event_type, sub_event_type=sub_event_type,
            text=search, min_fatalities=min_fatalities, include_background=background,
            per_article=per_article, sort=sort, limit=limit, offset=offset)
    except ValueError as exc:  # a bad box or sort, a window ending before it starts
        raise typer.BadParameter(str(exc)) from None


def sample_corpus() -> Path:
    """The bundled sample corpus (real, public reporting on the Iraq–Syria war)."""
    from importlib import resources

    return Path(str(resources.files("opsroom.data") / "sample"))


def sample_articles() -> Path:
    """What ``--sample`` ingests: the sample corpus's articles as JSON Lines, each with its
    outlet and publication date (the files of ``sample_corpus`` hold the same texts
    undated, as they were pasted; the tests and the eval read those)."""
    from importlib import resources

    return Path(str(resources.files("opsroom.data") / "sample.jsonl"))


def _settings(**flags: object) -> Settings:
    try:
        return resolve_settings(**flags)
    except OpsroomError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _open(settings: Settings) -> Store:
    from .store import Store

    try:
        return Store.open(settings.database_url)
    except OpsroomError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str] | None, typer.Argument(help="Files, folders, or - for stdin.")] = None,
    sample: Annotated[bool, typer.Option(
        "--sample", help="Ingest the bundled sample corpus (14 dated articles).")] = False,
    db: DbOption = None,
    published: PublishedOption = None,
    encoding: EncodingOption = None,
    max_mb: MaxMbOption = None,
    workers: WorkersOption = 0,
    scheduler: SchedulerOption = None,
) -> None:
    """Read articles, clean and split them, and store what is new (safe to re-run)."""
    inputs = list(paths or [])
    if sample:
        inputs.append(str(sample_articles()))
    if not inputs:
        err.print("[red]error:[/red] give at least one PATH, or --sample")
        raise typer.Exit(2)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from .pipeline import ingest

    settings = _settings(database_url=db, encoding=encoding, max_mb=max_mb)
    store = _open(settings)

    def report_error(exc: InputError) -> None:
        """Print a failed input above the progress bar; the ingest goes on with the next."""
        progress.console.print(
            f"[red]failed:[/red] {exc.origin}: {exc.problem}", highlight=False, soft_wrap=True
        )

    with Progress(
        SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), console=err, transient=False,
    ) as progress:
        task = progress.add_task("ingest", total=None, status="")

        def tick(r: IngestReport) -> None:
            """Advance the progress bar after each article, with the new and duplicate counts."""
            progress.update(task, completed=r.read, status=f"new {r.new} · dup {r.duplicates}")

        try:
            report = ingest(inputs, store, settings, _date(published, "--published"),
                            on_article=tick, on_error=report_error,
                            workers=workers, scheduler=scheduler)
        except OpsroomError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        progress.update(task, total=report.read, completed=report.read)

    table = Table(title=f"ingest → {settings.database_url}")
    for col in ("read", "new", "already stored", "duplicate", "failed"):
        table.add_column(col, justify="right")
    table.add_row(str(report.read), str(report.new), str(report.known),
                  str(report.duplicates), str(report.failed))
    out.print(table)
    for origin, original, sim in report.near_duplicates:
        out.print(f"near-duplicate: {origin} ≈ article {original} (similarity {sim:.2f})",
                  highlight=False, soft_wrap=True)
    if report.undated:
        out.print(f"[yellow]warning:[/yellow] {report.undated} of {report.new} new articles have "
                  f"no publication date, so {report.undated_events} of {report.events} new events "
                  "are undated; give a date with --published YYYY-MM-DD, or ingest JSON Lines "
                  "or a feed that carries dates", highlight=False, soft_wrap=True)
    store.close()
    if report.failed:
        raise typer.Exit(1)


@app.command("articles")
def articles_cmd(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet, e.g. Reuters.")] = None,
    search: Annotated[str | None, typer.Option("--search", "--q", "-s",
                                               help="Words in title or text.")] = None,
    page: Annotated[int, typer.Option(min=1, help="1-based page number, as the API's page.")] = 1,
    per_page: Annotated[int, typer.Option(
        min=1, max=10000, help="Articles per page, as the API's per_page.")] = 50,
    limit: Annotated[int | None, typer.Option(min=1, max=10000, hidden=True,
                                              help="Old name of --per-page.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
    wide: WideOption = False,
) -> None:
    """List stored articles, newest first (paged with the API's names: --page, --per-page)."""
    from .store import ArticleFilter

    settings = _settings(database_url=db)
    store = _open(settings)
    per_page = limit if limit is not None else per_page
    rows, total = store.list_articles(ArticleFilter(
        since=_date(since, "--since"), until=_date(until, "--until"),
        source=source, text=search, limit=per_page, offset=(page - 1) * per_page,
    ))
    if as_json:
        for a in rows:
            out.print_json(json.dumps(a.to_json()), indent=None)
        return
    if not rows:
        err.print("no stored article matches", highlight=False)
        return
    table = _table(f"{len(rows)} of {_plural(total, 'article')}")
    for col in ("id", "published"):
        _fixed(table, col)
    _flex(table, "source", "dateline", "title")
    for a in rows:
        table.add_row(_short_id(a.id, wide), str(a.published or "—"), _cell(a.source),
                      _cell(a.dateline), _cell(a.title or "(untitled)"))
    _print_table(table, wide)


@app.command("show")
def show_cmd(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text.")] = False,
) -> None:
    """Show one stored article: metadata, captions, text and its duplicates."""
    settings = _settings(database_url=db)
    store = _open(settings)
    article = store.get_article(article_id)
    if article is None:
        err.print(f"[red]error:[/red] no single article with id {article_id!r}")
        raise typer.Exit(1)
    dups = store.duplicates_of(article.id)
    if as_json:
        data = article.to_json() | {
            "text": article.text,
            "duplicates": [{"origin": d["origin"], "kind": d["kind"],
                            "similarity": d["similarity"]} for d in dups],
            "entities": [e.to_json() for e in store.entities_of(article.id)],
            "events": [e.to_json() for e in store.events_of(article.id)],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    out.rule(article.title or "(untitled)")
    meta = Table.grid(padding=(0, 2))
    for key, value in (("id", article.id), ("published", f"{article.published or '—'} "
                        f"({article.published_source or 'unknown'})"),
                       ("source", article.source), ("authors", ", ".join(article.authors)),
                       ("dateline", article.dateline), ("origin", article.origin)):
        meta.add_row(f"[bold]{key}", str(value or "—"))
    out.print(meta)
    for cap in article.captions:
        out.print(f"[italic]caption:[/italic] {cap}", highlight=False)
    out.print()
    out.print(article.text, highlight=False, markup=False)
    for d in dups:
        out.print(f"[yellow]{d['kind']} duplicate:[/yellow] {d['origin']} ({d['similarity']:.2f})")
    events = store.events_of(article.id)
    if events:
        out.rule(_plural(len(events), "event"))
        for ev in events:
            out.print(f"[dim]{ev.event_id[:SHORT_ID]}[/dim] [bold]{ev.sub_event_type}[/bold] "
                      f"{ev.event_date or '—'} "
                      f"{ev.location or ''} — {ev.actor1 or '?'} vs {ev.actor2 or '?'}",
                      highlight=False)
            for src in ev.sources:
                out.print(f"   [dim]{src.stance} · {src.claimed_by or '—'}:[/dim] {src.sentence}",
                          highlight=False)


@app.command("events")
def events_cmd(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    actor: ActorOption = None,
    event_type: TypeOption = None,
    sub_event_type: SubTypeOption = None,
    bbox: BboxOption = None,
    search: SearchOption = None,
    min_fatalities: MinFatalitiesOption = None,
    background: Annotated[bool, typer.Option(help="Include history told in passing.")] = False,
    per_article: Annotated[bool, typer.Option(
        "--per-article", help="One row per article's report instead of per happening.")] = False,
    sort: Annotated[str, typer.Option(help=f"One of {', '.join(SORT_CHOICES)}.")] = "-event_date",
    page: Annotated[int, typer.Option(min=1, help="1-based page number, as the API's page.")] = 1,
    per_page: Annotated[int, typer.Option(
        min=1, max=100000, help="Events per page, as the API's per_page.")] = 100,
    limit: Annotated[int | None, typer.Option(min=1, max=100000, hidden=True,
                                              help="Old name of --per-page.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
    wide: WideOption = False,
) -> None:
    """List events, newest first: one row per happening (merged across articles).

    The filters are the API's (``/api/v1/events``) and select the same events.  A date is
    cut to what is known (2017-11 a month, 2017 a year, 2017-11-03~ within a week);
    ``opsroom event ID`` shows one event with its sources.
    """
    from .store import search_events

    settings = _settings(database_url=db)
    per_page = limit if limit is not None else per_page
    q = _event_query(settings, since=since, until=until, country=country, admin1=admin1,
                     actor=actor, event_type=event_type, sub_event_type=sub_event_type,
                     bbox=bbox, search=search, min_fatalities=min_fatalities,
                     background=background, per_article=per_article, sort=sort,
                     limit=per_page, offset=(page - 1) * per_page)
    store = _open(settings)
    try:
        items, total = search_events(store, q)
    finally:
        store.close()
    rows = [it.event for it in items]
    if as_json:
        for ev in rows:
            sys.stdout.write(json.dumps(ev.to_json(), ensure_ascii=False, default=str) + "\n")
        return
    if not rows:
        err.print(f"page {page} is past the last of {_plural(total, 'event')}" if total else
                  "no event matches these filters", highlight=False)
        return
    table = _table(f"{len(rows)} of {_plural(total, 'event')}")
    _fixed(table, "id")
    _fixed(table, "date")
    _flex(table, "type", "actors", "place")
    _fixed(table, "killed", "right")
    if wide:
        _fixed(table, "hurt", "right")
        _fixed(table, "sources", "right")
    for ev in rows:
        killed = "—" if ev.fatalities is None else str(ev.fatalities)
        if wide and ev.fatalities_high is not None and ev.fatalities_high != ev.fatalities:
            killed += f" ({ev.fatalities_low}–{ev.fatalities_high})"
        cells: list[str | Text] = [
            _short_id(ev.event_id, wide), _when(ev.event_date, ev.date_precision, wide),
            _cell(ev.sub_event_type),
            _cell(" vs ".join(a for a in (ev.actor1, ev.actor2) if a)),
            _cell(", ".join(dict.fromkeys(x for x in (ev.location, ev.country) if x))),
            killed,
        ]
        if wide:
            cells += ["—" if ev.injuries is None else str(ev.injuries), str(len(ev.sources))]
        table.add_row(*cells)
    _print_table(table, wide)


def _find_event(store: Store, event_id: str) -> ViewEvent:
    """The served event with this id, or the one event whose id (or whose report's id)
    starts with it; otherwise a one-line error and exit 1."""
    from .store.query import event_ids_with_prefix, get_view_event

    item = get_view_event(store, event_id)
    if item is None:
        found = event_ids_with_prefix(store, event_id) if event_id else []
        if len(found) > 1:
            err.print(f"[red]error:[/red] id {event_id!r} is the start of "
                      f"{'at least ' if len(found) >= 10 else ''}{len(found)} events "
                      f"({', '.join(found[:3])}{', …' if len(found) > 3 else ''}): "
                      "give more of it", highlight=False, soft_wrap=True)
            raise typer.Exit(1)
        item = get_view_event(store, found[0]) if found else None
    if item is None:
        err.print(f"[red]error:[/red] no event with id {event_id!r}", highlight=False,
                  soft_wrap=True)
        raise typer.Exit(1)
    return item


def _event_fields(ev: Event, merged: bool, n_articles: int) -> Table:
    """The fields of one event, a line each, with the reason for each reading."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    reports = f"merged from reports in {_plural(n_articles, 'article')}" if merged else \
        f"told in {_plural(n_articles, 'article')}"
    actors = " vs ".join(a for a in (ev.actor1, ev.actor2) if a)
    place = ", ".join(dict.fromkeys(x for x in (ev.location, ev.admin1, ev.country) if x))
    if ev.latitude is not None and ev.longitude is not None:
        place += f" ({ev.latitude:.4f}, {ev.longitude:.4f}; precision {ev.geo_precision})"
    killed = None if ev.fatalities is None else str(ev.fatalities)
    if killed and ev.fatalities_high is not None and ev.fatalities_high != ev.fatalities:
        killed += f" (reports say {ev.fatalities_low}–{ev.fatalities_high})"
    rows = (
        ("id", f"{ev.event_id} ({reports})"),
        ("type", f"{ev.event_type} / {ev.sub_event_type}"),
        ("", ev.type_reason),
        ("date", _when(ev.event_date, ev.date_precision, wide=True)),
        ("", ev.date_reason),
        ("actors", actors or "—"),
        ("with", "; ".join(a for a in (ev.assoc_actor_1, ev.assoc_actor_2) if a) or None),
        ("place", place or "—"),
        ("killed", killed or "—"),
        ("wounded", None if ev.injuries is None else str(ev.injuries)),
        ("weapon", ev.weapon),
        ("quantity", None if ev.quantity is None else str(ev.quantity)),
        ("background", "yes: history told in passing" if ev.background else None),
    )
    for key, value in rows:
        if value:
            grid.add_row(key, Text(value, style="dim" if not key else ""))
    return grid


@app.command("event")
def event_cmd(
    event_id: Annotated[str, typer.Argument(
        help="Event id, or the start of one (the id column of 'opsroom events').")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="The event as the API serves it (/api/v1/events/ID).")] = False,
) -> None:
    """Show one event: its fields, each source sentence and who said it, and each claim."""
    from .store.views import article_texts

    settings = _settings(database_url=db)
    store = _open(settings)
    try:
        item = _find_event(store, event_id)
        ev = item.event
        if as_json:
            from .api.routes_events import get_event

            data = get_event(store, ev.event_id).model_dump(mode="json")
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            return
        titles = article_texts(store, {s.article_id for s in ev.sources}, text=False)
    finally:
        store.close()
    out.rule(Text(f"{ev.sub_event_type} · {_when(ev.event_date, ev.date_precision)}"))
    out.print(_event_fields(ev, item.merged, item.n_articles))
    # Sources and claims as numbered rows whose text wraps under itself, not under the number.
    sources = _numbered()
    where: dict[tuple[str, ...], int] = {}
    article = None
    for i, src in enumerate(ev.sources, 1):
        where.setdefault((src.article_id, src.sentence), i)
        where.setdefault((src.article_id, src.sentence, src.claimed_by or ""), i)
        if src.article_id != article:  # sources come in article order: its title once
            article = src.article_id
            title = titles.get(article, (None, ""))[0] or "(untitled)"
            sources.add_row("", Text(f"in “{title}” (article {article[:SHORT_ID]})",
                                     style="italic"))
        body = Text(f"{src.stance} · {src.claimed_by or 'the outlet'}\n", style="bold")
        body.append(src.sentence.strip(), style="not bold")
        sources.add_row(f"{i}.", body)
    out.print()
    out.print(Text(_plural(len(ev.sources), "source"), style="bold"))
    out.print(sources)
    if not ev.claims:
        return
    claims = _numbered()
    for claim in ev.claims:
        said = f"{claim.claimed_by or 'the outlet'} {claim.stance}"
        if claim.field is None:
            body = Text(f"that it happened: {said}")
        else:
            value = "—" if claim.value is None else str(claim.value)
            if claim.value_high is not None and claim.value_high != claim.value:
                value += f" to {claim.value_high}"
            body = Text(f"{claim.field} {value}: {said}", style="bold")
        if claim.reason:
            body.append(f" · {claim.reason}", style="dim")
        at = where.get((claim.article_id or "", claim.sentence, claim.claimed_by or "")) or \
            where.get((claim.article_id or "", claim.sentence))
        body.append(f" (source {at})" if at else f"\n“{claim.sentence.strip()}”", style="dim")
        claims.add_row("-", body)
    out.print()
    out.print(Text(_plural(len(ev.claims), "claim"), style="bold"))
    out.print(claims)


def _numbered() -> Table:
    """A list whose items wrap under their own first line (sources, claims)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    return grid


@app.command("extract")
def extract_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin.")],
    fmt: Annotated[str, typer.Option("--format", help="json (indented) or jsonl.")] = "json",
    published: PublishedOption = None,
    encoding: EncodingOption = None,
    max_mb: MaxMbOption = None,
    workers: WorkersOption = 0,
    scheduler: SchedulerOption = None,
) -> None:
    """Print the document JSON of every article (nothing is stored)."""
    if fmt not in ("json", "jsonl"):
        raise typer.BadParameter("use json or jsonl", param_hint="--format")
    from .pipeline import extract_documents

    settings = _settings(encoding=encoding, max_mb=max_mb)
    failed = False

    def report_error(exc: InputError) -> None:
        """Print a failed input and remember it, so the command exits 1 after the rest."""
        nonlocal failed
        failed = True
        err.print(f"[red]failed:[/red] {exc.origin}: {exc.problem}", highlight=False, soft_wrap=True)

    for doc in extract_documents(paths, settings, _date(published, "--published"), report_error,
                                 workers=workers, scheduler=scheduler):
        data = doc.to_json()
        indent = 2 if fmt == "json" else None
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent, default=str) + "\n")
    if failed:
        raise typer.Exit(1)


@app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="acled-csv, geojson, jsonl or parquet.")] = "acled-csv",
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    admin1: Admin1Option = None,
    actor: ActorOption = None,
    event_type: TypeOption = None,
    sub_event_type: SubTypeOption = None,
    bbox: BboxOption = None,
    search: SearchOption = None,
    min_fatalities: MinFatalitiesOption = None,
    background: Annotated[bool | None, typer.Option(
        "--background/--no-background",
        help="Include history told in passing. Default: left out of the event files "
             "(ACLED CSV, GeoJSON, Parquet), as the API's export leaves it out; kept in "
             "the JSONL documents, which hold whole articles.",
        show_default=False)] = None,
) -> None:
    """Export stored events as ACLED CSV, GeoJSON, Parquet, or documents as JSONL.

    The events are those ``opsroom events`` lists for the same filters, oldest first; JSONL
    holds the articles of the window, the country and the background flag.
    """
    from .export import FORMATS, export, includes_background

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    if background is None:
        background = includes_background(fmt)
    settings = _settings(database_url=db)
    q = _event_query(settings, since=since, until=until, country=country, admin1=admin1,
                     actor=actor, event_type=event_type, sub_event_type=sub_event_type,
                     bbox=bbox, search=search, min_fatalities=min_fatalities,
                     background=background)
    store = _open(settings)
    try:
        n = export(store, fmt, output, q, Knowledge.from_settings(settings))
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write {output}: {exc.strerror}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    unit = "articles" if fmt == "jsonl" else "events"
    out.print(f"wrote {n} {unit} to {output} ({fmt})", highlight=False)


@app.command("report")
def report_cmd(
    date_from: Annotated[str, typer.Option("--from", help="First day of the window (YYYY-MM-DD).")],
    date_to: Annotated[str, typer.Option("--to", help="Last day of the window (YYYY-MM-DD).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for sitrep.md and .html.")] = Path("sitrep"),
    db: DbOption = None,
    country: Annotated[str | None, typer.Option(help="Country, e.g. Syria.")] = None,
) -> None:
    """Write a situation report for a window as Markdown and as a self-contained HTML page."""
    from .analysis.sitrep import SitrepOptions, write_sitrep

    since, until = _window(date_from, date_to)
    assert since is not None and until is not None  # both options are required
    settings = _settings(database_url=db)
    store = _open(settings)
    try:
        files = write_sitrep(store, Knowledge.from_settings(settings),
                             SitrepOptions(since=since, until=until, country=country), output)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write in {output}: {exc.strerror}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    out.print(f"wrote {files.markdown} and {files.html}", highlight=False)


@app.command("merge")
def merge_cmd(db: DbOption = None) -> None:
    """Recompute the merged events: one event per happening, whatever the reports."""
    from .merge import merge_all

    settings = _settings(database_url=db)
    knowledge = Knowledge.from_settings(settings)
    store = _open(settings)
    try:
        report = merge_all(store, knowledge.actors, knowledge.merge_rules)
    finally:
        store.close()
    out.print(f"{report.events} events → {report.clusters} merged events "
              f"({report.merged} told by several reports)", highlight=False)


def _change_row(c: ControlChange, wide: bool) -> list[str | Text]:
    """One change of hands as a table row; ``wide`` adds how it was read, and all evidence."""
    taken = _cell(c.gained_by, "red" if c.contradicts else "")
    if c.contradicts:
        taken = Text("! ", style="red bold", no_wrap=True, overflow="ellipsis") + taken
    when = _when(c.date, c.date_precision, wide) if c.date else \
        f"undated, reported {c.reported}" if wide and c.reported else "undated"
    shown = c.evidence if wide else c.evidence[:1]
    evidence = " / ".join(f"“{e.sentence}” — {e.claimed_by or 'the outlet'}" for e in shown)
    row: list[str | Text] = [_short_id(c.event_id, wide), when, _cell(c.place), taken,
                             _cell(c.lost_by)]
    if wide:
        row.append(_cell(c.how))
    return [*row, _cell(evidence)]


def _change_table(title: str, changes: list[ControlChange], wide: bool) -> Table:
    table = _table(title)
    _fixed(table, "id")
    _fixed(table, "date")
    _flex(table, "place", "taken by", "lost by", *(["how"] if wide else []), "evidence")
    if any(c.contradicts for c in changes):
        table.caption = "! contradicted by another report"
    for c in changes:
        table.add_row(*_change_row(c, wide))
    return table


@app.command("control")
def control_cmd(
    place: Annotated[str, typer.Argument(help="A place name, any spelling (al-Qaim, Deir ez-Zor).")],
    on: Annotated[str | None, typer.Option("--on", help="Who held it on this day (YYYY-MM-DD).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
    wide: WideOption = False,
) -> None:
    """Who held a place (on a date), since when, and the changes of hands on record.

    A place that neither the gazetteer nor a stored event knows is an error (exit 1).
    """
    from dataclasses import asdict

    from rich.markup import escape

    from .analysis import who_held

    day = _date(on, "--on")
    settings = _settings(database_url=db)
    knowledge = Knowledge.from_settings(settings)
    store = _open(settings)
    try:
        state = who_held(store, place, knowledge, day)
    finally:
        store.close()
    known = knowledge.gazetteer.lookup(place) if not state.history else []
    if not state.history and not known:
        guesses = sorted({p.name for p, _ in knowledge.gazetteer.fuzzy(place, limit=3)})
        hint = f" (did you mean {' or '.join(guesses)}?)" if guesses else ""
        err.print(f"[red]error:[/red] unknown place: {escape(place)}{escape(hint)}",
                  highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(asdict(state), ensure_ascii=False, default=str, indent=2) + "\n")
        return
    name = f"[bold]{escape(place)}[/bold]"
    when = f"on {state.on}" if state.on else "latest known"
    if state.holder:
        since = f"since {state.since} ({state.since_precision})" if state.since else \
            f"by {state.known_by} at the latest (undated report)" if state.known_by else "date unknown"
        out.print(f"{name}, {when}: held by [bold]{escape(state.holder)}[/bold], {since}",
                  highlight=False)
    elif state.change is not None:
        at = f"on {state.since} ({state.since_precision})" if state.since else \
            f"by {state.known_by}"
        out.print(f"{name}, {when}: lost by {escape(state.change.lost_by or '?')} {at}; "
                  "the reports do not name who took it", highlight=False)
    elif not state.history:
        countries = ", ".join(sorted({p.country for p in known if p.country}))
        out.print(f"{name}: no change of hands on record"
                  f"{f' (the gazetteer places it in {escape(countries)})' if countries else ''}",
                  highlight=False)
    elif state.on is not None:
        out.print(f"{name}, {when}: no change of hands on record by then "
                  f"({_plural(len(state.history), 'later one', 'later ones')} below)",
                  highlight=False)
    else:
        out.print(f"{name}, {when}: no dated change of hands on record, and the undated "
                  "reports below do not agree on who took it", highlight=False)
    if state.contradictions:
        out.print(f"[red]contradicted by {_plural(len(state.contradictions), 'report')}:[/red]")
        _print_table(_change_table("contradicting reports", state.contradictions, wide), wide)
    if state.history:
        title = f"{_plural(len(state.history), 'change of hands', 'changes of hands')} at {place}"
        _print_table(_change_table(title, state.history, wide), wide)


@app.command("changes")
def changes_cmd(
    date_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    date_to: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    country: Annotated[str | None, typer.Option(help="Country, e.g. Syria.")] = None,
    undated: Annotated[bool, typer.Option(help="Also undated changes reported in the window.")] = False,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
    wide: WideOption = False,
) -> None:
    """What changed hands between two dates, with evidence; contradictions flagged."""
    from dataclasses import asdict

    from .analysis import control_changes

    since, until = _window(date_from, date_to)
    assert since is not None and until is not None  # both options are required
    settings = _settings(database_url=db)
    store = _open(settings)
    try:
        changes = control_changes(store, Knowledge.from_settings(settings), since, until, country,
                                  include_undated=undated)
    finally:
        store.close()
    if not changes:
        err.print(f"no change of hands on record from {since} to {until}"
                  f"{f' in {country}' if country else ''}", highlight=False)
        return
    if as_json:
        for c in changes:
            sys.stdout.write(json.dumps(asdict(c), ensure_ascii=False, default=str) + "\n")
        return
    title = f"{_plural(len(changes), 'change of hands', 'changes of hands')}, {since} to {until}"
    _print_table(_change_table(title, changes, wide), wide)


@app.command("graph")
def graph_cmd(
    date_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The graph as JSON (nodes, edges).")] = False,
    wide: WideOption = False,
) -> None:
    """Who fights whom, and who backs, is part of or allied with whom, with evidence."""
    from .analysis import actor_graph

    since, until = _window(date_from, date_to)
    settings = _settings(database_url=db)
    store = _open(settings)
    try:
        graph = actor_graph(store, Knowledge.from_settings(settings), since, until)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(graph.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    if not graph.edges:
        err.print("no tie between actors on record in this window", highlight=False)
        return
    table = _table(f"{_plural(len(graph.nodes), 'actor')}, {_plural(len(graph.edges), 'tie')}")
    _flex(table, "actor", "tie", "actor ")
    _fixed(table, "weight", "right")
    _fixed(table, "killed", "right")
    if wide:
        _fixed(table, "from")
    _flex(table, "evidence")
    for e in graph.edges:
        ev = e.evidence[0] if e.evidence else None
        row: list[str | Text] = [
            _cell(e.source), _cell(e.kind.replace("_", " ")), _cell(e.target), str(e.weight),
            str(e.fatalities) if e.kind == "fights" else ""]
        if wide:
            row.append(", ".join(e.origins))
        table.add_row(*row, _cell((ev.sentence or ev.ref) if ev else ""))
    _print_table(table, wide)


@app.command("trends")
def trends_cmd(
    by: Annotated[str, typer.Option("--by", help="week, country, admin1, type, sub_type or actor.")] = "week",
    date_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="Country, e.g. Syria.")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
    wide: WideOption = False,
) -> None:
    """Events and fatalities by week, country, admin1, type or actor."""
    from dataclasses import asdict

    from .analysis import TREND_KEYS, trends

    if by not in TREND_KEYS:
        raise typer.BadParameter(f"use one of {', '.join(TREND_KEYS)}", param_hint="--by")
    since, until = _window(date_from, date_to)
    store = _open(_settings(database_url=db))
    try:
        result = trends(store, by, since, until, country)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False, default=str, indent=2) + "\n")
        return
    if not result.rows:
        err.print("no event on record in this window", highlight=False)
        return
    table = _table(f"{_plural(result.total_events, 'event')}, {result.total_fatalities} killed, "
                   f"by {by}")
    _flex(table, by)
    for col in ("events", "killed", "events with a figure"):
        _fixed(table, col, "right")
    for row in result.rows:
        table.add_row(_cell(row.key), str(row.events), str(row.fatalities), str(row.with_figures))
    _print_table(table, wide)


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes (one process uses one core for Python).")] = 1,
) -> None:
    """Serve the REST API (/api/v1, /openapi.json) and the dashboard (/)."""
    import os

    import uvicorn

    from .api import create_app
    from .api.server import http_protocol

    settings = _settings(database_url=db)
    store = _open(settings)
    # The service serves merged events; events stored but not merged (an ingest that
    # died before its merge, a database from before migration 0006) are merged first.
    if store.unclustered_event_ids():
        from .merge import update_merged

        knowledge = Knowledge.from_settings(settings)
        with err.status("merging events stored since the last merge"):
            done = update_merged(store, knowledge.actors, knowledge.merge_rules)
        err.print(f"merged {done.events} stored events into {done.clusters}")
    err.print(f"opsroom on http://{host}:{port}/ (database {settings.database_url}"
              f"{f', {workers} processes' if workers > 1 else ''})", highlight=False)
    if workers > 1:
        # Each worker process builds its app from the environment (uvicorn starts them
        # from an import string); jobs left unfinished are recovered here, once.
        from .store.access import fail_unfinished_jobs

        fail_unfinished_jobs(store, "the server stopped before the job finished")
        store.close()
        os.environ["OPSROOM_DATABASE_URL"] = settings.database_url
        # A worker loads the knowledge (gazetteer, models) before it answers the
        # supervisor's health ping: on a busy machine that takes longer than uvicorn's 5 s
        # default, and a worker killed for it is restarted, and killed, for ever.
        uvicorn.run("opsroom.api.app:create_worker_app", factory=True, workers=workers,
                    host=host, port=port, log_level="info", http=http_protocol(),
                    timeout_worker_healthcheck=WORKER_HEALTHCHECK_S)
        return
    try:
        web = create_app(settings, store)
    except OpsroomError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    try:
        uvicorn.run(web, host=host, port=port, log_level="info", http=http_protocol())
    finally:
        store.close()


token_app = typer.Typer(help="API tokens: create, list, revoke (stored hashed).",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create_cmd(
    name: Annotated[str, typer.Argument(help="Who holds the token (shown in the audit log).")],
    db: DbOption = None,
) -> None:
    """Create a token for NAME and print it once (only its hash is stored)."""
    from .store.access import create_token

    if not (1 <= len(name) <= 80) or ":" in name or "," in name:
        raise typer.BadParameter("1-80 characters, without ':' or ','", param_hint="NAME")
    store = _open(_settings(database_url=db))
    try:
        token = create_token(store, name)
    except OpsroomError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    finally:
        store.close()
    sys.stdout.write(token + "\n")
    err.print("Keep it now: it cannot be shown again. Use it as 'Authorization: Bearer TOKEN'.")


@token_app.command("list")
def token_list_cmd(db: DbOption = None) -> None:
    """List stored token names and when they were made."""
    from .store.access import list_tokens

    store = _open(_settings(database_url=db))
    for row in list_tokens(store):
        out.print(f"{row['name']}\t{row['created']}", highlight=False)
    store.close()


@token_app.command("revoke")
def token_revoke_cmd(name: Annotated[str, typer.Argument(help="The token's name.")],
                     db: DbOption = None) -> None:
    """Delete the token named NAME."""
    from .store.access import revoke_token

    store = _open(_settings(database_url=db))
    found = revoke_token(store, name)
    store.close()
    if not found:
        err.print(f"[red]error:[/red] no token named {name!r}")
        raise typer.Exit(1)


@app.command("dump")
def dump_cmd(
    file: Annotated[Path, typer.Argument(help="The dump to write (gzipped JSON Lines).")],
    db: DbOption = None,
) -> None:
    """Write the whole database (every table, with its schema revision) to FILE."""
    from .store.backup import dump

    settings = _settings(database_url=db)
    try:
        report = dump(settings.database_url, file)
    except OpsroomError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    err.print(f"dumped {report.total} rows of {len(report.rows)} tables "
              f"(schema {report.revision}) to {file}")


@app.command("restore")
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="A dump written by 'opsroom dump'.")],
    db: DbOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the content of a database that is not empty.")] = False,
) -> None:
    """Load FILE into an empty database, in one transaction (all of it or nothing)."""
    from .store.backup import restore

    settings = _settings(database_url=db)
    try:
        report = restore(settings.database_url, file, force=force)
    except OpsroomError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    err.print(f"restored {report.total} rows of {len(report.rows)} tables "
              f"(schema {report.revision}) into {settings.database_url}")


def main() -> None:  # pragma: no cover
    """Entry point of the ``opsroom`` console script and ``python -m opsroom``."""
    app()
