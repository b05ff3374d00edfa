"""The page for people (``GET /``), its embeddable view (``GET /embed``) and the seed story
they can open (``GET /examples/seeds``).

The page is static HTML, CSS and JavaScript in ``api/static/`` (no build step); in the
browser it posts to ``POST /timeline`` like any client, so it shows exactly what the
API answers.  See docs/page.md.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest, NotFound

from stories.store import NAME_PATTERN
from timeline.documents import Document, load_documents

from .state import state

page_blueprint = Blueprint("page", __name__, static_folder="static", static_url_path="/static")

# Scripts, styles and requests only from this server; article text is never run as code.
_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors {ancestors}"


def _page(name: str, ancestors: str) -> Response:
    return _secured(page_blueprint.send_static_file(name), ancestors)


def _secured(response: Response, ancestors: str) -> Response:
    response.headers["Content-Security-Policy"] = _POLICY.format(ancestors=ancestors)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@page_blueprint.get("/")
def index() -> Response:
    """Paste or upload articles, or open the seed story, and read their timeline."""
    return _page("index.html", "'self'")


@page_blueprint.get("/embed")
def embed() -> Response:
    """The timeline alone, for an iframe: the seed story (``?story=seeds``), a stored story
    (``?story=NAME``, polled every ``poll`` seconds with its ETag) or ``postMessage`` input."""
    story = request.args.get("story")
    if story is not None and not re.match(NAME_PATTERN, story):
        raise BadRequest(f"Invalid story name {story!r}: 'seeds', or a stored story's name (letters, digits, "
                         "'.', '_', '-').")
    poll = request.args.get("poll")
    if poll is not None and not (poll.isascii() and poll.isdigit() and int(poll) >= 2):
        raise BadRequest(f"Invalid poll {poll!r}: a whole number of seconds, at least 2.")
    settings = state().settings
    # The page's script takes messages only from these sources (EMBED_ORIGINS); see docs/page.md.
    origins = f'data-origins="{escape(json.dumps(settings.embed_origins))}"'
    return _secured(Response(_embed_html().replace('data-origins=""', origins, 1), mimetype="text/html"),
                    settings.EMBED_ANCESTORS)


@lru_cache(maxsize=1)
def _embed_html() -> str:
    return (Path(__file__).parent / "static" / "embed.html").read_text(encoding="utf-8")


@page_blueprint.get("/examples/seeds")
def seed_story() -> Response:
    """The seed story as a ``POST /timeline`` request body (404 when this server has none)."""
    body = _seed_request(state().settings.SEED_DIR)
    if body is None:
        raise NotFound("This server has no seed story (see the SEED_DIR setting).")
    return jsonify(body)


def _published(document: Document) -> str | None:
    published = document.published
    if published is None:
        return None
    if published.tzinfo is None and published.time() == published.min.time():
        return published.date().isoformat()
    return published.isoformat()


_seed_cache: dict[str, dict[str, Any] | None] = {}


def _seed_request(folder: str) -> dict[str, Any] | None:
    """The documents of ``folder`` (read once per process), or None if it holds none."""
    if folder not in _seed_cache:
        documents: list[dict[str, Any]] = []
        if folder and Path(folder).is_dir():
            for document in load_documents(folder):
                if isinstance(document, Document):
                    documents.append({"id": document.id, "title": document.title, "url": document.url,
                                      "language": document.language, "text": document.text,
                                      "published": _published(document)})
        _seed_cache[folder] = {"documents": documents} if documents else None
    return _seed_cache[folder]
