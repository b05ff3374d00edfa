"""The endpoints, in two blueprints: ``timeline`` (the work) and ``meta`` (health, contract, docs).

Views only validate, call the core and serialize: parsing and limits are here,
extraction and merging are ``timeline``'s.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, NotAcceptable, RequestEntityTooLarge, RequestTimeout, UnsupportedMediaType

from timeline import __version__, longtail
from timeline.chronology import build_timeline
from timeline.documents import Document, DocumentError, url_document
from timeline.entities import about as select_about
from timeline.formats import Rendered, render, render_timeml
from timeline.grammar import load_grammar
from timeline.languages import DEFAULT_LANGUAGE, is_supported, unsupported_reason
from timeline.longtail import LongTailExtractor
from timeline.registry import get_extractor

from . import schemas
from .cache import Answer
from .docs_page import render_docs
from .errors import InvalidRequest, body_too_large
from .negotiation import JSON, Choice, choose
from .state import state

timeline_blueprint = Blueprint("timeline", __name__)
meta_blueprint = Blueprint("meta", __name__)


CACHE_HEADER = "X-Timeline-Cache"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def raw_body() -> bytes:
    """The request body: 415 unless it is declared JSON, 413 over the size limit, 408 if it does not come.

    Under ``timeline serve`` the worker has the whole body before the app runs (api/worker.py);
    under another server, a read that times out or fails is the client's, not a 500.
    """
    if not request.is_json:
        declared = f"its Content-Type is {request.mimetype}" if request.mimetype else "it has no Content-Type"
        raise UnsupportedMediaType(f"The request body must be JSON (Content-Type: application/json); {declared}.")
    limit = state().settings.MAX_BODY_BYTES
    too_large = body_too_large(limit)
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(too_large)
    try:
        # A body without Content-Length (chunked) is read up to MAX_CONTENT_LENGTH = limit + 1
        # bytes, so one byte more than the limit tells that it is too large.
        data = request.get_data(cache=False)
    except RequestEntityTooLarge:
        raise RequestEntityTooLarge(too_large) from None
    except TimeoutError:
        raise RequestTimeout("The request body did not arrive in time.") from None
    except OSError as error:  # the client went away, or broke the body's framing
        raise BadRequest(f"The request body could not be read: {error}.") from None
    if len(data) > limit:
        raise RequestEntityTooLarge(too_large)
    return data


def parse_json(data: bytes) -> Any:
    """The body's JSON value; 400 if it is not strict JSON (NaN and Infinity are not)."""
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except RecursionError:
        raise BadRequest("The request body is not valid JSON: it is nested too deeply.") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
        reason = error.args[0] if isinstance(error, json.JSONDecodeError) else str(error)
        raise BadRequest(f"The request body is not valid JSON: {reason}.") from None


def _load(schema: Any, data: bytes) -> Any:
    try:
        return schema.load(parse_json(data))
    except ValidationError as error:
        raise InvalidRequest(error.messages) from None


def content_disposition(filename: str) -> str:
    """An attachment header for any file name: HTTP headers are Latin-1 (and WSGI's must be), so a
    non-ASCII name goes in ``filename*`` (RFC 6266, RFC 8187), after an ASCII ``filename`` for old clients."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _answer(answer: Answer, cache: str) -> Response:
    response = Response(answer.data, mimetype=answer.media_type, headers={CACHE_HEADER: cache})
    if answer.filename:
        response.headers["Content-Disposition"] = content_disposition(answer.filename)
    return response


def _cached(compute: Callable[[bytes], Answer], variant: str = JSON) -> Response:
    """The answer to this request's body in ``variant``: from the cache, or computed and kept."""
    data = raw_body()
    cache = state().cache
    key = cache.key(f"{request.path}?{variant}", data)
    hit = cache.get(key)
    if hit is not None:
        return _answer(hit, "hit")
    with state().pipeline:
        answer = compute(data)
    cache.put(key, answer)
    return _answer(answer, "miss")


def _json(value: Any) -> Answer:
    return Answer(current_app.json.dumps(value).encode())


@timeline_blueprint.post("/timeline")
def post_timeline() -> Response:
    """The merged timeline of the documents: the structure of ``timeline build --format json``,
    or an export format (``?format=`` or ``Accept``; see :mod:`api.negotiation`)."""
    choice = choose(request)

    def compute(data: bytes) -> Answer:
        request_data = _load(state().timeline_request, data)
        documents = _fetched(request_data["documents"])
        if choice.format == "timeml":  # the documents with their timexes: no timeline, no events for about
            return _answer_of(_timeml(choice, documents))
        language = next((d.language for d in documents if is_supported(d.language)), DEFAULT_LANGUAGE)
        timeline = build_timeline(documents, get_extractor(language), request_data["options"],
                                  labels=request_data["labels"])
        if request_data["about"]:
            timeline = select_about(timeline, request_data["about"], load_grammar(language).entities,
                                    (document.text for document in documents))
        if choice.format == JSON:
            return _json(schemas.TIMELINE.dump(timeline.to_dict()))
        return _answer_of(render(timeline, choice.format))

    response = _cached(compute, choice.key)
    response.vary.add("Accept")
    return response


def _fetched(documents: list[Document | schemas.UrlDocument]) -> list[Document]:
    """The documents with those given by ``url`` alone fetched and read; 422 naming any that fails."""
    result: list[Document] = []
    failed: dict[int, Any] = {}
    for number, document in enumerate(documents):
        if isinstance(document, schemas.UrlDocument):
            read = url_document(document.id, document.url, document.fields, None, state().fetcher)
            if isinstance(read, DocumentError):
                failed[number] = {"url": [read.reason]}
                continue
            document = read
        result.append(document)
    if failed:
        raise InvalidRequest({"documents": failed}, "A page given by its url could not be read; see errors.")
    return result


def _timeml(choice: Choice, documents: list[Any]) -> Rendered:
    if choice.strict and len(documents) > 1:
        raise NotAcceptable(f"{len(documents)} documents make {len(documents)} TimeML files: accept application/zip "
                            "for an archive of them, or ask for ?format=timeml.")
    # a document in a language without a grammar has no timexes to mark (POST /timeline warns of it)
    return render_timeml(documents, lambda language: get_extractor(language) if is_supported(language) else None,
                         archive=choice.archive)


def _answer_of(rendered: Rendered) -> Answer:
    return Answer(rendered.data, rendered.media_type, rendered.filename)


@timeline_blueprint.post("/timexes")
def post_timexes() -> Response:
    """The timexes of each text, resolved against its publication date."""
    def compute(data: bytes) -> Any:
        results = []
        for item in _load(state().timexes_request, data)["documents"]:
            result: dict[str, Any] = {"id": item["id"]}
            if item["from_html"]:
                result["text"] = item["text"]
            warnings = item["warnings"]
            if is_supported(item["language"]):
                timexes = get_extractor(item["language"]).extract(item["text"], item["published"])
                result["timexes"] = [timex.to_dict() for timex in timexes]
            elif longtail.knows(item["language"]):
                fallback = LongTailExtractor(item["language"])
                result["timexes"] = [timex.to_dict() for timex in fallback.extract(item["text"], item["published"])]
                warnings = [*warnings, fallback.warning()]
            else:
                result["timexes"] = []
                warnings = [*warnings, unsupported_reason(item["language"])]
            if warnings:
                result["warnings"] = warnings
            results.append(result)
        return _json(schemas.TIMEXES.dump({"texts": results}))
    return _cached(compute)


@meta_blueprint.get("/health")
def health() -> Response:
    """Liveness: the process answers and its pipeline is loaded."""
    return jsonify(schemas.HEALTH.dump({"status": "ok", "version": __version__}))


@meta_blueprint.get("/openapi.yaml")
def openapi_yaml() -> Response:
    """The API's contract, generated from the marshmallow schemas with this server's limits."""
    return Response(state().openapi_yaml(), mimetype="application/yaml")


@meta_blueprint.get("/docs")
def docs() -> Response:
    """A human-readable page on the endpoints, with curl examples."""
    return Response(render_docs(state().settings, request.url_root.rstrip("/")),
                    mimetype="text/html")
