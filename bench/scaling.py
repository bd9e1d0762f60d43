"""Scaling of the analysis on a local Dask cluster: 1 worker against 2, in one run.

    python bench/scaling.py [--copies 20]

Same articles, same code path (``opsroom ingest --workers N`` uses it); each cluster is
warmed up (model and knowledge loaded on every worker) before timing.  Target ≥ 1.7×.
"""

from __future__ import annotations

import argparse

from common import corpus_articles, save, timed, words

from opsroom.config import Settings
from opsroom.parallel import DaskAnalyser


def run(workers: int, articles, settings: Settings) -> float:  # type: ignore[no-untyped-def]
    with DaskAnalyser(settings, workers=workers) as analyser:
        # Warm every worker: one small batch per worker loads the model there.
        warm = [f for f in (analyser.client.submit(
            __import__("opsroom.parallel", fromlist=["analyse_batch"]).analyse_batch,
            articles[:2], settings, pure=False, workers=[w])
            for w in analyser.client.scheduler_info()["workers"])]
        for f in warm:
            f.result()
        seconds, docs = timed(lambda: list(analyser.documents(articles)))
    assert len(docs) == len(articles)
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    args = ap.parse_args()
    articles = corpus_articles(args.copies)
    settings = Settings(batch_size=8)
    t1 = run(1, articles, settings)
    t2 = run(2, articles, settings)
    save("scaling", {
        "articles": len(articles), "words": words(articles),
        "one_worker_s": round(t1, 2), "two_workers_s": round(t2, 2),
        "speedup": round(t1 / t2, 3), "target": 1.7,
    })


if __name__ == "__main__":
    main()
