"""The database tables of stored stories (SQLAlchemy Core).

One story owns its documents, their event mentions (each document's analysis, kept so that
an article is analysed once), the blocking index of the merge (``postings``: word → dated
mention; ``words``: how many mentions have each word, for the IDF weights) and its merged
events, each with its serialized body ready to send (in pieces).  Every row of a story goes with it
(``ON DELETE CASCADE``).  Times are naive UTC.  The migrations in ``stories/migrations``
create exactly these tables; a test checks that they agree.
"""
from __future__ import annotations

from sqlalchemy import (
                        Boolean,
                        Column,
                        DateTime,
                        Float,
                        ForeignKey,
                        Index,
                        Integer,
                        MetaData,
                        String,
                        Table,
                        Text,
                        UniqueConstraint,
)

metadata = MetaData()

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("title", Text),
    Column("description", Text),
    Column("created", DateTime, nullable=False),
    Column("updated", DateTime, nullable=False),
    Column("etag", String(64), nullable=False),
    Column("next_position", Integer, nullable=False, default=0),  # documents' places, in order of arrival
    Column("next_event", Integer, nullable=False, default=1),  # event numbers are never reused
    Column("mentions", Integer, nullable=False, default=0),  # mentions counted in ``words``
    Column("version", Integer, nullable=False, default=0, server_default="0"),  # writes that changed it (ETag)
    # the last version that removed documents or merged the story again: a timeline held from before is read whole
    Column("reset_version", Integer, nullable=False, default=0, server_default="0"),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("doc_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text),
    Column("title", Text),
    Column("url", Text),
    Column("language", String(16), nullable=False),
    Column("published", String(40)),  # ISO 8601, as given
    Column("content_hash", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),  # of the grammar and model that analysed it
    Column("note", Text, nullable=False),  # the document's entry in the timeline's "documents" (JSON)
    Column("added", DateTime, nullable=False),
    Column("updated", DateTime, nullable=False),
    Column("story_version", Integer, nullable=False, default=0, server_default="0"),  # the story's, when written
    UniqueConstraint("story_id", "doc_id", name="uq_documents_story_doc"),
    Index("ix_documents_version", "story_id", "story_version"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),  # the event's id is "e<number>"
    Column("conflicting", Boolean, nullable=False, default=False),
    # the timeline's order: interval start, longer first, then document order
    Column("sort_start", Float),  # seconds from 0001-01-01 (UTC); numbers sort alike everywhere
    Column("sort_length", Float),
    Column("sort_position", Integer),
    Column("sort_offset", Integer),
    # what the marks in its text become (stories.bodies): a supporting sentence's, an undated entry's
    # (NULL: its text holds none)
    Column("dated_by", Text),
    Column("entry_dated_by", Text),
    Column("state", Text),  # what its own fields are chosen from (JSON, stories.bodies.EventState)
    # what an undated sentence is compared with: the content words and documents of its dated mentions
    Column("words", Text),  # space-separated
    Column("documents", Text),  # document ids, one a line
    Column("digest", String(40)),
    Column("changed", DateTime, nullable=False),
    Column("version", Integer, nullable=False, default=0, server_default="0"),  # the story's, when last written
    UniqueConstraint("story_id", "number", name="uq_events_story_number"),
    Index("ix_events_order", "story_id", "sort_start", "sort_length", "sort_position", "sort_offset"),
    Index("ix_events_changed", "story_id", "changed"),
    Index("ix_events_version", "story_id", "version"),
)

# an event's JSON as in POST /timeline, in pieces (stories.bodies): joined in order, then "]}", they are
# its body, with marks where entries cite.  Piece 0 is its header (up to its mentions); the next hold
# its mentions' entries in document order, about PIECE_CHARS each, each but the first after a comma
event_text = Table(
    "event_text", metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("piece", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_id", ForeignKey("events.id", ondelete="SET NULL"), index=True),
    Column("dated", Boolean, nullable=False),
    Column("words", Text, nullable=False),  # its content words, space-separated (what merging compares)
    Column("data", Text, nullable=False),  # the EventMention (JSON, see stories.codec)
    # what its event's body is written from (JSON, see stories.bodies); NULL until first written (older rows)
    Column("head", Text),
    Column("fragment", Text),
)

postings = Table(
    "postings", metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("word", Text, primary_key=True),
    Column("mention_id", ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_postings_mention", "mention_id"),
)

# the undated mentions no dated event holds (an undated entry's own event, or a supporting sentence that
# matched none), by word: a dated mention arriving later looks them up, so they can support its event
waiting = Table(
    "waiting", metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("word", Text, primary_key=True),
    Column("mention_id", ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_waiting_mention", "mention_id"),
)

words = Table(
    "words", metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("word", Text, primary_key=True),
    Column("count", Integer, nullable=False),
    Column("version", Integer, nullable=False, default=0, server_default="0"),  # the story's, when last written
    Index("ix_words_version", "story_id", "version"),
)

removed_events = Table(
    "removed_events", metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("removed", DateTime, nullable=False),
    Column("version", Integer, nullable=False, default=0, server_default="0"),  # the story's, when removed
)
