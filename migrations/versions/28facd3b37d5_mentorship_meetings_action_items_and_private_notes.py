"""mentorship meetings action items and private notes

Revision ID: 28facd3b37d5
Revises: 895c6d7c826f
Create Date: 2026-12-03 14:55:12.760413

"""
from alembic import op
import sqlalchemy as sa

import portal.extensions


# revision identifiers, used by Alembic.
revision = '28facd3b37d5'
down_revision = "895c6d7c826f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentorship_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=80), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('scheduled_by_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', portal.extensions.UTCDateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.extensions.UTCDateTime(), nullable=False),
    sa.Column('updated_at', portal.extensions.UTCDateTime(), nullable=False),
    sa.CheckConstraint('duration_minutes >= 1', name=op.f('ck_mentorship_meetings_duration_positive')),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_mentorship_meetings_mentorship_id_mentorships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheduled_by_id'], ['users.id'], name=op.f('fk_mentorship_meetings_scheduled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorship_meetings')),
    sa.UniqueConstraint('uid', name=op.f('uq_mentorship_meetings_uid'))
    )
    with op.batch_alter_table('mentorship_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_mentorship_meetings_mentorship_starts', ['mentorship_id', 'starts_at'], unique=False)

    op.create_table('meeting_action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', portal.extensions.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meeting_action_items_created_by_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['mentorship_meetings.id'], name=op.f('fk_meeting_action_items_meeting_id_mentorship_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_meeting_action_items_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_action_items'))
    )
    with op.batch_alter_table('meeting_action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_action_items_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('ix_meeting_action_items_owner_done', ['owner_id', 'done_at'], unique=False)

    op.create_table('meeting_private_notes',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', portal.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_meeting_private_notes_author_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['mentorship_meetings.id'], name=op.f('fk_meeting_private_notes_meeting_id_mentorship_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'author_id', name=op.f('pk_meeting_private_notes'))
    )


def downgrade():
    op.drop_table('meeting_private_notes')
    with op.batch_alter_table('meeting_action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_action_items_owner_done')
        batch_op.drop_index(batch_op.f('ix_meeting_action_items_meeting_id'))

    op.drop_table('meeting_action_items')
    with op.batch_alter_table('mentorship_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_mentorship_meetings_mentorship_starts')

    op.drop_table('mentorship_meetings')
