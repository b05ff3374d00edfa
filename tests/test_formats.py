"""Export formats (timeline/formats.py): TimelineJS, CSV, iCalendar, TimeML; see docs/formats.md."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from icalendar import Calendar

import timeline
from timeline import Document, Extractor
from timeline.cli import main
from timeline.documents import load_documents
from timeline.evaluation import read_timeml
from timeline.formats import DAY_OR_COARSER, display_date, document_timeml, to_csv, to_ical, to_timelinejs, to_timeml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
NOW = datetime(2024, 5, 20, 9, 30, tzinfo=timezone.utc)

# A small invented pair: weeks, quarters, seasons, parts of day, a clock time, markup characters.
PAIR = [
    {"id": "harbour-a", "published": "2024-09-12", "url": "https://example.org/harbour-a",
     "text": "The Kerrow harbour authority said last week that cargo fell in the third quarter of 2023.\n"
             "Dockers & pilots struck in the summer of 2022 over <unsafe> cranes.\n"
             "On Tuesday morning the ferry Aldine ran aground near Kerrow."},
    {"id": "harbour-b", "published": "2024-09-12",
     "text": "The ferry Aldine ran aground near Kerrow on Tuesday.\r\n"
             "Divers inspected the hull at 3 p.m. on Wednesday.\n"
             "The customs office closed on 2 August 2024."},
]


@pytest.fixture(scope="module")
def seeds() -> timeline.Timeline:
    return timeline.build(str(SEEDS))


@pytest.fixture(scope="module")
def pair() -> timeline.Timeline:
    return timeline.build(PAIR)


@pytest.fixture(scope="module", params=["seeds", "pair"])
def story(request: pytest.FixtureRequest, seeds: timeline.Timeline, pair: timeline.Timeline) -> timeline.Timeline:
    return seeds if request.param == "seeds" else pair


def _texts(story: timeline.Timeline) -> dict[str, str]:
    if story.documents[0]["id"] == "harbour-a":
        return {d["id"]: d["text"] for d in PAIR}
    return {d.id: d.text for d in load_documents(SEEDS) if isinstance(d, Document)}


def test_pair_covers_the_granularities_the_formats_label(pair: timeline.Timeline) -> None:
    granularities = {e.interval.granularity for e in pair.events}
    assert {"week", "quarter", "season", "part_of_day", "minute", "day"} <= granularities


# --- TimelineJS ---

def test_timelinejs_json_has_integer_years_headlines_and_ids(story: timeline.Timeline) -> None:
    data = json.loads(json.dumps(to_timelinejs(story)))
    closed = [e for e in story.events if e.interval is not None and e.interval.start is not None
              and e.interval.end is not None]  # not ongoing, not "before 16 May"
    assert len(data["events"]) == len(closed)
    for slide, event in zip(data["events"], closed):
        start = slide["start_date"]
        assert isinstance(start["year"], int) and start["year"] == event.interval.start.year
        assert all(isinstance(start[k], int) for k in ("month", "day", "hour", "minute") if k in start)
        assert slide["text"]["headline"]
        assert slide["unique_id"] == event.id
        assert slide["group"] in event.to_dict()["sources"]
        if event.interval.granularity in ("week", "quarter", "season"):
            assert start["display_date"]
        if event.interval.granularity in ("year", "decade"):
            assert set(start) - {"display_date"} == {"year"}
        if event.interval.granularity in ("month", "quarter", "season"):
            assert set(start) - {"display_date"} == {"year", "month"}
    assert len({s["unique_id"] for s in data["events"]}) == len(data["events"])


def test_timelinejs_labels_and_escapes(pair: timeline.Timeline) -> None:
    slides = {s["unique_id"]: s for s in to_timelinejs(pair)["events"]}
    by_granularity = {e.interval.granularity: e for e in pair.events}
    assert display_date(by_granularity["quarter"]) == "Q3 2023"
    assert display_date(by_granularity["season"]) == "Summer 2022"
    assert display_date(by_granularity["week"]) == "Week 36, 2024"
    assert display_date(by_granularity["part_of_day"]) == "10 September 2024, morning"
    week = slides[by_granularity["week"].id]
    assert week["start_date"] == {"year": 2024, "month": 9, "day": 2, "display_date": "Week 36, 2024"}
    assert week["end_date"] == {"year": 2024, "month": 9, "day": 8}
    clock = slides[by_granularity["minute"].id]["start_date"]
    assert (clock["hour"], clock["minute"]) == (15, 0)
    strike = slides[by_granularity["season"].id]["text"]["text"]
    assert "Dockers &amp; pilots" in strike and "&lt;unsafe&gt;" in strike and "<unsafe>" not in strike


# --- CSV ---

def test_csv_one_row_per_mention_with_offsets_into_the_document(story: timeline.Timeline) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(story))))
    mentions = [m for e in story.events for m in e.to_dict()["mentions"]]
    assert len(rows) == len(mentions) > 0
    texts = _texts(story)
    for row in rows:
        text = texts[row["document"]]
        start, end = int(row["sentence_start"]), int(row["sentence_end"])
        assert text[start:end] == row["sentence"]
        if row["timex_text"]:
            assert text[int(row["timex_start"]):int(row["timex_end"])] == row["timex_text"]
            assert row["dated_by"] == ""
        else:  # dated by the story or the publication day, or supporting an event others date
            assert row["timex_start"] == "" and (row["dated_by"] or row["basis"] in ("narrative", "publication"))
    assert [r["event_id"] for r in rows] == [m for e in story.events for m in [e.id] * len(e.mentions)]


# --- iCalendar ---

def test_ical_parses_back_with_all_day_events(story: timeline.Timeline) -> None:
    calendar = Calendar.from_ical(to_ical(story, NOW))
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    vevents = calendar.walk("VEVENT")
    closed = [e for e in story.events if e.interval.start is not None and e.interval.end is not None]
    assert len(vevents) == len(closed)  # day-or-coarser dates, plus clock times shown on their day
    assert len([e for e in closed if e.interval.granularity in DAY_OR_COARSER]) <= len(vevents)
    uids = [str(v["UID"]) for v in vevents]
    assert len(set(uids)) == len(uids)
    for vevent, event in zip(vevents, closed):
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        assert type(start) is date and type(end) is date and end > start
        assert start == event.interval.start.date()
        assert vevent.decoded("DTSTAMP") == NOW
        assert str(vevent["SUMMARY"]) == event.summary
        assert str(vevent["UID"]).startswith(event.id + "-")


def test_ical_dates_urls_and_stable_uids(pair: timeline.Timeline) -> None:
    calendar = Calendar.from_ical(to_ical(pair, NOW, urls={"harbour-b": "https://example.org/b"}))
    by_uid = {str(v["UID"]).split("-")[0]: v for v in calendar.walk("VEVENT")}
    for event in pair.events:
        vevent = by_uid[event.id]
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        if event.interval.granularity in DAY_OR_COARSER:  # DTEND exclusive = the interval's own end
            assert (start, end) == (event.interval.start.date(), event.interval.end.date())
        else:
            assert (end - start).days == 1
        primary = event.primary.document
        expected = {"harbour-a": "https://example.org/harbour-a", "harbour-b": "https://example.org/b"}[primary]
        assert str(vevent["URL"]) == expected
        assert event.mentions[0].sentence.strip() in str(vevent["DESCRIPTION"])
    assert to_ical(pair, NOW) == to_ical(timeline.build(PAIR), NOW)  # same input, same bytes (no clock)
    naive = Calendar.from_ical(to_ical(pair, NOW.replace(tzinfo=None)))
    assert naive.walk("VEVENT")[0].decoded("DTSTAMP") == NOW


# --- TimeML ---

def _documents(story: timeline.Timeline) -> list[Document]:
    if story.documents[0]["id"] == "harbour-a":
        return [Document(d["id"], d["text"], timeline.parse_published(d["published"])) for d in PAIR]
    return [d for d in load_documents(SEEDS) if isinstance(d, Document)]


def test_timeml_round_trips_through_read_timeml(story: timeline.Timeline, tmp_path: Path) -> None:
    extractor = timeline.Extractor()
    for document in _documents(story):
        path = tmp_path / f"{document.id}.tml"
        path.write_text(document_timeml(document, extractor), encoding="utf-8")
        read = read_timeml(path)
        assert read.text == document.text
        assert read.dct == document.published.date().isoformat()
        expected = [(t.start, t.end, t.text, t.type, t.value) for t in extractor.extract(document.text, document.published)]
        assert expected
        assert [(t.start, t.end, t.text, t.type, t.value) for t in read.timexes] == expected


def test_timeml_attributes_and_escaping(tmp_path: Path) -> None:
    text = "Sales & <profits> rose on 3 May 2024. Two days later they fell."
    timexes = timeline.extract(text, "2024-05-10")
    markup = to_timeml(text, timexes, "2024-05-10", "a&b")
    assert "<DOCID>a&amp;b</DOCID>" in markup and "Sales &amp; &lt;profits&gt;" in markup
    assert 'functionInDocument="CREATION_TIME"' in markup and 'temporalFunction="false"' in markup
    later = next(t for t in timexes if t.text.lower().startswith("two days later"))
    if later.resolution.anchor.startswith("timex:"):
        assert f'anchorTimeID="{later.resolution.anchor[6:]}"' in markup
    path = tmp_path / "x.tml"
    path.write_text(markup, encoding="utf-8")
    assert read_timeml(path).text == text
    no_dct = to_timeml(text, [], None, "x")
    assert "<DCT>" not in no_dct and "<TEXT>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in no_dct


# --- CLI ---

def test_cli_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, name in (("timelinejs", "t.json"), ("csv", "t.csv"), ("ics", "t.ics")):
        assert main(["build", str(SEEDS), "--format", fmt, "--output", str(tmp_path / name)]) == 0
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["events"]
    assert list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert Calendar.from_ical((tmp_path / "t.ics").read_bytes()).walk("VEVENT")
    assert main(["build", str(SEEDS), "--format", "timeml", "--output", str(tmp_path / "tml")]) == 0
    files = sorted(p.name for p in (tmp_path / "tml").glob("*.tml"))
    assert files == sorted(p.stem + ".tml" for p in SEEDS.glob("*.txt"))
    for path in (tmp_path / "tml").glob("*.tml"):
        assert read_timeml(path).text == (SEEDS / (path.stem + ".txt")).read_text(encoding="utf-8")


def test_cli_timeml_analyses_each_document_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """TimeML is per document: building the timeline too would find every timex twice."""
    calls: list[str] = []
    analyze = Extractor.analyze

    def counting(self: Extractor, text: str, *args: object, **kwargs: object) -> object:
        calls.append(text)
        return analyze(self, text, *args, **kwargs)

    monkeypatch.setattr(Extractor, "analyze", counting)
    undated = tmp_path / "undated.txt"
    undated.write_text("The talks resumed on Monday.", encoding="utf-8")
    assert main(["build", str(undated), "--format", "timeml", "--output", str(tmp_path / "tml")]) == 0
    assert len(calls) == 1
    assert "no publication date" in capsys.readouterr().err


def test_cli_timeml_needs_an_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEEDS), "--format", "timeml"]) == 2
    assert "--output DIR" in capsys.readouterr().err
    file = tmp_path / "file.txt"
    file.write_text("x")
    assert main(["build", str(SEEDS), "--format", "timeml", "--output", str(file)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_cli_csv_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["build", str(SEEDS), "--format", "csv"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.startswith("event_id,date_value,")
