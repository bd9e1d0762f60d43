"""Storage: SQLite by default, PostgreSQL for volume; one schema through Alembic."""

from .db import make_engine, migrate
from .repository import ArticleFilter, Store

__all__ = ["ArticleFilter", "Store", "make_engine", "migrate"]
