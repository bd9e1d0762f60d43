"""Ingest memory against the size of the store: the same articles into an empty store and
into one already holding ``--store`` (e.g. the 100,000 articles ``ingest_volume.py``
leaves behind).

    python bench/memory_flat.py --store /tmp/opsroom-bench/bench.db [--n 2000]

The store is copied first (and brought to the current schema outside the measurement);
each ingest runs in a child process in one process (no workers), its peak RSS sampled
every 0.5 s.  Flat memory means the two peaks agree: nothing the ingest holds grows with
the articles already stored.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
from pathlib import Path

from common import save
from ingest_volume import build, ingest


def stored_articles(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True, help="a SQLite store to ingest into")
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()
    from opsroom.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="opsroom-memory-"))
    data = tmp / "new.jsonl"
    build(args.n, data, seed=11)  # other articles than the store's (seed 7)
    results: dict[str, object] = {"articles": args.n}
    empty = tmp / "empty.db"
    Store.open(f"sqlite:///{empty}").close()
    big = tmp / "big.db"
    shutil.copy(args.store, big)
    Store.open(f"sqlite:///{big}").close()  # migrations (band keys of a 0006 store) happen here
    for name, db in (("empty_store", empty), ("big_store", big)):
        before = stored_articles(db)
        r = ingest(data, f"sqlite:///{db}", 0)
        results[name] = {"stored_before": before, "seconds": r["seconds"],
                         "peak_rss_mb": r["peak_tree_rss_mb"],
                         "new_articles": stored_articles(db) - before}
        print(name, results[name], flush=True)
    save(f"memory_flat_{args.n}", results)


if __name__ == "__main__":
    main()
