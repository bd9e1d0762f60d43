"""Hostile and broken input: every reader, the splitter/cleaner and the extractor.

The property under test, for every case: the input ends in a clear ``InputError`` (one
line, naming the input) or in a correct result; never another exception, a hang, or
memory that grows without bound.  Hypothesis generates the ordinary cases; the big ones
(HTML and gzip bombs, a 10 MB line) are built by hand and run under a time limit and
``tracemalloc``.  Case counts are recorded in docs/robustness.md
(``pytest tests/test_hostile_input.py --hypothesis-show-statistics``).
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import json
import signal
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsroom.errors import InputError
from opsroom.ingest import prepare, readers
from opsroom.ingest.clean import MAX_ARTICLE_CHARS
from opsroom.ingest.decode import CHUNK, GunzipStream, gunzip_bounded
from opsroom.ingest.readers import (
    ReadOptions,
    read_feed,
    read_html,
    read_inputs,
    read_jsonl,
    read_text,
    read_text_from,
    read_warc,
)
from opsroom.models import Article, Document, RawDocument

from .bombs import gzip_fill, warc_record

OPTS = ReadOptions(max_bytes=2**20)
READERS = {"text": read_text, "html": read_html, "jsonl": read_jsonl, "feed": read_feed,
           "warc": read_warc}

#: Hypothesis budget per fast property: enough to reach the odd branches of each reader
#: in a few seconds; the suite's total stays within its time box.
FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Real lines of the corpus, so generated text also looks like wire copy (datelines,
# credits, captions) and reaches the splitter's branches, not only its "furniture" exit.
WIRE_LINES = [
    "Iraqi forces retake Rawa, last town held by Islamic State",
    "BAGHDAD (Reuters) - Iraqi forces recaptured the last town held by Islamic State on "
    "Friday, the military said.",
    "BEIRUT: Syrian government forces and their allies took full control of Albu Kamal, "
    "a monitor said on Sunday.",
    "(Reporting by Maher Chmaytelli; Editing by Janet Lawrence)",
    "By Ahmed Rasheed",
    "November 17, 2017",
    "FILE PHOTO: Iraqi security forces gather near Al Qaim, Iraq November 3, 2017. "
    "REUTERS/Stringer",
    "قال مسؤولون إن القوات العراقية استعادت راوة",
    "Reuters",
]

text_with_scripts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(list("\n\n\n  .,:-()")),
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),  # Arabic
    ),
    max_size=400,
)
wire_text = st.lists(st.one_of(st.sampled_from(WIRE_LINES), text_with_scripts), max_size=12).map(
    "\n".join
)
#: Paragraphs of prose from corpus words and random tokens: body text the parser must chew.
_WORDS = sorted({w for line in WIRE_LINES for w in line.split()})
prose = st.lists(
    st.lists(st.sampled_from(_WORDS) | text_with_scripts.map(lambda t: t.replace("\n", " ")),
             min_size=8, max_size=40).map(lambda ws: " ".join(ws) + "."),
    min_size=1, max_size=6,
).map("\n".join)


class Hang(Exception):
    """A case ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail a case that runs longer than ``seconds`` (SIGALRM; the tests run in the main thread)."""

    def expired(_sig: int, _frame: object) -> None:
        raise Hang(f"ran past {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_error(err: InputError, origin: str) -> None:
    """A clear error: one line that starts with the input's name."""
    message = str(err)
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(origin), message
    assert err.problem.strip(), message


def outcomes(results: Iterable[object], origin: str, seconds: float = 20) -> list[object]:
    """Everything a reader gives, errors checked; a raised ``InputError`` is an outcome too."""
    out: list[object] = []
    with time_limit(seconds):
        try:
            for item in results:
                if isinstance(item, InputError):
                    check_error(item, origin)
                else:
                    assert isinstance(item, RawDocument | Document), type(item)
                    if isinstance(item, RawDocument):
                        assert item.text.strip() and item.origin.startswith(origin)
                out.append(item)
        except InputError as err:
            check_error(err, origin)
            out.append(err)
    return out


def check_article(article: Article, raw: str) -> None:
    """A correct article: body text, and an offset map that points back into ``raw``."""
    assert article.text.strip()
    assert len(article.text) <= MAX_ARTICLE_CHARS
    for seg in article.offset_map:
        assert article.text[seg.clean_start:seg.clean_start + seg.length] == \
            raw[seg.raw_start:seg.raw_start + seg.length]


# -- 1. random bytes into every reader ------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(READERS))
@FAST
@given(data=st.binary(max_size=4096))
def test_random_bytes_every_reader(kind: str, data: bytes) -> None:
    origin = f"random.{kind}"
    outcomes(READERS[kind](data, origin, OPTS), origin)


@FAST
@given(data=st.binary(max_size=4096))
def test_random_bytes_gunzip(data: bytes) -> None:
    try:
        out = gunzip_bounded(data, "random.gz", OPTS.max_bytes)
    except InputError as err:
        check_error(err, "random.gz")
    else:
        assert len(out) <= OPTS.max_bytes


@FAST
@given(data=st.binary(max_size=2048), members=st.integers(1, 3))
def test_gzip_round_trip(data: bytes, members: int) -> None:
    member = gzip.compress(data)
    packed = member * members
    assert gunzip_bounded(packed, "ok.gz", OPTS.max_bytes) == data * members
    # Cut inside the last member: a clear error, never a partial result passed off as whole.
    with pytest.raises(InputError) as info:
        gunzip_bounded(packed[:-1 - len(member) // 2], "cut.gz", OPTS.max_bytes)
    check_error(info.value, "cut.gz")


# -- 2. wrong encodings and mixed scripts -----------------------------------------------------

ENCODINGS = ["cp1256", "utf-16-le", "utf-16-be", "latin-1", "utf-8", "utf-8-sig", "utf-16"]


@FAST
@given(text=text_with_scripts, encoding=st.sampled_from(ENCODINGS))
def test_wrong_encodings_never_garbled(text: str, encoding: str) -> None:
    """Text decodes losslessly (UTF-8, or UTF with a BOM) or gives a clear error: never mojibake."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # the text cannot be written in this encoding at all
    (result,) = outcomes(read_text(data, "enc.txt", OPTS), "enc.txt")
    if isinstance(result, RawDocument):
        bom = next((b for b in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                    if data.startswith(b)), None)
        if bom is None:
            assert result.text == data.decode("utf-8")
        else:
            assert result.text == text


@FAST
@given(text=wire_text)
def test_given_encoding_is_used(text: str) -> None:
    """``--encoding cp1256`` reads Arabic written in cp1256; a wrong one gives a clear error."""
    try:
        data = text.encode("cp1256")
    except UnicodeEncodeError:
        return
    (result,) = outcomes(read_text(data, "ar.txt", ReadOptions(encoding="cp1256")), "ar.txt")
    if isinstance(result, RawDocument):
        assert result.text == text
    (other,) = outcomes(read_text(data, "ar.txt", ReadOptions(encoding="no-such-codec")), "ar.txt")
    assert isinstance(other, InputError)


@FAST
@given(text=wire_text, single=st.booleans())
def test_prepare_mixed_scripts_and_noise(text: str, single: bool) -> None:
    raw = RawDocument(origin="mixed.txt", text=text, single_article=single)
    with time_limit(20):
        try:
            articles = prepare(raw)
        except InputError as err:
            check_error(err, "mixed.txt")
            return
    for article in articles:
        check_article(article, text)
    assert len({a.id for a in articles}) == len(articles) or not single


def test_arabic_inside_english_is_kept() -> None:
    lead = ("BAGHDAD (Reuters) - Iraqi forces recaptured the town of Rawa, known in Arabic as "
            "راوة, from Islamic State militants on Friday, the military said in a statement.")
    (article,) = prepare(RawDocument(origin="mixed.txt", text=lead))
    assert "راوة" in article.text and article.dateline == "Baghdad"
    check_article(article, lead)


# -- 3. JSONL with wrong types ------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text_with_scripts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8,
)
jsonl_record = st.dictionaries(
    st.sampled_from(["id", "title", "text", "published", "source", "url", "article", "x"]),
    json_values | st.sampled_from(["2017-11-03", "November 3, 2017", "yesterday"]),
    max_size=6,
)


@FAST
@given(lines=st.lists(jsonl_record | json_values, max_size=6), junk=st.binary(max_size=40))
def test_jsonl_wrong_types(lines: list[object], junk: bytes) -> None:
    data = "\n".join(json.dumps(x) for x in lines).encode("utf-8") + b"\n" + junk
    results = outcomes(read_jsonl(data, "batch.jsonl", OPTS), "batch.jsonl")
    for item in results:
        if isinstance(item, RawDocument):
            for value in (item.title, item.source, item.url, item.external_id):
                assert value is None or isinstance(value, str)


# -- 4. feeds: well-formed, broken, and with entity declarations ---------------------------------


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


printable = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
                    min_size=1, max_size=200)


@FAST
@given(items=st.lists(st.tuples(printable, printable), max_size=4),
       doctype=st.sampled_from(["", "laughs", "xxe", "param"]))
def test_feeds_refuse_entities(items: list[tuple[str, str]], doctype: str) -> None:
    decl = {
        "": "",
        "laughs": '<!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
                  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        "xxe": '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "param": '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
    }[doctype]
    body = "".join(f"<item><title>{_xml(t)}</title><description>{_xml(d)}</description></item>"
                   for t, d in items)
    data = (f'<?xml version="1.0" encoding="utf-8"?>{decl}<rss version="2.0"><channel>'
            f"<title>Wire</title>{body}</channel></rss>").encode()
    results = outcomes(read_feed(data, "feed.rss", OPTS), "feed.rss")
    if doctype:
        (err,) = results
        assert isinstance(err, InputError) and "forbidden" in err.problem
        return
    docs = [r for r in results if isinstance(r, RawDocument)]
    for doc in docs:
        assert "/etc/passwd" not in doc.text and doc.source == "Wire"


# -- 5. WARC: random payloads in well-formed records ---------------------------------------------


def _warc(payloads: list[bytes], ctype: str = "text/html") -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i, payload in enumerate(payloads):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(
            f"http://example.org/{i}", "response", payload=io.BytesIO(payload),
            http_headers=headers))
    return buf.getvalue()


@FAST
@given(payloads=st.lists(st.binary(max_size=300) | wire_text.map(
    lambda t: f"<html><body><article><p>{_xml(t)}</p></article></body></html>".encode()),
    min_size=1, max_size=3), cut=st.integers(0, 400))
def test_warc_records(payloads: list[bytes], cut: int) -> None:
    data = _warc(payloads)
    outcomes(read_warc(data, "crawl.warc", OPTS), "crawl.warc")
    outcomes(read_warc(data[:-cut or None], "crawl.warc", OPTS), "crawl.warc")


# -- 6. the big cases: bombs and huge lines, under a time limit and tracemalloc -------------------


@contextlib.contextmanager
def peak_memory(limit_mb: float) -> Iterator[None]:
    """Fail when the Python heap grows past ``limit_mb`` inside the block."""
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit_mb * 2**20, f"peak {peak / 2**20:.0f} MB > {limit_mb} MB"


def test_html_bomb_deeply_nested() -> None:
    nested = 100_000
    page = (b"<html><body>" + b"<div>" * nested + b"<p>Iraqi forces said on Friday they had "
            b"recaptured Rawa from Islamic State militants.</p>" + b"</div>" * nested
            + b"</body></html>")
    # 80 MB: the parser's tree for a 1 MB page; measured 35 MB.
    with peak_memory(80):
        results = outcomes(read_html(page, "bomb.html", OPTS), "bomb.html", seconds=30)
    assert len(results) == 1


def test_html_bomb_unclosed_and_wide() -> None:
    unclosed = b"<html><body>" + b"<div><span><b>" * 60_000 + b"text"
    wide = b"<html><body>" + b"<p>Rawa was retaken on Friday by Iraqi forces.</p>" * 20_000
    with peak_memory(200):
        outcomes(read_html(unclosed, "unclosed.html", OPTS), "unclosed.html", seconds=30)
        outcomes(read_html(wide, "wide.html", ReadOptions()), "wide.html", seconds=60)


def test_gzip_bombs_are_bounded() -> None:
    limit = 4 * 2**20
    single = gzip.compress(b"\0" * (64 * 2**20))
    # A small first member followed by the bomb: every member counts against the limit.
    multi = gzip.compress(b"Iraqi forces retook Rawa.\n") + single
    many = gzip.compress(b"x" * (2**20)) * 8  # eight 1 MB members: 8 MB > 4 MB
    with peak_memory(3 * limit / 2**20 + 8):
        for name, bomb in (("single.gz", single), ("multi.gz", multi), ("many.gz", many)):
            with time_limit(10), pytest.raises(InputError) as info:
                gunzip_bounded(bomb, name, limit)
            check_error(info.value, name)
            assert "limit" in info.value.problem


def test_gzip_bomb_through_read_inputs(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 10) + gzip.compress(b"word " * (8 * 2**20)))
    with peak_memory(40):
        (err,) = list(read_inputs([bomb], ReadOptions(max_bytes=2**20)))
    assert isinstance(err, InputError) and err.origin == str(bomb)


def test_huge_line_is_refused_while_reading() -> None:
    """A line over the article limit is refused as it is read, not after decoding, splitting
    and cleaning the whole input (a 50 MB line once took 1.35 GB to refuse)."""
    huge = io.BytesIO(b"Iraqi forces advanced on Rawa " * (10 * 2**20 // 30))  # 10 MB, no newline
    with peak_memory(40):
        (err,) = outcomes(read_text_from(huge, "huge.txt", ReadOptions()), "huge.txt")
    assert isinstance(err, InputError) and "line too long" in err.problem
    assert huge.tell() <= MAX_ARTICLE_CHARS + 2 * CHUNK  # stopped soon after the limit


def test_one_article_over_the_limit_is_refused_clearly() -> None:
    """Lines of normal length making one article over the limit: the cleaner refuses it."""
    line = "Iraqi forces advanced on Rawa on Friday, the military said in a statement."
    text = "\n".join([line] * (MAX_ARTICLE_CHARS // len(line) + 100))
    (raw,) = outcomes(read_text(text.encode(), "long.txt", ReadOptions()), "long.txt")
    assert isinstance(raw, RawDocument)
    with time_limit(60), pytest.raises(InputError) as info:
        prepare(RawDocument(origin="long.txt", text=text, single_article=True))
    check_error(info.value, "long.txt")
    assert "too long" in info.value.problem


def test_article_text_limit_in_every_single_article_reader() -> None:
    """An HTML page, a feed item or a JSONL record whose text passes the article limit is
    refused by its reader, before any cleaning, and the items beside it are read."""
    opts = ReadOptions(max_chars=2_000)
    long_text = "Rockets hit the air base on Wednesday, officials said. " * 60  # 3,300 characters
    short = "Two people were slightly wounded in the rocket attack on the air base, a spokesman said."
    page = f"<html><body><article><p>{long_text}</p></article></body></html>".encode()
    (err,) = outcomes(read_html(page, "long.html", opts), "long.html")
    assert isinstance(err, InputError) and "article text too long" in err.problem
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
            f"<item><description>{long_text}</description></item>"
            f"<item><description>{short}</description></item></channel></rss>").encode()
    first, second = outcomes(read_feed(feed, "w.rss", opts), "w.rss")
    assert isinstance(first, InputError) and first.origin == "w.rss#1" and "too long" in first.problem
    assert isinstance(second, RawDocument) and second.text == short
    lines = (json.dumps({"text": long_text}) + "\n" + json.dumps({"text": short}) + "\n").encode()
    first, second = outcomes(read_jsonl(lines, "b.jsonl", opts), "b.jsonl")
    assert isinstance(first, InputError) and first.origin == "b.jsonl:1" and "too long" in first.problem
    assert isinstance(second, RawDocument) and second.text == short


# -- 6b. bombs that inflate past the limits: refused after bounded work --------------------------
# Work is asserted as bytes inflated (``GunzipStream.inflated``), not seconds: the
# measured times and memory are in bench/hostile_input.py and BENCHMARKS.md.


@pytest.fixture
def gunzip_streams(monkeypatch: pytest.MonkeyPatch) -> list[GunzipStream]:
    """Every ``GunzipStream`` the readers open, to look at the work each did."""
    made: list[GunzipStream] = []

    class Recorded(GunzipStream):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    monkeypatch.setattr(readers, "GunzipStream", Recorded)
    return made


def test_warc_record_bomb_stops_at_the_record_limit(gunzip_streams: list[GunzipStream]) -> None:
    """A 1 GiB record in a 1 MB archive: refused after inflating the limit, not the record;
    the page before it is read."""
    good = gzip.compress(_warc([b"<html><body><article><p>Iraqi forces recaptured Rawa from "
                                b"Islamic State militants on Friday, the military said in a "
                                b"statement.</p></article></body></html>"]))
    data = good + warc_record(2**30)
    assert len(data) < 2**20 + 2**17
    opts = ReadOptions(max_bytes=2**20)
    with peak_memory(40):
        results = outcomes(read_warc(data, "bomb.warc.gz", opts), "bomb.warc.gz", seconds=10)
    page, err = results
    assert isinstance(page, RawDocument) and "Rawa" in page.text
    assert isinstance(err, InputError) and err.origin == "bomb.warc.gz#http://example.org/bomb"
    assert "record larger than the 1 MB limit" in err.problem
    (stream,) = gunzip_streams
    assert stream.inflated <= opts.max_bytes + 4 * CHUNK


def test_warc_of_many_records_stops_at_the_expansion_cap(gunzip_streams: list[GunzipStream]) -> None:
    """Records each under the limit but skipped (not HTML) still cost inflating them: the
    archive stops at MAX_EXPANSION times its size."""
    record = warc_record(2**19, ctype="image/png")  # 512 KiB each, ~600 bytes packed
    data = record * 400  # 200 MiB of records in ~240 KB
    (err,) = outcomes(read_warc(data, "many.warc.gz", ReadOptions(max_bytes=2**20)), "many.warc.gz",
                      seconds=20)
    assert isinstance(err, InputError) and "decompression bomb" in err.problem
    (stream,) = gunzip_streams
    assert stream.inflated <= max(2**20, readers.MAX_EXPANSION * len(data)) + 1


def test_warc_header_line_bomb_is_refused(gunzip_streams: list[GunzipStream]) -> None:
    """A header line is read whole by warcio: a line longer than a record may be stops it."""
    data = gzip_fill(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/", 2**30, b"a")
    (err,) = outcomes(read_warc(data, "line.warc.gz", ReadOptions(max_bytes=2**20)), "line.warc.gz")
    assert isinstance(err, InputError) and "a line longer than 2 MB" in err.problem
    (stream,) = gunzip_streams
    assert stream.inflated <= 2 * 2**20 + 4 * CHUNK


def test_gunzip_stream_inflates_only_what_is_read() -> None:
    bomb = gzip_fill(b"Rockets hit the base.\n", 2**30)
    stream = GunzipStream(io.BytesIO(bomb), "bomb.gz", limit=2**31)
    assert stream.read(22) == b"Rockets hit the base.\n"
    assert stream.inflated <= CHUNK and stream.consumed <= CHUNK
    capped = GunzipStream(io.BytesIO(bomb), "bomb.gz", limit=2**20)
    with pytest.raises(InputError) as info:
        capped.read_all()
    check_error(info.value, "bomb.gz")
    assert capped.inflated <= 2**20 + 1


def test_jsonl_is_limited_per_record(tmp_path: Path) -> None:
    """A JSONL file over the limit is a stream of records: the record over it fails alone,
    is never held whole, and the valid lines around it land."""
    good = [json.dumps({"id": str(i), "text": f"Rockets hit the air base on day {i}, officials said."})
            for i in range(3000)]  # ~230 KB
    big = json.dumps({"text": "word " * (2**20)})  # a 5 MB line
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(good[:1500] + [big] + good[1500:]) + "\n", "utf-8")
    opts = ReadOptions(max_bytes=2**18)  # 256 KB: under the file, over every good line
    assert path.stat().st_size > opts.max_bytes
    with peak_memory(12):  # the 5 MB line would take 5 MB twice over if held
        results = outcomes(read_inputs([path], opts), str(path))
    docs = [r for r in results if isinstance(r, RawDocument)]
    errors = [r for r in results if isinstance(r, InputError)]
    assert len(docs) == 3000 and [d.external_id for d in docs] == [str(i) for i in range(3000)]
    (err,) = errors
    assert err.origin == f"{path}:1501" and "record larger than the 0.25 MB limit" in err.problem


def test_jsonl_gzip_bomb_is_bounded(tmp_path: Path, gunzip_streams: list[GunzipStream]) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "Rockets hit the base on Friday."}\n')
                     + gzip_fill(b'{"text": "', 2**30))
    results = outcomes(read_inputs([path], ReadOptions(max_bytes=2**20)), str(path), seconds=10)
    assert isinstance(results[0], RawDocument)
    assert isinstance(results[-1], InputError) and "decompression bomb" in results[-1].problem
    (stream,) = gunzip_streams
    assert stream.inflated <= max(2**20, readers.MAX_EXPANSION * path.stat().st_size) + 1


def test_many_short_lines_stay_linear() -> None:
    lines = "\n".join(WIRE_LINES[i % 3] for i in range(20_000))  # ~3 MB of wire copy
    start = time.perf_counter()
    with time_limit(60):
        articles = prepare(RawDocument(origin="long.txt", text=lines))
    assert articles and time.perf_counter() - start < 60
    for article in articles[:50]:
        check_article(article, lines)


def test_gallery_page_stays_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of distinct captions: each line is compared with a bounded set of captions.

    Counted, not timed: the fuzzy comparisons the cleaner makes grow with the page's lines
    times ``FUZZY_CAPTIONS``, where comparing every caption with every other made a
    gallery of 2,000 captions take five minutes (2,000² comparisons)."""
    import random

    from opsroom.ingest import clean

    rnd = random.Random(7)
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(3000)]

    def line(n: int) -> str:
        return " ".join(rnd.choice(words) for _ in range(n))

    calls = {"n": 0}

    class CountingFuzz:
        def __getattr__(self, name: str) -> object:
            real = getattr(clean_fuzz, name)

            def counted(*args: object, **kwargs: object) -> object:
                calls["n"] += 1
                return real(*args, **kwargs)
            return counted

    clean_fuzz = clean.fuzz
    monkeypatch.setattr(clean, "fuzz", CountingFuzz())
    captions = [f"FILE PHOTO: {line(12)} REUTERS/Stringer" for _ in range(1500)]
    bodies = [line(30).capitalize() + "." for _ in range(1500)]
    text = "\n".join(captions + bodies)
    with time_limit(120):  # a hang guard only
        (article,) = prepare(RawDocument(origin="gallery.txt", text=text, single_article=True))
    assert len(article.captions) == 1500
    check_article(article, text)
    lines = len(captions) + len(bodies)
    assert 0 < calls["n"] <= 3 * lines * clean.FUZZY_CAPTIONS, calls
    assert calls["n"] < len(captions) ** 2 / 10


# -- 7. the extractor on arbitrary text ---------------------------------------------------------


#: What the extractor property saw (printed with -s; recorded in docs/robustness.md).
ANALYSED = {"articles": 0, "events": 0}


@pytest.fixture(scope="module")
def extractor():  # type: ignore[no-untyped-def]
    from opsroom.config import Settings
    from opsroom.extractor import Extractor

    ex = Extractor(Settings())
    ex._load()
    return ex


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.one_of(prose, wire_text).filter(lambda t: t.strip()))
def test_extractor_on_arbitrary_text(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    raw = RawDocument(origin="any.txt", text=text, single_article=True)
    try:
        articles = prepare(raw)
    except InputError as err:
        check_error(err, "any.txt")
        return
    with time_limit(60):
        docs = list(extractor.documents(articles))
    ANALYSED["articles"] += len(docs)
    ANALYSED["events"] += sum(len(d.events) for d in docs)
    assert [d.article.id for d in docs] == [a.id for a in articles]
    for doc in docs:
        for ent in doc.entities:
            # a caption's entity cites its caption, a dateline's the dateline, others the body
            if ent.part == "caption":
                cited = doc.article.captions[ent.part_index or 0]
            elif ent.part == "dateline":
                cited = doc.article.dateline or ""
            else:
                cited = doc.article.text
            assert 0 <= ent.start <= ent.end <= len(cited)
            assert cited[ent.start:ent.end] == ent.text
        for ev in doc.events:
            assert ev.sources, "an event without a source sentence"


def test_extractor_person_span_without_letters(extractor) -> None:  # type: ignore[no-untyped-def]
    """Found by the property above: a PERSON span of symbols once stopped the whole batch."""
    text = ("Iraqi forces said Ð. told reporters on Friday that the town of Rawa had fallen "
            "to the army.")
    (article,) = prepare(RawDocument(origin="odd.txt", text=text, single_article=True))
    (doc,) = extractor.documents([article])
    assert doc.article.id == article.id


def test_extractor_saw_articles() -> None:
    """The property above analysed real articles, not only inputs the cleaner threw away."""
    if ANALYSED["articles"]:  # zero when the property test was deselected
        print(f"extractor property: {ANALYSED}")
        assert ANALYSED["articles"] >= 10
