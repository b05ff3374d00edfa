"""The parser the event layer reads: a spaCy pipeline with POS, morphology and dependencies.

STAND-IN: the ``parser`` branch ships the trained pipeline and the real loader with this
signature; this module only finds a pipeline given as an object, a path, or the
``TIMELINE_PARSER`` environment variable, so the event layer can be built against it.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

ENVIRONMENT_VARIABLE = "TIMELINE_PARSER"


def load_parser(nlp_or_path: Language | str | Path | None = None) -> Language | None:
    """The pipeline to parse with: ``nlp_or_path`` itself, the pipeline saved at that path,
    or (None) the one ``TIMELINE_PARSER`` names; None when there is none."""
    if isinstance(nlp_or_path, Language):
        return nlp_or_path
    path = nlp_or_path if nlp_or_path is not None else os.environ.get(ENVIRONMENT_VARIABLE)
    return _load(str(path)) if path else None


@lru_cache(maxsize=4)
def _load(path: str) -> Language:
    try:
        return spacy.load(path)
    except ValueError as error:  # a component whose factory lives in the parser branch's code
        if "lexicon_lemmatizer" not in str(error):
            raise
        return spacy.load(path, exclude=["lexicon_lemmatizer"])
