"""The eval gate: every extractor holds the accuracy floors written in ``eval/floors.json``.

The figures come from the same scoring functions as the evaluation scripts (``make eval``)
on the same gold, so a change that costs accuracy fails the suite instead of waiting for
someone to rerun the scripts.  The floors sit a little under the measured figures (which
the README reports); raise them when an extractor gets better, never lower them to make
a change pass.

The re3d documents live outside the repository (``../shared/devsets`` or
``$OPSROOM_DEVSETS``; their licence keeps them out): their part of the gate runs where
they are present and says so where they are not.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"
sys.path.insert(0, str(EVAL_DIR))

import common  # noqa: E402
import eval_articles  # noqa: E402
import eval_entities  # noqa: E402
import eval_events  # noqa: E402

FLOORS: dict[str, Any] = json.loads((EVAL_DIR / "floors.json").read_text(encoding="utf-8"))


def _devsets() -> Path:
    return Path(os.environ.get("OPSROOM_DEVSETS") or common.DEFAULT_DEVSETS)


@pytest.fixture(scope="module")
def seed_docs() -> list[Any]:
    """The system's documents for the seed corpus, read once for every seed floor."""
    return common.run_system(common.DEFAULT_CORPUS)


@pytest.fixture(scope="module")
def re3d() -> tuple[list[Any], list[Any]]:
    """(gold events, system documents) of the annotated re3d documents."""
    root = _devsets() / "re3d"
    if not root.is_dir():
        pytest.skip(f"re3d development data not found at {root} (set OPSROOM_DEVSETS)")
    from eval_re3d_entities import load_re3d

    documents, _entities = load_re3d(root)
    gold, coded = eval_events.load_re3d_events({d.id: d.text for d in documents})
    return gold, eval_events.run_re3d(documents, coded)


def _below(measured: dict[str, float], floors: dict[str, float]) -> dict[str, str]:
    """The figures under their floor, as 'measured < floor'."""
    return {k: f"{measured[k]:.3f} < {v:.3f}" for k, v in floors.items() if measured[k] < v}


def test_article_metadata_holds_its_floor(seed_docs: list[Any]) -> None:
    report = eval_articles.score_articles(common.load_articles(), seed_docs)
    measured = {"mean_accuracy": report["mean_accuracy"],
                **{k: v["accuracy"] for k, v in report["fields"].items()}}
    assert not _below(measured, FLOORS["articles"])


def test_entities_hold_their_floors(seed_docs: list[Any]) -> None:
    report = eval_entities.score_entities(common.load_entities(), seed_docs)
    measured = {f"{label}_{part}": m[part]["f1"] for label, m in report["labels"].items()
                for part in ("detection", "resolution")}
    assert not _below(measured, FLOORS["entities"])


@pytest.mark.parametrize("half", ["dev", "test"])
def test_seed_events_hold_their_floors(seed_docs: list[Any], half: str) -> None:
    seed_gold, _ = common.load_events()
    report = eval_events.score_split(half, eval_events.load_splits(), seed_gold, seed_docs, [], [])
    measured = {"f1": report["events"]["f1"],
                **{k: v["accuracy"] for k, v in report["fields"].items()}}
    assert not _below(measured, FLOORS["events_seed"][half])


@pytest.mark.parametrize("half", ["dev", "test"])
def test_re3d_events_hold_their_floors(re3d: tuple[list[Any], list[Any]], half: str) -> None:
    gold, docs = re3d
    report = eval_events.score_split(half, eval_events.load_splits(), [], [], gold, docs)
    measured = {"f1": report["by_corpus"]["re3d"]["f1"],
                **{k: v["accuracy"] for k, v in report["fields"].items()}}
    assert not _below(measured, FLOORS["events_re3d"][half])


def test_the_floors_are_not_empty() -> None:
    """Every gate above reads a floor for each headline figure: none was left out."""
    assert {"mean_accuracy"} <= set(FLOORS["articles"])
    assert {"accuracy", "weighted_f1"} <= set(FLOORS["classifier_cv"])
    assert len(FLOORS["re3d_entities"]) == 6 and len(FLOORS["toponyms_first_40"]) == 4
    assert {"ALL_detection", "ALL_resolution"} <= set(FLOORS["entities"])
    for part in ("events_seed", "events_re3d"):
        for half in ("dev", "test"):
            assert {"f1", "sub_event_type"} <= set(FLOORS[part][half])


def test_classifier_cross_validation_holds_its_floor() -> None:
    """The example bank held out fold by fold: the classifier still separates the sub-types."""
    import eval_classifier

    report = eval_classifier.cross_validate()
    assert len(report["per_label"]) == 26  # the 25 sub-types and "none"
    measured = {"accuracy": report["accuracy"], "weighted_f1": report["weighted_f1"]}
    assert not _below(measured, FLOORS["classifier_cv"])


def test_re3d_entities_hold_their_floors() -> None:
    """Locations, organisations and people of the re3d texts, as re3d defines them."""
    import eval_re3d_entities as re3d_entities

    root = _devsets() / "re3d"
    if not root.is_dir():
        pytest.skip(f"re3d development data not found at {root} (set OPSROOM_DEVSETS)")
    docs, gold = re3d_entities.load_re3d(root)
    report = re3d_entities.score(docs, gold, re3d_entities.run_system(docs),
                                 re3d_entities.test_ids(docs))
    measured = {f"{split}_{kind}": m["f1"] for split, res in report["splits"].items()
                for kind, m in res["types"].items()}
    assert not _below(measured, FLOORS["re3d_entities"])


def test_re3d_relations_hold_their_floors() -> None:
    """Relations shown as fact, against re3d's AlliesOf, BelongsTo and FightingAgainst."""
    import eval_relations

    root = _devsets() / "re3d"
    if not root.is_dir():
        pytest.skip(f"re3d development data not found at {root} (set OPSROOM_DEVSETS)")
    report, _system = eval_relations.evaluate(root)
    measured = {f"{split}_all_{part}": res["predicates"]["all"][part]
                for split, res in report["splits"].items() for part in ("precision", "recall")}
    assert not _below(measured, FLOORS["re3d_relations"])


#: The toponym sets are scored whole by ``eval/eval_geo.py`` (eight minutes); the gate
#: reads the first articles of each, the same every run, to stay within the suite's time.
GEO_ARTICLES = 40


def test_toponyms_hold_their_floors() -> None:
    """Toponyms found and placed within 161 km, and found at all, on GeoVirus and LGL."""
    import eval_geo

    root = _devsets() / "geo"
    if not root.is_dir():
        pytest.skip(f"toponym development data not found at {root} (set OPSROOM_DEVSETS)")
    docs = (eval_geo.load_geovirus(root / "GeoVirus.xml")[:GEO_ARTICLES]
            + eval_geo.load_lgl(root / "lgl.xml")[:GEO_ARTICLES])
    report = eval_geo.score(docs, eval_geo.run_system(docs))
    measured = {f"{name}_{part}": report["sets"][name][part] for name in ("geovirus", "lgl")
                for part in ("found_placed_161km", "found_share")}
    assert not _below(measured, FLOORS["toponyms_first_40"])


def test_snippets_hold_their_floors() -> None:
    """Sub-type weighted F1 of the whole pipeline on the one-sentence snippet gold, each split
    (the cross-validated bank half of ``eval/eval_snippets.py`` is left to the script: it
    fits five classifiers)."""
    import eval_snippets

    from opsroom.events.classifier import packaged_classifier

    outcomes = eval_snippets.run_pipeline(eval_snippets.load_snippets(), packaged_classifier(),
                                          eval_snippets._extractor())
    measured = {f"{half}_weighted_f1": eval_snippets.score(
        [o for o in outcomes if o.item.split == half])["weighted_f1"] for half in ("dev", "test")}
    assert not _below(measured, FLOORS["snippets"])
