"""The flow of DESIGN.md, end to end: inputs → articles → documents → store.

``extract_documents`` is the library entry point behind ``opsroom extract``;
``ingest`` is the one behind ``opsroom ingest``.  Both read inputs lazily, so memory
stays flat however large the corpus.  Whatever goes wrong with one input (a bad file, a
reader's or the cleaner's bug, an analysis that breaks on one article) is reported as
that input's one-line failure and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import ArticleFailed, InputError, unexpected
from .extractor import Extractor
from .ingest import prepare, read_inputs
from .ingest.dedup import (
    NearDuplicateIndex,
    band_keys,
    best_match,
    from_signature,
    minhash,
    signature_bytes,
)
from .ingest.readers import ReadOptions
from .knowledge import Knowledge
from .merge import pending_clusters, update_merged
from .models import Article, Document
from .store import Store

if TYPE_CHECKING:
    from datasketch import MinHash


log = logging.getLogger(__name__)


def read_options(settings: Settings) -> ReadOptions:
    """The readers' limits from the settings: ``max_mb`` in bytes, and the forced input
    encoding, if any."""
    return ReadOptions(max_bytes=int(settings.max_mb * 2**20), encoding=settings.encoding)


def iter_articles(
    paths: Iterable[str | Path],
    settings: Settings,
    published: dt.date | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_read: Callable[[str], None] | None = None,
) -> Iterator[Article | Document]:
    """Every article in the inputs; bad inputs go to ``on_error`` and the rest go on.

    A document-contract line (an export re-imported) comes out as its ``Document``,
    already analysed.
    """
    for item in read_inputs(paths, read_options(settings)):
        if isinstance(item, InputError):
            if on_error:
                on_error(item)
            continue
        if isinstance(item, Document):
            if on_read:
                on_read(item.article.origin)
            yield item
            continue
        if on_read:
            on_read(item.origin)
        try:
            articles = prepare(item, published)
        except InputError as exc:
            if on_error:
                on_error(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - the cleaner's surprise is this input's failure
            log.debug("cleaning %s failed", item.origin, exc_info=True)
            if on_error:
                on_error(unexpected(item.origin, "cleaning", exc))
            continue
        if not articles and on_error:
            on_error(InputError(item.origin, "no article text after cleaning"))
        yield from articles


def extract_documents(
    paths: Iterable[str | Path],
    settings: Settings | None = None,
    published: dt.date | None = None,
    on_error: Callable[[InputError], None] | None = None,
    workers: int = 0,
    scheduler: str | None = None,
    knowledge: Knowledge | None = None,
) -> Iterator[Document]:
    """The document JSON of every article in ``paths`` (nothing is stored)."""
    settings = settings or Settings()
    articles = iter_articles(paths, settings, published, on_error)
    with analyser(settings, workers, scheduler, on_error=on_error,
                  knowledge=knowledge) as analyse:
        yield from analyse(articles)


@dataclass
class IngestReport:
    """What an ingest run did."""

    read: int = 0
    new: int = 0
    known: int = 0
    duplicates: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    near_duplicates: list[tuple[str, str, float]] = field(default_factory=list)
    #: New articles stored without a publication date, and the events of the new articles
    #: (all, and those left without a date): an undated article's events are mostly undated.
    #: History told in passing is left out of the events, as the event listings leave it.
    undated: int = 0
    events: int = 0
    undated_events: int = 0

    def fail(self, err: InputError) -> None:
        """Count a failed input and keep its origin and problem for the run's failure list
        (what an API ingest job reports when it is done)."""
        self.failed += 1
        self.failures.append((err.origin, err.problem))


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    published: dt.date | None = None,
    on_article: Callable[[IngestReport], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    workers: int = 0,
    scheduler: str | None = None,
    analyse: Callable[[Iterable[Article | Document]], Iterator[Document]] | None = None,
    knowledge: Knowledge | None = None,
) -> IngestReport:
    """Store every new article of ``paths`` with its entities and events.

    Duplicates are recorded and linked to their original, never stored twice.  Each
    article is written in its own transaction, so an interrupted run leaves only whole
    articles and a re-run adds only what is missing.  ``knowledge`` defaults to the one
    the settings describe; the analysis and the merge both use it.
    """
    knowledge = knowledge if knowledge is not None else Knowledge.from_settings(settings)
    run = _IngestRun(store, on_article, knowledge)

    def failed(err: InputError) -> None:
        run.report.fail(err)
        if isinstance(err, ArticleFailed):
            run.forget(err.article_id)
        if on_error:
            on_error(err)

    articles = iter_articles(paths, settings, published, on_error=failed)
    fresh = (a for a in _counted(articles, run.report)
             if run.is_new(a.article if isinstance(a, Document) else a))
    with analyser(settings, workers, scheduler, given=analyse, on_error=failed,
                  knowledge=knowledge) as analyse_step:
        for doc in analyse_step(fresh):
            run.store_document(doc)
    run.flush_deferred(final=True)
    # One event per happening across the stored articles.
    update_merged(store, knowledge.actors, knowledge.merge_rules)
    return run.report


@contextmanager
def analyser(
    settings: Settings,
    workers: int = 0,
    scheduler: str | None = None,
    given: Callable[[Iterable[Article | Document]], Iterator[Document]] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    knowledge: Knowledge | None = None,
) -> Iterator[Callable[[Iterable[Article | Document]], Iterator[Document]]]:
    """The analysis step: the one given, in this process, or on a Dask cluster.

    An article whose analysis fails goes to ``on_error`` and the step goes on.  Dask
    workers build their knowledge from the same settings (a gazetteer does not travel).
    """
    if given is not None:
        yield given
        return
    if not workers and not scheduler:
        yield Extractor(settings, on_error, knowledge).documents
        return
    from .parallel import DaskAnalyser

    with DaskAnalyser(settings, workers, scheduler, on_error=on_error) as dask_analyser:
        yield dask_analyser.documents


class _IngestRun:
    """State of one ingest: the near-duplicate index and duplicates awaiting their original.

    Articles are analysed in batches, so a near duplicate can be found before its original
    (earlier in the same batch) is written; its record waits until the original lands.
    """

    def __init__(self, store: Store, on_article: Callable[[IngestReport], None] | None,
                 knowledge: Knowledge) -> None:
        self.store = store
        self.on_article = on_article
        self.knowledge = knowledge
        self.report = IngestReport()
        # Articles of this run not stored yet; stored ones are found through the database.
        self.near = NearDuplicateIndex()
        self.pending: set[str] = set()
        self.deferred: list[tuple[Article, str, float]] = []

    def _tick(self) -> None:
        if self.on_article:
            self.on_article(self.report)

    def is_new(self, article: Article) -> bool:
        """Record a re-read or a duplicate and say False; say True for an article to analyse."""
        store, report = self.store, self.report
        sig = minhash(article.text)
        new = False
        with store.engine.begin() as conn:
            stored = store.stored_with_hash(conn, article.content_hash)
            if stored is not None and stored[1] == article.origin:
                report.known += 1  # the same article from the same input: a re-run
            elif stored is not None:
                if store.add_duplicate(conn, article, stored[0], "exact", 1.0):
                    report.duplicates += 1
                else:
                    report.known += 1
            elif store.duplicate_seen(conn, article.content_hash, article.origin):
                report.known += 1
            elif (match := self._near_match(conn, sig)) is not None:
                report.duplicates += 1
                report.near_duplicates.append((article.origin, match[0], match[1]))
                if match[0] in self.pending:
                    self.deferred.append((article, match[0], match[1]))
                else:
                    store.add_duplicate(conn, article, match[0], "near", match[1])
            else:
                self.near.add(article.id, sig)
                self.pending.add(article.id)
                new = True
        if not new:
            self._tick()
        return new

    def forget(self, article_id: str) -> None:
        """An article that will not be stored (its analysis failed) matches nothing after."""
        self.pending.discard(article_id)
        self.near.remove(article_id)

    def _near_match(self, conn: Any, sig: MinHash) -> tuple[str, float] | None:
        """The closest near duplicate among stored articles and this run's unstored ones."""
        stored = best_match(sig, ((key, from_signature(data)) for key, data in
                                  self.store.near_candidates(conn, band_keys(sig))))
        running = self.near.best_match(sig)
        if stored is None or (running is not None and running[1] > stored[1]):
            return running
        return stored

    def store_document(self, doc: Document) -> None:
        """Write an analysed article with its document and pending clusters in one transaction,
        then record the near duplicates that waited for it; a copy another writer stored first is
        counted, not stored again."""
        article = doc.article
        sig = minhash(article.text)
        with self.store.engine.begin() as conn:
            if self.store.add_article(conn, article, signature_bytes(sig), band_keys(sig)):
                self.store.add_document(conn, doc)
                self.store.add_pending_clusters(
                    conn, pending_clusters(doc.events, article.id, article.published,
                                           self.knowledge.merge_rules))
                self.report.new += 1
                if article.published is None:
                    self.report.undated += 1
                events = [e for e in doc.events if not e.background]
                self.report.events += len(events)
                self.report.undated_events += sum(e.event_date is None for e in events)
            elif self._stored_elsewhere(conn, article):
                self.report.duplicates += 1  # another writer stored it from another input
            else:  # another writer stored it from this input since we checked
                self.report.known += 1
        self.pending.discard(article.id)
        self.near.remove(article.id)  # stored (or stored by another writer): in the database
        self.flush_deferred()
        self._tick()

    def _stored_elsewhere(self, conn: Any, article: Article) -> bool:
        """Record a copy that a concurrent writer stored first from another input, as is_new would."""
        stored = self.store.stored_with_hash(conn, article.content_hash)
        return (stored is not None and stored[1] != article.origin
                and self.store.add_duplicate(conn, article, stored[0], "exact", 1.0))

    def flush_deferred(self, final: bool = False) -> None:
        """Record the near duplicates whose original is now stored; with ``final``, one whose
        original never got stored (its analysis failed) is dropped rather than left waiting."""
        waiting = []
        for article, original, sim in self.deferred:
            if original in self.pending and not final:
                waiting.append((article, original, sim))
                continue
            with self.store.engine.begin() as conn:
                if self.store.get_article(original) is not None:
                    self.store.add_duplicate(conn, article, original, "near", sim)
        self.deferred = waiting


def _counted(articles: Iterable[Article | Document], report: IngestReport) -> Iterator[Article | Document]:
    for article in articles:
        report.read += 1
        yield article
