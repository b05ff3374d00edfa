"""Stored stories: articles added over days to a story kept in a database (SQLite or
PostgreSQL, through SQLAlchemy, migrated with Alembic), each analysed once and merged
into the story's timeline as it arrives.  See docs/stories.md.

The core package ``timeline`` knows nothing of databases; this package calls it.
"""
from __future__ import annotations

from .database import connect, database_url, upgrade
from .store import Changes, DocumentNotFound, Store, StoryInfo, StoryNotFound, Submission, TimelineBody, TimelineStream

__all__ = ["Changes", "DocumentNotFound", "StoryInfo", "StoryNotFound", "Store", "Submission", "TimelineBody",
           "TimelineStream", "connect", "database_url", "upgrade"]
