"""Publication dates and document loading: every input form, and bad input reported per document."""
from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.documents import Document, DocumentError, load_documents, parse_published

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


# --- parse_published ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_dates_are_none(value: str | None) -> None:
    assert parse_published(value) is None


def test_date_becomes_midnight_datetime() -> None:
    assert parse_published(date(2024, 5, 16)) == datetime(2024, 5, 16)


def test_datetime_is_kept_with_its_time_zone() -> None:
    moment = datetime(2024, 5, 16, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert parse_published(moment) is moment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-16", datetime(2024, 5, 16)),
        (" 2024-05-16 ", datetime(2024, 5, 16)),
        ("2024-05-16T10:30", datetime(2024, 5, 16, 10, 30)),
        ("2024-05-16 10:30:15", datetime(2024, 5, 16, 10, 30, 15)),
        ("2024-05-16T10:30:00+02:00", datetime(2024, 5, 16, 10, 30, tzinfo=timezone(timedelta(hours=2)))),
        ("2024-05-16T10:30:00Z", datetime(2024, 5, 16, 10, 30, tzinfo=timezone.utc)),
    ],
)
def test_iso_strings(text: str, expected: datetime) -> None:
    parsed = parse_published(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo == expected.tzinfo


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("2024-13-45", "month must be in 1..12"),
        ("2024-02-30", "day is out of range"),
        ("yesterday", "expected YYYY-MM-DD"),
        ("16/05/2024", "expected YYYY-MM-DD"),
        ("2024-05", "expected YYYY-MM-DD"),
        ("2024-05-16Tnoon", "Invalid isoformat"),
        (20240516, "not int"),
        (["2024-05-16"], "not list"),
    ],
)
def test_invalid_dates_raise_a_clear_value_error(value: object, detail: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_published(value)
    message = str(caught.value)
    assert message.startswith(f"invalid publication date {value!r}")
    assert detail in message


@given(st.dates())
def test_any_date_string_round_trips(day: date) -> None:
    assert parse_published(day.isoformat()) == datetime.combine(day, time())


@given(st.datetimes(timezones=st.none() | st.timezones()))
def test_any_iso_datetime_round_trips(moment: datetime) -> None:
    parsed = parse_published(moment.isoformat())
    assert parsed == moment
    assert parsed is not None and parsed.utcoffset() == moment.utcoffset()


# --- folders ------------------------------------------------------------------------------------

def test_seed_folder_follows_its_index() -> None:
    index = json.loads((SEEDS / "index.json").read_text(encoding="utf-8"))
    documents = list(load_documents(SEEDS))
    assert [d.id for d in documents] == [entry["id"] for entry in index["documents"]]
    assert all(isinstance(d, Document) for d in documents)
    assert {d.published for d in documents} == {datetime(2024, 5, 16)}
    titled = {d.id: d.title for d in documents if d.title}
    assert titled == {"002_db7b869523da3570.txt": "Strategic Alliances Strengthened as Putin Visits Xi in Beijing"}
    first = documents[0]
    assert first.text == (SEEDS / first.id).read_bytes().decode("utf-8")
    assert first.language == "en"


def _write_index(folder: Path, entries: list[object]) -> None:
    (folder / "index.json").write_text(json.dumps({"about": "test", "documents": entries}), encoding="utf-8")


def test_folder_reports_bad_index_entries_and_keeps_going(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt", "unlisted.txt"):
        (tmp_path / name).write_text(f"text of {name}", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a document", encoding="utf-8")
    _write_index(tmp_path, [
        {"id": "a.txt", "published": "2024-05-16", "url": "https://example.org/a"},
        {"id": "missing.txt", "published": "2024-05-16"},
        {"id": "b.txt", "published": "2024-13-45"},
        "c.txt",
        {"id": "../a.txt"},
        {"id": "c.txt", "published": "2024-05-17", "language": "de"},
    ])
    items = list(load_documents(tmp_path))

    assert [type(item).__name__ for item in items] == [
        "Document", "DocumentError", "DocumentError", "DocumentError", "DocumentError", "Document", "Document",
    ]
    a, missing, bad_date, not_object, escape, c, unlisted = items
    assert a == Document(id="a.txt", text="text of a.txt", published=datetime(2024, 5, 16), url="https://example.org/a")
    assert missing.id == "missing.txt" and "not found" in missing.reason
    assert bad_date.id == "b.txt" and "month must be in 1..12" in bad_date.reason
    assert "entry 4" in not_object.reason and "got string" in not_object.reason
    assert escape.id == "../a.txt" and "file name" in escape.reason
    assert c.language == "de" and c.published == datetime(2024, 5, 17)
    # Files not in the index still count, without a date unless one is given; b.txt is not read twice.
    assert unlisted == Document(id="unlisted.txt", text="text of unlisted.txt", published=None)


def test_unlisted_files_take_the_default_date(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "y.txt").write_text("y", encoding="utf-8")
    _write_index(tmp_path, [{"id": "y.txt", "published": "2020-01-01"}])
    items = list(load_documents(tmp_path, published="2024-05-16"))
    assert [(d.id, d.published) for d in items] == [("y.txt", datetime(2020, 1, 1)), ("x.txt", datetime(2024, 5, 16))]


def test_folder_without_index_reads_txt_files_by_name(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("second", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first", encoding="utf-8")
    items = list(load_documents(tmp_path))
    assert [(d.id, d.text, d.published) for d in items] == [("a.txt", "first", None), ("b.txt", "second", None)]


@pytest.mark.parametrize("content", ["{not json", '["a.txt"]', '{"documents": "a.txt"}'])
def test_unreadable_index_fails_before_any_document(tmp_path: Path, content: str) -> None:
    (tmp_path / "index.json").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="index.json"):
        load_documents(tmp_path)  # not iterated: the error must come at call time


# --- single text files ----------------------------------------------------------------------------

def test_text_file_takes_the_published_argument(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbfLine one\r\nCaf\xc3\xa9 \xff end")
    [document] = load_documents(path, published="2024-05-16")
    assert document.id == "story.txt"
    assert document.published == datetime(2024, 5, 16)
    # BOM dropped, line ends kept (offsets match the file), invalid bytes replaced rather than fatal.
    assert document.text == "Line one\r\nCaf\xe9 \ufffd end"


def test_missing_path_and_unknown_file_type(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        load_documents(tmp_path / "nope.jsonl")
    (tmp_path / "story.md").write_text("text", encoding="utf-8")
    with pytest.raises(ValueError, match="unsupported input file"):
        load_documents(tmp_path / "story.md")


def test_bad_default_date_fails_at_call_time(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="month must be in 1..12"):
        load_documents(SEEDS, published="2024-13-01")


# --- JSON Lines -----------------------------------------------------------------------------------

JSONL_LINES = [
    '{"id": "ok1", "text": "On Tuesday.", "published": "2024-05-16", "title": "T"}',
    "",
    "{broken",
    '{"id": "cut", "text": "unterminated',
    "[1, 2]",
    '{"text": "no id"}',
    '{"id": "  ", "text": "blank id"}',
    '{"id": "n", "text": 42}',
    '{"id": "d", "text": "bad date", "published": "2024-13-45"}',
    '{"id": "u", "text": "x", "url": 5}',
    '{"id": "ok2", "text": "Caf\u00e9 \u201cquoted\u201d", "language": "en"}',
]


def _expected_jsonl_results(default: datetime | None) -> list[Document | DocumentError]:
    return [
        Document(id="ok1", text="On Tuesday.", published=datetime(2024, 5, 16), title="T"),
        DocumentError(line=3, reason="invalid JSON: Expecting property name enclosed in double quotes at column 2"),
        # the id before the fault is still read (issue 14)
        DocumentError(id="cut", line=4, reason="invalid JSON: Unterminated string starting at column 23"),
        DocumentError(line=5, reason="expected a JSON object, got array"),
        DocumentError(line=6, reason='"id" must be a non-empty string'),
        DocumentError(line=7, reason='"id" must be a non-empty string'),
        DocumentError(id="n", line=8, reason='"text" must be a string, got number'),
        DocumentError(id="d", line=9, reason="invalid publication date '2024-13-45': month must be in 1..12"),
        DocumentError(id="u", line=10, reason='"url" must be a string, got number'),
        Document(id="ok2", text="Caf\u00e9 \u201cquoted\u201d", published=default),
    ]


def test_jsonl_bad_lines_are_reported_with_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(JSONL_LINES) + "\n", encoding="utf-8")
    assert list(load_documents(path)) == _expected_jsonl_results(None)
    assert list(load_documents(path, published="2024-01-02")) == _expected_jsonl_results(datetime(2024, 1, 2))


def test_jsonl_from_stdin_decodes_utf8_and_survives_bad_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    data = ("\n".join(JSONL_LINES) + "\n").encode("utf-8") + b'{"id": "bytes", "text": "bad \xff byte"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="latin-1"))
    items = list(load_documents("-"))
    assert items[:-1] == _expected_jsonl_results(None)
    assert items[-1] == Document(id="bytes", text="bad \ufffd byte")


def test_folder_ids_that_no_utf8_output_can_hold_are_errors(tmp_path: Path) -> None:
    """Issue 14: an id with a lone surrogate crashed the writer; in a folder it comes from a file name or the index."""
    (tmp_path / "good.txt").write_text("On Monday.", encoding="utf-8")
    (tmp_path / "b\udcff.txt").write_text("On Monday.", encoding="utf-8")  # the file name holds the byte 0xff
    (tmp_path / "index.json").write_text('{"documents": [{"id": "x\\ud800.txt"}]}', encoding="utf-8")
    items = list(load_documents(tmp_path))
    assert [type(item).__name__ for item in items] == ["DocumentError", "DocumentError", "Document"]
    assert "lone surrogate" in items[0].reason and items[0].id is None
    assert "not valid UTF-8" in items[1].reason and "'b\\udcff.txt'" in items[1].reason and items[1].id is None
    assert items[2].id == "good.txt"
