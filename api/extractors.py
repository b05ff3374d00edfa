"""The spaCy pipelines the API runs: one :class:`~timeline.pipeline.Extractor` per
language, built on first use and then shared by every request of this process.

Under gunicorn each worker is its own process, so each worker builds its pipeline
once (when the app is created in the worker, see :func:`api.create_app`) and never
per request.  The lock only matters for threaded servers.
"""
from __future__ import annotations

import threading

from timeline.languages import supported_languages
from timeline.pipeline import Extractor

_extractors: dict[str, Extractor] = {}
_lock = threading.Lock()
#: How many pipelines this process has built (for tests: it must stay one per language).
builds = 0


def languages() -> tuple[str, ...]:
    """The languages a grammar exists for (``timeline/grammar/<language>.toml``)."""
    return supported_languages()


def get_extractor(language: str = "en") -> Extractor:
    """This process's Extractor for ``language``, built the first time it is asked for."""
    extractor = _extractors.get(language)
    if extractor is None:
        global builds
        with _lock:
            extractor = _extractors.get(language)
            if extractor is None:
                extractor = _extractors[language] = Extractor(language)
                builds += 1
    return extractor
