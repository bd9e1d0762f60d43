"""Article identity and duplicate detection.

Exact duplicates share the hash of their normalised text; near duplicates (a reworded
paragraph, a different page template) are found with MinHash LSH: datasketch computes the
signatures and picks the bands; the stored articles' band keys live in the database
(``article_bands``), so memory does not grow with the store (an in-memory index held
~9 KB per stored article: 0.9 GB at 100,000).  Only the articles of the running ingest
not yet stored are indexed in memory, with datasketch's ``MinHashLSH``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

#: MinHash permutations: 128 gives a Jaccard estimate within ±0.09 (2σ), enough to tell
#: a reworded copy (≥ 0.7) from two outlets' reports of one event (< 0.3).
NUM_PERM = 128
#: Word shingle size.
SHINGLE = 3
#: Hash scheme pinned so stored signatures stay comparable across datasketch releases.
SCHEME = "affine32"
#: Jaccard similarity above which an article is a near duplicate.  Rewording one of ten
#: paragraphs keeps ~0.8 of 3-word shingles; separate reports of one event share < 0.2.
NEAR_THRESHOLD = 0.6


def normalise(text: str) -> str:
    """Lower case, letters and digits only, single spaces."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def article_id(chash: str) -> str:
    """Stable article id from its content hash."""
    return chash[:20]


def shingles(text: str) -> set[bytes]:
    """The three-word shingles MinHash compares; a text shorter than one shingle is a single
    shingle, so even a one-line note gets a signature."""
    words = normalise(text).split()
    if len(words) < SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def minhash(text: str) -> MinHash:
    """The signature of an article's text, seed and hash scheme pinned so signatures made in
    different runs (and stored ones) stay comparable."""
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    m.update_batch(list(shingles(text)))
    return m


def signature_bytes(m: MinHash) -> bytes:
    """The signature as bytes for the ``articles.minhash`` column; ``from_signature`` reads
    it back."""
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_signature(data: bytes) -> MinHash:
    """A stored signature as a ``MinHash`` again, with the same seed and scheme, so a stored
    article is compared with a new one without re-reading its text."""
    return MinHash(
        num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint64)
    )


@lru_cache(maxsize=1)
def _band_ranges() -> tuple[tuple[int, int], ...]:
    """The bands datasketch picks for ``NEAR_THRESHOLD``: (start, end) of each."""
    return tuple(MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM).hashranges)


def band_keys(m: MinHash) -> list[tuple[int, int]]:
    """(band, key) pairs of a signature: two articles sharing one are candidates.

    The key is a signed 64-bit digest of the band's hash values, so it fits a BIGINT.
    """
    hv = np.asarray(m.hashvalues, dtype=np.uint64)
    return [(band, int.from_bytes(hashlib.blake2b(hv[start:end].tobytes(), digest_size=8)
                                  .digest(), "big", signed=True))
            for band, (start, end) in enumerate(_band_ranges())]


def best_match(m: MinHash, candidates: Iterable[tuple[str, MinHash]]
               ) -> tuple[str, float] | None:
    """The most similar candidate at or above the threshold (ties: the first)."""
    best: tuple[str, float] | None = None
    for key, other in candidates:
        sim = m.jaccard(other)
        if sim >= NEAR_THRESHOLD and (best is None or sim > best[1]):
            best = (key, sim)
    return best


class NearDuplicateIndex:
    """In-memory LSH over the articles of a run that are not stored yet."""

    def __init__(self, items: Iterable[tuple[str, bytes]] = ()) -> None:
        self._lsh = MinHashLSH(threshold=NEAR_THRESHOLD, num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        for key, sig in items:
            self.add(key, from_signature(sig))

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, key: str, m: MinHash) -> None:
        """Index an unstored article of this run; a key already indexed is left alone
        (``MinHashLSH`` refuses a duplicate key)."""
        if key not in self._sigs:
            self._lsh.insert(key, m)
            self._sigs[key] = m

    def remove(self, key: str) -> None:
        """Drop an article once it is stored (the database finds it from then on) or its
        analysis failed; an unknown key is ignored."""
        if self._sigs.pop(key, None) is not None:
            self._lsh.remove(key)

    def best_match(self, m: MinHash) -> tuple[str, float] | None:
        """The most similar indexed article at or above the threshold."""
        return best_match(m, ((key, self._sigs[key]) for key in self._lsh.query(m)))
