"""The ``opsroom`` command: thin shells that parse input and call one library function."""

from __future__ import annotations

import datetime as dt
import json
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from .config import Settings, resolve_settings
from .errors import InputError, OpsroomError
from .knowledge import Knowledge
from .store import ArticleFilter, EventQuery, Store, search_events
from .store.query import SORTS, parse_bbox

if TYPE_CHECKING:  # the pipeline loads spaCy and torch: imported by the commands that run it
    from .pipeline import IngestReport

app = typer.Typer(
    name="opsroom",
    help="War reporting in; a sourced, geocoded, deduplicated conflict-event record out.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

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
    str | None, typer.Option("--type", help="ACLED event type, whole (e.g. Battles)."),
]
SubTypeOption = Annotated[
    str | None,
    typer.Option("--sub-type", help="ACLED sub-event type, whole (e.g. 'Air/drone strike')."),
]
BboxOption = Annotated[
    str | None, typer.Option(help="Box of minlon,minlat,maxlon,maxlat, e.g. 40,33,43.5,35."),
]
SearchOption = Annotated[
    str | None,
    typer.Option("--search", "-s", help="Words in the event's place or source sentences."),
]
MinFatalitiesOption = Annotated[
    int | None, typer.Option("--min-fatalities", min=0, help="At least this many killed."),
]


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
) -> EventQuery:
    """The one event query (``store.query``) from the filter options of a command.

    Types are whole values, as in the API: a sub-type given as ``--type`` (or a type as
    ``--sub-type``) would select nothing, so it is refused with the right option named.
    """
    if event_type or sub_event_type:
        ontology = Knowledge.from_settings(settings).lexicon.ontology
        types = {name.lower() for name in ontology}
        subs = {name.lower() for names in ontology.values() for name in names}
        if event_type and event_type.lower() in subs - types:
            raise typer.BadParameter(f"{event_type!r} is a sub-event type: use --sub-type",
                                     param_hint="--type")
        if sub_event_type and sub_event_type.lower() in types - subs:
            raise typer.BadParameter(f"{sub_event_type!r} is an event type: use --type",
                                     param_hint="--sub-type")
    try:
        return EventQuery(
            since=_date(since, "--since"), until=_date(until, "--until"),
            bbox=parse_bbox(bbox) if bbox is not None else None, country=country,
            admin1=admin1, actor=actor, event_type=event_type, sub_event_type=sub_event_type,
            text=search, min_fatalities=min_fatalities, include_background=background,
            per_article=per_article, sort=sort, limit=limit)
    except ValueError as exc:  # a bad box or sort, a window ending before it starts
        raise typer.BadParameter(str(exc)) from None


def sample_corpus() -> Path:
    """The bundled sample corpus (real, public reporting on the Iraq–Syria war)."""
    return Path(str(resources.files("opsroom.data") / "sample"))


def sample_articles() -> Path:
    """What ``--sample`` ingests: the sample corpus's articles as JSON Lines, each with its
    outlet and publication date (the files of ``sample_corpus`` hold the same texts
    undated, as they were pasted; the tests and the eval read those)."""
    return Path(str(resources.files("opsroom.data") / "sample.jsonl"))


def _settings(**flags: object) -> Settings:
    try:
        return resolve_settings(**flags)
    except OpsroomError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _open(settings: Settings) -> Store:
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
    from .pipeline import ingest

    settings = _settings(database_url=db, encoding=encoding, max_mb=max_mb)
    store = _open(settings)

    def report_error(exc: InputError) -> None:
        progress.console.print(
            f"[red]failed:[/red] {exc.origin}: {exc.problem}", highlight=False, soft_wrap=True
        )

    with Progress(
        SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), console=err, transient=False,
    ) as progress:
        task = progress.add_task("ingest", total=None, status="")

        def tick(r: IngestReport) -> None:
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
    search: Annotated[str | None, typer.Option("--search", "-s", help="Words in title or text.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """List stored articles, newest first."""
    settings = _settings(database_url=db)
    store = _open(settings)
    rows, total = store.list_articles(ArticleFilter(
        since=_date(since, "--since"), until=_date(until, "--until"),
        source=source, text=search, limit=limit,
    ))
    if as_json:
        for a in rows:
            out.print_json(json.dumps(a.to_json()), indent=None)
        return
    table = Table(title=f"{len(rows)} of {total} articles")
    for col in ("id", "published", "source", "dateline", "title"):
        table.add_column(col, overflow="fold")
    for a in rows:
        table.add_row(a.id[:12], str(a.published or "—"), a.source or "—", a.dateline or "—",
                      a.title or "(untitled)")
    out.print(table)


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
        out.rule(f"{len(events)} events")
        for ev in events:
            out.print(f"[bold]{ev.sub_event_type}[/bold] {ev.event_date or '—'} "
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
    sort: Annotated[str, typer.Option(help=f"One of {', '.join(SORTS)}.")] = "-event_date",
    limit: Annotated[int, typer.Option(min=1, max=100000)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """List events, newest first: one row per happening (merged across articles).

    The filters are the API's (``/api/v1/events``) and select the same events.
    """
    settings = _settings(database_url=db)
    q = _event_query(settings, since=since, until=until, country=country, admin1=admin1,
                     actor=actor, event_type=event_type, sub_event_type=sub_event_type,
                     bbox=bbox, search=search, min_fatalities=min_fatalities,
                     background=background, per_article=per_article, sort=sort, limit=limit)
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
    table = Table(title=f"{len(rows)} of {total} events")
    for col in ("date", "type", "actors", "location", "killed", "wounded", "sources"):
        table.add_column(col, overflow="fold")
    for ev in rows:
        killed = "—" if ev.fatalities is None else str(ev.fatalities)
        if ev.fatalities_high is not None and ev.fatalities_high != ev.fatalities:
            killed += f" ({ev.fatalities_low}–{ev.fatalities_high})"
        table.add_row(
            f"{ev.event_date or '—'} ({ev.date_precision or '?'})",
            ev.sub_event_type,
            " vs ".join(a for a in (ev.actor1, ev.actor2) if a) or "—",
            ", ".join(x for x in (ev.location, ev.country) if x) or "—",
            killed,
            "—" if ev.injuries is None else str(ev.injuries),
            str(len(ev.sources)),
        )
    out.print(table)


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
    background: Annotated[bool, typer.Option(
        help="Include history told in passing (flagged in the export).")] = True,
) -> None:
    """Export stored events as ACLED CSV, GeoJSON, Parquet, or documents as JSONL.

    The events are those ``opsroom events`` lists for the same filters, oldest first; JSONL
    holds the articles of the window, the country and the background flag.
    """
    from .export import FORMATS, export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
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

    since, until = _date(date_from, "--from"), _date(date_to, "--to")
    if since is None or until is None or since > until:
        raise typer.BadParameter("--from must be on or before --to", param_hint="--from")
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


def _change_row(c: object) -> list[str]:
    from .analysis import ControlChange

    assert isinstance(c, ControlChange)
    when = f"{c.date} ({c.date_precision})" if c.date else \
        f"undated (reported {c.reported})" if c.reported else "undated"
    flags = " [red]contradicted[/red]" if c.contradicts else ""
    evidence = "\n".join(f"“{e.sentence}” — {e.claimed_by or 'the outlet'}" for e in c.evidence[:2])
    return [when, c.place, (c.gained_by or "—") + flags, c.lost_by or "—", c.how,
            f"{c.event_id[:12]}\n{evidence}"]


def _change_table(title: str, changes: list) -> Table:  # type: ignore[type-arg]
    table = Table(title=title, show_lines=True)
    for col in ("date", "place", "taken by", "lost by", "how", "evidence"):
        table.add_column(col, overflow="fold")
    for c in changes:
        table.add_row(*_change_row(c))
    return table


@app.command("control")
def control_cmd(
    place: Annotated[str, typer.Argument(help="A place name, any spelling (al-Qaim, Deir ez-Zor).")],
    on: Annotated[str | None, typer.Option("--on", help="Who held it on this day (YYYY-MM-DD).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
) -> None:
    """Who held a place (on a date), since when, and the changes of hands on record."""
    from dataclasses import asdict

    from .analysis import who_held

    settings = _settings(database_url=db)
    store = _open(settings)
    try:
        state = who_held(store, place, Knowledge.from_settings(settings), _date(on, "--on"))
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(asdict(state), ensure_ascii=False, default=str, indent=2) + "\n")
        return
    when = f"on {state.on}" if state.on else "latest known"
    if state.holder:
        since = f"since {state.since} ({state.since_precision})" if state.since else \
            f"by {state.known_by} at the latest (undated report)" if state.known_by else "date unknown"
        out.print(f"[bold]{place}[/bold], {when}: held by [bold]{state.holder}[/bold], {since}",
                  highlight=False)
    elif state.change is not None:
        at = f"on {state.since} ({state.since_precision})" if state.since else \
            f"by {state.known_by}"
        out.print(f"[bold]{place}[/bold], {when}: lost by {state.change.lost_by or '?'} {at}; "
                  "the reports do not name who took it", highlight=False)
    else:
        out.print(f"[bold]{place}[/bold], {when}: no dated change of hands on record", highlight=False)
    if state.contradictions:
        out.print(f"[red]contradicted by {len(state.contradictions)} report(s):[/red]")
        out.print(_change_table("contradicting reports", state.contradictions))
    if state.history:
        out.print(_change_table(f"{len(state.history)} changes of hands at {place}", state.history))


@app.command("changes")
def changes_cmd(
    date_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    date_to: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    country: Annotated[str | None, typer.Option(help="Country, e.g. Syria.")] = None,
    undated: Annotated[bool, typer.Option(help="Also undated changes reported in the window.")] = False,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """What changed hands between two dates, with evidence; contradictions flagged."""
    from dataclasses import asdict

    from .analysis import control_changes

    since, until = _date(date_from, "--from"), _date(date_to, "--to")
    assert since is not None and until is not None
    settings = _settings(database_url=db)
    store = _open(settings)
    try:
        changes = control_changes(store, Knowledge.from_settings(settings), since, until, country,
                                  include_undated=undated)
    finally:
        store.close()
    if as_json:
        for c in changes:
            sys.stdout.write(json.dumps(asdict(c), ensure_ascii=False, default=str) + "\n")
        return
    out.print(_change_table(f"{len(changes)} changes of hands, {since} to {until}", changes))


@app.command("graph")
def graph_cmd(
    date_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The graph as JSON (nodes, edges).")] = False,
) -> None:
    """Who fights whom, and who backs, is part of or allied with whom, with evidence."""
    from .analysis import actor_graph

    settings = _settings(database_url=db)
    store = _open(settings)
    try:
        graph = actor_graph(store, Knowledge.from_settings(settings), _date(date_from, "--from"),
                            _date(date_to, "--to"))
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(graph.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(graph.nodes)} actors, {len(graph.edges)} ties")
    for col in ("actor", "tie", "actor ", "weight", "killed", "from", "evidence"):
        table.add_column(col, overflow="fold")
    for e in graph.edges:
        ev = e.evidence[0] if e.evidence else None
        shown = (ev.sentence or ev.ref) if ev else ""
        table.add_row(e.source, e.kind.replace("_", " "), e.target, str(e.weight),
                      str(e.fatalities) if e.kind == "fights" else "", ", ".join(e.origins),
                      shown[:160])
    out.print(table)


@app.command("trends")
def trends_cmd(
    by: Annotated[str, typer.Option("--by", help="week, country, admin1, type, sub_type or actor.")] = "week",
    date_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="Country, e.g. Syria.")] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Events and fatalities by week, country, admin1, type or actor."""
    from dataclasses import asdict

    from .analysis import TREND_KEYS, trends

    if by not in TREND_KEYS:
        raise typer.BadParameter(f"use one of {', '.join(TREND_KEYS)}", param_hint="--by")
    store = _open(_settings(database_url=db))
    try:
        result = trends(store, by, _date(date_from, "--from"), _date(date_to, "--to"), country)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False, default=str, indent=2) + "\n")
        return
    table = Table(title=f"{result.total_events} events, {result.total_fatalities} killed, by {by}")
    for col in (by, "events", "killed", "events with a figure"):
        table.add_column(col, justify="left" if col == by else "right")
    for row in result.rows:
        table.add_row(row.key, str(row.events), str(row.fatalities), str(row.with_figures))
    out.print(table)


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
        uvicorn.run("opsroom.api.app:create_worker_app", factory=True, workers=workers,
                    host=host, port=port, log_level="info", http=http_protocol())
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
    app()
