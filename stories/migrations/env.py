"""Alembic's entry point: migrations run on the connection that stories.database passes in."""
from __future__ import annotations

from alembic import context

from stories.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the migrations through `timeline db upgrade` (stories.database.upgrade)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
context.run_migrations()
