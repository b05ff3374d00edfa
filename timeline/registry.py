"""The extractors of this process: one :class:`~timeline.pipeline.Extractor` per language,
built on first use and shared by the library, the CLI, batch jobs, stories and the API.

A pipeline takes a while to build (spaCy, the compiled grammar), so each is built once per
process and then reused, by every thread: the timex component keeps no state between texts.
A language without a grammar, or one spaCy cannot tokenize, is :class:`UnsupportedLanguage`,
the one error every layer reports for it (the CLI and batch as a per-document error, the API
as a 4xx problem). A language without a grammar file is refused before anything is built, and
nothing is kept for it, so texts naming many odd languages cannot fill the registry.
"""
from __future__ import annotations

import threading

from .languages import UnsupportedLanguage, supported_languages
from .pipeline import Extractor

__all__ = ["UnsupportedLanguage", "builds", "get_extractor"]


_extractors: dict[str, Extractor | UnsupportedLanguage] = {}
_lock = threading.Lock()
#: How many pipelines this process has built (tests check that it stays one per language).
builds = 0


def get_extractor(language: str = "en") -> Extractor:
    """This process's Extractor for ``language``, built the first time it is asked for.

    Raises :class:`UnsupportedLanguage` when the language has no grammar (or spaCy lacks it).
    """
    found = _extractors.get(language)
    if found is None and language not in supported_languages():
        raise UnsupportedLanguage(language, f"no grammar for language {language!r}; "
                                            f"available: {', '.join(supported_languages())}")
    if found is None:
        global builds
        with _lock:
            found = _extractors.get(language)
            if found is None:
                try:
                    found = Extractor(language)
                    builds += 1
                except (ValueError, ImportError) as error:  # no grammar; no spaCy language class
                    found = UnsupportedLanguage(language, str(error))
                _extractors[language] = found
    if isinstance(found, UnsupportedLanguage):
        raise UnsupportedLanguage(found.language, found.cause)
    return found
