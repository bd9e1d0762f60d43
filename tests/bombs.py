"""Decompression bombs built in milliseconds, for the hostile-input tests and benchmark.

Deflate blocks of 1 MiB of one repeated byte, each ended by a full flush, come out as the
same ~1 KB every time (a full flush forgets the history), so a bomb is one block repeated:
10 GiB of spaces is a 10 MB gzip member.  The trailer's CRC-32 of the whole is computed
without the data (``crc32_combine``, after zlib's), so the member is valid gzip that a
reader ignoring its limits would inflate to the end without error.
"""

from __future__ import annotations

import struct
import zlib

MIB = 2**20


def _gf2_times(mat: list[int], vec: int) -> int:
    total, i = 0, 0
    while vec:
        if vec & 1:
            total ^= mat[i]
        vec >>= 1
        i += 1
    return total


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from the CRC of A, the CRC of B and B's length (zlib's algorithm)."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc_repeated(crc: int, length: int, times: int) -> int:
    """CRC-32 of a block (of CRC ``crc`` and ``length`` bytes) repeated ``times`` times."""
    result = 0
    while times:
        if times & 1:
            result = crc32_combine(result, crc, length)
        crc = crc32_combine(crc, crc, length)
        length *= 2
        times >>= 1
    return result


def gzip_fill(prefix: bytes, size: int, fill: bytes = b" ", suffix: bytes = b"") -> bytes:
    """One valid gzip member of ``prefix``, ``size`` bytes of ``fill`` (one byte) and ``suffix``."""
    assert len(fill) == 1
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    blocks, rest = divmod(size, MIB)
    out = [c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)]
    block = c.compress(fill * MIB) + c.flush(zlib.Z_FULL_FLUSH) if blocks else b""
    out.append(block * blocks)
    end = c.compress(fill * rest + suffix) + c.flush()
    out.append(end[:-8])
    crc = zlib.crc32(prefix)
    crc = crc32_combine(crc, _crc_repeated(zlib.crc32(fill * MIB), MIB, blocks), blocks * MIB)
    crc = crc32_combine(crc, zlib.crc32(fill * rest + suffix), rest + len(suffix))
    total = len(prefix) + size + len(suffix)
    out.append(struct.pack("<II", crc, total & 0xFFFFFFFF))
    return b"".join(out)


def warc_record(size: int, ctype: str = "text/html", uri: str = "http://example.org/bomb") -> bytes:
    """A gzipped WARC response record whose HTTP payload is ``size`` spaces."""
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n".encode()
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
            "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            "WARC-Date: 2021-07-07T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) + size}\r\n\r\n").encode()
    return gzip_fill(head + http, size, suffix=b"\r\n\r\n")
