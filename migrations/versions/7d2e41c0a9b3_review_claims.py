"""review claims: who is writing feedback on an answer right now

Revision ID: 7d2e41c0a9b3
Revises: c3a91e5d7b20
Create Date: 2026-12-02 18:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "7d2e41c0a9b3"
down_revision = "c3a91e5d7b20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_claims",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_review_claims_reviewer_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_review_claims_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_review_claims")),
    )


def downgrade():
    op.drop_table("review_claims")
