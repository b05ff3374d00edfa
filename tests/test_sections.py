"""Sections of a narrative: a heading that names a date ("1862") opens a section whose story
starts there, and each undated heading under it ("Western theatre") starts that story again.

A history told year by year and, within each year, theatre by theatre goes back to the spring
at each theatre: "in May" under "1862" is May 1862 in every one of them, whatever the theatre
before reached. The rules are the engine's (language-neutral); the sentences are English and
German, the corpus has more (tests/corpus/narrative.tsv, tests/corpus/de/erzaehlung.tsv).
"""
from __future__ import annotations

import pytest

import timeline
from timeline.discourse import headings

PUBLISHED = "2011-02-16"


def _values(text: str, language: str = "en") -> dict[str, list[str]]:
    """Each timex text of ``text`` with its values, in text order."""
    found: dict[str, list[str]] = {}
    for timex in timeline.extract(text, PUBLISHED, language=language):
        found.setdefault(timex.text, []).append(timex.value)
    return found


@pytest.mark.parametrize(("text", "expected"), [
    ("Course of the war\n\n1862\n\nWestern theatre\n\nIn May the army moved.",
     ["Course of the war", "1862", "Western theatre"]),
    # A line that ends as a sentence does, or runs long, is text, not a heading.
    ("The army moved in May.\nIt rested:\n" + "word " * 20 + "\n", []),
    # A heading may end in a quotation mark or a bracket.
    ("Operation \u201eBarbarossa\u201c\n\nThe war (1941)\n\nText.",
     ["Operation \u201eBarbarossa\u201c", "The war (1941)"]),
    # A text of one line has no headings, however short.
    ("Attack in May", []),
])
def test_headings_are_short_lines_of_their_own(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in headings(text)] == expected


def test_each_section_under_a_year_heading_starts_again_in_that_year() -> None:
    text = ("1862\n\nWestern theatre\n\nIn March the army took the forts. In November it marched south "
            "and on 31 December it fought at the river.\n\nEastern theatre\n\nIn May the navy landed. "
            "At the end of the year the army rested.")
    values = _values(text)
    assert values["March"] == ["1862-03"] and values["November"] == ["1862-11"]
    # Without the heading, "In May" after 31 December 1862 would be May 1863.
    assert values["May"] == ["1862-05"]
    assert values["the end of the year"] == ["1862"]


def test_a_dated_heading_opens_its_section_even_after_a_finer_date_of_that_year() -> None:
    # "1863" after 29 December 1862 repeats no year of the story: it starts the next section.
    text = ("1862\n\nOn 29 December the army fought at the river.\n\n1863\n\nIn February the army moved.")
    assert _values(text)["February"] == ["1863-02"]


def test_a_story_far_from_its_heading_has_left_that_section() -> None:
    # The story went on past 1972; "Fall of the capital" is the next part, not one under "1972".
    text = ("1972 elections\n\nIn 1972 the vote was held.\n\nThe final offensive\n\nIn March 1975 the "
            "offensive began.\n\nFall of the capital\n\nOn 21 April the president resigned.")
    assert _values(text)["21 April"] == ["1975-04-21"]


def test_a_heading_that_names_a_stretch_binds_no_year() -> None:
    # "1943-1945" is where the section's story starts, not the year of all its dates.
    text = ("The eastern front 1943\u20131945\n\nIn June 1944 the offensive began. In August the army "
            "reached the river.")
    assert _values(text)["August"] == ["1944-08"]


def test_a_date_far_from_the_section_is_an_aside_the_story_does_not_follow() -> None:
    text = ("1862\n\nMissouri\n\nA gang robbed banks until 1881. In October the army enlisted new "
            "volunteers, and on 7 December it fought at the ridge.")
    values = _values(text)
    assert values["October"] == ["1862-10"] and values["7 December"] == ["1862-12-07"]


def test_german_sections_follow_the_same_rules() -> None:
    text = ("1861\n\nWestlicher Kriegsschauplatz\n\nIm Juli kam es zu Gefechten. Am 3. Dezember nahm die "
            "Armee die Stadt.\n\nÖstlicher Kriegsschauplatz\n\nIm Mai besetzte die Flotte die Küste. "
            "Gegen Ende des Jahres zog sich die Armee zurück.")
    values = _values(text, "de")
    assert values["Juli"] == ["1861-07"] and values["3. Dezember"] == ["1861-12-03"]
    assert values["Mai"] == ["1861-05"] and values["Ende des Jahres"] == ["1861"]


def test_last_year_told_from_the_story_looks_back_without_moving_it() -> None:
    # "Im letzten Jahr" (from 1863, 1862) is background: "Im Oktober" stays in the story's 1863.
    text = ("1863\n\nWestlicher Kriegsschauplatz\n\nIm letzten Jahr war die Front erstarrt. Im Oktober "
            "griffen die Truppen an.")
    values = _values(text, "de")
    assert values["letzten Jahr"] == ["1862"] and values["Oktober"] == ["1863-10"]


def test_the_anchor_of_a_date_in_a_new_section_is_the_heading() -> None:
    text = "1862\n\nWestern theatre\n\nOn 31 December the army fought.\n\nEastern theatre\n\nIn May the navy landed."
    timexes = timeline.extract(text, PUBLISHED)
    heading, may = timexes[0], timexes[-1]
    assert may.value == "1862-05" and may.resolution.anchor == f"timex:{heading.id}"


def test_a_stretch_closing_outside_the_section_is_told_ahead_of_the_story() -> None:
    # "until March 1862" under "1861" ends a stretch; the story stays in 1861 ("In late August").
    text = ("1861\n\nNaval war\n\nThe river stayed closed until March 1862.\n\nIn late August a landing "
            "force took the forts.")
    assert _values(text)["late August"] == ["1861-08"]


def test_a_story_that_moved_on_into_another_year_is_dated_by_it_not_by_the_heading() -> None:
    # Under "1961", a sentence that opens in July 1962 moves the story; "on 3 July" follows it.
    text = ("Massacre of 1961\n\nOn 17 October the police fired.\n\nPeace\n\nOn 1 July 1962 the voters "
            "approved, and on 3 July France recognised the result.")
    assert _values(text)["3 July"] == ["1962-07-03"]


def test_a_stretch_heading_keeps_dates_far_outside_it_as_asides() -> None:
    # "1944-1945": plans "drawn up from 1941" do not take the story back to 1941.
    text = ("Western front 1944\u20131945\n\nOn 6 June 1944 the Allies landed. The plan rested on studies made "
            "from 1941 onwards. On 26 June the port fell.")
    assert _values(text)["26 June"] == ["1944-06-26"]


def test_in_diesem_jahr_is_the_year_of_the_story_not_the_year_looked_back_to() -> None:
    text = ("1864\n\nWestlicher Kriegsschauplatz\n\nIm Vorjahr war die Front erstarrt. In diesem Jahr kam "
            "es zu Gefechten. Im März zog die Armee nach Süden.")
    values = _values(text, "de")
    assert values["Vorjahr"] == ["1863"] and values["diesem Jahr"] == ["1864"] and values["März"] == ["1864-03"]


@pytest.mark.parametrize(("text", "language", "phrase", "value"), [
    ("Am 28. Oktober 1940 griffen Truppen aus dem seit 1939 besetzten Albanien an. Am 3. November "
     "gingen die Griechen zum Gegenangriff über.", "de", "3. November", "1940-11-03"),
    ("On 28 October 1940 troops attacked from Albania, held since 1939. On 3 November the Greeks struck "
     "back.", "en", "3 November", "1940-11-03"),
])
def test_a_date_right_after_since_looks_back_without_moving_the_story(
        text: str, language: str, phrase: str, value: str) -> None:
    assert _values(text, language)[phrase] == [value]


def test_a_season_as_near_either_way_is_the_one_the_story_goes_on_to() -> None:
    # Both winters overlap 1812; the retreat is told after the march: the winter of 1812/13.
    assert _values("In 1812 the army marched east. In the winter it retreated.")["the winter"] == ["1812-WI"]
