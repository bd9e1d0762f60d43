"""Bytes to text, with the checks that turn bad input into one clear error.

Why our own checks: charset detection guesses happily on binary data, so a PNG would be
"decoded" into garbage and stored.  We accept UTF-8 (with or without BOM) and BOM-marked
UTF-16/32, reject what looks binary, and name the byte where UTF-8 breaks.

Why streams: a limit checked after reading costs what the input *would* cost (a 10 MB
gzip file can hold 10 GiB; a 50 MB line was read, decoded, split and cleaned before the
article limit refused it).  ``GunzipStream`` inflates only as much as its reader asks for
and ``read_text_stream`` checks its limits chunk by chunk, so refusing a hostile input
costs about as much as reading the limit, whatever the input's full size.
"""

from __future__ import annotations

import codecs
import io
import re
import zlib
from typing import BinaryIO

from ..errors import EmptyInput, InputError

#: Share of control characters above which a file is binary.  Text news copy has none
#: but tab/newline/CR; 1% leaves room for a few stray form feeds in scraped pages.
_BINARY_CONTROL_SHARE = 0.01

#: Bytes read (or inflated) at a time: small enough that a limit is noticed within a few
#: hundred KB of being passed, big enough that the cost per call does not show.
CHUNK = 256 * 2**10

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: What ``str.splitlines`` (and so the block splitter) takes as a line break.
_BREAK_CHARS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAKS = re.compile(f"[{_BREAK_CHARS}]")


def too_large(limit: int) -> str:
    """The problem stated for an input over ``limit`` bytes."""
    return f"file too large (more than the {limit / 2**20:g} MB limit; split it or raise --max-mb)"


def sniff_codec(head: bytes, origin: str, encoding: str | None) -> str:
    """The codec to read an input with, from ``--encoding`` or the first bytes (BOM, NUL)."""
    if encoding:
        try:
            return codecs.lookup(encoding).name
        except LookupError as exc:
            raise InputError(origin, f"cannot decode as {encoding}: {exc}") from exc
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if b"\x00" in head[:4096]:
        raise InputError(origin, "binary file (NUL bytes), not text")
    return "utf-8"


def _decode_problem(exc: UnicodeDecodeError, codec: str, encoding: str | None, data: bytes,
                    offset: int = 0) -> str:
    """One line on where decoding broke; ``offset`` is where ``data`` starts in the input."""
    if encoding:
        return f"cannot decode as {encoding}: {exc.reason} at byte {offset + exc.start}"
    if codec != "utf-8":
        return f"broken {codec} text: {exc.reason}"
    return (f"invalid UTF-8 at byte {offset + exc.start} (0x{data[exc.start]:02x}); "
            "pass --encoding to read another encoding")


def check_not_binary(text: str, origin: str) -> None:
    """An ``InputError`` when the start of ``text`` is mostly control characters."""
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > _BINARY_CONTROL_SHARE * min(len(text), 65536):
        raise InputError(origin, "binary file (control characters), not text")


def check_text(text: str, origin: str) -> str:
    """``text`` itself, or an ``InputError`` when it is binary or blank."""
    check_not_binary(text, origin)
    if not text.strip():
        raise EmptyInput(origin, "empty file: no text to ingest")
    return text


def decode_text(data: bytes, origin: str, encoding: str | None = None) -> str:
    """Decode ``data`` to text or raise an ``InputError`` naming ``origin``."""
    if not data.strip():
        raise EmptyInput(origin, "empty file: no text to ingest")
    codec = sniff_codec(data, origin, encoding)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(origin, _decode_problem(exc, codec, encoding, data)) from exc
    return check_text(text, origin)


def longest_run(text: str, carried: int, limit: int) -> int | None:
    """Characters of the line still open at the end of ``text`` (``carried`` were open
    before it); None as soon as a line passes ``limit`` characters.

    Only the first and last breaks are looked for (a run between them is shorter than the
    chunk, so it is measured only when the chunk itself passes the limit): a chunk of
    nothing but line breaks must not become a string object per line.
    """
    first = _LINE_BREAKS.search(text)
    if first is None:
        run = carried + len(text)
        return run if run <= limit else None
    if carried + first.start() > limit:
        return None
    last = max(text.rfind(ch) for ch in _BREAK_CHARS)
    if len(text) > limit and max(map(len, _LINE_BREAKS.split(text[first.end():last]))) > limit:
        return None
    run = len(text) - last - 1
    return run if run <= limit else None


def read_text_stream(stream: BinaryIO, origin: str, encoding: str | None, max_bytes: int,
                     max_line: int) -> str:
    """The text of a stream, decoded and checked while it is read.

    Refused, and read no further, as soon as it passes ``max_bytes`` bytes or holds a line
    longer than ``max_line`` characters (a line is never split between articles, so a line
    over the article limit can only make an article over it).
    """
    head = stream.read(CHUNK)
    while 0 < len(head) < 4096:  # a stream may answer short; the sniff wants a few KB
        more = stream.read(CHUNK)
        if not more:
            break
        head += more
    codec = sniff_codec(head, origin, encoding)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    parts: list[str] = []
    total = run = 0
    chunk = head
    while True:
        final = not chunk
        total += len(chunk)
        if total > max_bytes:
            raise InputError(origin, too_large(max_bytes))
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            start = total - len(chunk) - len(pending)
            raise InputError(origin, _decode_problem(exc, codec, encoding, pending + chunk,
                                                     start)) from exc
        carried = longest_run(text, run, max_line)
        if carried is None:
            raise InputError(origin, f"line too long (more than {max_line:,} characters): "
                                     "not news copy")
        run = carried
        parts.append(text)
        if final:
            break
        chunk = stream.read(CHUNK)
    return check_text("".join(parts), origin)


class GunzipStream(io.RawIOBase):
    """A gzip stream inflated on demand, never more than its reader asks for.

    Every member of a multi-member file counts against the same ``limit`` (a small first
    member must not let a bomb through after it); NUL padding after the last member is
    skipped as gzip(1) does.  Passing the limit, a line longer than ``max_line`` bytes, a
    cut or a corrupt stream raise ``InputError`` from the read that meets them.
    """

    def __init__(self, raw: BinaryIO, origin: str, limit: int, *, max_line: int | None = None,
                 limit_problem: str | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._origin = origin
        self._limit = limit
        self._max_line = max_line
        self._limit_problem = limit_problem or f"gzip expands past the {limit / 2**20:g} MB limit"
        self._decomp: zlib._Decompress | None = None
        self._input = b""
        self._members = 0
        self._done = False
        self._run = 0
        #: Compressed bytes read and bytes inflated so far: the work done.
        self.consumed = 0
        self.inflated = 0

    def readable(self) -> bool:
        """Always True: ``io.BufferedReader`` and warcio ask before they read."""
        return True

    def close(self) -> None:
        """Close the underlying file too (once): the caller hands it over to this stream."""
        if not self.closed:
            self._raw.close()
        super().close()

    def _more(self) -> bytes:
        data = self._raw.read(CHUNK // 4)
        self.consumed += len(data)
        return data

    def _start_member(self) -> bool:
        """Begin the next member; False at the end of the stream."""
        if self._members:
            padding = False
            while True:
                rest = self._input.lstrip(b"\0")
                padding = padding or len(rest) < len(self._input)
                if rest:
                    break
                self._input = self._more()
                if not self._input:
                    return False
            if padding:
                raise InputError(self._origin, "corrupt gzip data: bytes after the NUL padding")
            self._input = rest
        self._members += 1
        self._decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Inflate at most ``len(buffer)`` bytes into ``buffer``, moving on to the next member
        when one ends; 0 at the end of the stream, ``InputError`` past a limit or on bad data."""
        want = len(buffer)
        while want and not self._done:
            if self._decomp is None and not self._start_member():
                self._done = True
                break
            assert self._decomp is not None
            data = self._input or self._more()
            try:
                out = self._decomp.decompress(data, min(want, self._limit + 1 - self.inflated))
            except zlib.error as exc:
                raise InputError(self._origin, f"corrupt gzip data: {exc}") from exc
            if self._decomp.eof:
                self._input = self._decomp.unused_data
                self._decomp = None
            else:
                self._input = self._decomp.unconsumed_tail
                if not data and not out:
                    raise InputError(self._origin, "truncated gzip stream (unexpected end of data)")
            if out:
                self.inflated += len(out)
                if self.inflated > self._limit:
                    raise InputError(self._origin, self._limit_problem)
                self._check_lines(out)
                buffer[: len(out)] = out
                return len(out)
        return 0

    def _check_lines(self, out: bytes) -> None:
        if self._max_line is None:
            return
        last = out.rfind(b"\n")
        if last < 0:
            self._run += len(out)
        else:
            first = out.find(b"\n")
            inner = max(map(len, out[first + 1:last].split(b"\n"))) if len(out) > self._max_line else 0
            if self._run + first > self._max_line or inner > self._max_line:
                self._run = self._max_line + 1
            else:
                self._run = len(out) - last - 1
        if self._run > self._max_line:
            raise InputError(self._origin, f"a line longer than {self._max_line / 2**20:g} MB "
                                           "inside the compressed data")

    def read_all(self, step: int = 4 * CHUNK) -> bytes:
        """Everything left, inflated in steps of ``step`` bytes."""
        out = io.BytesIO()
        buf = bytearray(step)
        while n := self.readinto(buf):
            out.write(memoryview(buf)[:n])
        return out.getvalue()


def gunzip_bounded(data: bytes, origin: str, limit: int) -> bytes:
    """Decompress gzip data, refusing output over ``limit`` bytes (zip bombs) and truncation."""
    return GunzipStream(io.BytesIO(data), origin, limit).read_all()
