"""Cost growth of the merge from 10,000 to 100,000 events at constant density.

    python bench/merge_scaling.py [--sizes 10000,20000,50000,100000]

The events are ``synthetic_events.py``'s (towns of Iraq and Syria, real actors, a third
of the happenings retold by other outlets), over a date span that grows with the count,
so each week-and-cell bucket holds about as many events at every size.  Times
``opsroom.merge.cluster_events`` (blocking, matching, splitting, reconciling; pure, no
database), in wall seconds and in CPU seconds of this process (other work on the machine
inflates the first, not the second), with the number of candidate pairs the blocking
let through.  Near-linear means seconds per 1,000 events stays about flat.
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any

import synthetic_events
from api_latency import load_average
from common import save

from opsroom.merge import Item, candidate_pairs, cluster_events
from opsroom.resolve import ActorKB


def items(n: int) -> list[Item]:
    out = []
    for story in synthetic_events.stories(n):
        for ev in story.events:
            out.append(Item(ev, story.article["id"], story.article["published"]))
    return out


def run(n: int, kb: ActorKB | None) -> dict[str, Any]:
    its = items(n)
    gc.collect()
    pairs = sum(1 for _ in candidate_pairs(its))
    load = load_average()
    w0, c0 = time.perf_counter(), time.process_time()
    clusters = cluster_events(its, kb)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return {"events": n, "candidate_pairs": pairs, "pairs_per_event": round(pairs / n, 2),
            "clusters": len(clusters), "merged": sum(len(c.members) > 1 for c in clusters),
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "wall_s_per_1k": round(wall / n * 1000, 3), "cpu_s_per_1k": round(cpu / n * 1000, 3),
            "load_average": load}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,20000,50000,100000")
    args = ap.parse_args()
    kb = ActorKB.load()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        rows.append(run(n, kb))
        print(rows[-1], flush=True)
    first, last = rows[0], rows[-1]
    save("merge_scaling", {
        "sizes": rows,
        # 1.0 is perfectly linear; all-pairs would give events ratio (10 for 10k → 100k).
        "cpu_per_event_growth": round(last["cpu_s_per_1k"] / first["cpu_s_per_1k"], 2),
        "target": "near-linear (seconds per 1k events about flat)",
    })


if __name__ == "__main__":
    main()
