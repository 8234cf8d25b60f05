"""trigram indexes for the library's search (PostgreSQL only)

Revision ID: c3a91e5d7b20
Revises: 918ac67f15d7
Create Date: 2026-11-23 20:10:00

"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "c3a91e5d7b20"
down_revision = "918ac67f15d7"
branch_labels = None
depends_on = None

COLUMNS = ("title", "summary", "body")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite's LIKE scan is fast enough at the sizes SQLite serves
    try:
        # A savepoint: without the right to add the extension, carry on without the indexes.
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
            for column in COLUMNS:
                op.create_index(
                    f"ix_lessons_{column}_trigrams",
                    "lessons",
                    [column],
                    postgresql_using="gin",
                    postgresql_ops={column: "gin_trgm_ops"},
                )
    except sa.exc.DBAPIError as exc:
        logging.getLogger("alembic").warning(
            "No trigram indexes (%s). The library's search works, but reads every lesson. "
            "Have the database's owner run CREATE EXTENSION pg_trgm (in a schema on the "
            "search path), then 'flask db downgrade 918ac67f15d7 && flask db upgrade'.",
            exc.orig,
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_lessons_{column}_trigrams")
