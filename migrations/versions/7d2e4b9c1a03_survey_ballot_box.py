"""survey ballot box

Answers wait in the ballot box until a whole batch can be counted. Existing links and answers
are rewritten in this one transaction, so that on PostgreSQL they no longer share a
transaction id (xmin) with the answer each link allowed.

Revision ID: 7d2e4b9c1a03
Revises: 7d2e4b91c0a5
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2e4b9c1a03'
down_revision = '7d2e4b91c0a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('respondent_name', sa.String(length=120), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_ballots_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_ballots'))
    )
    with op.batch_alter_table('survey_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_ballots_survey_id'), ['survey_id'], unique=False)

    op.execute("UPDATE survey_tokens SET used = used")
    op.execute("UPDATE survey_responses SET respondent_name = respondent_name")
    op.execute("UPDATE survey_answers SET value = value")


def downgrade():
    with op.batch_alter_table('survey_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_ballots_survey_id'))

    op.drop_table('survey_ballots')
