"""Pipeline throughput against bare spaCy on the same texts and model, in one run.

    python bench/throughput.py [--copies 15]

Runs spaCy's own ``nlp.pipe`` over the article texts, then opsroom's whole analysis
(the same spaCy pass plus actors, people, places and events) over the same articles,
and reports articles/s, words/s and the ratio (target: opsroom ≥ 0.6 of bare spaCy).
Each side runs once warm-up, then is timed.
"""

from __future__ import annotations

import argparse

import spacy
from common import corpus_articles, save, timed, words

from opsroom.config import Settings
from opsroom.nlp import MODEL_PACKAGE
from opsroom.pipeline import Extractor


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=15)
    args = ap.parse_args()
    articles = corpus_articles(args.copies)
    texts = [a.text for a in articles]
    n_words = words(articles)

    bare = spacy.load(MODEL_PACKAGE)
    list(bare.pipe(texts[:14], batch_size=32))  # warm-up
    t_bare, _ = timed(lambda: list(bare.pipe(texts, batch_size=32)))

    extractor = Extractor(Settings(batch_size=32))
    list(extractor.documents(articles[:14]))  # warm-up: loads knowledge and model
    t_ops, docs = timed(lambda: list(extractor.documents(articles)))

    save("throughput", {
        "articles": len(articles),
        "words": n_words,
        "bare_spacy": {"seconds": round(t_bare, 2), "articles_per_s": round(len(texts) / t_bare, 2),
                       "words_per_s": round(n_words / t_bare)},
        "opsroom": {"seconds": round(t_ops, 2), "articles_per_s": round(len(texts) / t_ops, 2),
                    "words_per_s": round(n_words / t_ops),
                    "events": sum(len(d.events) for d in docs)},
        "ratio": round(t_bare / t_ops, 3),
        "target": 0.6,
    })


if __name__ == "__main__":
    main()
