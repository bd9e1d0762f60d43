"""Turn one article segment into a clean ``Article`` with a character map.

The stored text is the body only: page furniture, repeated headlines, subheads and the
dateline prefix are dropped; photo captions go to their own field.  Every run of stored
text is copied from the raw input unchanged, and ``Article.offset_map`` records where it
came from, so a span of the stored text can always be cited in the source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..errors import InputError
from ..models import Article, DateSource, OffsetSegment, RawDocument
from .blocks import Block, dateline_match
from .dedup import article_id, content_hash
from .metadata import (
    byline_authors,
    canonical_outlet,
    credit_authors,
    date_from_date_line,
    detect_language,
    parse_date_text,
    pretty_place,
)
from .split import Segment

#: rapidfuzz ratio at or above which two blocks are "the same line repeated": chosen on
#: the corpus's repeated headlines and standfirsts (93-100) against distinct paragraphs of
#: the same article (< 60).
REPEAT_RATIO = 88

#: Longest article text accepted.  spaCy refuses texts over ``nlp.max_length`` (1,000,000
#: characters by default) with an error that would stop the whole batch; the longest
#: corpus article has ~6,000, so anything near this size is a dump, not one article.
MAX_ARTICLE_CHARS = 1_000_000

#: Captions each line is fuzzy-compared with.  Wire articles carry a handful of photos (at
#: most 2 in the corpus); comparing against every caption made a gallery page of 2,000
#: captions take five minutes (quadratic), so the comparisons stop at this many: normal
#: articles are cleaned exactly as before and a gallery page stays linear.
FUZZY_CAPTIONS = 20


@dataclass
class _Body:
    parts: list[tuple[int, str]] = field(default_factory=list)  # (raw_start, text)
    joins: list[str] = field(default_factory=list)  # separator before each part


def _same(a: str, b: str) -> bool:
    return fuzz.ratio(a.lower(), b.lower()) >= REPEAT_RATIO


def _is_repeat_of_caption(text: str, captions: list[str]) -> bool:
    return len(text.split()) >= 6 and any(
        fuzz.partial_ratio(text.lower(), c.lower()) >= 95 for c in captions
    )


#: Block kinds that carry words of the story; what is left of a short input when it has no
#: block of prose.
_TEXT_KINDS = ("body", "dateline", "headline", "subhead", "caption", "outlet")


def _short_input_body(blocks: list[Block], given_title: str | None) -> list[tuple[int, str]]:
    """The body of an input whose lines all read as head lines: those lines.

    A one-sentence snippet, a feed item's summary or an event note without a final full
    stop ("Gunmen shot dead a shepherd near Kirkuk") looks like a headline to the block
    classifier, and cleaning would leave nothing.  Short input is still the user's text:
    its lines of words become the body.  A line that only repeats the title the input
    gave is left out when other lines remain.
    """
    lines = [(b.start, b.text) for b in blocks if b.kind in _TEXT_KINDS]
    if given_title and len(lines) > 1:
        rest = [(s, t) for s, t in lines if not _same(t, given_title)]
        lines = rest or lines
    return lines


#: Words a line broken by the page ends on ("… a military deal with"): a line ending on
#: one of these runs on into the next, however short.
_RUN_ON_WORDS = frozenset(
    "a an the of in on at to for from with by and or but as into over under near than "
    "that which who whose its their his her our this these those".split())
#: Words of a sub-heading at most: "Strikes in Syria", "Reaction", "Casualties".
_SUBHEADING_WORDS = 6


def _subheading(line: str, following: str) -> bool:
    """Whether a body line without a full stop is a sub-heading over the next paragraph
    ("Strikes in Syria" / "Near Abu Kamal, three strikes …"), not a paragraph the page broke
    mid-sentence ("… a military deal with" / "Damascus.").  Joined, a heading becomes the
    subject of the sentence below it and the parser reads one event where there are two."""
    words = line.split()
    return (len(words) <= _SUBHEADING_WORDS and words[-1].lower() not in _RUN_ON_WORDS
            and following[:1].isupper())


def build_article(
    raw: RawDocument,
    segment: Segment,
    published_flag: dt.date | None = None,
    index: int = 0,
) -> Article | None:
    """A clean article from one segment, or None when it holds no body text."""
    blocks = segment.blocks
    first_text = next(
        (i for i, b in enumerate(blocks) if b.kind in ("body", "dateline")), len(blocks)
    )
    title = raw.title.strip() if raw.title and raw.title.strip() else None
    if title is None:
        title = next((b.text for b in blocks[:first_text] if b.kind == "headline"), None)

    captions: list[str] = []
    authors: list[str] = list(raw.authors)
    credit_names: list[str] = []
    source = canonical_outlet(raw.source)
    dateline: str | None = None
    dateline_date: dt.date | None = None
    date_lines: list[dt.date] = []
    body_blocks: list[tuple[int, str]] = []  # (raw_start, text)

    for i, block in enumerate(blocks):
        kind = block.kind
        text = block.text
        in_head = i < first_text
        if kind in ("headline", "outlet") and title and _same(text, title):
            continue  # the headline repeated as the first lines
        if kind == "outlet":
            if in_head:
                source = source or canonical_outlet(text)
                continue
            kind = "headline"
        if kind == "furniture" or (kind == "subhead" and not in_head):
            continue
        if kind == "subhead":
            continue
        if kind == "headline" and in_head:
            captions.append(text)  # head lines under the title are photo captions
            continue
        if kind == "caption":
            captions.append(text)
            continue
        if kind == "byline":
            authors.extend(n for n in byline_authors(text) if n not in authors)
            continue
        if kind == "credit":
            credit_names.extend(n for n in credit_authors(text) if n not in credit_names)
            continue
        if kind == "date":
            d = date_from_date_line(text)
            if d:
                date_lines.append(d)
            continue
        if kind == "dateline" and dateline is None:
            m = dateline_match(text)
            if m:
                dateline = pretty_place(m.group("place"))
                if m.group("date"):  # "SOUTHWEST ASIA, March 3, 2017 —"
                    dateline_date = parse_date_text(m.group("date"))
                if m.group("agency"):
                    source = source or canonical_outlet(m.group("agency"))
                body_blocks.append((block.start + m.end(), text[m.end():]))
                continue
        body_blocks.append((block.start, text))

    # Lines of the body that repeat a caption (a caption pasted twice) are captions.
    body_blocks = [(s, t) for s, t in body_blocks
                   if not _is_repeat_of_caption(t, captions[:FUZZY_CAPTIONS])]
    # A standfirst repeated as the lead paragraph: keep the later copy only.
    kept: list[tuple[int, str]] = []
    for j, (s, t) in enumerate(body_blocks):
        if j < 3 and any(_same(t, later) for _, later in body_blocks[j + 1 : j + 4]):
            continue
        kept.append((s, t))
    if not kept:
        kept = _short_input_body(blocks, raw.title)
        captions = [c for c in captions if all(c != t for _, t in kept)]
        if title is not None and not (raw.title and raw.title.strip()) and len(kept) == 1:
            title = None  # the one line is the text, not a headline over it
    if not kept:
        return None

    text_parts: list[str] = []
    offset_map: list[OffsetSegment] = []
    pos = 0
    for j, (raw_start, part) in enumerate(kept):
        if j:
            prev = kept[j - 1][1]
            # A paragraph broken mid-sentence by the page ("… a military deal with" /
            # "Damascus.") is joined back with a space so the parser sees one sentence.
            sep = " " if prev[-1:].isalpha() and prev[-1:].islower() \
                and not _subheading(prev, part) else "\n\n"
            text_parts.append(sep)
            pos += len(sep)
        offset_map.append(OffsetSegment(pos, raw_start, len(part)))
        text_parts.append(part)
        pos += len(part)
    body = "".join(text_parts)

    deduped_captions: list[str] = []
    for cap in captions:
        # Only the latest captions are compared (FUZZY_CAPTIONS), so a gallery stays linear.
        older, recent = deduped_captions[:-FUZZY_CAPTIONS], deduped_captions[-FUZZY_CAPTIONS:]
        if any(fuzz.partial_ratio(cap.lower(), c.lower()) >= 95 for c in recent):
            continue
        deduped_captions = older + [
            c for c in recent if fuzz.partial_ratio(c.lower(), cap.lower()) < 95
        ] + [cap]

    # A photo's date is not the publication date: the article ran on or after the picture
    # was taken, perhaps weeks later ("Picture taken January 21, 2018" over a clash of
    # February 7), so a caption never dates the article; the caption stays in ``captions``.
    published: dt.date | None = raw.published
    published_source: DateSource | None = "given" if published else None
    if published is None and date_lines:
        published, published_source = date_lines[0], "text"
    if published is None and dateline_date is not None:
        # A press release or statement dates itself in its dateline: the day it was issued.
        published, published_source = dateline_date, "dateline"
    if published is None and published_flag is not None:
        published, published_source = published_flag, "flag"

    if not authors:
        authors = credit_names
    chash = content_hash(body)
    return Article(
        id=article_id(chash),
        text=body,
        title=title,
        captions=deduped_captions,
        authors=authors,
        source=source,
        dateline=dateline,
        published=published,
        published_source=published_source,
        language=detect_language(body),
        url=raw.url,
        external_id=raw.external_id,
        origin=raw.origin if index == 0 else f"{raw.origin}#{index + 1}",
        offset_map=offset_map,
        content_hash=chash,
    )


def prepare(
    raw: RawDocument, published_flag: dt.date | None = None
) -> list[Article]:
    """Split (unless the reader already isolated one article) and clean a raw document.

    Raises ``InputError`` naming the input when an article is too long to parse.
    """
    from .blocks import to_blocks
    from .split import split_blocks

    blocks = to_blocks(raw.text)
    segments = [Segment(blocks)] if raw.single_article else split_blocks(blocks)
    articles = []
    for i, seg in enumerate(segments):
        art = build_article(raw, seg, published_flag, index=i if len(segments) > 1 else 0)
        if art is not None and len(art.text) > MAX_ARTICLE_CHARS:
            raise InputError(art.origin, f"article text too long ({len(art.text):,} characters "
                             f"> {MAX_ARTICLE_CHARS:,}): not one news article")
        if art is not None:
            articles.append(art)
    return articles

