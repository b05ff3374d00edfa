"""Times counted from an event (timeline/anchored.py): what dates them is recorded in
``resolution``, and the publication date never stands in for the event's date. Values are
corpus cases (tests/corpus/event_anchored.tsv)."""
from __future__ import annotations

import pytest

import timeline

PUBLISHED = "2025-03-12"


@pytest.mark.parametrize("text, phrase, value", [
    ("The referendum took place on June 23, 1994. The day after the vote, the premier resigned.", "The day",
     "1994-06-24"),
    ("The fort fell on 9 April 1917. Three days after the surrender, the relief column arrived.", "Three days",
     "1917-04-12"),
    ("The ship sank on 14 April 1912. Days later, the inquiry opened.", "Days later", "XXXX-XX-XX"),
    ("The tram line opened in 1902. At the time, the town had no paved streets.", "the time", "1902"),
])
def test_the_event_is_taken_to_be_on_the_date_just_told(text, phrase, value):
    first, timex = timeline.extract(text, published=PUBLISHED)
    assert (timex.text, timex.value) == (phrase, value)
    assert timex.resolution.anchor == f"timex:{first.id}"
    assert timex.resolution.anchor_value == first.value
    assert first.value in timex.resolution.reason


@pytest.mark.parametrize("text, value, timex_type", [
    ("The day after the vote, the premier resigned.", "XXXX-XX-XX", "DATE"),
    ("Days after the vote, the premier resigned.", "XXXX-XX-XX", "DATE"),
    ("Three days after the vote, the premier resigned.", "P3D", "DURATION"),
])
def test_without_a_date_in_the_text_the_publication_date_does_not_date_the_event(text, value, timex_type):
    (timex,) = timeline.extract(text, published=PUBLISHED)
    assert (timex.value, timex.type) == (value, timex_type)
    assert timex.resolution.anchor == "none"
    assert "no date in the text" in timex.resolution.reason


def test_news_counts_a_number_of_units_after_an_event_as_a_length():
    # News of the day (dated from the publication): the event is not taken to be on the last date.
    text = "Police said on Tuesday that the suspect fled 13 days after the bombing."
    timexes = timeline.extract(text, published=PUBLISHED)
    assert [(t.text, t.type, t.value) for t in timexes][-1] == ("13 days", "DURATION", "P13D")
