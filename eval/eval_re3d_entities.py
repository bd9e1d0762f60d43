"""Score Location, Organisation and Person entities against re3d's development documents.

Usage: ``.venv/bin/python eval/eval_re3d_entities.py [--devsets PATH] [--json] [--errors] [--breakdown]``

re3d (Dstl, ``../shared/devsets/re3d``, see its README there) annotates every place,
organisation and person of defence and government texts on Syria and Iraq, named in a
knowledge base or not.  The data is read from ``--devsets`` (default ``../shared/devsets``
beside the clone) and never copied into the repository.

1. Each re3d document is ingested as one article (its ``text``, its ``title`` as the
   headline) and runs through the real pipeline: cleaning, the one spaCy pass, actors,
   people, places.  System offsets are mapped back to the raw text with the article's
   character map; entities of a caption are placed where the caption stands in the raw text.
2. Types map as a rule: PLACE → Location, ACTOR (state forces, governments, armed groups,
   agencies, UN bodies, NGOs, ministries, courts, companies, media) → Organisation,
   PERSON → Person.  re3d's other types (Nationality, Temporal, ...) are not scored.
3. Spans are compared leniently, as re3d's guidelines differ from ours: gold spans of one
   type that overlap each other ("Minister for the Middle East Tobias Ellwood" and
   "Tobias Ellwood") are one gold mention; a gold mention is found when a system entity
   of its type overlaps it, and a system entity is correct when it overlaps a gold mention
   of its type or its normalised text is a gold value of that type in the document.
4. ``--breakdown`` counts the errors by kind (``error_kind``): a missed mention that is a
   pronoun, a number, a common noun phrase ("the regime", "civilians"), a name the system
   gave another type ("UK" as a place), or a name not found; a spurious entity by the
   method that made it.  It only sorts the errors; the scores are the same.
5. Documents split into a fixed dev and test half: ``eval/gold/splits.json`` key
   ``re3d_test`` when it exists, else a document is test when
   ``int(sha1(_id).hexdigest(), 16) % 2 == 1``.  Tune on dev; both are reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

DEFAULT_DEVSETS = common.DEFAULT_DEVSETS
TYPES = ("Location", "Organisation", "Person")
#: The system label each re3d type is scored against.
LABEL_TYPE = {"PLACE": "Location", "ACTOR": "Organisation", "PERSON": "Person"}
SPLITS_FILE = common.GOLD_DIR / "splits.json"


@dataclass(frozen=True)
class Re3dDoc:
    id: str
    folder: str
    title: str | None
    text: str


@dataclass(frozen=True)
class Re3dEntity:
    doc: str
    type: str
    begin: int
    end: int
    value: str


@dataclass(frozen=True)
class SysEntity:
    """A system entity placed in the raw document text."""

    type: str
    begin: int
    end: int
    text: str
    name: str | None
    method: str | None
    part: str


def load_re3d(root: Path) -> tuple[list[Re3dDoc], list[Re3dEntity]]:
    """Documents and scored entities of every re3d folder under ``root``."""
    docs: list[Re3dDoc] = []
    ents: list[Re3dEntity] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if not (folder / "documents.json").is_file():
            continue
        for r in common.load_jsonl(folder / "documents.json"):
            docs.append(Re3dDoc(r["_id"], folder.name, r.get("title"), r["text"]))
        if (folder / "entities.json").is_file():
            for r in common.load_jsonl(folder / "entities.json"):
                if r["type"] in TYPES:
                    ents.append(Re3dEntity(r["documentId"], r["type"], r["begin"], r["end"], r["value"]))
    return docs, ents


def test_ids(docs: Sequence[Re3dDoc]) -> set[str]:
    """The documents of the test half (see the module docstring, step 4)."""
    if SPLITS_FILE.is_file():
        data = json.loads(SPLITS_FILE.read_text(encoding="utf-8"))
        if "re3d_test" in data:
            return set(data["re3d_test"])
    return {d.id for d in docs if int(hashlib.sha1(d.id.encode()).hexdigest(), 16) % 2 == 1}


def run_system(docs: Sequence[Re3dDoc]) -> dict[str, list[SysEntity]]:
    """System entities of each document, in raw-text offsets (step 1)."""
    from opsroom.config import Settings
    from opsroom.ingest import prepare
    from opsroom.models import RawDocument
    from opsroom.pipeline import Extractor

    settings = Settings()
    articles = []
    for d in docs:
        raw = RawDocument(origin=f"re3d:{d.id}", text=d.text, title=d.title, single_article=True)
        articles.append((d, prepare(raw)))
    flat = [a for _d, arts in articles for a in arts]
    documents = iter(Extractor(settings).documents(flat))
    out: dict[str, list[SysEntity]] = {}
    for d, arts in articles:
        found: list[SysEntity] = []
        for _ in arts:
            sysdoc = next(documents)
            found.extend(_placed(d, sysdoc))
        out[d.id] = found
    return out


def _placed(d: Re3dDoc, sysdoc: Any) -> Iterable[SysEntity]:
    article = sysdoc.article
    for e in sysdoc.entities:
        kind = LABEL_TYPE.get(e.label)
        if kind is None:
            continue
        part = getattr(e, "part", None) or "body"
        if part == "body":
            begin = article.raw_offset(e.start)
            last = article.raw_offset(e.end - 1)
            if begin is None or last is None:
                continue
            end = last + 1
        elif part == "caption":
            index = getattr(e, "part_index", None) or 0
            caption = article.captions[index] if index < len(article.captions) else ""
            at = d.text.find(caption) if caption else -1
            if at < 0:
                continue  # a caption of the title or one rewritten by cleaning
            begin, end = at + e.start, at + e.end
        else:
            continue  # a dateline's entities have no place in re3d's text
        yield SysEntity(kind, begin, end, e.text, e.name,
                        e.resolution.method if e.resolution else None, part)


def _groups(gold: Sequence[Re3dEntity]) -> list[list[Re3dEntity]]:
    """Gold spans of one type that overlap each other, as one mention (step 3)."""
    out: list[list[Re3dEntity]] = []
    for g in sorted(set(gold), key=lambda x: (x.type, x.begin, -x.end)):
        last = out[-1] if out else None
        if last and last[0].type == g.type and g.begin < max(x.end for x in last):
            last.append(g)
        else:
            out.append([g])
    return out


def score_document(gold: Sequence[Re3dEntity], system: Sequence[SysEntity]) -> dict[str, Any]:
    """Counts per type and the errors of one document."""
    groups = _groups([g for g in gold if g.value.strip()])
    values = {(g.type, common.normalise_name(g.value)) for g in gold}
    counts = {t: {"gold": 0, "system": 0, "found": 0, "correct": 0} for t in TYPES}
    errors: list[dict[str, Any]] = []
    for grp in groups:
        kind = grp[0].type
        counts[kind]["gold"] += 1
        lo, hi = min(g.begin for g in grp), max(g.end for g in grp)
        if any(s.type == kind and s.begin < hi and lo < s.end for s in system):
            counts[kind]["found"] += 1
        else:
            there = sorted({s.type for s in system if s.begin < hi and lo < s.end})
            errors.append({"doc": grp[0].doc, "error": "missed", "type": kind,
                           "gold": [g.value for g in grp], "begin": lo, "system_types_there": there})
    for s in system:
        counts[s.type]["system"] += 1
        overlap = any(g.type == s.type and g.begin < s.end and s.begin < g.end for g in gold)
        if overlap or (s.type, common.normalise_name(s.text)) in values:
            counts[s.type]["correct"] += 1
        else:
            other = sorted({g.type for g in gold if g.begin < s.end and s.begin < g.end})
            errors.append({"error": "spurious", "type": s.type, "text": s.text, "name": s.name,
                           "method": s.method, "part": s.part, "begin": s.begin,
                           "gold_types_there": other})
    return {"counts": counts, "errors": errors}


#: Words re3d marks as mentions that a name finder leaves alone: they stand for a person
#: or a body named elsewhere (or for the writer).
_PRONOUNS = frozenset({"i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her",
                       "it", "its", "they", "them", "their", "who", "whom", "which"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "this", "these", "those",
                          "that", "all", "some", "other", "both", "one", "many", "any", "each"})


def error_kind(err: dict[str, Any]) -> str:
    """The kind of one error, by its form: what sort of fix it calls for (step 4)."""
    if err["error"] == "spurious":
        return f"spurious {err.get('method') or 'unknown'}"
    text = max(err["gold"], key=len).strip()
    words = text.split()
    if text.lower() in _PRONOUNS:
        return "missed pronoun"
    if not any(ch.isalpha() for ch in text):
        return "missed number or mark"
    others = [t for t in err.get("system_types_there", []) if t != err["type"]]
    if others:
        return f"missed, found as {'/'.join(others)}"
    rest = words[1:] if words and words[0].lower() in _DETERMINERS else words
    if all(not w[:1].isupper() for w in rest if w[:1].isalpha()):
        return "missed common noun phrase"
    return "missed name"


def breakdown(errors: Sequence[dict[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """Error counts by split, type and kind."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for err in errors:
        kinds = out.setdefault(err["split"], {}).setdefault(err["type"], {})
        kind = error_kind(err)
        kinds[kind] = kinds.get(kind, 0) + 1
    return out


def _prf(c: dict[str, int]) -> dict[str, float | int]:
    p = c["correct"] / c["system"] if c["system"] else 0.0
    r = c["found"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": c["gold"], "system": c["system"], "found": c["found"], "correct": c["correct"],
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(docs: Sequence[Re3dDoc], gold: Sequence[Re3dEntity],
          system: dict[str, list[SysEntity]], test: set[str]) -> dict[str, Any]:
    """P/R/F1 per type for the dev and the test half."""
    report: dict[str, Any] = {"splits": {}, "errors": [], "documents": {}}
    for split in ("dev", "test"):
        chosen = [d for d in docs if (d.id in test) == (split == "test")]
        totals = {t: {"gold": 0, "system": 0, "found": 0, "correct": 0} for t in TYPES}
        for d in chosen:
            res = score_document([g for g in gold if g.doc == d.id], system.get(d.id, []))
            report["documents"][d.id] = {"split": split, "folder": d.folder, "title": d.title}
            for err in res["errors"]:
                report["errors"].append({"split": split, "doc": d.id, **err})
            for t in TYPES:
                for k, v in res["counts"][t].items():
                    totals[t][k] += v
        report["splits"][split] = {"documents": len(chosen), "types": {t: _prf(totals[t]) for t in TYPES}}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devsets", type=Path, default=DEFAULT_DEVSETS,
                        help="folder holding re3d/ (default ../shared/devsets beside the clone)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--errors", action="store_true", help="list every error")
    parser.add_argument("--breakdown", action="store_true", help="count the errors by kind (step 4)")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both",
                        help="which half the error list shows")
    parser.add_argument("--output", type=Path, default=None,
                        help="results file (default eval/results/re3d_entities.json)")
    args = parser.parse_args(argv)
    root = common.devsets_folder(args.devsets, "re3d")
    if root is None:
        return 2
    docs, gold = load_re3d(root)
    if not docs:
        print(f"no re3d documents under {root}", file=sys.stderr)
        return 2
    system = run_system(docs)
    report = score(docs, gold, system, test_ids(docs))
    path = common.write_results("re3d_entities", report, args.output)
    errors = [e for e in report["errors"] if args.split in ("both", e["split"])]
    if args.json:
        shown = {k: v for k, v in report.items() if k != "errors"}
        if args.errors:
            shown["errors"] = errors
        if args.breakdown:
            shown["breakdown"] = breakdown(errors)
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    rows = []
    for split, res in report["splits"].items():
        for t, m in res["types"].items():
            rows.append((f"{split} {t}", m["gold"], m["system"], m["precision"], m["recall"], m["f1"]))
    n = {s: r["documents"] for s, r in report["splits"].items()}
    common.print_table(f"re3d entities (dev {n['dev']} / test {n['test']} documents) → {path}",
                       ["split / type", "gold", "system", "P", "R", "F1"], rows)
    if args.errors:
        common.print_errors(errors)
    if args.breakdown:
        counts = breakdown(errors)
        rows = [(f"{split} {t}", kind, n) for split, types in counts.items() for t, kinds in sorted(types.items())
                for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])]
        common.print_table("re3d errors by kind", ["split / type", "kind", "count"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
