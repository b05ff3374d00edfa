"""The example corpus: every row of ``tests/corpus/*.tsv`` is one test case.

Each row names a phrase inside a sentence, the article's publication date and the
TIMEX3 a careful reader gives that phrase (type, value, interval, mod); type ``NONE``
means the phrase must not be tagged at all.  A failing case is reported like a bug
report: the sentence, the publication date, what was expected and what came out.

Two kinds of tests live here:

* ``test_row_is_well_formed`` / ``test_corpus_file_is_well_formed`` check the data
  itself (column count, the phrase occurs in the sentence, dates parse, the interval
  agrees with the value, weekday and month names agree with the value), so a typo in
  a TSV file fails loudly instead of silently testing the wrong thing;
* ``test_corpus_case`` runs ``timeline.extract`` on each row.

See ``tests/corpus/README.md`` for the format and the conventions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

CORPUS_DIR = Path(__file__).parent / "corpus"

COLUMNS = ("published", "sentence", "phrase", "type", "value",
           "interval_start", "interval_end", "granularity", "mod")

FAMILIES = (
    "absolute_dates.tsv", "weekdays.tsv", "deictic_days.tsv", "relative_offsets.tsv",
    "relative_periods.tsv", "times.tsv", "durations.tsv", "sets.tsv", "vague.tsv",
    "tense_direction.tsv", "anaphoric.tsv", "underspecified.tsv", "non_timex.tsv", "narrative.tsv",
    "year_forms.tsv", "informal_forms.tsv", "clock_forms.tsv", "world_holidays.tsv", "counted_days.tsv",
    "anchored_forms.tsv", "ranges.tsv", "event_anchored.tsv",
)

TYPES = ("DATE", "TIME", "DURATION", "SET", "NONE")
GRANULARITIES = ("minute", "hour", "part_of_day", "day", "week", "month", "quarter",
                 "season", "half", "year", "decade", "century", "vague")
MODS = ("START", "MID", "END", "APPROX", "MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE",
        "EQUAL_OR_LESS", "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER")
FINE_GRANULARITIES = ("minute", "hour", "part_of_day")  # intervals written as YYYY-MM-DDTHH:MM


# --- loading -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One data line of a corpus file; ``line`` is its 1-based line number in the file."""

    file: str
    line: int
    fields: tuple[str, ...]
    language: str = "en"

    def __getattr__(self, name: str) -> str:
        if name in COLUMNS:
            index = COLUMNS.index(name)
            return self.fields[index] if index < len(self.fields) else ""
        raise AttributeError(name)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def id(self) -> str:
        sentence = self.sentence
        short = sentence if len(sentence) <= 40 else sentence[:40].rstrip() + "..."
        return f"{self.where} {short}"


@dataclass(frozen=True)
class CorpusFile:
    name: str
    header: tuple[str, ...] | None
    header_line: int | None
    rows: tuple[Row, ...]


def _load_file(path: Path) -> CorpusFile:
    """A corpus file; one in a folder named after a language (``es/weekdays.tsv``) is read in it."""
    language = path.parent.name if path.parent != CORPUS_DIR else "en"
    name = path.name if language == "en" else f"{language}/{path.name}"
    header: tuple[str, ...] | None = None
    header_line: int | None = None
    rows: list[Row] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = tuple(line.split("\t"))
            if header is None:
                header, header_line = fields, number
            else:
                # A sentence may run over several lines (a heading, then its text): "\n" in the file.
                sentence = COLUMNS.index("sentence")
                if len(fields) > sentence:
                    fields = (*fields[:sentence], fields[sentence].replace("\\n", "\n"), *fields[sentence + 1:])
                rows.append(Row(name, number, fields, language))
    return CorpusFile(name, header, header_line, tuple(rows))


CORPUS = tuple(_load_file(path) for path in [*sorted(CORPUS_DIR.glob("*.tsv")), *sorted(CORPUS_DIR.glob("*/*.tsv"))])
ROWS = tuple(row for corpus_file in CORPUS for row in corpus_file.rows)


# --- the conventions, as code: what interval a value stands for ----------------------------
def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _step(day: date, unit: str) -> date:
    if unit == "day":
        return day + timedelta(days=1)
    if unit == "month":
        return _add_months(day, 1)
    if unit == "year":
        return date(day.year + 1, 1, 1)
    if unit == "decade":
        return date(day.year + 10, 1, 1)
    raise ValueError(unit)


_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
# Fully specified DATE values, most specific pattern first.
_CALENDAR_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "day"),
    (re.compile(r"(\d{4})-W(\d{2})-WE"), "weekend"),
    (re.compile(r"(\d{4})-W(\d{2})"), "week"),
    (re.compile(r"(\d{4})-(\d{2})"), "month"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-H([12])"), "half"),
    (re.compile(r"(\d{4})-(SP|SU|FA|WI)"), "season"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{3})"), "decade"),
    (re.compile(r"(\d{2})"), "century"),
)
_SUBUNIT = {"week": "day", "month": "day", "quarter": "month", "half": "month",
            "season": "month", "year": "month", "decade": "year", "century": "decade"}
_PARTS_OF_DAY = {"MO": (6, 6), "AF": (12, 6), "EV": (18, 6), "NI": (21, 9)}


def _calendar_period(value: str) -> tuple[date, date, str] | None:
    """``(start, end, granularity)`` of a fully specified DATE value, or None."""
    for pattern, kind in _CALENDAR_PATTERNS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        groups = match.groups()
        if kind == "day":
            start = date(*map(int, groups))
            return start, start + timedelta(days=1), "day"
        if kind in ("week", "weekend"):
            monday = date.fromisocalendar(int(groups[0]), int(groups[1]), 1)
            if kind == "weekend":
                return monday + timedelta(days=5), monday + timedelta(days=7), "week"
            return monday, monday + timedelta(days=7), "week"
        year = int(groups[0])
        if kind == "month":
            start = date(year, int(groups[1]), 1)
            return start, _add_months(start, 1), "month"
        if kind == "quarter":
            start = date(year, 3 * int(groups[1]) - 2, 1)
            return start, _add_months(start, 3), "quarter"
        if kind == "half":
            start = date(year, 1 if groups[1] == "1" else 7, 1)
            return start, _add_months(start, 6), "half"
        if kind == "season":
            start = date(year, _SEASON_MONTH[groups[1]], 1)
            return start, _add_months(start, 3), "season"
        if kind == "year":
            return date(year, 1, 1), date(year + 1, 1, 1), "year"
        if kind == "decade":
            return date(year * 10, 1, 1), date(year * 10 + 10, 1, 1), "decade"
        return date(year * 100, 1, 1), date(year * 100 + 100, 1, 1), "century"
    return None


def _narrow(start: date, end: date, granularity: str, mod: str) -> tuple[date, date]:
    """START/MID/END: the first k, middle, last k sub-units, with k = round(n / 3)."""
    edges = [start]
    while edges[-1] < end:
        edges.append(_step(edges[-1], _SUBUNIT[granularity]))
    count = len(edges) - 1
    k = round(count / 3)
    if mod == "START":
        return edges[0], edges[k]
    if mod == "END":
        return edges[count - k], edges[count]
    return edges[k], edges[count - k]


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def interval_for(value: str, mod: str, published: str) -> tuple[str, str, str] | None | str:
    """The ``(start, end, granularity)`` a DATE/TIME value stands for under the conventions.

    None when the value has no interval (underspecified, or a vague reference without a
    publication date); an error message (str) when the value is not understood.
    """
    if "X" in value or value.startswith("BC"):
        return None  # underspecified, or before the common era (no calendar interval holds it)
    # A clock's zone and seconds are in the value; the interval is the minute in local clock time.
    value = re.sub(r"(T\d{2}:\d{2})(?::\d{2})?(?:Z|[+-]\d{2}(?::\d{2})?)?$", r"\1", value)
    if value.endswith("_REF"):
        if not published:
            return None
        day = date.fromisoformat(published)
        if value == "PRESENT_REF":
            return day.isoformat(), (day + timedelta(days=1)).isoformat(), "day"
        if value == "PAST_REF":
            return "", day.isoformat(), "vague"
        if value == "FUTURE_REF":
            return (day + timedelta(days=1)).isoformat(), "", "vague"
        return f"unknown reference value {value!r}"
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(MO|AF|EV|NI)", value)
    if match:
        day = datetime.fromisoformat(match.group(1))
        hour, length = _PARTS_OF_DAY[match.group(2)]
        first, last = 0, length  # START/MID/END keep the first, middle or last k of its hours
        k = max(1, round(length / 3))
        if mod == "START":
            last = k
        elif mod == "END":
            first = length - k
        elif mod == "MID":
            first, last = k, length - k
        start = day + timedelta(hours=hour)
        return _minute(start + timedelta(hours=first)), _minute(start + timedelta(hours=last)), "part_of_day"
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})", value)
    if match:
        day = datetime.fromisoformat(match.group(1))
        hour, minute = int(match.group(2)), int(match.group(3))
        if (hour, minute) == (24, 0):
            start = day + timedelta(days=1)
        elif hour < 24 and minute < 60:
            start = day.replace(hour=hour, minute=minute)
        else:
            return f"clock time out of range in {value!r}"
        return _minute(start), _minute(start + timedelta(minutes=1)), "minute"
    try:
        period = _calendar_period(value)
    except ValueError as error:
        return f"impossible date in value {value!r} ({error})"
    if period is None:
        return f"value {value!r} is not a TIMEX3 date/time this corpus knows"
    start, end, granularity = period
    if mod in ("START", "MID", "END"):
        if granularity == "day":
            return "START/MID/END on a single day cannot be written with day-granularity dates"
        start, end = _narrow(start, end, granularity, mod)
    return start.isoformat(), end.isoformat(), granularity


# --- well-formedness ----------------------------------------------------------------------
_DATE_VALUE = re.compile(
    r"PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|\d{2}|\d{3}|BC\d{2,3}|BC\d{4}(?:-\d{2}(?:-\d{2})?|-(?:SP|SU|FA|WI))?"
    r"|(?:\d{4}|XXXX)(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?|-W(?:\d{2}|XX)(?:-[1-7]|-WE)?"
    r"|-Q(?:[1-4]|X)|-H(?:[12]|X)|-(?:SP|SU|FA|WI))?")
_TIME_VALUE = re.compile(r"PRESENT_REF|PAST_REF|FUTURE_REF"  # TimeML lets a TIME refer vaguely too
                         r"|(?:\d{4}|XXXX)-(?:\d{2}|XX)-(?:\d{2}|XX)T(?:MO|AF|EV|NI|\d{2}:\d{2}(?::\d{2})?"
                         r"(?:Z|[+-]\d{2}(?::\d{2})?)?)")
# PXX: a length open in both number and unit ("for a while"), as TimeBank writes it.
_DURATION_VALUE = re.compile(
    r"PXX|P(?=[\dXT])(?:(?:\d+(?:\.\d+)?|X)Y)?(?:(?:\d+|X)Q)?(?:(?:\d+(?:\.\d+)?|X)M)?(?:(?:\d+(?:\.\d+)?|X)W)?"
    r"(?:(?:\d+(?:\.\d+)?|X)D)?(?:T(?=[\dX])(?:(?:\d+(?:\.\d+)?|X)H)?(?:(?:\d+(?:\.\d+)?|X)M)?"
    r"(?:(?:\d+(?:\.\d+)?|X)S)?)?")
_SET_CALENDAR_VALUE = re.compile(
    r"XXXX(?:-WXX-(?:[1-7](?:T(?:MO|AF|EV|NI))?|WE)|-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?(?:T(?:MO|AF|EV|NI|\d{2}:\d{2}))?"
    r"|-(?:SP|SU|FA|WI))")

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = {"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
           "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
           "Jan.": 1, "Feb.": 2, "Mar.": 3, "Apr.": 4, "Aug.": 8, "Sept.": 9, "Sep.": 9,
           "Oct.": 10, "Nov.": 11, "Dec.": 12}
_MONTH_WORD = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(m) for m in _MONTHS) + r")(?![A-Za-z])")
_MOVED_DAY = re.compile(r"\bday\s+(?:before|after)\b", re.IGNORECASE)
_WEEKDAY_WORD = re.compile(r"(?<![A-Za-z])(" + "|".join(_WEEKDAYS) + r")(?![A-Za-z])")


def _parse_day(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _parse_bound(text: str, granularity: str) -> bool:
    if granularity in FINE_GRANULARITIES:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text):
            return False
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return False
        return True
    return _parse_day(text) is not None


def row_problems(row: Row) -> list[str]:
    """Everything wrong with a row of data (empty when it is well-formed)."""
    if len(row.fields) != len(COLUMNS):
        hint = " (an editor may have stripped trailing tabs)" if len(row.fields) < len(COLUMNS) else ""
        return [f"expected {len(COLUMNS)} tab-separated columns, got {len(row.fields)}{hint}"]
    problems = []
    for name, field in zip(COLUMNS, row.fields):
        if field != field.strip():
            problems.append(f"column {name!r} has leading or trailing spaces: {field!r}")
    if row.published and _parse_day(row.published) is None:
        problems.append(f"published {row.published!r} is not a valid YYYY-MM-DD date")
    if not row.sentence:
        problems.append("sentence is empty")
    if not row.phrase:
        problems.append("phrase is empty")
    elif row.phrase not in row.sentence:
        problems.append(f"phrase {row.phrase!r} does not occur in the sentence")
    else:
        start = row.sentence.find(row.phrase)
        end = start + len(row.phrase)
        if row.phrase[0].isalnum() and start > 0 and row.sentence[start - 1].isalnum():
            problems.append(f"the first occurrence of {row.phrase!r} starts inside a word")
        if row.phrase[-1].isalnum() and end < len(row.sentence) and row.sentence[end].isalnum():
            problems.append(f"the first occurrence of {row.phrase!r} ends inside a word")
    if row.type not in TYPES:
        problems.append(f"type {row.type!r} is not one of {', '.join(TYPES)}")
        return problems
    interval = (row.interval_start, row.interval_end, row.granularity)
    if row.type == "NONE":
        if any((row.value, *interval, row.mod)):
            problems.append("a NONE row must leave value, interval, granularity and mod empty")
        return problems
    if row.mod and row.mod not in MODS:
        problems.append(f"mod {row.mod!r} is not one of {', '.join(MODS)}")
    value = row.value
    if not value:
        problems.append("value is empty")
        return problems
    pattern = {"DATE": _DATE_VALUE, "TIME": _TIME_VALUE, "DURATION": _DURATION_VALUE}.get(row.type)
    if row.type == "SET":
        if not (_DURATION_VALUE.fullmatch(value) or _SET_CALENDAR_VALUE.fullmatch(value)):
            problems.append(f"SET value {value!r} is neither a period (P1W) nor a recurring point (XXXX-WXX-1)")
    elif not pattern.fullmatch(value):
        problems.append(f"{row.type} value {value!r} is malformed")
    if row.type in ("DURATION", "SET"):
        if any(interval):
            problems.append(f"a {row.type} has no interval: leave interval_start/interval_end/granularity empty")
        return problems
    # DATE / TIME: the interval columns must parse and agree with the value.
    if any(interval):
        if row.granularity not in GRANULARITIES:
            problems.append(f"granularity {row.granularity!r} is not one of {', '.join(GRANULARITIES)}")
        else:
            for name, bound in (("interval_start", row.interval_start), ("interval_end", row.interval_end)):
                if bound and not _parse_bound(bound, row.granularity):
                    form = "YYYY-MM-DDTHH:MM" if row.granularity in FINE_GRANULARITIES else "YYYY-MM-DD"
                    problems.append(f"{name} {bound!r} is not a valid {form}")
            if row.granularity != "vague" and not (row.interval_start and row.interval_end):
                problems.append("only a vague (PAST_REF/FUTURE_REF) interval may leave a side open")
            if row.interval_start and row.interval_end and row.interval_start >= row.interval_end:
                problems.append("interval_start must come before interval_end")
    if problems:
        return problems
    expected = interval_for(value, row.mod, row.published)
    if isinstance(expected, str):
        problems.append(expected)
    elif expected is None:
        if any(interval):
            problems.append(f"value {value!r} has no interval here: leave the interval columns empty")
    elif expected != interval:
        problems.append(
            f"interval {_show_interval(dict(zip(('start', 'end', 'granularity'), interval)))} does not match "
            f"value {value!r}{' mod ' + row.mod if row.mod else ''}: the conventions give "
            f"{_show_interval(dict(zip(('start', 'end', 'granularity'), expected)))}")
    # Weekday and month names in the phrase must agree with a fully specified value.
    day_part = _parse_day(value[:10]) if re.match(r"\d{4}-\d{2}-\d{2}", value) else None
    weekdays = set(_WEEKDAY_WORD.findall(row.phrase))
    # "the day before last Tuesday" names Tuesday but means Monday.
    if day_part and len(weekdays) == 1 and not _MOVED_DAY.search(row.phrase):
        (name,) = weekdays
        if _WEEKDAYS[day_part.isoweekday() - 1] != name:
            problems.append(f"phrase says {name} but {day_part} is a {day_part.strftime('%A')}")
    months = {_MONTHS[m] for m in _MONTH_WORD.findall(row.phrase)}
    month_part = re.match(r"(?:\d{4}|XXXX)-(\d{2})(?:$|-)", value)
    if len(months) == 1 and month_part:
        (number,) = months
        if int(month_part.group(1)) != number:
            problems.append(f"phrase names month {number} but the value {value!r} has month {month_part.group(1)}")
    return problems


@pytest.mark.parametrize("corpus_file", CORPUS, ids=lambda f: f.name)
def test_corpus_file_is_well_formed(corpus_file: CorpusFile) -> None:
    assert corpus_file.header == COLUMNS, (
        f"{corpus_file.name}: the first non-comment line must be the header "
        f"{chr(9).join(COLUMNS)!r}, got {chr(9).join(corpus_file.header or ())!r}")
    assert corpus_file.rows, f"{corpus_file.name} has no cases"


def test_every_family_has_a_file() -> None:
    present = {corpus_file.name for corpus_file in CORPUS}
    missing = [name for name in FAMILIES if name not in present]
    assert not missing, f"missing corpus files in {CORPUS_DIR}: {', '.join(missing)}"


def test_no_duplicate_cases() -> None:
    seen: dict[tuple[str, str, str], str] = {}
    duplicates = []
    for row in ROWS:
        key = (row.language, row.published, row.sentence, row.phrase)
        if key in seen:
            duplicates.append(f"{row.where} repeats {seen[key]}")
        seen.setdefault(key, row.where)
    assert not duplicates, "duplicate cases:\n  " + "\n  ".join(duplicates)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_row_is_well_formed(row: Row) -> None:
    problems = row_problems(row)
    if problems:
        pytest.fail(f"{row.where}: malformed corpus row\n  " + "\n  ".join(problems)
                    + f"\n  row: {row.fields!r}", pytrace=False)


# --- running the tagger -------------------------------------------------------------------
def _extract(sentence: str, published: str | None, language: str = "en") -> list:
    try:
        import timeline
        extract = timeline.extract
    except (ImportError, AttributeError) as error:
        pytest.fail(f"timeline.extract is not available yet: {error}", pytrace=False)
    return list(extract(sentence, published=published, language=language))


def _show_interval(interval: dict | None) -> str:
    if not interval:
        return "no interval"
    start = interval.get("start") or "\u2026"
    end = interval.get("end") or "\u2026"
    return f"[{start}, {end}) {interval.get('granularity')}"


def _show(kind: str, value: str, mod: str, interval: dict | None) -> str:
    text = f"{kind} {value}"
    if mod:
        text += f" mod={mod}"
    return f"{text}  {_show_interval(interval)}"


def _show_timex(timex) -> str:
    interval = timex.interval.to_dict() if getattr(timex, "interval", None) else None
    text = f"{timex.text!r} [{timex.start}:{timex.end}] " + _show(
        timex.type, timex.value, getattr(timex, "mod", None) or "", interval)
    resolution = getattr(timex, "resolution", None)
    if resolution is not None and hasattr(resolution, "to_dict"):
        details = resolution.to_dict()
        why = ", ".join(f"{key}={details[key]!r}" for key in ("rule", "anchor", "direction", "reason")
                        if details.get(key))
        if why:
            text += f"\n      why: {why}"
    return text


def _published_label(published: str) -> str:
    if not published:
        return "(none)"
    return f"{published} ({date.fromisoformat(published).strftime('%A')})"


def _report(row: Row, headline: str, start: int, end: int, lines: list[str]) -> str:
    marked = f"{row.sentence[:start]}[{row.sentence[start:end]}]{row.sentence[end:]}"
    return "\n".join([
        f"{row.where}: {headline}",
        f"  sentence:  {marked}",
        f"  published: {_published_label(row.published)}",
        *lines,
    ])


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_corpus_case(row: Row) -> None:
    problems = row_problems(row)
    if problems:
        pytest.fail(f"{row.where}: malformed corpus row (see test_row_is_well_formed): "
                    + "; ".join(problems), pytrace=False)
    start = row.sentence.find(row.phrase)
    end = start + len(row.phrase)
    timexes = _extract(row.sentence, row.published or None, row.language)
    found = [f"    {_show_timex(t)}" for t in timexes] or ["    (nothing)"]

    if row.type == "NONE":
        overlapping = [t for t in timexes if t.start < end and start < t.end]
        if overlapping:
            pytest.fail(_report(row, f"{row.phrase!r} is not a temporal expression but was tagged", start, end, [
                "  expected:  no timex covering or overlapping the phrase",
                "  got:",
                *[f"    {_show_timex(t)}" for t in overlapping],
            ]), pytrace=False)
        return

    expected_interval = None
    if row.interval_start or row.interval_end or row.granularity:
        expected_interval = {"start": row.interval_start or None, "end": row.interval_end or None,
                             "granularity": row.granularity}
    expected = {"type": row.type, "value": row.value, "mod": row.mod, "interval": expected_interval}
    expected_text = "  expected:  " + _show(row.type, row.value, row.mod, expected_interval)

    matches = [t for t in timexes if (t.start, t.end) == (start, end)]
    if not matches:
        pytest.fail(_report(row, f"{row.phrase!r} was not tagged as one timex", start, end, [
            expected_text,
            "  found instead:",
            *found,
        ]), pytrace=False)
    timex = matches[0]
    got_interval = timex.interval.to_dict() if timex.interval is not None else None
    got = {"type": timex.type, "value": timex.value, "mod": timex.mod or "", "interval": got_interval}
    wrong = [key for key in expected if expected[key] != got[key]]
    if wrong:
        pytest.fail(_report(row, f"{row.phrase!r} is resolved wrongly ({', '.join(wrong)})", start, end, [
            expected_text,
            "  got:       " + _show(timex.type, timex.value, timex.mod or "", got_interval),
            "  all timexes in the sentence:",
            *found,
        ]), pytrace=False)
