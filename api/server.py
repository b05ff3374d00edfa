"""Running the API in production: gunicorn, configured from the API's settings (``timeline serve``).

gunicorn's master process binds the socket and watches the workers; each worker
process creates the app once (and with it its spaCy pipeline) and serves requests with
its threads, each request read in whole before a thread takes it (api/worker.py).
Equivalent by hand::

    gunicorn --worker-class api.worker.TimelineWorker --workers 2 --threads 4 \
        --bind 127.0.0.1:8000 'api:create_app()'
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.errors import AppImportError

from .config import ConfigError, Settings, load_settings


def bind_address(host: str, port: int) -> str:
    """gunicorn's bind string; IPv6 addresses go in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class TimelineServer(BaseApplication):
    """gunicorn with its settings from :class:`~api.config.Settings`, not from its command line."""

    def __init__(self, settings: Settings, overrides: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.overrides = dict(overrides or {})
        super().__init__(prog="timeline serve")

    def load_config(self) -> None:
        settings = self.settings
        options: dict[str, Any] = {
            "bind": [bind_address(settings.HOST, settings.PORT)],
            "workers": settings.WORKERS,
            "worker_class": "api.worker.TimelineWorker",
            "threads": settings.THREADS,
            "worker_connections": settings.MAX_CONNECTIONS,
            "timeout": settings.TIMEOUT,
            "loglevel": settings.LOG_LEVEL,
            "accesslog": "-" if settings.ACCESS_LOG else None,
            "proc_name": "timeline",
            # gunicorn >= 25.1 opens a control socket at one path per user by default, so two
            # servers of one user would take each other's; `gunicornc` is not needed here.
            "control_socket_disable": True,
            "when_ready": self._announce,
        }
        for name, value in options.items():
            if name in self.cfg.settings:
                self.cfg.set(name, value)

    def _announce(self, server: Any) -> None:
        """Tell the operator where the page and the docs are, once the socket is bound."""
        host = self.settings.HOST
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        base = f"http://{bind_address(shown, server.address[0][1] if server.address else self.settings.PORT)}"
        server.log.info("timeline page at %s/ ; API docs at %s/docs", base, base)

    def init(self, parser: Any, opts: Any, args: Any) -> None:  # pragma: no cover - gunicorn CLI hook, unused
        return None

    def load(self) -> Any:
        """Called in each worker after the fork: the app, and with it the worker's own pipeline."""
        from . import create_app

        try:
            return create_app(self.overrides)
        except ConfigError as error:
            # gunicorn prints this message (no traceback) and stops: "App failed to load".
            raise AppImportError(f"timeline serve: invalid setting: {error}") from None


def serve(overrides: Mapping[str, Any] | None = None) -> None:
    """Run the API under gunicorn until it is stopped (Ctrl-C or SIGTERM).

    ``overrides`` (setting names to values) win over the ``TIMELINE_*`` environment
    variables; they are checked here, before any process starts (:class:`ConfigError`).
    """
    overrides = {name: value for name, value in (overrides or {}).items() if value is not None}
    settings = load_settings(overrides)
    migrate(settings)
    TimelineServer(settings, overrides).run()


def migrate(settings: Settings) -> None:
    """Bring the story database to the newest schema before any worker starts (workers would race)."""
    from stories.database import connect, describe, upgrade

    database = connect(settings.DATABASE_URL or None)
    try:
        upgrade(database)
    except Exception as error:
        raise ConfigError(f"cannot migrate the story database {describe(database.url)}: {error}") from None
    finally:
        database.dispose()
