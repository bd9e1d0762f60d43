"""The dashboard: server-rendered pages whose small scripts read the REST API.

``router`` holds the pages; ``STATIC_DIR`` is what the app mounts at ``/static``
(scripts, styles, the vendored Leaflet and the province basemap).
"""

from .routes import CSP, STATIC_DIR, router

__all__ = ["CSP", "STATIC_DIR", "router"]
