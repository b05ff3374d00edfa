"""What one app holds: its settings, its request schemas (built for its limits), its contract."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from timeline.fetching import Fetcher, FetchPolicy

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
    fetcher: Fetcher = field(init=False)
    #: Held while a request runs the pipeline: it is CPU-bound, so threads would only interleave
    #: requests and slow each one, and spaCy does not promise that one pipeline serves threads at once.
    pipeline: threading.Lock = field(default_factory=threading.Lock, init=False)
    _openapi_yaml: str | None = field(default=None, init=False)
    #: The stored stories (stories.Store), opened on first use by api.stories.store().
    store: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        built = request_schemas(self.limits)
        # marshmallow schemas keep no per-call state on load, so one instance serves every request.
        self.timeline_request = built.timeline()
        self.timexes_request = built.timexes()
        self.cache = ResponseCache(self.settings.CACHE_BYTES)
        self.fetcher = Fetcher(FetchPolicy(timeout=self.settings.FETCH_TIMEOUT, max_bytes=self.settings.MAX_BODY_BYTES,
                                           allow_private=self.settings.FETCH_PRIVATE_ADDRESSES))

    def openapi_yaml(self) -> str:
        if self._openapi_yaml is None:
            from .openapi import spec_yaml

            self._openapi_yaml = spec_yaml(self.settings)
        return self._openapi_yaml


def state() -> ApiState:
    """The current app's ApiState."""
    return current_app.extensions[EXTENSION]
