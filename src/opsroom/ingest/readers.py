"""Readers: turn files, folders and stdin into ``RawDocument``s.

Each reader yields documents or ``InputError``s, never raises for one bad item, so a
batch reports the bad file (or JSONL line, or WARC record) and goes on.  An exception
nobody planned for (a reader's bug, a library that fails to import) is reported the same
way, as the failure of the one input it happened on.

Limits are checked while reading, so refusing an input costs about what reading up to the
limit costs, never what the whole input would (see ``decode``):

- a whole-file input (text, HTML, feed) may hold ``max_bytes``, inflated if gzipped;
- a record stream (JSON Lines, WARC) is limited per record: a JSON line or a WARC record
  may hold ``max_bytes``.  A JSONL file may be any size; a WARC file, read whole by
  warcio, may hold ``max_bytes``.  Gzipped, either may inflate to ``MAX_EXPANSION``
  times its size (at least ``max_bytes``);
- a text line, and the text of an article a reader isolates (HTML page, feed item, JSONL
  record, WARC record), may hold ``max_chars`` characters, the cleaner's article limit.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import logging
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from ..errors import EmptyInput, InputError, UnsupportedInput, unexpected
from ..models import Document, RawDocument
from .clean import MAX_ARTICLE_CHARS
from .decode import (
    CHUNK,
    GunzipStream,
    check_not_binary,
    decode_text,
    gunzip_bounded,
    read_text_stream,
    sniff_codec,
    too_large,
)

log = logging.getLogger(__name__)

#: A ``Document`` is a document-contract JSONL line, analysed already.
ReadResult = RawDocument | Document | InputError

#: Default cap on one input file: 20 MB is ~3,000 wire articles of text; a bigger single
#: file is almost always a mistake (a database dump, a video) and would be held in memory.
DEFAULT_MAX_BYTES = 20 * 2**20

#: How many times its own size a gzipped record stream may inflate to.  Real text and
#: HTML compress 3-10 times (the sample corpus 2.7, crawl archives about 5); a bomb
#: ~1,000 times.  Without a bound, a 10 MB archive of many records, each under the record
#: limit, would be inflated and parsed for gigabytes.
MAX_EXPANSION = 32


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read."""

    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None
    #: Longest line of a text input, and longest article text of a record, in characters.
    max_chars: int = MAX_ARTICLE_CHARS


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


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc


def _check_size(path: Path, limit: int) -> None:
    size = _file_size(path)
    if size > limit:
        raise InputError(
            str(path),
            f"file too large ({size / 2**20:.1f} MB > {limit / 2**20:.0f} MB limit; "
            "split it or raise --max-mb)",
        )


def _read_bytes(path: Path, opts: ReadOptions) -> bytes:
    origin = str(path)
    _check_size(path, opts.max_bytes)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(origin, f"cannot read: {exc.strerror}") from exc
    if path.suffix.lower() == ".gz":
        data = gunzip_bounded(data, origin, opts.max_bytes)
    return data


def _check_article_text(text: str, where: str, opts: ReadOptions) -> None:
    """Refuse, before any cleaning, the text of one article that the cleaner would refuse."""
    if len(text) > opts.max_chars:
        raise InputError(where, f"article text too long ({len(text):,} characters "
                                f"> {opts.max_chars:,}): not one news article")


def read_text(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """A plain text file: one raw document, split into articles later."""
    yield from read_text_from(io.BytesIO(data), origin, opts)


def read_text_from(stream: BinaryIO, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """A text stream, its limits (size, line length) checked while it is read."""
    text = read_text_stream(stream, origin, opts.encoding, opts.max_bytes, opts.max_chars)
    yield RawDocument(origin=origin, text=text)


def read_html(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """An HTML page: main text and metadata through trafilatura."""
    html = decode_text(data, origin, opts.encoding)
    yield _html_document(html, origin, opts)


def _html_document(html: str, origin: str, opts: ReadOptions, url: str | None = None) -> RawDocument:
    from trafilatura import bare_extraction
    from trafilatura.settings import Document as PageDocument

    doc = bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if not isinstance(doc, PageDocument):  # only an as_dict call returns a dict
        raise EmptyInput(origin, "HTML page holds no article text")
    text = doc.text
    if not text or not text.strip():
        raise EmptyInput(origin, "HTML page holds no article text")
    _check_article_text(text, origin, opts)
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
    yield from read_jsonl_from(io.BufferedReader(io.BytesIO(data)), origin, opts)


def read_jsonl_from(stream: io.BufferedReader, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """JSON Lines read one record at a time; each line may hold ``max_bytes``.

    A JSONL file is a stream of records, so a record over the limit is that record's
    failure (skipped in bounded steps, never held), not the file's; the lines around it
    land.
    """
    head = stream.peek(4096)[:4096]
    codec = sniff_codec(head, origin, opts.encoding)
    if codecs.encode("\n{", codec) != b"\n{":  # UTF-16/32: lines cannot be cut as bytes
        yield from _jsonl_records(_wide_lines(stream, origin, codec, opts), origin, opts)
        return
    check_not_binary(head.decode(codec, errors="replace"), origin)
    yield from _jsonl_records(_byte_lines(stream, origin, codec, opts), origin, opts)


def _wide_lines(stream: BinaryIO, origin: str, codec: str,
                opts: ReadOptions) -> Iterator[tuple[int, str | InputError]]:
    """Lines of a UTF-16/32 file, read whole (within ``max_bytes``) as before."""
    data = stream.read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        raise InputError(origin, too_large(opts.max_bytes))
    text = decode_text(data, origin, codec)
    yield from enumerate(text.split("\n"), start=1)


def _byte_lines(stream: io.BufferedReader, origin: str, codec: str,
                opts: ReadOptions) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text or the line's error) of an ASCII-compatible file, line by line."""
    limit = opts.max_bytes
    lineno = 0
    while line := stream.readline(limit + 1):
        lineno += 1
        where = f"{origin}:{lineno}"
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(CHUNK)) and not rest.endswith(b"\n"):
                pass  # the rest of the record is read and dropped, a chunk at a time
            yield lineno, InputError(where, f"record larger than the {limit / 2**20:g} MB limit "
                                            "(split it or raise --max-mb)")
            continue
        if lineno == 1 and codec == "utf-8" and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        if not line.strip():
            yield lineno, ""
            continue
        try:
            yield lineno, line.decode(codec)
        except UnicodeDecodeError as exc:
            problem = (f"invalid UTF-8 at byte {exc.start} of the line (0x{line[exc.start]:02x}); "
                       "pass --encoding to read another encoding" if codec in ("utf-8", "utf-8-sig")
                       else f"cannot decode as {codec}: {exc.reason} at byte {exc.start} of the line")
            yield lineno, InputError(where, problem)


_JSONL_FIELDS = {"id": str, "title": str, "text": str, "published": str, "source": str, "url": str}


def _jsonl_records(lines: Iterator[tuple[int, str | InputError]], origin: str,
                   opts: ReadOptions) -> Iterator[ReadResult]:
    seen = False
    for lineno, line in lines:
        if isinstance(line, InputError):
            seen = True
            yield line
            continue
        if not line.strip():
            continue
        seen = True
        where = f"{origin}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield InputError(where, "malformed JSON (nested too deeply)")
            continue
        del line
        if not isinstance(record, dict):
            yield InputError(where, "a JSONL line must be an object")
            continue
        if "article" in record:  # a document-contract line (opsroom export): stored as given
            from .documents import document_from_json

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
        try:
            _check_article_text(record["text"], where, opts)
        except InputError as exc:
            yield exc
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
    if not seen:
        raise EmptyInput(origin, "empty file: no text to ingest")


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

            try:
                body = html2txt(body) or ""
            except Exception as exc:  # noqa: BLE001 - one item's failure, not the feed's
                yield unexpected(where, "reading", exc)
                continue
        if not body.strip():
            yield EmptyInput(where, "feed item has no text")
            continue
        try:
            _check_article_text(body, where, opts)
        except InputError as exc:
            yield exc
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


def _warc_stream(data: bytes, origin: str, opts: ReadOptions) -> BinaryIO:
    """The archive as warcio should read it: a gzipped one is inflated here, on demand.

    warcio inflates each gzip member in steps it does not bound and, to move past a record,
    reads it to its end; a 10 GiB record took ~27 s of CPU before any limit could refuse it.
    Handed the inflated stream instead, warcio reads a plain archive, and ``GunzipStream``
    stops at ``MAX_EXPANSION`` times the file's size, or at a line longer than any record
    may be (warcio reads a WARC or HTTP header line whole, however long).
    """
    if data[:2] != b"\x1f\x8b":
        return io.BytesIO(data)
    cap = max(opts.max_bytes, MAX_EXPANSION * len(data))
    # Twice the record limit: no record passing its own check holds such a line, and the
    # record check, at the limit, always comes first.
    stream = GunzipStream(io.BytesIO(data), origin, cap, max_line=2 * opts.max_bytes,
                          limit_problem=f"gzip expands more than {MAX_EXPANSION} times its size: "
                                        "refused as a decompression bomb")
    return cast(BinaryIO, stream)


def _warc_html_records(data: bytes, origin: str,
                       opts: ReadOptions) -> Iterator[tuple[str, bytes | InputError]]:
    """(target URI, payload or its error) of every HTML response record.

    A broken archive is an InputError.  warcio reports a damaged record with whatever
    exception its parser meets (a missing header gives ``AttributeError``, a cut one
    ``ValueError`` or ``EOFError``), so those are turned into one clear error here, around
    the parsing only.  A record over ``max_bytes`` is refused after reading ``max_bytes``
    of it, and the archive is read no further: moving past the record would mean
    inflating all of it.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    broken = (ArchiveLoadFailed, StatusAndHeadersParserException, AttributeError, ValueError,
              TypeError, IndexError, KeyError, EOFError, OSError, zlib.error)
    limit = opts.max_bytes
    try:
        for record in ArchiveIterator(_warc_stream(data, origin, opts)):
            if record.rec_type != "response":
                continue
            http = record.http_headers
            ctype = http.get_header("Content-Type") if http else ""
            if ctype and "html" not in ctype:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            encoding = ((http.get_header("Content-Encoding") if http else None) or "").strip().lower()
            if encoding == "br":
                # warcio inflates brotli (when installed) in steps no limit can bound.
                yield url, InputError(f"{origin}#{url}", "brotli-encoded record is not read")
                continue
            payload = record.content_stream().read(limit + 1)
            if len(payload) > limit:
                yield url, InputError(f"{origin}#{url}", f"record larger than the {limit / 2**20:g} MB "
                                                         "limit; the rest of the archive is not read")
                return
            yield url, payload
    except broken as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(origin, f"not a readable WARC file: {detail[:200]}") from exc


def read_warc(data: bytes, origin: str, opts: ReadOptions) -> Iterator[ReadResult]:
    """A WARC file: one document per HTML response record."""
    found = 0
    for url, payload in _warc_html_records(data, origin, opts):
        where = f"{origin}#{url}"
        found += 1
        if isinstance(payload, InputError):
            yield payload
            continue
        try:
            html = decode_text(payload, where)
            yield _html_document(html, where, opts, url=url or None)
        except InputError as exc:
            yield exc
        except Exception as exc:  # noqa: BLE001 - one record's failure, not the archive's
            log.debug("reading %s failed", where, exc_info=True)
            yield unexpected(where, "reading", exc)
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


def _open(path: Path, limit: int, limit_problem: str | None = None) -> io.BufferedReader:
    """The file as a buffered byte stream; a ``.gz`` one inflated on demand up to ``limit``."""
    try:
        fh = open(path, "rb", buffering=CHUNK)  # closed by the caller's with
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    if path.suffix.lower() != ".gz":
        return cast(io.BufferedReader, fh)
    return io.BufferedReader(GunzipStream(fh, str(path), limit, limit_problem=limit_problem), CHUNK)


def _read_file(path: Path, opts: ReadOptions) -> Iterator[ReadResult]:
    origin = str(path)
    try:
        reader = reader_for(path)
        if reader is read_text:
            if path.suffix.lower() != ".gz":
                _check_size(path, opts.max_bytes)
            with _open(path, opts.max_bytes) as stream:
                yield from read_text_from(stream, origin, opts)
        elif reader is read_jsonl:
            # Limited per record; gzipped, the whole may inflate MAX_EXPANSION times its size.
            cap = max(opts.max_bytes, MAX_EXPANSION * _file_size(path))
            problem = f"gzip expands more than {MAX_EXPANSION} times its size: refused as a decompression bomb"
            with _open(path, cap, problem) as stream:
                yield from read_jsonl_from(stream, origin, opts)
        elif reader is read_warc:
            # Read as stored: a gzipped archive is inflated record by record, bounded, by the reader.
            _check_size(path, opts.max_bytes)
            yield from reader(path.read_bytes(), origin, opts)
        else:
            yield from reader(_read_bytes(path, opts), origin, opts)
    except InputError as exc:
        yield exc
    except Exception as exc:  # noqa: BLE001 - a reader's surprise is this file's failure only
        log.debug("reading %s failed", origin, exc_info=True)
        yield unexpected(origin, "reading", exc)


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
            try:
                yield from read_text_from(sys.stdin.buffer, "<stdin>", opts)
            except InputError as exc:
                yield exc
            except Exception as exc:  # noqa: BLE001 - as for a file
                yield unexpected("<stdin>", "reading", exc)
        else:
            yield from _read_file(item, opts)
