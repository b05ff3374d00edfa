"""an event stores its own fields and dated_by; its mentions are assembled from its members when read

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

``events.body`` keeps the event without ``mentions`` (its header), ``events.dated_by`` the
documents of its dated mentions; a read joins the members' fragments (stories.bodies.assemble)
in document order (``mentions.doc_offset``), each taking ``dated_by`` by its ``mentions.splice``
rule.  So a mention joining an event of thousands no longer writes its body again.  This
revision fills the new columns from the stored rows (a mention stored before revision 0002
gets its parts now) and cuts the mentions off the stored bodies; the timeline's bytes, digests
and ETags stay as they were.  Downgrading joins the bodies again.
"""
from __future__ import annotations

import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_SEPARATORS = (",", ":")


def upgrade() -> None:
    from stories.bodies import mention_parts, splice_rule
    from stories.codec import decode_mention

    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('dated_by', sa.Text(), nullable=True))
    with op.batch_alter_table('mentions') as batch:
        batch.add_column(sa.Column('doc_offset', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('splice', sa.Integer(), nullable=True))
    connection = op.get_bind()
    mentions = sa.table('mentions', sa.column('id'), sa.column('document_id'), sa.column('event_id'),
                        sa.column('data'), sa.column('head'), sa.column('fragment'), sa.column('doc_offset'),
                        sa.column('splice'))
    documents = sa.table('documents', sa.column('id'), sa.column('position'))
    events = sa.table('events', sa.column('id'), sa.column('body'), sa.column('dated_by'))
    dated_documents: defaultdict[int, set[str]] = defaultdict(set)
    rows = connection.execute(sa.select(mentions.c.id, mentions.c.event_id, mentions.c.data, mentions.c.head,
                                        mentions.c.fragment, documents.c.position)
                              .join(documents, documents.c.id == mentions.c.document_id)).all()
    for row in rows:
        values = {}
        head, fragment = row.head, row.fragment
        if head is None or fragment is None:
            head, fragment = mention_parts(decode_mention(row.data, row.position))
            values = {"head": head, "fragment": fragment}
        decoded = json.loads(head)
        connection.execute(sa.update(mentions).where(mentions.c.id == row.id).values(
            doc_offset=decoded["offset"], splice=splice_rule(decoded), **values))
        if row.event_id is not None and decoded["dated"]:
            dated_documents[row.event_id].add(decoded["document"])
    for event in connection.execute(sa.select(events.c.id, events.c.body)).all():
        if event.body is None:
            continue
        data = json.loads(event.body)
        data.pop("mentions", None)
        connection.execute(sa.update(events).where(events.c.id == event.id).values(
            body=json.dumps(data, ensure_ascii=False, separators=_SEPARATORS),
            dated_by=json.dumps(sorted(dated_documents[event.id]), ensure_ascii=False, separators=_SEPARATORS)))


def downgrade() -> None:
    from stories.bodies import assemble

    connection = op.get_bind()
    mentions = sa.table('mentions', sa.column('document_id'), sa.column('event_id'), sa.column('fragment'),
                        sa.column('doc_offset'), sa.column('splice'), sa.column('id'))
    documents = sa.table('documents', sa.column('id'), sa.column('position'))
    events = sa.table('events', sa.column('id'), sa.column('body'), sa.column('dated_by'))
    fragments: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in connection.execute(sa.select(mentions.c.event_id, mentions.c.fragment, mentions.c.splice)
                                  .join(documents, documents.c.id == mentions.c.document_id)
                                  .where(mentions.c.event_id.is_not(None))
                                  .order_by(mentions.c.event_id, documents.c.position, mentions.c.doc_offset,
                                            mentions.c.id)):
        fragments[row.event_id].append((row.fragment, row.splice))
    for event in connection.execute(sa.select(events.c.id, events.c.body, events.c.dated_by)).all():
        if event.body is not None:
            connection.execute(sa.update(events).where(events.c.id == event.id).values(
                body=assemble(event.body, event.dated_by or "[]", fragments[event.id])))
    # dropped in place (SQLite 3.35 and later): copying a table anew would drop the old one, which
    # sets its referring rows' foreign keys to NULL (mentions.event_id)
    op.drop_column('mentions', 'splice')
    op.drop_column('mentions', 'doc_offset')
    op.drop_column('events', 'dated_by')
