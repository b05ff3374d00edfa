"""Input documents: the news texts to extract from, with their publication dates.

Relative expressions ("on Tuesday", "last week") can only be resolved against a
publication date, so every reader here carries one along with the text.  Input
problems are reported per document (:class:`DocumentError`) instead of raised, so a
single bad line in a large batch does not stop the others.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

INDEX_FILE = "index.json"
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}([T ].+)?")
# Lone surrogates: from \udXXX escapes in JSON, or from bytes that are not UTF-8 (read with "surrogateescape").
# No UTF-8 file can hold them, so they must not reach an output.
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Document:
    """One text to extract from; ``published`` anchors its relative expressions."""

    id: str
    text: str
    published: datetime | None = None
    title: str | None = None
    url: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class DocumentError:
    """A document that could not be read; ``line`` is set for JSON Lines input."""

    reason: str
    id: str | None = None
    line: int | None = None


def parse_published(value: object) -> datetime | None:
    """Normalize a publication date to a ``datetime``; ``None`` or ``""`` means unknown.

    Accepts ``date``, ``datetime``, ``"YYYY-MM-DD"`` and ISO 8601 date-times (a time
    zone, if given, is kept).  Anything else raises ``ValueError`` with a message
    fit to show a user.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if not isinstance(value, str):
        raise ValueError(
            f"invalid publication date {value!r}: expected a YYYY-MM-DD or ISO 8601 string, "
            f"not {type(value).__name__}"
        )
    text = value.strip()
    if not text:
        return None
    if not _ISO_SHAPE.fullmatch(text):
        raise ValueError(f"invalid publication date {value!r}: expected YYYY-MM-DD or an ISO 8601 date-time")
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time())
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"invalid publication date {value!r}: {error}") from None


def load_documents(
    path: str | Path, published: date | datetime | str | None = None
) -> Iterator[Document | DocumentError]:
    """Read documents from a folder, a ``.txt`` file, a JSON Lines file or ``-`` (stdin JSON Lines).

    ``published`` is the date for documents that do not carry their own: the single
    ``.txt`` file, folder files not listed in ``index.json``, JSON Lines records
    without ``"published"``.  Problems with the input as a whole (missing path,
    unreadable ``index.json``, unknown file type, bad ``published``) raise
    ``FileNotFoundError`` or ``ValueError`` here, before any document is read;
    problems with one document are yielded as :class:`DocumentError`.
    """
    default = parse_published(published)
    if str(path) == "-":
        stream = sys.stdin
        return _read_jsonl(getattr(stream, "buffer", stream), default)
    path = Path(path)
    if path.is_dir():
        return _read_folder(path, _read_index(path), default)
    if not path.exists():
        raise FileNotFoundError(f"no such file or directory: {path}")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return iter([Document(id=path.name, text=_read_text(path), published=default)])
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl_file(path, default)
    raise ValueError(
        f"unsupported input file {path}: expected a folder, a .txt file or a JSON Lines file "
        f"({', '.join(JSONL_SUFFIXES)})"
    )


def _read_text(path: Path) -> str:
    """Decode as UTF-8 without newline translation, so offsets match the file; drop a BOM."""
    return path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")


def _read_index(folder: Path) -> list[Any] | None:
    """The ``documents`` list of ``folder/index.json``, or ``None`` when there is no index."""
    index_path = folder / INDEX_FILE
    if not index_path.exists():
        return None
    try:
        index = json.loads(_read_text(index_path))
    except json.JSONDecodeError as error:
        raise ValueError(f"{index_path}: invalid JSON: {error}") from None
    entries = index.get("documents") if isinstance(index, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f'{index_path}: expected an object with a "documents" list')
    return entries


def _read_folder(folder: Path, entries: list[Any] | None,
                 default: datetime | None) -> Iterator[Document | DocumentError]:
    """Documents listed in the index first (in index order), then the other ``.txt`` files by name."""
    listed: set[str] = set()
    for number, entry in enumerate(entries or [], start=1):
        document = _index_document(folder, number, entry, default)
        if document.id:
            listed.add(document.id)
        yield document
    for path in sorted(folder.glob("*.txt")):
        if path.name not in listed and path.is_file():
            if readable_id(path.name) is None:  # bytes that are not UTF-8: no output could name it
                yield DocumentError(reason=f"the file name {path.name!r} in {folder} is not valid UTF-8")
                continue
            yield Document(id=path.name, text=_read_text(path), published=default)


def _index_document(folder: Path, number: int, entry: Any, default: datetime | None) -> Document | DocumentError:
    where = f"{INDEX_FILE} entry {number}"
    if not isinstance(entry, dict):
        return DocumentError(reason=f"{where}: expected a JSON object, got {_json_type(entry)}")
    doc_id = entry.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        return DocumentError(reason=f'{where}: "id" must be a non-empty string (the file name)')
    if readable_id(doc_id) is None:
        return DocumentError(reason=f'{where}: "id" must be valid Unicode: {doc_id!r} has a lone surrogate')
    if Path(doc_id).name != doc_id:
        return DocumentError(id=doc_id, reason=f'{where}: "id" must be a file name inside the folder')
    path = folder / doc_id
    if not path.is_file():
        return DocumentError(id=doc_id, reason=f"{where}: file {doc_id!r} not found in {folder}")
    try:
        fields = _metadata(entry, default)
    except ValueError as error:
        return DocumentError(id=doc_id, reason=f"{where}: {error}")
    return Document(id=doc_id, text=_read_text(path), **fields)


def _read_jsonl_file(path: Path, default: datetime | None) -> Iterator[Document | DocumentError]:
    with path.open("rb") as stream:
        yield from _read_jsonl(stream, default)


def _read_jsonl(lines: Iterable[bytes | str], default: datetime | None) -> Iterator[Document | DocumentError]:
    """One document per non-blank line; a bad line becomes a DocumentError and reading goes on."""
    for number, raw in enumerate(lines, start=1):
        line = decode_line(raw) if isinstance(raw, bytes) else raw
        if number == 1:
            line = line.removeprefix("\ufeff")
        if line.strip():
            yield _jsonl_document(line.rstrip("\r\n"), number, default)


def decode_line(raw: bytes) -> str:
    """A JSON Lines line as text; a byte that is not UTF-8 becomes a lone surrogate, which
    :func:`validate_record` refuses in an id and turns into U+FFFD elsewhere (never silently in an id)."""
    return raw.decode("utf-8", errors="surrogateescape")


def _jsonl_document(line: str, number: int, default: datetime | None) -> Document | DocumentError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        # Several of json's messages end in "at", expecting a position after them.
        reason = f"invalid JSON: {error.msg.removesuffix(' at')} at column {error.colno}"
        return DocumentError(id=salvage_id(line), line=number, reason=reason)
    except RecursionError:
        return DocumentError(id=salvage_id(line), line=number, reason="invalid JSON: nested too deeply")
    return validate_record(record, number, default)


def salvage_id(line: str) -> str | None:
    """The "id" of a line that is not valid JSON, when it can still be read safely.

    The object's members are read in order up to the fault; an "id" among them with a string
    value is kept.  Past the fault anything may sit inside a broken string, so nothing there is trusted.
    """
    def skip(position: int) -> int:
        match = _JSON_SPACE.match(line, position)
        return match.end() if match else position

    position = skip(0)
    if line[position:position + 1] != "{":
        return None
    try:
        while True:
            key, position = _DECODER.raw_decode(line, skip(position + 1))  # past the "{" or ","
            position = skip(position)
            if not isinstance(key, str) or line[position:position + 1] != ":":
                return None
            value, position = _DECODER.raw_decode(line, skip(position + 1))
            if key == "id":
                return readable_id(value)
            position = skip(position)
            if line[position:position + 1] != ",":
                return None
    except (ValueError, RecursionError):
        return None


def readable_id(value: Any) -> str | None:
    """``value`` if it can serve as a document id (a non-empty string that any UTF-8 file can hold), else None."""
    if isinstance(value, str) and value.strip() and not _SURROGATE.search(value):
        return value
    return None


def _clean_text(value: str) -> str:
    """``value`` with each lone surrogate (an unpaired \\udXXX escape, a byte that was not UTF-8) as U+FFFD.

    One character for one, so offsets into the text are unchanged."""
    if value.isascii() or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub("\ufffd", value)


def duplicate_reason(doc_id: str) -> str:
    """Why a record is reported when an earlier one had its id: the first record with an id decides."""
    return f"duplicate id {doc_id!r}: an earlier record has the same id"


def unique_ids(items: Iterable[Document | DocumentError]) -> Iterator[Document | DocumentError]:
    """``items`` with every record whose id was met before turned into a "duplicate id" DocumentError.

    The first record with an id decides what becomes of it -- its timexes, or its error -- so an
    id is never reported both ways; a later record with the id is only ever a duplicate.
    """
    seen: set[str] = set()
    for item in items:
        if item.id is not None:
            if item.id in seen:
                yield DocumentError(reason=duplicate_reason(item.id), id=item.id,
                                    line=item.line if isinstance(item, DocumentError) else None)
                continue
            seen.add(item.id)
        yield item


def validate_record(record: Any, line: int | None = None,
                    published: date | datetime | str | None = None) -> Document | DocumentError:
    """A decoded record (a JSON Lines object, a Parquet row) as a Document, or why it is none.

    ``published`` dates records that give no date of their own.
    """
    if not isinstance(record, dict):
        return DocumentError(line=line, reason=f"expected a JSON object, got {_json_type(record)}")
    doc_id = record.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        return DocumentError(line=line, reason='"id" must be a non-empty string')
    if readable_id(doc_id) is None:  # the id itself cannot be written: it is named in the reason instead
        return DocumentError(line=line, reason=f'"id" must be valid Unicode: {doc_id!r} has a lone surrogate '
                                               "or a byte that is not UTF-8")
    text = record.get("text")
    if not isinstance(text, str):
        return DocumentError(id=doc_id, line=line, reason=f'"text" must be a string, got {_json_type(text)}')
    try:
        fields = _metadata(record, parse_published(published))
    except ValueError as error:
        return DocumentError(id=doc_id, line=line, reason=str(error))
    return Document(id=doc_id, text=_clean_text(text), **fields)


def _metadata(record: dict[str, Any], default: datetime | None) -> dict[str, Any]:
    """The optional fields of an index entry or JSON Lines record, checked; raises ValueError."""
    own = parse_published(record.get("published"))
    fields: dict[str, Any] = {"published": own if own is not None else default}
    for key in ("title", "url", "language"):
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValueError(f'"{key}" must be a string, got {_json_type(value)}')
        fields[key] = _clean_text(value)
    return fields


def _json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    names: dict[type, str] = {str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)
