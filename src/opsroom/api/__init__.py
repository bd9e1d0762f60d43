"""The REST API (and, mounted beside it, the dashboard) of opsroom.

    from opsroom.api import create_app
    app = create_app(settings)          # uvicorn.run(app) or TestClient(app)
"""

from .app import API_PREFIX, create_app

__all__ = ["API_PREFIX", "create_app"]
