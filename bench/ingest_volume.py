"""Ingest at volume: synthetic articles built from corpus paragraphs, into SQLite and PostgreSQL.

    python bench/ingest_volume.py --n 100000 [--workers 2] [--backend sqlite|postgresql|both]
                                  [--label NAME]

Each synthetic article recombines real corpus paragraphs (a lead, three body paragraphs)
with another place of the region swapped in and a publication date spread over 2017-2021,
so the dedup index, the extractors and the store see varied, realistic input.  The ingest
runs in a child process (``opsroom ingest``), so its peak memory (max RSS, children
included) is measured alone.  Reports time, articles/s, peak memory and database size.
With ``--workers N`` the analysis runs in N worker processes besides the ingest process:
max RSS is then per process, so the peak of the whole process tree (ingest, scheduler,
nanny and workers summed, sampled every 0.5 s) is reported too as ``peak_tree_rss_mb``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from common import corpus_articles, save

PLACES = ["Mosul", "Raqqa", "Deir ez-Zor", "Albu Kamal", "al-Qaim", "Tal Afar", "Hawija", "Rawa",
          "Kirkuk", "Tikrit", "Ramadi", "Fallujah", "Baiji", "Haditha", "Palmyra", "Manbij",
          "Tabqa", "Hajin", "Mayadin", "Sinjar", "Qayyara", "Shirqat", "Hit", "Anah", "Sukhna"]


def build(n: int, out: Path, seed: int = 7) -> int:
    rng = random.Random(seed)
    paras = [p for a in corpus_articles() for p in a.text.split("\n\n") if len(p.split()) > 15]
    start = dt.date(2017, 1, 1)
    words = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            place = rng.choice(PLACES)
            body = [p.replace("Mosul", place).replace("Albu Kamal", rng.choice(PLACES))
                    for p in rng.sample(paras, 4)]
            text = "\n\n".join(body) + f"\n\n(Reporting by Desk {i % 97})"
            words += len(text.split())
            fh.write(json.dumps({
                "id": f"synthetic-{i}", "title": f"{place}: report {i}", "text": text,
                "published": (start + dt.timedelta(days=rng.randrange(0, 1800))).isoformat(),
                "source": rng.choice(["Reuters", "AFP", "AP"]),
            }) + "\n")
    return words


def ingest(path: Path, url: str, workers: int) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "opsroom", "ingest", str(path), "--db", url, "--max-mb", "4096"]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    tree_peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, tree_peak), daemon=True)
    sampler.start()
    if proc.wait() != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    seconds = time.perf_counter() - t0
    sampler.join(timeout=2)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(max(peak_kb, before) / 1024, 1),
            "peak_tree_rss_mb": round(tree_peak[0] / 2**20, 1)}


def _sample_tree(pid: int, peak: list[int]) -> None:
    """Record the largest summed RSS of ``pid`` and all its descendants until it exits."""
    try:
        root = psutil.Process(pid)
        while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
            total = 0
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    continue
            peak[0] = max(peak[0], total)
            time.sleep(0.5)
    except psutil.Error:
        return


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--label", default="", help="suffix of the results file name")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="opsroom-bench-"))
    data = tmp / "synthetic.jsonl"
    words = build(args.n, data)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(__file__).parent).stdout.strip()
    results: dict[str, object] = {"articles": args.n, "words": words, "workers": args.workers,
                                  "commit": commit,
                                  "input_mb": round(data.stat().st_size / 2**20, 1)}
    if args.backend in ("sqlite", "both"):
        db = tmp / "bench.db"
        r = ingest(data, f"sqlite:///{db}", args.workers)
        r["db_mb"] = round(sum(p.stat().st_size for p in tmp.glob("bench.db*")) / 2**20, 1)
        r["articles_per_s"] = round(args.n / r["seconds"], 2)
        results["sqlite"] = r
    if args.backend in ("postgresql", "both"):
        sys.path.insert(0, str(Path(__file__).parent.parent))
        from sqlalchemy import create_engine, text
        from tests.pgserver import postgres_server

        with postgres_server() as url:
            r = ingest(data, url, args.workers)
            with create_engine(url).connect() as conn:
                size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            r["db_mb"] = round(size / 2**20, 1)
            r["articles_per_s"] = round(args.n / r["seconds"], 2)
            results["postgresql"] = r
    save(f"ingest_volume_{args.n}" + (f"_{args.label}" if args.label else ""), results)


if __name__ == "__main__":
    main()
