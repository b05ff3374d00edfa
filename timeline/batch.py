"""Batch extraction over whole archives: ``timeline batch IN OUT --workers N``.

The input is streamed (JSON Lines, or Parquet when pyarrow is installed), cut into
small chunks and handed to a pool of worker processes -- or to a Dask cluster --
with a bounded number of chunks in flight, so memory stays flat whatever the input
size.  Results are written in input order, one chunk at a time, each chunk one unbuffered
write that lands whole or is taken back: an interrupted run leaves OUT consistent, and a rerun
skips the ids already in OUT.  Batch writes only files it owns: an OUT or errors file that it
did not write, or that is not a regular file, is refused and left alone.

Nothing is lost: every input record ends up either in OUT (``{"id", "timexes"}``,
the same line ``timeline timexes`` writes for the document) or in the errors file
(``{"line", "id", "error"}``: bad JSON, missing id or text, oversized text, bad date,
duplicate id, unsupported language).  The first record with an id decides what becomes of
it; later records with that id are only ever reported as duplicates.

The per-document function is :func:`process_record`; :func:`extract_partition` wraps
it for ``dask.bag`` / ``dask.dataframe`` users::

    import dask.bag as db, json
    from timeline.batch import extract_partition
    results = db.read_text("archive-*.jsonl").map(json.loads).map_partitions(extract_partition)

Dask is imported only on the ``scheduler=`` path; the rest needs neither Dask nor pyarrow.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from .documents import (
    Document,
    DocumentError,
    _jsonl_document,
    decode_line,
    duplicate_reason,
    parse_published,
    readable_id,
    validate_record,
)
from .languages import UnsupportedLanguage

# Texts longer than this are reported as oversized instead of extracted (spaCy's own default limit).
DEFAULT_MAX_CHARS = 1_000_000
# A chunk is sent to a worker when it holds this many documents or this many characters.
DEFAULT_CHUNK_SIZE = 64
CHUNK_CHARS = 2_000_000
# Chunks in flight per worker (submitted, not yet written): bounds memory, keeps workers busy.
IN_FLIGHT_PER_WORKER = 3
# Bytes of an oversized line kept to look for its id.
_HEAD_BYTES = 65_536
_ID_IN_HEAD = re.compile(rb'"id"\s*:\s*("(?:[^"\\]|\\.)*")')
PARQUET_SUFFIX = ".parquet"

OutputRecord = dict[str, Any]
# What is sent to a worker: (input line number, document) pairs and the size limit.
Chunk = list[tuple[int, Document]]
# What a worker sends back per document: (is an error, the UTF-8 JSON line).
Result = tuple[bool, bytes]


class BatchError(Exception):
    """The batch cannot start (bad paths, a file it does not own, a missing optional package).

    ``exit_status`` is what ``timeline batch`` exits with (see docs/batch.md).
    """

    exit_status = 2


class BatchStopped(BatchError):
    """The batch stopped part way (a worker died, a disk is full): what was written is kept, a rerun resumes."""

    exit_status = 3


@dataclass
class BatchReport:
    """What a run did; ``read == written + skipped + errors`` for a completed run."""

    read: int = 0          # input records (non-blank lines / rows) seen
    written: int = 0       # new records appended to OUT
    skipped: int = 0       # records whose id was already in OUT (resumed run)
    errors: int = 0        # records written to the errors file
    seconds: float = 0.0
    out_path: str = ""
    errors_path: str = ""
    interrupted: bool = False

    @property
    def docs_per_second(self) -> float:
        """Records extracted (or reported bad) per second; skipped records are not counted."""
        done = self.written + self.errors
        return done / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "written": self.written, "skipped": self.skipped, "errors": self.errors,
                "seconds": round(self.seconds, 3), "docs_per_second": round(self.docs_per_second, 1),
                "out": self.out_path, "errors_file": self.errors_path, "interrupted": self.interrupted}


# --- the per-document function ------------------------------------------------------------------

def _extractor_for(language: str, given: Any = None) -> Any:
    """The Extractor for ``language``: ``given`` if it fits, else the process's (timeline.registry).

    Raises :class:`~timeline.languages.UnsupportedLanguage` when the language has no grammar.
    """
    if given is not None and getattr(given, "language", None) == language:
        return given
    from .longtail import LongTailExtractor, knows
    from .registry import get_extractor  # spaCy is loaded in the workers, when first needed

    try:
        return get_extractor(language)
    except UnsupportedLanguage:
        if knows(language):  # no grammar, but dateparser reads its absolute dates
            return LongTailExtractor(language)
        raise


def _error(reason: str, doc_id: str | None = None, line: int | None = None) -> OutputRecord:
    return {"line": line, "id": doc_id, "error": reason}


def _oversized(text: str, max_chars: int) -> str | None:
    if max_chars and len(text) > max_chars:
        return f"oversized text: {len(text):,} characters (the limit is {max_chars:,}; see --max-chars)"
    return None




def process_document(document: Document, line: int | None = None, extractor: Any = None,
                     max_chars: int = DEFAULT_MAX_CHARS) -> OutputRecord:
    """The output record of one valid document: ``{"id", "timexes"}``, or an error record."""
    too_long = _oversized(document.text, max_chars)
    if too_long:
        return _error(too_long, document.id, line)
    try:
        chosen = _extractor_for(document.language, extractor)
    except UnsupportedLanguage as error:
        return _error(str(error), document.id, line)
    try:
        timexes = chosen.extract(document.text, document.published)
    except Exception as error:  # a bug must cost one document, not the run
        return _error(f"internal error: {type(error).__name__}: {error}", document.id, line)
    record: OutputRecord = {"id": document.id, "timexes": [timex.to_dict() for timex in timexes]}
    if hasattr(chosen, "warning"):  # a language without a grammar: absolute dates only
        record["warnings"] = [chosen.warning()]
    return record


def process_record(record: Any, extractor: Any = None, *, line: int | None = None,
                   published: date | datetime | str | None = None,
                   max_chars: int = DEFAULT_MAX_CHARS) -> OutputRecord:
    """The pure per-document function of the batch: a decoded input record in, one output record out.

    ``record`` is a dict like a JSON Lines input line (``id``, ``text``, optional ``published``,
    ``title``, ``url``, ``language``).  The result is ``{"id", "timexes": [...]}`` -- exactly the
    line ``timeline timexes`` writes for the document -- or ``{"line", "id", "error"}`` saying why
    the record could not be processed.  ``extractor`` is an :class:`~timeline.pipeline.Extractor`
    to use; when ``None`` (or of another language), the process's own (see :mod:`timeline.registry`).
    """
    item = validate_record(record, line, published)
    if isinstance(item, DocumentError):
        return _error(item.reason, item.id, item.line)
    return process_document(item, line, extractor, max_chars)


def extract_partition(records: Iterable[Any], published: date | datetime | str | None = None,
                      max_chars: int = DEFAULT_MAX_CHARS) -> list[OutputRecord]:
    """:func:`process_record` over one partition: the entry point for ``dask.bag`` users.

    ``bag.map_partitions(extract_partition)`` gives one output record per input record;
    ``dask.dataframe`` users go through ``ddf.to_bag(format="dict")`` first.  Error records
    carry ``line`` = the record's position within its partition (1-based).
    """
    return [process_record(record, line=number, published=published, max_chars=max_chars)
            for number, record in enumerate(records, start=1)]


def _encoded(record: OutputRecord, line: int | None) -> Result:
    """(is an error, the record as one UTF-8 JSON line).

    A record no UTF-8 file can hold (a lone surrogate that got past validation: a bug) becomes an
    error record saying so: it costs that document, never its chunk or the writer.
    """
    try:
        return "error" in record, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        reason = "internal error: the result is not valid Unicode (a lone surrogate), so no UTF-8 file can hold it"
        if "error" in record:
            reason += f"; the error was {record['error']!a}"
        fallback = _error(reason, readable_id(record.get("id")), line)
        return True, (json.dumps(fallback, ensure_ascii=False) + "\n").encode("utf-8")


def _process_chunk(chunk: Chunk, max_chars: int) -> list[Result]:
    """Worker side of the batch: (is an error, UTF-8 JSON line) per document of the chunk, in order.

    The lines are serialized and encoded here, in the workers, so the parent only writes bytes.
    """
    return [_encoded(process_document(document, number, None, max_chars), number) for number, document in chunk]


def _init_worker() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; the pipeline is loaded once, up front."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _extractor_for("en")


# --- reading ------------------------------------------------------------------------------------

def max_line_bytes(max_chars: int) -> int:
    """Longest input line read whole: room for ``max_chars`` characters escaped as \\uXXXX, plus metadata."""
    return max_chars * 6 + 1_048_576 if max_chars else 1 << 62


def _bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, whole) for every line; a line over ``limit`` bytes is not kept in
    memory: its first bytes come with ``whole=False`` and the rest is skipped."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            head = raw[:_HEAD_BYTES]
            del raw
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, head, False
        else:
            yield number, raw, True


def _id_from_head(head: bytes) -> str | None:
    match = _ID_IN_HEAD.search(head)
    if match:
        try:
            value = json.loads(match.group(1))
        except ValueError:  # also bytes that are not UTF-8
            return None
        return readable_id(value)
    return None


def _read_jsonl(stream: IO[bytes], default: datetime | None, max_chars: int
                ) -> Iterator[tuple[int, Document | DocumentError]]:
    """(line number, Document or DocumentError) per non-blank line, as ``load_documents`` reads them."""
    limit = max_line_bytes(max_chars)
    for number, raw, whole in _bounded_lines(stream, limit):
        if not whole:
            yield number, DocumentError(id=_id_from_head(raw), line=number,
                                        reason=f"oversized text: the line is over {limit:,} bytes "
                                               f"(the text limit is {max_chars:,} characters; see --max-chars)")
            continue
        line = decode_line(raw)
        if number == 1:
            line = line.removeprefix("\ufeff")
        if line.strip():
            yield number, _jsonl_document(line.rstrip("\r\n"), number, default)


_PARQUET_FIELDS = ("id", "text", "html", "published", "title", "url", "language")


def _require_pyarrow() -> Any:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
    except ImportError:
        raise BatchError("Parquet files need pyarrow: python -m pip install pyarrow "
                         "(or use JSON Lines: .jsonl)") from None
    return pq


def _read_parquet(path: Path, default: datetime | None, batch_rows: int = 1024
                  ) -> Iterator[tuple[int, Document | DocumentError]]:
    """(row number, Document or DocumentError) per row, read a batch of rows at a time."""
    pq = _require_pyarrow()
    try:
        source = pq.ParquetFile(path)
    except Exception as error:  # pyarrow's ArrowInvalid and kin, or an OSError
        raise BatchError(f"cannot read {path} as Parquet: {error}") from None
    columns = [name for name in _PARQUET_FIELDS if name in source.schema_arrow.names]
    number = 0
    for batch in source.iter_batches(batch_size=batch_rows, columns=columns):
        for row in batch.to_pylist():
            number += 1
            yield number, validate_record(row, number, default)


def _count_input(path: Path) -> int | None:
    """How many records the input holds, for the progress bar (a fast pass over the bytes)."""
    try:
        if path.suffix.lower() == PARQUET_SUFFIX:
            return _require_pyarrow().ParquetFile(path).metadata.num_rows
        count = 0
        last = b"\n"
        with path.open("rb") as stream:
            while block := stream.read(1 << 20):
                count += block.count(b"\n")
                last = block[-1:]
        return count + (last != b"\n")
    except (OSError, BatchError):
        return None


# --- writing ------------------------------------------------------------------------------------

# Files batch writes, and may therefore rewrite: its lines start and end so (for OUT, with the id as group 1).
_OUT_LINE = re.compile(rb'\{"id": ("(?:[^"\\\n]|\\.)*"), "timexes": \[')
_ERRORS_LINE = re.compile(rb'\{"line": (?:null|\d+), "id": ')
# Lines of an existing OUT or errors file are read this many bytes at a time: memory stays bounded.
_SCAN_BYTES = 1 << 20


@dataclass(frozen=True)
class _Shape:
    """What every line of a file batch writes looks like; a torn last line has at least begun so."""

    head: re.Pattern[bytes]
    start: bytes
    end: bytes


_OUT_SHAPE = _Shape(_OUT_LINE, b'{"id": ', b"]}\n")
_ERRORS_SHAPE = _Shape(_ERRORS_LINE, b'{"line": ', b"}\n")


def _not_ours(path: Path, line: int, what: str) -> BatchError:
    return BatchError(f"{path} was not written by timeline batch (line {line:,} is not one of its lines), so it is "
                      f"left as it is: give another {what}")


def _scan_own(path: Path, shape: _Shape, what: str) -> tuple[set[str], int | None]:
    """The ids on the lines of a file batch wrote, and where its torn last line starts (None: none is torn).

    Raises BatchError when a line is not of ``shape``: the file is not batch's, and is left alone.
    A line is read ``_SCAN_BYTES`` at a time, keeping only its head and its last bytes.
    """
    ids: set[str] = set()
    whole = 0  # bytes in complete lines so far
    number = 0
    with path.open("rb") as stream:
        while head := stream.readline(_SCAN_BYTES):
            number += 1
            if not (head.startswith(shape.start) or shape.start.startswith(head)):
                raise _not_ours(path, number, what)  # decided on the first bytes: the rest is not read
            size, ending = len(head), head[-len(shape.end):]
            while not ending.endswith(b"\n"):
                more = stream.readline(_SCAN_BYTES)
                if not more:  # a torn last line, as a killed run leaves
                    return ids, whole
                size, ending = size + len(more), (ending + more[-len(shape.end):])[-len(shape.end):]
            match = shape.head.match(head)
            if match is None or ending != shape.end:
                raise _not_ours(path, number, what)
            if match.groups():
                quoted = match.group(1)
                try:  # most ids have no escapes: decoding them is 10 times cheaper than json.loads
                    ids.add(json.loads(quoted) if b"\\" in quoted else quoted[1:-1].decode("utf-8"))
                except ValueError:  # a bad escape, bytes that are not UTF-8: batch wrote neither
                    raise _not_ours(path, number, what) from None
            whole += size
    return ids, None


def _require_regular(path: Path, what: str) -> None:
    """Batch writes only regular files: never a device (/dev/full, /dev/null), a pipe or a directory."""
    if path.exists() and not path.is_file():
        raise BatchError(f"{path} is not a regular file: give a file path as {what}")


def _jsonl_ids(path: Path) -> set[str]:
    """Ids already in a JSON Lines OUT batch wrote; its torn last line (a killed run) is cut off."""
    if not path.exists():
        return set()
    ids, torn = _scan_own(path, _OUT_SHAPE, "OUT")
    if torn is not None:
        os.truncate(path, torn)
    return ids


class _OwnFile:
    """A file batch appends whole lines to: each write lands whole or is taken back.

    Unbuffered, so no half-written buffer outlives a failed write; a write that fails part way (disk
    full, Ctrl-C) is cut back to the end of the last whole line, so no torn line is left behind.
    """

    def __init__(self, path: Path, truncate: bool) -> None:
        self.path = path
        self.file = open(path, "wb" if truncate else "ab", buffering=0)  # closed by close()
        self.size = self.file.seek(0, os.SEEK_END)

    def _write_some(self, data: memoryview) -> int:
        return self.file.write(data)

    def write(self, data: bytes) -> None:
        view, done = memoryview(data), 0
        try:
            while done < len(data):
                done += self._write_some(view[done:])
        except BaseException as error:
            try:
                self.file.truncate(self.size)
            except OSError:
                pass  # a torn line is left; the next run cuts it off (OUT) or rewrites the file (errors)
            if isinstance(error, OSError):
                raise BatchStopped(f"cannot write {self.path}: {error.strerror or error}; what was written is kept: "
                                   "make room and rerun the same command to resume") from None
            raise
        self.size += len(data)

    def close(self) -> None:
        self.file.close()


class _JsonlOut:
    """Appends to OUT; each chunk is one unbuffered write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done = _jsonl_ids(path)
        self.file = _OwnFile(path, truncate=False)

    def write(self, lines: list[bytes]) -> None:
        if lines:
            self.file.write(b"".join(lines))

    def close(self) -> None:
        self.file.close()


class _ParquetOut:
    """OUT as Parquet: columns ``id`` and ``timexes`` (the JSON list as text).

    A Parquet file cannot be appended to, so the run writes ``OUT.partial`` -- the rows of an
    existing OUT first, then the new ones -- and renames it over OUT when closed (also on Ctrl-C).
    """

    def __init__(self, path: Path) -> None:
        pq = _require_pyarrow()
        import pyarrow as pa
        self.pa, self.path = pa, path
        self.schema = pa.schema([("id", pa.string()), ("timexes", pa.string())])
        self.partial = path.with_name(path.name + ".partial")
        existing = None
        if path.exists():
            try:
                existing = pq.ParquetFile(path)
            except (pa.ArrowException, OSError) as error:
                raise BatchError(f"{path} was not written by timeline batch (not a Parquet file: {error}), so it "
                                 "is left as it is: give another OUT") from None
            if existing.schema_arrow.names != self.schema.names:
                raise BatchError(f"{path} was not written by timeline batch (its columns are "
                                 f"{existing.schema_arrow.names}, not id and timexes), so it is left as it is: "
                                 "give another OUT")
        self.writer = pq.ParquetWriter(self.partial, self.schema)
        self.done: set[str] = set()
        if existing is not None:
            for batch in existing.iter_batches(columns=["id", "timexes"]):
                self.done.update(batch.column("id").to_pylist())
                self.writer.write_batch(batch.cast(self.schema))

    def write(self, lines: list[bytes]) -> None:
        records = [json.loads(line) for line in lines]
        if records:
            self.writer.write_batch(self.pa.record_batch(
                [[r["id"] for r in records], [json.dumps(r["timexes"], ensure_ascii=False) for r in records]],
                schema=self.schema))

    def close(self) -> None:
        self.writer.close()
        os.replace(self.partial, self.path)


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (also through links), so that writing one would destroy the other."""
    if one.resolve() == other.resolve():
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:  # one of them does not exist yet
        return False


def default_errors_path(out_path: str | Path) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl`` (likewise for ``.parquet``)."""
    out = Path(out_path)
    known = out.suffix.lower() in (".jsonl", ".ndjson", ".json", PARQUET_SUFFIX)
    stem = out.name[: -len(out.suffix)] if known else out.name
    return out.with_name(stem + ".errors.jsonl")


# --- running ------------------------------------------------------------------------------------

class _Inline:
    """workers=1: the chunks run in this process (no pool to start, same function)."""

    slots = 1

    def submit(self, chunk: Chunk, max_chars: int) -> Any:
        return _process_chunk(chunk, max_chars)

    @staticmethod
    def result(handle: Any) -> list[Result]:
        return handle

    def close(self, cancel: bool) -> None:
        pass


class _Pool:
    """A process pool; the workers build their pipeline once (initializer) and ignore Ctrl-C."""

    def __init__(self, workers: int) -> None:
        self.slots = workers * IN_FLIGHT_PER_WORKER
        self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)

    def submit(self, chunk: Chunk, max_chars: int) -> Any:
        return self.pool.submit(_process_chunk, chunk, max_chars)

    @staticmethod
    def result(handle: Any) -> list[Result]:
        return handle.result()

    def close(self, cancel: bool) -> None:
        self.pool.shutdown(wait=True, cancel_futures=cancel)


class _Dask:
    """A ``dask.distributed`` cluster: chunks are submitted as tasks, a few per worker thread."""

    def __init__(self, scheduler: Any) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise BatchError("--scheduler needs dask.distributed: "
                             "python -m pip install \"dask[distributed]\"") from None
        if isinstance(scheduler, str):
            try:
                self.client = Client(scheduler)  # waits distributed.comm.timeouts.connect (30 s)
            except (OSError, TimeoutError) as error:
                raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
            self.owned = True
        else:  # a Client (or anything with its submit/nthreads) given by a Python caller
            self.client, self.owned = scheduler, False
        threads = sum(self.client.nthreads().values()) or 1
        self.slots = threads * IN_FLIGHT_PER_WORKER

    def submit(self, chunk: Chunk, max_chars: int) -> Any:
        return self.client.submit(_process_chunk, chunk, max_chars, pure=False)

    @staticmethod
    def result(handle: Any) -> list[Result]:
        return handle.result()

    def close(self, cancel: bool) -> None:
        if self.owned:
            self.client.close()


def _chunks(items: Iterable[tuple[int, Document | DocumentError]], done: set[str], report: BatchReport,
            errors: Callable[[list[OutputRecord]], None], chunk_size: int, max_chars: int,
            progress: Any) -> Iterator[Chunk]:
    """Valid, not-yet-done documents grouped into chunks; bad records and skips are handled here."""
    seen: set[str] = set()
    chunk: Chunk = []
    chars = 0
    pending_errors: list[OutputRecord] = []
    for number, item in items:
        report.read += 1
        # The first record with an id decides what becomes of it, valid or not (see unique_ids).
        if item.id is not None and item.id in seen:
            pending_errors.append(_error(duplicate_reason(item.id), item.id, number))
        elif item.id is not None and item.id in done:
            seen.add(item.id)
            report.skipped += 1
            progress.update(1)
            continue
        elif isinstance(item, DocumentError):
            if item.id is not None:
                seen.add(item.id)
            pending_errors.append(_error(item.reason, item.id, item.line))
        else:
            seen.add(item.id)
            too_long = _oversized(item.text, max_chars)
            if too_long:  # not worth sending to a worker
                pending_errors.append(_error(too_long, item.id, number))
            else:
                chunk.append((number, item))
                chars += len(item.text)
                if len(chunk) >= chunk_size or chars >= CHUNK_CHARS:
                    yield chunk
                    chunk, chars = [], 0
        if len(pending_errors) >= chunk_size:
            errors(pending_errors)
            pending_errors = []
    errors(pending_errors)
    if chunk:
        yield chunk


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str, refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(enabled: bool, total: int | None) -> Any:
    if not enabled:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, desc="batch", unit="doc", file=sys.stderr, smoothing=0.1)


def run_batch(in_path: str | Path, out_path: str | Path, workers: int = 1, errors_path: str | Path | None = None,
              max_chars: int = DEFAULT_MAX_CHARS, progress: bool | None = None, scheduler: Any = None,
              published: date | datetime | str | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE) -> BatchReport:
    """Extract every record of ``in_path`` into ``out_path``; see the module documentation.

    ``in_path`` is a JSON Lines file, ``-`` (JSON Lines on stdin) or a ``.parquet`` file;
    ``out_path`` a JSON Lines file (appended to) or a ``.parquet`` file.  ``workers`` processes
    extract (1: in this process); ``scheduler`` -- a Dask scheduler address or a
    ``distributed.Client`` -- sends the chunks to a cluster instead.  ``progress=None`` shows a
    bar when stderr is a terminal.  Output records are written in input order.  The errors file
    (default ``OUT`` with ``.errors.jsonl``) is rewritten by every run: a rerun re-reports the
    bad records, since they are not in OUT.  Raises :class:`BatchError` when the run cannot
    start -- also when OUT or the errors file exists but is not a regular file batch wrote: it
    writes only files it owns -- and :class:`BatchStopped` when it stops part way (a worker died,
    a disk is full: what was written stays, with no torn line; rerun to resume).
    """
    started = time.perf_counter()
    if workers < 1:
        raise BatchError(f"workers must be at least 1, not {workers}")
    if chunk_size < 1:
        raise BatchError(f"chunk size must be at least 1, not {chunk_size}")
    out = Path(out_path)
    errors_file = Path(errors_path) if errors_path is not None else default_errors_path(out)
    try:
        default = parse_published(published)
    except ValueError as error:
        raise BatchError(str(error)) from None
    from_stdin = str(in_path) == "-"
    source = Path(in_path)
    if not from_stdin:
        if source.is_dir():
            raise BatchError(f"the input {source} is a directory: give a JSON Lines or Parquet file")
        if not source.exists():
            raise BatchError(f"no such input file: {source}")
        if _same_file(source, out) or _same_file(source, errors_file):
            raise BatchError("the input cannot also be the output or the errors file")
    if _same_file(out, errors_file):
        raise BatchError("the output and the errors file must differ")
    parquet_in = not from_stdin and source.suffix.lower() == PARQUET_SUFFIX
    parquet_out = out.suffix.lower() == PARQUET_SUFFIX
    if parquet_in or parquet_out:
        _require_pyarrow()
    _require_regular(out, "OUT")
    _require_regular(errors_file, "the errors file (--errors)")
    if errors_file.exists():  # it is rewritten below: only if batch wrote it
        _scan_own(errors_file, _ERRORS_SHAPE, "--errors FILE")

    report = BatchReport(out_path=str(out), errors_path=str(errors_file))
    show = sys.stderr.isatty() if progress is None else progress
    runner: Any = None
    writer: Any = None
    input_stream: IO[bytes] | None = None
    errors_stream: _OwnFile | None = None
    bar: Any = _NoBar()
    cancel = False
    try:
        try:
            writer = _ParquetOut(out) if parquet_out else _JsonlOut(out)
            errors_stream = _OwnFile(errors_file, truncate=True)
            if from_stdin:
                input_stream = sys.stdin.buffer
                items = _read_jsonl(input_stream, default, max_chars)
            elif parquet_in:
                items = _read_parquet(source, default)
            else:
                input_stream = source.open("rb")
                items = _read_jsonl(input_stream, default, max_chars)
        except OSError as error:
            raise BatchError(f"cannot open {error.filename}: {error.strerror or error}") from None

        def write_error_lines(lines: list[bytes]) -> None:
            if lines:
                assert errors_stream is not None
                errors_stream.write(b"".join(lines))
                report.errors += len(lines)
                bar.update(len(lines))

        def write_errors(records: list[OutputRecord]) -> None:
            write_error_lines([_encoded(r, r["line"])[1] for r in records])

        def write_results(results: list[Result]) -> None:
            good = [line for failed, line in results if not failed]
            writer.write(good)
            report.written += len(good)
            bar.update(len(good))
            write_error_lines([line for failed, line in results if failed])

        counted = not from_stdin and source.is_file()  # a pipe is read once: never drained to count it
        bar = _progress_bar(show, _count_input(source) if counted else None)
        runner = (_Dask(scheduler) if scheduler is not None
                  else _Pool(workers) if workers > 1 else _Inline())
        in_flight: deque[Any] = deque()
        for chunk in _chunks(items, writer.done, report, write_errors, chunk_size, max_chars, bar):
            in_flight.append(runner.submit(chunk, max_chars))
            while in_flight and (len(in_flight) >= runner.slots or getattr(in_flight[0], "done", lambda: False)()):
                write_results(runner.result(in_flight.popleft()))
            bar.set_postfix_str(f"skipped={report.skipped} errors={report.errors}", refresh=False)
        while in_flight:
            write_results(runner.result(in_flight.popleft()))
    except KeyboardInterrupt:
        report.interrupted = cancel = True
    except BaseException as error:
        cancel = True
        from concurrent.futures.process import BrokenProcessPool
        if isinstance(error, BrokenProcessPool):
            raise BatchStopped("a worker process died (out of memory?); what was written is kept: "
                               "rerun the same command to resume") from None
        if isinstance(error, OSError):  # reading the input, say; the writers raise BatchStopped themselves
            where = f" ({error.filename})" if error.filename else ""
            raise BatchStopped(f"stopped: {error.strerror or error}{where}; what was written is kept: "
                               "rerun the same command to resume") from None
        raise
    finally:
        if runner is not None:
            try:
                runner.close(cancel)
            except KeyboardInterrupt:
                pass
        bar.close()
        unclosed: OSError | None = None
        for closeable in (writer, errors_stream):
            if closeable is not None:
                try:
                    closeable.close()  # a Parquet OUT writes its footer here, and can meet a full disk
                except OSError as error:
                    unclosed = unclosed or error
        if input_stream is not None and input_stream is not getattr(sys.stdin, "buffer", None):
            input_stream.close()
        report.seconds = time.perf_counter() - started
        if unclosed is not None and not cancel:  # else the error already on its way is the one to report
            raise BatchStopped(f"cannot finish writing {unclosed.filename or out}: {unclosed.strerror or unclosed}; "
                               "OUT keeps what the last finished run wrote: rerun the same command") from None
    return report
