"""events, removed events, documents and word counts record the story version that last wrote them

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

A process that holds a story's timeline (its events' bodies and documents' entries, see
stories.snapshots) brings it up to date by reading only the rows written after the version it
holds: ``events.version``, ``removed_events.version`` and ``documents.story_version``; so does a process that holds
word counts (stories.merging.WordCounts), through ``words.version``.
``stories.reset_version`` is the last version that removed documents or merged the story again:
a timeline held from before it is read whole.  Rows stored before this revision count as
version 0, which every held timeline already includes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch.create_index('ix_events_version', ['story_id', 'version'], unique=False)
    with op.batch_alter_table('removed_events') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('story_version', sa.Integer(), nullable=False, server_default='0'))
        batch.create_index('ix_documents_version', ['story_id', 'story_version'], unique=False)
    with op.batch_alter_table('stories') as batch:
        batch.add_column(sa.Column('reset_version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('words') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch.create_index('ix_words_version', ['story_id', 'version'], unique=False)


def downgrade() -> None:
    # SQLite drops the columns in place: a table made again would first be dropped, and dropping
    # it deletes or frees the rows that refer to it (ON DELETE CASCADE / SET NULL)
    with op.batch_alter_table('words', recreate='never') as batch:
        batch.drop_index('ix_words_version')
        batch.drop_column('version')
    with op.batch_alter_table('stories', recreate='never') as batch:
        batch.drop_column('reset_version')
    with op.batch_alter_table('documents', recreate='never') as batch:
        batch.drop_index('ix_documents_version')
        batch.drop_column('story_version')
    with op.batch_alter_table('removed_events', recreate='never') as batch:
        batch.drop_column('version')
    with op.batch_alter_table('events', recreate='never') as batch:
        batch.drop_index('ix_events_version')
        batch.drop_column('version')
