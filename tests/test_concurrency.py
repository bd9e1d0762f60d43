"""Concurrent writers: two ``opsroom ingest`` processes and the API server on one database.

All three start at once on a fresh database (so they also race to create the schema),
on overlapping inputs: the two command-line runs share a third of their files, and the
server is sent files both of them read.  Afterwards nothing is lost or doubled (every
count equals a serial run of the same inputs) and no "database is locked" error reached
the user (both commands' stderr and the API job record are checked).  Busy processes run
beside them (``cpu_load``): on a loaded machine a writer is preempted while it holds the
write lock, and the others must wait for it, not fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from .test_crash_safety import HUNG_S, build_inputs, cpu_load, snapshot, without_clusters

# Every test of the module runs beside the busy processes (one set for the module).
pytestmark = pytest.mark.usefixtures(cpu_load.__name__)

TOKEN = "concurrency-test-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200",
            "OPSROOM_API_TOKENS": f"tester:{TOKEN}"}


def ingest(paths: list[Path], url: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "opsroom", "ingest", *map(str, paths),
                             "--db", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env())


@pytest.fixture(scope="module")
def split_inputs(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path
                 ) -> tuple[list[Path], list[Path], list[Path]]:
    """Files of run A, of run B (a third shared with A), and of the API (read by both)."""
    folder = tmp_path_factory.mktemp("conc") / "articles"
    build_inputs(folder, corpus_dir)
    files = sorted(folder.iterdir())
    third = len(files) // 3
    a, b = files[:2 * third], files[third:]
    api = files[third:third + third // 2] + files[-3:]
    return a, b, api


@pytest.fixture(scope="module")
def serial(split_inputs, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The same inputs in one run, the API's files from another folder (other origins).

    One run over A and B equals A then B (a file read twice is simply known), so the
    serial baseline costs one ingest; it serves both databases.
    """
    a, b, api = split_inputs
    tmp = tmp_path_factory.mktemp("serial")
    posted = tmp / "posted"
    posted.mkdir()
    for f in api:
        shutil.copy(f, posted / f.name)
    url = f"sqlite:///{tmp / 'serial.db'}"
    proc = ingest(sorted(set(a) | set(b)) + [posted], url)
    _, err = proc.communicate(timeout=HUNG_S)
    assert proc.returncode == 0, err
    return snapshot(url)


def concurrent(a: list[Path], b: list[Path], api: list[Path], url: str,
               workers: int = 1) -> dict[str, object]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "opsroom", "serve", "--port", str(port),
                               "--db", url, "--workers", str(workers)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env())
    runs = [ingest(a, url), ingest(b, url)]
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        # Hang guards only: on a loaded machine the server's start alone took minutes.
        deadline = time.monotonic() + HUNG_S
        while True:
            assert server.poll() is None, server.communicate()[1]
            try:
                httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=60)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        files = [("files", (f.name, f.read_bytes(), "text/plain")) for f in api]
        posted = httpx.post(f"{base}/ingest", files=files, timeout=HUNG_S,
                            headers={"Authorization": f"Bearer {TOKEN}"})
        assert posted.status_code == 202, posted.text
        job_id = posted.json()["job_id"]
        while True:
            job = httpx.get(f"{base}/jobs/{job_id}", timeout=HUNG_S).json()
            if job["state"] in ("done", "failed"):
                break
            assert time.monotonic() < deadline + HUNG_S, job
            time.sleep(0.5)
        assert job["state"] == "done" and not job.get("error"), job
        assert not job.get("failures"), job
        for proc in runs:
            out, err = proc.communicate(timeout=HUNG_S)
            assert proc.returncode == 0, err
            assert "locked" not in err.lower() and "Traceback" not in err, err
    finally:
        for proc in [*runs, server]:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
    server_err = server.stderr.read() if server.stderr else ""
    assert "locked" not in server_err.lower() and "Traceback" not in server_err, server_err
    return snapshot(url)


def same(got: dict[str, object], want: dict[str, object]) -> None:
    # Cluster count aside: merging is incremental per run (see test_crash_safety).
    assert without_clusters(got["counts"]) == without_clusters(want["counts"])
    assert got["per_article"] == want["per_article"]
    events = got["counts"]["events"]  # type: ignore[index]
    assert got["counts"]["cluster_members"] == events  # type: ignore[index]


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[Callable]:  # type: ignore[type-arg]
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def new_db() -> str:
        name = f"conc_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return pg_server.rsplit("/", 1)[0] + "/" + name

    yield new_db
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_two_ingests_and_server_sqlite(split_inputs, serial, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    got = concurrent(*split_inputs, f"sqlite:///{tmp_path / 'shared.db'}")
    same(got, serial)


def test_two_ingests_and_server_postgresql(split_inputs, serial, pg_url) -> None:  # type: ignore[no-untyped-def]
    # The server runs as two processes here: the job is posted to one and may be polled
    # from the other, and both merge beside the two command-line ingests.
    got = concurrent(*split_inputs, pg_url(), workers=2)
    same(got, serial)
