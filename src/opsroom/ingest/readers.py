"""Readers: turn files, folders and stdin into ``RawDocument``s.

Each reader yields documents or ``InputError``s, never raises for one bad item, so a
batch reports the bad file (or JSONL line, or WARC record) and goes on.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import EmptyInput, InputError, UnsupportedInput
from ..models import Document, RawDocument
from .decode import decode_text, gunzip_bounded

#: A ``Document`` is a document-contract JSONL line, analysed already.
ReadResult = RawDocument | Document | InputError

#: Default cap on one input file: 20 MB is ~3,000 wire articles of text; a bigger single
#: file is almost always a mistake (a database dump, a video) and would be held in memory.
DEFAULT_MAX_BYTES = 20 * 2**20


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read."""

    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None


def parse_date(value: object) -> dt.date | None:
    """A date from metadata (ISO string, datetime, struct_time); None when unusable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            import dateparser

            parsed = dateparser.parse(value, languages=["en"])
            return parsed.date() if parsed else None
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _read_bytes(path: Path, opts: ReadOptions) -> bytes:
    origin = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(origin, f"cannot read: {exc.strerror}") from exc
    if size > opts.max_bytes:
        raise InputError(
            origin,
            f"file too large ({size / 2**20:.1f} MB > {opts.max_bytes / 2**20:.0f} MB limit; "
            "split it or raise --max-mb)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(origin, f"cannot read: {exc.strerror}") from exc
    if path.suffix == ".gz":
        data = gunzip_bounded(data, origin, opts.max_bytes)
    return data


def read_text(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """A plain text file: one raw document, split into articles later."""
    yield RawDocument(origin=origin, text=decode_text(data, origin, opts.encoding))


def read_html(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """An HTML page: main text and metadata through trafilatura."""
    html = decode_text(data, origin, opts.encoding)
    yield _html_document(html, origin)


def _html_document(html: str, origin: str, url: str | None = None) -> RawDocument:
    from trafilatura import bare_extraction
    from trafilatura.settings import Document as PageDocument

    doc = bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if not isinstance(doc, PageDocument):  # only an as_dict call returns a dict
        raise EmptyInput(origin, "HTML page holds no article text")
    text = doc.text
    if not text or not text.strip():
        raise EmptyInput(origin, "HTML page holds no article text")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    title = doc.title
    # trafilatura repeats the <h1> as the first line of text; the cleaner drops it.
    return RawDocument(
        origin=origin,
        text=text,
        title=title,
        published=parse_date(doc.date),
        source=doc.sitename or None,
        url=doc.url or url,
        authors=authors,
        single_article=True,
    )


_JSONL_FIELDS = {"id": str, "title": str, "text": str, "published": str, "source": str, "url": str}


def read_jsonl(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """JSON Lines of ``{"id","title","text","published","source","url"}``; only text required.

    A line with an ``"article"`` key is a document-contract line (``opsroom export``) and
    is read as the ``Document`` it states, to be stored without re-extraction.
    """
    text = decode_text(data, origin, opts.encoding)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "a JSONL line must be an object")
            continue
        if "article" in record:  # a document-contract line (opsroom export): stored as given
            from ..export.documents import document_from_json

            try:
                yield document_from_json(record, where)
            except InputError as exc:
                yield exc
            continue
        bad = [
            f"{key} must be a string"
            for key, typ in _JSONL_FIELDS.items()
            if record.get(key) is not None and not isinstance(record[key], typ)
        ]
        if bad:
            yield InputError(where, "; ".join(bad))
            continue
        if not (record.get("text") or "").strip():
            yield EmptyInput(where, "record has no text")
            continue
        published = record.get("published")
        date = parse_date(published)
        if published and date is None:
            yield InputError(where, f"unreadable published date {published!r}")
            continue
        yield RawDocument(
            origin=where,
            text=record["text"],
            title=record.get("title"),
            published=date,
            source=record.get("source"),
            url=record.get("url"),
            external_id=record.get("id"),
            single_article=True,
        )


def read_feed(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """An RSS or Atom feed file: one document per item."""
    import feedparser
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    # feedparser's own parser does not expand external entities, but we refuse any
    # document that declares them before it gets there (XXE, billion laughs).
    try:
        SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(
            origin, f"feed declares forbidden XML entities ({type(exc).__name__})"
        ) from exc
    except SafeET.ParseError:
        pass  # feedparser copes with many malformed feeds; let it try.
    feed = feedparser.parse(io.BytesIO(data))
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(origin, f"not a readable feed{f' ({reason})' if reason else ''}")
    for i, entry in enumerate(feed.entries, start=1):
        where = f"{origin}#{i}"
        body = ""
        if entry.get("content"):
            body = entry["content"][0].get("value", "")
        # feedparser leaves a value or summary as None in some broken feeds.
        body = body or entry.get("summary") or ""
        if not isinstance(body, str):
            body = str(body)
        if "<" in body:
            from trafilatura import html2txt

            body = html2txt(body) or ""
        if not body.strip():
            yield EmptyInput(where, "feed item has no text")
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        author = entry.get("author")
        yield RawDocument(
            origin=where,
            text=body,
            title=entry.get("title"),
            published=parse_date(published),
            source=feed.feed.get("title"),
            url=entry.get("link"),
            authors=[author] if author else [],
            external_id=entry.get("id"),
            single_article=True,
        )


def _warc_html_records(data: bytes, origin: str, opts: ReadOptions) -> Iterator[tuple[str, bytes]]:
    """(target URI, payload) of every HTML response record; a broken archive is an InputError.

    warcio reports a damaged record with whatever exception its parser meets (a missing
    header gives ``AttributeError``, a cut one ``ValueError`` or ``EOFError``), so those
    are turned into one clear error here, around the parsing only.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    broken = (ArchiveLoadFailed, StatusAndHeadersParserException, AttributeError, ValueError,
              TypeError, IndexError, KeyError, EOFError, OSError, zlib.error)
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response":
                continue
            ctype = record.http_headers.get_header("Content-Type") if record.http_headers else ""
            if ctype and "html" not in ctype:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            yield url, record.content_stream().read(opts.max_bytes + 1)
    except broken as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(origin, f"not a readable WARC file: {detail[:200]}") from exc


def read_warc(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """A WARC file: one document per HTML response record."""
    found = 0
    for url, payload in _warc_html_records(data, origin, opts):
        where = f"{origin}#{url}"
        found += 1
        if len(payload) > opts.max_bytes:
            yield InputError(where, f"record larger than the {opts.max_bytes / 2**20:g} MB limit")
            continue
        try:
            html = decode_text(payload, where)
            yield _html_document(html, where, url=url or None)
        except InputError as exc:
            yield exc
    if not found:
        raise EmptyInput(origin, "WARC file holds no HTML response records")


Reader = Callable[[bytes, str, ReadOptions], Iterator[ReadResult]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
    ".warc": read_warc,
}


def reader_for(path: Path) -> Reader:
    """The reader for a file name (``.gz`` suffixes look through to the inner type)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in READERS:
        return READERS[ext]
    raise UnsupportedInput(
        str(path), f"unsupported file type {ext or '(no extension)'!r}; "
        f"expected one of {', '.join(sorted(READERS))} (optionally .gz)"
    )


def _read_file(path: Path, opts: ReadOptions) -> Iterator[ReadResult]:
    try:
        reader = reader_for(path)
        if path.suffix.lower() == ".gz" and reader is read_warc:
            # warcio reads gzip members itself and bounds each record.
            data = path.read_bytes() if path.stat().st_size <= opts.max_bytes else None
            if data is None:
                raise InputError(str(path), "file too large")
        else:
            data = _read_bytes(path, opts)
        yield from reader(data, str(path), opts)
    except InputError as exc:
        yield exc


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Expand folders recursively (sorted, hidden files skipped); report missing paths."""
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield path
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.parts[-1:]):
                    yield child
        elif path.is_file():
            yield path
        else:
            yield InputError(str(path), "no such file or folder")


def read_inputs(
    paths: Iterable[str | Path], opts: ReadOptions | None = None
) -> Iterator[ReadResult]:
    """Every raw document (or error) from files, folders, or ``-`` for stdin."""
    opts = opts or ReadOptions()
    for item in iter_paths(paths):
        if isinstance(item, InputError):
            yield item
        elif str(item) == "-":
            data = sys.stdin.buffer.read(opts.max_bytes + 1)
            if len(data) > opts.max_bytes:
                yield InputError("<stdin>", "input too large")
                continue
            try:
                yield from read_text(data, "<stdin>", opts)
            except InputError as exc:
                yield exc
        else:
            yield from _read_file(item, opts)
