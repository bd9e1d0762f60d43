"""Fuzz every reader (text, HTML, JSONL, feeds, WARC, gzip) with the same bytes.

Run: ``.venv/bin/python fuzz/fuzz_readers.py -max_total_time=180 -rss_limit_mb=2048``
(needs the ``fuzz`` extra).  The first byte picks the reader; the rest is the file.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["opsroom"]):
    from opsroom.ingest.decode import gunzip_bounded
    from opsroom.ingest.readers import ReadOptions, read_feed, read_html, read_jsonl, read_text, read_warc

from _harness import check_error, drain  # noqa: E402

from opsroom.errors import InputError  # noqa: E402

READERS = (read_text, read_html, read_jsonl, read_feed, read_warc)
#: 1 MB: big enough for any input libFuzzer builds, small enough to make the size checks bite.
OPTS = ReadOptions(max_bytes=2**20)


def test_one(data: bytes) -> None:
    if not data:
        return
    choice, body = data[0], data[1:]
    origin = "fuzz.input"
    if choice % (len(READERS) + 1) == len(READERS):
        try:
            body = gunzip_bounded(body, origin, OPTS.max_bytes)
        except InputError as err:
            check_error(err, origin)
            return
        choice //= len(READERS) + 1
    reader = READERS[choice % len(READERS)]
    drain(reader(body, origin, OPTS), origin)


def main() -> None:
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
