"""Command-line interface: ``timeline <command> ...``.

Each subcommand is one ``cmd_<name>(args) -> int`` handler plus an ``_add_<name>``
function declaring its arguments, registered in ``_COMMANDS``.

Exit codes: 0 success; 1 the run finished but some input documents were bad (each
one reported in the output); 2 usage error (bad arguments, missing input) -- the
run did not start; 3 (batch) the run stopped part way -- a worker died, a disk is
full -- and what was written is kept: rerun to resume; 4 the run finished but some documents
are in a language no grammar reads (each one warned about; nothing was extracted from them).
1 wins over 4.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from . import longtail
from .chronology import (
    DEFAULT_MERGE_THRESHOLD,
    BuildOptions,
    Timeline,
    build_timeline,
    undated_warnings,
)
from .documents import Document, DocumentError, load_documents, parse_published, unique_ids
from .entities import about as select_about
from .entities import check_names
from .evaluation import evaluate_paths, find_timeml_files, format_report, read_timeml
from .fetching import Fetcher, FetchPolicy
from .grammar import load_grammar
from .languages import UnsupportedLanguage, identify, is_supported, unsupported_reason
from .longtail import LongTailExtractor
from .pipeline import Extractor
from .registry import get_extractor

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_UNSUPPORTED_LANGUAGE = 4


def _exit_status(bad: int, unsupported: int) -> int:
    """The documented exit status of a run that finished: bad input first, then languages without a grammar."""
    if bad:
        return EXIT_BAD_INPUT
    return EXIT_UNSUPPORTED_LANGUAGE if unsupported else EXIT_OK


class UsageError(Exception):
    """The command cannot run as asked; the message is shown to the user without a traceback."""


def _published_argument(value: str) -> datetime | None:
    """argparse type for dates, so a bad --published is a usage error naming the problem."""
    try:
        return parse_published(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _entity_argument(value: str) -> str:
    """argparse type for --about, so a name without a word is a usage error naming the problem."""
    try:
        return check_names(value)[0]
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _progress_enabled() -> bool:
    """Progress bars only for a person watching: never in logs or pipes."""
    return sys.stderr.isatty()


def _open_output(target: str) -> IO[str]:
    """The output stream for ``--output``: ``-`` is stdout, forced to UTF-8 as JSON Lines requires."""
    if target == "-":
        if hasattr(sys.stdout, "reconfigure") and (sys.stdout.encoding or "").lower() not in ("utf-8", "utf8"):
            sys.stdout.reconfigure(encoding="utf-8")
        return sys.stdout
    try:
        return open(target, "w", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write output {target}: {error.strerror}") from None


def _fetcher(args: argparse.Namespace) -> Fetcher:
    """How addresses given as input are fetched (see timeline/fetching.py)."""
    return Fetcher(FetchPolicy(allow_private=args.allow_private_addresses))


def _add_fetching(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-private-addresses", action="store_true",
                        help="let http(s) inputs reach this machine and private networks (refused by default)")


def _error_record(error: DocumentError) -> dict[str, Any]:
    return {"id": error.id, "line": error.line, "error": error.reason}


def _timexes_record(item: Document | DocumentError) -> dict[str, Any]:
    """The output line for one input item: its timexes, or an error record."""
    if isinstance(item, DocumentError):
        return _error_record(item)
    if not is_supported(item.language):  # a warning, not an error: the input is fine, we cannot read it
        if longtail.knows(item.language):
            fallback = LongTailExtractor(item.language)
            return {"id": item.id, "timexes": [t.to_dict() for t in fallback.extract(item.text, item.published)],
                    "warnings": [*item.warnings, fallback.warning()]}
        return {"id": item.id, "timexes": [], "warnings": [*item.warnings, unsupported_reason(item.language)]}
    try:
        extractor = get_extractor(item.language)
    except UnsupportedLanguage as error:
        return _error_record(DocumentError(id=item.id, reason=str(error)))
    timexes = extractor.extract(item.text, item.published)
    record: dict[str, Any] = {"id": item.id, "timexes": [timex.to_dict() for timex in timexes]}
    if item.from_html:  # the offsets point into the article's text, not into the page
        record["text"] = item.text
    if item.warnings:
        record["warnings"] = list(item.warnings)
    return record


def cmd_timexes(args: argparse.Namespace) -> int:
    """Extract the timexes of every input document, one JSON line per document."""
    try:
        documents = unique_ids(load_documents(args.input, args.published, _fetcher(args)))
    except (OSError, ValueError) as error:
        raise UsageError(str(error)) from None
    output = _open_output(args.output)
    total = bad = unsupported = 0
    try:
        for item in tqdm(documents, desc="timexes", unit="doc", file=sys.stderr, disable=not _progress_enabled()):
            record = _timexes_record(item)
            total += 1
            bad += "error" in record
            unsupported += "warnings" in record and not is_supported(getattr(item, "language", "en"))
            output.write(json.dumps(record, ensure_ascii=False) + "\n")
            output.flush()
    finally:
        if output is not sys.stdout:
            output.close()
    if bad:
        print(f"timeline: {bad} of {total} documents could not be processed (see their error lines)", file=sys.stderr)
    if unsupported:
        print(f"timeline: warning: {unsupported} of {total} documents are in a language without a grammar "
              "(see their warnings)", file=sys.stderr)
    return _exit_status(bad, unsupported)


def cmd_batch(args: argparse.Namespace) -> int:
    """Extract the timexes of a whole archive, on every core or on a Dask cluster.

    IN is JSON Lines ({"id", "text", "published"?} per line; - for stdin) or .parquet; OUT is
    JSON Lines (appended to: ids already in OUT are skipped, so an interrupted run resumes) or
    .parquet. Every record ends up in OUT or in the errors file with its reason. See docs/batch.md.
    """
    from .batch import (  # the batch machinery is loaded only for this command
        BatchError,
        run_batch,
    )

    try:
        report = run_batch(args.input, args.output, workers=args.workers, errors_path=args.errors,
                           max_chars=args.max_chars, progress=None if args.progress is None else args.progress,
                           scheduler=args.scheduler, published=args.published, chunk_size=args.chunk_size)
    except BatchError as error:  # 2: it could not start; 3: it stopped part way (see docs/batch.md)
        print(f"timeline: error: {error}", file=sys.stderr)
        return error.exit_status
    print(f"timeline: {report.read} records read: {report.written} written, {report.skipped} already in "
          f"{report.out_path}, {report.errors} errors ({report.docs_per_second:.0f} docs/s)"
          + (f"; errors in {report.errors_path}" if report.errors else ""), file=sys.stderr)
    if report.interrupted:
        print("timeline: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    return EXIT_BAD_INPUT if report.errors else EXIT_OK


def _evaluation_sets(arguments: list[str]) -> dict[str, list[Path]]:
    """Group ``NAME=PATH`` arguments into named sets (a name given twice pools its paths);
    plain paths form one set, "all". Each set is scored on its own: news and narratives
    are not pooled."""
    sets: dict[str, list[Path]] = {}
    for argument in arguments:
        name, separator, path = argument.partition("=")
        if not separator or not name or Path(argument).exists():
            name, path = "all", argument
        try:
            sets.setdefault(name, []).extend(find_timeml_files([path]))
        except ValueError as error:  # a missing path or a folder without .tml files
            raise UsageError(str(error)) from None
    return sets


def _set_language(files: list[Path]) -> str:
    """The language of a set of TimeML files, identified from the text of its first few documents
    pooled (one short news item alone may be too short to tell)."""
    texts = []
    for path in files[:8]:
        try:
            texts.append(read_timeml(path).text)
        except ValueError:
            continue  # reported when the set is scored
    return identify(" ".join(texts)).language


def _tagger(extractor: Extractor, no_dct: bool) -> Callable[[str, str | None], list[Any]]:
    """What evaluation tags each document with: the extractor, given its creation time or not."""
    return lambda text, dct: list(extractor.extract(text, None if no_dct else dct))


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score the extractor on TimeML corpora (TempEval-3 Task A) and print the report, one per set.

    Each set is read with one language: ``--language``, else the one identified from its texts."""
    sets = _evaluation_sets(args.paths)
    unreadable: list[str] = []
    results = {}
    languages = {}
    for name, files in sets.items():
        languages[name] = args.language or _set_language(files)
        try:
            extractor = get_extractor(languages[name])
        except UnsupportedLanguage as error:
            raise UsageError(str(error)) from None
        results[name] = evaluate_paths(files, _tagger(extractor, args.no_dct), progress=_progress_enabled(),
                                       unreadable=unreadable)
    if args.json:
        if list(results) == ["all"]:
            report: dict[str, Any] = {**results["all"].to_dict(), "language": languages["all"]}
        else:
            report = {"sets": {name: {**scores.to_dict(), "language": languages[name]}
                               for name, scores in results.items()}}
        print(json.dumps({**report, "unreadable": unreadable}, indent=2, ensure_ascii=False))
    elif list(results) == ["all"]:
        print(format_report(results["all"], args.verbose))
    else:
        print("\n\n".join(f"== {name} ({languages[name]})\n{format_report(scores, args.verbose)}"
                            for name, scores in results.items()))
    for reason in unreadable:
        print(f"timeline: skipped {reason}", file=sys.stderr)
    return EXIT_BAD_INPUT if unreadable else EXIT_OK


def read_documents(paths: list[str], published: str | None,
                   fetcher: Fetcher | None = None) -> tuple[list[Document], list[DocumentError]]:
    """The documents of every path, and the ones that could not be read (reported, not fatal);
    a path that cannot be opened at all is a usage error."""
    documents: list[Document] = []
    bad: list[DocumentError] = []
    try:
        for path in paths:
            for item in load_documents(path, published, fetcher):
                if isinstance(item, DocumentError):
                    bad.append(item)
                else:
                    documents.append(item)
    except (OSError, ValueError) as error:
        raise UsageError(str(error)) from None
    return documents, bad


def cmd_build(args: argparse.Namespace) -> int:
    """Build one ordered timeline from several articles: what happened when, according to whom."""
    try:
        options = BuildOptions(merge_threshold=args.merge_threshold)
        fetcher = _fetcher(args)
    except (OSError, ValueError) as error:
        raise UsageError(str(error)) from None
    documents, bad = read_documents(args.paths, args.published, fetcher)
    try:
        extractor = get_extractor("en")
    except UnsupportedLanguage as error:
        raise UsageError(str(error)) from None
    skipped = [f"{e.id or 'line ' + str(e.line)}: {e.reason}" for e in bad]
    if args.format == "timeml" and args.about:
        raise UsageError("--about selects events, and --format timeml writes no events (only timexes)")
    if args.format == "timeml":  # per document, no timeline: see docs/formats.md
        from .formats import write_timeml
        try:
            write_timeml(documents, args.output, get_extractor)
        except ValueError as error:
            raise UsageError(str(error)) from None
        for warning in undated_warnings(documents) + skipped:
            print(f"timeline: warning: {warning}", file=sys.stderr)
        return EXIT_BAD_INPUT if bad else EXIT_OK
    try:
        timeline = build_timeline(documents, extractor, options=options, labels=args.labels)
    except UnsupportedLanguage as error:
        raise UsageError(str(error)) from None
    if args.about:
        timeline = select_about(timeline, args.about, load_grammar("en").entities, (d.text for d in documents))
    timeline.warnings.extend(skipped)
    if args.format in ("timelinejs", "csv", "ics"):  # export formats: see docs/formats.md
        from .formats import write_format
        try:
            write_format(timeline, args.format, args.output)
        except ValueError as error:
            raise UsageError(str(error)) from None
        for warning in timeline.warnings:
            print(f"timeline: warning: {warning}", file=sys.stderr)
        return _exit_status(len(bad), _unsupported(timeline))
    output = _open_output(args.output)
    try:
        if args.format == "json":
            output.write(json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            output.write(format_timeline(timeline))
    finally:
        if output is not sys.stdout:
            output.close()
    for warning in timeline.warnings:
        print(f"timeline: warning: {warning}", file=sys.stderr)
    return _exit_status(len(bad), _unsupported(timeline))


def _unsupported(timeline: Timeline) -> int:
    """How many documents no grammar read (their notes carry the warning)."""
    return sum(1 for note in timeline.documents if not is_supported(note["language"]))


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the HTTP JSON API (POST /timeline, POST /timexes, /health, /openapi.yaml, /docs) under gunicorn.

    Settings not given here come from the TIMELINE_* environment variables (see docs/api.md).
    """
    try:  # the web layer is optional: `timeline` itself never imports Flask
        from api.config import ConfigError
        from api.server import serve
    except ImportError as error:
        raise UsageError(f"the API needs its web packages ({error.name} is missing): "
                         "python -m pip install \".[server]\"") from None
    overrides = {"HOST": args.host, "PORT": args.port, "WORKERS": args.workers, "THREADS": args.threads,
                 "TIMEOUT": args.timeout,
                 "DATABASE_URL": args.database}
    try:
        serve(overrides)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    return EXIT_OK


# How the text format marks a date that no expression of the event's own clause gives.
_BASIS_NOTES = {"narrative": "  (date from the story)", "publication": "  (publication date)"}


def format_timeline(timeline: Timeline) -> str:
    """The timeline for a person at a terminal: each date as people write it ("16 May 2024,
    afternoon"), the summary, and the sources by title; conflicts marked.  The TIMEX values
    are in the JSON (--format json), not here."""
    names = source_names(timeline.documents)
    events = [event.to_dict() for event in timeline.events]
    width = min(max((len(data["date"]["label"]) for data in events), default=0), 30) + 2
    lines = []
    undated_heading = False
    for event, data in zip(timeline.events, events, strict=True):
        date = data["date"]
        if date["value"] is None and not undated_heading:
            lines.append("undated (no date in the text, and no publication date to place them by)")
            undated_heading = True
        flag = "  CONFLICT" if event.conflicting else ""
        lines.append(f"{date['label']:<{width}}{data['summary']}{_BASIS_NOTES.get(date.get('basis', ''), '')}{flag}")
        dating = {m["document"] for m in data["mentions"] if "dated_by" not in m}
        dated = _ordered(dating, names)
        undated = _ordered({m["document"] for m in data["mentions"]} - dating, names)
        lines.append(f"{'':<{width}}sources: {'; '.join(names.get(d, d) for d in dated)}"
                     + (f"; also told, undated, by {'; '.join(names.get(d, d) for d in undated)}" if undated else ""))
        if event.conflicting:
            for conflict in data["dates"]:
                told = "; ".join(names.get(d, d) for d in conflict["documents"])
                lines.append(f"{'':<{width}}{conflict.get('label', conflict['value'])} according to {told}")
    lines.append(f"{len(timeline.events)} events from {len(timeline.documents)} documents")
    return "\n".join(lines) + "\n"


def source_names(notes: list[dict[str, Any]]) -> dict[str, str]:
    """How a reader knows each document (its note's ``name``: site and title, title, or opening words)."""
    return {note["id"]: note.get("name") or note["id"] for note in notes}


def _ordered(ids: set[str], names: dict[str, str]) -> list[str]:
    return sorted(ids, key=lambda doc_id: (names.get(doc_id, doc_id), doc_id))


def _add_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="folders of .txt and .html files with an optional index.json of publication dates "
                             "(as seeds/), .txt files (dated by --published), .html files (web pages: dated by "
                             "their own markup, address or text), JSON Lines files, or http(s):// addresses")
    parser.add_argument("--format", choices=("text", "json", "timelinejs", "csv", "ics", "timeml"), default="text",
                        help="text: a readable timeline (default); json: events, documents and warnings; "
                             "timelinejs: TimelineJS3 JSON; csv: one row per mention; ics: iCalendar; "
                             "timeml: one .tml file per document into --output DIR (see docs/formats.md)")
    parser.add_argument("--output", "-o", default="-", metavar="FILE|DIR|-",
                        help="where to write (default: stdout; a folder for --format timeml)")
    parser.add_argument("--published", type=_published_argument, metavar="DATE",
                        help="publication date for documents that give none")
    parser.add_argument("--merge-threshold", type=float, default=DEFAULT_MERGE_THRESHOLD, metavar="X",
                        help="similarity (0..1) at which two mentions with compatible dates are merged "
                             f"(default {DEFAULT_MERGE_THRESHOLD})")
    _add_fetching(parser)
    parser.add_argument("--about", action="append", type=_entity_argument, metavar="NAME",
                        help="keep only the events NAME takes part in (by name, short form, surname, initials "
                             "or possessive; aliases after |, as \"Airbus|the European planemaker\"); repeatable: "
                             "the events of any of them")
    parser.add_argument("--labels", metavar="CODE",
                        help="the language dates are written in (\"16 de mayo de 2024\"): a language with a grammar; "
                             "default: the documents' own when they share one, else en")


def _add_timexes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", "-i", default="-", metavar="FILE|DIR|-",
                        help="a folder of .txt and .html files (with optional index.json), a .txt or .html file, "
                             "a JSON Lines file of {\"id\", \"text\", \"published\"?} records, "
                             "or - for JSON Lines on stdin (default)")
    parser.add_argument("--output", "-o", default="-", metavar="FILE|-",
                        help="where to write the JSON Lines results (default: stdout)")
    _add_fetching(parser)
    parser.add_argument("--published", type=_published_argument, metavar="DATE",
                        help="publication date (YYYY-MM-DD or ISO date-time) for documents that give none")


def _add_batch(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="IN", help="JSON Lines file (- for stdin) or .parquet file (needs pyarrow)")
    parser.add_argument("output", metavar="OUT", help="JSON Lines file to append to, or .parquet file")
    parser.add_argument("--workers", "-w", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes (default: the number of CPUs; 1 runs in this process)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster (e.g. tcp://127.0.0.1:8786) instead of local processes")
    parser.add_argument("--errors", metavar="FILE",
                        help="where bad records go, with their reasons (default: OUT with .errors.jsonl)")
    parser.add_argument("--max-chars", type=int, default=1_000_000, metavar="N",
                        help="texts longer than this are reported as oversized (default 1,000,000; 0: no limit)")
    parser.add_argument("--published", type=_published_argument, metavar="DATE",
                        help="publication date for records that give none")
    parser.add_argument("--chunk-size", type=int, default=64, metavar="N",
                        help="documents sent to a worker at a time (default 64)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar with documents per second (default: when stderr is a terminal)")


def _add_evaluate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="[NAME=]DIR",
                        help="folders (or files) of TimeML .tml documents; NAME= scores them as a set of "
                             "their own (tbaq=../shared/data/tbaq wikiwars=../shared/data/wikiwars-dev)")
    parser.add_argument("--language", metavar="CODE",
                        help="the documents' language (default: identified per set from its texts)")
    parser.add_argument("--no-dct", action="store_true",
                        help="tag without the documents' creation times, as text with no publication date")
    parser.add_argument("--verbose", "-v", action="store_true", help="also list the errors per document")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON instead of a table")


def _add_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", metavar="ADDRESS",
                        help="address to listen on (default: TIMELINE_HOST, else 127.0.0.1; 0.0.0.0 for all)")
    parser.add_argument("--port", type=int, metavar="N", help="port to listen on (default: TIMELINE_PORT, else 8000)")
    parser.add_argument("--workers", "-w", type=int, metavar="N",
                        help="gunicorn worker processes, each with its own pipeline "
                             "(default: TIMELINE_WORKERS, else the number of CPUs)")
    parser.add_argument("--threads", type=int, metavar="N",
                        help="threads per worker; one at a time runs the pipeline, the others finish writing "
                             "answers and serve kept-alive connections meanwhile (default: TIMELINE_THREADS, else 4)")
    parser.add_argument("--timeout", type=int, metavar="SECONDS",
                        help="seconds a worker may go without a heartbeat before it is restarted "
                             "(default: TIMELINE_TIMEOUT, else 60)")
    _database_option(parser)


def _story_command(name: str) -> Callable[[argparse.Namespace], int]:
    """The handler ``name`` of stories.cli, imported when it runs: only these commands need SQLAlchemy."""
    def run(args: argparse.Namespace) -> int:
        try:
            from stories import cli
        except ImportError as error:
            raise UsageError(f"stored stories need their database packages ({error.name} is missing): "
                             "python -m pip install \".[store]\"") from None
        handler: Callable[[argparse.Namespace], int] = getattr(cli, name)
        return handler(args)
    run.__doc__ = f"see stories.cli.{name}"
    return run


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", metavar="URL",
                        help="the story database, a SQLAlchemy URL (default: TIMELINE_DATABASE_URL, else the "
                             "SQLite file ~/.local/share/timeline/stories.db; see docs/stories.md)")


def _add_story(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="story_command", required=True, metavar="ACTION")
    add = commands.add_parser("add", help="add articles to a story (created if new); same id and content: unchanged",
                              description="Add articles to a stored story: only new or changed ones are analysed.")
    add.add_argument("name", metavar="NAME", help="the story's name (letters, digits, '.', '_', '-')")
    add.add_argument("paths", nargs="+", metavar="PATH", help="folders, .txt files or JSON Lines files, as for build")
    add.add_argument("--published", type=_published_argument, metavar="DATE",
                     help="publication date for documents that give none")
    add.add_argument("--title", help="the story's title")
    add.set_defaults(handler=_story_command("cmd_story_add"))
    show = commands.add_parser("show", help="print a story's timeline", description="Print a stored story's timeline.")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--format", choices=("text", "json", "timelinejs", "csv", "ics"), default="text")
    show.add_argument("--output", "-o", default="-", metavar="FILE|-")
    show.add_argument("--about", action="append", type=_entity_argument, metavar="NAME",
                      help="keep only the events NAME takes part in, as timeline build --about (ids stay the story's)")
    show.set_defaults(handler=_story_command("cmd_story_show"))
    listing = commands.add_parser("list", help="list the stored stories", description="List the stored stories.")
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(handler=_story_command("cmd_story_list"))
    rebuild = commands.add_parser("rebuild", help="analyse again what an older grammar or model analysed, and merge",
                                  description="Analyse again the documents analysed by another grammar or model "
                                              "(all with --all), then merge the whole story again.")
    rebuild.add_argument("name", metavar="NAME")
    rebuild.add_argument("--all", action="store_true", help="analyse every document again")
    rebuild.set_defaults(handler=_story_command("cmd_story_rebuild"))
    remove = commands.add_parser("remove", help="delete a story, or some of its documents",
                                 description="Delete a story, or with --document only those documents.")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--document", dest="documents", action="append", metavar="ID", help="a document id")
    remove.set_defaults(handler=_story_command("cmd_story_remove"))
    for sub in (add, show, listing, rebuild, remove):
        _database_option(sub)


def _add_db(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = commands.add_parser("upgrade", help="migrate the story database to the newest schema",
                                  description="Create or migrate the story database (Alembic migrations).")
    _database_option(upgrade)
    upgrade.set_defaults(handler=_story_command("cmd_db_upgrade"))


# name -> (handler, argument declarations, one-line help)
_COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], Callable[[argparse.ArgumentParser], None], str]] = {
    "build": (cmd_build, _add_build, "build one ordered timeline from several articles"),
    "timexes": (cmd_timexes, _add_timexes, "extract temporal expressions as JSON Lines"),
    "batch": (cmd_batch, _add_batch, "extract timexes from a whole archive on every core or a Dask cluster"),
    "evaluate": (cmd_evaluate, _add_evaluate, "score extraction against TimeML gold annotations"),
    "serve": (cmd_serve, _add_serve, "serve the HTTP JSON API under gunicorn"),
    "story": (_story_command("cmd_story_add"), _add_story, "stored stories: add articles, show, list, rebuild"),
    "db": (_story_command("cmd_db_upgrade"), _add_db, "the story database: upgrade (migrate)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline",
        description="Timelines from news: find and resolve temporal expressions, and order what happened when, "
                    "according to whom.",
        epilog="Exit status: 0 success, 1 some input documents were bad (reported in the output), 2 usage error, "
               "3 batch stopped part way (rerun to resume), "
               "4 some documents are in a language without a grammar (warned; nothing extracted from them).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (handler, add_arguments, help_text) in _COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=handler.__doc__)
        add_arguments(command)
        command.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``timeline`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"timeline: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python's exit-time flush from failing too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
