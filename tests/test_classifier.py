"""The learned sub-type classifier: its readings of plain sentences and its cache.

The sentences are written for these tests in the styles the classifier must carry to
(wire copy, a military strike report, a one-line event note); none is in the example bank.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from opsroom.events.classifier import NONE_LABEL, SubtypeClassifier, load_examples

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def classifier() -> SubtypeClassifier:
    """The classifier every command uses, from the machine's cache (built once under its
    lock by whichever test or command comes first; the cold build is tested on a small
    bank below)."""
    return SubtypeClassifier()


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Government troops shelled the village of Kafr Nabl overnight with heavy artillery.",
     "Shelling/artillery/missile attack"),
    ("Thousands marched peacefully through the capital on Friday demanding early elections.",
     "Peaceful protest"),
    ("Security forces arrested a local council member at his home in Mosul.", "Arrests"),
    ("Engineers defused a roadside bomb planted on the highway south of the town.",
     "Disrupted weapons use"),
])
def test_reads_the_sub_type_of_a_plain_sentence(classifier: SubtypeClassifier, sentence: str,
                                                 expected: str) -> None:
    (verdict,) = classifier.classify([sentence])
    assert verdict.label == expected, verdict.reason()
    assert verdict.score > verdict.runner_up_score
    assert verdict.neighbours and "classifier:" in verdict.reason()


def test_a_statement_of_intent_is_no_event(classifier: SubtypeClassifier) -> None:
    (verdict,) = classifier.classify(
        ["The minister said the government would consider new measures next year."])
    assert verdict.label is None, verdict.reason()


def test_probabilities_match_the_fitted_regression(classifier: SubtypeClassifier) -> None:
    """The cached arrays give sklearn's own probabilities, so no fit is needed at load."""
    from sklearn.linear_model import LogisticRegression

    from opsroom.events.classifier import REGULARISATION_C

    encoder, fitted = classifier._load()
    labels = [e.sub_event_type or NONE_LABEL for e in classifier.examples]
    model = LogisticRegression(C=REGULARISATION_C, max_iter=3000).fit(fitted.vectors, labels)
    probe = classifier._encode(encoder, ["Gunmen shot dead a shepherd near the border."])
    assert list(model.classes_) == fitted.classes
    assert np.allclose(model.predict_proba(probe), fitted.predict_proba(probe), atol=1e-4)


def test_a_warm_load_reads_the_cache_without_fitting(classifier: SubtypeClassifier,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    classifier._load()  # builds the cache when it is cold
    from sklearn.linear_model import LogisticRegression

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the regression was fitted again on a warm cache")

    monkeypatch.setattr(LogisticRegression, "fit", refuse)
    warm = SubtypeClassifier(cache_dir=classifier._cache_dir)
    (a,) = warm.classify(["Rebels fired mortars at an army post."])
    (b,) = classifier.classify(["Rebels fired mortars at an army post."])
    assert a.label == b.label and abs(a.score - b.score) < 1e-5


def test_a_torn_cache_file_is_rebuilt(tmp_path: Path) -> None:
    examples = load_examples()[:60]
    first = SubtypeClassifier(examples, cache_dir=tmp_path)
    first._load()
    (cached,) = list(tmp_path.glob("event-bank-*.npz"))
    cached.write_bytes(cached.read_bytes()[:100])
    again = SubtypeClassifier(examples, cache_dir=tmp_path)
    assert again._load()[1].vectors.shape[0] == 60
    assert cached.stat().st_size > 100


def test_the_encoder_gives_sentence_transformers_vectors() -> None:
    """The torch-only forward pass equals the reference library on real sentences,
    short, long (truncated at 128 pieces) and in one batch of mixed lengths."""
    from sentence_transformers import SentenceTransformer

    from opsroom.events.classifier import MAX_PIECES, _model_dir
    from opsroom.events.encoder import MiniLMEncoder

    texts = [e.text for e in load_examples()[::25]]
    texts += ["Clashes.", "Syrian army shelled rebel positions in Daraa. " * 30]
    ours = MiniLMEncoder(_model_dir(), max_pieces=MAX_PIECES).encode(texts)
    reference = SentenceTransformer(str(_model_dir()), device="cpu")
    reference.max_seq_length = MAX_PIECES
    theirs = reference.encode(texts, batch_size=32, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert np.abs(ours - theirs).max() < 1e-4


def test_an_event_reading_shares_out_the_event_probability(classifier: SubtypeClassifier) -> None:
    """A one-line report can be plainly an event while its sub-types split the mass: the
    verdict keeps the event probability and the sub-type's share of it apart."""
    (verdict,) = classifier.classify(
        ["Villagers near Kindu said fighters emptied their granaries and drove off the goats."])
    assert 0.0 <= verdict.event_score <= 1.0
    assert verdict.event_label is not None
    assert verdict.event_label_score * verdict.event_score <= verdict.score + 1e-6 \
        or verdict.label is None
    if verdict.label is not None:
        assert verdict.event_label == verdict.label


def test_a_fold_model_is_fitted_on_vectors_already_known(classifier: SubtypeClassifier) -> None:
    """Cross-validation fits on part of the bank's vectors without embedding them again."""
    encoder, fitted = classifier._load()
    rows = list(range(0, len(classifier.examples), 2))
    fold = SubtypeClassifier.from_vectors([classifier.examples[i] for i in rows],
                                          fitted.vectors[rows], encoder)
    (verdict,) = fold.classify(["Police fired tear gas to scatter a crowd of marching students."])
    assert verdict.neighbours and verdict.neighbours[0][0] in {
        classifier.examples[i].text for i in rows}
    assert NONE_LABEL in fold._load()[1].classes


def test_a_process_waits_for_the_bank_another_builds(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes started together on a cold cache build the bank once: the others wait on
    the build lock and read what the first wrote."""
    import shutil
    import threading

    from sklearn.linear_model import LogisticRegression

    from opsroom.config import cache_build_lock

    examples = load_examples()[:60]
    built = tmp_path / "built"
    SubtypeClassifier(examples, cache_dir=built)._load()
    (made,) = list(built.glob("event-bank-*.npz"))
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / made.name

    fits: list[int] = []
    real_fit = LogisticRegression.fit

    def counted(self: LogisticRegression, *args: object, **kwargs: object) -> object:
        fits.append(1)
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(LogisticRegression, "fit", counted)
    waiting = SubtypeClassifier(examples, cache_dir=shared)
    with cache_build_lock(target):  # "another process" is building
        worker = threading.Thread(target=waiting._load)
        worker.start()
        worker.join(timeout=3)
        assert worker.is_alive()  # it waits on the lock instead of building
        shutil.copy(made, target)  # the build lands
    worker.join(timeout=120)
    assert not worker.is_alive()
    assert fits == [] and waiting._ready is not None
    assert waiting._ready[1].vectors.shape[0] == 60
