"""One event per happening: per-article events that report the same thing, merged.

Outlets retell a strike in their own words; one article may tell it twice.  Two stored
events describe one happening when

1. their types agree: the same ACLED type, and the same sub-type or sub-types that
   outlets often confuse (``data/merge/rules.json``: rocket vs drone strike; clash vs
   capture);
2. their dates agree: the periods their precisions cover (day; the week from its first
   day; the month; the year) lie at most one day apart.  An undated event matches only
   the same named place, reported by another article published within two days (or,
   against a dated event, a date in the week before its publication);
3. their places agree: the same place name, or within 25 km (100 km when one side names
   only a province); a country-wide location matches only the same country-wide one;
4. their actors agree, side by side: the same actor, an unknown or unidentified one, or
   one that is part of the other in the actor knowledge base.  A clash may tell its
   sides in either order.

Cost: events are bucketed by week and by a 0.5° grid cell (or by place name when there
are no coordinates), and only events of neighbouring buckets are compared, so the work
grows with the number of events, not with its square.  Compatibility is not transitive
(an unknown actor fits both the United States and Russia), so each connected group is
split greedily, in a fixed order, into clusters whose members all fit one another:
the same input always gives the same clusters, whatever order it arrived in.

A cluster's id is the id of its earliest member (first by publication date, then by
event date, then by id), so it survives re-ingest; every member records why it joined.
Figures are reconciled as ACLED and UCDP do: ``fatalities`` is the most conservative
credible figure (the smallest non-zero figure asserted; denials do not count),
``fatalities_low``/``fatalities_high`` span the asserted figures, and every claimant
is listed.

The package, in the order of the work:

- ``rules``: the merge rules (``data/merge/rules.json``), checked against the ontology;
- ``match``: the record a merge works on (``Item``), the test of two events, blocking
  and the greedy split into happenings (pure);
- ``reconcile``: one merged record from a happening's members, its figures by the rule
  the merge within one article (``events.article_merge``) uses too (``opsroom.figures``);
- ``walk``: against the store: the full recompute and the incremental walk.

The clusters it decides are records (``models.Cluster``), so the store writes them
without importing the merge.
"""

from .match import ActorMatcher, Item, candidate_pairs, group, match
from .reconcile import cluster_events, reconcile
from .rules import MergeRules, load_rules
from .walk import (
    MERGE_LOCK,
    MERGE_STEP,
    PENDING_REASON,
    STEP_DAYS,
    MergeReport,
    StoreReader,
    merge_all,
    pending_clusters,
    update_merged,
)

__all__ = [
    "MERGE_LOCK", "MERGE_STEP", "PENDING_REASON", "STEP_DAYS", "ActorMatcher", "Item",
    "MergeReport", "MergeRules", "StoreReader", "candidate_pairs", "cluster_events",
    "group", "load_rules", "match", "merge_all", "pending_clusters", "reconcile",
    "update_merged",
]
