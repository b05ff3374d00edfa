"""The stored-story endpoints: ``/stories`` (see docs/stories.md).

Views validate, call :class:`stories.Store` and serialize.  Writes need ``Authorization:
Bearer KEY`` when API_KEYS is set, reads when READ_KEYS is set (a write key reads too);
keys are compared in constant time and never logged.  ``GET .../timeline`` answers with a
strong ETag and 304 to ``If-None-Match``, so a dashboard polls for the price of one row read.
"""
from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, NotFound, Unauthorized

from stories import DocumentNotFound, Store, StoryNotFound, Submission
from stories.store import about_etag, check_name
from timeline.documents import parse_published
from timeline.formats import render

from . import story_schemas
from .negotiation import JSON, choose
from .routes import _fetched, _load, raw_body
from .schemas import EntityNames
from .state import state

stories_blueprint = Blueprint("stories", __name__)
F = TypeVar("F", bound=Callable[..., Response])
_store_lock = threading.Lock()


def store() -> Store:
    """This process's story store: opened, migrated and checked for stale analyses on first use."""
    current = state()
    if current.store is None:
        with _store_lock:
            if current.store is None:
                opened = Store(current.settings.DATABASE_URL or None)
                opened.upgrade()
                threading.Thread(target=_refresh, args=(opened,), name="stories-refresh", daemon=True).start()
                current.store = opened
    return current.store


def _refresh(opened: Store) -> None:
    """Analyse again, in the background, what an older grammar or model analysed."""
    try:
        opened.refresh_stale()
    except Exception:  # noqa: BLE001 - a background task logs, it never takes the worker down
        import logging

        logging.getLogger(__name__).exception("re-analysing stale stories failed")


def _authorized(keys: tuple[str, ...]) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    given_bytes = given.strip().encode()
    # every key is compared, so the time taken does not tell which one nearly matched
    return any([hmac.compare_digest(given_bytes, key.encode()) for key in keys])


def _guard(write: bool) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Response:
            settings = state().settings
            keys = settings.API_KEYS if write else settings.READ_KEYS + settings.API_KEYS
            needed = settings.API_KEYS if write else settings.READ_KEYS
            if needed and not _authorized(keys):
                raise Unauthorized("This server needs a key for this request: send Authorization: Bearer KEY.")
            return view(*args, **kwargs)
        return guarded  # type: ignore[return-value]
    return decorate


def _name(story: str) -> str:
    try:
        return check_name(story)
    except ValueError as error:
        raise NotFound(f"No story {story!r}: {error}.") from None


def _missing(error: LookupError) -> NotFound:
    return NotFound(f"{str(error)[:1].upper()}{str(error)[1:]}.")


def _json(schema: Any, value: Any, status: int = 200) -> Response:
    return current_app.response_class(current_app.json.dumps(schema.dump(value)), status=status,
                                      mimetype="application/json")


@stories_blueprint.get("/stories")
@_guard(write=False)
def list_stories() -> Response:
    return _json(story_schemas.STORIES, {"stories": [info.to_dict() for info in store().list_stories()]})


@stories_blueprint.put("/stories/<story>")
@_guard(write=True)
def put_story(story: str) -> Response:
    name = _name(story)
    data = _load(story_schemas.StoryRequestSchema(), raw_body())
    info, created = store().put_story(name, data["title"], data["description"])
    return _json(story_schemas.STORY, info.to_dict(), 201 if created else 200)


@stories_blueprint.get("/stories/<story>")
@_guard(write=False)
def get_story(story: str) -> Response:
    try:
        return _json(story_schemas.STORY, store().story(_name(story)).to_dict())
    except StoryNotFound as error:
        raise _missing(error) from None


@stories_blueprint.delete("/stories/<story>")
@_guard(write=True)
def delete_story(story: str) -> Response:
    try:
        store().delete_story(_name(story))
    except StoryNotFound as error:
        raise _missing(error) from None
    return Response(status=204)


@stories_blueprint.post("/stories/<story>/documents")
@_guard(write=True)
def post_documents(story: str) -> Response:
    name = _name(story)
    given = _load(story_schemas.story_documents_schema(state().limits)(), raw_body())["documents"]
    read = _fetched([item.document for item in given])  # a url alone is fetched, as for POST /timeline
    submissions = [Submission(document, item.html) for document, item in zip(read, given, strict=True)]
    opened = store()
    try:
        changes = opened.add_documents(name, submissions)  # 404 before any analysis
        info = opened.story(name)
    except StoryNotFound as error:
        raise _missing(error) from None
    return _json(story_schemas.CHANGES, {**changes.to_dict(), "story": info.to_dict()})


@stories_blueprint.delete("/stories/<story>/documents/<path:document>")
@_guard(write=True)
def delete_document(story: str, document: str) -> Response:
    try:
        store().delete_document(_name(story), document)
    except (StoryNotFound, DocumentNotFound) as error:
        raise _missing(error) from None
    return Response(status=204)


def _since() -> datetime | None:
    value = request.args.get("since")
    if value is None:
        return None
    try:
        since = parse_published(value)
    except ValueError as error:
        raise BadRequest(f"Invalid since: {error}.") from None
    if since is None:
        raise BadRequest("Invalid since: give an ISO 8601 date or date-time.")
    return since


def _about() -> tuple[str, ...]:
    """The entities of ``?about=`` (repeatable), checked as for POST /timeline."""
    given = request.args.getlist("about")
    if not given:
        return ()
    try:
        return tuple(EntityNames().deserialize(given))
    except ValidationError as error:
        raise BadRequest(f"Invalid about: {' '.join(map(str, error.messages))}") from None


@stories_blueprint.get("/stories/<story>/timeline")
@_guard(write=False)
def story_timeline(story: str) -> Response:
    name = _name(story)
    choice = choose(request)
    since = _since()
    about = _about()
    opened = store()
    variant = "" if choice.format == JSON else f"-{choice.key}"
    try:
        etag = about_etag(opened.etag(name), about)
        tag = etag[:-1] + variant + '"' if variant else etag
        if request.if_none_match.contains_weak(tag.strip('"')):
            response = Response(status=304)
        elif choice.format == JSON:
            stream = opened.timeline_stream(name, since, about)  # sent as it is read: memory holds a batch
            tag = stream.etag
            response = Response(stream.chunks, mimetype="application/json")
            if stream.size is not None:  # held or kept whole: sent without chunked encoding
                response.content_length = stream.size
        elif choice.format == "timeml":
            raise BadRequest("A stored story's timeline comes as json, timelinejs, csv or ics; "
                             "TimeML is per document (POST /timeline?format=timeml).")
        else:
            # the iCalendar stamp is the story's last change, so the same ETag gives the same bytes
            stamp = opened.story(name).updated.replace(tzinfo=timezone.utc)
            rendered = render(opened.timeline(name, about), choice.format, now=stamp)
            response = Response(rendered.data, mimetype=rendered.media_type)
            if rendered.filename:
                response.headers["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    except StoryNotFound as error:
        raise _missing(error) from None
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept")
    return response
