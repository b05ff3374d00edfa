"""Export formats: the timeline for other tools (TimelineJS, spreadsheets, calendars, TimeML).

Every ``to_*`` function is pure: it reads a :class:`~timeline.chronology.Timeline` (or,
for TimeML, one document's text and timexes) and returns text, a dict or bytes; it never
reads the clock or the disk.  ``write_format`` and ``write_timeml`` are the places that write
files, for ``timeline build --format ...``.  See docs/formats.md for each format's rules.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .chronology import Event, Timeline
from .documents import Document
from .languages import UnsupportedLanguage
from .timexes import Timex

FORMATS = ("timelinejs", "csv", "ics", "timeml")

CSV_FIELDS = ("event_id", "date_value", "start", "end", "granularity", "summary", "document", "sentence",
              "timex_text", "timex_start", "timex_end", "sentence_start", "sentence_end", "dated_by", "basis")

# Granularities an all-day calendar entry or a TimelineJS date can show as they are.
DAY_OR_COARSER = ("day", "week", "month", "quarter", "season", "half", "year", "decade", "century")
_CLOCK = ("minute", "hour", "part_of_day")
def _evidence(event: Event) -> list[tuple[str, str]]:
    """(sentence, document) of every mention, in document order, each sentence once."""
    seen: list[tuple[str, str]] = []
    for mention in sorted(event.mentions, key=lambda m: m.position):
        item = (mention.sentence.strip(), mention.document)
        if item not in seen:
            seen.append(item)
    return seen


def _bounds(event: Event) -> tuple[datetime, datetime, str] | None:
    """The event's [start, end) and granularity, or None when it is undated or a side is open (a vague
    "in the past" or an ongoing "since 2022" has no place on a calendar)."""
    interval = event.interval
    if interval is None or interval.start is None or interval.end is None:
        return None
    return interval.start, interval.end, interval.granularity


# --- TimelineJS -------------------------------------------------------------------------------

# Granularities whose TimelineJS date fields alone would mislead: they get a display_date.
_LABELLED = ("week", "quarter", "half", "season", "part_of_day", "decade", "century")


def display_date(event: Event) -> str | None:
    """A human label for dates TimelineJS cannot show by its own fields (weeks, quarters...)."""
    interval = event.interval
    if interval is None or interval.start is None or interval.granularity not in _LABELLED:
        return None
    return event.to_dict()["date"]["label"]


def _tjs_date(moment: datetime, granularity: str) -> dict[str, int]:
    date_fields: dict[str, int] = {"year": moment.year}
    if granularity in ("year", "decade", "century", "vague"):
        return date_fields
    date_fields["month"] = moment.month
    if granularity in ("month", "quarter", "season", "half"):
        return date_fields
    date_fields["day"] = moment.day
    if granularity in ("hour", "minute", "part_of_day"):
        date_fields["hour"] = moment.hour
    if granularity == "minute":
        date_fields["minute"] = moment.minute
    return date_fields


def _evidence_html(event: Event) -> str:
    return "".join(f"<p>{html.escape(sentence)} <i>({html.escape(document)})</i></p>"
                   for sentence, document in _evidence(event))


def to_timelinejs(timeline: Timeline) -> dict[str, Any]:
    """The timeline as TimelineJS3 JSON: one slide per event with a closed date interval.

    ``start_date`` carries the fields the event's granularity knows (year only for years,
    decades and centuries; year and month for months, quarters, halves and seasons, from the
    interval start; the day for weeks and days; the hour, and minute, for clock times).
    ``display_date`` labels what those fields cannot ("Week 20, 2024", "Q3 2024",
    "Summer 2024", "16 May 2024, afternoon", "1990s").  Intervals of day granularity or
    finer that last more than one day (weeks) also get an inclusive ``end_date``.
    """
    events = []
    for event in timeline.events:
        bounds = _bounds(event)
        if bounds is None:
            continue
        start, end, granularity = bounds
        data = event.to_dict()
        slide: dict[str, Any] = {"start_date": _tjs_date(start, granularity)}
        label = display_date(event)
        if label:
            slide["start_date"]["display_date"] = label
            slide["display_date"] = label
        if granularity in ("day", "week") and end - start > timedelta(days=1):
            slide["end_date"] = _tjs_date(end - timedelta(days=1), "day")
        slide["text"] = {"headline": html.escape(event.summary), "text": _evidence_html(event)}
        slide["group"] = data["mentions"][0]["document"]
        slide["unique_id"] = event.id
        events.append(slide)
    return {"events": events}


# --- CSV --------------------------------------------------------------------------------------

def to_csv(timeline: Timeline) -> str:
    """One row per mention (CSV_FIELDS, header first); undated mentions leave the timex
    columns empty and name in ``dated_by`` the documents that date their event (``;``-joined)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for event in timeline.events:
        data = event.to_dict()
        for mention in data["mentions"]:
            timex = mention["timex"] or {}
            writer.writerow({
                "event_id": data["id"], "date_value": data["date"]["value"] or "", "start": data["date"]["start"] or "",
                "end": data["date"]["end"] or "", "granularity": data["date"]["granularity"] or "",
                "summary": data["summary"], "document": mention["document"], "sentence": mention["sentence"],
                "timex_text": timex.get("text", ""), "timex_start": timex.get("start", ""),
                "timex_end": timex.get("end", ""), "sentence_start": mention["sentence_start"],
                "sentence_end": mention["sentence_end"], "dated_by": ";".join(mention.get("dated_by", [])),
                "basis": mention.get("basis", ""),
            })
    return buffer.getvalue()


# --- iCalendar --------------------------------------------------------------------------------

def _all_day(start: datetime, end: datetime, granularity: str) -> tuple[date, date]:
    """(DTSTART, DTEND) of the all-day entry: DTEND is exclusive (RFC 5545 3.6.1)."""
    first = start.date()
    if granularity in _CLOCK:  # clock times and parts of day: the day they start on
        return first, first + timedelta(days=1)
    last = end.date() if end.time() == datetime.min.time() else end.date() + timedelta(days=1)
    return first, max(last, first + timedelta(days=1))


def event_uid(event: Event) -> str:
    """A UID stable across runs: the event id plus a hash of its summary and date."""
    data = event.to_dict()["date"]
    key = "\x1f".join((event.summary, data["value"], data["start"] or "", data["end"] or ""))
    return f"{event.id}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}@timeline"


def to_ical(timeline: Timeline, now: datetime, urls: Mapping[str, str] | None = None) -> bytes:
    """The timeline as an iCalendar file: one all-day VEVENT per event with a closed interval.

    DTSTART is the interval's first day and DTEND the day after its last (exclusive, as
    RFC 5545 wants for DATE values); clock times and parts of day become all-day entries on
    the day they start.  DTSTAMP is ``now`` (naive means UTC).  URL is the primary
    mention's document URL from ``urls`` (document id -> URL), else the timeline's own.
    """
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    links = {d["id"]: d["url"] for d in timeline.documents if d.get("url")}
    links.update(urls or {})
    stamp = now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", "-//Timeline//timeline.formats//EN")
    calendar.add("version", "2.0")
    for event in timeline.events:
        bounds = _bounds(event)
        if bounds is None:
            continue
        first, after = _all_day(*bounds)
        entry = CalendarEvent()
        entry.add("uid", event_uid(event))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", first)
        entry.add("dtend", after)
        entry.add("summary", event.summary)
        entry.add("description", "\n\n".join(f"{sentence} ({document})" for sentence, document in _evidence(event)))
        documents = [event.primary.document] + [m.document for m in sorted(event.mentions, key=lambda m: m.position)]
        url = next((links[d] for d in documents if d in links), None)
        if url:
            entry.add("url", url)
        calendar.add_component(entry)
    return calendar.to_ical()


# --- TimeML -----------------------------------------------------------------------------------

DCT_TID = "t0"


def _text(chunk: str) -> str:
    # Carriage returns would be normalized away by any XML parser: keep them as references.
    return escape(chunk).replace("\r", "&#13;")


def _timex_tag(timex: Timex, dct: str | None) -> str:
    attributes = {"tid": timex.id, "type": timex.type, "value": timex.value}
    if timex.mod:
        attributes["mod"] = timex.mod
    if timex.quant:
        attributes["quant"] = timex.quant
    if timex.freq:
        attributes["freq"] = timex.freq
    anchor = timex.resolution.anchor
    if anchor.startswith("timex:"):
        attributes["anchorTimeID"] = anchor.split(":", 1)[1]
    elif anchor == "publication" and dct:
        attributes["anchorTimeID"] = DCT_TID
    attributes["temporalFunction"] = "false" if anchor == "none" else "true"
    return "<TIMEX3" + "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items()) + ">"


def _range_tags(timexes: list[Timex], written: set[str]) -> dict[int, list[str]]:
    """Each range whose two ends are written, as TimeML writes one: a non-consuming DURATION
    TIMEX3 with ``beginPoint`` and ``endPoint``, placed right after its second end."""
    numbers = [int(t.id[1:]) for t in timexes if t.id[1:].isdigit()]
    next_number = max(numbers, default=0) + 1
    tags: dict[int, list[str]] = {}
    for timex in timexes:
        stretch = timex.range
        if stretch is None or stretch.begin_point != timex.id or stretch.end_point not in written \
                or timex.id not in written:
            continue
        attributes = {"tid": f"t{next_number}", "type": "DURATION", "value": stretch.value,
                      "beginPoint": stretch.begin_point, "endPoint": stretch.end_point}
        next_number += 1
        tags.setdefault(stretch.end, []).append(
            "<TIMEX3" + "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items()) + "/>")
    return tags


def to_timeml(document_text: str, timexes: Iterable[Timex], dct: str | None, doc_id: str) -> str:
    """``document_text`` as a TimeML document with inline TIMEX3 tags, readable by
    :func:`timeline.evaluation.read_timeml` (text and spans round-trip exactly).

    Timexes that cross an earlier one cannot be inline XML and are left out; nested ones
    are kept.  The DCT, when given, is TIMEX3 ``t0`` (functionInDocument CREATION_TIME),
    and timexes resolved against the publication date point to it with anchorTimeID.  A range
    ("from 9:30 to 11:00") is an empty DURATION TIMEX3 after its second end, with beginPoint and
    endPoint, which read_timeml does not count as an expression.
    """
    ordered = sorted(timexes, key=lambda t: (t.start, -t.end))
    opens: dict[int, list[Timex]] = {}
    closes: dict[int, int] = {}
    stack: list[int] = []  # ends of the open tags
    for timex in ordered:
        while stack and stack[-1] <= timex.start:
            stack.pop()
        if stack and timex.end > stack[-1]:
            continue  # would cross an open tag
        opens.setdefault(timex.start, []).append(timex)
        closes[timex.end] = closes.get(timex.end, 0) + 1
        stack.append(timex.end)
    points = sorted(set(opens) | set(closes) | {0, len(document_text)})
    ranges = _range_tags(ordered, {t.id for timexes_at in opens.values() for t in timexes_at})
    body: list[str] = []
    for index, point in enumerate(points):
        body.append("</TIMEX3>" * closes.get(point, 0))
        body.extend(ranges.get(point, []))
        body.extend(_timex_tag(t, dct) for t in opens.get(point, []))
        if index + 1 < len(points):
            body.append(_text(document_text[point:points[index + 1]]))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<TimeML>", f"<DOCID>{_text(doc_id)}</DOCID>"]
    if dct:
        lines.append(f'<DCT><TIMEX3 tid="{DCT_TID}" type="{"TIME" if "T" in dct else "DATE"}" '
                     f'value={quoteattr(dct)} temporalFunction="false" '
                     f'functionInDocument="CREATION_TIME">{_text(dct)}</TIMEX3></DCT>')
    lines.append("<TEXT>" + "".join(body) + "</TEXT>")
    lines.append("</TimeML>")
    return "\n".join(lines) + "\n"


def dct_value(published: datetime | None) -> str | None:
    """The TIMEX3 value of a publication date: a date at midnight, else date and time."""
    if published is None:
        return None
    if published.time() == datetime.min.time() and published.tzinfo is None:
        return published.date().isoformat()
    return published.replace(tzinfo=None).isoformat(timespec="minutes")


def document_timeml(document: Document, extractor: Any) -> str:
    """One document as TimeML, its timexes found again by ``extractor.analyze``."""
    timexes, _ = extractor.analyze(document.text, document.published)
    return to_timeml(document.text, timexes, dct_value(document.published), document.id)


def timeml_filenames(documents: Iterable[Document]) -> list[str]:
    """One distinct, safe ``.tml`` file name per document, from its id."""
    names: list[str] = []
    for document in documents:
        stem = re.sub(r"[^\w.-]+", "_", Path(document.id).stem if document.id.endswith(".txt") else document.id)
        stem = stem.strip(".") or "document"
        name, number = f"{stem}.tml", 2
        while name in names:
            name, number = f"{stem}-{number}.tml", number + 1
        names.append(name)
    return names


# --- rendering to bytes (the API) and writing files (the CLI) --------------------------------

#: Media type of each export; TimeML of several documents is a ZIP archive of .tml files.
MEDIA_TYPES = {"timelinejs": "application/vnd.timeline.timelinejs+json", "csv": "text/csv",
               "ics": "text/calendar", "timeml": "application/xml"}
ZIP_MEDIA_TYPE = "application/zip"


@dataclass(frozen=True)
class Rendered:
    """An export as bytes, with what a file or an HTTP response needs to name it."""

    data: bytes
    media_type: str
    filename: str


def timeml_files(documents: list[Document], extractor_for: Any) -> Iterator[tuple[str, str]]:
    """(file name, TimeML text) of each document, its timexes found again by the Extractor
    that ``extractor_for(language)`` gives; a language it has none for raises
    :class:`~timeline.registry.UnsupportedLanguage` naming the document (or ``extractor_for`` gives
    None for a language without a grammar: the text is written with no timexes, as the timeline has none)."""
    for document, name in zip(documents, timeml_filenames(documents), strict=True):
        try:
            extractor = extractor_for(document.language)
        except UnsupportedLanguage as error:
            raise UnsupportedLanguage(error.language, error.cause, document.id) from None
        if extractor is None:
            yield name, to_timeml(document.text, [], dct_value(document.published), document.id)
            continue
        yield name, document_timeml(document, extractor)


def render(timeline: Timeline, fmt: str, now: datetime | None = None) -> Rendered:
    """``timeline`` as bytes in ``fmt``: timelinejs, csv or ics (TimeML is per document:
    :func:`render_timeml`).  ``now`` is the iCalendar DTSTAMP (default: the current time).
    Raises ValueError for another format.
    """
    if fmt == "timelinejs":
        import json
        text = json.dumps(to_timelinejs(timeline), ensure_ascii=False, indent=2) + "\n"
        return Rendered(text.encode("utf-8"), MEDIA_TYPES[fmt], "timeline.json")
    if fmt == "csv":
        return Rendered(to_csv(timeline).encode("utf-8"), MEDIA_TYPES[fmt], "timeline.csv")
    if fmt == "ics":
        return Rendered(to_ical(timeline, now or datetime.now(timezone.utc)), MEDIA_TYPES[fmt], "timeline.ics")
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def render_timeml(documents: list[Document], extractor_for: Any, archive: bool = False) -> Rendered:
    """The documents as TimeML: one document's ``.tml`` file, or for several (or with
    ``archive``) a ZIP archive of them.  It needs no timeline, only the documents."""
    files = timeml_files(documents, extractor_for)
    if len(documents) == 1 and not archive:
        name, text = next(files)
        return Rendered(text.encode("utf-8"), MEDIA_TYPES["timeml"], name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, text in files:
            zipped.writestr(name, text)
    return Rendered(buffer.getvalue(), ZIP_MEDIA_TYPE, "timeline-timeml.zip")


def write_timeml(documents: list[Document], output: str, extractor_for: Any) -> list[str]:
    """Write one ``.tml`` file per document into the folder ``output``; TimeML needs no timeline.

    ``extractor_for(language)`` gives the Extractor (see :func:`timeml_files`).  Returns the paths
    written.  Raises ValueError for a usage problem (message for users).
    """
    if output == "-":
        raise ValueError("--format timeml writes one .tml file per document: give a folder with --output DIR")
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"--output {output}: not a folder (timeml writes one .tml file per document)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValueError(f"cannot create output folder {output}: {error.strerror}") from None
    written = []
    for name, text in timeml_files(documents, extractor_for):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(str(path))
    return written


def write_format(timeline: Timeline, fmt: str, output: str, now: datetime | None = None) -> list[str]:
    """Write ``timeline`` in ``fmt`` (timelinejs, csv, ics) to ``output`` (``-`` is stdout).

    Returns the paths written.  Raises ValueError for a usage problem (message for users).
    """
    data = render(timeline, fmt, now).data
    if output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return []
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        raise ValueError(f"cannot write output {output}: {error.strerror}") from None
    return [output]
