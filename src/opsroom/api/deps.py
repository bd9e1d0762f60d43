"""Request-scoped access to what ``create_app`` set up (store, settings, knowledge, jobs)."""

from __future__ import annotations

from fastapi import Request

from ..config import Settings
from ..knowledge import Knowledge
from ..store import Store


def get_store(request: Request) -> Store:
    """FastAPI dependency: the app's one store, so routes share its connection pool."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """FastAPI dependency: the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_knowledge(request: Request) -> Knowledge:
    """FastAPI dependency: the app's knowledge (actors, gazetteer, lexicon), loaded once."""
    knowledge: Knowledge = request.app.state.knowledge
    return knowledge


def page_window(page: int, per_page: int) -> tuple[int, int]:
    """(limit, offset) of a 1-based page."""
    return per_page, (page - 1) * per_page
