"""The Dask path: same events as one process; a killed worker loses and doubles nothing."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opsroom.config import Settings
from opsroom.parallel import DaskAnalyser
from opsroom.pipeline import extract_documents, ingest, iter_articles
from opsroom.store import Store
from opsroom.store import tables as t


def _events(docs):  # type: ignore[no-untyped-def]
    return sorted((ev.to_json() for d in docs for ev in d.events), key=lambda e: e["event_id"])


@pytest.fixture(scope="module")
def single_process_events(corpus_dir: Path):  # type: ignore[no-untyped-def]
    return _events(extract_documents([corpus_dir]))


def test_dask_gives_the_same_events(corpus_dir: Path, single_process_events) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(batch_size=2)
    docs = list(extract_documents([corpus_dir], settings, workers=2))
    assert [d.article.id for d in docs] == [a.id for a in iter_articles([corpus_dir], settings)]
    assert _events(docs) == single_process_events
    assert len(single_process_events) > 10


def test_killed_worker_loses_and_doubles_nothing(corpus_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kill.db'}"
    settings = Settings(database_url=url, batch_size=1)
    store = Store.open(url)
    with DaskAnalyser(settings, workers=2) as analyser:
        pids = list(analyser.client.run(os.getpid).values())
        killed = threading.Event()

        def kill_one(_report: object) -> None:
            if not killed.is_set():
                killed.set()
                os.kill(pids[0], signal.SIGKILL)

        # The real ingest, analysing on this cluster; a worker dies after the first article lands.
        report = ingest([str(corpus_dir)], store, settings, on_article=kill_one,
                        analyse=analyser.documents)
    assert killed.is_set()
    assert report.new == 14 and report.failed == 0
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.articles)).scalar_one() == 14
        ids = conn.execute(select(t.events.c.event_id)).scalars().all()
    assert len(ids) == len(set(ids))
    store.close()
