"""date_label: a resolved date written the way a person reads it, at its own granularity, in a language."""
import csv
from datetime import datetime
from pathlib import Path

import pytest

import timeline
from timeline.grammar import load_labels
from timeline.languages import supported_languages
from timeline.timexes import Interval, date_label, roman


def _interval(start: str | None, end: str | None, granularity: str) -> Interval:
    parse = lambda text: datetime.fromisoformat(text) if text else None  # noqa: E731
    return Interval(parse(start), parse(end), granularity)


@pytest.mark.parametrize("value, start, end, granularity, mod, expected", [
    ("2024-05-16", "2024-05-16", "2024-05-17", "day", None, "16 May 2024"),
    ("P2D", "2024-05-16", "2024-05-18", "day", None, "16–17 May 2024"),
    ("P3D", "2024-05-31", "2024-06-03", "day", None, "31 May 2024 – 2 June 2024"),
    ("2024-05-16T14:30", "2024-05-16T14:30", "2024-05-16T14:31", "minute", None, "16 May 2024, 14:30"),
    ("2024-05-16T09", "2024-05-16T09:00", "2024-05-16T10:00", "hour", None, "16 May 2024, 09:00"),
    ("2024-05-16TEV", "2024-05-16T18:00", "2024-05-16T22:00", "part_of_day", None, "16 May 2024, evening"),
    ("2024-W20", "2024-05-13", "2024-05-20", "week", None, "Week 20, 2024"),
    ("2025-W01", "2024-12-30", "2025-01-06", "week", None, "Week 1, 2025"),
    ("2024-W20-WE", "2024-05-18", "2024-05-20", "week", None, "Weekend, week 20, 2024"),
    ("2024-05", "2024-05-01", "2024-06-01", "month", None, "May 2024"),
    ("2024-05", "2024-05-01", "2024-05-11", "month", "START", "early May 2024"),
    ("2024-05", "2024-05-11", "2024-05-21", "month", "MID", "mid-May 2024"),
    ("2024-Q3", "2024-07-01", "2024-10-01", "quarter", None, "Q3 2024"),
    ("2023-H1", "2023-01-01", "2023-07-01", "half", None, "H1 2023"),
    ("2024-SU", "2024-06-01", "2024-09-01", "season", None, "Summer 2024"),
    ("2024", "2024-01-01", "2025-01-01", "year", None, "2024"),
    ("2023", "2023-01-01", "2024-01-01", "year", "END", "late 2023"),
    ("199", "1990-01-01", "2000-01-01", "decade", None, "1990s"),
    ("19", "1900-01-01", "2000-01-01", "century", None, "20th century"),
    ("20", "2000-01-01", "2100-01-01", "century", None, "21st century"),
    ("PAST_REF", None, "2024-05-16", "vague", None, "the past"),
    ("FUTURE_REF", "2024-05-17", None, "vague", "APPROX", "the future"),
    ("XXXX-WXX-4", None, None, "day", None, "XXXX-WXX-4"),
])
def test_label(value, start, end, granularity, mod, expected):
    assert date_label(value, _interval(start, end, granularity), mod) == expected


def test_no_interval_falls_back_to_the_value():
    assert date_label("P2W", None) == "P2W"


# --- labels per language --------------------------------------------------------------------

LABELS_TABLE = Path(__file__).with_name("date_labels.tsv")


def _label_rows() -> list[dict[str, str]]:
    lines = [line for line in LABELS_TABLE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("row", _label_rows(), ids=lambda row: f"{row['language']}: {row['phrase']}")
def test_a_date_is_written_in_its_language(row: dict[str, str]) -> None:
    timexes = timeline.extract(row["sentence"], row["published"], language=row["language"])
    found = [timex for timex in timexes if timex.text == row["phrase"]]
    assert found, f"no timex {row['phrase']!r} in {[timex.text for timex in timexes]}"
    timex = found[0]
    assert date_label(timex.value, timex.interval, timex.mod, load_labels(row["language"])) == row["label"]


def test_the_table_covers_every_language_with_labels() -> None:
    assert {row["language"] for row in _label_rows()} == set(supported_languages())


@pytest.mark.parametrize("language, value, start, end, granularity, expected", [
    ("es", "P3D", "2024-05-31", "2024-06-03", "day", "31 de mayo de 2024 – 2 de junio de 2024"),
    ("fr", "P2D", "2024-05-01", "2024-05-03", "day", "1er–2 mai 2024"),
    ("de", "P2D", "2024-05-16", "2024-05-18", "day", "16.–17. Mai 2024"),
    ("de", "2024-05-16T09", "2024-05-16T09:00", "2024-05-16T10:00", "hour", "16. Mai 2024, 09:00 Uhr"),
    ("fr", "2024-W20-WE", "2024-05-18", "2024-05-20", "week", "Week-end, semaine 20, 2024"),
    ("es", "2023-H1", "2023-01-01", "2023-07-01", "half", "1.º semestre de 2023"),
    ("de", "2023-H2", "2023-07-01", "2024-01-01", "half", "2. Halbjahr 2023"),
    ("es", "20", "2000-01-01", "2100-01-01", "century", "siglo XXI"),
    ("fr", "20", "2000-01-01", "2100-01-01", "century", "XXIe siècle"),
    ("es", "BC0480", None, None, "year", "480 a. C."),
    ("fr", "BC03", None, None, "century", "IVe siècle av. J.-C."),
    ("de", "BC03", None, None, "century", "4. Jahrhundert v. Chr."),
    ("de", "PAST_REF", None, "2024-05-16", "vague", "die Vergangenheit"),
    ("fr", "2024-05-16TNI", "2024-05-16T21:00", "2024-05-17T06:00", "part_of_day", "16 mai 2024, la nuit"),
])
def test_rare_shapes_per_language(language, value, start, end, granularity, expected):
    assert date_label(value, _interval(start, end, granularity), labels=load_labels(language)) == expected


def test_roman_numerals() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 19, 21, 40, 90, 400, 1994)] == \
        ["I", "IV", "IX", "XIV", "XIX", "XXI", "XL", "XC", "CD", "MCMXCIV"]
