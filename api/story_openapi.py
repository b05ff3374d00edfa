"""The stored-story endpoints in the OpenAPI document (added to api.openapi's by ``add_story_paths``)."""
from __future__ import annotations

from typing import Any

from apispec import APISpec

from . import story_schemas
from .config import Settings
from .schemas import ABOUT_PROPERTY, Limits

_AUTH_NOTE = ("Needs `Authorization: Bearer KEY` when the server has write keys (API_KEYS); "
              "401 without one.")
_READ_NOTE = "Open unless the server has read keys (READ_KEYS): then `Authorization: Bearer KEY`."
STORY_EXAMPLE = {"title": "Putin's state visit to Beijing", "description": "Articles of 16-17 May 2024"}
DOCUMENTS_EXAMPLE = {"documents": [
    {"id": "a1", "published": "2024-05-16", "title": "Tariffs",
     "text": "On Tuesday the Biden administration announced tariffs on Chinese goods."},
    {"id": "a2", "published": "2024-05-17",
     "html": "<p>The tariffs were announced on Tuesday by the Biden administration.</p>"}]}


def add_story_paths(spec: APISpec, settings: Settings, limits: Limits, problems: Any, json_content: Any,
                    format_parameter: dict[str, Any]) -> None:
    """``problems(*statuses)`` and ``json_content(name)`` are api.openapi's helpers."""
    documents = story_schemas.story_documents_schema(limits)
    for schema in (story_schemas.StoryRequestSchema, story_schemas.StorySchema, story_schemas.StoriesSchema,
                   story_schemas.DocumentChangesSchema, story_schemas.StoryTimelineSchema, documents):
        cls = schema if isinstance(schema, type) else type(schema)
        spec.components.schema(cls.__name__.removesuffix("Schema"), schema=schema)
    name: dict[str, Any] = story_schemas.STORY_NAME_PARAMETER
    document: dict[str, Any] = {"name": "document", "in": "path", "required": True,
                                "schema": {"type": "string", "minLength": 1}, "description": "The document's id."}
    etag = {"ETag": {"description": "A strong validator of the timeline's content: send it back in If-None-Match.",
                     "schema": {"type": "string"}},
            "Cache-Control": {"schema": {"type": "string"}}}
    spec.path(path="/stories", operations={"get": {
        "tags": ["stories"], "operationId": "listStories", "summary": "The stored stories",
        "description": _READ_NOTE,
        "responses": {"200": {"description": "Every story, by name.", "content": json_content("Stories")},
                      **problems(401, 500)}}})
    spec.path(path="/stories/{story}", parameters=[name], operations={
        "put": {"tags": ["stories"], "operationId": "putStory", "summary": "Create a story, or set its title",
                "description": _AUTH_NOTE,
                "requestBody": {"required": True, "content": json_content("StoryRequest", example=STORY_EXAMPLE)},
                "responses": {"201": {"description": "Created.", "content": json_content("Story")},
                              "200": {"description": "Its title and description replaced.",
                                      "content": json_content("Story")},
                              **problems(400, 401, 404, 413, 415, 422, 500)}},
        "get": {"tags": ["stories"], "operationId": "getStory", "summary": "A story: title, documents, events",
                "description": _READ_NOTE,
                "responses": {"200": {"description": "The story.", "content": json_content("Story")},
                              **problems(401, 404, 500)}},
        "delete": {"tags": ["stories"], "operationId": "deleteStory", "summary": "Delete a story and its documents",
                   "description": _AUTH_NOTE,
                   "responses": {"204": {"description": "Deleted."}, **problems(401, 404, 500)}}})
    spec.path(path="/stories/{story}/documents", parameters=[name], operations={"post": {
        "tags": ["stories"], "operationId": "addStoryDocuments", "summary": "Add articles to a story",
        "description": "Documents as for POST /timeline (the same Document). Idempotent by id: "
                       "the same content changes nothing, new content replaces the stored version. Only the new "
                       "and changed documents are analysed; their mentions are merged into the story's events. "
                       + _AUTH_NOTE,
        "requestBody": {"required": True, "content": json_content("StoryDocumentsRequest",
                                                                  example=DOCUMENTS_EXAMPLE)},
        "responses": {"200": {"description": "What was added, updated or unchanged, and the story.",
                              "content": json_content("DocumentChanges")},
                      **problems(400, 401, 404, 413, 415, 422, 500)}}})
    spec.path(path="/stories/{story}/documents/{document}", parameters=[name, document], operations={"delete": {
        "tags": ["stories"], "operationId": "deleteStoryDocument", "summary": "Remove an article from a story",
        "description": "Its mentions leave the story's events, which are merged again. " + _AUTH_NOTE,
        "responses": {"204": {"description": "Removed."}, **problems(401, 404, 500)}}})
    spec.path(path="/stories/{story}/timeline", parameters=[name], operations={"get": {
        "tags": ["stories"], "operationId": "storyTimeline", "summary": "A story's timeline",
        "description": "The structure of POST /timeline, or an export format (`?format=` or Accept: json, "
                       "timelinejs, csv, ics). A strong ETag comes with it: If-None-Match answers 304 while it "
                       "has not changed. `?since=` gives only the events changed after that moment, and the "
                       "ids of events removed since under `removed`. `?about=` keeps the events an entity takes "
                       "part in, as for POST /timeline. " + _READ_NOTE,
        "parameters": [{**format_parameter, "schema": {"type": "string",
                                                       "enum": ["json", "timelinejs", "csv", "ics"]}},
                       {"name": "about", "in": "query", "required": False, "style": "form", "explode": True,
                        "schema": ABOUT_PROPERTY["oneOf"][1],
                        "description": f"Repeatable (`?about=Putin&about=Xi`). {ABOUT_PROPERTY['description']} "
                                       "The events keep the story's ids; the ETag differs for each set of names."},
                       {"name": "since", "in": "query", "required": False,
                        "schema": {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]},
                        "description": "ISO 8601 date or date-time (UTC when no offset): only what changed after."},
                       {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                        "description": "The ETag of a timeline already held."}],
        "responses": {"200": {"description": "The timeline.", "headers": etag,
                              "content": {**json_content("StoryTimeline"),
                                          "application/vnd.timeline.timelinejs+json": {"schema": {"type": "object"}},
                                          "text/csv": {"schema": {"type": "string"}},
                                          "text/calendar": {"schema": {"type": "string"}}}},
                      "304": {"description": "Not modified: the timeline still has the ETag sent.", "headers": etag},
                      **problems(400, 401, 404, 406, 500)}}})
