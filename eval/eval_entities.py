"""Score PLACE and ACTOR entities against the hand-annotated gold (``gold/entities.jsonl``).

Usage: ``.venv/bin/python eval/eval_entities.py [--json] [--errors] [--min-f1 F]``

1. Align system documents to gold articles by normalised headline.
2. Find each gold mention in the system article text by (text, occurrence), counted in
   the whitespace-normalised body (ANNOTATION.md).
3. Detection: a system entity matches a gold mention when the spans overlap and the
   labels agree (one-to-one; pairs that agree on the name first, then the largest
   overlap).  Only system entities inside the annotated body count, so title, caption
   and credit lines are not scored.
4. Resolution: a matched pair is resolved correctly when canonical names agree (actors)
   or the coordinates lie within the kind's tolerance (places, ``KIND_TOLERANCE_KM``).
   Resolution precision/recall count correct resolutions over all system / gold items.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import GoldArticle, GoldMention  # noqa: E402

LABELS = ("PLACE", "ACTOR")


def place_resolved(gold: GoldMention, entity: Any) -> tuple[bool, float | None]:
    """Whether a system place entity points where the gold mention does, and the distance."""
    dist = common.distance_km(gold.latitude, gold.longitude,
                              getattr(entity, "latitude", None), getattr(entity, "longitude", None))
    limit = common.KIND_TOLERANCE_KM.get(gold.kind or "other", 25.0)
    if dist is not None and dist <= limit:
        return True, dist
    if gold.kind in common.NAME_RESOLVED_KINDS:
        names = {common.normalise_name(getattr(entity, "name", None))}
        if gold.kind == "country":
            names.add(common.normalise_name(getattr(entity, "country", None)))
        if common.normalise_name(gold.name) in names - {""}:
            return True, dist
    return False, dist


def actor_resolved(gold: GoldMention, entity: Any) -> bool:
    return common.normalise_name(gold.name) == common.normalise_name(getattr(entity, "name", None))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_article(gold: Sequence[GoldMention], doc: Any, article: GoldArticle | None) -> dict[str, Any]:
    """Counts and errors for one aligned article."""
    text = doc.article.text
    lo, hi = common.body_span(text, article)
    located: list[tuple[GoldMention, tuple[int, int]]] = []
    errors: list[dict[str, Any]] = []
    counts = {lab: {"gold": 0, "system": 0, "detected": 0, "resolved": 0} for lab in LABELS}
    for g in gold:
        span = common.locate_mention(text, g.text, g.occurrence, article)
        if span is None:
            if g.dateline:
                continue  # a dateline the system moved to metadata is not a miss
            counts[g.label]["gold"] += 1
            errors.append({"article": g.article, "error": "unlocated", "label": g.label, "text": g.text,
                           "occurrence": g.occurrence, "gold_name": g.name})
            continue
        counts[g.label]["gold"] += 1
        located.append((g, span))
    # Captions and datelines are not the body; a place named inside a name or a country
    # acting (role "name"/"actor") is no place mention under ANNOTATION.md.
    system = [e for e in doc.entities if e.label in LABELS and lo <= e.start and e.end <= hi
              and getattr(e, "part", None) is None and not (e.label == "PLACE" and e.role)]
    for e in system:
        counts[e.label]["system"] += 1
    # A long system span may overlap two gold mentions ("coalition fighting Islamic
    # State"): the pair that also agrees on the name goes first, then the larger overlap.
    pairs: list[tuple[int, int, int, int]] = []
    for gi, (g, span) in enumerate(located):
        for si, e in enumerate(system):
            if e.label == g.label:
                ov = _overlap(span, (e.start, e.end))
                if ov > 0:
                    same = int(common.normalise_name(g.name) == common.normalise_name(e.name))
                    pairs.append((same, ov, gi, si))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    used_g: set[int] = set()
    used_s: set[int] = set()
    for _same, _ov, gi, si in pairs:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        g, _span = located[gi]
        e = system[si]
        counts[g.label]["detected"] += 1
        if g.label == "PLACE":
            ok, dist = place_resolved(g, e)
        else:
            ok, dist = actor_resolved(g, e), None
        if ok:
            counts[g.label]["resolved"] += 1
        else:
            errors.append({"article": g.article, "error": "wrong_resolution", "label": g.label,
                           "text": g.text, "occurrence": g.occurrence, "gold_name": g.name,
                           "system_text": e.text, "system_name": e.name,
                           "distance_km": round(dist, 1) if dist is not None else None})
    for gi, (g, _span) in enumerate(located):
        if gi not in used_g:
            errors.append({"article": g.article, "error": "missed", "label": g.label, "text": g.text,
                           "occurrence": g.occurrence, "gold_name": g.name})
    for si, e in enumerate(system):
        if si not in used_s:
            errors.append({"article": doc.article.title, "error": "spurious", "label": e.label,
                           "text": e.text, "start": e.start, "system_name": e.name})
    return {"counts": counts, "errors": errors}


def score_entities(gold: Sequence[GoldMention], docs: Iterable[Any],
                   articles: Sequence[GoldArticle] | None = None) -> dict[str, Any]:
    """Detection and resolution scores over every annotated article.

    An annotated article with no aligned system document counts all its mentions as missed.
    """
    articles = list(articles if articles is not None else common.load_articles())
    by_title = {a.title: a for a in articles}
    titles = list(dict.fromkeys(g.article for g in gold))
    alignment = common.align_documents(titles, docs)
    totals = {lab: {"gold": 0, "system": 0, "detected": 0, "resolved": 0} for lab in LABELS}
    errors: list[dict[str, Any]] = []
    per_article: dict[str, Any] = {}
    for title in titles:
        mentions = [g for g in gold if g.article == title]
        doc = alignment.doc(title)
        if doc is None:
            for g in mentions:
                if not g.dateline:
                    totals[g.label]["gold"] += 1
            errors.append({"article": title, "error": "article_not_found"})
            per_article[title] = None
            continue
        res = score_article(mentions, doc, by_title.get(title))
        per_article[title] = res["counts"]
        errors.extend(res["errors"])
        for lab in LABELS:
            for k, v in res["counts"][lab].items():
                totals[lab][k] += v
    report: dict[str, Any] = {"labels": {}, "errors": errors, "per_article": per_article,
                              "articles_scored": sum(1 for v in per_article.values() if v is not None),
                              "articles_annotated": len(titles)}
    all_counts = {k: sum(totals[lab][k] for lab in LABELS) for k in ("gold", "system", "detected", "resolved")}
    for name, c in [*((lab, totals[lab]) for lab in LABELS), ("ALL", all_counts)]:
        report["labels"][name] = {
            "detection": common.prf(c["detected"], c["system"], c["gold"]),
            "resolution": common.prf(c["resolved"], c["system"], c["gold"]),
            "resolution_accuracy": common.accuracy(c["resolved"], c["detected"]),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = common.base_parser(__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    gold = common.load_entities()
    docs = common.run_system(args.corpus)
    report = score_entities(gold, docs)
    path = common.write_results("entities", report, args.output)
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "errors" or args.errors},
                                ensure_ascii=False, indent=2, default=str))
    else:
        rows = []
        for name, m in report["labels"].items():
            d, r = m["detection"], m["resolution"]
            rows.append((name, d["gold"], d["system"], d["precision"], d["recall"], d["f1"],
                         r["precision"], r["recall"], r["f1"], m["resolution_accuracy"]["accuracy"]))
        common.print_table(f"Entities ({report['articles_scored']}/{report['articles_annotated']} articles) → {path}",
                           ["label", "gold", "system", "det P", "det R", "det F1",
                            "res P", "res R", "res F1", "res acc"], rows)
        if args.errors:
            common.print_errors(report["errors"])
    return common.finish(report["labels"]["ALL"]["detection"]["f1"], args.min_f1, "entity detection F1")


if __name__ == "__main__":
    sys.exit(main())
