"""Property-based run of every API operation from the app's own ``/openapi.json``.

Schemathesis generates valid and invalid requests for each operation (with a writer's
token, so edits, deletions and ingests run too) against the real app over the sample
corpus, on SQLite and on PostgreSQL.  No request may get a 5xx.  Half the cases name a
stored record, so edits and reads of real events and articles are exercised, not only
404s.  The run is bounded (``EXAMPLES`` per operation) to stay well under two minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from opsroom.api import create_app
from opsroom.config import Settings
from opsroom.store import Store

from .test_api_read import corpus_store  # noqa: F401 - the module's corpus fixture

TOKEN = "fuzz-secret"
#: Examples per operation: 17 operations x 2 backends x 60 examples runs in about a
#: minute here; more finds nothing new in repeated runs.
EXAMPLES = 60


@pytest.fixture(scope="module")
def app_under_test(corpus_store: Store) -> Iterator[Any]:  # noqa: F811
    app = create_app(Settings(api_tokens=f"fuzz:{TOKEN}", api_rate_per_minute=0), corpus_store)
    with TestClient(app):  # runs the lifespan (the ingest worker stops at the end)
        yield app
    app.state.jobs.wait_idle(120)


def real_ids(client: TestClient) -> dict[str, list[str]]:
    events = client.get("/api/v1/events", params={"per_page": 20, "background": True}).json()
    articles = client.get("/api/v1/articles", params={"per_page": 20}).json()
    actors = client.get("/api/v1/actors").json()
    return {"event_id": [e["event_id"] for e in events["items"]] or ["none"],
            "article_id": [a["id"] for a in articles["items"]] or ["none"],
            "actor_id": [a["id"] for a in actors[:20]] or ["none"]}


def fuzz(operation: Any, ids: dict[str, list[str]], failures: list[str]) -> Any:
    """The bounded property test of one operation; a 5xx is noted in ``failures``."""

    @given(case=operation.as_strategy(), use_real=st.booleans(), pick=st.integers(0, 19))
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    def run(case: Any, use_real: bool, pick: int) -> None:
        if use_real and case.path_parameters:
            for name, values in ids.items():
                if name in case.path_parameters:
                    case.path_parameters[name] = values[pick % len(values)]
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
        if response.status_code >= 500:
            failures.append(f"{operation.label} -> {response.status_code}: "
                            f"path={case.path_parameters} query={case.query} "
                            f"body={str(case.body)[:200]}")

    return run


def test_no_operation_answers_with_a_server_error(app_under_test: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app_under_test)
    client = TestClient(app_under_test, raise_server_exceptions=False)
    ids = real_ids(client)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operations += 1
        fuzz(result.ok(), ids, failures)()
    assert operations >= 15
    assert not failures, "\n".join(failures[:20])
