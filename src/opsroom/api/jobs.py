"""Ingest jobs: inputs posted to the API, ingested one job at a time in a background thread.

A job's record (table ``ingest_jobs``) is its progress report: the worker updates the
counters after every article, so ``GET /jobs/{id}`` shows a big ingest moving.  The
worker runs ``opsroom.pipeline.ingest`` over a temporary folder holding the posted
inputs (a JSONL file for JSON bodies; the uploaded files as they came), so the API
ingests exactly as the command line does.
"""

from __future__ import annotations

import logging
import queue
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import InputError
from ..knowledge import Knowledge
from ..pipeline import IngestReport, ingest
from ..store import Store
from ..store.access import create_job, fail_unfinished_jobs, update_job

log = logging.getLogger(__name__)


@dataclass
class _Job:
    id: str
    folder: Path


class JobRunner:
    """One worker thread, started on the first job, running jobs in submission order."""

    def __init__(self, store: Store, settings: Settings, knowledge: Knowledge) -> None:
        self.store = store
        self.settings = settings
        self.knowledge = knowledge
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def recover(self) -> None:
        """Mark jobs a previous server left unfinished as failed (their inputs are gone)."""
        fail_unfinished_jobs(self.store, "the server stopped before the job finished")

    def submit(self, folder: Path, who: str, total: int | None) -> str:
        """Queue the inputs in ``folder`` (the runner deletes it when done); the job id."""
        job_id = uuid.uuid4().hex
        create_job(self.store, job_id, who, total)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="opsroom-ingest",
                                                daemon=True)
                self._thread.start()
        self._queue.put(_Job(job_id, folder))
        return job_id

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the worker to stop after the current job."""
        with self._lock:
            thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """True once every queued job has finished (for tests and orderly shutdown)."""
        done = threading.Event()

        def waiter() -> None:
            """Set ``done`` once every queued job is finished (in a thread, so the wait can time out)."""
            self._queue.join()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        return done.wait(timeout)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                self._run(job)
            finally:
                self._queue.task_done()

    def _run(self, job: _Job) -> None:
        prefix = str(job.folder)
        last: dict[str, int] = {}

        def counters(report: IngestReport) -> dict[str, int]:
            """The report's counters under the job record's column names."""
            return {"read": report.read, "new": report.new, "known": report.known,
                    "duplicates": report.duplicates, "failed": report.failed}

        def tick(report: IngestReport) -> None:
            """Write the counters to the job record after an article, only when they changed."""
            now = counters(report)
            if now != last:
                last.update(now)
                update_job(self.store, job.id, **now)

        def failures(report: IngestReport) -> list[dict[str, str]]:
            """The failed inputs with the temporary upload folder named "upload", so the server's
            paths are not shown to the client."""
            return [{"origin": origin.replace(prefix, "upload"), "problem": problem}
                    for origin, problem in report.failures]

        try:
            update_job(self.store, job.id, state="running")
            # ingest merges its new events before it returns, with the same knowledge.
            report = ingest([job.folder], self.store, self.settings, on_article=tick,
                            on_error=lambda _err: None, knowledge=self.knowledge)
            update_job(self.store, job.id, state="done", failures=failures(report),
                       **counters(report))
        except InputError as exc:
            update_job(self.store, job.id, state="failed",
                       error=str(exc).replace(prefix, "upload"))
        except Exception as exc:  # noqa: BLE001 - a failed job is reported, the server lives on
            log.exception("ingest job %s failed", job.id)
            update_job(self.store, job.id, state="failed",
                       error=f"{type(exc).__name__}: {exc}".replace(prefix, "upload"))
        finally:
            shutil.rmtree(job.folder, ignore_errors=True)
