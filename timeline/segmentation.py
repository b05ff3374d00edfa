"""Tokens and sentences exactly as spaCy makes them, at a fraction of the cost.

**Tokens.** spaCy's ``Tokenizer`` splits a text at whitespace into chunks and caches the tokens of
each chunk, so a word it has seen before skips the costly prefix, suffix and infix search.
But (spaCy 3.8, ``Tokenizer._tokenize_affixes``) a document stops adding to that cache
after its first chunk that needs a special case ("Mr.", "don't", "U.S.", a line break):
the flag that guards the cache is set once per document and never reset.  In news text
that is almost every chunk, so every word of every article went through the slow path.

:class:`CachingTokenizer` first tokenizes, on its own, each chunk of the text it has not
tokenized before: alone, a chunk without special cases is cached as spaCy intends.  Then
it tokenizes the whole text with spaCy's own code, as before.  The ``Doc`` therefore comes
from spaCy's tokenizer unchanged (same tokens, whitespace, norms), only faster; which
chunks were warmed never changes a token, only how fast it is found.

**Long chunks.** spaCy splits a chunk by stripping one prefix or suffix at a time, and each
step copies, hashes and suffix-searches the whole rest of the chunk: a chunk of n
characters that are each split off ("&&&…", "(((…", a run of emoji) costs time in n².
Such a chunk of 8,000 characters took 9.5 s; one of 100,000 (the API's default limit) would
hold a worker for about 25 minutes.  So a chunk longer than :data:`LONGEST_PIECE` is
tokenized in pieces of at most that length (cut where a word meets a non-word character
when it can), and the pieces' tokens are joined into one ``Doc``: time grows linearly
with the text, the ``Doc``'s text is the input, and every offset is exact.  Only such
chunks (no word of news text and few URLs are that long) can tokenize differently from spaCy.

**Sentences.** spaCy's ``Sentencizer`` creates a ``Token`` object for every token to read
its text.  :class:`Sentencizer` makes the same decision from the tokens' ``ORTH`` ids, and
looks at a ``Token`` only just after a sentence-ending character.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import compress, count, filterfalse
from typing import Any, Callable

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import Sentencizer as SpacySentencizer
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

# Whitespace runs that spaCy hashes as chunks of their own (a single " " after a token is
# that token's trailing space): one starting with another whitespace character, and, as
# spaCy drops one leading " ", the rest of a run that starts with two spaces.
_OTHER_SPACE = re.compile(r"[^\S ]\s*")
_SPACES = re.compile(r" \s+")
# Longer chunks (URLs, tables without spaces) seldom repeat; remembering them would let the
# record of warmed chunks grow with the text instead of with the cache.
LONGEST_CHUNK = 50
# A whitespace-free chunk longer than this is tokenized in pieces of at most this length.
# A piece costs time in its length squared, so the worst text costs time in proportion to this
# bound (bench/bench_pathological.py --piece-lengths: 100,000 characters that are each split
# off, no piece ever cached, take 0.6 s of CPU in pieces of 25, 0.9 s of 50, 1.7 s of 100,
# 3.3 s of 200).  100 keeps whole every chunk of news text (none in TBAQ is longer than 50)
# and most URLs, at a worst case near the parser's own time for as much news text.
LONGEST_PIECE = 100
_LONG_CHUNK = re.compile(r"\S{%d,}" % (LONGEST_PIECE + 1))
# Where a word character meets a non-word one: the preferred cuts between pieces.
_WORD_EDGE = re.compile(r"\b")
# spaCy 3.8 bounds its cache (Tokenizer.max_cache_size, 10,000 chunks); before 3.8 it had no
# bound, and this many warmed chunks is where warming stops.
DEFAULT_CACHE_SIZE = 10_000


def chunks(text: str) -> list[str]:
    """The chunks spaCy's tokenizer looks up in its cache, as far as cheaply found:
    the whitespace-free runs, then the whitespace runs other than a single space.
    (Missing or extra strings only change which chunks get warmed, never a token.)"""
    found = text.split()
    found += _OTHER_SPACE.findall(text)
    if "  " in text:
        found += [run[1:] for run in _SPACES.findall(text)]
    if text[:1].isspace():
        found.append(text[:len(text) - len(text.lstrip())])
    return found


def pieces(text: str) -> list[str]:
    """``text`` cut before and after each whitespace-free chunk longer than :data:`LONGEST_PIECE`,
    and such chunks cut into pieces of at most that length, each at its last word edge where
    it has one.  The pieces join to ``text``; a single space after a long chunk stays with its
    last piece, where spaCy makes it that token's whitespace."""
    found: list[str] = []
    done = 0
    for chunk in _LONG_CHUNK.finditer(text):
        if chunk.start() > done:
            found.append(text[done:chunk.start()])
        edges = [edge.start() for edge in _WORD_EDGE.finditer(text, chunk.start(), chunk.end())]
        start = chunk.start()
        while chunk.end() - start > LONGEST_PIECE:
            limit = start + LONGEST_PIECE
            before = bisect_right(edges, limit)
            end = edges[before - 1] if before and edges[before - 1] > start else limit
            found.append(text[start:end])
            start = end
        done = chunk.end() + (text[chunk.end():chunk.end() + 1] == " ")
        found.append(text[start:done])
    if done < len(text) or not found:
        found.append(text[done:])
    return found


class CachingTokenizer(Tokenizer):
    """spaCy's tokenizer that fills its chunk cache even in documents with special cases.

    At most ``max_cache_size`` chunks (spaCy's own bound on its cache) are ever warmed, so
    memory stays flat however many documents pass; past that, new chunks take spaCy's
    usual path.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._warmed: set[str] = set()  # before spaCy's __init__, which flushes the cache
        super().__init__(*args, **kwargs)

    @classmethod
    def like(cls, tokenizer: Tokenizer, **changes: Any) -> CachingTokenizer:
        """A caching tokenizer with the rules and patterns of ``tokenizer`` (and ``changes``)."""
        settings = {
            "rules": tokenizer.rules, "prefix_search": tokenizer.prefix_search,
            "suffix_search": tokenizer.suffix_search, "infix_finditer": tokenizer.infix_finditer,
            "token_match": tokenizer.token_match, "url_match": tokenizer.url_match,
            "faster_heuristics": tokenizer.faster_heuristics,
        }
        if hasattr(tokenizer, "max_cache_size"):  # spaCy >= 3.8
            settings["max_cache_size"] = tokenizer.max_cache_size
        return cls(tokenizer.vocab, **{**settings, **changes})

    @property
    def _warm_limit(self) -> int:
        """How many chunks may be warmed: the bound of spaCy's cache, where it has one."""
        return getattr(self, "max_cache_size", DEFAULT_CACHE_SIZE)

    def __call__(self, text: str) -> Doc:
        # Inside a memory zone (spaCy >= 3.8) nothing is cached: warming would only double the work.
        if len(self._warmed) < self._warm_limit and not getattr(self.vocab, "in_memory_zone", False):
            self._warm(text)
        if _LONG_CHUNK.search(text) is None:
            return super().__call__(text)
        # Token attributes (norms of special cases too) carry over; the pieces' empty tensors
        # would stack into a (tokens, 0) one.  (spaCy's stub lacks ``exclude``, spaCy has it.)
        return Doc.from_docs([super(CachingTokenizer, self).__call__(piece) for piece in pieces(text)],
                             ensure_whitespace=False,
                             exclude=["spans", "tensor", "user_data"])  # type: ignore[call-arg]

    def _warm(self, text: str) -> None:
        """Tokenize each new chunk alone, which stores it in spaCy's cache."""
        warmed = self._warmed
        for chunk in filterfalse(warmed.__contains__, chunks(text)):
            if len(chunk) <= LONGEST_CHUNK:
                if len(warmed) >= self._warm_limit:
                    return
                warmed.add(chunk)
                super().__call__(chunk)

    def _flush_cache(self) -> None:
        """spaCy empties its cache whenever rules or patterns change: start warming afresh."""
        self._warmed.clear()
        super()._flush_cache()


class Sentencizer(SpacySentencizer):
    """spaCy's rule-based sentencizer (same settings, same boundaries), without a ``Token``
    object per token.

    spaCy's rule: after a token that is one of ``punct_chars``, a sentence starts at the
    first token that is neither punctuation nor one of ``punct_chars``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ends: tuple[frozenset[str], frozenset[int]] = (frozenset(), frozenset())

    def predict(self, docs: list[Doc]) -> list[list[bool]]:
        """Per doc, whether each token starts a sentence (what spaCy's ``predict`` returns)."""
        ends = self._end_ids()
        return [sentence_starts(doc, ends) for doc in docs]

    def _end_ids(self) -> frozenset[int]:
        """The ORTH ids of ``punct_chars``, recomputed only when the characters change."""
        chars = frozenset(self.punct_chars)
        if self._ends[0] != chars:
            self._ends = (chars, frozenset(get_string_id(c) for c in chars))
        return self._ends[1]


def sentence_starts(doc: Doc, ends: frozenset[int]) -> list[bool]:
    """Whether each token of ``doc`` starts a sentence, given the ORTH ids that end one."""
    guesses = [False] * len(doc)
    if not guesses:
        return guesses
    guesses[0] = True
    orths = doc.to_array(ORTH).tolist()
    reached = 0  # tokens before this one are decided
    for end in compress(count(), map(ends.__contains__, orths)):
        if end < reached:
            continue
        start = end + 1
        while start < len(orths) and (orths[start] in ends or doc[start].is_punct):
            start += 1
        if start < len(orths):
            guesses[start] = True
        reached = start
    return guesses


@Language.factory("fast_sentencizer", assigns=["token.is_sent_start", "doc.sents"],
                  default_config={"punct_chars": None, "overwrite": False,
                                  "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
                  default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0})
def make_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool,
                     scorer: Callable[..., dict[str, Any]] | None) -> Sentencizer:
    return Sentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)
