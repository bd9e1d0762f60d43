"""Analysis on a Dask cluster: a local one (``--workers N``) or an existing one (``--scheduler``).

Reading, dedup and storage stay in the calling process, which streams articles in and
writes each document in its own transaction; only the analysis (the spaCy pass and the
extractors, nearly all the cost) runs on the workers.  A worker loads the model and the
knowledge once and keeps them for every batch.  A batch lost with a killed worker is
resubmitted by Dask; since nothing is written before its result comes back, nothing is
lost or written twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from .config import Settings
from .errors import ArticleFailed, InputError
from .extractor import Extractor, batched, delivered
from .models import Article, Document

#: Batches in flight per worker: two keeps every worker busy while one result travels
#: back, and bounds memory to a few batches whatever the corpus size.
IN_FLIGHT_PER_WORKER = 2
#: Resubmissions of a batch whose worker died before Dask gives up on it.
RETRIES = 3


@lru_cache(maxsize=2)
def _worker_extractor(settings: Settings) -> Extractor:
    return Extractor(settings)


def analyse_batch(articles: list[Article | Document], settings: Settings) -> list[Document | ArticleFailed]:
    """Task run on a worker: documents of a batch of articles (the extractor is cached).

    An article whose analysis fails comes back as its ``ArticleFailed``, so one bad
    article costs neither its batch nor the run.
    """
    return list(_worker_extractor(settings).results(articles))


class DaskAnalyser:
    """Turns articles into documents on a Dask cluster, in input order.

    Failed articles go to ``on_error`` (raised when there is none).
    """

    def __init__(self, settings: Settings, workers: int = 0, scheduler: str | None = None,
                 on_error: Callable[[InputError], None] | None = None) -> None:
        from dask.distributed import Client, LocalCluster

        self.settings = settings
        self.on_error = on_error
        self._cluster: Any = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=40,
            )
            self.client = Client(self._cluster)

    def worker_count(self) -> int:
        """Workers the scheduler reports (at least one): sizes how many batches stay in flight."""
        return max(len(self.client.scheduler_info().get("workers", {})), 1)

    def documents(self, articles: Iterable[Article | Document]) -> Iterator[Document]:
        """Documents of ``articles`` in input order, with ``IN_FLIGHT_PER_WORKER`` batches per
        worker submitted at a time so workers stay busy and memory stays bounded."""
        window = IN_FLIGHT_PER_WORKER * self.worker_count()
        pending: deque[Any] = deque()
        for batch in batched(articles, self.settings.batch_size):
            pending.append(self.client.submit(
                analyse_batch, batch, self.settings, retries=RETRIES, pure=False))
            if len(pending) >= window:
                yield from delivered(pending.popleft().result(), self.on_error)
        while pending:
            yield from delivered(pending.popleft().result(), self.on_error)

    def close(self) -> None:
        """Close the client, and the local cluster if this analyser started one (a scheduler
        given with ``--scheduler`` is left running)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskAnalyser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
