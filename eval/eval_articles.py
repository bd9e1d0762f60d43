"""Score article metadata (title, source, authors, dateline, published) against ``gold/articles.jsonl``.

Usage: ``.venv/bin/python eval/eval_articles.py [--json] [--errors] [--min-f1 F]``

1. Align system documents to gold articles by normalised headline; a gold article
   without a system document gets every field wrong (the splitter lost it).
2. Compare each field:
   - title: normalised headlines equal (case, quotes, dashes ignored);
   - source: equal to the gold source or one of its listed alternatives (a wire copy
     reprinted by a paper may fairly be credited to either), or one contains the other;
   - authors: the same set of names (normalised); the mean Jaccard is reported too;
   - dateline: equal after normalisation (``BAGHDAD`` = ``Baghdad``); none equals none;
   - published: the gold date or one of its listed alternatives.
3. ``--min-f1`` is a floor on the mean field accuracy.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from common import GoldArticle  # noqa: E402

FIELDS = ("title", "source", "authors", "dateline", "published")


def _published(value: Any) -> str | None:
    date = common.parse_date(value)
    return date.isoformat() if date else None


def compare_article(gold: GoldArticle, article: Any) -> tuple[dict[str, bool], float]:
    """Per-field agreement and the authors' Jaccard for one aligned article."""
    sys_source = common.normalise_name(getattr(article, "source", None))
    sources = {common.normalise_name(s) for s in (gold.source, *gold.source_alternatives) if s}
    if not gold.source and not gold.source_alternatives:
        source_ok = not sys_source
    else:
        source_ok = bool(sys_source) and any(sys_source == s or sys_source in s or s in sys_source for s in sources)
    g_auth = {common.normalise_name(a) for a in gold.authors}
    s_auth = {common.normalise_name(a) for a in getattr(article, "authors", []) or []} - {""}
    union = g_auth | s_auth
    jaccard = len(g_auth & s_auth) / len(union) if union else 1.0
    published = _published(getattr(article, "published", None))
    return {
        "title": common.normalise_title(gold.title) == common.normalise_title(getattr(article, "title", None)),
        "source": source_ok,
        "authors": g_auth == s_auth,
        "dateline": common.normalise_name(gold.dateline) == common.normalise_name(getattr(article, "dateline", None)),
        "published": published is not None and published in {gold.published, *gold.published_alternatives}
        or (published is None and gold.published is None),
    }, jaccard


def score_articles(gold: Sequence[GoldArticle], docs: Iterable[Any]) -> dict[str, Any]:
    docs = list(docs)
    alignment = common.align_documents([g.title for g in gold], docs)
    correct = dict.fromkeys(FIELDS, 0)
    jaccards: list[float] = []
    errors: list[dict[str, Any]] = []
    for g in gold:
        doc = alignment.doc(g.title)
        if doc is None:
            errors.append({"article": g.title, "error": "article_not_found"})
            jaccards.append(0.0)
            continue
        result, jac = compare_article(g, doc.article)
        jaccards.append(jac)
        for name, ok in result.items():
            correct[name] += int(ok)
            if not ok:
                errors.append({"article": g.title, "error": name,
                               "gold": getattr(g, name) if name != "source" else [g.source, *g.source_alternatives],
                               "system": getattr(doc.article, name, None)})
    fields = {name: common.accuracy(correct[name], len(gold)) for name in FIELDS}
    mean = sum(v["accuracy"] for v in fields.values()) / len(FIELDS) if gold else 0.0
    return {
        "fields": fields,
        "mean_accuracy": round(mean, 4),
        "authors_mean_jaccard": round(sum(jaccards) / len(jaccards), 4) if jaccards else 0.0,
        "articles_gold": len(gold),
        "articles_aligned": len(alignment.pairs),
        "system_articles": len(docs),
        "unaligned_system_articles": alignment.unmatched_system,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = common.base_parser(__doc__.splitlines()[0])
    args = parser.parse_args(argv)
    gold = common.load_articles()
    docs = common.run_system(args.corpus)
    report = score_articles(gold, docs)
    path = common.write_results("articles", report, args.output)
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "errors" or args.errors},
                         ensure_ascii=False, indent=2, default=str))
    else:
        rows = [(k, v["correct"], v["total"], v["accuracy"]) for k, v in report["fields"].items()]
        rows.append(("mean", "", "", report["mean_accuracy"]))
        rows.append(("authors Jaccard", "", "", report["authors_mean_jaccard"]))
        common.print_table(f"Article metadata ({report['articles_aligned']}/{report['articles_gold']} aligned, "
                           f"{report['system_articles']} system articles) → {path}",
                           ["field", "correct", "total", "accuracy"], rows)
        if args.errors:
            common.print_errors(report["errors"])
    return common.finish(report["mean_accuracy"], args.min_f1, "mean metadata accuracy")


if __name__ == "__main__":
    sys.exit(main())
