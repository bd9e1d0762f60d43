"""The whole flow on the corpus: documents out of ``extract``, entities and events stored."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from opsroom.cli import app
from opsroom.config import Settings
from opsroom.pipeline import extract_documents, ingest
from opsroom.store import EventFilter, Store

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
    events, total = store.list_events(EventFilter(country="Iraq", limit=500))
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
    table = runner.invoke(app, ["events", "--db", db_url, "--type", "strike"])
    assert table.exit_code == 0 and "events" in table.output
