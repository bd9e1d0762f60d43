"""Shared fixtures: the corpus, the spaCy model, and a store on SQLite and on PostgreSQL.

Every test that takes ``store`` (or ``db_url``) runs twice: on a SQLite file and on a real
PostgreSQL server started for the session.  When the server cannot be had the PostgreSQL
runs fail loudly; ``OPSROOM_TEST_NO_POSTGRES=1`` drops them for a quick local run and is
refused under CI.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from opsroom.cli import sample_corpus
from opsroom.models import Article, Document
from opsroom.store import Store

from .pgserver import PostgresUnavailable, postgres_server

BACKENDS = ["sqlite", "postgresql"]
if os.environ.get("OPSROOM_TEST_NO_POSTGRES") == "1" and not os.environ.get("CI"):
    BACKENDS = ["sqlite"]


#: Files whose tests run for minutes: collected first, so that the workers (a file each at
#: a time) take them early and share the many short files after, instead of one worker
#: finishing a long file alone at the end (507 s → 470 s on two cores).
LONG_FILES = ("test_crash_safety.py", "test_runtime_install.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in LONG_FILES)  # stable: order kept within


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return sample_corpus()


@pytest.fixture(scope="session")
def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(corpus_dir.glob("*.txt"))


class CorpusAnalysis:
    """The real extractor, each article's document computed once per test process.

    A dozen modules store the sample corpus as their set-up, on both backends; analysis is
    deterministic, so each article is analysed the first time and later ingests get deep
    copies of its document (``pipeline.ingest(analyse=...)``).  The tests of ingest itself
    (``test_pipeline``, ``test_ingest``, ``test_crash_safety``, ``test_parallel``) run the
    extractor every time.
    """

    def __init__(self) -> None:
        from opsroom.config import Settings
        from opsroom.extractor import Extractor

        self.extractor = Extractor(Settings())
        self.done: dict[str, Document] = {}

    def __call__(self, articles: Iterable[Article | Document]) -> Iterator[Document]:
        for article in articles:
            if isinstance(article, Document):
                yield article
                continue
            key = json.dumps(article.to_json(), sort_keys=True, default=str)
            if key not in self.done:
                (self.done[key],) = self.extractor.documents([article])
            doc = copy.deepcopy(self.done[key])
            doc.article = article
            yield doc


@pytest.fixture(scope="session")
def analysed() -> CorpusAnalysis:
    return CorpusAnalysis()


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from opsroom.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = os.environ.get("OPSROOM_TEST_PG_URL")
    if url:
        yield url
        return
    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL backend unavailable: {exc}", pytrace=False)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'opsroom.db'}"
        return
    from sqlalchemy import create_engine, text

    server = request.getfixturevalue("pg_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()
