"""mentions keep the parts their event's body is written from; stories count their versions;
undated mentions wait for a dated event by word

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06

``mentions.head`` and ``mentions.fragment`` (see stories.bodies) are filled when a mention is
stored; rows stored before this revision get them the first time their event is written again.
``stories.version`` counts the writes that changed a story: its ETag digests it.
``waiting`` indexes, by word, the undated mentions that no dated event holds (filled here from
the stored mentions), so that a later dated mention finds those that may support its event.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mentions') as batch:
        batch.add_column(sa.Column('head', sa.Text(), nullable=True))
        batch.add_column(sa.Column('fragment', sa.Text(), nullable=True))
    with op.batch_alter_table('stories') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
    waiting = op.create_table('waiting',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('word', sa.Text(), nullable=False),
    sa.Column('mention_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['mention_id'], ['mentions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'word', 'mention_id')
    )
    op.create_index('ix_waiting_mention', 'waiting', ['mention_id'], unique=False)
    mentions = sa.table('mentions', sa.column('id', sa.Integer()), sa.column('story_id', sa.Integer()),
                        sa.column('event_id', sa.Integer()), sa.column('dated', sa.Boolean()),
                        sa.column('words', sa.Text()))
    dated_events = sa.select(mentions.c.event_id).where(mentions.c.dated, mentions.c.event_id.is_not(None))
    rows = op.get_bind().execute(sa.select(mentions.c.id, mentions.c.story_id, mentions.c.words).where(
        sa.not_(mentions.c.dated), sa.or_(mentions.c.event_id.is_(None), mentions.c.event_id.not_in(dated_events))))
    values = [{'story_id': row.story_id, 'word': word, 'mention_id': row.id} for row in rows
              for word in row.words.split()]
    if values:
        op.bulk_insert(waiting, values)


def downgrade() -> None:
    # SQLite drops the columns in place: a table made again would first be dropped, and dropping
    # it deletes or frees the rows that refer to it (ON DELETE CASCADE / SET NULL)
    op.drop_index('ix_waiting_mention', table_name='waiting')
    op.drop_table('waiting')
    with op.batch_alter_table('stories', recreate='never') as batch:
        batch.drop_column('version')
    with op.batch_alter_table('mentions', recreate='never') as batch:
        batch.drop_column('fragment')
        batch.drop_column('head')
