"""The language a timeline's dates are written in: the documents' own, one for a merged
timeline, chosen with ``labels`` in the library, the command line and the API; and the
contract that a language's ``[labels]`` table is complete and sound."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.chronology import label_language
from timeline.cli import main
from timeline.documents import Document
from timeline.grammar import GRAMMAR_DIR, GrammarError, compile_source, load_grammar

SPANISH = {"id": "es1", "text": "El martes el ministerio anunció nuevos aranceles. La planta abrió el 1 de mayo.",
           "published": "2024-05-16", "language": "es"}
ENGLISH = {"id": "en1", "text": "On Tuesday the ministry announced new tariffs.", "published": "2024-05-16",
           "language": "en"}
EN_TEXT = (GRAMMAR_DIR / "en.toml").read_text(encoding="utf-8")


def _labels(story: timeline.Timeline) -> list[str]:
    return [event.to_dict()["date"]["label"] for event in story.events]


def _mention_labels(story: timeline.Timeline) -> list[str]:
    return [mention["timex"]["label"] for event in story.events for mention in event.to_dict()["mentions"]
            if mention["timex"]]


# --- the library --------------------------------------------------------------------------------

def test_a_spanish_story_is_dated_in_spanish() -> None:
    story = timeline.build([SPANISH], parser=None)
    assert story.label_language == "es" and story.to_dict()["labels"] == "es"
    assert _labels(story) == ["1 de mayo de 2024", "14 de mayo de 2024"]
    assert _mention_labels(story) == ["1 de mayo de 2024", "14 de mayo de 2024"]


def test_a_mixed_story_is_dated_in_english_unless_asked() -> None:
    mixed = timeline.build([SPANISH, ENGLISH], parser=None)
    assert mixed.label_language == "en"
    assert set(_labels(mixed)) == {"1 May 2024", "14 May 2024"}
    german = timeline.build([SPANISH, ENGLISH], parser=None, labels="de")
    assert german.label_language == "de"
    assert set(_labels(german)) == {"1. Mai 2024", "14. Mai 2024"}
    assert set(_mention_labels(german)) == {"1. Mai 2024", "14. Mai 2024"}


def test_an_english_story_asked_in_french() -> None:
    story = timeline.build([ENGLISH, {**ENGLISH, "id": "en2", "text": "The plant opened on May 1."}],
                           parser=None, labels="fr")
    assert _labels(story) == ["1er mai 2024", "14 mai 2024"]


def test_undated_and_ongoing_are_in_the_language() -> None:
    """The parse finds both (an open 'since' and a happening without a date): an English story asked in German."""
    ongoing = timeline.build([{"id": "a", "text": "The union has been on strike since March 2023.",
                               "published": "2024-05-16"}], labels="de")
    assert [event.to_dict()["date"]["label"] for event in ongoing.events if event.to_dict()["date"]["ongoing"]] \
        == ["seit März 2023"]
    undated = timeline.build([{"id": "a", "text": "The mayor resigned. The council met on 3 March 2024."}], labels="de")
    assert _labels(undated) == ["3. März 2024", "undatiert"]


def test_a_language_without_a_grammar_is_refused() -> None:
    with pytest.raises(timeline.UnsupportedLanguage, match="'xx'"):
        timeline.build([ENGLISH], parser=None, labels="xx")


@pytest.mark.parametrize("languages, requested, expected", [
    (["es", "es"], None, "es"), (["es", "de"], None, "en"), (["es", "de"], "fr", "fr"),
    (["ru"], None, "en"),  # a language without a grammar writes no dates of its own
])
def test_label_language(languages: list[str], requested: str | None, expected: str) -> None:
    documents = [Document(id=str(n), text="", language=language) for n, language in enumerate(languages)]
    assert label_language(documents, requested) == expected


def test_about_keeps_the_label_language() -> None:
    story = timeline.build([SPANISH], parser=None, about="ministerio")
    assert story.label_language == "es" and _labels(story) == ["14 de mayo de 2024"]


# --- the command line ------------------------------------------------------------------------------

def test_cli_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "story.jsonl"
    path.write_text(json.dumps(SPANISH) + "\n", encoding="utf-8")
    assert main(["build", str(path), "--format", "json", "--labels", "de"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["labels"] == "de"
    assert [event["date"]["label"] for event in data["events"]] == ["1. Mai 2024", "14. Mai 2024"]
    assert main(["build", str(path)]) == 0
    assert capsys.readouterr().out.startswith("1 de mayo de 2024")
    assert main(["build", str(path), "--labels", "xx"]) == 2
    assert "unsupported language 'xx'" in capsys.readouterr().err


# --- the API -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client() -> Any:
    pytest.importorskip("flask")
    from api import create_app
    return create_app().test_client()


def test_api_labels_follow_the_documents(client: Any) -> None:
    response = client.post("/timeline", json={"documents": [SPANISH]})
    assert response.status_code == 200
    data = response.get_json()
    assert data["labels"] == "es"
    assert [event["date"]["label"] for event in data["events"]] == ["1 de mayo de 2024", "14 de mayo de 2024"]
    mixed = client.post("/timeline", json={"documents": [SPANISH, ENGLISH]}).get_json()
    assert mixed["labels"] == "en"
    asked = client.post("/timeline", json={"documents": [SPANISH, ENGLISH], "labels": "fr"}).get_json()
    assert asked["labels"] == "fr" and {event["date"]["label"] for event in asked["events"]} == \
        {"1er mai 2024", "14 mai 2024"}


@pytest.mark.parametrize("labels", ["xx", "", 3, ["es"]])
def test_api_refuses_a_bad_labels_language(client: Any, labels: Any) -> None:
    response = client.post("/timeline", json={"documents": [SPANISH], "labels": labels})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "labels" in response.get_json()["errors"]


# --- the contract: a [labels] table is complete and sound ---------------------------------------------

@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_every_shipped_language_writes_its_own_labels(language: str) -> None:
    assert load_grammar(language).labels.problems() == []


@pytest.mark.parametrize("old, new, message", [
    ('\nundated = "undated"\n', "\n", "missing key(s) undated"),
    ('"November", "December"]', '"November"]', "months: 11 names, not 12"),
    (', WI = "Winter" }', " }", "seasons: no name for WI"),
    ('NI = "night", ', "", "parts_of_day: no name for NI"),
    (', ON_OR_AFTER = "from {date}" }', " }", "mods: no name for ON_OR_AFTER"),
    ('day = "{day} {month} {year}"', 'day = "{dia} {month} {year}"', "day: '{dia} {month} {year}' is not a template"),
    ('ongoing = "since {date}"', 'ongoing = "since {since}"', "ongoing: 'since {since}' is not a template"),
    ('START = "early {date}"', 'START = "early {month}"', "mods.START: 'early {month}'"),
])
def test_an_incomplete_or_unsound_labels_table_is_refused(old: str, new: str, message: str) -> None:
    assert EN_TEXT.count(old) == 1
    with pytest.raises(GrammarError) as caught:
        compile_source(EN_TEXT.replace(old, new), "xx.toml")
    assert f"xx.toml: [labels]: {message}" in str(caught.value)


def test_a_grammar_without_labels_writes_iso_like_dates() -> None:
    start, end = EN_TEXT.index("\n[labels]\n"), EN_TEXT.index("\n[identification]\n")
    bare = compile_source(EN_TEXT[:start] + EN_TEXT[end:], "xx.toml")
    assert bare.labels.day == "{year}-{month}-{day:02d}"
