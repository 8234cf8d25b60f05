"""The migrations build exactly the models' schema, and go down and up again with data kept."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from portal.database import built_here
from portal.extensions import db
from tests.conftest import fresh_database, make_app


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": built_here})
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(tmp_path):
    with fresh_database(tmp_path, "migrations") as settings:
        app = make_app(tmp_path, settings)
        with app.app_context():
            upgrade()
            assert schema_differences() == []
            db.engine.dispose()


def every_row() -> dict[str, list[dict]]:
    """Each table's rows, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [dict(row) for row in db.session.execute(query).mappings()]
    db.session.remove()
    return rows


def only(rows: list[dict], names: set[str]) -> list[dict]:
    return [{k: v for k, v in row.items() if k in names} for row in rows]


def columns() -> dict[str, set[str]]:
    found = inspect(db.engine)
    return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}


def test_data_survives_init_db_again_and_a_down_up_cycle(tmp_path):
    with fresh_database(tmp_path, "cycle") as settings:
        app = make_app(tmp_path, settings)
        runner = app.test_cli_runner()
        with app.app_context():
            assert runner.invoke(args=["init-db"]).exit_code == 0
            assert runner.invoke(args=["seed-demo"]).exit_code == 0
            before = every_row()
            assert before["users"] and before["lessons"] and before["feedback"]
            assert runner.invoke(args=["init-db"]).exit_code == 0  # re-running is harmless
            assert every_row() == before

            # One revision down and up again: every table keeps every row, and a table that
            # step gave new columns keeps every value of the columns it had before.
            head = columns()
            downgrade(revision="-1")
            older = columns()
            kept = {t: head[t] & older[t] for t in older if t in before}
            upgrade()
            after = every_row()
            assert {t: only(after[t], kept[t]) for t in kept} == {
                t: only(before[t], kept[t]) for t in kept
            }
            assert {"users", "lessons", "feedback"} <= set(kept)

            downgrade(revision="base")
            assert "users" not in inspect(db.engine).get_table_names()
            upgrade()
            assert schema_differences() == []
            db.engine.dispose()
