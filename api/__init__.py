"""The Flask JSON API of ``timeline``: ``POST /timeline``, ``POST /timexes``, ``/health``,
``/openapi.yaml`` and ``/docs``, and the page for people at ``/`` and ``/embed``.
See ``docs/api.md`` and ``docs/page.md``.

>>> app = create_app({"MAX_DOCUMENTS": 10})
>>> app.test_client().get("/health").json["status"]
'ok'

In production run it under gunicorn with ``timeline serve`` (or
``gunicorn 'api:create_app()'``); ``flask --app api run`` is for development only.
"""
from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from timeline.languages import supported_languages, warm_identifier
from timeline.registry import get_extractor
from timeline.syntax import SyntaxPipelineError, default_parser

from .config import ConfigError, Settings, load_settings
from .errors import register_error_handlers
from .page import page_blueprint
from .routes import meta_blueprint, timeline_blueprint
from .schemas import Limits
from .state import EXTENSION, ApiState
from .stories import stories_blueprint

__all__ = ["ConfigError", "Settings", "create_app"]

#: The paths browsers on CORS_ORIGINS may call (the API's; not the page, whose scripts are this server's own).
CORS_PATHS = r"^/(timeline|timexes|health|openapi\.yaml)$"


class _KeyOrderJSON(DefaultJSONProvider):
    """Flask's JSON with the core's key order kept: the same document as ``timeline build --format json``."""

    sort_keys = False


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The API as a WSGI app.

    ``config`` overrides the ``TIMELINE_*`` environment variables, which override the
    defaults (see :class:`api.config.Settings`); invalid values raise :class:`ConfigError`.
    The English pipeline is built here, once per process (a gunicorn worker creates its
    app once), and shared by all requests.
    """
    settings = load_settings(config)
    extractor = get_extractor("en")
    longest = extractor.nlp.max_length
    if settings.MAX_CHARS > longest:
        raise ConfigError(f"MAX_CHARS ({settings.MAX_CHARS}) exceeds {longest}, the longest text the "
                          "timeline pipeline takes in one piece")
    app = Flask(__name__)
    # werkzeug's own bound on what it reads; one byte over the limit shows a chunked body is too
    # large (api.routes.raw_body answers 413 with the limit in the message).
    app.config["MAX_CONTENT_LENGTH"] = settings.MAX_BODY_BYTES + 1
    app.json = _KeyOrderJSON(app)
    app.extensions[EXTENSION] = ApiState(settings, Limits(settings.MAX_DOCUMENTS, settings.MAX_CHARS,
                                                          settings.MAX_TOTAL_CHARS, supported_languages(),
                                                          fetch_urls=settings.FETCH_URLS))
    warm_identifier()  # language identification's model, loaded once per process like the pipeline
    try:
        default_parser()  # the event layer's parser (TIMELINE_PARSER), loaded once per process, not on a request
    except SyntaxPipelineError as error:
        raise ConfigError(str(error)) from error
    if settings.CORS_ORIGINS:
        _allow_cross_origin(app, settings.CORS_ORIGINS)
    register_error_handlers(app)
    app.register_blueprint(timeline_blueprint)
    app.register_blueprint(meta_blueprint)
    app.register_blueprint(page_blueprint)
    app.register_blueprint(stories_blueprint)
    _freeze_loaded()
    return app


def _freeze_loaded() -> None:
    """What is loaded once per process (pipelines, grammars, parser: hundreds of thousands of
    objects) lives as long as it does: leave it out of the cyclic garbage collector's full
    collections, which otherwise scan it all, a pause of 100-200 ms in a request every few
    requests.  Once per process (the first app)."""
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()


def _allow_cross_origin(app: Flask, origins: str) -> None:
    """CORS for the API's paths: browsers on ``origins`` may post JSON and read the answers, with
    the headers that name a download and tell a cached answer; preflights are kept for 10 minutes."""
    from flask_cors import CORS

    anyone = origins == "*"
    CORS(app, resources={CORS_PATHS: {}}, origins="*" if anyone else origins.split(), send_wildcard=anyone,
         methods=["GET", "POST", "OPTIONS"], allow_headers=["Content-Type", "Accept"],
         expose_headers=["Content-Disposition", "X-Timeline-Cache"], max_age=600)
