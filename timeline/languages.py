"""Which language a document is in, and whether we have a grammar for it.

A document that names no language is identified from its text with py3langid (its
model ships inside the package: nothing is downloaded).  The supported languages are
those with a grammar file (``timeline/grammar/<language>.toml``), so a new grammar is
supported as soon as it is shipped.  A text too short or too mixed to tell is given the
default language, as before identification existed: short English snippets ("Prices
rose last week.") score low on every model.  A long text always gets the model's answer, so
an article in a language the model is unsure of is never read with the default grammar.

Before the model, each grammar may list its language's function words (``[identification]``
in its file): a text made of enough of them is that language at once.  This keeps the model
(seconds to load, a millisecond a text) out of the common case, English news in bulk.
"""
from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .grammar import GRAMMAR_DIR

DEFAULT_LANGUAGE = "en"
#: Below this probability (or this many letters) the identification is not trusted ...
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 20
#: ... unless the text is this long: an article's worth of letters is never English by default.
SURE_LETTERS = 200
#: Characters looked at: more adds time, not certainty.
SAMPLE_CHARS = 2000

_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
#: Words needed before the grammars' common words may decide (fewer: the model decides).
MIN_WORDS = 20
_lock = threading.Lock()


@lru_cache(maxsize=1)
def supported_languages() -> tuple[str, ...]:
    """The languages a grammar ships for, from the grammar files themselves."""
    return tuple(sorted(path.stem for path in GRAMMAR_DIR.glob("*.toml")))


def is_supported(language: str) -> bool:
    return language in supported_languages()


class UnsupportedLanguage(ValueError):
    """No extractor can be built for ``language``: it has no grammar, or spaCy has no tokenizer for it."""

    def __init__(self, language: str, cause: str, document: str | None = None) -> None:
        where = f"{document}: " if document is not None else ""
        super().__init__(f"{where}unsupported language {language!r}: {cause}")
        self.language = language
        self.cause = cause
        self.document = document


@dataclass(frozen=True)
class Identification:
    """What the identifier said: ``language`` as used, and how it was chosen."""

    language: str
    source: str  # "common-words" (a grammar's function words), "identified" (the model) or "default"
    confidence: float = 0.0


@lru_cache(maxsize=1)
def _common_words() -> dict[str, tuple[float, frozenset[str]]]:
    """Per supported language, the share of its function words that identifies it and the words
    (the ``[identification]`` table of its grammar file; languages without one are left to the model)."""
    found = {}
    for language in supported_languages():
        with (GRAMMAR_DIR / f"{language}.toml").open("rb") as handle:
            table = tomllib.load(handle).get("identification") or {}
        if table.get("common_words"):
            found[language] = (float(table.get("share", 0.1)), frozenset(table["common_words"]))
    return found


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier with normalized probabilities, loaded once (a few seconds)."""
    with _lock:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def warm_identifier() -> None:
    """Load the identifier's model now (servers: at start-up, not on the first request)."""
    _identifier()


def identify(text: str) -> Identification:
    """The language of ``text``: the identifier's answer when it is sure, else the default."""
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if letters < MIN_LETTERS:
        return Identification(DEFAULT_LANGUAGE, "default")
    words = [word.lower() for word in _WORD.findall(sample)]
    if len(words) >= MIN_WORDS:  # a supported language's own function words: no model needed
        for language, (share, common) in _common_words().items():
            found = sum(word in common for word in words) / len(words)
            if found >= share:
                return Identification(language, "common-words", found)
    language, probability = _identifier().classify(sample)
    if probability < MIN_CONFIDENCE and letters < SURE_LETTERS:
        return Identification(DEFAULT_LANGUAGE, "default", float(probability))
    return Identification(str(language), "identified", float(probability))


def unsupported_reason(language: str) -> str:
    """The per-document warning for a language without a grammar."""
    return (f"language {language!r} is not supported (grammars: {', '.join(supported_languages())}); "
            "no dates or events were extracted from it")
