"""Cost of refusing hostile input against reading a normal file: time and peak memory.

Each case runs in a fresh process that reads, splits and cleans one file as ``opsroom
ingest`` does before analysis (``iter_articles``; a refused input never reaches spaCy),
and reports wall and CPU time and the process's peak RSS while reading (the kernel's
high-water mark, reset once the imports are done) with how far it rose above the RSS at
the start.  The bombs are built in a temporary folder in under a second
(``tests/bombs.py``): a 10 MB ``.warc.gz`` holding one 10 GiB HTML record, 10 GiB
``.txt.gz`` and ``.jsonl.gz``, a 50 MB one-line text and JSONL line read with
``--max-mb 100``, a 19 MB JSONL line with the default limit, and a JSONL file a little over
``--max-mb`` (1 MB here, to keep the run short) made of valid lines.

    cd bench && ../.venv/bin/python hostile_input.py [--label NAME]

``--label before`` with ``PYTHONPATH`` pointing at an older checkout's ``src`` measures
that code with the same files.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import save  # noqa: E402
from tests.bombs import MIB, gzip_fill, warc_record  # noqa: E402

GIB = 2**30

CHILD = r"""
import json, sys, time
from pathlib import Path
from opsroom.config import Settings
from opsroom.pipeline import iter_articles

def status(key):
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith(key))
    return int(line.split()[1]) / 1024

path, max_mb = sys.argv[1], float(sys.argv[2])
Path("/proc/self/clear_refs").write_text("5")  # the peak RSS starts again from here
before = status("VmRSS:")
errors = []
wall, cpu = time.perf_counter(), time.process_time()
articles = sum(1 for _ in iter_articles([path], Settings(max_mb=max_mb), on_error=errors.append))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = status("VmHWM:")
print(json.dumps({"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "articles": articles,
                  "failed": len(errors), "rss_before_mb": round(before, 1),
                  "peak_rss_mb": round(peak, 1), "peak_above_start_mb": round(peak - before, 1),
                  "first_error": str(errors[0]).rsplit("/", 1)[-1][:160] if errors else None}))
"""

def _lead(i: int) -> str:
    return (f"BAGHDAD (Reuters) - Rockets hit an Iraqi air base on day {i}, slightly wounding two "
            "people, the U.S.-led coalition said.")


def build(folder: Path) -> list[tuple[str, Path, float]]:
    """(case, file, --max-mb) of every case."""
    from opsroom.cli import sample_corpus

    cases: list[tuple[str, Path, float]] = []

    def add(name: str, data: bytes, max_mb: float = 20) -> None:
        path = folder / name
        path.write_bytes(data)
        cases.append((name, path, max_mb))

    add("normal.txt", sorted(sample_corpus().glob("*.txt"))[0].read_bytes())
    add("normal.html", (f"<html><head><title>Rockets</title></head><body><article><h1>Rockets</h1>"
                        f"<p>{_lead(1)}</p><p>{_lead(2)}</p></article></body></html>").encode())
    add("normal.jsonl", "".join(json.dumps({"id": str(i), "text": _lead(i)}) + "\n"
                                for i in range(1000)).encode())
    add("record_10gib.warc.gz", warc_record(10 * GIB))
    add("bomb_10gib.txt.gz", gzip_fill(b"Rockets hit the base.", 10 * GIB, fill=b"\n"))
    add("bomb_10gib.jsonl.gz", gzip_fill(b'{"text": "', 10 * GIB))
    add("line_50mb.txt", b"Rockets hit the base " * (50 * MIB // 21), max_mb=100)
    add("line_50mb.jsonl", json.dumps({"text": "Rockets hit the base " * (50 * MIB // 21)}).encode()
        + b"\n", max_mb=100)
    add("line_19mb.jsonl", json.dumps({"text": "Rockets hit the base " * (19 * MIB // 21)}).encode()
        + b"\n")
    line = json.dumps({"text": _lead(0)}).encode() + b"\n"
    add("over_limit_valid_lines.jsonl", line * (int(1.05 * MIB) // len(line)), max_mb=1)
    return cases


def measure(path: Path, max_mb: float) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(max_mb)],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        return {"crashed": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="", help="suffix of the results file")
    args = parser.parse_args()
    load = [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    results = []
    with tempfile.TemporaryDirectory(prefix="opsroom-hostile-") as tmp:
        for name, path, max_mb in build(Path(tmp)):
            row = {"case": name, "file_mb": round(path.stat().st_size / MIB, 2), "max_mb": max_mb,
                   **measure(path, max_mb)}
            print(json.dumps(row), flush=True)
            results.append(row)
    end = [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    import opsroom

    save("hostile_input" + (f"_{args.label}" if args.label else ""),
         {"code": str(Path(opsroom.__file__).parent), "load_start": load, "load_end": end,
          "cases": results})


if __name__ == "__main__":
    main()
