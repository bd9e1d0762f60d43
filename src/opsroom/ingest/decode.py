"""Bytes to text, with the checks that turn bad input into one clear error.

Why our own checks: charset detection guesses happily on binary data, so a PNG would be
"decoded" into garbage and stored.  We accept UTF-8 (with or without BOM) and BOM-marked
UTF-16/32, reject what looks binary, and name the byte where UTF-8 breaks.
"""

from __future__ import annotations

import codecs
import io
import zlib

from ..errors import EmptyInput, InputError

#: Share of control characters above which a file is binary.  Text news copy has none
#: but tab/newline/CR; 1% leaves room for a few stray form feeds in scraped pages.
_BINARY_CONTROL_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, origin: str, encoding: str | None = None) -> str:
    """Decode ``data`` to text or raise an ``InputError`` naming ``origin``."""
    if not data.strip():
        raise EmptyInput(origin, "empty file: no text to ingest")
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(origin, f"cannot decode as {encoding}: {exc}") from exc
    else:
        for bom, codec in _BOMS:
            if data.startswith(bom):
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError as exc:
                    raise InputError(origin, f"broken {codec} text: {exc.reason}") from exc
                break
        else:
            if b"\x00" in data[:4096]:
                raise InputError(origin, "binary file (NUL bytes), not text")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    origin,
                    f"invalid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); "
                    "pass --encoding to read another encoding",
                ) from exc
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > _BINARY_CONTROL_SHARE * min(len(text), 65536):
        raise InputError(origin, "binary file (control characters), not text")
    if not text.strip():
        raise EmptyInput(origin, "empty file: no text to ingest")
    return text


def gunzip_bounded(data: bytes, origin: str, limit: int) -> bytes:
    """Decompress gzip data, refusing output over ``limit`` bytes (zip bombs) and truncation.

    Multi-member files are legal gzip; every member is read with the same bounded
    decompressor, so the limit holds for the sum of members (a small first member must
    not let a bomb through after it).
    """
    out = io.BytesIO()
    rest = data
    try:
        while True:
            decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out.write(decomp.decompress(rest, limit + 1 - out.tell()))
            if out.tell() > limit or decomp.unconsumed_tail:
                raise InputError(origin, f"gzip expands past the {limit / 2**20:g} MB limit")
            if not decomp.eof:
                raise InputError(origin, "truncated gzip stream (unexpected end of data)")
            rest = decomp.unused_data
            # Zero bytes after the last member are padding some writers add (gzip(1) skips them).
            if not rest.strip(b"\0"):
                break
    except zlib.error as exc:
        raise InputError(origin, f"corrupt gzip data: {exc}") from exc
    return out.getvalue()
