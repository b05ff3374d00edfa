"""The endpoints, in two blueprints: ``timeline`` (the work) and ``meta`` (health, contract, docs).

Views only validate, call the core and serialize: parsing and limits are here,
extraction and merging are ``timeline``'s.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from timeline import __version__
from timeline.chronology import build_timeline

from . import schemas
from .docs_page import render_docs
from .errors import InvalidRequest
from .extractors import get_extractor
from .state import state

timeline_blueprint = Blueprint("timeline", __name__)
meta_blueprint = Blueprint("meta", __name__)


CACHE_HEADER = "X-Timeline-Cache"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def raw_body() -> bytes:
    """The request body: 415 unless it is declared JSON, 413 over the size limit."""
    if not request.is_json:
        declared = f"its Content-Type is {request.mimetype}" if request.mimetype else "it has no Content-Type"
        raise UnsupportedMediaType(f"The request body must be JSON (Content-Type: application/json); {declared}.")
    limit = state().settings.MAX_BODY_BYTES
    too_large = f"The request body exceeds the limit of {limit} bytes."
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(too_large)
    try:
        # A body without Content-Length (chunked) is read up to MAX_CONTENT_LENGTH = limit + 1
        # bytes, so one byte more than the limit tells that it is too large.
        data = request.get_data(cache=False)
    except RequestEntityTooLarge:
        raise RequestEntityTooLarge(too_large) from None
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


def _answer(payload: bytes, cache: str) -> Response:
    return Response(payload, mimetype="application/json", headers={CACHE_HEADER: cache})


def _cached(compute: Callable[[bytes], Any]) -> Response:
    """The JSON answer to this request's body: from the cache, or computed, serialized and kept."""
    data = raw_body()
    cache = state().cache
    key = cache.key(request.path, data)
    hit = cache.get(key)
    if hit is not None:
        return _answer(hit, "hit")
    payload = current_app.json.dumps(compute(data)).encode()
    cache.put(key, payload)
    return _answer(payload, "miss")


@timeline_blueprint.post("/timeline")
def post_timeline() -> Response:
    """The merged timeline of the documents: the structure of ``timeline build --format json``."""
    def compute(data: bytes) -> Any:
        request_data = _load(state().timeline_request, data)
        documents = request_data["documents"]
        timeline = build_timeline(documents, get_extractor(documents[0].language), request_data["options"])
        return schemas.TIMELINE.dump(timeline.to_dict())
    return _cached(compute)


@timeline_blueprint.post("/timexes")
def post_timexes() -> Response:
    """The timexes of each text, resolved against its publication date."""
    def compute(data: bytes) -> Any:
        results = []
        for item in _load(state().timexes_request, data)["texts"]:
            timexes = get_extractor(item["language"]).extract(item["text"], item["published"])
            results.append({"id": item["id"], "timexes": [timex.to_dict() for timex in timexes]})
        return schemas.TIMEXES.dump({"texts": results})
    return _cached(compute)


@meta_blueprint.get("/health")
def health() -> Response:
    """Liveness: the process answers and its pipeline is loaded."""
    return current_app.json.response(schemas.HEALTH.dump({"status": "ok", "version": __version__}))


@meta_blueprint.get("/openapi.yaml")
def openapi_yaml() -> Response:
    """The API's contract, generated from the marshmallow schemas with this server's limits."""
    return Response(state().openapi_yaml(), mimetype="application/yaml")


@meta_blueprint.get("/docs")
def docs() -> Response:
    """A human-readable page on the endpoints, with curl examples."""
    return Response(render_docs(state().settings, request.url_root.rstrip("/")),
                    mimetype="text/html")
