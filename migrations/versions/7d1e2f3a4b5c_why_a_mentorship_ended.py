"""why a mentorship ended, and who ended it

Revision ID: 7d1e2f3a4b5c
Revises: 7d2e4b9c1a03
Create Date: 2026-12-14 10:12:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d1e2f3a4b5c'
down_revision = '7d2e4b9c1a03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.String(length=500), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_mentorships_ended_by_id_users'), 'users', ['ended_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mentorships_ended_by_id_users'), type_='foreignkey')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_by_id')
