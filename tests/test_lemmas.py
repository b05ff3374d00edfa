"""The lexicon lemmatizer: repairs open-class lemmas the lexicon does not know, and only those."""
from __future__ import annotations

from spacy.tokens import Doc

from timeline.syntax import load_parser


def lemmatize(words: list[str], pos: list[str], lemmas: list[str]) -> list[str]:
    nlp = load_parser()
    doc = Doc(nlp.vocab, words=words, pos=pos, lemmas=lemmas)
    return [token.lemma_ for token in nlp.get_pipe("lexicon_lemmatizer")(doc)]


def test_an_unknown_verb_lemma_is_replaced_by_the_lexicon_form() -> None:
    assert lemmatize(["Troops", "invaded", "and", "razed", "villages"],
                     ["NOUN", "VERB", "CCONJ", "VERB", "NOUN"],
                     ["troop", "invad", "and", "raz", "villag"]) == ["troop", "invade", "and", "raze", "village"]


def test_a_lemma_the_lexicon_knows_is_kept_even_where_the_rules_disagree() -> None:
    # "saw" is a verb of its own (to saw wood): the trained choice stands.
    assert lemmatize(["They", "saw", "it"], ["PRON", "VERB", "PRON"], ["they", "saw", "it"]) == ["they", "saw", "it"]


def test_closed_classes_keep_the_treebank_conventions() -> None:
    assert lemmatize(["They", "were", "n't", "there"], ["PRON", "AUX", "PART", "ADV"],
                     ["they", "be", "not", "there"]) == ["they", "be", "not", "there"]


def test_the_shipped_pipeline_lemmatizes_news_verbs_and_reporting_verbs() -> None:
    doc = load_parser()("Rebels invaded the town and evacuated the hospital, the governor said.")
    lemmas = {token.text: token.lemma_ for token in doc}
    assert (lemmas["invaded"], lemmas["evacuated"], lemmas["said"]) == ("invade", "evacuate", "say")
