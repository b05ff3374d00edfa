"""Ranges: two timexes linked as the ends of one stretch (timeline/ranges.py).

The ends' own values are corpus cases (tests/corpus/ranges.tsv); here is the range that links
them: its text, its length as a TIMEX3 DURATION value, its interval, and where it is refused.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

import timeline
from timeline.evaluation import _flatten
from timeline.formats import to_timeml
from timeline.pipeline import CHUNK_CHARS
from timeline.ranges import length_value

PUBLISHED = "2025-03-12"  # a Wednesday


@pytest.mark.parametrize("sentence, text, value, start, end", [
    ("The board meets from 9:30 to 11:00 on Thursday.", "9:30 to 11:00 on Thursday", "PT1H30M",
     "2025-03-13T09:30", "2025-03-13T11:00"),
    ("The pharmacy will be staffed 3-4pm on Friday.", "3-4pm on Friday", "PT1H",
     "2025-03-14T15:00", "2025-03-14T16:00"),
    ("The museum will open 10:00-18:00 on Sunday.", "10:00-18:00 on Sunday", "PT8H",
     "2025-03-16T10:00", "2025-03-16T18:00"),
    ("The bakery stays open from 22:00 to 06:00 tomorrow.", "22:00 to 06:00 tomorrow", "PT8H",
     "2025-03-12T22:00", "2025-03-13T06:00"),
    ("The book fair will run between June 2 and June 6.", "June 2 and June 6", "P5D", "2025-06-02", "2025-06-07"),
    ("The kiln festival will be held May 3-5.", "May 3-5", "P3D", "2025-05-03", "2025-05-06"),
    ("The clinic was closed from Monday to Wednesday.", "Monday to Wednesday", "P3D", "2025-03-10", "2025-03-13"),
    ("The canal was dug 1881-1889 by hand.", "1881-1889", "P9Y", "1881-01-01", "1890-01-01"),
    ("The lease ran Sept. 30 until May 16, 2024.", "Sept. 30 until May 16, 2024", "P230D", "2023-09-30", "2024-05-17"),
    ("The office will be open between 3 and 5 p.m. on Friday.", "3 and 5 p.m. on Friday", "PT2H",
     "2025-03-14T15:00", "2025-03-14T17:00"),
    ("The library is closed from Friday to Monday.", "Friday to Monday", "P4D", "2025-03-14", "2025-03-18"),
    ("Prices were frozen from March to May.", "March to May", "P3M", "2024-03-01", "2024-06-01"),
])
def test_two_ends_make_one_range(sentence, text, value, start, end):
    first, second = timeline.extract(sentence, published=PUBLISHED)
    assert first.range is not None and first.range == second.range
    stretch = first.range
    assert (stretch.begin_point, stretch.end_point) == (first.id, second.id)
    assert (stretch.text, stretch.value) == (text, value)
    assert sentence[stretch.start:stretch.end] == text
    interval = stretch.interval.to_dict()
    assert (interval["start"], interval["end"]) == (start, end)
    assert first.to_dict()["range"] == second.to_dict()["range"] == stretch.to_dict()


@pytest.mark.parametrize("sentence", [
    "The vote was postponed from Tuesday to Thursday.",  # an old date and a new one
    "The shop is shut on Monday and Tuesday.",  # "and" joins a range only after "between"
    "Revenue rose in the quarter ended July 31.",  # joined, but a period and its last day
    "The ferry sailed on Friday, and on Monday it returned.",
    "Prices doubled from last year to this year, then fell in 2019-2018.",  # backwards: no stretch
])
def test_neighbours_that_are_no_range(sentence):
    timexes = timeline.extract(sentence, published=PUBLISHED)
    assert len(timexes) >= 2
    assert all(t.range is None for t in timexes if t.text not in ("last year", "this year"))


def test_a_timex_ends_at_most_one_range():
    timexes = timeline.extract("The fair runs May 1 to May 2 to May 3.", published=PUBLISHED)
    assert [t.range.text if t.range else None for t in timexes] == ["May 1 to May 2", "May 1 to May 2", None]


def test_range_is_timeml_beginpoint_endpoint_and_not_scored_as_an_expression():
    text = "The board meets from 9:30 to 11:00 on Thursday."
    timexes = timeline.extract(text, published=PUBLISHED)
    document = to_timeml(text, timexes, PUBLISHED, "d1")
    assert '<TIMEX3 tid="t3" type="DURATION" value="PT1H30M" beginPoint="t1" endPoint="t2"/>' in document
    body = next(element for element in ET.fromstring(document.encode()).iter() if element.tag == "TEXT")
    read_text, read = _flatten(body)
    assert read_text == text
    assert [(t.text, t.value) for t in read] == [(t.text, t.value) for t in timexes]


def test_range_in_a_long_text_names_the_ids_of_the_whole_text():
    filler = "The committee heard more witnesses and the session went on. " * (CHUNK_CHARS // 60 + 50)
    text = filler + "The board meets from 9:30 to 11:00 on Thursday."
    timexes = timeline.extract(text, published=PUBLISHED)
    first, second = timexes[-2:]
    assert first.range is not None and first.range == second.range
    assert (first.range.begin_point, first.range.end_point) == (first.id, second.id)
    assert text[first.range.start:first.range.end] == first.range.text == "9:30 to 11:00 on Thursday"


@pytest.mark.parametrize("start, end, value", [
    (datetime(2025, 1, 1), datetime(2027, 1, 1), "P2Y"),
    (datetime(2025, 3, 1), datetime(2025, 6, 1), "P3M"),
    (datetime(2025, 3, 10), datetime(2025, 3, 24), "P2W"),  # Monday to Monday
    (datetime(2025, 3, 11), datetime(2025, 3, 25), "P14D"),
    (datetime(2025, 3, 11, 9, 30), datetime(2025, 3, 11, 11, 0), "PT1H30M"),
    (datetime(2025, 3, 11, 22, 0), datetime(2025, 3, 13, 6, 15), "P1DT8H15M"),
])
def test_length_value_uses_the_largest_whole_unit(start, end, value):
    assert length_value(start, end) == value
