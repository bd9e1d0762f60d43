"""Sub-type accuracy of the whole pipeline on one-sentence inputs.

Usage: ``.venv/bin/python eval/eval_snippets.py [--json] [--errors] [--split dev|test|both]
[--no-bank] [--min-f1 F]``

``eval_classifier.py`` scores the learned classifier alone; this script scores what a user
gets: each input goes through the real ``Extractor`` (parse, entities, trigger rules,
filters, the classifier where the rules are silent or unsure, the merge), as a snippet, a
feed item or a short event note would.  Two sets are read:

1. **Bank, cross-validated.**  Every sentence of the example bank
   (``src/opsroom/data/events/examples_*.jsonl``) runs through the pipeline with a
   classifier fitted on the other four folds (the folds of ``eval_classifier.py``), so no
   sentence is judged by a model trained on it.
2. **Snippets** (``gold/snippets.jsonl``): one-sentence wire leads, event notes and press
   releases from many countries, written apart from the bank and coded by the codebook;
   about twelve per sub-type and sixty non-events (threats, plans, totals,
   condemnations, anniversaries).  Each line carries a frozen ``split``: tune on ``dev``,
   report ``test``.  The packaged classifier judges them (none of them is in the bank).

An input's predicted label is the sub-type of its first event in reading order (a
current event before a background one), or ``none`` when the pipeline finds no event.
Reported: weighted F1 over the 25 sub-types and ``none``, accuracy, the share of event
inputs where some event is found (detection) and of non-events where none is (rejection),
whether the gold sub-type is among all events found ("any"), per-label F1, the most
frequent confusions, and the classifier alone on the same inputs for comparison.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

SNIPPETS_FILE = common.GOLD_DIR / "snippets.jsonl"
NONE = "none"
FOLDS = 5
#: Confusion pairs listed in the report.
TOP_CONFUSIONS = 15


@dataclass(frozen=True)
class Item:
    """One input and its gold sub-type (``none``: not an event)."""

    id: str
    text: str
    gold: str
    split: str = ""
    style: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the pipeline made of one input."""

    item: Item
    predicted: str
    labels: tuple[str, ...]
    reasons: tuple[str, ...]
    classifier: str


def load_snippets(path: Path = SNIPPETS_FILE) -> list[Item]:
    """The snippet gold: id, text, sub-type (None → ``none``), split and style."""
    return [Item(r["id"], r["text"], r.get("sub_event_type") or NONE, r["split"],
                 r.get("style", ""))
            for r in common.load_jsonl(path)]


def _extractor() -> Any:
    from opsroom.config import Settings
    from opsroom.extractor import Extractor

    return Extractor(Settings())


def run_pipeline(items: Sequence[Item], classifier: Any, extractor: Any) -> list[Outcome]:
    """Each item through the real Extractor, typed with ``classifier`` where rules ask."""
    from opsroom.events import extract_events
    from opsroom.ingest import prepare
    from opsroom.models import RawDocument

    finder, places, _extract = extractor._load()
    extractor._stages = (finder, places, partial(extract_events, classifier=classifier))
    articles = []
    for it in items:
        parts = prepare(RawDocument(f"snippet/{it.id}", it.text, single_article=True))
        articles.append(parts[0])
    verdicts = classifier.classify([it.text for it in items])
    out: list[Outcome] = []
    for it, doc, verdict in zip(items, extractor.documents(articles), verdicts, strict=True):
        events = sorted(doc.events, key=lambda e: (
            bool(e.background), min((s.start for s in e.sources), default=0)))
        labels = tuple(e.sub_event_type for e in events)
        out.append(Outcome(it, labels[0] if labels else NONE, labels,
                           tuple(e.type_reason or "" for e in events), verdict.label or NONE))
    return out


def run_bank_cv(extractor: Any) -> list[Outcome]:
    """The bank through the pipeline, each fold typed by a classifier fitted without it."""
    from sklearn.model_selection import StratifiedKFold

    from opsroom.events.classifier import SubtypeClassifier

    full = SubtypeClassifier()
    encoder, fitted = full._load()
    examples = full.examples
    labels = [e.sub_event_type or NONE for e in examples]
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    outcomes: dict[int, Outcome] = {}
    for train, held in folds.split(fitted.vectors, labels):
        clf = SubtypeClassifier.from_vectors([examples[i] for i in train],
                                             fitted.vectors[train], encoder)
        items = [Item(f"bank{i}", examples[i].text, labels[i], "bank",
                      examples[i].kind or "bank") for i in held]
        for i, o in zip(held, run_pipeline(items, clf, extractor), strict=True):
            outcomes[int(i)] = o
    return [outcomes[i] for i in sorted(outcomes)]


def score(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Weighted F1, accuracy, detection, rejection, per-label F1 and confusions."""
    from sklearn.metrics import precision_recall_fscore_support

    gold = [o.item.gold for o in outcomes]
    pred = [o.predicted for o in outcomes]
    clf = [o.classifier for o in outcomes]
    names = sorted(set(gold))
    p, r, f, n = precision_recall_fscore_support(gold, pred, labels=names, zero_division=0)
    _p, _r, wf, _n = precision_recall_fscore_support(gold, pred, labels=names,
                                                     average="weighted", zero_division=0)
    _p, _r, cwf, _n = precision_recall_fscore_support(gold, clf, labels=names,
                                                      average="weighted", zero_division=0)
    events = [o for o in outcomes if o.item.gold != NONE]
    non_events = [o for o in outcomes if o.item.gold == NONE]
    confusions = Counter((o.item.gold, o.predicted) for o in outcomes
                         if o.item.gold != o.predicted)
    styles = sorted({o.item.style for o in outcomes})
    by_style = {}
    for s in styles:
        sel = [o for o in outcomes if o.item.style == s]
        by_style[s] = {"n": len(sel),
                       "accuracy": sum(o.predicted == o.item.gold for o in sel) / len(sel)}
    return {
        "inputs": len(outcomes),
        "weighted_f1": float(wf),
        "accuracy": sum(a == b for a, b in zip(gold, pred, strict=True)) / max(len(gold), 1),
        "detection": sum(bool(o.labels) for o in events) / max(len(events), 1),
        "rejection": sum(not o.labels for o in non_events) / max(len(non_events), 1),
        "any_event_right": sum(o.item.gold in o.labels for o in events) / max(len(events), 1),
        "classifier_alone_weighted_f1": float(cwf),
        "per_label": {name: {"n": int(n[i]), "precision": float(p[i]), "recall": float(r[i]),
                             "f1": float(f[i])} for i, name in enumerate(names)},
        "by_style": by_style,
        "confusions": [{"gold": g, "predicted": s, "count": c}
                       for (g, s), c in confusions.most_common(TOP_CONFUSIONS)],
    }


def _errors(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    return [{"id": o.item.id, "gold": o.item.gold, "predicted": o.predicted,
             "all": list(o.labels), "classifier": o.classifier, "text": o.item.text,
             "reason": o.reasons[0] if o.reasons else None}
            for o in outcomes if o.predicted != o.item.gold]


def _print(name: str, report: dict[str, Any], path: Path) -> None:
    common.print_table(f"{name} ({report['inputs']} inputs) → {path}",
                       ["label", "n", "precision", "recall", "F1"],
                       [(k, v["n"], v["precision"], v["recall"], v["f1"])
                        for k, v in report["per_label"].items()])
    print(f"weighted F1 {report['weighted_f1']:.3f}, accuracy {report['accuracy']:.3f}, "
          f"detection {report['detection']:.3f}, rejection {report['rejection']:.3f}, "
          f"gold among events {report['any_event_right']:.3f}; classifier alone "
          f"weighted F1 {report['classifier_alone_weighted_f1']:.3f}")
    print("by style: " + ", ".join(f"{k} {v['accuracy']:.2f} ({v['n']})"
                                   for k, v in report["by_style"].items()))
    print("confusions (gold → predicted): " + "; ".join(
        f"{c['gold']} → {c['predicted']} ×{c['count']}" for c in report["confusions"]))


def main(argv: list[str] | None = None) -> int:
    parser = common.base_parser(__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "both"), default="dev",
                        help="snippet split to score (tune on dev; report test)")
    parser.add_argument("--no-bank", action="store_true",
                        help="skip the cross-validated bank (the slower half)")
    args = parser.parse_args(argv)
    from opsroom.events.classifier import packaged_classifier

    extractor = _extractor()
    reports: dict[str, Any] = {}
    errors: dict[str, list[dict[str, Any]]] = {}
    if not args.no_bank:
        outcomes = run_bank_cv(extractor)
        reports["bank_cv"] = score(outcomes)
        errors["bank_cv"] = _errors(outcomes)
    items = load_snippets()
    halves = ("dev", "test") if args.split == "both" else (args.split,)
    chosen = [it for it in items if it.split in halves]
    outcomes = run_pipeline(chosen, packaged_classifier(), extractor)
    for half in halves:
        sel = [o for o in outcomes if o.item.split == half]
        reports[f"snippets_{half}"] = score(sel)
        errors[f"snippets_{half}"] = _errors(sel)
    status = 0
    for name, report in reports.items():
        report["errors"] = errors[name]
        path = common.write_results(f"snippets_{name}" if name == "bank_cv" else name,
                                    report, args.output if len(reports) == 1 else None)
        if not args.json:
            _print(name, report, path)
            if args.errors:
                for e in errors[name]:
                    print(json.dumps(e, ensure_ascii=False))
        status = max(status, common.finish(report["weighted_f1"], args.min_f1,
                                           f"{name} weighted F1"))
    if args.json:
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "errors" or args.errors}
                          for k, v in reports.items()}, ensure_ascii=False, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main())
