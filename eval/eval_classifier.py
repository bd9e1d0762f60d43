"""Per-sub-type accuracy of the learned classifier on its example bank, held out by
5-fold cross-validation (each sentence is judged by a model that never saw it).

Usage: ``.venv/bin/python eval/eval_classifier.py [--json]``

The bank (``src/opsroom/data/events/examples_*.jsonl``) was written from the codebook,
so these figures say how well the classifier separates the 25 sub-types and non-events
in the bank's own style; accuracy on reporting is what ``eval_events.py`` measures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402


def cross_validate() -> dict[str, Any]:
    """The bank held out by 5-fold cross-validation: accuracy, weighted F1, per label."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from opsroom.events.classifier import NONE_LABEL, REGULARISATION_C, SubtypeClassifier

    clf = SubtypeClassifier()
    vectors = clf._fitted(clf._encoder()).vectors
    labels = [e.sub_event_type or NONE_LABEL for e in clf.examples]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    predicted = cross_val_predict(LogisticRegression(C=REGULARISATION_C, max_iter=3000),
                                  vectors, labels, cv=folds)
    names = sorted(set(labels))
    p, r, f, n = precision_recall_fscore_support(labels, predicted, labels=names, zero_division=0)
    rows = [(name, int(n[i]), float(p[i]), float(r[i]), float(f[i])) for i, name in enumerate(names)]
    _wp, _wr, wf, _ = precision_recall_fscore_support(labels, predicted, average="weighted",
                                                     zero_division=0)
    accuracy = sum(a == b for a, b in zip(labels, predicted, strict=True)) / len(labels)
    return {"examples": len(labels), "accuracy": accuracy, "weighted_f1": float(wf),
            "per_label": {r[0]: {"n": r[1], "precision": r[2], "recall": r[3], "f1": r[4]}
                          for r in rows}}


def main(argv: list[str] | None = None) -> int:
    parser = common.base_parser(__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    report = cross_validate()
    rows = [(name, m["n"], m["precision"], m["recall"], m["f1"])
            for name, m in report["per_label"].items()]
    accuracy, wf = report["accuracy"], report["weighted_f1"]
    path = common.write_results("classifier_cv", report, args.output)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        common.print_table(f"Example bank, 5-fold cross-validation → {path}",
                           ["label", "n", "precision", "recall", "F1"], rows)
        print(f"accuracy {accuracy:.3f}, weighted F1 {wf:.3f} over {report['examples']} examples")
    return common.finish(float(wf), args.min_f1, "weighted F1")


if __name__ == "__main__":
    sys.exit(main())
