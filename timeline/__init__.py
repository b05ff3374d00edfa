"""Timeline: find temporal expressions in news, resolve them, and order what happened when.

>>> import timeline
>>> [(t.text, t.value) for t in timeline.extract("On Friday they will head to Harbin.", published="2024-05-16")]
[('Friday', '2024-05-17')]
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .chronology import AUTO, BuildOptions, Event, Timeline, build_timeline
from .documents import Document, load_documents, parse_published, with_language
from .entities import about as select_about
from .entities import check_names
from .grammar import load_grammar
from .pipeline import Extractor
from .registry import UnsupportedLanguage, get_extractor
from .timexes import Interval, Resolution, Timex

__all__ = ["BuildOptions", "Document", "Event", "Extractor", "Interval", "Resolution", "Timeline", "Timex",
           "UnsupportedLanguage", "build", "extract", "get_extractor"]
__version__ = "0.1.0"


def extract(text: str, published: date | datetime | str | None = None, language: str = "en") -> list[Timex]:
    """The temporal expressions of ``text``, resolved against its publication date.

    ``published`` is a date, a datetime or an ISO 8601 string; without it, relative
    expressions stay underspecified (``XXXX-WXX-4``) instead of being guessed. A language
    without a grammar raises :class:`UnsupportedLanguage`.
    """
    return get_extractor(language).extract(text, published)


def build(documents: Iterable[Document | dict[str, Any]] | str | Path, *,
          merge_threshold: float = BuildOptions.merge_threshold, language: str = "en",
          about: str | Sequence[str] | None = None, parser: Any = AUTO, labels: str | None = None) -> Timeline:
    """One ordered timeline from several articles about a story.

    ``documents`` is a folder or file path (as the ``timeline build`` command takes), or
    an iterable of :class:`Document` or of dicts ``{"id", "text", "published"?, "title"?,
    "url"?}``.  Events are merged across documents when their dates are compatible and
    their content alike (``merge_threshold``, 0..1); see ``docs/timeline.md``.  ``about``
    (a name or several) keeps only the events those entities take part in, by name, short
    form, surname, initials or possessive ("Boeing Co." finds "Boeing's"); see
    :mod:`timeline.entities`.  ``parser``: the spaCy pipeline (or its path) events are read
    with; by default the one :func:`timeline.syntax.load_parser` finds; None for the clause
    heuristics.  ``labels``: the language the dates are written in for people ("16. Mai 2024");
    by default the documents' own when they share one, else English (a language without a
    grammar raises :class:`UnsupportedLanguage`).

    >>> story = build([{"id": "a", "text": "On Tuesday the ministry announced new tariffs.",
    ...                 "published": "2024-05-16"}])
    >>> [(e.to_dict()["date"]["value"], e.summary) for e in story.events]
    [('2024-05-14', 'Ministry announced new tariffs')]
    """
    problems: list[str] = []
    if isinstance(documents, (str, Path)):
        items = []
        for item in load_documents(documents):
            if isinstance(item, Document):
                items.append(item)
            else:  # a bad record is reported, never dropped silently
                problems.append(f"{item.id or f'line {item.line}'}: {item.reason}")
    else:
        items = [d if isinstance(d, Document) else _document(d) for d in documents]
    extractor = get_extractor(language)
    names = check_names(about) if about is not None else []
    story = build_timeline(items, extractor, BuildOptions(merge_threshold=merge_threshold), parser=parser,
                           labels=labels)
    if names:
        story = select_about(story, names, load_grammar(language).entities, (item.text for item in items))
    story.warnings.extend(problems)
    return story


def _document(record: dict[str, Any]) -> Document:
    """A Document from a plain dict, with a clear error for what is missing or malformed."""
    if not isinstance(record.get("id"), str) or not isinstance(record.get("text"), str):
        raise ValueError("each document needs a string 'id' and a string 'text'")
    document = Document(id=record["id"], text=record["text"], published=parse_published(record.get("published")),
                        title=record.get("title"), url=record.get("url"), language=record.get("language") or "en")
    return with_language(document, given=bool(record.get("language")))
