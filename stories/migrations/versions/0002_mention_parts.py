"""mentions keep the parts their event's body is written from; stories count their versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06

``mentions.head`` and ``mentions.fragment`` (see stories.bodies) are filled when a mention is
stored; rows stored before this revision get them the first time their event is written again.
``stories.version`` counts the writes that changed a story: its ETag digests it.
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


def downgrade() -> None:
    with op.batch_alter_table('stories') as batch:
        batch.drop_column('version')
    with op.batch_alter_table('mentions') as batch:
        batch.drop_column('fragment')
        batch.drop_column('head')
