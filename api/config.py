"""The API's settings: defaults, overridden by ``TIMELINE_*`` environment variables,
overridden by the explicit ``config`` mapping given to :func:`api.create_app`.

Every setting has one name; its environment variable is that name with the
``TIMELINE_`` prefix (``MAX_DOCUMENTS`` <- ``TIMELINE_MAX_DOCUMENTS``).  Values are
checked when the app is created, so a typo in the environment stops the server at
start-up with a message naming the variable, instead of failing on some request.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ENV_PREFIX = "TIMELINE_"


class ConfigError(ValueError):
    """A setting has an invalid value; the message names the setting and what it expects."""


@dataclass(frozen=True)
class Settings:
    """Limits of the HTTP API and how ``timeline serve`` runs it."""

    #: Largest request body accepted, in bytes (413 above it).
    MAX_BODY_BYTES: int = 5 * 1024 * 1024
    #: Most documents (``/timeline``) or texts (``/timexes``) in one request.
    MAX_DOCUMENTS: int = 100
    #: Most characters in one document's or text's ``text``.
    MAX_CHARS: int = 100_000
    #: Most characters in all the texts of one request together.  Merging events is
    #: quadratic in the number of dated mentions, so this bounds a request's time.
    MAX_TOTAL_CHARS: int = 500_000
    #: Bytes of answers each worker keeps for repeated identical requests (0: no cache); see api/cache.py.
    CACHE_BYTES: int = 16 * 1024 * 1024
    #: gunicorn worker processes (``timeline serve``); each loads its own pipeline.
    WORKERS: int = max(1, os.cpu_count() or 1)
    #: Threads per worker that run requests.  One request at a time runs the pipeline (it is
    #: CPU-bound); the other threads finish writing answers to slow readers and serve requests
    #: on kept-alive connections meanwhile (/health, cached answers, errors).
    THREADS: int = 4
    #: Seconds a client has to send a whole request (line, headers and body) once it has begun;
    #: 408 after it.  Until then the request holds no thread (api/worker.py).
    READ_TIMEOUT: int = 10
    #: Complete requests a worker takes on at once: while this many run or wait for its threads,
    #: it accepts no new connection, and the kernel hands new ones to a worker that is free
    #: (api/worker.py).  1 suits the CPU-bound pipeline; 0 accepts eagerly, as plain gthread does.
    MAX_IN_PROGRESS: int = 1
    #: Open connections per worker (gunicorn's worker_connections); a worker with this many
    #: accepts no more until some close, and the other workers take the new ones.
    MAX_CONNECTIONS: int = 1000
    #: Address ``timeline serve`` listens on; the default is reachable from this machine only.
    HOST: str = "127.0.0.1"
    #: Port ``timeline serve`` listens on.
    PORT: int = 8000
    #: Seconds a worker's main loop may go without a heartbeat before gunicorn restarts the worker
    #: (a hung worker); requests themselves are bounded by the limits above.
    TIMEOUT: int = 60
    #: gunicorn log level: debug, info, warning, error or critical.
    LOG_LEVEL: str = "info"
    #: Whether gunicorn writes an access log line per request (to stdout).
    ACCESS_LOG: bool = True
    #: Folder of the story the page's "Open the seed story" loads (as ``timeline build`` reads
    #: folders); empty for none.  The default is the repository's ``seeds/``.
    SEED_DIR: str = str(Path(__file__).resolve().parents[1] / "seeds")
    #: Who may show ``/embed`` in a frame: a CSP ``frame-ancestors`` source list.  By default
    #: only this server's own pages; list a dashboard's origin to let it embed the timeline.
    EMBED_ANCESTORS: str = "'self'"
    #: Whose ``postMessage`` ``/embed`` takes articles from (the same forms of sources); empty: the
    #: same sources as EMBED_ANCESTORS, so a page that may frame /embed may also feed it.
    EMBED_ORIGINS: str = ""
    #: Origins whose browser pages may call the API (CORS): ``https://dash.example.org``, several
    #: separated by spaces, or ``*`` for any; empty, the default, for none (same origin only).
    CORS_ORIGINS: str = ""
    #: Whether a document may be given by its ``url`` alone, for the server to fetch.  Off by
    #: default: a server that fetches reaches the web on its clients' behalf (see docs/api.md).
    FETCH_URLS: bool = False
    #: Seconds one page fetch may take, redirects included.
    FETCH_TIMEOUT: int = 10
    #: Let fetches reach loopback, private and link-local addresses.  Only for tests and intranets:
    #: on a public server it lets clients reach what only the server can (SSRF).
    FETCH_PRIVATE_ADDRESSES: bool = False
    #: The stored stories' database (a SQLAlchemy URL); empty: the SQLite file of docs/stories.md.
    DATABASE_URL: str = ""
    #: Keys that may write stories (``Authorization: Bearer KEY``), comma-separated; empty: writes are open.
    API_KEYS: tuple[str, ...] = field(default=(), repr=False)
    #: Keys that may read stories, comma-separated (write keys read too); empty: reads are open.
    READ_KEYS: tuple[str, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def embed_origins(self) -> list[str]:
        """The sources /embed takes messages from: EMBED_ORIGINS, or else EMBED_ANCESTORS."""
        return (self.EMBED_ORIGINS or self.EMBED_ANCESTORS).split()


NAMES = tuple(f.name for f in fields(Settings))
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def _integer(low: int, high: int | None = None) -> Callable[[str, Any], int]:
    def parse(name: str, value: Any) -> int:
        if isinstance(value, bool):
            raise ConfigError(f"{name} must be an integer, not {value!r}")
        if isinstance(value, str):
            text = value.strip().replace("_", "")
            if not text.lstrip("+-").isdigit() or not text.isascii():
                raise ConfigError(f"{name} must be an integer, not {value!r}")
            value = int(text)
        if not isinstance(value, int):
            raise ConfigError(f"{name} must be an integer, not {type(value).__name__}")
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ConfigError(f"{name} must be {bounds}, not {value}")
        return value
    return parse


def _host(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value.strip()):
        raise ConfigError(f"{name} must be a host name or IP address, not {value!r}")
    return value.strip().removeprefix("[").removesuffix("]")


def _log_level(name: str, value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in LOG_LEVELS:
        raise ConfigError(f"{name} must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return value.strip().lower()


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or any(c in value for c in "\r\n\0"):
        raise ConfigError(f"{name} must be one line of text, not {value!r}")
    return value.strip()


# A CSP source as frame-ancestors takes it: 'self', 'none', *, a scheme ("https:"), or a host with an
# optional scheme, a leading "*." and a port ("https://*.example.org:8443").
_SOURCE = re.compile(r"\*|'self'|'none'|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?(\*\.)?[a-z0-9.-]+(:(\d+|\*))?",
                     re.IGNORECASE)
# An origin as the Origin header gives it (scheme, host, optional port), or * for any.
_ORIGIN = re.compile(r"\*|https?://([a-z0-9.-]+|\[[0-9a-f:]+\])(:\d+)?", re.IGNORECASE)


def _list_of(pattern: re.Pattern[str], what: str) -> Callable[[str, Any], str]:
    """A setting that lists sources or origins, separated by spaces or commas; kept space-separated."""
    def parse(name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise ConfigError(f"{name} must be a list of {what} separated by spaces, not {value!r}")
        items = value.replace(",", " ").split()
        bad = [item for item in items if not pattern.fullmatch(item)]
        if bad:
            raise ConfigError(f"{name} must list {what} separated by spaces; {bad[0]!r} is not one")
        return " ".join(items)
    return parse


def _boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else None
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def _keys(name: str, value: Any) -> tuple[str, ...]:
    """Comma-separated keys (a list or tuple in ``config``); the message never shows a key."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
        raise ConfigError(f"{name} must be comma-separated keys")
    keys = tuple(item.strip() for item in items if item.strip())
    if any(any(c.isspace() or not c.isprintable() for c in key) for key in keys):
        raise ConfigError(f"{name}: a key may hold no spaces or control characters")
    return keys


_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "MAX_BODY_BYTES": _integer(1),
    "MAX_DOCUMENTS": _integer(1),
    "MAX_CHARS": _integer(1),
    "MAX_TOTAL_CHARS": _integer(1),
    "CACHE_BYTES": _integer(0),
    "WORKERS": _integer(1, 64),
    "THREADS": _integer(1, 256),
    "READ_TIMEOUT": _integer(1, 3600),
    "MAX_CONNECTIONS": _integer(1, 100_000),
    "MAX_IN_PROGRESS": _integer(0, 100_000),
    "HOST": _host,
    "PORT": _integer(0, 65535),
    "TIMEOUT": _integer(1),
    "LOG_LEVEL": _log_level,
    "ACCESS_LOG": _boolean,
    "SEED_DIR": _text,
    "EMBED_ANCESTORS": _list_of(_SOURCE, "frame-ancestors sources ('self', https://example.org)"),
    "EMBED_ORIGINS": _list_of(_SOURCE, "origins ('self', https://example.org)"),
    "CORS_ORIGINS": _list_of(_ORIGIN, "origins (https://example.org) or *"),
    "FETCH_URLS": _boolean,
    "FETCH_TIMEOUT": _integer(1, 300),
    "FETCH_PRIVATE_ADDRESSES": _boolean,
    "DATABASE_URL": _text,
    "API_KEYS": _keys,
    "READ_KEYS": _keys,
}


def load_settings(config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from defaults, then ``TIMELINE_*`` variables of ``environ``, then ``config``.

    ``config`` keys are setting names (``"MAX_DOCUMENTS"``); an unknown key is an
    error, so a misspelt setting is not silently ignored.  Raises :class:`ConfigError`.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in NAMES:
        raw = environ.get(ENV_PREFIX + name)
        if raw is not None and raw.strip():
            values[name] = _PARSERS[name](ENV_PREFIX + name, raw)
    unknown = sorted(set(config or {}) - set(NAMES))
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known settings: {', '.join(NAMES)}")
    for name, value in (config or {}).items():
        if value is not None:
            values[name] = _PARSERS[name](name, value)
    settings = Settings(**values)
    if "*" in settings.CORS_ORIGINS.split() and settings.CORS_ORIGINS != "*":
        raise ConfigError(f"CORS_ORIGINS is * (any origin) or a list of origins, not both: {settings.CORS_ORIGINS!r}")
    if settings.MAX_CHARS > settings.MAX_TOTAL_CHARS:
        raise ConfigError(f"MAX_CHARS ({settings.MAX_CHARS}) must not exceed MAX_TOTAL_CHARS "
                          f"({settings.MAX_TOTAL_CHARS}): a request may hold one text of the longest size")
    return settings
