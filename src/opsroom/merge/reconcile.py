"""One record per happening: the merged event of a cluster of stored events.

The type is the most specific any outlet reported, the date the most precise, the place
the most precise, each side the most reported named party; figures follow the rule of
``opsroom.figures``, applied to the members' claims and figures together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..figures import asserted, figure_span
from ..models import Claim, Cluster, Event, Member, Source
from .match import _PRECISION_RANK, ActorMatcher, Item, block_of, group
from .rules import MergeRules, load_rules

if TYPE_CHECKING:
    from ..resolve.kb import ActorKB



def _figures(events: Sequence[Event], claims: Iterable[Claim], name: str
             ) -> tuple[int | None, int | None, int | None]:
    """(conservative, low, high) of one figure over the members' claims and figures."""
    values, highs = asserted(claims, name)
    for ev in events:
        for attr in (name, f"{name}_low", f"{name}_high"):
            v = getattr(ev, attr, None)
            if v is not None:
                values.append(v)
    return figure_span(values, highs)


def _vote(values: Iterable[Any]) -> Any:
    """The most frequent non-empty value; ties go to the earliest (inputs come in order)."""
    seen = [v for v in values if v not in (None, "")]
    if not seen:
        return None
    counts = Counter(seen)
    best = max(counts.values())
    return next(v for v in seen if counts[v] == best)


def reconcile(members: Sequence[tuple[Item, str]], rules: MergeRules | None = None) -> Cluster:
    """The merged event of a cluster: one record, all sources and claims, figures reconciled."""
    rules = rules or load_rules()
    items = [m[0] for m in members]
    events = [i.event for i in items]
    first = events[0]
    # Type: the most specific sub-type any outlet reported (a capture beats a clash).
    sub = min((e.sub_event_type for e in events), key=lambda s: (rules.rank(s), s))
    etype = next(e.event_type for e in events if e.sub_event_type == sub)
    # Date: the most precise; among equals, the most reported, then the earliest report.
    dated = [e for e in events if e.event_date is not None]
    date_src = min(dated, key=lambda e: _PRECISION_RANK.get(e.date_precision or "day", 0),
                   default=None)
    if date_src is not None:
        best = _PRECISION_RANK.get(date_src.date_precision or "day", 0)
        date = _vote(e.event_date for e in dated
                     if _PRECISION_RANK.get(e.date_precision or "day", 0) == best)
        date_src = next(e for e in dated if e.event_date == date and
                        _PRECISION_RANK.get(e.date_precision or "day", 0) == best)
    # Place: the most precise location; among equals, the report that gave the sub-type.
    located = [e for e in events if e.location]
    place_src = min(located, key=lambda e: (e.geo_precision or 3, e.sub_event_type != sub),
                    default=first)

    def side(attr: str) -> str | None:
        """The party the reports name most for ``attr``, preferring named over unidentified ones."""
        named = [getattr(e, attr) for e in events if not ActorMatcher.unknown(getattr(e, attr))]
        return _vote(named) or _vote(getattr(e, attr) for e in events)

    claims = [c for e in events for c in e.claims]
    sources = [s for e in events for s in e.sources]
    fatalities = _figures(events, claims, "fatalities")
    injuries = _figures(events, claims, "injuries")
    merged = Event(
        event_id=first.event_id,
        event_type=etype, sub_event_type=sub,
        event_date=date_src.event_date if date_src else None,
        date_precision=date_src.date_precision if date_src else None,
        date_reason=date_src.date_reason if date_src else None,
        type_reason=next((e.type_reason for e in events if e.sub_event_type == sub), None),
        actor1=side("actor1"), actor2=side("actor2"),
        assoc_actor_1=_vote(e.assoc_actor_1 for e in events),
        assoc_actor_2=_vote(e.assoc_actor_2 for e in events),
        location=place_src.location, admin1=place_src.admin1, country=place_src.country,
        latitude=place_src.latitude, longitude=place_src.longitude,
        geo_precision=place_src.geo_precision,
        fatalities=fatalities[0], fatalities_low=fatalities[1], fatalities_high=fatalities[2],
        injuries=injuries[0],
        weapon=_vote(e.weapon for e in events), quantity=_vote(e.quantity for e in events),
        background=all(e.background for e in events),
        sources=_unique_sources(sources), claims=claims,
    )
    claimants = sorted({x for x in [*(c.claimed_by for c in claims),
                                    *(s.claimed_by for s in sources)] if x})
    articles = {s.article_id for s in sources}
    return Cluster(event=merged, members=[Member(i.id, why) for i, why in members],
                   block=block_of(items[0]), claimants=claimants, n_articles=len(articles))


def _unique_sources(sources: Iterable[Source]) -> list[Source]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for s in sources:
        key = (s.article_id, s.start, s.end)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def cluster_events(items: Sequence[Item], kb: ActorKB | None = None) -> list[Cluster]:
    """Merged events of the items (pure: nothing is read or written)."""
    rules = load_rules()
    return [reconcile(members, rules) for members in group(items, kb, rules)]

