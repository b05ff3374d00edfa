"""Input documents: the news texts to extract from, with their publication dates.

Relative expressions ("on Tuesday", "last week") can only be resolved against a
publication date, so every reader here carries one along with the text.  Input
problems are reported per document (:class:`DocumentError`) instead of raised, so a
single bad line in a large batch does not stop the others.

Texts come as plain text (``.txt`` files, ``"text"``), as web pages (``.html`` files,
``"html"``: the article and its date are read by :mod:`timeline.webpages`) or as
addresses (``https://...``, fetched by :mod:`timeline.fetching` when the caller allows).
A document that names no language is identified (:mod:`timeline.languages`).
"""
from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from .fetching import Fetcher, FetchError, is_url
from .languages import identify
from .webpages import HTML_SUFFIXES, HtmlError, looks_like_html, read_html

INDEX_FILE = "index.json"
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_FILE_LIKE = re.compile(r"\.[A-Za-z0-9]{1,5}$|^https?://", re.IGNORECASE)
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
    #: Where ``published`` comes from: "given" (by the input or --published), "html-metadata",
    #: "url" or "text" (found in a web page, see timeline.webpages); None when there is no date.
    published_source: str | None = None
    author: str | None = None
    site: str | None = None
    #: What a reader must know of this document, e.g. a page in which no article text was found.
    warnings: tuple[str, ...] = ()
    #: Whether ``text`` was read from a web page (so offsets point into it, not into the page).
    from_html: bool = False

    def __post_init__(self) -> None:
        if self.published is not None and self.published_source is None:  # a date given with the document
            object.__setattr__(self, "published_source", "given")


@dataclass(frozen=True)
class DocumentError:
    """A document that could not be read; ``line`` is set for JSON Lines input."""

    reason: str
    id: str | None = None
    line: int | None = None


def display_name(document: Document, words: int = 8) -> str:
    """How a reader knows a document: "Site: Title", the title, its id when someone chose it
    ("kerrow-herald"), else -- for ids that are file names or addresses -- the opening words of
    its text in quotes (the first line of five words or more: a byline is shorter)."""
    if document.title:
        site = document.site
        return f"{site}: {document.title}" if site and site not in document.title else document.title
    if not _FILE_LIKE.search(document.id):
        return document.id
    lines = [line.split() for line in document.text.strip().split("\n")[:5]]
    found = next((line for line in lines if len(line) >= 5), lines[0] if lines else [])
    if not found:
        return document.id
    line = " ".join(found)
    if len(line) > 80 or line.endswith("."):
        line = " ".join(found[:words]) + ("\u2026" if len(found) > words else "")
    return f"\u201c{line}\u201d"


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
    path: str | Path, published: date | datetime | str | None = None, fetcher: Fetcher | None = None
) -> Iterator[Document | DocumentError]:
    """Read documents from a folder, a ``.txt`` or ``.html`` file, a JSON Lines file, ``-`` (stdin JSON
    Lines) or an ``http(s)://`` address (fetched by ``fetcher``, by default under the default policy).

    ``published`` is the date for documents that do not carry their own: the single
    ``.txt`` file, folder files not listed in ``index.json``, JSON Lines records
    without ``"published"``.  Problems with the input as a whole (missing path,
    unreadable ``index.json``, unknown file type, bad ``published``) raise
    ``FileNotFoundError`` or ``ValueError`` here, before any document is read;
    problems with one document are yielded as :class:`DocumentError`.
    """
    default = parse_published(published)
    if isinstance(path, str) and is_url(path):  # a web address: the page it names (``fetcher``'s limits)
        return iter([url_document(path, path, {}, default, fetcher or Fetcher())])
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
        return iter([_file_document(path, path.name, {}, default)])
    if suffix in HTML_SUFFIXES:
        return iter([_file_document(path, path.name, {}, default)])
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl_file(path, default)
    raise ValueError(
        f"unsupported input file {path}: expected a folder, a .txt or .html file or a JSON Lines file "
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
    """Documents listed in the index first (in index order), then the other ``.txt`` and ``.html`` files by name."""
    listed: set[str] = set()
    for number, entry in enumerate(entries or [], start=1):
        document = _index_document(folder, number, entry, default)
        if document.id:
            listed.add(document.id)
        yield document
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES and path.name not in listed and path.is_file():
            if readable_id(path.name) is None:  # bytes that are not UTF-8: no output could name it
                yield DocumentError(reason=f"the file name {path.name!r} in {folder} is not valid UTF-8")
                continue
            yield _file_document(path, path.name, {}, default)


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
        fields = _metadata(entry)
    except ValueError as error:
        return DocumentError(id=doc_id, reason=f"{where}: {error}")
    return _file_document(path, doc_id, fields, default)


def _file_document(path: Path, doc_id: str, fields: dict[str, Any], default: datetime | None) -> Document:
    """A ``.txt`` file as it is, an ``.html`` file (or a ``.txt`` file holding a whole page) as the
    article it holds."""
    if path.suffix.lower() in HTML_SUFFIXES:
        return html_document(doc_id, path.read_bytes(), fields, default)
    return text_document(doc_id, _read_text(path), fields, default)


def text_document(doc_id: str, text: str, fields: dict[str, Any], default: datetime | None) -> Document:
    """A text as a Document; a text that is a whole web page ("<!DOCTYPE html>...") is read as one,
    so no markup reaches the tagger."""
    if looks_like_html(text):
        return html_document(doc_id, text, fields, default)
    return with_language(Document(id=doc_id, text=text, **_dated(fields, default)), given="language" in fields)


def _dated(fields: dict[str, Any], default: datetime | None) -> dict[str, Any]:
    """``fields`` with the default date when they give none, and where the date came from."""
    return {**fields, "published": fields.get("published") or default}


def with_language(document: Document, given: bool = False, declared: str | None = None) -> Document:
    """``document`` with its language identified from its text, unless ``given``; ``declared``
    (a web page's own ``lang``) decides when the text is too short to tell."""
    if given:
        return document
    found = identify(document.text)
    language = declared if found.source == "default" and declared else found.language
    return dataclasses.replace(document, language=language)


def html_document(doc_id: str, markup: str | bytes, fields: dict[str, Any], default: datetime | None,
                  url: str | None = None) -> Document:
    """The article of a web page as a Document; its own ``published`` (in ``fields``) overrides the
    page's date, which overrides ``default``.  A page that cannot be read, or holds no article,
    is a Document without text whose ``warnings`` say why."""
    try:
        page = read_html(markup, url=fields.get("url") or url)
    except HtmlError as error:  # not a page at all: a document with nothing to read, and why
        return Document(id=doc_id, text="", **_dated(fields, default), warnings=(str(error),))
    found: dict[str, Any] = {"title": page.title, "url": page.url, "author": page.author, "site": page.site}
    if page.published is not None:
        found.update(published=page.published, published_source=page.published_source)
    own = {key: value for key, value in fields.items() if value is not None}
    merged = {**found, **own}
    if "published" in own:
        merged["published_source"] = "given"
    elif page.published is None and default is not None:
        merged["published"] = default
    document = Document(id=doc_id, text=page.text, **merged, warnings=page.warnings, from_html=True)
    return with_language(document, given="language" in own, declared=page.language)


def url_document(doc_id: str, url: str, fields: dict[str, Any], default: datetime | None,
                 fetcher: Fetcher) -> Document | DocumentError:
    """The article at ``url``, fetched under ``fetcher``'s policy (see timeline.fetching)."""
    try:
        fetched = fetcher.fetch(url)
    except FetchError as error:
        return DocumentError(id=doc_id, reason=f"cannot fetch: {error}")
    return html_document(doc_id, fetched.body, {**fields, "url": fields.get("url") or fetched.url}, default)


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
    given = [key for key in ("text", "html") if record.get(key) is not None] or ["text"]
    if len(given) > 1:
        return DocumentError(id=doc_id, line=line, reason='give "text" or "html", not both')
    content = record.get(given[0])
    if not isinstance(content, str):
        return DocumentError(id=doc_id, line=line,
                             reason=f'"{given[0]}" must be a string, got {_json_type(content)}')
    content = _clean_text(content)
    try:
        default = parse_published(published)
        fields = _metadata(record)
    except ValueError as error:
        return DocumentError(id=doc_id, line=line, reason=str(error))
    if given[0] == "html":
        return html_document(doc_id, content, fields, default)
    return text_document(doc_id, content, fields, default)


def _metadata(record: dict[str, Any]) -> dict[str, Any]:
    """The optional fields of an index entry or JSON Lines record, checked; raises ValueError.

    ``published`` is the record's own date or None; ``language`` is there only when given."""
    fields: dict[str, Any] = {"published": parse_published(record.get("published"))}
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
