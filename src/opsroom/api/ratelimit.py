"""Per-client request budgets: a token bucket per API token holder, or per IP when anonymous.

Each client may spend ``burst`` requests at once and earns ``rate_per_minute`` back over a
minute.  An empty bucket answers 429 with ``Retry-After`` (whole seconds until the next
request is allowed).  Buckets live in this process (one server process serves the API),
guarded by a lock because FastAPI runs sync dependencies on a thread pool.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: Buckets kept before idle (full) ones are dropped, so a flood of client addresses
#: cannot grow memory without bound; a dropped bucket was full, so nothing is forgiven.
MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets keyed by client; ``take`` spends one request or says how long to wait."""

    def __init__(self, rate_per_minute: float, burst: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_minute / 60.0  # requests earned per second
        self.capacity = float(max(1, burst))
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """False when the rate is 0 or less: the limiter then lets every request through."""
        return self.rate > 0

    def take(self, key: str) -> float:
        """Spend one request of ``key``'s budget: 0.0 when allowed, else seconds to wait."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= MAX_BUCKETS:
                    self._prune(now)
                bucket = self._buckets[key] = _Bucket(self.capacity, now)
            else:
                bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
                bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _prune(self, now: float) -> None:
        full_after = self.capacity / self.rate
        for key in [k for k, b in self._buckets.items() if now - b.stamp >= full_after]:
            del self._buckets[key]


def retry_after_header(wait: float) -> dict[str, str]:
    """``Retry-After`` in whole seconds (never 0: the client must wait before retrying)."""
    return {"Retry-After": str(max(1, math.ceil(wait)))}


__all__ = ["MAX_BUCKETS", "RateLimiter", "retry_after_header"]
