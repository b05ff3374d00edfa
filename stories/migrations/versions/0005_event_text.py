"""events' bodies are stored in pieces, so that a write stores their header and last piece again

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

A write to an event of thousands of mentions stored its whole body again (megabytes, each
written to SQLite's log and copied back into the database).  ``event_text`` holds the body in
pieces: piece 0 its header (up to its mentions), then its entries.  Each body is cut once here,
after its header, and its state is dropped: the event's next write makes it from all its
members, in pieces of PIECE_CHARS (stories.bodies).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_KEY = '\'"mentions":[\''  # where an event's header ends (the first; JSON escapes a quote inside a string)


def _find(dialect: str) -> str:
    return f"instr(body, {_KEY})" if dialect == "sqlite" else f"strpos(body, {_KEY})"


def upgrade() -> None:
    op.create_table(
        'event_text',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('piece', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'piece'),
    )
    at = _find(op.get_bind().dialect.name)
    op.execute(f"INSERT INTO event_text (event_id, piece, text) SELECT id, 0, substr(body, 1, {at} + 11) "
               "FROM events WHERE body IS NOT NULL")
    op.execute(f"INSERT INTO event_text (event_id, piece, text) SELECT id, 1, "
               f"substr(body, {at} + 12, length(body) - {at} - 13) FROM events WHERE body IS NOT NULL")
    op.execute("UPDATE events SET state = NULL")
    # SQLite drops the column in place: a table made again would first be dropped, and dropping
    # it sets its events' mentions free (ON DELETE SET NULL)
    with op.batch_alter_table('events', recreate='never') as batch:
        batch.drop_column('body')


def downgrade() -> None:
    with op.batch_alter_table('events', recreate='never') as batch:
        batch.add_column(sa.Column('body', sa.Text(), nullable=True))
    joined = ("(SELECT group_concat(text, '') FROM (SELECT text FROM event_text WHERE event_id = events.id "
              "ORDER BY piece))" if op.get_bind().dialect.name == "sqlite" else
              "(SELECT string_agg(text, '' ORDER BY piece) FROM event_text WHERE event_id = events.id)")
    op.execute(f"UPDATE events SET body = {joined} || ']}}', state = NULL")
    op.drop_table('event_text')
