"""marshmallow schemas of the stored-story endpoints (``/stories``); see docs/stories.md.

Documents are those of ``POST /timeline``, the same schema (text, html or, where the server
fetches, a url alone), under the same limits.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from marshmallow import Schema, fields, post_load, validate, validates_schema

from stories.store import NAME_PATTERN
from timeline.documents import Document

from .schemas import (
    Limits,
    Text,
    TimelineSchema,
    UrlDocument,
    _Strict,
    check_total,
    check_unique_ids,
    request_schemas,
)


class StoryRequestSchema(_Strict):
    """A story's title and description (PUT creates the story or replaces them)."""

    title = Text(load_default=None, allow_none=True, validate=validate.Length(max=1000),
                 metadata={"example": "Putin's state visit to Beijing"})
    description = Text(load_default=None, allow_none=True, validate=validate.Length(max=10_000))


class StorySchema(Schema):
    class Meta:
        ordered = True

    name = fields.String(required=True, metadata={"example": "putin-beijing"})
    title = fields.String(required=True, allow_none=True)
    description = fields.String(required=True, allow_none=True)
    documents = fields.Integer(required=True, metadata={"description": "How many documents the story holds."})
    events = fields.Integer(required=True, metadata={"description": "How many events its timeline has."})
    updated = fields.String(required=True, metadata={"description": "When it last changed (ISO 8601, UTC).",
                                                     "example": "2024-05-16T09:30:00.000000Z"})


class StoriesSchema(Schema):
    class Meta:
        ordered = True

    stories = fields.List(fields.Nested(StorySchema), required=True)


class DocumentChangesSchema(Schema):
    """What a POST of documents did, by document id."""

    class Meta:
        ordered = True

    added = fields.List(fields.String(), required=True, metadata={"description": "New ids."})
    updated = fields.List(fields.String(), required=True, metadata={
        "description": "Ids whose content changed: the new version replaced the old one."})
    unchanged = fields.List(fields.String(), required=True, metadata={
        "description": "Ids sent again with the same content: nothing was done."})
    story = fields.Nested(StorySchema, required=True)


class StoryTimelineSchema(TimelineSchema):
    """The stored story's timeline (the structure of POST /timeline); with ``since``, only the events
    changed since then, and ``removed``.  Its dates are written in English: a stored story has no
    ``labels`` choice yet."""

    class Meta:
        ordered = True
        exclude = ("labels",)

    removed = fields.List(fields.String(), metadata={
        "description": "present with ?since=: ids of events gone since then (merged into another, or "
                       "their documents removed)"})


@lru_cache(maxsize=8)
def story_documents_schema(limits: Limits) -> type[Schema]:
    """Documents to add to a story: each one exactly as ``POST /timeline`` takes it (the same schema)."""
    document = request_schemas(limits).document

    class StoryDocumentsRequestSchema(_Strict):
        """Documents to add to a story, or to replace by id."""

        documents = fields.List(fields.Nested(document), required=True, validate=validate.Length(
            min=1, max=limits.max_documents, error=f"Must hold between 1 and {limits.max_documents} documents."))

        @validates_schema(skip_on_field_errors=True)
        def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
            check_unique_ids(data["documents"], "documents")
            check_total(data["documents"], "documents", limits.max_total_chars)

        @post_load(pass_original=True)
        def _submissions(self, data: dict[str, Any], original: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            """Each document with the HTML it was read from, when it came as html (the store keeps it)."""
            return {"documents": [StoryDocument(document, record.get("html"))
                                  for document, record in zip(data["documents"], original["documents"], strict=True)]}

    return StoryDocumentsRequestSchema


@dataclass(frozen=True)
class StoryDocument:
    """A checked document of a story request: read (or, given by its url alone, to be fetched)."""

    document: Document | UrlDocument
    html: str | None


STORY_NAME_PARAMETER = {"name": "story", "in": "path", "required": True,
                        "schema": {"type": "string", "pattern": NAME_PATTERN, "maxLength": 200},
                        "description": "The story's name: letters, digits, '.', '_' and '-'."}
STORY = StorySchema()
STORIES = StoriesSchema()
CHANGES = DocumentChangesSchema()
