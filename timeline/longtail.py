"""Absolute dates in languages without a grammar of ours, found with dateparser's locale data.

dateparser (optional: ``pip install "timeline[languages]"``) knows month names and date orders
for 200+ languages, from the Unicode CLDR.  For a document in a language we have no grammar
for, it finds the dates written out in full, a day, a month and a year ("16 мая 2024",
"2024年5月16日"), and nothing else: a relative expression needs a grammar to be resolved
correctly, so none is attempted.  Each timex found says so in its ``resolution``.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from .documents import parse_published
from .grammar import Grammar, load_grammar
from .periods import Period
from .timexes import Interval, Resolution, Timex

RULE = "dateparser.absolute_date"
# A full date holds a year of four digits, a day and a month (a name or a number): what dateparser
# reads without them is relative ("вчера", "через два дня") or an amount ("1990 a 334").
_YEAR = re.compile(r"(?<![0-9])(1[0-9]{3}|20[0-9]{2})(?![0-9])")
_NUMBER = re.compile(r"[0-9]+")
_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}


@lru_cache(maxsize=None)
def knows(language: str) -> bool:
    """Whether dateparser is installed and has locale data for ``language``."""
    try:
        from dateparser.languages.loader import default_loader
    except ImportError:
        return False
    try:
        default_loader.get_locale(language)
    except (ValueError, KeyError, AttributeError):
        return False
    return True


def absolute_dates(text: str, language: str) -> list[Timex]:
    """The full dates of ``text`` (a day, a month and a year), in text order."""
    from dateparser.search import search_dates

    try:
        found = search_dates(text, languages=[language], settings=_SETTINGS) or []
    except Exception:  # dateparser fails on some inputs; a fallback must never break a document
        return []
    timexes: list[Timex] = []
    position = 0
    for phrase, moment in found:
        start = text.find(phrase, position)
        if start < 0 or not _full_date(phrase, language):
            continue
        position = start + len(phrase)
        phrase, start = _core(phrase, start, language)
        period = Period.containing(moment.date(), "day")
        timexes.append(Timex(
            id=f"t{len(timexes) + 1}", start=start, end=start + len(phrase), text=phrase, type="DATE",
            value=period.value(),
            resolution=Resolution(rule=RULE, anchor="none",
                                  reason=f"absolute date read by dateparser: language {language!r} has no grammar, "
                                         "so only dates written out in full are found"),
            interval=Interval(period.start, period.end, "day"),
        ))
    return timexes


def _full_date(phrase: str, language: str) -> bool:
    """A year, and a day and a month: a month's name and another number, or three numbers."""
    numbers = _NUMBER.findall(phrase)
    if not _YEAR.search(phrase) or len(numbers) < 2:
        return False
    lowered = phrase.lower()
    return len(numbers) >= 3 or any(month in lowered for month in _month_words(language))


_TOKEN = re.compile(r"\S+")
_CLOCK = re.compile(r"[0-9]{1,2}[:h][0-9]{2}")


def _core(phrase: str, start: int, language: str) -> tuple[str, int]:
    """The date itself within what dateparser matched: from the first to the last word holding a
    number or naming a month, so a preposition before it ("am 7. Juli 1937") or a clock time
    after it ("... um 4:45 Uhr") stays out.  A phrase without spaces ("2024年5月16日") is kept."""
    months = _month_words(language)
    kept = [m for m in _TOKEN.finditer(phrase)
            if not _CLOCK.search(m.group()) and (any(ch.isdigit() for ch in m.group())
                                                 or m.group().strip(",.;:").lower().startswith(months))]
    if not kept:
        return phrase, start
    first, last = kept[0].start(), kept[-1].end()
    core = phrase[first:last].rstrip(",;:")
    return core, start + first


@lru_cache(maxsize=None)
def _month_words(language: str) -> tuple[str, ...]:
    """The month names (and their abbreviations) of dateparser's locale data for ``language``."""
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    names = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december")
    return tuple(word.lower() for name in names for word in info.get(name, []) if len(word) >= 3)


class LongTailExtractor:
    """An Extractor's interface for a language without a grammar: absolute dates only.

    Its ``grammar`` is the default language's, for the event layer's clause heuristics.
    """

    def __init__(self, language: str) -> None:
        self.language = language

    @property
    def grammar(self) -> Grammar:
        return load_grammar("en")

    def warning(self) -> str:
        return (f"language {self.language!r} has no grammar: only absolute dates (a day, a month and a year) "
                "were read, with dateparser; relative expressions were left out")

    def extract(self, text: str, published: date | datetime | str | None = None) -> list[Timex]:
        parse_published(published)  # the same errors as an Extractor for a bad date
        return absolute_dates(text, self.language)

    def analyze(self, text: str, published: date | datetime | str | None = None
                ) -> tuple[list[Timex], list[tuple[int, int]]]:
        return self.extract(text, published), _sentences(text)

    def describe(self) -> dict[str, Any]:
        return {"language": self.language, "pipeline": ["dateparser"]}


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans cut at end punctuation and line breaks (no pipeline for the language)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
