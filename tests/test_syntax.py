"""The event layer's syntax pipeline: the shipped EWT model and user-supplied pipelines."""
from __future__ import annotations

import socket

import pytest
import spacy

from timeline import syntax
from timeline.syntax import SHIPPED_MODEL, SyntaxPipelineError, check_syntax, load_parser


def test_shipped_pipeline_loads_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the shipped pipeline tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    nlp = syntax._load_cached.__wrapped__(str(SHIPPED_MODEL))  # uncached: really load from disk
    assert {"parser", "morphologizer", "trainable_lemmatizer"} <= set(nlp.pipe_names)
    assert nlp.meta["license"] == "CC BY-SA 4.0"


def test_shipped_pipeline_carries_its_attribution() -> None:
    readme = (SHIPPED_MODEL / "README.md").read_text(encoding="utf-8")
    assert "UD_English-EWT" in readme and "CC BY-SA 4.0" in readme and "Silveira" in readme


def test_load_parser_is_cached_per_process() -> None:
    assert load_parser() is load_parser()
    assert load_parser(str(SHIPPED_MODEL)) is load_parser(SHIPPED_MODEL)


def test_parses_a_news_sentence_with_sensible_heads_tags_and_lemmas() -> None:
    doc = load_parser()("Russia invaded Ukraine in February 2022, officials said. The invasion began at dawn.")
    tokens = {token.text: token for token in doc}
    invaded = tokens["invaded"]
    assert invaded.pos_ == "VERB" and invaded.lemma_ == "invade"
    assert tokens["Russia"].head == invaded and tokens["Russia"].dep_ == "nsubj"
    assert tokens["Ukraine"].head == invaded and tokens["Ukraine"].dep_ == "obj"
    assert tokens["Russia"].pos_ == tokens["Ukraine"].pos_ == "PROPN"
    assert tokens["said"].lemma_ == "say"
    assert tokens["invasion"].pos_ == "NOUN" and tokens["invasion"].dep_ == "nsubj"
    assert tokens["invasion"].head.lemma_ == "begin"
    assert [sentence.text for sentence in doc.sents] == [
        "Russia invaded Ukraine in February 2022, officials said.", "The invasion began at dawn."]


def test_a_loaded_pipeline_with_syntax_is_returned_as_is() -> None:
    nlp = spacy.load(SHIPPED_MODEL)
    assert load_parser(nlp) is nlp


def test_rejects_a_pipeline_without_a_parser() -> None:
    nlp = spacy.load(SHIPPED_MODEL, exclude=["parser"])
    with pytest.raises(SyntaxPipelineError, match=r"does not set dependencies"):
        load_parser(nlp)


def test_rejects_a_blank_pipeline_naming_what_is_missing() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    with pytest.raises(SyntaxPipelineError, match=r"part-of-speech tags .* or dependencies") as error:
        check_syntax(nlp)
    assert "sentencizer" in str(error.value)


def test_rejects_a_pipeline_that_cannot_be_found() -> None:
    with pytest.raises(SyntaxPipelineError, match=r"cannot load the spaCy pipeline 'no_such_pipeline_xyz'"):
        load_parser("no_such_pipeline_xyz")
