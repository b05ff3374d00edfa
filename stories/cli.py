"""The ``timeline story`` and ``timeline db`` commands (declared in timeline.cli, which imports
this module only when one of them runs, so the core never loads SQLAlchemy)."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from timeline.cli import EXIT_BAD_INPUT, EXIT_OK, UsageError, _open_output, format_timeline, read_documents

from .database import connect, current_revision, database_url, describe, upgrade
from .store import DocumentNotFound, Store, StoryNotFound, Submission, check_name


def _store(args: argparse.Namespace) -> Store:
    try:
        store = Store(database_url(args.database))
        store.upgrade()
    except Exception as error:  # an unreachable server, a bad URL: a message, not a traceback
        raise UsageError(f"cannot open the story database {describe(database_url(args.database))}: {error}") from None
    return store


def _name(value: str) -> str:
    try:
        return check_name(value)
    except ValueError as error:
        raise UsageError(str(error)) from None


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    url = database_url(args.database)
    try:
        database = connect(url)
        upgrade(database)
        revision = current_revision(database)
        database.dispose()
    except Exception as error:
        raise UsageError(f"cannot migrate {describe(url)}: {error}") from None
    print(f"timeline: {describe(url)} is at revision {revision}")
    return EXIT_OK


def cmd_story_add(args: argparse.Namespace) -> int:
    name = _name(args.name)
    documents, bad = read_documents(args.paths, args.published)
    store = _store(args)
    try:
        store.story(name)
        if args.title is not None:
            store.put_story(name, args.title, store.story(name).description)
    except StoryNotFound:
        store.put_story(name, args.title)
    changes = store.add_documents(name, [Submission(document) for document in documents])
    info = store.story(name)
    print(f"timeline: {name}: {len(changes.added)} added, {len(changes.updated)} updated, "
          f"{len(changes.unchanged)} unchanged; {info.documents} documents, {info.events} events")
    for problem in bad:
        print(f"timeline: skipped {problem.id or 'line ' + str(problem.line)}: {problem.reason}", file=sys.stderr)
    return EXIT_BAD_INPUT if bad else EXIT_OK


def cmd_story_show(args: argparse.Namespace) -> int:
    name = _name(args.name)
    store = _store(args)
    try:
        if args.format == "json":
            data: Any = json.loads(store.timeline_json(name, about=args.about or ()).data)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            timeline = store.timeline(name, args.about or ())
            if args.format != "text":
                from timeline.formats import write_format

                write_format(timeline, args.format, args.output)
                return EXIT_OK
            text = format_timeline(timeline)
    except StoryNotFound as error:
        raise UsageError(str(error)) from None
    output = _open_output(args.output)
    try:
        output.write(text)
    finally:
        if output is not sys.stdout:
            output.close()
    return EXIT_OK


def cmd_story_list(args: argparse.Namespace) -> int:
    stories = _store(args).list_stories()
    if args.json:
        print(json.dumps([info.to_dict() for info in stories], ensure_ascii=False, indent=2))
        return EXIT_OK
    for info in stories:
        print(f"{info.name:<24} {info.documents:>6} documents {info.events:>7} events  "
              f"updated {info.to_dict()['updated']}  {info.title or ''}".rstrip())
    if not stories:
        print("timeline: no stories yet (timeline story add NAME FILES...)", file=sys.stderr)
    return EXIT_OK


def cmd_story_rebuild(args: argparse.Namespace) -> int:
    name = _name(args.name)
    store = _store(args)
    try:
        analysed = store.rebuild(name, everything=args.all)
        info = store.story(name)
    except StoryNotFound as error:
        raise UsageError(str(error)) from None
    print(f"timeline: {name}: {analysed} documents analysed again, {info.documents} documents merged again "
          f"into {info.events} events")
    return EXIT_OK


def cmd_story_remove(args: argparse.Namespace) -> int:
    name = _name(args.name)
    store = _store(args)
    try:
        if args.documents:
            for document in args.documents:
                store.delete_document(name, document)
        else:
            store.delete_story(name)
    except (StoryNotFound, DocumentNotFound) as error:
        raise UsageError(str(error)) from None
    return EXIT_OK
