"""Memory of the merge at the end of a large ingest.

    python bench/merge_memory.py --store /tmp/opsroom-bench/bench.db

An ingest merges its new events when it ends: after ``ingest_volume.py --n 100000``
that is ~100,000 events at once.  This copies such a store, makes every event new again
(drops the merged events), and runs the incremental merge in a child process, once in
steps of ``MERGE_STEP`` events (as ingest does) and once in a single step (as it did),
reporting time, peak RSS and the clusters each gives.  Steps hold at most
``MERGE_STEP`` events of at most ``STEP_DAYS`` days.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from common import save
from ingest_volume import _sample_tree

CHILD = """
import sys, time
from opsroom.knowledge import Knowledge
from opsroom.merge import MERGE_LOCK
from opsroom.merge.walk import _update_merged
from opsroom.store import Store
from opsroom.store.db import exclusive
store = Store.open(sys.argv[1])
t0 = time.perf_counter()
with exclusive(store.engine, MERGE_LOCK):
    knowledge = Knowledge()
    report = _update_merged(store, knowledge.actors, knowledge.merge_rules,
                            step=int(sys.argv[2]), step_days=int(sys.argv[3]))
print(time.perf_counter() - t0)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True)
    args = ap.parse_args()
    from opsroom.merge import MERGE_STEP, STEP_DAYS
    from opsroom.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="opsroom-merge-memory-"))
    results: dict[str, object] = {}
    for name, step, days in (("steps", MERGE_STEP, STEP_DAYS), ("one_step", 10**9, 10**6)):
        db = tmp / f"{name}.db"
        shutil.copy(args.store, db)
        Store.open(f"sqlite:///{db}").close()  # current schema, outside the measurement
        with sqlite3.connect(db) as conn:
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            conn.execute("DELETE FROM event_cluster_members")
            conn.execute("DELETE FROM event_clusters")
        proc = subprocess.Popen([sys.executable, "-c", CHILD, f"sqlite:///{db}", str(step),
                                 str(days)],
                                stdout=subprocess.PIPE, text=True)
        peak = [0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak), daemon=True)
        sampler.start()
        out, _ = proc.communicate()
        sampler.join(timeout=2)
        if proc.returncode != 0:
            raise SystemExit(f"merge failed ({name})")
        seconds = float(out.split()[0])
        with sqlite3.connect(db) as conn:
            served = conn.execute("SELECT count(*) FROM event_clusters").fetchone()[0]
            merged = conn.execute(
                "SELECT count(*) FROM event_clusters WHERE n_members > 1").fetchone()[0]
            digest = hashlib.sha256(repr(conn.execute(
                "SELECT cluster_id, event_id FROM event_cluster_members "
                "ORDER BY cluster_id, event_id").fetchall()).encode()).hexdigest()
        results[name] = {"step": step, "step_days": days, "events": events, "seconds": round(seconds, 1),
                         "peak_rss_mb": round(peak[0] / 2**20, 1), "served_events": served,
                         "merged_clusters": merged, "clusters_sha256": digest}
        print(name, results[name], flush=True)
        db.unlink()
    results["same_clusters"] = len({r["clusters_sha256"] for r in results.values()}) == 1  # type: ignore[index]
    save("merge_memory_100000", results)


if __name__ == "__main__":
    main()
