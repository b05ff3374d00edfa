"""Offsets that name a point: "in 3 hours", "10 minutes from now", "two weekdays ago",
"Easter in two years". Day-or-coarser cases are corpus rows (tests/corpus/relative_offsets.tsv,
anchored_forms.tsv); the corpus has date-only publication dates, so the cases that need a
publication time of day are here.
"""
from __future__ import annotations

import pytest

import timeline


@pytest.mark.parametrize("sentence, published, phrase, value", [
    ("The shop opens in 3 hours.", "2024-05-16T09:17", "3 hours", "2024-05-16T12:17"),
    ("We leave 10 minutes from now.", "2024-05-16T09:00", "10 minutes from now", "2024-05-16T09:10"),
    ("The alarm went off 2 hours ago.", "2024-05-16T01:00", "2 hours ago", "2024-05-15T23:00"),
    # local clock time of the publication, whatever its zone
    ("The polls close in 90 minutes.", "2024-05-16T20:30:00+02:00", "90 minutes", "2024-05-16T22:00"),
])
def test_hours_and_minutes_from_a_publication_time_name_that_moment(sentence, published, phrase, value):
    (timex,) = [t for t in timeline.extract(sentence, published=published) if t.text == phrase]
    assert (timex.type, timex.value) == ("TIME", value)
    assert timex.interval is not None and timex.interval.granularity == "minute"
    assert timex.resolution.anchor == "publication"


def test_hours_from_a_date_only_publication_name_its_day():
    (timex,) = timeline.extract("The shop opens in 3 hours.", published="2024-05-16")
    assert (timex.type, timex.value, timex.interval.granularity) == ("DATE", "2024-05-16", "day")
    assert "no time of day" in timex.resolution.reason
