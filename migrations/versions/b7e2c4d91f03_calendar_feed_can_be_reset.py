"""a person's calendar feed address can be reset (users.calendar_version)

Revision ID: b7e2c4d91f03
Revises: 7d2e41c0a9b3
Create Date: 2026-12-02 18:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7e2c4d91f03"
down_revision = "7d2e41c0a9b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("calendar_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("calendar_version")
