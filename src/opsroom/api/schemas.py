"""Pydantic shapes of what the API sends and accepts (they make /openapi.json exact).

Field names follow the document contract of DESIGN.md; text fields are plain text,
never markup: escaping is the client's job.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: The largest count a stored integer column holds (SQL INTEGER, 32-bit on PostgreSQL).
MAX_COUNT = 2**31 - 1


def _refuse_nul(model: BaseModel) -> None:
    """No text field may hold NUL: it means nothing in an article or an event, and
    PostgreSQL refuses it in any text value."""
    for name in model.model_fields_set:
        value = getattr(model, name)
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(f"{name} holds a NUL character")


class ArticleOut(BaseModel):
    """An article as lists show it: metadata without the text (``GET /articles``).

    ``n_events`` is filled only where the events were counted, as on the detail page."""

    id: str
    title: str | None
    published: dt.date | None
    published_source: str | None = None
    source: str | None
    authors: list[str]
    dateline: str | None
    language: str | None = None
    url: str | None
    external_id: str | None = None
    captions: list[str]
    n_events: int | None = None


class ArticlePage(BaseModel):
    """One page of ``GET /articles`` with the total count, so a client can page through."""

    items: list[ArticleOut]
    total: int
    page: int
    per_page: int


class ResolutionOut(BaseModel):
    """Why a mention resolved to what it did: the method, its score and the reason."""

    method: str
    score: float
    reason: str


class EntityOut(BaseModel):
    """A named mention in an article, with character offsets for highlighting and what it
    resolved to: an actor (``id``, ``name``), a place (coordinates, ``geonameid``) or a
    person's role, each with its ``resolution`` reason."""

    text: str
    start: int
    end: int
    label: str
    id: str | None = None
    name: str | None = None
    resolution: ResolutionOut | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    admin1: str | None = None
    geo_precision: int | None = None
    feature: str | None = None
    geonameid: int | None = None
    anchor: str | None = None
    role: str | None = None
    organisation: str | None = None
    rank: str | None = None
    kind: str | None = None
    #: "caption" (offsets into ``captions[part_index]``) or "dateline"; None for the text.
    part: str | None = None
    part_index: int | None = None


class RelationOut(BaseModel):
    """A relation an article states between two names ("X, commander of Y"), with the
    sentence and offsets it was read from, so a reader can check it."""

    subject: str
    predicate: str
    object: str
    sentence: str
    start: int
    end: int
    article_id: str | None = None
    article_title: str | None = None


class ArticleDetail(ArticleOut):
    """One article in full (``GET /articles/{id}``): text, entities, stated relations and the
    ids of the events extracted from it."""

    text: str
    entities: list[EntityOut]
    relations: list[RelationOut]
    event_ids: list[str]


class Context(BaseModel):
    """The article text around a source sentence, cut for highlighting."""

    before: str
    match: str
    after: str


class SourceOut(BaseModel):
    """A report behind an event: the sentence and its article, who claimed it and with what
    stance; ``context`` (the text around it) only on a single event's page."""

    article_id: str
    article_title: str | None = None
    sentence: str
    start: int
    end: int
    claimed_by: str | None
    stance: str
    context: Context | None = None


class ClaimOut(BaseModel):
    """One number a source gave for an event (fatalities, injuries, quantity) with who said it,
    so disagreeing counts stay visible after the merge picked one."""

    claimed_by: str | None
    stance: str
    field: str | None
    value: int | None
    sentence: str
    start: int
    end: int
    article_id: str | None
    #: Upper end of a stated range ("1,000 to 1,500"); None when the claim is one number.
    value_high: int | None = None
    #: How the value was read ("digits, 'at least'"; "vague quantity 'dozens'").
    reason: str | None = None


class EditOut(BaseModel):
    """An analyst's edit of one field, kept over every merge, re-ingest and restore."""

    event_id: str = Field(description="The served event the edit lies on now")
    field: str
    value: Any = Field(description="The analyst's value, served in place of the extracted one")
    extracted: Any = Field(description="The value the extractor and the merge gave")
    by: str = Field(description="Name of the token that made the edit")
    at: dt.datetime
    status: Literal["applied", "needs review", "orphaned"]
    reason: str | None = Field(None, description="Why it needs review or is orphaned")


class EditPage(BaseModel):
    """The analysts' edits ``GET /edits`` lists, with their count."""

    items: list[EditOut]
    total: int


class EventOut(BaseModel):
    """An event in the ACLED-like shape of DESIGN.md, with the sources and claims behind it
    and the reasons for its date and type, so every value can be traced to its sentence."""

    event_id: str
    event_date: dt.date | None
    date_precision: str | None
    date_reason: str | None = None
    event_type: str
    sub_event_type: str
    #: Why the sub-type: the rule and its trigger, or the classifier's label and probability.
    type_reason: str | None = None
    actor1: str | None
    actor2: str | None
    assoc_actor_1: str | None
    assoc_actor_2: str | None
    location: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    injuries: int | None
    weapon: str | None
    quantity: int | None
    background: bool
    merged: bool = Field(description="True for an event merged from several reports")
    n_articles: int
    sources: list[SourceOut]
    claims: list[ClaimOut]
    edits: list[EditOut] = Field(
        default_factory=list,
        description="Analysts' edits laid over the extracted record (one event's page only)")


class EventPage(BaseModel):
    """One page of ``GET /events`` with the total count, so a client can page through."""

    items: list[EventOut]
    total: int
    page: int
    per_page: int


class EventPatch(BaseModel):
    """Fields of an event an editor may change; anything else is refused."""

    model_config = ConfigDict(extra="forbid")

    event_date: dt.date | None = None
    date_precision: Literal["day", "week", "month", "year"] | None = None
    event_type: str | None = Field(None, min_length=1, max_length=60)
    sub_event_type: str | None = Field(None, min_length=1, max_length=80)
    actor1: str | None = Field(None, max_length=300)
    actor2: str | None = Field(None, max_length=300)
    assoc_actor_1: str | None = Field(None, max_length=300)
    assoc_actor_2: str | None = Field(None, max_length=300)
    location: str | None = Field(None, max_length=300)
    admin1: str | None = Field(None, max_length=120)
    country: str | None = Field(None, max_length=80)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    geo_precision: int | None = Field(None, ge=1, le=3)
    fatalities: int | None = Field(None, ge=0, le=MAX_COUNT)
    fatalities_low: int | None = Field(None, ge=0, le=MAX_COUNT)
    fatalities_high: int | None = Field(None, ge=0, le=MAX_COUNT)
    injuries: int | None = Field(None, ge=0, le=MAX_COUNT)
    weapon: str | None = Field(None, max_length=80)
    quantity: int | None = Field(None, ge=0, le=MAX_COUNT)
    background: bool | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> EventPatch:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        _refuse_nul(self)
        for name in ("event_type", "sub_event_type", "background"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class EditResult(BaseModel):
    """The answer to ``PATCH /events/{id}``: the event as now served and the changed fields'
    values before and after, as the audit log records them."""

    event: EventOut
    before: dict[str, Any]
    after: dict[str, Any]


class AuditEntry(BaseModel):
    """One audit-log row: who did what to which target, with the values before and after
    (None for a creation or a deletion side)."""

    id: int
    at: dt.datetime
    who: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(BaseModel):
    """One page of ``GET /audit``, newest first, with the total count."""

    items: list[AuditEntry]
    total: int
    page: int
    per_page: int


class ActorOut(BaseModel):
    """An actor of the knowledge base with its aliases, its relations by kind (ids) and how
    many stored events name it."""

    id: str
    name: str
    kind: str
    inter: int | None
    country: str | None
    aliases: list[str]
    relations: dict[str, list[str]]
    event_count: int


class ActorDetail(ActorOut):
    """One actor (``GET /actors/{id}``): its knowledge-base entry plus relations stated in
    articles, the actors pointing at it and its most recent events."""

    stated_relations: list[RelationOut]
    related_by: dict[str, list[str]] = Field(
        description="Actors whose KB entry points at this one, by relation")
    recent_events: list[EventOut]


class PlaceOut(BaseModel):
    """A gazetteer place matching a ``GET /places`` search; ``score`` is 100 for an exact
    name key, lower for a fuzzy spelling match."""

    id: str
    name: str
    latitude: float
    longitude: float
    country: str
    admin1: str | None
    kind: str
    score: float


class JobAccepted(BaseModel):
    """The answer to ``POST /ingest``: the id to poll at ``GET /jobs/{job_id}``."""

    job_id: str


class JobOut(BaseModel):
    """An ingest job's state and counters (read, new, known, duplicates, failed) with the
    inputs that failed and why, so a client can poll until ``done`` or ``failed``."""

    id: str
    state: Literal["queued", "running", "done", "failed"]
    created: dt.datetime
    started: dt.datetime | None
    finished: dt.datetime | None
    total: int | None
    read: int
    new: int
    known: int
    duplicates: int
    failed: int
    failures: list[dict[str, str]]
    error: str | None


class IngestArticle(BaseModel):
    """One article posted as JSON (the JSONL line schema of DESIGN.md)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    title: str | None = Field(None, max_length=1000)
    published: dt.date | None = None
    source: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)
    id: str | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _no_nul(self) -> IngestArticle:
        _refuse_nul(self)
        return self


class ChangeOut(BaseModel):
    """One entry of the change feed: an event id and the latest thing that happened to it."""

    event_id: str
    change: Literal["created", "updated", "deleted"] = Field(
        description="created or updated: read the event at /events/{event_id}; "
                    "deleted: drop it from a copy")
    at: dt.datetime = Field(description="When it happened (UTC)")


class ChangePage(BaseModel):
    """One page of ``GET /changes``: each event changed at or after ``since``, in the order
    of the changes, with their total and the next sync's ``since``."""

    items: list[ChangeOut]
    total: int
    page: int
    per_page: int
    since: dt.datetime | None
    latest: dt.datetime | None = Field(
        description="The ``since`` of the next sync: the newest change on record, held at "
                    "least five minutes behind the time of this answer (a write still open "
                    "when it was read can log a change stamped earlier than the newest)")
