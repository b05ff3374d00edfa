"""Alembic migrations of the story database (run by ``timeline db upgrade`` and ``timeline serve``)."""
