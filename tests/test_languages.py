"""Languages beyond English: the Spanish, French and German grammars on their development sets,
each document read in its own language, and absolute dates through dateparser for the rest."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import timeline
from timeline.batch import process_record
from timeline.cli import main
from timeline.grammar import load_grammar
from timeline.longtail import RULE, LongTailExtractor, absolute_dates, knows
from timeline.tense import verb_tense

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "multilingual"
# Floors a little under the development figures in docs/languages.md: a regression fails here.
DEV_SETS = {
    "es": ("es-te3-train", {"strict": 0.90, "relaxed": 0.93, "value": 0.87}),
    "fr": ("fr-ftib-dev", {"strict": 0.90, "relaxed": 0.93, "value": 0.80}),
    "de": ("de-wikiwars-dev", {"strict": 0.91, "relaxed": 0.95, "value": 0.91}),
}
needs_dateparser = pytest.mark.skipif(not knows("ru"), reason="dateparser is not installed")


@pytest.mark.skipif(not DATA.is_dir(), reason="the multilingual development data is absent")
def test_evaluate_reads_each_development_set_in_its_language(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = [f"{language}={DATA / folder}" for language, (folder, _) in DEV_SETS.items()]
    assert main(["evaluate", "--json", *arguments]) == 0
    sets = json.loads(capsys.readouterr().out)["sets"]
    for language, (_, floors) in DEV_SETS.items():
        found = sets[language]
        assert found["language"] == language  # identified from the set's own texts
        figures = {"strict": found["strict"]["f1"], "relaxed": found["relaxed"]["f1"], "value": found["value"]["f1"]}
        assert all(figures[name] >= floor for name, floor in floors.items()), (language, figures)


def _tml(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(
        '<?xml version="1.0" ?>\n<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2024-05-16" '
        f'functionInDocument="CREATION_TIME"/></DCT><TEXT>{text}</TEXT></TimeML>\n', encoding="utf-8")


def test_a_set_is_read_in_the_language_of_its_texts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tml(tmp_path, "a.tml", 'El Gobierno aprobó <TIMEX3 tid="t1" type="DATE" value="2024-05-15">ayer</TIMEX3> '
                            "el decreto que regula los alquileres de las viviendas en las ciudades, según "
                            "informó el ministro en una rueda de prensa celebrada en Madrid por la tarde.")
    assert main(["evaluate", "--json", str(tmp_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["language"] == "es" and report["strict"]["matches"] == 1
    assert main(["evaluate", "--json", "--language", "en", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["strict"]["matches"] == 0  # "ayer" is no English word


@pytest.mark.parametrize(("language", "past", "future"), [
    ("es", "anunció", "anunciará"), ("fr", "annonçait", "annoncera"), ("de", "kündigte", "wird")])
def test_each_language_reads_tense_from_its_verb_endings(language: str, past: str, future: str) -> None:
    cues = load_grammar(language).tense
    assert verb_tense(past, cues) == "past"
    assert verb_tense(future, cues) == "future"


@pytest.mark.parametrize(("language", "sentence", "value"), [
    ("es", "El ministro llegó el lunes a Lima.", "2024-05-13"),
    ("es", "El ministro llegará el lunes a Lima.", "2024-05-20"),
    ("fr", "Le ministre est arrivé lundi à Lyon.", "2024-05-13"),
    ("fr", "Le ministre arrivera lundi à Lyon.", "2024-05-20"),
    ("de", "Der Minister traf am Montag in Köln ein.", "2024-05-13"),
    ("de", "Der Minister wird am Montag in Köln eintreffen.", "2024-05-20"),
])
def test_a_bare_weekday_follows_the_tense_of_its_clause(language: str, sentence: str, value: str) -> None:
    (found,) = [t for t in timeline.extract(sentence, "2024-05-16", language=language) if t.type == "DATE"]
    assert found.value == value


def test_a_story_told_in_english_and_german_merges_by_date_and_participants() -> None:
    story = timeline.build([
        {"id": "en", "published": "2024-05-16",
         "text": "On Tuesday Chancellor Olaf Scholz met President Emmanuel Macron in Paris."},
        {"id": "de", "published": "2024-05-16",  # no language given: identified from the text
         "text": "Am Dienstag traf Bundeskanzler Olaf Scholz den französischen Präsidenten Emmanuel Macron "
                 "in Paris, wie die Regierung in Berlin mitteilte."},
    ], parser=None)
    assert [note["language"] for note in story.documents] == ["en", "de"]
    (tuesday,) = [event.to_dict() for event in story.events if event.to_dict()["date"]["value"] == "2024-05-14"]
    assert {mention["document"] for mention in tuesday["mentions"]} == {"en", "de"}


@needs_dateparser
def test_a_language_without_a_grammar_gets_its_absolute_dates_only() -> None:
    text = "Путин прибыл в Пекин 16 мая 2024 года. Вчера он встретился с Си Цзиньпином, а через два дня уедет."
    (found,) = absolute_dates(text, "ru")
    assert (found.text, found.value, found.resolution.rule) == ("16 мая 2024", "2024-05-16", RULE)
    assert "'ru' has no grammar" in found.resolution.reason
    assert found.interval is not None and found.interval.granularity == "day"
    assert [t.value for t in absolute_dates("习近平于2024年5月16日会见了普京。昨天他们会谈。", "zh")] == ["2024-05-16"]


@needs_dateparser
def test_a_document_read_by_dateparser_carries_a_warning_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    record = {"id": "ru", "language": "ru", "published": "2024-05-16", "text": "Визит начался 16 мая 2024 года."}
    story = timeline.build([record], parser=None)
    assert [event.to_dict()["date"]["value"] for event in story.events] == ["2024-05-16"]
    assert any("'ru' has no grammar: only absolute dates" in warning for warning in story.warnings)
    batch = process_record(record)
    assert [t["value"] for t in batch["timexes"]] == ["2024-05-16"] and "absolute dates" in batch["warnings"][0]
    assert LongTailExtractor("ru").extract("Вчера.", "2024-05-16") == []  # nothing relative


def test_a_language_unknown_to_dateparser_is_still_only_warned_about() -> None:
    story = timeline.build([{"id": "x", "language": "xx", "text": "16 xyz 2024", "published": "2024-05-16"}],
                           parser=None)
    assert story.events == [] and any("'xx' is not supported" in warning for warning in story.warnings)
