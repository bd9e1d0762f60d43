"""The document contract (DESIGN.md) read back: one JSON object into a ``Document``.

``opsroom export --format jsonl`` writes each stored article as a document line with its
text added; ``opsroom ingest`` recognises such a line (an object with an ``"article"``
key) and stores the article, entities, relations and events as given, without
re-extracting — so an export re-imports to the same events.

In the ingest layer rather than in ``export``: the ingest reads these lines, and the
export (a layer above) writes them; a reader importing the export layer pointed the
layers the wrong way.  The article's id and content hash come from ``dedup``, which owns
that rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from ..errors import InputError
from ..models import Article, Claim, Document, Entity, Event, Relation, Resolution, Source
from .dedup import article_id as id_from_hash
from .dedup import content_hash


def _date(value: Any, where: str, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(where, f"unreadable {name} {value!r}") from None


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The keys of ``data`` that are fields of ``cls``: added fields of a newer writer are
    ignored rather than refused, as the contract only ever grows."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _entity(data: dict[str, Any]) -> Entity:
    res = data.get("resolution")
    entity = Entity(**_known(Entity, {**data, "resolution": None}))
    if isinstance(res, dict):
        entity.resolution = Resolution(**_known(Resolution, res))
    return entity


def event_from_json(data: dict[str, Any], where: str) -> Event:
    """An ``Event`` from its JSON form (``Event.to_json``)."""
    sources = [Source(**_known(Source, s)) for s in data.get("sources") or []]
    claims = [Claim(**_known(Claim, c)) for c in data.get("claims") or []]
    plain = _known(Event, data)
    plain.update(sources=sources, claims=claims,
                 event_date=_date(data.get("event_date"), where, "event_date"))
    return Event(**plain)


def document_from_json(record: dict[str, Any], where: str) -> Document:
    """A ``Document`` from one document-contract object; ``InputError`` names ``where``.

    The article needs its ``text`` (the export adds it); its id is kept as given so the
    events, sources and claims that point at it stay linked.
    """
    art = record.get("article")
    if not isinstance(art, dict):
        raise InputError(where, '"article" must be an object')
    text = art.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "document line has no article text (export with opsroom export)")
    chash = content_hash(text)
    try:
        article = Article(
            id=str(art.get("id") or id_from_hash(chash)),
            text=text,
            title=art.get("title"),
            captions=list(art.get("captions") or []),
            authors=list(art.get("authors") or []),
            source=art.get("source"),
            dateline=art.get("dateline"),
            published=_date(art.get("published"), where, "published date"),
            published_source=art.get("published_source"),
            language=art.get("language"),
            url=art.get("url"),
            external_id=art.get("external_id"),
            origin=where,
            content_hash=chash,
        )
        entities = [_entity(e) for e in record.get("entities") or []]
        events = [event_from_json(e, where) for e in record.get("events") or []]
        relations = [Relation(**_known(Relation, r)) for r in record.get("relations") or []]
    except (TypeError, AttributeError) as exc:
        raise InputError(where, f"malformed document line ({exc})") from exc
    return Document(article=article, entities=entities, events=events, relations=relations)


def document_to_json(doc: Document) -> dict[str, Any]:
    """The document contract of ``doc``, with the article text added so it can be re-read."""
    data = doc.to_json()
    data["article"]["text"] = doc.article.text
    return data


__all__ = ["document_from_json", "document_to_json", "event_from_json"]
