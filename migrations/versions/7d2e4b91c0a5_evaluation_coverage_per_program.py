"""evaluation coverage per program

Revision ID: 7d2e4b91c0a5
Revises: b7e2c4d91f03
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e4b91c0a5'
down_revision = 'b7e2c4d91f03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_coverage', sa.Integer(), server_default='50', nullable=False))
        batch_op.create_check_constraint(
            batch_op.f('ck_programs_coverage_range'), 'evaluation_coverage BETWEEN 1 AND 100'
        )


def downgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_programs_coverage_range'), type_='check')
        batch_op.drop_column('evaluation_coverage')
