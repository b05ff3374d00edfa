"""The syntax pipeline of the event layer: part-of-speech tags, lemmas and dependencies.

The package ships its own English pipeline (``timeline/models/en_ewt``: tok2vec,
morphologizer, parser, trainable lemmatizer and the lexicon lemmatizer of
``timeline.lemmas``), trained on UD English-EWT by
``training/train.py``; loading it reads files only, never the network.  A user may
pass their own spaCy pipeline instead (a loaded ``Language``, an installed package
name such as ``en_core_web_sm`` or a directory), as long as it tags parts of speech
and parses dependencies: that is checked on a probe sentence, so a pipeline that
derives POS from its tags (an attribute ruler) qualifies like one that predicts it.

The timex path does not use this module: it stays on the fast blank pipeline.

>>> nlp = load_parser()
>>> doc = nlp("Russia invaded Ukraine.")
>>> [(token.pos_, token.dep_) for token in doc]
[('PROPN', 'nsubj'), ('VERB', 'ROOT'), ('PROPN', 'obj'), ('PUNCT', 'punct')]
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from . import lemmas  # noqa: F401  (registers the shipped pipeline's lexicon_lemmatizer)
from .segmentation import CachingTokenizer

SHIPPED_MODEL = Path(__file__).parent / "models" / "en_ewt"

# A plain sentence every English tagger and parser handles: enough to see whether the
# pipeline sets POS and dependencies at all (not how well).
_PROBE = "The committee approved the plan on Monday."


# Names the pipeline the event layer parses with when none is passed: "shipped" (the default,
# also when unset) for the package's own, "none" for the clause heuristics, or a package name
# or a directory of the user's own pipeline.
PARSER_VARIABLE = "TIMELINE_PARSER"
SHIPPED = "shipped"
NO_PARSER = "none"


class SyntaxPipelineError(ValueError):
    """A pipeline that cannot be loaded, or that lacks POS tags or dependencies."""


def load_parser(nlp_or_path: Language | str | Path | None = None) -> Language:
    """The pipeline the event layer parses with: the shipped one by default.

    ``nlp_or_path`` may be a loaded ``Language`` (checked, returned as is), or a package
    name or directory for ``spacy.load``.  Loaded pipelines are cached per process, so
    repeated calls cost nothing.  Raises :class:`SyntaxPipelineError` with the reason when
    the pipeline cannot be loaded or does not set POS and dependencies.
    """
    if nlp_or_path is None:
        return _load_shipped()
    if isinstance(nlp_or_path, Language):
        check_syntax(nlp_or_path)
        return nlp_or_path
    return _load_cached(str(nlp_or_path))


def default_parser() -> Language | None:
    """The pipeline events are read with when the caller names none: the shipped one, unless
    ``TIMELINE_PARSER`` names another (a package or a directory) or ``none`` (the clause
    heuristics: None)."""
    name = os.environ.get(PARSER_VARIABLE, "").strip()
    if name.lower() == NO_PARSER:
        return None
    return load_parser(None if name in ("", SHIPPED) else name)


@lru_cache(maxsize=1)
def _load_shipped() -> Language:
    """The shipped pipeline, with the caching tokenizer of the timex path (same tokens, faster)."""
    nlp = _load_cached(str(SHIPPED_MODEL))
    if type(nlp.tokenizer) is Tokenizer:
        nlp.tokenizer = CachingTokenizer.like(nlp.tokenizer)
    return nlp


@lru_cache(maxsize=4)
def _load_cached(name_or_path: str) -> Language:
    try:
        nlp = spacy.load(name_or_path)
    except (OSError, ValueError) as error:
        raise SyntaxPipelineError(
            f"cannot load the spaCy pipeline {name_or_path!r}: install it as a package or give "
            f"the path of a saved pipeline ({error})"
        ) from error
    check_syntax(nlp, name_or_path)
    return nlp


def check_syntax(nlp: Language, name: str | None = None) -> None:
    """Raise :class:`SyntaxPipelineError` unless ``nlp`` sets POS tags and dependency heads."""
    label = name or nlp.meta.get("name") or "the given pipeline"
    doc = nlp(_PROBE)
    missing = [what for attr, what in (("POS", "part-of-speech tags (token.pos_)"),
                                       ("DEP", "dependencies (token.dep_, token.head)"))
               if not doc.has_annotation(attr)]
    if missing:
        raise SyntaxPipelineError(
            f"the spaCy pipeline {label!r} (components: {', '.join(nlp.pipe_names) or 'none'}) does not set "
            f"{' or '.join(missing)}; the event layer needs a tagger or morphologizer and a parser, "
            f"such as the shipped pipeline (load_parser()) or en_core_web_sm"
        )
