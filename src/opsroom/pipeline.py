"""The flow of DESIGN.md, end to end: inputs → articles → documents → store.

``extract_documents`` is the library entry point behind ``opsroom extract``;
``ingest`` is the one behind ``opsroom ingest``.  Both read inputs lazily, so memory
stays flat however large the corpus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .errors import InputError
from .ingest import prepare, read_inputs
from .ingest.dedup import NearDuplicateIndex, minhash, signature_bytes
from .ingest.readers import ReadOptions
from .models import Article, Document
from .store import Store


def read_options(settings: Settings) -> ReadOptions:
    return ReadOptions(max_bytes=int(settings.max_mb * 2**20), encoding=settings.encoding)


def iter_articles(
    paths: Iterable[str | Path],
    settings: Settings,
    published: dt.date | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_read: Callable[[str], None] | None = None,
) -> Iterator[Article]:
    """Every article in the inputs; bad inputs go to ``on_error`` and the rest go on."""
    for item in read_inputs(paths, read_options(settings)):
        if isinstance(item, InputError):
            if on_error:
                on_error(item)
            continue
        if on_read:
            on_read(item.origin)
        try:
            articles = prepare(item, published)
        except InputError as exc:
            if on_error:
                on_error(exc)
            continue
        if not articles and on_error:
            on_error(InputError(item.origin, "no article text after cleaning"))
        yield from articles


class Extractor:
    """Runs the analysis stages over articles: one spaCy pass each, then the resolvers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def documents(self, articles: Iterable[Article]) -> Iterator[Document]:
        for article in articles:
            yield Document(article=article)


def extract_documents(
    paths: Iterable[str | Path],
    settings: Settings | None = None,
    published: dt.date | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[Document]:
    """The document JSON of every article in ``paths`` (nothing is stored)."""
    settings = settings or Settings()
    articles = iter_articles(paths, settings, published, on_error)
    yield from Extractor(settings).documents(articles)


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

    def fail(self, err: InputError) -> None:
        self.failed += 1
        self.failures.append((err.origin, err.problem))


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    published: dt.date | None = None,
    on_article: Callable[[IngestReport], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> IngestReport:
    """Store every new article of ``paths``; duplicates are recorded, not stored twice.

    Each article is written in its own transaction, so an interrupted run leaves only
    whole articles and a re-run adds only what is missing.
    """
    report = IngestReport()

    def failed(err: InputError) -> None:
        report.fail(err)
        if on_error:
            on_error(err)

    near = NearDuplicateIndex(store.signatures())
    extractor = Extractor(settings)
    articles = iter_articles(paths, settings, published, on_error=failed)
    for doc in extractor.documents(_counted(articles, report)):
        article = doc.article
        sig = minhash(article.text)
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
            elif (match := near.best_match(sig)) is not None:
                store.add_duplicate(conn, article, match[0], "near", match[1])
                report.duplicates += 1
                report.near_duplicates.append((article.origin, match[0], match[1]))
            elif store.add_article(conn, article, signature_bytes(sig)):
                near.add(article.id, sig)
                report.new += 1
            else:  # another writer stored it between our check and our insert
                report.known += 1
        if on_article:
            on_article(report)
    return report


def _counted(articles: Iterable[Article], report: IngestReport) -> Iterator[Article]:
    for article in articles:
        report.read += 1
        yield article
