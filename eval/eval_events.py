"""Score ACLED-style events against the hand-coded gold (``gold/events.jsonl``).

Usage: ``.venv/bin/python eval/eval_events.py [--json] [--errors] [--current-only]
[--given-dates] [--min-f1 F]``

``--given-dates`` runs the pipeline with each article's gold publication date supplied as
metadata (as a feed, JSONL or HTML input supplies it; most seed ``.txt`` files carry
none), so date accuracy can be read both as-is and with the date real inputs give.

1. Align system documents to gold articles by normalised headline.
2. Within one article, a system event can match a gold event when both have the same
   ``event_type`` and either (a) one of the gold evidence passages overlaps one of the
   system event's source sentences (one contains the other, or they share at least
   ``EVIDENCE_TOKEN_OVERLAP`` of the shorter one's words), or (b) the sub-type is the same,
   the places lie within ``PLACE_MATCH_KM`` and the dates within ``DATE_MATCH_DAYS``.
3. Candidates are paired greedily, one-to-one, best first: evidence overlap, then same
   sub-type, then same date, then nearer place.
4. Event precision/recall/F1 come from the pairs; field accuracies are computed over the
   pairs: sub-type, actor1, actor2 (a swapped pair counts as the right order), date
   (exact, and at the gold's precision), location within 25 km, fatalities and injuries
   exact (null equals null only), background flag.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import GoldEvent  # noqa: E402

#: Two passages tell the same thing when they share this share of the shorter one's words.
#: 0.6 keeps a sentence and its trimmed clause together (they share all words), while the
#: evidence passages of two different gold events of one article share at most 0.5 of
#: the shorter one's words (measured over the seed gold, containments aside).
EVIDENCE_TOKEN_OVERLAP = 0.6
#: The fallback match (same sub-type, place, date) uses the limits set for the evaluation.
PLACE_MATCH_KM = 50.0
DATE_MATCH_DAYS = 2

FIELDS = ("sub_event_type", "actor1", "actor2", "date_exact", "date_at_precision",
          "location_25km", "fatalities", "injuries", "background")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", common.squash(text).lower()))


def evidence_overlaps(evidence: Sequence[str], sentences: Sequence[str]) -> bool:
    """Whether some gold passage and some system sentence tell the same thing."""
    for ev in evidence:
        e = common.squash(ev).lower()
        ew = _words(ev)
        for sent in sentences:
            s = common.squash(sent).lower()
            if not s or not e:
                continue
            if e in s or s in e:
                return True
            sw = _words(sent)
            shorter = min(len(ew), len(sw))
            if shorter and len(ew & sw) / shorter >= EVIDENCE_TOKEN_OVERLAP:
                return True
    return False


def _sentences(event: Any) -> list[str]:
    return [s.sentence for s in getattr(event, "sources", []) or [] if getattr(s, "sentence", None)]


def _same(a: Any, b: Any) -> bool:
    return common.normalise_name(a) == common.normalise_name(b)


def candidate_score(gold: GoldEvent, event: Any) -> tuple[float, ...] | None:
    """Sort key of a possible pair (higher is better), or None when they cannot match."""
    if not _same(gold.event_type, event.event_type):
        return None
    ev_ok = evidence_overlaps(gold.evidence, _sentences(event))
    same_sub = _same(gold.sub_event_type, event.sub_event_type)
    dist = common.distance_km(gold.latitude, gold.longitude, event.latitude, event.longitude)
    g_date, s_date = common.parse_date(gold.event_date), common.parse_date(event.event_date)
    days = abs((g_date - s_date).days) if g_date and s_date else None
    near = dist is not None and dist <= PLACE_MATCH_KM
    close = days is not None and days <= DATE_MATCH_DAYS
    if not (ev_ok or (same_sub and near and close)):
        return None
    return (float(ev_ok), float(same_sub), float(days == 0), -(dist if dist is not None else 1e6))


def compare_fields(gold: GoldEvent, event: Any) -> dict[str, bool]:
    """Per-field agreement of a matched pair."""
    a1, a2 = event.actor1, event.actor2
    if not (_same(a1, gold.actor1) and _same(a2, gold.actor2)) and _same(a1, gold.actor2) and _same(a2, gold.actor1):
        a1, a2 = a2, a1  # the pair is right, only the order differs
    dist = common.distance_km(gold.latitude, gold.longitude, event.latitude, event.longitude)
    s_date = common.parse_date(event.event_date)
    return {
        "sub_event_type": _same(gold.sub_event_type, event.sub_event_type),
        "actor1": _same(gold.actor1, a1),
        "actor2": _same(gold.actor2, a2),
        "date_exact": s_date is not None and s_date.isoformat() == gold.event_date,
        "date_at_precision": common.date_agrees(gold.event_date, gold.date_precision, event.event_date),
        "location_25km": dist is not None and dist <= common.EVENT_LOCATION_KM,
        "fatalities": gold.fatalities == event.fatalities,
        "injuries": gold.injuries == event.injuries,
        "background": bool(gold.background) == bool(getattr(event, "background", False)),
    }


def _describe(event: Any) -> dict[str, Any]:
    return {"event_type": event.event_type, "sub_event_type": event.sub_event_type,
            "event_date": str(event.event_date) if event.event_date else None,
            "actor1": event.actor1, "actor2": event.actor2, "location": event.location,
            "fatalities": event.fatalities, "sentence": next(iter(_sentences(event)), None)}


def match_article(gold: Sequence[GoldEvent], events: Sequence[Any]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, system index) within one article."""
    cands: list[tuple[tuple[float, ...], int, int]] = []
    for gi, g in enumerate(gold):
        for si, e in enumerate(events):
            key = candidate_score(g, e)
            if key is not None:
                cands.append((key, gi, si))
    cands.sort(key=lambda c: (tuple(-k for k in c[0]), c[1], c[2]))
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _key, gi, si in cands:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gi, si))
    return pairs


def score_events(gold: Sequence[GoldEvent], docs: Iterable[Any], titles: Sequence[str] | None = None,
                 current_only: bool = False) -> dict[str, Any]:
    """Event detection and field accuracy over every gold article.

    ``titles`` lists every gold article (those without events included, so their system
    events count as spurious); by default the titles of ``articles.jsonl``.
    """
    if titles is None:
        titles = [a.title for a in common.load_articles()]
    gold = [g for g in gold if not (current_only and g.background)]
    alignment = common.align_documents(titles, docs)
    n_gold = n_sys = 0
    field_ok = dict.fromkeys(FIELDS, 0)
    pairs_total = 0
    errors: list[dict[str, Any]] = []
    per_article: dict[str, Any] = {}
    for title in titles:
        g_events = [g for g in gold if g.title == title]
        doc = alignment.doc(title)
        s_events = [e for e in (doc.events if doc is not None else [])
                    if not (current_only and getattr(e, "background", False))]
        n_gold += len(g_events)
        n_sys += len(s_events)
        if doc is None:
            errors.append({"article": title, "error": "article_not_found", "gold_events": len(g_events)})
        pairs = match_article(g_events, s_events)
        per_article[title] = {"gold": len(g_events), "system": len(s_events), "matched": len(pairs)}
        matched_g = {gi for gi, _ in pairs}
        matched_s = {si for _, si in pairs}
        for gi, si in pairs:
            pairs_total += 1
            result = compare_fields(g_events[gi], s_events[si])
            wrong = {}
            for name, ok in result.items():
                field_ok[name] += int(ok)
                if not ok:
                    wrong[name] = name
            if wrong:
                g = g_events[gi]
                errors.append({"article": title, "error": "fields", "wrong": sorted(wrong),
                               "gold": {"sub_event_type": g.sub_event_type, "event_date": g.event_date,
                                        "actor1": g.actor1, "actor2": g.actor2, "location": g.location,
                                        "fatalities": g.fatalities, "injuries": g.injuries,
                                        "background": g.background},
                               "system": _describe(s_events[si])})
        for gi, g in enumerate(g_events):
            if gi not in matched_g:
                errors.append({"article": title, "error": "missed", "event_type": g.event_type,
                               "sub_event_type": g.sub_event_type, "event_date": g.event_date,
                               "location": g.location, "evidence": g.evidence[0] if g.evidence else None})
        for si, e in enumerate(s_events):
            if si not in matched_s:
                errors.append({"article": title, "error": "spurious", **_describe(e)})
    return {
        "events": common.prf(pairs_total, n_sys, n_gold),
        "fields": {name: common.accuracy(field_ok[name], pairs_total) for name in FIELDS},
        "articles_aligned": len(alignment.pairs),
        "articles_gold": len(titles),
        "unaligned_system_articles": alignment.unmatched_system,
        "current_only": current_only,
        "per_article": per_article,
        "errors": errors,
    }


SPLITS_FILE = common.GOLD_DIR / "splits.json"
#: Event gold of the re3d development documents: evidence as offsets into their texts.
RE3D_GOLD = ("events_re3d_ukgov.jsonl", "events_re3d_wiki_au.jsonl")


def load_splits() -> dict[str, set[str]]:
    """The frozen split: seed titles and re3d document ids of each half."""
    data = json.loads(SPLITS_FILE.read_text(encoding="utf-8"))
    return {k: set(v) for k, v in data.items() if not k.startswith("_")}


def re3d_key(doc_id: str) -> str:
    return f"re3d:{doc_id}"


def load_re3d_events(texts: dict[str, str]) -> tuple[list[GoldEvent], set[str]]:
    """re3d gold events with their evidence read from the documents, and every document."""
    fields = set(GoldEvent.__dataclass_fields__)
    events: list[GoldEvent] = []
    documents: set[str] = set()
    for name in RE3D_GOLD:
        for r in common.load_jsonl(common.GOLD_DIR / name):
            documents.add(r["document"])
            if r.get("no_events"):
                continue
            text = texts[r["document"]]
            row = {k: v for k, v in r.items() if k in fields}
            row["title"] = re3d_key(r["document"])
            row["evidence"] = tuple(text[b:e] for b, e in r.get("evidence_spans") or [])
            row["claims"] = tuple(r.get("claims") or ())
            events.append(GoldEvent(**row))
    return events, documents


def run_re3d(docs: Sequence[Any], wanted: set[str]) -> list[Any]:
    """System documents for the wanted re3d documents, titled by their gold key."""
    from opsroom.config import Settings
    from opsroom.ingest import prepare
    from opsroom.models import RawDocument
    from opsroom.pipeline import Extractor

    chosen = [d for d in docs if d.id in wanted]
    articles = []
    for d in chosen:
        raw = RawDocument(origin=f"re3d/{d.folder}/{d.id}", text=d.text, title=d.title,
                          single_article=True)
        articles.append(prepare(raw)[0])
    out = []
    for d, doc in zip(chosen, Extractor(Settings()).documents(articles), strict=True):
        doc.article.title = re3d_key(d.id)
        out.append(doc)
    return out


def score_split(half: str, splits: dict[str, set[str]], seed_gold: Sequence[GoldEvent],
                seed_docs: Sequence[Any], re3d_gold: Sequence[GoldEvent],
                re3d_docs: Sequence[Any], current_only: bool = False) -> dict[str, Any]:
    """The report of one split: all documents together, and the seed and re3d parts apart.

    The one place a split is scored, shared by this script and the eval gate of the tests.
    """
    seeds = sorted(splits[f"seed_{half}"])
    re3d_ids = sorted(splits[f"re3d_{half}"] & {d.article.title[5:] for d in re3d_docs})
    titles = seeds + [re3d_key(i) for i in re3d_ids]
    gold = [g for g in [*seed_gold, *re3d_gold] if g.title in set(titles)]
    report = score_events(gold, [*seed_docs, *re3d_docs], titles=titles, current_only=current_only)
    report["split"] = half
    report["seed_articles"], report["re3d_documents"] = seeds, re3d_ids
    report["by_corpus"] = {
        "seed": score_events([g for g in gold if not g.title.startswith("re3d:")], seed_docs,
                             titles=seeds, current_only=current_only)["events"],
        "re3d": score_events([g for g in gold if g.title.startswith("re3d:")], re3d_docs,
                             titles=[re3d_key(i) for i in re3d_ids],
                             current_only=current_only)["events"],
    }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = common.base_parser(__doc__.splitlines()[0])
    parser.add_argument("--current-only", action="store_true",
                        help="leave background (historical) events out on both sides")
    parser.add_argument("--given-dates", action="store_true",
                        help="supply each article's gold publication date as given metadata")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both",
                        help="score the development split, the frozen test split, or both")
    parser.add_argument("--devsets", type=Path, default=common.DEFAULT_DEVSETS,
                        help="folder holding re3d/ (default ../shared/devsets beside the clone)")
    parser.add_argument("--seeds-only", action="store_true",
                        help="score the seed gold alone (no re3d documents)")
    args = parser.parse_args(argv)
    splits = load_splits()
    seed_gold, _empty = common.load_events()
    seed_docs = common.run_system(args.corpus, given_dates=args.given_dates)
    re3d_gold: list[GoldEvent] = []
    re3d_docs: list[Any] = []
    if not args.seeds_only:
        root = common.devsets_folder(args.devsets, "re3d", ", or --seeds-only")
        if root is None:
            return 2
        from eval_re3d_entities import load_re3d

        documents, _ents = load_re3d(root)
        re3d_gold, coded = load_re3d_events({d.id: d.text for d in documents})
        re3d_docs = run_re3d(documents, coded)
    halves = ("dev", "test") if args.split == "both" else (args.split,)
    status = 0
    reports: dict[str, Any] = {}
    for half in halves:
        report = score_split(half, splits, seed_gold, seed_docs, re3d_gold, re3d_docs,
                             current_only=args.current_only)
        report["given_dates"] = args.given_dates
        seeds, re3d_ids = report["seed_articles"], report["re3d_documents"]
        reports[half] = report
        name = f"events_{half}" + ("_current" if args.current_only else "") + \
            ("_given_dates" if args.given_dates else "")
        path = common.write_results(name, report, args.output if len(halves) == 1 else None)
        if not args.json:
            ev = report["events"]
            common.print_table(
                f"Events, {half} split ({len(seeds)} seed articles, {len(re3d_ids)} re3d documents) → {path}",
                ["measure", "all", "seed", "re3d"],
                [(m, ev[m], report["by_corpus"]["seed"][m], report["by_corpus"]["re3d"][m])
                 for m in ("gold", "system", "tp", "precision", "recall", "f1")])
            common.print_table(f"Field accuracy over matched pairs, {half} split",
                               ["field", "correct", "total", "accuracy"],
                               [(k, v["correct"], v["total"], v["accuracy"])
                                for k, v in report["fields"].items()])
            if args.errors:
                common.print_errors(report["errors"])
        status = max(status, common.finish(report["events"]["f1"], args.min_f1, f"event F1 ({half})"))
    if args.json:
        print(json.dumps({h: {k: v for k, v in r.items() if k != "errors" or args.errors}
                          for h, r in reports.items()}, ensure_ascii=False, indent=2, default=str))
    return status


if __name__ == "__main__":
    sys.exit(main())
