"""Score the relations opsroom states as fact against re3d's relations, dev and test.

Usage: ``.venv/bin/python eval/eval_relations.py [--devsets PATH] [--json] [--errors] [--seed]``

re3d (Dstl, ``../shared/devsets/re3d`` or ``$OPSROOM_DEVSETS``, see its README there)
annotates typed relations between entity spans.  The data is read from that folder and
never copied into the repository; the results file keeps document ids, offsets and actor
ids, not the texts.

1. Each re3d document runs through the real pipeline as one article (as in
   ``eval_re3d_entities.py``): cleaning, the one spaCy pass, actors and their stated
   relations.  A relation's sentence is mapped back to raw-text offsets with the
   article's character map.
2. Predicates map to re3d types: ``part_of`` → BelongsTo (subject is the source, the
   part); ``allied_with`` → AlliesOf; ``fights`` → FightingAgainst; ``backed_by`` →
   AlliesOf, a looser match (re3d has no "backs" type; it writes support between parties
   as AlliesOf, "the UK have already supported Iraqi security forces").  AlliesOf and
   FightingAgainst are taken as symmetric, so either orientation of the pair matches;
   BelongsTo keeps its direction.
3. Arguments align by actor, inside the sentence: a gold relation is a candidate when
   its two spans lie in the system relation's sentence; a gold span stands for a system
   actor when a system ACTOR entity resolved to that actor overlaps the span, or the
   knowledge base resolves the span's text to it (an alias, or a country's name or
   demonym to that country's government or military: "the UK", "Iraq").  The backer of
   "U.S.-backed" is a country term with no entity of its own, which is why text
   resolution is needed beside overlap.
4. A system relation is correct when it matches a gold relation of its mapped type
   (precision); a gold relation is found when some system relation matches it (recall,
   for information: re3d writes many relations opsroom does not state as actor ties,
   "chemical weapons BelongsTo Daesh", "ISIL FightingAgainst families").  Unique gold
   relations count once (re3d repeats some).  Precision is the measure that matters:
   every relation the extractor keeps is shown as fact on the actor page, so it must be
   right.  It reads 1.0 when nothing is stated.  re3d's relations are not exhaustive, so
   a relation it lacks counts as wrong even when the text states it: ``--errors`` lists
   them with their sentences to read.  The text extractor states no ``fights`` (fights
   come from events), so that row shows recall 0 by design.
5. Documents split as ``eval/gold/splits.json`` says (``re3d_test``; the rest is dev).
   Tune on dev; both are reported.

``--seed`` also lists the relations found in the bundled seed articles with their
sentences, to be read by hand (no seed gold for relations exists yet).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from eval_re3d_entities import Re3dDoc, load_re3d, test_ids  # noqa: E402

DEFAULT_DEVSETS = common.DEFAULT_DEVSETS
#: The re3d type each opsroom predicate is scored against (step 2).
PREDICATE_TYPE = {"part_of": "BelongsTo", "allied_with": "AlliesOf", "backed_by": "AlliesOf",
                  "fights": "FightingAgainst"}
PREDICATES = tuple(PREDICATE_TYPE)
GOLD_TYPES = frozenset(PREDICATE_TYPE.values())
SYMMETRIC = frozenset({"AlliesOf", "FightingAgainst"})


def devsets_default() -> Path:
    """``$OPSROOM_DEVSETS`` when set (as the eval gate reads it), else ``../shared/devsets``."""
    return Path(os.environ.get("OPSROOM_DEVSETS") or DEFAULT_DEVSETS)


@dataclass(frozen=True)
class GoldRelation:
    doc: str
    type: str
    source: str
    source_span: tuple[int, int]
    target: str
    target_span: tuple[int, int]


@dataclass(frozen=True)
class SysRelation:
    """A system relation with its sentence placed in the raw document text."""

    doc: str
    subject: str
    predicate: str
    object: str
    begin: int
    end: int
    sentence: str


@dataclass(frozen=True)
class SysActor:
    """A system ACTOR entity placed in the raw document text."""

    id: str
    begin: int
    end: int


def load_gold(root: Path) -> list[GoldRelation]:
    """The unique re3d relations of the scored types (step 4: repeats count once)."""
    seen: dict[tuple[Any, ...], GoldRelation] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        path = folder / "relations.json"
        if not path.is_file():
            continue
        for r in common.load_jsonl(path):
            if r["type"] not in GOLD_TYPES:
                continue
            g = GoldRelation(r["documentId"], r["type"], r["source"], (r["sourceBegin"], r["sourceEnd"]),
                             r["target"], (r["targetBegin"], r["targetEnd"]))
            seen.setdefault((g.doc, g.type, g.source_span, g.target_span), g)
    return list(seen.values())


def _raw_span(article: Any, start: int, end: int) -> tuple[int, int] | None:
    begin, last = article.raw_offset(start), article.raw_offset(end - 1)
    if begin is None or last is None:
        return None
    return begin, last + 1


def run_system(docs: Sequence[Re3dDoc]) -> tuple[dict[str, list[SysRelation]], dict[str, list[SysActor]]]:
    """System relations and actor entities of each document, in raw-text offsets (step 1)."""
    from opsroom.config import Settings
    from opsroom.extractor import Extractor
    from opsroom.ingest import prepare
    from opsroom.models import RawDocument

    prepared = []
    for d in docs:
        raw = RawDocument(origin=f"re3d:{d.id}", text=d.text, title=d.title, single_article=True)
        prepared.append((d, prepare(raw)))
    flat = [a for _d, arts in prepared for a in arts]
    documents = iter(Extractor(Settings()).documents(flat))
    relations: dict[str, list[SysRelation]] = {}
    actors: dict[str, list[SysActor]] = {}
    for d, arts in prepared:
        rels, ents = relations.setdefault(d.id, []), actors.setdefault(d.id, [])
        for _ in arts:
            sysdoc = next(documents)
            article = sysdoc.article
            for e in sysdoc.entities:
                if e.label != "ACTOR" or not e.id or (getattr(e, "part", None) or "body") != "body":
                    continue
                if (span := _raw_span(article, e.start, e.end)) is not None:
                    ents.append(SysActor(e.id, *span))
            for r in sysdoc.relations:
                if (span := _raw_span(article, r.start, r.end)) is not None:
                    rels.append(SysRelation(d.id, r.subject, r.predicate, r.object, *span, r.sentence))
    return relations, actors


class ArgumentMatcher:
    """Whether a gold span stands for a system actor (step 3)."""

    def __init__(self, kb: Any, actors: dict[str, list[SysActor]]) -> None:
        self.kb = kb
        self.actors = actors

    def names(self, text: str) -> set[str]:
        """The actor ids the knowledge base reads in a span's text."""
        text = text.strip()
        out: set[str] = set()
        for form in {text, text.removeprefix("the ").removeprefix("The ")}:
            if (hit := self.kb.lookup(form)) is not None:
                out.add(hit[0].id)
            if (country := self.kb.country_of_term(form)) is not None:
                for actor in (self.kb.government_of(country), self.kb.military_of(country)):
                    if actor is not None:
                        out.add(actor.id)
        return out

    def stands_for(self, doc: str, text: str, span: tuple[int, int], actor_id: str) -> bool:
        if any(a.id == actor_id and a.begin < span[1] and span[0] < a.end for a in self.actors.get(doc, ())):
            return True
        return actor_id in self.names(text)


def matches(rel: SysRelation, gold: GoldRelation, args: ArgumentMatcher) -> bool:
    """Whether a system relation states the gold relation (steps 2 and 3)."""
    if gold.doc != rel.doc or PREDICATE_TYPE[rel.predicate] != gold.type:
        return False
    lo = min(gold.source_span[0], gold.target_span[0])
    hi = max(gold.source_span[1], gold.target_span[1])
    if not (rel.begin <= lo and hi <= rel.end):
        return False

    def pair(first: str, second: str) -> bool:
        return (args.stands_for(gold.doc, gold.source, gold.source_span, first)
                and args.stands_for(gold.doc, gold.target, gold.target_span, second))

    return pair(rel.subject, rel.object) or (gold.type in SYMMETRIC and pair(rel.object, rel.subject))


def score(docs: Sequence[Re3dDoc], gold: Sequence[GoldRelation], system: dict[str, list[SysRelation]],
          args: ArgumentMatcher, test: set[str]) -> dict[str, Any]:
    """Precision and recall per predicate and overall, for the dev and the test half (step 4)."""
    report: dict[str, Any] = {"splits": {}, "errors": []}
    for split in ("dev", "test"):
        ids = {d.id for d in docs if (d.id in test) == (split == "test")}
        rels = [r for i in sorted(ids) for r in system.get(i, [])]
        golds = [g for g in gold if g.doc in ids]
        rows: dict[str, Any] = {}
        correct_all = 0
        for pred in PREDICATES:
            mine = [r for r in rels if r.predicate == pred]
            correct = [r for r in mine if any(matches(r, g, args) for g in golds)]
            correct_all += len(correct)
            of_type = [g for g in golds if g.type == PREDICATE_TYPE[pred]]
            found = sum(1 for g in of_type if any(matches(r, g, args) for r in mine))
            rows[pred] = _prf(len(correct), len(mine), found, len(of_type), PREDICATE_TYPE[pred])
            for r in mine:
                if r not in correct:
                    report["errors"].append({"split": split, "doc": r.doc, "error": "unmatched",
                                             "subject": r.subject, "predicate": r.predicate,
                                             "object": r.object, "begin": r.begin, "end": r.end})
        found_all = sum(1 for g in golds if any(matches(r, g, args) for r in rels))
        rows["all"] = _prf(correct_all, len(rels), found_all, len(golds), "+".join(sorted(GOLD_TYPES)))
        report["splits"][split] = {"documents": len(ids), "predicates": rows}
    return report


def _prf(correct: int, n_system: int, found: int, n_gold: int, gold_type: str) -> dict[str, Any]:
    """Precision of what is stated (1.0 when nothing is), recall of the gold type."""
    return {"gold_type": gold_type, "system": n_system, "correct": correct, "gold": n_gold, "found": found,
            "precision": round(correct / n_system, 4) if n_system else 1.0,
            "recall": round(found / n_gold, 4) if n_gold else 0.0}


def seed_relations() -> list[dict[str, str]]:
    """Every relation the system states in the bundled seed articles, with its sentence."""
    out = []
    for doc in common.run_system(common.DEFAULT_CORPUS):
        for r in doc.relations:
            out.append({"article": str(doc.article.title), "subject": r.subject, "predicate": r.predicate,
                        "object": r.object, "sentence": common.squash(r.sentence)})
    return out


def evaluate(root: Path) -> tuple[dict[str, Any], dict[str, list[SysRelation]]]:
    """The report for the re3d folder ``root`` and the system relations it scored.

    The one entry both this script and the eval gate (``tests/test_eval_gate.py``) call.
    """
    from opsroom.config import Settings
    from opsroom.knowledge import Knowledge

    docs, _entities = load_re3d(root)
    system, actors = run_system(docs)
    args = ArgumentMatcher(Knowledge.from_settings(Settings()).actors, actors)
    return score(docs, load_gold(root), system, args, test_ids(docs)), system


def _sentence(system: dict[str, list[SysRelation]], error: dict[str, Any]) -> str:
    """The sentence of an unmatched relation, whitespace squashed, for the terminal only."""
    return next((common.squash(r.sentence) for r in system.get(error["doc"], [])
                 if r.begin == error["begin"]), "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devsets", type=Path, default=devsets_default(),
                        help="folder holding re3d/ (default $OPSROOM_DEVSETS, else ../shared/devsets)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--errors", action="store_true", help="list every unmatched system relation")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both",
                        help="which half the error list shows")
    parser.add_argument("--seed", action="store_true", help="also list the seed articles' relations")
    parser.add_argument("--output", type=Path, default=None,
                        help="results file (default eval/results/relations.json)")
    args = parser.parse_args(argv)
    root = common.devsets_folder(args.devsets, "re3d")
    if root is None:
        return 2
    report, system = evaluate(root)
    seed = seed_relations() if args.seed else None
    # the results file keeps ids and offsets only: the re3d texts stay out of the repository
    path = common.write_results("relations", report, args.output)
    errors = [e for e in report["errors"] if args.split in ("both", e["split"])]
    if args.json:
        shown = {k: v for k, v in report.items() if k != "errors"}
        if args.errors:
            shown["errors"] = [{**e, "sentence": _sentence(system, e)} for e in errors]
        if seed is not None:
            shown["seed"] = seed
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    rows = []
    for split, res in report["splits"].items():
        for pred, m in res["predicates"].items():
            rows.append((f"{split} {pred}", m["gold_type"], m["system"], m["correct"], m["precision"],
                         m["gold"], m["found"], m["recall"]))
    n = {s: r["documents"] for s, r in report["splits"].items()}
    common.print_table(f"re3d relations (dev {n['dev']} / test {n['test']} documents) → {path}",
                       ["split / predicate", "re3d type", "system", "correct", "P", "gold", "found", "R"],
                       rows)
    if args.errors:
        common.print_errors([{**e, "sentence": _sentence(system, e)} for e in errors])
    if seed is not None:
        common.print_errors(seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
