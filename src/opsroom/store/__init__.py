"""Storage: SQLite by default, PostgreSQL for volume; one schema through Alembic."""

from .db import make_engine, migrate
from .query import EventQuery, ViewEvent, search_events, select_events
from .repository import ArticleFilter, Store

__all__ = ["ArticleFilter", "EventQuery", "Store", "ViewEvent", "make_engine", "migrate",
           "search_events", "select_events"]
