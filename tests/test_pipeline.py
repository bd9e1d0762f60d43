"""The whole flow on the corpus: documents out of ``extract``, entities and events stored."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opsroom.cli import app
from opsroom.config import Settings
from opsroom.errors import ArticleFailed, InputError
from opsroom.extractor import Extractor
from opsroom.ingest.readers import READERS, ReadOptions
from opsroom.models import Article, Document, RawDocument
from opsroom.pipeline import extract_documents, ingest
from opsroom.store import EventQuery, Store, search_events

runner = CliRunner()


def test_extract_prints_the_document_contract(corpus_files: list[Path]) -> None:
    result = runner.invoke(app, ["extract", str(corpus_files[3]), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.startswith("{")]
    doc = json.loads(line)
    assert set(doc) >= {"article", "entities", "events"}
    assert doc["article"]["published"] == "2017-10-28"
    text_of = {e["text"]: e for e in doc["entities"]}
    assert text_of["Albu Kamal"]["label"] == "PLACE"
    assert text_of["Albu Kamal"]["id"] == text_of["Abu Kamal"]["id"]
    assert text_of["Daesh"]["name"] == "Islamic State"
    for ent in doc["entities"]:
        assert {"text", "start", "end", "label"} <= set(ent)


def test_entity_spans_cite_the_article_text(corpus_files: list[Path]) -> None:
    for doc in extract_documents([corpus_files[0]]):
        for ent in doc.entities:
            # a caption's entity cites its caption; the body's cite the text
            cited = doc.article.captions[ent.part_index] if ent.part == "caption" else doc.article.text
            assert cited[ent.start:ent.end] == ent.text
        for ev in doc.events:
            for src in ev.sources:
                assert doc.article.text[src.start:src.end] == src.sentence


def test_ingest_stores_entities_and_events(corpus_dir: Path, store: Store, db_url: str) -> None:
    report = ingest([str(corpus_dir)], store, Settings(database_url=db_url))
    assert report.new == 14
    counts = store.counts()
    assert counts["entities"] > 300 and counts["events"] > 10
    items, total = search_events(store, EventQuery(country="Iraq", per_article=True))
    events = [it.event for it in items]
    assert total == len(events) and all(e.country == "Iraq" for e in events)
    assert all(e.sources for e in events)
    # A second run leaves every table as it was.
    again = ingest([str(corpus_dir)], store, Settings(database_url=db_url))
    assert again.new == 0 and store.counts() == counts


def test_events_command(corpus_dir: Path, db_url: str) -> None:
    assert runner.invoke(app, ["ingest", "--sample", "--db", db_url]).exit_code == 0
    result = runner.invoke(app, ["events", "--db", db_url, "--country", "Syria", "--json"])
    assert result.exit_code == 0
    rows = [json.loads(ln) for ln in result.output.splitlines() if ln.startswith("{")]
    assert rows and all(r["country"] == "Syria" for r in rows)
    table = runner.invoke(app, ["events", "--db", db_url, "--sub-type", "Air/drone strike"])
    assert table.exit_code == 0 and "events" in table.output


# -- one input's surprise is that input's failure ------------------------------------------------

PAGE = ("<html><head><title>Rockets hit Iraqi base</title></head><body><article>"
        "<h1>Rockets hit Iraqi base</h1><p>BAGHDAD (Reuters) - At least 14 rockets hit an Iraqi "
        "air base hosting U.S. forces on Wednesday, slightly wounding two people, the U.S.-led "
        "coalition said.</p></article></body></html>")


def _batch(tmp_path: Path, corpus_files: list[Path]) -> Path:
    """A folder of a page, a JSONL file and a corpus text file (one article each)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE, "utf-8")
    (folder / "good.txt").write_bytes(corpus_files[2].read_bytes())
    (folder / "lines.jsonl").write_text(json.dumps({
        "id": "d1", "text": "A drone struck a vehicle near Erbil airport on Friday, killing two "
                            "fighters, Kurdish officials said."}) + "\n", "utf-8")
    return folder


def _failures(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("failed:")]


def test_a_reader_that_raises_fails_its_file_only(tmp_path: Path, corpus_files: list[Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """What a user met when lxml_html_clean was missing: the whole batch stopped."""

    def broken(data: bytes, origin: str, opts: ReadOptions) -> Iterator[RawDocument]:
        raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")
        yield  # a generator, as every reader

    monkeypatch.setitem(READERS, ".html", broken)
    folder = _batch(tmp_path, corpus_files)
    db = f"sqlite:///{tmp_path / 'o.db'}"
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 1, result.output
    (line,) = _failures(result.output)
    assert line == (f"failed: {folder / 'page.html'}: reading failed: ImportError: lxml.html.clean "
                    "module is now a separate project lxml_html_clean")
    store = Store.open(db)
    assert store.counts()["articles"] == 2  # the JSONL line and the text file landed
    store.close()
    extracted = runner.invoke(app, ["extract", str(folder), "--format", "jsonl"])
    assert extracted.exit_code == 1
    assert len([ln for ln in extracted.output.splitlines() if ln.startswith("{")]) == 2
    (line,) = _failures(extracted.output)
    assert "page.html: reading failed: ImportError" in line


def test_a_cleaner_or_analysis_that_raises_fails_its_article_only(
        tmp_path: Path, corpus_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import opsroom.pipeline as pipeline

    real_prepare, real_analyse = pipeline.prepare, Extractor.analyse

    def prepare(raw: RawDocument, published: object = None) -> list[Article]:
        if raw.origin.endswith("page.html"):
            raise KeyError("no such block")
        return real_prepare(raw, published)  # type: ignore[arg-type]

    def analyse(self: Extractor, article: Article, doc: object) -> Document:
        if "Erbil" in article.text:
            raise ValueError("a span past the end\nof the text")
        return real_analyse(self, article, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "prepare", prepare)
    monkeypatch.setattr(Extractor, "analyse", analyse)
    folder = _batch(tmp_path, corpus_files)
    errors: list[InputError] = []
    store = Store.open(f"sqlite:///{tmp_path / 'o.db'}")
    report = ingest([folder], store, Settings(), on_error=errors.append)
    assert report.new == 1 and report.failed == 2
    by_origin = {e.origin: e.problem for e in errors}
    assert by_origin == {
        str(folder / "page.html"): "cleaning failed: KeyError: 'no such block'",
        f"{folder / 'lines.jsonl'}:1": "analysis failed: ValueError: a span past the end of the text",
    }
    (failed,) = [e for e in errors if isinstance(e, ArticleFailed)]
    assert store.get_article(failed.article_id) is None
    store.close()


def test_failures_cross_process_boundaries_intact() -> None:
    """Dask brings a worker's ``ArticleFailed`` back by pickling it."""
    err = ArticleFailed("a.txt#2", "analysis failed: ValueError: x", "abc123")
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), back.origin, back.problem, back.article_id, str(back)) == \
        (ArticleFailed, "a.txt#2", "analysis failed: ValueError: x", "abc123", str(err))
    assert isinstance(pickle.loads(pickle.dumps(InputError("b", "c"))), InputError)


def test_help_and_read_commands_do_not_load_the_models() -> None:
    """`opsroom --help` and the store's read commands start without spaCy or torch."""
    import subprocess
    import sys

    probe = ("import sys; from typer.testing import CliRunner; from opsroom.cli import app; "
             "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output; "
             "print(sorted(m for m in ('spacy', 'torch', 'sentence_transformers') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
