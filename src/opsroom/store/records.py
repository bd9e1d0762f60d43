"""The fields of each record the store keeps as columns, read off models.py; records from rows.

A record's fields are written out once, in its dataclass (STYLE.md, 14).  The store's
column lists were hand-written copies of them, and fields added to a record never reached
the database: a claim's ``value_high`` and ``reason`` were dropped on the way in, so
``opsroom extract --json`` and ``opsroom show --json`` gave two answers for one article.
Each function here names the fields a table keeps as the dataclass's fields minus the
exclusions written beside it, each with the reason; every reader and writer of the store
takes its list from here.  A field added to a record is then written and read without
further code, or, when its table lacks the column, refused loudly by SQLAlchemy and by
tests/test_record_roundtrip.py, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import Any

from ..models import Claim, Entity, Event, Relation, Source

#: Event fields that are no columns of ``events`` (nor ``event_clusters``): the id is the
#: key, whose name differs between the two tables (``event_id``, ``cluster_id``);
#: sources and claims are rows of tables of their own.
EVENT_NOT_COLUMNS = frozenset({"event_id", "sources", "claims"})

#: Entity fields stored under other columns: ``id`` (the knowledge base's id) is
#: ``ref_id``, as the row's own ``id`` is its key; ``resolution`` is split into ``method``,
#: ``score`` and ``reason``.
ENTITY_NOT_COLUMNS = frozenset({"id", "resolution"})


def field_names(record: type, exclude: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The names of a dataclass's fields, in declaration order, without ``exclude``."""
    return tuple(f.name for f in fields(record) if f.name not in exclude)


@cache
def event_columns() -> tuple[str, ...]:
    """Event fields kept as columns of ``events`` and of ``event_clusters`` alike."""
    return field_names(Event, EVENT_NOT_COLUMNS)


@cache
def claim_columns() -> tuple[str, ...]:
    """Claim fields kept as columns of ``claims``: all of them."""
    return field_names(Claim)


@cache
def source_columns() -> tuple[str, ...]:
    """Source fields kept as columns of ``event_sources``: all of them."""
    return field_names(Source)


@cache
def entity_columns() -> tuple[str, ...]:
    """Entity fields kept under their own names as columns of ``entities``."""
    return field_names(Entity, ENTITY_NOT_COLUMNS)


@cache
def relation_columns() -> tuple[str, ...]:
    """Relation fields kept as columns of ``relations``: all of them."""
    return field_names(Relation)


def row_to_claim(m: Mapping[Any, Any]) -> Claim:
    """A claim from its row's mapping (``row._mapping``)."""
    return Claim(**{c: m[c] for c in claim_columns()})


def row_to_source(m: Mapping[Any, Any]) -> Source:
    """A source from its row's mapping (``row._mapping``)."""
    return Source(**{c: m[c] for c in source_columns()})


def row_to_relation(m: Mapping[Any, Any]) -> Relation:
    """A relation from its row's mapping (``row._mapping``)."""
    return Relation(**{c: m[c] for c in relation_columns()})


__all__ = ["ENTITY_NOT_COLUMNS", "EVENT_NOT_COLUMNS", "claim_columns", "entity_columns",
           "event_columns", "field_names", "relation_columns", "row_to_claim", "row_to_relation",
           "row_to_source", "source_columns"]
