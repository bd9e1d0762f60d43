"""The ``opsroom`` command: thin shells that parse input and call one library function."""

from __future__ import annotations

import datetime as dt
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from .config import Settings, resolve_settings
from .errors import InputError, OpsroomError
from .pipeline import extract_documents, ingest
from .store import ArticleFilter, EventFilter, Store

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
PublishedOption = Annotated[
    str | None,
    typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that give none."),
]


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def sample_corpus() -> Path:
    """The bundled sample corpus (real, public reporting on the Iraq–Syria war)."""
    return Path(str(resources.files("opsroom.data") / "sample"))


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
    sample: Annotated[bool, typer.Option("--sample", help="Ingest the bundled sample corpus.")] = False,
    db: DbOption = None,
    published: PublishedOption = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding of the inputs (default UTF-8).")] = None,
    max_mb: Annotated[float | None, typer.Option("--max-mb", help="Largest input file read, in MB.")] = None,
) -> None:
    """Read articles, clean and split them, and store what is new (safe to re-run)."""
    inputs = list(paths or [])
    if sample:
        inputs.append(str(sample_corpus()))
    if not inputs:
        err.print("[red]error:[/red] give at least one PATH, or --sample")
        raise typer.Exit(2)
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

        def tick(rep: object) -> None:
            r = rep  # IngestReport
            progress.update(task, completed=r.read, status=f"new {r.new} · dup {r.duplicates}")

        try:
            report = ingest(inputs, store, settings, _date(published, "--published"),
                            on_article=tick, on_error=report_error)
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
    since: Annotated[str | None, typer.Option(help="Event date on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Event date on or before (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, typer.Option(help="Country, e.g. Syria.")] = None,
    actor: Annotated[str | None, typer.Option(help="Words of an actor's name.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Event type or sub-type words.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Words in a source sentence.")] = None,
    background: Annotated[bool, typer.Option(help="Include history told in passing.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100000)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """List stored events, newest first."""
    settings = _settings(database_url=db)
    store = _open(settings)
    rows, total = store.list_events(EventFilter(
        since=_date(since, "--since"), until=_date(until, "--until"), country=country,
        actor=actor, event_type=event_type, text=search, include_background=background,
        limit=limit,
    ))
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
) -> None:
    """Print the document JSON of every article (nothing is stored)."""
    if fmt not in ("json", "jsonl"):
        raise typer.BadParameter("use json or jsonl", param_hint="--format")
    settings = _settings()
    failed = False

    def report_error(exc: InputError) -> None:
        nonlocal failed
        failed = True
        err.print(f"[red]failed:[/red] {exc.origin}: {exc.problem}", highlight=False, soft_wrap=True)

    for doc in extract_documents(paths, settings, _date(published, "--published"), report_error):
        data = doc.to_json()
        indent = 2 if fmt == "json" else None
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent, default=str) + "\n")
    if failed:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover
    app()
