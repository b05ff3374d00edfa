"""Events of Spanish, French and German articles: the languages have no parser, so their
events come from the clause heuristics, which read the words of each grammar's ``[events]``
table (page furniture, bylines, fronted adverbials, the prepositions before a date, end
bounds, stop words).  The articles are written for these tests."""
from __future__ import annotations

import pytest

import timeline
from timeline.events import clause_summary, content_words, is_news_line
from timeline.grammar import load_grammar

PUBLISHED = "2024-05-16"  # a Thursday

ARTICLES = {
    "es": ("El Gobierno aprobó el pasado viernes el decreto de vivienda.\n\nPor Juan Pérez\n\n"
           "El lunes, la ministra de Vivienda se reunió con los sindicatos en Barcelona. Los sindicatos "
           "convocaron una huelga para el 20 de junio, aunque la patronal rechazó la propuesta.\n\n"
           "Compartir\n\nLeer más\n"),
    "fr": ("Le gouvernement a adopté vendredi dernier le projet de loi sur le logement.\n\nPar Marie Dupont\n\n"
           "Lundi, la ministre du Logement s'est réunie avec les syndicats à Lyon. Les syndicats ont appelé "
           "à une grève pour le 20 juin, mais le patronat a rejeté la proposition.\n\nPartager\n\nLire aussi\n"),
    "de": ("Die Bundesregierung hat am vergangenen Freitag das Wohnungsgesetz beschlossen.\n\nVon Hans Müller\n\n"
           "Am Montag traf sich die Bauministerin mit den Gewerkschaften in Hamburg. Die Gewerkschaften riefen "
           "für den 20. Juni zu einem Streik auf, aber die Arbeitgeber lehnten den Vorschlag ab.\n\nTeilen\n\n"
           "Mehr zum Thema\n"),
}

# Each article's events: date and summary (the main clause, without the date's preposition).
EXPECTED = {
    "es": [("2024-05-10", "Gobierno aprobó el decreto de vivienda"),
           ("2024-05-13", "Ministra de Vivienda se reunió con los sindicatos en Barcelona"),
           ("2024-06-20", "Sindicatos convocaron una huelga")],
    "fr": [("2024-05-10", "Gouvernement a adopté le projet de loi sur le logement"),
           ("2024-05-13", "Ministre du Logement s'est réunie avec les syndicats à Lyon"),
           ("2024-06-20", "Syndicats ont appelé à une grève")],
    "de": [("2024-05-10", "Bundesregierung hat das Wohnungsgesetz beschlossen"),
           ("2024-05-13", "Traf sich die Bauministerin mit den Gewerkschaften in Hamburg"),
           ("2024-06-20", "Gewerkschaften riefen zu einem Streik auf")],
}


@pytest.mark.parametrize("language", sorted(ARTICLES))
def test_an_article_gives_its_events_with_summaries_in_its_language(language: str) -> None:
    story = timeline.build([{"id": language, "published": PUBLISHED, "text": ARTICLES[language]}],
                           language=language)
    events = [(event.interval.start.date().isoformat(), event.summary) for event in story.events]
    assert events == EXPECTED[language]
    assert any(f"no parser for {language}" in warning for warning in story.warnings)


@pytest.mark.parametrize("language, line", [
    ("es", "Por Juan Pérez"), ("es", "Por Ana García y Luis Martín, Madrid"), ("es", "Compartir"),
    ("es", "Noticias relacionadas"), ("es", "Te puede interesar"),
    ("fr", "Par Marie Dupont"), ("fr", "Partager"), ("fr", "Lire aussi"), ("fr", "Sur le même sujet"),
    ("de", "Von Hans Müller"), ("de", "Mehr zum Thema"), ("de", "Lesen Sie auch"),
])
def test_page_furniture_and_bylines_are_no_news(language: str, line: str) -> None:
    assert not is_news_line(line, load_grammar(language).events)


@pytest.mark.parametrize("language, line", [
    ("es", "Por la tarde, el Congreso aprobó la ley de presupuestos."),
    ("fr", "Par ailleurs, le Sénat a adopté le budget mardi."),
    ("de", "Von Montag an gilt das neue Gesetz in ganz Deutschland."),
])
def test_sentences_opening_like_a_byline_are_news(language: str, line: str) -> None:
    assert is_news_line(line, load_grammar(language).events)


@pytest.mark.parametrize("language, sentence, date, summary", [
    # a fronted date dates the main clause after the comma
    ("es", "El martes, el Congreso aprobó la reforma.", "El martes", "Congreso aprobó la reforma"),
    ("fr", "Mardi, l'Assemblée a adopté la réforme.", "Mardi", "l'Assemblée a adopté la réforme"),
    # the preposition before the date is left out
    ("es", "La reforma entrará en vigor en marzo.", "marzo", "reforma entrará en vigor"),
    ("fr", "La réforme entrera en vigueur dès janvier.", "janvier", "réforme entrera en vigueur"),
    ("de", "Die Reform tritt im März in Kraft.", "März", "Reform tritt in Kraft"),
    # a date inside a subordinate clause dates that clause
    ("es", "El precio subió cuando la OPEP recortó la producción en abril.", "abril",
     "OPEP recortó la producción"),
])
def test_clause_summaries(language: str, sentence: str, date: str, summary: str) -> None:
    start = sentence.index(date)
    words = load_grammar(language).events
    assert clause_summary(sentence, start, start + len(date), words) == summary


@pytest.mark.parametrize("language, text", [
    ("es", "El ministro seguirá en el cargo hasta el 30 de junio."),
    ("fr", "Le ministre restera en poste jusqu'au 30 juin."),
    ("de", "Der Minister bleibt bis Ende Juni im Amt."),
])
def test_a_date_after_until_bounds_a_state_and_dates_no_event(language: str, text: str) -> None:
    story = timeline.build([{"id": "a", "published": PUBLISHED, "text": text}], language=language)
    assert story.events == [] or all(event.interval is None for event in story.events)


@pytest.mark.parametrize("language, text, words", [
    ("es", "Los sindicatos convocaron una huelga en el metro", {"sindicato", "convocaron", "huelga", "metro"}),
    ("fr", "Les syndicats ont appelé à une grève dans le métro", {"syndicat", "appelé", "grève", "métro"}),
    ("de", "Die Gewerkschaften riefen zu einem Streik in der Bahn auf", {"gewerkschaften", "riefen", "streik",
                                                                        "bahn"}),
])
def test_content_words_leave_out_the_languages_function_words(language: str, text: str, words: set[str]) -> None:
    assert content_words(text, load_grammar(language).events) == words
