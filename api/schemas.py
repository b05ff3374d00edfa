"""marshmallow schemas of every request and response body; ``openapi.yaml`` is generated from them.

Request schemas reject unknown fields (``unknown = RAISE``) and depend on the
configured limits (documents per request, characters per text), so they are built
per set of limits by :func:`request_schemas`.  Response schemas describe exactly what
the core's ``to_dict()`` methods produce; responses are serialized through them, so
the published contract and the bytes sent cannot drift apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from timeline.chronology import BuildOptions
from timeline.dating import BASES
from timeline.documents import Document, html_document, parse_published, text_document
from timeline.entities import MAX_NAME_LENGTH, check_names
from timeline.predicates import EVENT_CLASSES
from timeline.timexes import GRANULARITIES, TIMEX_TYPES
from timeline.webpages import PUBLISHED_SOURCES

_SURROGATE = re.compile("[\ud800-\udfff]")
DIRECTIONS = ("past", "future", "same")


# -- fields ---------------------------------------------------------------------------------

class Text(fields.String):
    """A string that is valid Unicode: JSON's ``"\\ud800"`` escapes can smuggle in lone surrogates."""

    default_error_messages = {
        "surrogate": "Contains an unpaired surrogate (\\u{code:04x}), which is not valid Unicode."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        bad = _SURROGATE.search(text)
        if bad:
            raise self.make_error("surrogate", code=ord(bad.group()))
        return text


class Number(fields.Float):
    """A JSON number: unlike ``fields.Float``, strings ("0.5") and booleans are refused."""

    def _validated(self, value: Any) -> Any:
        if isinstance(value, (str, bool, bytes)):
            raise self.make_error("invalid")
        return super()._validated(value)


class Published(fields.Field):
    """A publication date: ``YYYY-MM-DD`` or an ISO 8601 date-time; ``null`` when unknown.

    Parsed by :func:`timeline.documents.parse_published`, so the API accepts what the
    library and the command line accept, and reports its message ("month must be in
    1..12").  The empty string, which the file readers take for "unknown", is refused
    here: JSON has ``null`` for that.
    """

    default_error_messages = {
        "type": "Not a valid date: expected a YYYY-MM-DD or ISO 8601 date-time string.",
        "blank": "Not a valid date: use null, or leave the field out, when the date is unknown.",
        "invalid": "{message}",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime | None:
        if not isinstance(value, str):
            raise self.make_error("type")
        if not value or value != value.strip():
            raise self.make_error("blank" if not value.strip() else "type")
        try:
            return parse_published(value)
        except ValueError as error:
            raise self.make_error("invalid", message=str(error)) from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value


MAX_ENTITIES = 20


class EntityNames(fields.Field):
    """``about``: one entity name or a list of them, checked by :func:`timeline.entities.check_names`
    (the command line's ``--about`` accepts the same names)."""

    default_error_messages = {"invalid": "{message}"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        try:
            names = check_names(value)
        except ValueError as error:
            raise self.make_error("invalid", message=str(error)) from None
        if len(names) > MAX_ENTITIES:
            raise self.make_error("invalid", message=f"At most {MAX_ENTITIES} names, not {len(names)}.")
        return names


#: How openapi.py documents the ``about`` field (OpenAPI 3.0: a string or an array of strings).
ABOUT_PROPERTY = {
    "oneOf": [{"type": "string", "pattern": r"\S", "maxLength": MAX_NAME_LENGTH},
              {"type": "array", "minItems": 1, "maxItems": MAX_ENTITIES,
               "items": {"type": "string", "pattern": r"\S", "maxLength": MAX_NAME_LENGTH}}],
    "description": "Keep only the events these entities take part in: a name or a list of names, each found by "
                   "itself, a short form (\"Boeing\" for \"Boeing Co.\"), a surname (\"Putin\"), initials "
                   "(\"EU\" for \"European Union\") or a possessive (\"Airbus's\"); aliases after | "
                   "(\"Airbus|the European planemaker\"). The timeml format has no events: about does not apply to it. "
                   "See docs/timeline.md#entity-timelines.",
    "example": ["Vladimir Putin"],
}

#: How openapi.py documents a Published field (OpenAPI 3.0: nullable string, date or date-time).
PUBLISHED_PROPERTY = {
    "type": "string",
    "nullable": True,
    "anyOf": [{"format": "date"}, {"format": "date-time"}],
    "description": "Publication date, the anchor of relative expressions (\"on Tuesday\"): YYYY-MM-DD or an "
                   "ISO 8601 date-time (2024-05-16T09:30, 2024-05-16T09:30:00+02:00). null or absent when "
                   "unknown: relative expressions then stay underspecified.",
    "example": "2024-05-16",
}


class _Strict(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


# -- requests -------------------------------------------------------------------------------

HTML_PROPERTY = {
    "type": "string",
    "description": "The article as a web page: its main text is read (navigation, cookie banners, share labels "
                   "and comments left out), with its title, author, site and publication date (published_source "
                   "says where the date was found; a given published overrides it). See docs/input.md.",
    "example": "<html><head><meta property=\"article:published_time\" content=\"2024-05-16\"></head>"
               "<body><article><p>On Tuesday the ministry announced new tariffs.</p></article></body></html>",
}
URL_PROPERTY = {
    "type": "string",
    "nullable": True,
    "description": "The article's address. Given alone (no text, no html), the server fetches the page, "
                   "where fetching is on (TIMELINE_FETCH_URLS; off by default): see docs/api.md.",
    "example": "https://example.org/news/2024/05/16/tariffs",
}
LANGUAGE_PROPERTY = {
    "description": "Language of the text (its grammar); the documents of one timeline may differ. When absent it "
                   "is identified from the text; a document identified in a language without a grammar gets a "
                   "warning, and only its absolute dates where dateparser knows the language (docs/languages.md).",
}

LABELS_PROPERTY = {
    "description": "The language the timeline's dates are written in for people (\"16 de mayo de 2024\", "
                   "\"16. Mai 2024\"). By default the documents' own language when they all share one, else en. "
                   "Each mention's timex label is in the same language. See docs/languages.md.",
    "example": "es",
}


def _check_source(data: dict[str, Any], fetch_urls: bool) -> None:
    """A document is text, or html, or (where the server fetches) a url alone."""
    given = [name for name in ("text", "html") if name in data]
    if len(given) > 1:
        raise ValidationError("Give text or html, not both.", "html")
    if given:
        return
    if data.get("url") is None:
        raise ValidationError("Missing data for required field. Give text, html or url.", "text")
    if not fetch_urls:
        raise ValidationError("This server does not fetch pages (TIMELINE_FETCH_URLS is off): send the page's "
                              "html or its text.", "url")


def _document(data: dict[str, Any]) -> Document | UrlDocument:
    """The Document a checked request document stands for (a page's problems are its warnings)."""
    fields = {key: data[key] for key in ("published", "title", "url", "language") if data.get(key) is not None}
    if "text" in data:
        return text_document(data["id"], data["text"], fields, None)
    if "html" not in data:
        return UrlDocument(data["id"], data["url"], fields)
    return html_document(data["id"], data["html"], fields, None)


def _threshold(default: float, description: str) -> Number:
    """A similarity threshold in (0, 1]; OpenAPI 3.0 states the open lower end as exclusiveMinimum."""
    return Number(load_default=default, allow_nan=False, validate=validate.Range(min=0, max=1, min_inclusive=False),
                  metadata={"exclusiveMinimum": True, "description": description})


class BuildOptionsSchema(_Strict):
    """Thresholds of the merging rule (see docs/timeline.md); each in (0, 1]."""

    merge_threshold = _threshold(BuildOptions.merge_threshold,
                                 "Similarity at which two mentions with overlapping dates are one event.")
    conflict_threshold = _threshold(BuildOptions.conflict_threshold,
                                    "Similarity at which mentions from different documents with incompatible "
                                    "dates are one event, marked conflicting.")
    support_threshold = _threshold(BuildOptions.support_threshold,
                                   "Similarity at which an undated sentence supports an event.")

    @post_load
    def _options(self, data: dict[str, Any], **kwargs: Any) -> BuildOptions:
        return BuildOptions(**data)


@dataclass(frozen=True)
class Limits:
    max_documents: int
    max_chars: int
    max_total_chars: int
    languages: tuple[str, ...]
    #: Whether a document may be given by its ``url`` alone, for the server to fetch (FETCH_URLS).
    fetch_urls: bool = False


@dataclass(frozen=True)
class UrlDocument:
    """A document given by its address only: fetched by the route, under the server's fetch policy."""

    id: str
    url: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class RequestSchemas:
    timeline: type[Schema]
    timexes: type[Schema]
    #: One document as POST /timeline takes it (stored stories take the same).
    document: type[Schema]


def check_unique_ids(documents: list[Document | UrlDocument], field: str) -> None:
    seen: set[str] = set()
    for document in documents:
        if document.id in seen:
            raise ValidationError(f"Document ids must be unique; {document.id!r} is repeated.", field)
        seen.add(document.id)


def check_total(items: list[Any], field: str, limit: int) -> None:
    total = sum(len(item.text if isinstance(item, Document) else item.get("text") or "") for item in items
                if not isinstance(item, UrlDocument))
    if total > limit:
        raise ValidationError(f"The texts hold {total} characters together; the limit per request is {limit}.",
                              field)


@lru_cache(maxsize=8)
def request_schemas(limits: Limits) -> RequestSchemas:
    """The request schemas under ``limits`` (component names stay the same whatever the limits)."""
    text_length = validate.Length(max=limits.max_chars,
                                  error=f"Longer than the limit of {limits.max_chars} characters per text.")
    one_of_languages = validate.OneOf(limits.languages,
                                      error="Unsupported language {input!r}: supported are {choices}.")

    def items_length(what: str) -> validate.Length:
        return validate.Length(min=1, max=limits.max_documents,
                               error=f"Must hold between 1 and {limits.max_documents} {what}.")

    class DocumentSchema(_Strict):
        """One article, as ``text``, as a web page's ``html``, or by its ``url`` alone (when the server
        fetches); ``id`` names it in the timeline's ``sources`` and ``mentions``."""

        id = Text(required=True, validate=validate.Length(min=1),
                  metadata={"description": "Unique within the request.", "example": "a1"})
        text = Text(validate=text_length, metadata={
            "description": f"The article's text, at most {limits.max_chars} characters. Give text or html "
                           "(or url alone, where the server fetches pages).",
            "example": "On Tuesday the ministry announced new tariffs."})
        html = Text(metadata=HTML_PROPERTY)
        published = Published(load_default=None, allow_none=True, metadata=PUBLISHED_PROPERTY)
        title = Text(load_default=None, allow_none=True)
        url = Text(load_default=None, allow_none=True, metadata=URL_PROPERTY)
        language = Text(validate=one_of_languages, metadata=LANGUAGE_PROPERTY)

        @validates_schema(skip_on_field_errors=True)
        def _one_source(self, data: dict[str, Any], **kwargs: Any) -> None:
            _check_source(data, limits.fetch_urls)

        @post_load
        def _document(self, data: dict[str, Any], **kwargs: Any) -> Document | UrlDocument:
            return _document(data)

    class TimelineRequestSchema(_Strict):
        """Articles about one story, and optionally the merging thresholds."""

        documents = fields.List(fields.Nested(DocumentSchema), required=True,
                                validate=items_length("documents"), metadata={
                                    "description": f"1 to {limits.max_documents} documents, at most "
                                                   f"{limits.max_total_chars} characters of text together."})
        options = fields.Nested(BuildOptionsSchema, load_default=lambda: BuildOptions())
        about = EntityNames(load_default=list, metadata=ABOUT_PROPERTY)
        labels = Text(load_default=None, validate=one_of_languages, metadata=LABELS_PROPERTY)

        @validates_schema(skip_on_field_errors=True)
        def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
            documents = data["documents"]
            check_unique_ids(documents, "documents")
            check_total(documents, "documents", limits.max_total_chars)

    class TextInputSchema(_Strict):
        """One text to tag; ``id`` is optional and only echoed back."""

        id = Text(load_default=None, allow_none=True, metadata={"example": "a1"})
        text = Text(validate=text_length, metadata={
            "description": f"The text, at most {limits.max_chars} characters; or give html.",
            "example": "Prices rose last week."})
        html = Text(metadata=HTML_PROPERTY)
        published = Published(load_default=None, allow_none=True, metadata=PUBLISHED_PROPERTY)
        language = Text(validate=one_of_languages, metadata=LANGUAGE_PROPERTY)

        @validates_schema(skip_on_field_errors=True)
        def _one_source(self, data: dict[str, Any], **kwargs: Any) -> None:
            _check_source(data, False)

        @post_load
        def _text(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            """The text to tag (a page's article for html), its date and language, and whether it was read from html."""
            document = _document({**data, "id": data.get("id") or ""})
            assert isinstance(document, Document)
            return {"id": data.get("id"), "text": document.text, "published": document.published,
                    "language": document.language, "from_html": document.from_html,
                    "warnings": list(document.warnings)}

    def text_list(what: str, description: str) -> fields.List:
        return fields.List(fields.Nested(TextInputSchema), validate=items_length(what), metadata={
            "description": f"{description}: 1 to {limits.max_documents} texts, at most {limits.max_total_chars} "
                           "characters of text together."})

    class TimexesRequestSchema(_Strict):
        """Texts, each with its publication date, under ``documents`` as for /timeline (or ``texts``)."""

        documents = text_list("documents", "The texts, as /timeline takes its documents")
        texts = text_list("texts", "Another name for documents, which came first; give one of the two")

        @validates_schema(skip_on_field_errors=True)
        def _check(self, data: dict[str, Any], **kwargs: Any) -> None:
            given = [name for name in ("documents", "texts") if name in data]
            if len(given) > 1:
                raise ValidationError("Give documents or texts (another name for it), not both.")
            if not given:
                raise ValidationError("Missing data for required field.", "documents")
            check_total(data[given[0]], given[0], limits.max_total_chars)

        @post_load
        def _documents(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            return {"documents": data.get("documents", data.get("texts"))}

    return RequestSchemas(timeline=TimelineRequestSchema, timexes=TimexesRequestSchema, document=DocumentSchema)


# -- responses ------------------------------------------------------------------------------
# ``required=True`` marks the keys that are always present; marshmallow ignores it on dump,
# apispec lists them as required, and schemathesis checks real responses against that.

def _string(**kwargs: Any) -> fields.String:
    return fields.String(required=True, **kwargs)


def _nullable_string(**kwargs: Any) -> fields.String:
    return fields.String(required=True, allow_none=True, **kwargs)


class IntervalSchema(Schema):
    """Half-open interval [start, end): dates, or date-times for finer-than-day intervals; a side is null when open."""

    class Meta:
        ordered = True

    start = _nullable_string(metadata={"example": "2024-05-14"})
    end = _nullable_string(metadata={"example": "2024-05-15"})
    granularity = _string(validate=validate.OneOf(GRANULARITIES))


class ResolutionSchema(Schema):
    """How a timex got its value."""

    class Meta:
        ordered = True

    rule = _string(metadata={"example": "weekday.bare"})
    anchor = _string(metadata={"description": "publication, timex:<id>, none or missing", "example": "publication"})
    anchor_value = fields.String(metadata={"description": "The anchor's value, when there is an anchor."})
    direction = _nullable_string(validate=validate.OneOf(DIRECTIONS))
    reason = _string()
    underspecified = fields.Boolean(required=True)


class TimexRangeSchema(Schema):
    """Two timexes that are the ends of one stretch ("from 9:30 to 11:00 on Thursday"), as TimeML's
    beginPoint/endPoint link them; both ends carry it."""

    class Meta:
        ordered = True

    begin_point = _string(metadata={"description": "the id of the first end", "example": "t1"})
    end_point = _string(metadata={"description": "the id of the second end", "example": "t2"})
    start = fields.Integer(required=True, metadata={"example": 17})
    end = fields.Integer(required=True, metadata={"example": 42})
    text = _string(metadata={"example": "9:30 to 11:00 on Thursday"})
    value = _string(metadata={"description": "the stretch's length, a TIMEX3 DURATION value", "example": "PT1H30M"})
    interval = fields.Nested(IntervalSchema, required=True,
                             metadata={"description": "from the first end's start to the second end's end "
                                                      "(its start when it is a clock time)"})


class TimexSchema(Schema):
    """A TIMEX3: span (code-point offsets into the text), type, normalized value, resolution."""

    class Meta:
        ordered = True

    id = _string(metadata={"example": "t1"})
    start = fields.Integer(required=True, metadata={"example": 3})
    end = fields.Integer(required=True, metadata={"example": 10})
    text = _string(metadata={"example": "Tuesday"})
    type = _string(validate=validate.OneOf(TIMEX_TYPES))
    value = _string(metadata={"example": "2024-05-14"})
    interval = fields.Nested(IntervalSchema, required=True, allow_none=True,
                             metadata={"description": "null for durations and sets"})
    mod = fields.String(metadata={"description": "present only when set, e.g. START, APPROX"})
    quant = fields.String(metadata={"description": "present only when set, e.g. EACH"})
    freq = fields.String(metadata={"description": "present only when set, e.g. 2X"})
    resolution = fields.Nested(ResolutionSchema, required=True)
    range = fields.Nested(TimexRangeSchema, metadata={"description": "present only on the ends of a range"})


class TextTimexesSchema(Schema):
    class Meta:
        ordered = True

    id = _nullable_string(metadata={"description": "The text's id as given, or null."})
    text = fields.String(metadata={"description": "present for html input: the article's text read from the page, "
                                                  "which the timexes' offsets point into"})
    timexes = fields.List(fields.Nested(TimexSchema), required=True)
    warnings = fields.List(fields.String(), metadata={
        "description": "present when nothing was extracted, e.g. the text's language has no grammar"})


class TimexesResponseSchema(Schema):
    """The timexes of each text, in request order."""

    class Meta:
        ordered = True

    texts = fields.List(fields.Nested(TextTimexesSchema), required=True)


class EventDateSchema(Schema):
    """The event's date: its value and interval, and how it was found (``basis``, ``reason``)."""

    class Meta:
        ordered = True

    value = _nullable_string(metadata={"example": "2024-05-14", "description": "null for an undated event"})
    label = _string(metadata={"example": "14 May 2024",
                              "description": "The date as a person writes it, at its granularity: "
                                             "\"Week 20, 2024\", \"Q3 2024\", \"early May 2024\", "
                                             "\"since February 2022\", \"before 16 May 2024\", \"undated\"."})
    start = _nullable_string(metadata={"example": "2024-05-14", "description": "null for a happening told before "
                                       "another (\"ahead of the visit\"): before the date in value"})
    end = _nullable_string(metadata={"example": "2024-05-15", "description": "null for an ongoing situation"})
    granularity = fields.String(required=True, allow_none=True, validate=validate.OneOf(GRANULARITIES))
    basis = _string(validate=validate.OneOf(BASES), metadata={
        "description": "explicit: a time expression governs the event; narrative: the story's last date, "
                       "carried forward in the paragraph; publication: a past event of the day, told without "
                       "a date; undated: none of these"})
    reason = _string(metadata={"example": "'On Tuesday' governs 'announced'"})
    ongoing = fields.Boolean(required=True, metadata={
        "description": "a situation that still holds (\"since February 2022\"): an interval with an open end"})


class TriggerSchema(Schema):
    """The word that names the event, with offsets into its document's text."""

    class Meta:
        ordered = True

    text = _string(metadata={"example": "announced"})
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    lemma = _string(metadata={"example": "announce"})


class EventFactsSchema(Schema):
    """What the parse says of the happening (absent when events come from clause heuristics)."""

    class Meta:
        ordered = True

    trigger = fields.Nested(TriggerSchema, required=True, allow_none=True)
    event_class = fields.String(required=True, attribute="class", data_key="class",
                                validate=validate.OneOf(EVENT_CLASSES))
    polarity = _string(validate=validate.OneOf(["positive", "negative"]))
    factuality = _string(validate=validate.OneOf(["happened", "planned", "possible", "negated"]))
    tense = fields.String(required=True, allow_none=True)
    aspect = fields.String(required=True, allow_none=True)
    nominal = fields.Boolean(required=True, metadata={"description": "the trigger is a noun (\"the concert\")"})


class ConflictDateSchema(Schema):
    class Meta:
        ordered = True

    value = _string()
    label = _string(metadata={"description": "The date as a person writes it (see the event's date label)."})
    documents = fields.List(fields.String(), required=True)


class AttributeSchema(Schema):
    """A duration or set told with the event ("a two-day visit")."""

    class Meta:
        ordered = True

    text = _string()
    type = _string(validate=validate.OneOf(TIMEX_TYPES))
    value = _string()


class MentionAnchorSchema(Schema):
    class Meta:
        ordered = True

    text = _string()
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    value = _string()


class MentionTimexSchema(MentionAnchorSchema):
    """The mention's own expression: an anchor's fields and its label."""

    label = _string(metadata={"description": "The date as a person writes it (\"14 May 2024\")."})


class MentionSchema(Schema):
    """One sentence (of one document) that reports the event."""

    class Meta:
        ordered = True

    document = _string()
    sentence = _string()
    sentence_start = fields.Integer(required=True)
    sentence_end = fields.Integer(required=True)
    summary = _string()
    trigger = fields.Nested(TriggerSchema, allow_none=True, metadata={"description": "present with a parser"})
    event_class = fields.String(attribute="class", data_key="class", validate=validate.OneOf(EVENT_CLASSES))
    polarity = fields.String(validate=validate.OneOf(["positive", "negative"]))
    factuality = fields.String(validate=validate.OneOf(["happened", "planned", "possible", "negated"]))
    tense = fields.String(allow_none=True)
    aspect = fields.String(allow_none=True)
    nominal = fields.Boolean()
    timex = fields.Nested(MentionTimexSchema, required=True, allow_none=True,
                          metadata={"description": "the time expression that governs the event; null otherwise"})
    resolution = fields.Nested(ResolutionSchema, metadata={"description": "present when timex is not null"})
    basis = _string(validate=validate.OneOf(BASES + ("support",)), metadata={
        "description": "how this mention is dated; support: a sentence that dates nothing and supports the event"})
    reason = fields.String(metadata={"description": "why it is dated so"})
    anchor = fields.Nested(MentionAnchorSchema, metadata={
        "description": "narrative basis: the earlier time expression whose date is carried forward"})
    dated_by = fields.List(fields.String(), metadata={
        "description": "present when the mention does not date the event: the documents whose mentions do "
                       "(the first 20 by id)"})
    dated_by_total = fields.Integer(metadata={
        "description": "present when more than 20 documents date the event: how many do"})


class EventSchema(Schema):
    """One happening: its date, a summary, who and where, and every mention that reports it."""

    class Meta:
        ordered = True

    id = _string(metadata={"example": "e1"})
    date = fields.Nested(EventDateSchema, required=True)
    summary = _string()
    participants = fields.List(fields.String(), required=True)
    places = fields.List(fields.String(), required=True)
    sources = fields.List(fields.String(), required=True)
    conflicting = fields.Boolean(required=True)
    dates = fields.List(fields.Nested(ConflictDateSchema), metadata={
        "description": "present when conflicting: each date given, with the documents giving it"})
    attributes = fields.List(fields.Nested(AttributeSchema), required=True)
    event = fields.Nested(EventFactsSchema, metadata={
        "description": "what the parse says of the event (absent without a parser)"})
    mentions = fields.List(fields.Nested(MentionSchema), required=True)


class DocumentNoteSchema(Schema):
    """What was read from one input document."""

    class Meta:
        ordered = True

    id = _string()
    name = _string(metadata={"description": "How a reader knows the document: site and title, the title, or "
                                            "its opening words in quotes", "example": "Example News: Tariffs"})
    title = _nullable_string()
    url = _nullable_string()
    language = _string()
    published = _nullable_string(metadata={"description": "ISO 8601, or null when unknown"})
    published_source = _nullable_string(
        validate=validate.OneOf(PUBLISHED_SOURCES), metadata={
            "description": "Where published comes from: given (with the document), html-metadata (the page's "
                           "markup: meta tags, JSON-LD, <time>), url (the page's address) or text (a date written "
                           "in the page); null when there is no date. See docs/input.md."})
    site = _nullable_string(metadata={"description": "The web site's name, read from a page"})
    author = _nullable_string(metadata={"description": "The byline, read from a page"})
    timexes = fields.Integer(required=True)
    event_mentions = fields.Integer(required=True)
    warnings = fields.List(fields.String(), required=True, metadata={
        "description": "Why nothing was extracted from this document, e.g. its language has no grammar"})


class TimelineSchema(Schema):
    """The merged, ordered timeline: the structure of ``timeline build --format json``."""

    class Meta:
        ordered = True

    events = fields.List(fields.Nested(EventSchema), required=True)
    documents = fields.List(fields.Nested(DocumentNoteSchema), required=True)
    warnings = fields.List(fields.String(), required=True)
    labels = _string(metadata={"description": "The language of the date labels (the request's labels, or the "
                                              "documents' shared language, else en).", "example": "en"})


class HealthSchema(Schema):
    class Meta:
        ordered = True

    status = _string(validate=validate.OneOf(["ok"]))
    version = _string(metadata={"description": "Version of the timeline package", "example": "0.1.0"})


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    class Meta:
        ordered = True

    type = _string(metadata={"description": "about:blank, or a reference to this error's section of the docs page",
                             "example": "about:blank"})
    title = _string(metadata={"example": "Unprocessable Content"})
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = _string(metadata={"example": "The request body has invalid fields; see errors."})
    instance = fields.String(metadata={"description": "present on 500: an id to find the error in the server log"})
    errors = fields.Dict(metadata={
        "description": "present on 422: marshmallow's messages by field, nested as the request is "
                       "(list positions as keys)",
        "example": {"documents": {"0": {"published": ["invalid publication date '2024-13-45': month must be "
                                                       "in 1..12"]}}}})


#: Response schemas whose instances are reused (marshmallow schemas are stateless on dump).
TIMELINE = TimelineSchema()
TIMEXES = TimexesResponseSchema()
HEALTH = HealthSchema()
PROBLEM = ProblemSchema()
