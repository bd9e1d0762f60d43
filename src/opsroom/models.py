"""Typed records passed between the stages of the pipeline.

Every stage takes and returns these plain dataclasses, so a stage can be run, tested
and replaced alone (DESIGN.md, "The flow of data").  Field names follow ACLED where
ACLED has the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: Where an article's publication date came from. A photo caption's date is never one (it
#: is at most a lower bound), so "caption" is not a source; stores written before that
#: rule may still hold it.
DateSource = Literal["given", "text", "flag", "dateline"]
Stance = Literal["asserts", "denies"]
#: Record ids are hex digests or knowledge-base slugs: anything else cannot name a record
#: (the API and the dashboard refuse it before any look-up).
RECORD_ID_PATTERN = r"^[A-Za-z0-9_.-]{1,80}$"
EntityLabel = Literal["PLACE", "ACTOR", "PERSON"]


@dataclass(frozen=True)
class OffsetSegment:
    """A run of stored text copied unchanged from the raw input.

    ``text[clean_start:clean_start+length] == raw[raw_start:raw_start+length]``.
    A list of these is the character map from the stored text back to its source.
    """

    clean_start: int
    raw_start: int
    length: int


@dataclass
class RawDocument:
    """One unit handed over by a reader, before splitting and cleaning."""

    origin: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    external_id: str | None = None
    #: ``True`` when the reader already isolated one article (JSONL, feed item, HTML page).
    single_article: bool = False


@dataclass
class Article:
    """One cleaned article: the unit every later stage works on."""

    id: str
    text: str
    title: str | None = None
    captions: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    dateline: str | None = None
    published: dt.date | None = None
    published_source: DateSource | None = None
    language: str | None = None
    url: str | None = None
    #: The caller's own id of the record (a JSONL ``id``, a feed item's guid), kept so
    #: results can be joined back to the records they came from.
    external_id: str | None = None
    origin: str = ""
    offset_map: list[OffsetSegment] = field(default_factory=list)
    content_hash: str = ""

    def raw_offset(self, pos: int) -> int | None:
        """Position in the raw input of stored character ``pos`` (None when synthesised)."""
        for seg in self.offset_map:
            if seg.clean_start <= pos < seg.clean_start + seg.length:
                return seg.raw_start + (pos - seg.clean_start)
        return None

    def to_json(self) -> dict[str, Any]:
        """The article's metadata in the document contract: no text, origin or offset map
        (``document_to_json`` adds the text so an export can be re-imported)."""
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_source": self.published_source,
            "source": self.source,
            "authors": list(self.authors),
            "dateline": self.dateline,
            "language": self.language,
            "url": self.url,
            "external_id": self.external_id,
            "captions": list(self.captions),
        }


@dataclass
class Resolution:
    """Why a mention resolved to what it did (or why it was rejected)."""

    method: str
    score: float
    reason: str


@dataclass
class Entity:
    """A mention resolved against shipped knowledge; one item of the document's ``entities``."""

    text: str
    start: int
    end: int
    label: EntityLabel
    id: str | None
    name: str | None
    resolution: Resolution | None = None
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
    #: Military rank of a PERSON ("Colonel"), apart from the role ("spokesman").
    rank: str | None = None
    #: What an ACTOR is: the knowledge base's kind ("state_forces", "agency", ...) or, for
    #: an organisation the base does not know, the kind its name shows ("government" for
    #: a ministry, "court", "international", "media", ...).
    kind: str | None = None
    #: Where the mention stands when not in the body text: "caption" (offsets into
    #: ``article.captions[part_index]``) or "dateline"; None for the body.
    part: str | None = None
    part_index: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The entity without its unset fields, so a document line lists only what was resolved."""
        out = {k: v for k, v in asdict(self).items() if v is not None}
        return out


@dataclass
class Relation:
    """A stated relation between actors ("U.S.-backed SDF") with its source sentence."""

    subject: str
    predicate: Literal["backed_by", "part_of", "allied_with", "fights"]
    object: str
    sentence: str
    start: int
    end: int
    article_id: str | None = None


@dataclass
class Claim:
    """One party's statement about an event or one of its figures."""

    claimed_by: str | None
    stance: Stance = "asserts"
    field: str | None = None
    value: int | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0
    article_id: str | None = None
    #: Upper end of a stated range ("1,000 to 1,500"); None when the claim is one number.
    value_high: int | None = None
    #: How the value was read ("digits, 'at least'"; "vague quantity 'dozens'").
    reason: str | None = None


@dataclass
class Source:
    """A sentence that tells an event, with who said it."""

    article_id: str
    sentence: str
    start: int
    end: int
    claimed_by: str | None = None
    stance: Stance = "asserts"


@dataclass
class Event:
    """One happening at a place on a date, coded as ACLED codes it."""

    event_id: str
    event_type: str
    sub_event_type: str
    event_date: dt.date | None = None
    date_precision: str | None = None
    date_reason: str | None = None
    #: Why the sub-type: the rule and its trigger, or the classifier's label, probability
    #: and nearest example.
    type_reason: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: str | None = None
    assoc_actor_2: str | None = None
    location: str | None = None
    admin1: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injuries: int | None = None
    weapon: str | None = None
    quantity: int | None = None
    background: bool = False
    sources: list[Source] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The event as JSON, its date as an ISO string; ``event_from_json`` reads it back."""
        out = asdict(self)
        out["event_date"] = self.event_date.isoformat() if self.event_date else None
        return out


@dataclass
class Member:
    """One event of a cluster and why it joined."""

    event_id: str
    reason: str


@dataclass
class Cluster:
    """A merged event: the reconciled record, its members and the block it lives in.

    What the merge (``opsroom.merge``) decides and the store writes to ``event_clusters``:
    a record of its own here, so the store needs the records and never the merge.
    """

    event: Event
    members: list[Member]
    block: str
    claimants: list[str] = field(default_factory=list)
    n_articles: int = 0
    pending: bool = False  # a new event's own cluster, until a merge has seen it

    @property
    def cluster_id(self) -> str:
        """The id of the reconciled event: a merged event and its cluster share one key."""
        return self.event.event_id

    @property
    def search_text(self) -> str:
        """What a text search of the served events looks in: the place and every
        sentence that tells the event, lower-cased, each once."""
        parts = [self.event.location or ""]
        parts += dict.fromkeys(s.sentence for s in self.event.sources)
        return " ".join(p for p in parts if p).lower()



@dataclass
class Document:
    """The output contract of ``opsroom extract`` for one article."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``opsroom extract`` output for one article (the document contract of DESIGN.md)."""
        return {
            "article": self.article.to_json(),
            "entities": [e.to_json() for e in self.entities],
            "events": [e.to_json() for e in self.events],
            "relations": [asdict(r) for r in self.relations],
        }
