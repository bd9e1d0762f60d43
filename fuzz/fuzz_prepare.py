"""Fuzz the splitter and cleaner (``opsroom.ingest.prepare``) with arbitrary text.

Run: ``.venv/bin/python fuzz/fuzz_prepare.py -max_total_time=180 -rss_limit_mb=2048``
(needs the ``fuzz`` extra).  Checks that every article's offset map points back into
the raw text, character for character.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["opsroom"]):
    from opsroom.ingest import prepare
    from opsroom.models import RawDocument


def test_one(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    single = fdp.ConsumeBool()
    text = fdp.ConsumeUnicodeNoSurrogates(len(data))
    raw = RawDocument(origin="fuzz.txt", text=text, single_article=single)
    for article in prepare(raw):
        assert article.text.strip(), "an article with no text"
        for seg in article.offset_map:
            clean = article.text[seg.clean_start:seg.clean_start + seg.length]
            assert clean == text[seg.raw_start:seg.raw_start + seg.length], "offset map drifts"


def main() -> None:
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
