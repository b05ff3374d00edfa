"""The OpenAPI 3.0 description of the API, generated with apispec from the marshmallow schemas.

``openapi.yaml`` at the repository root is this module's output for the default
settings; a test fails when the committed file differs from what the code generates.
Regenerate it after changing a schema, an endpoint or a default limit::

    python -m api.openapi            # rewrite openapi.yaml
    python -m api.openapi --check    # exit 1 if openapi.yaml is out of date

A running server serves the same document for its own limits at ``GET /openapi.yaml``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema

from stories.store import NAME_PATTERN
from timeline import __version__
from timeline.languages import supported_languages

from . import schemas
from .config import Settings
from .errors import PROBLEM_MEDIA_TYPE
from .negotiation import NAMES
from .story_openapi import add_story_paths

OPENAPI_VERSION = "3.0.3"
SPEC_FILE = Path(__file__).resolve().parents[1] / "openapi.yaml"

DESCRIPTION = """\
Temporal tagging of news and a merged event timeline, over HTTP.

`POST /timeline` takes articles about one story and returns one ordered timeline of
events (the structure of `timeline build --format json`); `POST /timexes` returns the
temporal expressions of texts, resolved against their publication dates.

Every error is RFC 9457 problem details (`application/problem+json`): `type`, `title`,
`status`, `detail`, and on 422 the invalid fields under `errors`. Request bodies are
JSON (`Content-Type: application/json`); unknown fields are refused.
"""

_ERRORS = {
    400: "The body is not valid JSON, or the query names an unknown format or story.",
    401: "A key is needed: send Authorization: Bearer KEY (the server has API_KEYS or READ_KEYS).",
    413: "The body is larger than the server's limit (MAX_BODY_BYTES).",
    415: "The body is not declared as JSON (Content-Type: application/json).",
    404: "Nothing here: no such endpoint, or no seed story on this server.",
    406: "No offered representation matches the Accept header (or XML was asked for several documents).",
    408: "The request was not received in whole within the server's READ_TIMEOUT.",
    422: "Invalid fields: missing or unknown fields, wrong types, invalid dates, limits exceeded; "
         "the messages are under `errors`.",
    500: "Unexpected server error; the response carries an id (`instance`) to find it in the server log.",
}


def _schema_name(schema: type[Schema] | Schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__.removesuffix("Schema")


def _problem_responses(*statuses: int) -> dict[str, Any]:
    return {str(status): {"$ref": f"#/components/responses/Problem{status}"} for status in statuses}


def _json_content(schema: str, media_type: str = "application/json", example: Any = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{schema}"}}
    if example is not None:
        content["example"] = example
    return {media_type: content}


CACHE_HEADER = {"X-Timeline-Cache": {
    "description": "hit: the answer was kept from an identical earlier request (same path, same body bytes) "
                   "by the worker that answered; miss: it was computed.",
    "schema": {"type": "string", "enum": ["hit", "miss"]}}}

DOWNLOAD_HEADERS = {**CACHE_HEADER, "Content-Disposition": {
    "description": "For the export formats: attachment with a file name (timeline.csv, timeline.ics ...).",
    "schema": {"type": "string"}}}
FORMAT_PARAMETER = {
    "name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": list(NAMES)},
    "description": "The representation of the timeline; takes precedence over the Accept header. json (default): "
                   "the timeline document; timelinejs: TimelineJS3 JSON; csv: one row per mention; ics: "
                   "iCalendar; timeml: the documents with inline TIMEX3 tags (XML for one document, a ZIP "
                   "archive of .tml files for several). See docs/formats.md."}
_TEXT = {"schema": {"type": "string"}}
_EXPORT_CONTENT = {
    "application/vnd.timeline.timelinejs+json": {"schema": {"type": "object", "properties": {
        "events": {"type": "array", "items": {"type": "object"}}}}},
    "text/csv": _TEXT,
    "text/calendar": _TEXT,
    "application/xml": _TEXT,
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
}

TIMELINE_EXAMPLE = {
    "documents": [
        {"id": "a1", "published": "2024-05-16", "title": "Tariffs",
         "text": "On Tuesday the Biden administration announced tariffs on Chinese goods."},
        {"id": "a2", "published": "2024-05-17",
         "text": "The tariffs were announced on Tuesday by the Biden administration."},
    ],
    "options": {"merge_threshold": 0.2},
}
TIMEXES_EXAMPLE = {"documents": [{"id": "a1", "text": "On Friday they will head to Harbin.",
                                  "published": "2024-05-16"}]}
#: What marshmallow checks in code and apispec cannot see: a TimexesRequest has documents or texts, one of them.
_SCHEMA_EXTRAS = {"TimexesRequest": {"oneOf": [{"required": ["documents"]}, {"required": ["texts"]}]}}


ONE_SOURCE = {"anyOf": [{"required": ["text"]}, {"required": ["html"]}], "not": {"required": ["text", "html"]}}


def limits_of(settings: Settings) -> schemas.Limits:
    return schemas.Limits(settings.MAX_DOCUMENTS, settings.MAX_CHARS, settings.MAX_TOTAL_CHARS, supported_languages())


def build_spec(settings: Settings | None = None) -> APISpec:
    """The API's OpenAPI document for ``settings`` (the defaults when None)."""
    settings = settings or Settings()
    built = schemas.request_schemas(limits_of(settings))
    spec = APISpec(
        title="Timeline API", version=__version__, openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={"description": DESCRIPTION},
        tags=[{"name": "timeline", "description": "Timelines and temporal expressions"},
              {"name": "service", "description": "Health, contract and documentation"},
              {"name": "page", "description": "The timeline page for people and its embeddable view"},
              {"name": "stories", "description": "Stored stories that grow article by article (docs/stories.md)"}],
    )
    for schema in (built.timeline, built.timexes, schemas.TimelineSchema, schemas.TimexesResponseSchema,
                   schemas.HealthSchema, schemas.ProblemSchema):
        name = _schema_name(schema)
        spec.components.schema(name, _SCHEMA_EXTRAS.get(name), schema=schema)
    for name in ("Document", "TextInput"):  # text or html, never both (a url alone only where the server fetches)
        spec.components.schemas[name].update(ONE_SOURCE)
    for status, description in _ERRORS.items():
        spec.components.response(f"Problem{status}", {
            "description": description, "content": _json_content("Problem", PROBLEM_MEDIA_TYPE)})

    limits = (f"Limits: {settings.MAX_DOCUMENTS} documents per request, {settings.MAX_CHARS} characters per "
              f"text, {settings.MAX_TOTAL_CHARS} characters of text per request, {settings.MAX_BODY_BYTES} "
              f"bytes of body.")
    spec.path(path="/timeline", operations={"post": {
        "tags": ["timeline"], "operationId": "buildTimeline", "summary": "Build the merged timeline of articles",
        "description": "Extracts event mentions from each document, merges those that report the same "
                       "happening (dates compatible, content alike; `options` tunes the thresholds) and "
                       "orders them. The response has the structure of `timeline build --format json`; "
                       "`?format=` or the Accept header asks for an export format instead (text/csv, "
                       "text/calendar, application/vnd.timeline.timelinejs+json, application/xml for one "
                       "document's TimeML, application/zip for the TimeML of all). " + limits,
        "parameters": [FORMAT_PARAMETER],
        "requestBody": {"required": True, "content": _json_content("TimelineRequest", example=TIMELINE_EXAMPLE)},
        "responses": {"200": {"description": "The timeline: events, documents, warnings; or its export.",
                              "headers": DOWNLOAD_HEADERS,
                              "content": {**_json_content("Timeline"), **_EXPORT_CONTENT}},
                      **_problem_responses(400, 406, 408, 413, 415, 422, 500)},
    }})
    spec.path(path="/timexes", operations={"post": {
        "tags": ["timeline"], "operationId": "extractTimexes", "summary": "Extract the timexes of texts",
        "description": "Finds the temporal expressions of each text and resolves them against its "
                       "publication date; the results are in request order. " + limits,
        "requestBody": {"required": True, "content": _json_content("TimexesRequest", example=TIMEXES_EXAMPLE)},
        "responses": {"200": {"description": "The timexes of each text.",
                              "headers": CACHE_HEADER, "content": _json_content("TimexesResponse")},
                      **_problem_responses(400, 408, 413, 415, 422, 500)},
    }})
    spec.path(path="/health", operations={"get": {
        "tags": ["service"], "operationId": "health", "summary": "Liveness and version",
        "responses": {"200": {"description": "The server is up and its pipeline loaded.",
                              "content": _json_content("Health")}, **_problem_responses(500)},
    }})
    spec.path(path="/openapi.yaml", operations={"get": {
        "tags": ["service"], "operationId": "openapi", "summary": "This document",
        "responses": {"200": {"description": "The OpenAPI document, for this server's limits.",
                              "content": {"application/yaml": {"schema": {
                                  "type": "object", "description": "An OpenAPI 3.0 document, in YAML."}}}},
                      **_problem_responses(500)},
    }})
    spec.path(path="/docs", operations={"get": {
        "tags": ["service"], "operationId": "docs", "summary": "Human-readable documentation",
        "responses": {"200": {"description": "An HTML page on the endpoints, with curl examples.",
                              "content": {"text/html": {"schema": {"type": "string"}}}},
                      **_problem_responses(500)},
    }})
    _html = {"content": {"text/html": {"schema": {"type": "string"}}}}
    spec.path(path="/", operations={"get": {
        "tags": ["page"], "operationId": "page", "summary": "The timeline page for people",
        "description": "Paste or upload articles with their publication dates, or open the seed story, and "
                       "read the merged timeline with its evidence. Static HTML that calls POST /timeline.",
        "responses": {"200": {"description": "The page.", **_html}, **_problem_responses(500)},
    }})
    spec.path(path="/embed", operations={"get": {
        "tags": ["page"], "operationId": "embed", "summary": "The timeline view for an iframe",
        "description": "Draws the timeline of the articles an embedding page sends with postMessage "
                       "({type: 'timeline', documents: [...]}), of the seed story with ?story=seeds, or of a "
                       "stored story with ?story=NAME, refreshed every ?poll= seconds (default 30) with its ETag. "
                       "Messages are taken only from the origins of the server's EMBED_ORIGINS, and only "
                       "the pages of EMBED_ANCESTORS may frame it (by default: this server's own).",
        "parameters": [{"name": "story", "in": "query", "required": False,
                        "schema": {"type": "string", "pattern": NAME_PATTERN, "maxLength": 200},
                        "description": "seeds: the seed story; another name: that stored story."},
                       {"name": "poll", "in": "query", "required": False,
                        "schema": {"type": "integer", "minimum": 2},
                        "description": "Seconds between two checks of a stored story (default 30)."}],
        "responses": {"200": {"description": "The embeddable view.", **_html}, **_problem_responses(400, 500)},
    }})
    spec.path(path="/examples/seeds", operations={"get": {
        "tags": ["page"], "operationId": "seedStory", "summary": "The seed story, as a request body",
        "description": "The articles of the server's seed story (SEED_DIR), ready to post to /timeline.",
        "responses": {"200": {"description": "A TimelineRequest body.", "content": _json_content("TimelineRequest")},
                      **_problem_responses(404, 500)},
    }})
    add_story_paths(spec, settings, limits_of(settings), _problem_responses, _json_content, FORMAT_PARAMETER)
    return spec


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so the committed file reads like the text it holds;
    no anchors and aliases for repeated parts."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)
_TOP_LEVEL = ("openapi", "info", "tags", "paths", "components")


def _nullable_refs(node: Any) -> Any:
    """apispec writes a nullable nested schema as ``anyOf: [$ref, {type: object, nullable: true}]``,
    which admits any object; ``nullable: true`` with ``allOf: [$ref]`` says "that schema or null"."""
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    options = node.get("anyOf")
    if (isinstance(options, list) and len(options) == 2 and set(options[0]) == {"$ref"}
            and options[1] == {"type": "object", "nullable": True}):
        node = {key: value for key, value in node.items() if key != "anyOf"}
        node.update({"nullable": True, "allOf": [options[0]]})
    return {key: _nullable_refs(value) for key, value in node.items()}


def spec_dict(settings: Settings | None = None) -> dict[str, Any]:
    """The OpenAPI document as a dict, its top-level keys in reading order."""
    document = _nullable_refs(build_spec(settings).to_dict())
    return {**{key: document[key] for key in _TOP_LEVEL if key in document}, **document}


def spec_yaml(settings: Settings | None = None) -> str:
    """The OpenAPI document as YAML, in a stable form (key order as built)."""
    return yaml.dump(spec_dict(settings), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_spec(path: Path = SPEC_FILE) -> bool:
    """Write the default settings' document to ``path``; whether the file changed."""
    text = spec_yaml()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.openapi", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=SPEC_FILE, help=f"default: {SPEC_FILE}")
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != spec_yaml():
            print(f"{args.path} is out of date: run python -m api.openapi", file=sys.stderr)
            return 1
        print(f"{args.path} is up to date")
        return 0
    print(f"{args.path} {'written' if write_spec(args.path) else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
