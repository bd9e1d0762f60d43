"""Stored records → response shapes, with source sentences cut out of their articles."""

from __future__ import annotations

from typing import Any

from ..models import Claim, Source
from ..store.query import VIEW_COLUMNS, ViewEvent
from ..store.records import claim_columns
from .schemas import ClaimOut, Context, EditOut, EventOut, SourceOut

#: Characters of article text shown on each side of a source sentence: about two
#: sentences of news prose, enough to read the sentence in its place.
CONTEXT_CHARS = 320


def cut_context(text: str, source: Source) -> Context | None:
    """The text before, at and after a source span; None when the span is not in the text."""
    start, end = source.start, source.end
    if not (0 <= start < end <= len(text)) or text[start:end].strip() != source.sentence.strip():
        found = text.find(source.sentence)
        if found < 0:
            return None
        start, end = found, found + len(source.sentence)
    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(text), end + CONTEXT_CHARS)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and " " in before:  # start on a word, not inside one
        before = "…" + before[before.index(" ") + 1:]
    if hi < len(text) and " " in after:
        after = after[:after.rindex(" ")] + "…"
    return Context(before=before, match=text[start:end], after=after)


def source_out(src: Source, titles: dict[str, tuple[str | None, str]] | None = None,
               with_context: bool = False) -> SourceOut:
    """A source as the API shows it, titled from ``titles`` (article id → (title, text));
    ``with_context`` adds the surrounding text, which only a single event's page carries."""
    title, text = (titles or {}).get(src.article_id, (None, None))
    return SourceOut(
        article_id=src.article_id, article_title=title, sentence=src.sentence,
        start=src.start, end=src.end, claimed_by=src.claimed_by, stance=src.stance,
        context=cut_context(text, src) if with_context and text is not None else None,
    )


def claim_out(c: Claim) -> ClaimOut:
    """A stored claim as the API shows it (the claim columns, written out once in ``records``)."""
    return ClaimOut(**{name: getattr(c, name) for name in claim_columns()})


def edit_out(row: dict[str, Any]) -> EditOut:
    """A stored override (``store.overrides``) as the API shows an edit."""
    return EditOut(event_id=row["cluster_id"], field=row["field"], value=row["value"],
                   extracted=row["extracted"], by=row["who"], at=row["at"],
                   status=row["status"], reason=row["reason"])


def event_out(item: ViewEvent, titles: dict[str, tuple[str | None, str]] | None = None,
              with_context: bool = False,
              edits: list[dict[str, Any]] | None = None) -> EventOut:
    """A served event (merged or single) as the API shows it, with its sources and claims;
    ``edits`` is given only for one event's page and ``PATCH`` answers, lists leave it empty."""
    ev = item.event
    return EventOut(
        event_id=ev.event_id,
        **{c: getattr(ev, c) for c in VIEW_COLUMNS},
        merged=item.merged, n_articles=item.n_articles,
        sources=[source_out(s, titles, with_context) for s in ev.sources],
        claims=[claim_out(c) for c in ev.claims],
        edits=[edit_out(r) for r in edits or ()],
    )
