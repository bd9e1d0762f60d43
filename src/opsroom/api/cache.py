"""Rendered pages kept while the served events stay the same.

A page of 50 events costs ~5 ms of server CPU at 100,000 events (a count, a page, the
members' sources and claims, JSON), so two processes on two cores top out below 200
requests a second (``bench/api_latency.py``).  A dashboard asks the same few pages over
and over.  A page is kept under the store's count of changes to the served events
(``Store.served_generation``, migration 0008), read first on every request: a change
committed by any process (ingest, merge, an edit through another server) makes the next
request render afresh.  Read before the page, the count can only be older than the page
it is kept with, so a kept page is never staler than its key.

Hand-written, not ``functools.lru_cache`` or an HTTP cache: the key includes a value read
from the database, entries are bytes of bounded size, and threads share it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class PageCache:
    """A bounded, thread-safe map of (generation, request key) to a rendered body."""

    def __init__(self, max_entries: int = 512, max_bytes: int = 64 * 2**20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[int, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, generation: int, key: str) -> bytes | None:
        """The body kept for this request under this generation, or None (a miss is counted)."""
        with self._lock:
            body = self._items.get((generation, key))
            if body is None:
                self.misses += 1
                return None
            self._items.move_to_end((generation, key))
            self.hits += 1
            return body

    def put(self, generation: int, key: str, body: bytes) -> None:
        """Keep a rendered body; drops older generations' pages, then the least recently used.

        A body over an eighth of the byte budget is not kept: one huge page would push out
        all the others."""
        if len(body) > self.max_bytes // 8:
            return  # one huge page would push out everything else
        with self._lock:
            old = self._items.pop((generation, key), None)
            if old is not None:
                self._size -= len(old)
            self._items[(generation, key)] = body
            self._size += len(body)
            # Older generations are never asked for again: they go first.
            for stale in [k for k in self._items if k[0] < generation]:
                self._size -= len(self._items.pop(stale))
            while len(self._items) > self.max_entries or self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)
