"""Split one raw text into the articles pasted into it.

Real files hold several articles with no separator (wire copy pasted from pages).  The
boundaries are what the copy itself shows:

1. an end credit ("(Reporting by …; Editing by …)") closes an article;
2. a dateline paragraph ("BAGHDAD (Reuters) –", "BEIRUT: ") opens one, and the article
   starts at the head above it: headline, photo captions, byline, date line, outlet;
3. a file with neither is one article.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Block, to_blocks

#: Block kinds that may stand between a headline and the dateline of its article.
_HEAD_KINDS = {"headline", "caption", "byline", "date", "outlet", "furniture", "subhead"}


@dataclass
class Segment:
    """The blocks of one article, in order."""

    blocks: list[Block]

    @property
    def start(self) -> int:
        """Offset in the raw text where the article begins (its first block's start)."""
        return self.blocks[0].start

    @property
    def end(self) -> int:
        """Offset in the raw text where the article ends (its last block's end)."""
        return self.blocks[-1].end


def _head_start(blocks: list[Block], dateline: int, floor: int) -> int:
    """Index where the head above ``dateline`` begins (walks back over head kinds)."""
    i = dateline
    while i - 1 >= floor and blocks[i - 1].kind in _HEAD_KINDS:
        i -= 1
    # The head begins at its headline: furniture above it belongs to the page, not to it.
    while i < dateline and blocks[i].kind not in ("headline", "outlet"):
        if blocks[i].kind in ("caption", "byline", "date"):
            break
        i += 1
    return i


def split_blocks(blocks: list[Block]) -> list[Segment]:
    """Group blocks into article segments."""
    if not blocks:
        return []
    cuts = {0}
    last_cut = 0
    for i, block in enumerate(blocks):
        if block.kind == "credit":
            cuts.add(i + 1)
            last_cut = i + 1
        elif block.kind == "dateline":
            start = _head_start(blocks, i, last_cut)
            cuts.add(start)
            last_cut = i
    ordered = sorted(c for c in cuts if c < len(blocks))
    segments: list[Segment] = []
    for a, b in zip(ordered, ordered[1:] + [len(blocks)], strict=True):
        chunk = blocks[a:b]
        if any(bl.kind in ("body", "dateline") for bl in chunk):
            segments.append(Segment(chunk))
        elif segments:
            # A tail of furniture or captions after the last credit stays with its article.
            segments[-1].blocks.extend(chunk)
    if not segments:
        # No line reads as body text (a one-line note, a lone caption-like line): the input
        # is still the user's text, and the cleaner decides what of it is the body.
        segments.append(Segment(list(blocks)))
    return segments


def split_text(raw: str) -> list[Segment]:
    """Articles in ``raw``, as segments of classified blocks."""
    return split_blocks(to_blocks(raw))
