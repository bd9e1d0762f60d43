"""API latency at volume: the filtered event list over 100,000 events, on SQLite and PostgreSQL.

    python bench/api_latency.py [--events 100000] [--backend sqlite|postgresql|both]
                                [--rate 200] [--seconds 10] [--db URL --label NAME]

Builds a database of synthetic events (``synthetic_events.py``: bulk inserts through the
store's tables, then ``merge_all`` as an ingest would leave it), starts ``opsroom serve``
on 127.0.0.1 in a child process, and measures three event-list queries (filters, a
bounding box, a text search) two ways:

* open loop at a fixed arrival rate (``--rate`` requests/s for ``--seconds``; a request
  is due at ``t0 + i/rate`` and its latency counts from then, so a slow server cannot
  hide its queue: no coordinated omission);
* closed loop under ``wrk`` (2 connections, 10 s) for the throughput the server reaches.

The per-client rate limit is switched off in the server (``OPSROOM_API_RATE_PER_MINUTE=0``):
this measures the query path, not the limiter.  Target: p99 < 100 ms at 200 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psutil
from common import save, timed

QUERIES = {
    "filters": "/api/v1/events?country=Syria&since=2018-01-01&until=2018-12-31"
               "&event_type=Battles&per_page=50",
    "bbox": "/api/v1/events?bbox=38.0,35.0,41.0,37.0&since=2019-01-01&until=2019-12-31&per_page=50",
    "text": "/api/v1/events?q=airstrike&country=Iraq&per_page=50",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_average() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def build(url: str, n: int) -> dict[str, Any]:
    """Synthetic events into a fresh database at ``url``; merged as an ingest leaves them."""
    import synthetic_events

    from opsroom.knowledge import Knowledge
    from opsroom.merge import merge_all
    from opsroom.store import Store

    store = Store.open(url)
    try:
        t_load, counts = timed(lambda: synthetic_events.load(store, n))
        t_merge, report = timed(lambda: merge_all(store, (k := Knowledge()).actors, k.merge_rules))
        if url.startswith("postgresql"):
            # autovacuum analyses a freshly loaded table within a minute; do it now.
            from sqlalchemy import text
            with store.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
    finally:
        store.close()
    return {**counts, "load_s": round(t_load, 1), "merge_all_s": round(t_merge, 1),
            "served_events": report.clusters + 0, "merged_clusters": report.merged}


@contextmanager
def server(url: str, log: Path, workers: int = 1) -> Iterator[tuple[str, int]]:
    """``opsroom serve`` on a free loopback port; yields its base URL and process id."""
    port = _free_port()
    env = {**os.environ, "OPSROOM_API_RATE_PER_MINUTE": "0"}
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "opsroom", "serve", "--db", url,
                                 "--host", "127.0.0.1", "--port", str(port),
                                 "--workers", str(workers)],
                                stdout=fh, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(base + "/api/v1/events?per_page=1", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer within 120 s")
            time.sleep(0.5)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def sequential(url: str, n: int = 20) -> dict[str, float]:
    """Latency of one request at a time (no load): median and max, ms."""
    out = []
    with httpx.Client(timeout=30) as client:
        for _ in range(n):
            t0 = time.perf_counter()
            client.get(url).raise_for_status()
            out.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": round(_pct(out, 50), 1), "max_ms": round(max(out), 1)}


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request: bytes) -> int:
    """One HTTP/1.1 request on a kept-alive connection; the response's status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if length is None:
        raise ConnectionError("response without Content-Length")
    await reader.readexactly(int(length.group(1)))
    return status


async def _open_loop(urls: list[str], rate: float, seconds: float, connections: int,
                     drain: float) -> dict[str, Any]:
    parts = httpx.URL(urls[0])
    requests = [(f"GET {httpx.URL(u).raw_path.decode()} HTTP/1.1\r\n"
                 f"Host: {parts.host}:{parts.port}\r\nConnection: keep-alive\r\n\r\n").encode()
                for u in urls]
    total = int(rate * seconds)
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(parts.host, parts.port))
    latencies: list[float] = []
    service: list[float] = []
    errors = 0

    async def one(due: float, request: bytes) -> None:
        nonlocal errors
        conn = await pool.get()  # a request waits for a free connection: its latency counts
        sent = time.perf_counter()
        try:
            ok = await _exchange(*conn, request) == 200
        except (OSError, asyncio.IncompleteReadError, ConnectionError):
            ok = False
            conn[1].close()
            conn = await asyncio.open_connection(parts.host, parts.port)
        pool.put_nowait(conn)
        done = time.perf_counter()
        if ok:
            latencies.append((done - due) * 1000)
            service.append((done - sent) * 1000)
        else:
            errors += 1

    t0 = time.perf_counter() + 0.05
    tasks = []
    for i in range(total):
        due = t0 + i / rate
        pause = due - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
        tasks.append((due, asyncio.ensure_future(one(due, requests[i % len(requests)]))))
    # Bounded run: requests unanswered ``drain`` seconds after the last was due are
    # dropped and counted; their latency enters the percentiles as a lower bound.
    await asyncio.wait([f for _, f in tasks],
                       timeout=max(0.0, t0 + seconds + drain - time.perf_counter()))
    cut = time.perf_counter()
    unserved = [due for due, f in tasks if not f.done()]
    for _, f in tasks:
        f.cancel()
    elapsed = cut - t0 if unserved else max(t0 + seconds, time.perf_counter()) - t0
    served = len(latencies)
    latencies += [(cut - due) * 1000 for due in unserved]
    while not pool.empty():
        pool.get_nowait()[1].close()
    return {
        "target_rps": rate, "requests": total, "errors": errors, "unserved": len(unserved),
        "connections": connections, "percentiles_are_lower_bounds": bool(unserved),
        "achieved_rps": round(served / elapsed, 1),
        "p50_ms": round(_pct(latencies, 50), 1), "p90_ms": round(_pct(latencies, 90), 1),
        "p99_ms": round(_pct(latencies, 99), 1), "max_ms": round(max(latencies), 1),
        "service_p50_ms": round(_pct(service, 50), 1) if service else None,
        "service_p99_ms": round(_pct(service, 99), 1) if service else None,
    }


def open_loop(url: str | list[str], rate: float, seconds: float, connections: int = 32,
              drain: float = 20.0) -> dict[str, Any]:
    """Requests due at a fixed rate; latency from when each was due (ms).  Given several
    URLs, the requests go through them in turn.

    One asyncio loop over kept-alive HTTP/1.1 connections: the generator shares the
    server's two cores, so it must cost little per request; its own CPU per request is
    reported.  A request waits for a free connection when all are busy, and that wait
    counts in its latency: no coordinated omission.
    """
    cpu0 = time.process_time()
    urls = [url] if isinstance(url, str) else url
    out = asyncio.run(_open_loop(urls, rate, seconds, connections, drain))
    out["client_cpu_ms_per_request"] = round(
        (time.process_time() - cpu0) / max(1, out["requests"]) * 1000, 2)
    return out


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, connections: int = 2, seconds: int = 10) -> dict[str, Any] | None:
    """Closed-loop throughput under wrk: requests/s and latency percentiles (ms)."""
    if shutil.which("wrk") is None:
        return None
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
                          "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    res: dict[str, Any] = {"connections": connections, "seconds": seconds}
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if m:
            res[f"p{pct}_ms"] = round(float(m.group(1)) * _UNITS[m.group(2)], 1)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    res["rps"] = float(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["non_2xx"] = int(m.group(1)) if m else 0
    return res


def measure(url: str, args: argparse.Namespace, log: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"server_workers": args.workers}
    with server(url, log, args.workers) as (base, pid):
        parent = psutil.Process(pid)

        def server_cpu() -> float:
            """CPU seconds of the server: its process and, with workers, theirs."""
            procs = [parent, *parent.children(recursive=True)]
            return sum(sum(p.cpu_times()[:2]) for p in procs if p.is_running())

        for name, path in QUERIES.items():
            full = base + path
            with httpx.Client(timeout=30) as client:
                body = client.get(full).json()
                for _ in range(10):  # warm caches and the thread pool
                    client.get(full)
            r: dict[str, Any] = {"path": path, "total_matching": body["total"],
                                 "load_before": load_average()}
            r["one_at_a_time"] = sequential(full)
            r["open_loop"] = open_loop(full, args.rate, args.seconds)
            cpu0 = server_cpu()
            r["wrk"] = wrk(full, connections=2 * args.workers)
            if r["wrk"] and r["wrk"]["rps"]:
                # Server CPU per request under wrk: independent of what else loads the machine.
                n = r["wrk"]["rps"] * r["wrk"]["seconds"]
                r["wrk"]["server_cpu_ms_per_request"] = round(
                    (server_cpu() - cpu0) / n * 1000, 1)
            r["load_after"] = load_average()
            results[name] = r
            print(name, r, flush=True)
        # Every request a page nobody asked for before: what the server renders, not
        # what it kept (api/cache.py).
        paths = distinct_queries(int(args.rate * args.seconds))
        cpu0 = server_cpu()
        r = {"distinct_paths": len(paths), "example": paths[0],
             "open_loop": open_loop([base + p for p in paths], args.rate, args.seconds)}
        r["server_cpu_ms_per_request"] = round(
            (server_cpu() - cpu0) / max(1, r["open_loop"]["requests"]) * 1000, 1)
        results["distinct"] = r
        print("distinct", r, flush=True)
    return results


def distinct_queries(n: int) -> list[str]:
    """``n`` different filtered pages: country, type, a three-month window, sort, page."""
    types = ["Battles", "Explosions/Remote violence", "Violence against civilians",
             "Strategic developments"]
    out = []
    for page in range(1, 100):
        for start in range(2017 * 12, 2021 * 12 + 9):
            for country in ("Syria", "Iraq"):
                for etype in types:
                    for sort in ("-event_date", "-fatalities"):
                        y, m = divmod(start, 12)
                        ey, em = divmod(start + 3, 12)
                        out.append(f"/api/v1/events?country={country}&event_type={quote(etype)}"
                                   f"&since={y}-{m + 1:02d}-01&until={ey}-{em + 1:02d}-01"
                                   f"&sort={sort}&page={page}&per_page=50")
                        if len(out) == n:
                            random.Random(5).shuffle(out)
                            return out
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--db", help="measure this already built database instead of building one")
    ap.add_argument("--label", default="", help="suffix of the results file name")
    ap.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="opsroom-api-bench-"))
    out: dict[str, Any] = {"events": args.events, "rate": args.rate, "seconds": args.seconds,
                           "target_p99_ms": 100}
    if args.db:
        out["given_db"] = {"url": args.db, **measure(args.db, args, tmp / "serve.log")}
    if args.backend in ("sqlite", "both") and not args.db:
        url = f"sqlite:///{tmp / 'api.db'}"
        built = build(url, args.events)
        print("sqlite built", built, flush=True)
        out["sqlite"] = {"build": built, **measure(url, args, tmp / "serve-sqlite.log")}
    if args.backend in ("postgresql", "both") and not args.db:
        sys.path.insert(0, str(Path(__file__).parent.parent))
        from tests.pgserver import postgres_server

        with postgres_server() as url:
            built = build(url, args.events)
            print("postgresql built", built, flush=True)
            out["postgresql"] = {"build": built, **measure(url, args, tmp / "serve-pg.log")}
    save(f"api_latency_{args.events}" + (f"_{args.label}" if args.label else ""), out)


if __name__ == "__main__":
    main()
