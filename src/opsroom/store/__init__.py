"""Storage: SQLite by default, PostgreSQL for volume; one schema through Alembic."""

from .db import make_engine, migrate
from .repository import ArticleFilter, EventFilter, Store

__all__ = ["ArticleFilter", "EventFilter", "Store", "make_engine", "migrate"]
