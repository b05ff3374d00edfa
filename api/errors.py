"""Every error as RFC 9457 problem details, ``application/problem+json``.

One family of handlers: HTTP errors (werkzeug's exceptions: 400, 404, 405, 413, 415 ...),
validation errors (422, with marshmallow's messages under ``errors``), a language the core has
no grammar for (422, :class:`~timeline.languages.UnsupportedLanguage`), and a last
resort for anything unexpected (500): it logs the traceback with an id and answers
with that id only, so no traceback, exception text or file path reaches the client.
"""
from __future__ import annotations

import json
import uuid
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, Unauthorized

from timeline.languages import UnsupportedLanguage

PROBLEM_MEDIA_TYPE = "application/problem+json"
#: The 422 problem type: a reference to its section of the API's docs page.
INVALID_FIELDS_ANCHOR = "invalid-fields"
# RFC 9110's reason phrases where Python's differ (they were renamed; Python 3.13 follows).
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def title_of(status: int) -> str:
    """The status's name as RFC 9110 gives it."""
    try:
        return _TITLES.get(status) or HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def body_too_large(limit: int) -> str:
    """The detail of a 413, whether the app or the worker (api/worker.py) refuses the body."""
    return f"The request body exceeds the limit of {limit} bytes."


class InvalidRequest(Exception):
    """The request body parsed but its fields are invalid (422); ``messages`` as marshmallow gives them."""

    def __init__(self, messages: Any, detail: str = "The request body has invalid fields; see errors.") -> None:
        super().__init__(detail)
        self.messages = messages
        self.detail = detail


def problem(status: int, detail: str, *, type_: str = "about:blank", title: str | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """A problem+json response: ``title`` defaults to the status's reason phrase, as RFC 9457 asks for about:blank."""
    body = {"type": type_, "title": title or title_of(status), "status": status, "detail": detail, **extra}
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers: dict[str, str] = {}
    if isinstance(error, NotFound) and error.description == NotFound.description:  # no route, not a missing item
        detail = f"No endpoint at {request.path}; see /docs for the API's endpoints."
    elif isinstance(error, MethodNotAllowed):
        allowed = sorted(error.valid_methods or [])
        headers["Allow"] = ", ".join(allowed)
        detail = f"{request.method} is not allowed on {request.path}; allowed: {', '.join(allowed)}."
    elif status >= 500:
        detail = "The server could not handle the request."
    elif isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="timeline"'
        detail = error.description or title_of(status)
    else:
        detail = error.description or title_of(status)
    return problem(status, detail, headers=headers)


def _invalid(error: InvalidRequest | ValidationError) -> Response:
    messages = error.messages
    detail = getattr(error, "detail", "The request body has invalid fields; see errors.")
    return problem(422, detail, type_=url_for("meta.docs", _anchor=INVALID_FIELDS_ANCHOR),
                   errors=_json_keys(messages if isinstance(messages, dict) else {"_schema": messages}))


def _unsupported_language(error: UnsupportedLanguage) -> Response:
    """A language the core cannot read, should one get past validation: the request's fault, a 422."""
    return problem(422, str(error))


def _unexpected(error: Exception) -> Response:
    incident = f"urn:uuid:{uuid.uuid4()}"
    current_app.logger.error("unhandled error on %s %s (%s)", request.method, request.path, incident,
                             exc_info=error)
    return problem(500, "The server could not handle the request; the error has been logged.", instance=incident)


def _json_keys(messages: Any) -> Any:
    """marshmallow keys list positions with ints; JSON object keys are strings."""
    if isinstance(messages, dict):
        return {str(key): _json_keys(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [_json_keys(value) for value in messages]
    return messages


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InvalidRequest, _invalid)
    app.register_error_handler(ValidationError, _invalid)
    app.register_error_handler(UnsupportedLanguage, _unsupported_language)
    app.register_error_handler(Exception, _unexpected)
