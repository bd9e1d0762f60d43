"""Shared helpers of the benchmarks: the corpus articles, timing, machine facts."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from opsroom.cli import sample_corpus
from opsroom.config import Settings
from opsroom.models import Article
from opsroom.pipeline import iter_articles

RESULTS = Path(__file__).parent / "results"


def corpus_articles(copies: int = 1) -> list[Article]:
    """The sample corpus's articles, repeated ``copies`` times (analysis does not dedup)."""
    base = list(iter_articles([sample_corpus()], Settings()))
    return [a for _ in range(copies) for a in base]


def words(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def machine() -> dict[str, Any]:
    return {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def save(name: str, data: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    data = {"machine": machine(), **data}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, default=str))
    print(json.dumps(data, indent=2, default=str))
