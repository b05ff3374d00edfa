"""marshmallow schemas of the stored-story endpoints (``/stories``); see docs/stories.md.

Documents are shaped as for ``POST /timeline``, with ``html`` allowed in place of ``text``
(the readable text is taken from it).  The limits are the API's: documents per request,
characters per text (of the HTML as sent), characters per request.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from stories.store import NAME_PATTERN, Submission

from .schemas import PUBLISHED_PROPERTY, Limits, Published, Text, TimelineSchema, _Strict

TEXT_LIMIT_FIELDS = ("text", "html")


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
    changed since then, and ``removed``."""

    removed = fields.List(fields.String(), metadata={
        "description": "present with ?since=: ids of events gone since then (merged into another, or "
                       "their documents removed)"})


@lru_cache(maxsize=8)
def story_documents_schema(limits: Limits) -> type[Schema]:
    text_length = validate.Length(max=limits.max_chars,
                                  error=f"Longer than the limit of {limits.max_chars} characters per text.")

    class StoryDocumentSchema(_Strict):
        """One article: ``text``, or ``html`` to read the text from; ``id`` names it in the story."""

        id = Text(required=True, validate=validate.Length(min=1, max=1000), metadata={"example": "a1"})
        text = Text(validate=text_length, metadata={
            "description": f"The article's text, at most {limits.max_chars} characters; give text or html.",
            "example": "On Tuesday the ministry announced new tariffs."})
        html = Text(validate=text_length, metadata={
            "description": "The article as an HTML page, in place of text: its readable text is kept."})
        published = Published(load_default=None, allow_none=True, metadata=PUBLISHED_PROPERTY)
        title = Text(load_default=None, allow_none=True)
        url = Text(load_default=None, allow_none=True)
        language = Text(load_default="en", validate=validate.OneOf(
            limits.languages, error="Unsupported language {input!r}: supported are {choices}."))

        @validates_schema(skip_on_field_errors=True)
        def _one_source(self, data: dict[str, Any], **kwargs: Any) -> None:
            if ("text" in data) == ("html" in data):
                raise ValidationError("Give the article's text or its html, one of the two.", "text")

        @post_load
        def _submission(self, data: dict[str, Any], **kwargs: Any) -> Submission:
            return Submission.of(data)

    class StoryDocumentsRequestSchema(_Strict):
        """Documents to add to a story, or to replace by id."""

        documents = fields.List(fields.Nested(StoryDocumentSchema), required=True, validate=validate.Length(
            min=1, max=limits.max_documents, error=f"Must hold between 1 and {limits.max_documents} documents."))

        @validates_schema(skip_on_field_errors=True)
        def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
            seen: set[str] = set()
            total = 0
            for submission in data["documents"]:
                if submission.document.id in seen:
                    raise ValidationError(f"Document ids must be unique; {submission.document.id!r} is repeated.",
                                          "documents")
                seen.add(submission.document.id)
                total += len(submission.html if submission.html is not None else submission.document.text)
            if total > limits.max_total_chars:
                raise ValidationError(f"The texts hold {total} characters together; the limit per request is "
                                      f"{limits.max_total_chars}.", "documents")

    return StoryDocumentsRequestSchema


STORY_NAME_PARAMETER = {"name": "story", "in": "path", "required": True,
                        "schema": {"type": "string", "pattern": NAME_PATTERN, "maxLength": 200},
                        "description": "The story's name: letters, digits, '.', '_' and '-'."}
STORY = StorySchema()
STORIES = StoriesSchema()
CHANGES = DocumentChangesSchema()
