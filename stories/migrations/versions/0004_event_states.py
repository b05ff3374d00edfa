"""events keep what their own fields are chosen from, and their entries cite through marks

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

A write to an event told by thousands of mentions read every member to write its body again.
``events.state`` keeps what the event's own fields are chosen from (stories.bodies.EventState),
so a write adds a new article's members to it and to the end of the body.  Entries that cite
the documents dating their event hold a mark that the read replaces with ``events.dated_by``
or ``events.entry_dated_by``.  Events stored before this revision have no state and no marks:
their bodies are read as they are, and their next write makes them from every member.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('dated_by', sa.Text(), nullable=True))
        batch.add_column(sa.Column('entry_dated_by', sa.Text(), nullable=True))
        batch.add_column(sa.Column('state', sa.Text(), nullable=True))


def downgrade() -> None:
    # bodies written since hold marks: their citations take their places, as a read puts them
    op.execute("UPDATE events SET body = replace(replace(body, char(1), dated_by), char(2), entry_dated_by) "
               "WHERE dated_by IS NOT NULL" if op.get_bind().dialect.name == "sqlite" else
               "UPDATE events SET body = replace(replace(body, chr(1), dated_by), chr(2), entry_dated_by) "
               "WHERE dated_by IS NOT NULL")
    # SQLite drops the columns in place: a table made again would first be dropped, and dropping
    # it sets its events' mentions free (ON DELETE SET NULL)
    with op.batch_alter_table('events', recreate='never') as batch:
        batch.drop_column('state')
        batch.drop_column('entry_dated_by')
        batch.drop_column('dated_by')
