"""Event extraction: from a parsed article and its entities to ACLED-coded events.

The public entry point is :func:`extract_events`; the modules behind it follow the
steps of ``extract``'s docstring: ``dates``, ``numbers``, ``claims``, ``detect``,
``coding``, ``arguments`` and ``article_merge`` (which reconciles figures by the rule of
the merge across articles, ``opsroom.figures``).  Their knowledge lives in
``opsroom/data/events`` (``lexicon`` loads and checks it).
"""

from __future__ import annotations

from .dates import DatedValue, find_dates, resolve_date
from .extract import extract_events
from .lexicon import Lexicon, load_lexicon
from .numbers import Count, Figure, casualty_figures, parse_count

__all__ = [
    "Count",
    "DatedValue",
    "Figure",
    "Lexicon",
    "casualty_figures",
    "extract_events",
    "find_dates",
    "load_lexicon",
    "parse_count",
    "resolve_date",
]
