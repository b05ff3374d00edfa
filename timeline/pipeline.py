"""The spaCy side: the ``timex`` pipeline component and the :class:`Extractor` that runs it.

The component works on any pipeline, ``spacy.blank("en")`` included: it needs only
the text and, for tense, sentence boundaries (from a ``sentencizer`` or a parser).
No trained model is loaded or downloaded.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer"); _ = nlp.add_pipe("timex")
>>> doc = nlp("On Tuesday the administration announced tariffs.",
...           component_cfg={"timex": {"published": "2024-05-16"}})
>>> [(t.text, t.value) for t in doc._.timexes]
[('Tuesday', '2024-05-14')]
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .documents import parse_published
from .grammar import Grammar, load_grammar
from .matching import find_mentions
from .ranges import link_ranges
from .resolution import resolve
from .resolvers.context import Context
from .segmentation import CachingTokenizer
from .timexes import Timex

# spaCy refuses texts over 1,000,000 characters by default to protect its parser's memory;
# a blank pipeline with sentencizer needs little, and long inputs are cut into chunks anyway.
CHUNK_CHARS = 100_000

if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)
if not Doc.has_extension("timexes"):
    Doc.set_extension("timexes", default=None)


def tag_text(text: str, published: datetime | None, grammar: Grammar,
             sentences: list[tuple[int, int]] | None = None) -> list[Timex]:
    """Find and resolve every temporal expression of ``text`` (the engine, without spaCy)."""
    context = Context(text, published, sentences or [(0, len(text))], grammar)
    return link_ranges(resolve(find_mentions(text, grammar), context), text, grammar.ranges)


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Sentence character spans; the whole text when no component has set boundaries.

    (``doc.has_annotation`` is avoided: it walks every token in Python.)
    """
    try:
        return [(sentence.start_char, sentence.end_char) for sentence in doc.sents]
    except ValueError:  # E030: sentence boundaries unset (no sentencizer or parser)
        return [(0, len(doc.text))]


class TimexComponent:
    """spaCy component: sets ``doc._.timexes`` (list of Timex) and ``doc.spans["timex"]``."""

    def __init__(self, language: str = "en") -> None:
        self.grammar = load_grammar(language)

    def __call__(self, doc: Doc, published: date | datetime | str | None = None, text: str | None = None) -> Doc:
        """``text`` is the doc's text, if the caller has it: ``doc.text`` builds a Token per token."""
        anchor = parse_published(published if published is not None else doc._.published)
        timexes = tag_text(doc.text if text is None else text, anchor, self.grammar, sentence_spans(doc))
        doc._.published = anchor
        doc._.timexes = timexes
        spans = []
        for timex in timexes:
            span = doc.char_span(timex.start, timex.end, label=timex.type, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["timex"] = spans
        return doc


@Language.factory("timex", default_config={"language": "en"})
def make_timex_component(nlp: Language, name: str, language: str) -> TimexComponent:
    return TimexComponent(language)


def make_pipeline(language: str = "en") -> Language:
    """A blank spaCy pipeline with sentence boundaries and the timex component."""
    nlp = spacy.blank(language)
    # Tokens only carry sentence boundaries here; the tokenizer's URL matcher would cost
    # almost half of all tokenizing time and change nothing we use.
    nlp.tokenizer = CachingTokenizer.like(nlp.tokenizer, url_match=None)
    # A line break ends a sentence too: bylines, headlines and list items carry no period.
    punct_chars = Sentencizer.default_punct_chars + ["\n", "\n\n", "\r\n", "\r\n\r\n", "\r"]
    # spaCy's sentencizer rule, decided without a Token object per token.
    nlp.add_pipe("fast_sentencizer", name="sentencizer", config={"punct_chars": punct_chars})
    nlp.add_pipe("timex", config={"language": language})
    nlp.max_length = CHUNK_CHARS * 2
    return nlp


# Characters read past a chunk's cut, so an expression that starts before the cut is whole.
CHUNK_OVERLAP = 300


def _cut(text: str, start: int) -> int:
    """Where to end the chunk that begins at ``start``: a line end, else a space after a
    sentence (". " then a capital), else any space, in the chunk's second half."""
    low, high = start + CHUNK_CHARS // 2, start + CHUNK_CHARS
    cut = text.rfind("\n", low, high)
    if cut >= 0:
        return cut + 1
    for position in range(high - 2, low, -1):
        if text[position] in ".!?" and text[position + 1] == " " and text[position + 2:position + 3].isupper():
            return position + 2
    cut = text.rfind(" ", low, high)
    return cut + 1 if cut >= 0 else high


class Extractor:
    """Loads the pipeline once and extracts timexes from any number of texts.

    >>> extractor = Extractor()
    >>> [t.value for t in extractor.extract("Prices rose last week.", published="2024-05-16")]
    ['2024-W19']
    """

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.nlp = make_pipeline(language)

    @property
    def grammar(self) -> Grammar:
        """The language's grammar, as the pipeline's timex component loaded it."""
        component = self.nlp.get_pipe("timex")
        if not isinstance(component, TimexComponent):
            raise TypeError(f"the pipeline's timex component is a {type(component).__name__}, not a TimexComponent")
        return component.grammar

    def extract(self, text: str, published: date | datetime | str | None = None) -> list[Timex]:
        """The timexes of ``text``, resolved against ``published`` (raises ValueError if it is invalid).

        Texts longer than CHUNK_CHARS are tagged chunk by chunk so memory stays bounded;
        each chunk reads a little past its cut, so no expression is split, and anaphora
        ("the next day") do not reach back across a cut.
        """
        return self.analyze(text, published)[0]

    def analyze(self, text: str, published: date | datetime | str | None = None
                ) -> tuple[list[Timex], list[tuple[int, int]]]:
        """The timexes of ``text`` and its sentence spans (what event attachment needs)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, not {type(text).__name__}")
        anchor = parse_published(published)
        # Lone surrogates (from "\ud800" escapes in JSON) cannot be encoded; one replacement
        # character each keeps every offset.
        clean = _SURROGATE.sub("\ufffd", text)
        if len(clean) <= CHUNK_CHARS:
            doc = self._tag(clean, anchor)
            return _with_text(doc._.timexes, text), sentence_spans(doc)
        found: list[Timex] = []
        sentences: list[tuple[int, int]] = []
        start = 0
        while start < len(clean):
            cut = _cut(clean, start) if len(clean) - start > CHUNK_CHARS else len(clean)
            doc = self._tag(clean[start:min(len(clean), cut + CHUNK_OVERLAP)], anchor)
            # Timexes from the cut on are left to the next chunk, which finds them with their context.
            kept = [timex for timex in doc._.timexes if timex.start + start < cut]
            renamed = {timex.id: f"t{len(found) + number}" for number, timex in enumerate(kept, 1)}
            found.extend(_shifted(timex, start, renamed) for timex in kept)
            next_start = max([cut] + [t.end for t in found[-len(renamed):]] if renamed else [cut])
            sentences += [(s + start, min(e + start, next_start))
                          for s, e in sentence_spans(doc) if s + start < next_start]
            start = next_start
        return _with_text(found, text), sentences

    def _tag(self, text: str, anchor: datetime | None) -> Doc:
        return self.nlp(text, component_cfg={"timex": {"published": anchor, "text": text}})

    def describe(self) -> dict[str, Any]:
        return {"language": self.language, "pipeline": self.nlp.pipe_names}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _with_text(timexes: list[Timex], text: str) -> list[Timex]:
    """Timexes quoting the caller's text (which may hold what was cleaned for spaCy)."""
    return [t if text[t.start:t.end] == t.text and (t.range is None or text[t.range.start:t.range.end] == t.range.text)
            else replace(t, text=text[t.start:t.end],
                         range=t.range and replace(t.range, text=text[t.range.start:t.range.end]))
            for t in timexes]


def _shifted(timex: Timex, offset: int, renamed: dict[str, str]) -> Timex:
    """A chunk's timex in the whole text's terms: offsets moved, ids and anchors renumbered."""
    anchor = timex.resolution.anchor
    if anchor.startswith("timex:"):
        anchor = "timex:" + renamed.get(anchor[6:], anchor[6:])
    stretch = timex.range
    if stretch is not None:  # a range whose second end is left to the next chunk is dropped
        stretch = replace(stretch, begin_point=renamed[stretch.begin_point], end_point=renamed[stretch.end_point],
                          start=stretch.start + offset, end=stretch.end + offset) \
            if stretch.end_point in renamed else None
    return replace(timex, id=renamed[timex.id], start=timex.start + offset, end=timex.end + offset,
                   resolution=replace(timex.resolution, anchor=anchor), range=stretch)
