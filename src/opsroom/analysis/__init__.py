"""The picture on top of the events: control timeline, actor graph, trends.

knowledge = Knowledge.from_settings(settings)    # the user's own actors and places too
state = who_held(store, "al-Qaim", knowledge, on=dt.date(2017, 11, 10))
moved = control_changes(store, knowledge, dt.date(2017, 10, 1), dt.date(2017, 11, 30))
graph = actor_graph(store, knowledge, since, until)  # .nodes, .edges, .to_json()
table = trends(store, by="week", since=since, until=until)
"""

from .control import (
    ControlChange,
    ControlState,
    Evidence,
    all_changes,
    change_of,
    changes_from_events,
    control_changes,
    who_held,
)
from .graph import ActorGraph, Edge, EdgeEvidence, Node, actor_graph, build_graph
from .trends import TREND_KEYS, Trend, TrendRow, iso_week, trend, trends

__all__ = [
    "TREND_KEYS",
    "ActorGraph",
    "ControlChange",
    "ControlState",
    "Edge",
    "EdgeEvidence",
    "Evidence",
    "Node",
    "Trend",
    "TrendRow",
    "actor_graph",
    "all_changes",
    "build_graph",
    "change_of",
    "changes_from_events",
    "control_changes",
    "iso_week",
    "trend",
    "trends",
    "who_held",
]
