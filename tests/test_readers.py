"""Every reader, and the clear one-line errors that bad inputs give."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest

from opsroom.errors import InputError
from opsroom.ingest import read_inputs
from opsroom.ingest.readers import ReadOptions
from opsroom.models import RawDocument

LEAD = ("BAGHDAD (Reuters) -At least 14 rockets hit an Iraqi air base hosting U.S. and other "
        "international forces on Wednesday, slightly wounding two people, the U.S.-led coalition "
        "said.")


def read_all(*paths: Path | str, **opts: object) -> list[RawDocument | InputError]:
    return list(read_inputs([str(p) for p in paths], ReadOptions(**opts)))  # type: ignore[arg-type]


def test_text_and_folder(corpus_dir: Path) -> None:
    docs = read_all(corpus_dir)
    assert len(docs) == 5 and all(isinstance(d, RawDocument) for d in docs)


def test_html_through_trafilatura(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Rockets hit Iraqi base</title>"
        "<meta name='author' content='Ahmed Rasheed'>"
        "<meta property='article:published_time' content='2021-07-07T10:00:00Z'></head>"
        f"<body><nav>Home | World</nav><article><h1>Rockets hit Iraqi base</h1><p>{LEAD}</p>"
        "<p>Two people were slightly wounded in the rocket attack on the Ain al-Asad air base "
        "in western Iraq, a spokesman said.</p></article>"
        "<footer>Leave a Reply</footer></body></html>",
        "utf-8",
    )
    (doc,) = read_all(page)
    assert isinstance(doc, RawDocument)
    assert doc.title == "Rockets hit Iraqi base"
    assert doc.authors == ["Ahmed Rasheed"]
    assert doc.published == dt.date(2021, 7, 7)
    assert "Ain al-Asad" in doc.text and "Home | World" not in doc.text


def test_jsonl_with_one_bad_line(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    f.write_text(
        json.dumps({"id": "a1", "title": "T", "text": LEAD, "published": "2021-07-07",
                    "source": "Reuters"}) + "\n"
        + '{"text": "unterminated\n'
        + json.dumps({"text": 42}) + "\n"
        + json.dumps({"text": "Only text is required here, and it is enough."}) + "\n",
        "utf-8",
    )
    items = read_all(f)
    good = [i for i in items if isinstance(i, RawDocument)]
    bad = [i for i in items if isinstance(i, InputError)]
    assert len(good) == 2 and len(bad) == 2
    assert good[0].published == dt.date(2021, 7, 7) and good[0].external_id == "a1"
    assert str(bad[0]).startswith(f"{f}:2: malformed JSON")
    assert str(bad[1]) == f"{f}:3: text must be a string"


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Rockets hit base</title><link>http://example.org/a</link>
<pubDate>Wed, 07 Jul 2021 10:00:00 GMT</pubDate><description>{lead}</description></item>
</channel></rss>"""


def test_rss_feed(tmp_path: Path) -> None:
    f = tmp_path / "feed.rss"
    f.write_text(RSS.format(lead=LEAD), "utf-8")
    (doc,) = read_all(f)
    assert isinstance(doc, RawDocument)
    assert doc.published == dt.date(2021, 7, 7) and doc.source == "Wire"
    assert doc.url == "http://example.org/a"


def test_atom_feed(tmp_path: Path) -> None:
    f = tmp_path / "feed.atom"
    f.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>'
        "<entry><title>Rockets</title><id>urn:1</id><updated>2021-07-07T10:00:00Z</updated>"
        f"<content type='text'>{LEAD}</content></entry></feed>",
        "utf-8",
    )
    (doc,) = read_all(f)
    assert isinstance(doc, RawDocument) and doc.external_id == "urn:1"


def test_feed_with_external_entity_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "evil.xml"
    f.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><item><description>&x;</description></item></channel></rss>",
        "utf-8",
    )
    (err,) = read_all(f)
    assert isinstance(err, InputError) and "forbidden XML entities" in str(err)


def _warc(path: Path, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        html = (f"<html><head><title>Rockets</title></head><body><article><p>{LEAD}</p>"
                "<p>Three rockets also landed on Ain al-Asad on Monday without causing "
                "casualties, officials said.</p></article></body></html>").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        rec = writer.create_warc_record("http://example.org/rockets", "response",
                                        payload=io.BytesIO(html), http_headers=headers)
        writer.write_record(rec)


@pytest.mark.parametrize("name,gz", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc(tmp_path: Path, name: str, gz: bool) -> None:
    f = tmp_path / name
    _warc(f, gz)
    (doc,) = read_all(f)
    assert isinstance(doc, RawDocument)
    assert doc.url == "http://example.org/rockets" and "Ain al-Asad" in doc.text


def test_gzipped_text(tmp_path: Path) -> None:
    f = tmp_path / "a.txt.gz"
    f.write_bytes(gzip.compress(LEAD.encode()))
    (doc,) = read_all(f)
    assert isinstance(doc, RawDocument) and doc.text == LEAD


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        ("empty.txt", b"", "empty file"),
        ("latin.txt", "Rockets hit Qayyara on Tuesday, the caf\xe9 owner said".encode("latin-1"),
         "invalid UTF-8 at byte"),
        ("truncated.txt.gz", gzip.compress(LEAD.encode() * 50)[:-30], "truncated gzip"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    (err,) = read_all(f)
    assert isinstance(err, InputError)
    text = str(err)
    assert text.startswith(str(f)) and message in text and "\n" not in text


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(50 * 2**20)
    (err,) = read_all(f)
    assert isinstance(err, InputError) and "file too large (50.0 MB" in str(err)


def test_gzip_bomb_is_bounded(tmp_path: Path) -> None:
    f = tmp_path / "bomb.txt.gz"
    f.write_bytes(gzip.compress(b"Rockets hit the base.\n" * (30 * 2**20 // 22)))
    (err,) = read_all(f, max_bytes=2**20)
    assert isinstance(err, InputError) and "expands past" in str(err)


def test_missing_path() -> None:
    (err,) = read_all("/nonexistent/article.txt")
    assert isinstance(err, InputError) and "no such file" in str(err)


def test_utf16_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes(LEAD.encode("utf-16"))
    (doc,) = read_all(f)
    assert isinstance(doc, RawDocument) and doc.text == LEAD


def test_explicit_encoding(tmp_path: Path) -> None:
    f = tmp_path / "cp.txt"
    f.write_bytes("Le café de Mossoul a rouvert après les combats du quartier".encode("cp1252"))
    (doc,) = read_all(f, encoding="cp1252")
    assert isinstance(doc, RawDocument) and "café" in doc.text
