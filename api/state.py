"""What one app holds: its settings, its request schemas (built for its limits), its contract."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from .cache import ResponseCache
from .config import Settings
from .schemas import Limits, request_schemas

EXTENSION = "timeline_api"


@dataclass
class ApiState:
    settings: Settings
    limits: Limits
    timeline_request: Any = field(init=False)
    timexes_request: Any = field(init=False)
    cache: ResponseCache = field(init=False)
    _openapi_yaml: str | None = field(default=None, init=False)
    #: The stored stories (stories.Store), opened on first use by api.stories.store().
    store: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        built = request_schemas(self.limits)
        # marshmallow schemas keep no per-call state on load, so one instance serves every request.
        self.timeline_request = built.timeline()
        self.timexes_request = built.timexes()
        self.cache = ResponseCache(self.settings.CACHE_BYTES)

    def openapi_yaml(self) -> str:
        if self._openapi_yaml is None:
            from .openapi import spec_yaml

            self._openapi_yaml = spec_yaml(self.settings)
        return self._openapi_yaml


def state() -> ApiState:
    """The current app's ApiState."""
    return current_app.extensions[EXTENSION]
