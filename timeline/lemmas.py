"""Lemmas of nouns, verbs and adjectives checked against a lexicon: the ``lexicon_lemmatizer`` component.

The shipped pipeline's trained lemmatizer learns UD English-EWT's conventions ("were" →
"be", "n't" → "not", "me" → "I"), but it lemmatizes by editing the word's ending, so a verb
it never saw is guessed: "invaded" → "invad" (the tree of "walked" → "walk").  The event
layer merges events on trigger lemmas, so such a guess splits one happening in two.

This component runs after the trained lemmatizer and changes a lemma only when both hold:
the token is a noun, verb or adjective whose lemma is not a word of the lexicon, and
spaCy's rule lemmatizer (suffix rules and exceptions over the same lexicon) finds one that
is.  The lexicon and rules are spaCy's English lemmatizer tables (spacy-lookups-data, MIT,
from WordNet 3.0); ``training/train.py`` stores them inside the pipeline, so nothing is
downloaded at run time.
"""
from __future__ import annotations

from typing import Any, Callable

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

OPEN_CLASSES = ("NOUN", "VERB", "ADJ")


class LexiconLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer, used only to repair lemmas the lexicon does not know."""

    def __init__(self, vocab: Vocab, model: Any, name: str = "lexicon_lemmatizer", *,
                 scorer: Callable[..., dict[str, Any]] | None = None) -> None:
        super().__init__(vocab, model, name, mode="rule", overwrite=True, scorer=scorer)
        self._known: dict[str, frozenset[str]] = {}

    def known(self, pos: str) -> frozenset[str]:
        """The lexicon's lemmas for a part of speech (a set: the table stores a long list)."""
        if pos not in self._known:
            words = set(self.lookups.get_table("lemma_index", {}).get(pos, ()))
            for lemmas in self.lookups.get_table("lemma_exc", {}).get(pos, {}).values():
                words.update(lemmas)
            self._known[pos] = frozenset(words)
        return self._known[pos]

    def repair(self, token: Token) -> str | None:
        """The lexicon's lemma for ``token`` when its current lemma is unknown and the rules find a known one."""
        pos = token.pos_.lower()
        known = self.known(pos)
        if token.lemma_.lower() in known:
            return None
        candidate = self.rule_lemmatize(token)[0]
        return candidate if candidate in known else None

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        for token in doc:
            if token.pos_ in OPEN_CLASSES:
                lemma = self.repair(token)
                if lemma is not None:
                    token.lemma_ = lemma
        return doc

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        self._known = {}  # new tables: forget the sets built from the old ones
        super().initialize(*args, **kwargs)

    def from_disk(self, *args: Any, **kwargs: Any) -> LexiconLemmatizer:
        self._known = {}
        super().from_disk(*args, **kwargs)
        return self


@Language.factory("lexicon_lemmatizer", assigns=["token.lemma"], requires=["token.pos"],
                  default_config={"model": None, "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}})
def make_lexicon_lemmatizer(nlp: Language, model: Any, name: str,
                            scorer: Callable[..., dict[str, Any]] | None) -> LexiconLemmatizer:
    return LexiconLemmatizer(nlp.vocab, model, name, scorer=scorer)
