"""One layered configuration: packaged defaults → user file → environment → CLI flags."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import OpsroomError

DEFAULT_DATABASE_URL = "sqlite:///opsroom.db"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told."""

    database_url: str = DEFAULT_DATABASE_URL
    max_mb: float = 20.0
    encoding: str | None = None
    batch_size: int = 32
    actors_files: tuple[str, ...] = ()
    places_files: tuple[str, ...] = ()
    #: Where the built gazetteer index and the trained classifier are kept (empty: the
    #: platform's user cache folder, see ``default_cache_dir``).
    cache_dir: str = ""
    #: API tokens as ``name:token`` pairs separated by commas (``opsroom token create``
    #: stores hashed ones in the database instead).
    api_tokens: str = ""
    #: When true, reads of the API need a token too (writes always do).
    api_read_requires_token: bool = False
    #: Largest request body the API accepts, in MB (413 above).
    api_max_body_mb: float = 10.0
    #: Origins allowed to call the API from a browser (comma-separated); none by default.
    api_cors_origins: str = ""
    #: Requests per minute an API client earns back (per token holder, or per IP when
    #: anonymous); 0 turns the limit off.  600 (10/s) is far above what a person at the
    #: dashboard makes and well below what a scraper would.
    api_rate_per_minute: int = 600
    #: Requests a client may make at once before the per-minute rate applies: the
    #: dashboard's heaviest page makes about ten calls, and a scripted check of the API
    #: (the read tests' module: about 150 calls back to back) must fit with room to spare.
    api_rate_burst: int = 300
    #: Most files one multipart upload to ``/ingest`` may carry (413 above).
    api_max_upload_files: int = 100


_ENV = {
    "OPSROOM_DATABASE_URL": "database_url",
    "OPSROOM_MAX_MB": "max_mb",
    "OPSROOM_ENCODING": "encoding",
    "OPSROOM_BATCH_SIZE": "batch_size",
    "OPSROOM_CACHE_DIR": "cache_dir",
    "OPSROOM_API_TOKENS": "api_tokens",
    "OPSROOM_API_READ_REQUIRES_TOKEN": "api_read_requires_token",
    "OPSROOM_API_MAX_BODY_MB": "api_max_body_mb",
    "OPSROOM_API_CORS_ORIGINS": "api_cors_origins",
    "OPSROOM_API_RATE_PER_MINUTE": "api_rate_per_minute",
    "OPSROOM_API_RATE_BURST": "api_rate_burst",
    "OPSROOM_API_MAX_UPLOAD_FILES": "api_max_upload_files",
}


def user_config_path() -> Path:
    """Where the user's config file is: ``$OPSROOM_CONFIG`` when set, else
    ``$XDG_CONFIG_HOME/opsroom/config.toml`` (``~/.config`` by default)."""
    if "OPSROOM_CONFIG" in os.environ:
        return Path(os.environ["OPSROOM_CONFIG"])
    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "opsroom" / "config.toml"


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "float":
            return float(value)
        if kind == "int":
            return int(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if str(value).strip().lower() in ("1", "true", "yes", "on"):
                return True
            if str(value).strip().lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(value)
        if kind.startswith("tuple"):
            if isinstance(value, str):
                return tuple(v for v in value.split(os.pathsep) if v)
            return tuple(value)
    except (TypeError, ValueError) as exc:
        raise OpsroomError(f"setting {name}: bad value {value!r}") from exc
    return value


def resolve_settings(**flags: Any) -> Settings:
    """Settings from every layer; ``flags`` with value None are unset."""
    settings = Settings()
    path = user_config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text("utf-8")).get("opsroom", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise OpsroomError(f"{path}: unreadable config ({exc})") from exc
        known = {f.name for f in fields(Settings)}
        unknown = set(data) - known
        if unknown:
            raise OpsroomError(f"{path}: unknown settings {', '.join(sorted(unknown))}")
        settings = replace(settings, **{k: _coerce(k, v) for k, v in data.items()})
    env = {attr: _coerce(attr, os.environ[var]) for var, attr in _ENV.items() if var in os.environ}
    settings = replace(settings, **env)
    given = {k: _coerce(k, v) for k, v in flags.items() if v is not None}
    return replace(settings, **given)


#: Longest a process waits for another to finish building a cache file before building
#: it itself: a cold gazetteer or example-bank build takes one to three minutes on two
#: busy cores.
CACHE_BUILD_WAIT_S = 600.0


@contextmanager
def cache_build_lock(path: Path) -> Iterator[None]:
    """Hold the build lock of the cache file ``path``: one process builds, the others wait.

    Without it every process started before the file exists builds it alone: the API's
    workers, Dask's, a batch of commands started together, each spending a minute of CPU
    on the same gazetteer or example bank.  The caller reads the file again once it holds
    the lock (another process may have written it meanwhile).  A folder that cannot hold
    the lock file, or a wait past ``CACHE_BUILD_WAIT_S``, builds without the lock: the
    files are written by rename, so a doubled build costs time, never a torn file.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(f"{path}.lock", timeout=CACHE_BUILD_WAIT_S)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except (OSError, Timeout):
        yield
        return
    try:
        yield
    finally:
        lock.release()


def default_cache_dir(settings: Settings | None = None) -> Path:
    """The cache folder: the ``cache_dir`` setting, else platformdirs, else XDG / ~/.cache.

    Without ``settings`` (a library call outside a command), the settings are resolved
    here, so ``$OPSROOM_CACHE_DIR`` and the user's config file are honoured alike.
    """
    configured = (settings or resolve_settings()).cache_dir
    if configured:
        return Path(configured)
    try:
        import platformdirs
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "opsroom"
    return Path(platformdirs.user_cache_dir("opsroom"))
