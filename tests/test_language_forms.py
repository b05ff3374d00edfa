"""Language-neutral pieces the Spanish and French grammars needed: how digits are written
(``[numbers]`` separators), durations of two units ("two years and three months"), compound
past tenses read as one cue (``[tense] past_phrase_forms``) and offsets counted from now even in
a story (``anchor = "now"``).  Each is checked on a grammar that declares it, and the separators
on English too, which keeps the defaults."""
from __future__ import annotations

import re

import pytest

import timeline
from timeline.grammar import GRAMMAR_DIR, GrammarError, compile_source, load_grammar
from timeline.matching import parse_number
from timeline.tense import clause_tense
from timeline.values import sum_value

PUBLISHED = "2024-05-16"  # a Thursday


@pytest.mark.parametrize("language, text, number", [
    ("en", "2.5", 2.5), ("en", "1,200", 1200), ("en", "24", 24),
    ("es", "2,5", 2.5), ("es", "1.500", 1500), ("es", "1.000", 1000), ("fr", "30,4", 30.4), ("fr", "3.000", 3000),
])
def test_digits_are_read_with_the_languages_separators(language: str, text: str, number: float) -> None:
    assert parse_number(text, load_grammar(language)) == number


def test_number_words_are_not_touched_by_the_separators() -> None:
    assert parse_number("un par de", load_grammar("es")) == 2
    assert parse_number("veinte", load_grammar("es")) == 20


@pytest.mark.parametrize("language, sentence, phrase, value", [
    ("es", "El vuelo duró 2,5 horas.", "2,5 horas", "PT2H30M"),
    ("es", "Lleva 1.000 días en prisión.", "1.000 días", "P1000D"),
    ("fr", "Il a devancé son coéquipier de 30,4 secondes.", "30,4 secondes", "PT30.4S"),
])
def test_durations_with_decimal_commas_and_thousands(language: str, sentence: str, phrase: str, value: str) -> None:
    found = {t.text: t.value for t in timeline.extract(sentence, PUBLISHED, language=language)}
    assert found == {phrase: value}


@pytest.mark.parametrize("sentence", [
    "La empresa ganó 1,5 millones de euros.",
    "El paro bajó un 2,5 por ciento.",
    "La inflación se situó en el 3,25 %.",
])
def test_decimal_amounts_are_no_times_or_dates(sentence: str) -> None:
    assert timeline.extract(sentence, PUBLISHED, language="es") == []


def test_sum_value_keeps_date_and_time_parts_apart() -> None:
    assert sum_value(["P2Y", "P3M"]) == "P2Y3M"
    assert sum_value(["PT2H", "PT30M"]) == "PT2H30M"
    assert sum_value(["P1D", "PT12H"]) == "P1DT12H"


@pytest.mark.parametrize("sentence, phrase, value", [
    ("Fue condenado a dos años y tres meses de cárcel.", "dos años y tres meses", "P2Y3M"),
    ("Los votantes tuvieron dos horas y 30 minutos para votar.", "dos horas y 30 minutos", "PT2H30M"),
])
def test_a_duration_of_two_units_is_one_timex(sentence: str, phrase: str, value: str) -> None:
    timexes = timeline.extract(sentence, PUBLISHED, language="es")
    assert [(t.text, t.value) for t in timexes] == [(phrase, value)]


def test_the_second_unit_must_be_a_word_of_the_unit_table() -> None:
    text = (GRAMMAR_DIR / "es.toml").read_text(encoding="utf-8")
    broken = text.replace("(?P<plus_unit>{unit})", "(?P<plus_unit>lustros)", 1)
    assert broken != text
    with pytest.raises(GrammarError, match=r"plus_unit.*lexicon\.unit"):
        compile_source(broken, "es.toml")


def _tense(sentence: str, phrase: str, language: str) -> tuple[str | None, str | None]:
    start = sentence.index(phrase)
    tense = clause_tense(sentence, (0, len(sentence)), (start, start + len(phrase)), load_grammar(language).tense)
    return tense.value, tense.cue


@pytest.mark.parametrize("sentence, cue", [
    ("Le président est arrivé samedi à Paris.", "est arrivé"),
    ("Les secours sont intervenus dimanche soir.", "sont intervenus"),
    ("Les ministres se sont réunis mardi à Bruxelles.", "se sont réunis"),
    ("La cérémonie s'est déroulée lundi.", "s'est déroulée"),
])
def test_the_french_passe_compose_with_etre_is_a_past_cue(sentence: str, cue: str) -> None:
    weekday = re.search(r"\b(lundi|mardi|samedi|dimanche)\b", sentence)
    assert weekday is not None
    assert _tense(sentence, weekday.group(), "fr") == ("past", cue)


def test_etre_before_other_words_stays_present() -> None:
    # "Rendez-vous est fixé": no verb of motion, no reflexive pronoun: no compound past.
    value, cue = _tense("Rendez-vous est fixé à tous samedi à 8 h.", "samedi", "fr")
    assert cue != "vous est fixé" and value != "past"


@pytest.mark.parametrize("sentence, value", [
    ("Le président est arrivé samedi à Paris.", "2024-05-11"),
    ("Le président arrivera samedi à Paris.", "2024-05-18"),
])
def test_a_bare_weekday_follows_the_passe_compose(sentence: str, value: str) -> None:
    assert [t.value for t in timeline.extract(sentence, PUBLISHED, language="fr")] == [value]


@pytest.mark.parametrize("text, value", [
    # A story of 1990 told in the news: "hace" still counts from the publication ...
    ("En 1990 llegaron los primeros inmigrantes chinos. Hace un mes, el canciller visitó Pekín.", "2024-04"),
    ("La guerra terminó en 1945. Hace dos años se abrió el museo.", "2022"),
])
def test_hace_counts_from_now_even_after_a_story_year(text: str, value: str) -> None:
    found = [t for t in timeline.extract(text, PUBLISHED, language="es") if t.text.lower().startswith("hace")]
    assert [t.value for t in found] == [value]


def test_ago_in_english_still_counts_from_the_story_time() -> None:
    # English keeps anchor = "publication": told of a year long past, "ago" counts from the story.
    text = "In 1975 the minister resigned. He had signed the agreement two years ago."
    found = [t for t in timeline.extract(text, PUBLISHED) if "ago" in t.text]
    assert [t.value for t in found] == ["1973"]


@pytest.mark.parametrize("language, sentence, stretch, value", [
    ("es", "La biblioteca abre de 9 a 14 horas.", "9 a 14 horas", "PT5H"),
    ("es", "La feria será entre el 5 y el 7 de junio.", "el 5 y el 7 de junio", "P3D"),
    ("es", "La guerra civil duró de 1936 a 1939.", "1936 a 1939", "P4Y"),
    ("fr", "Le festival aura lieu du 3 au 5 juillet.", "3 au 5 juillet", "P3D"),
    ("fr", "Les inscriptions se feront de 13 h 30 à 15 h 30.", "13 h 30 à 15 h 30", "PT2H"),
    ("fr", "Le salon se tiendra entre le 2 et le 6 juin.", "le 2 et le 6 juin", "P5D"),
])
def test_the_ends_of_a_stretch_are_linked_in_spanish_and_french(language: str, sentence: str, stretch: str,
                                                                 value: str) -> None:
    ends = timeline.extract(sentence, PUBLISHED, language=language)
    assert len(ends) == 2 and all(end.range is not None for end in ends)
    assert (ends[0].range.text, ends[0].range.value) == (stretch, value)


@pytest.mark.parametrize("language, sentence", [
    ("es", "El Gobierno aplazó la votación del martes al jueves."),
    ("es", "La ministra viajará el lunes y el martes a Bruselas."),
    ("fr", "Il a reporté le vote de mardi à jeudi."),
    ("fr", "Le ministre sera à Bruxelles lundi et mardi."),
])
def test_two_dates_that_are_no_stretch_stay_apart(language: str, sentence: str) -> None:
    assert all(end.range is None for end in timeline.extract(sentence, PUBLISHED, language=language))
