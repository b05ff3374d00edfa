"""Timeline: find temporal expressions in news, resolve them, and order what happened when.

>>> import timeline
>>> [(t.text, t.value) for t in timeline.extract("On Friday they will head to Harbin.", published="2024-05-16")]
[('Friday', '2024-05-17')]
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from .pipeline import Extractor
from .timexes import Interval, Resolution, Timex

__all__ = ["Extractor", "Interval", "Resolution", "Timex", "extract"]
__version__ = "0.1.0"


@lru_cache(maxsize=4)
def _default_extractor(language: str) -> Extractor:
    return Extractor(language)


def extract(text: str, published: date | datetime | str | None = None, language: str = "en") -> list[Timex]:
    """The temporal expressions of ``text``, resolved against its publication date.

    ``published`` is a date, a datetime or an ISO 8601 string; without it, relative
    expressions stay underspecified (``XXXX-WXX-4``) instead of being guessed.
    """
    return _default_extractor(language).extract(text, published)
