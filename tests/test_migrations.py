"""The migrations build exactly the models' schema, and go down and up again with data kept."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from portal.accounts.models import User
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


def test_data_survives_init_db_again_and_a_down_up_cycle(tmp_path):
    with fresh_database(tmp_path, "cycle") as settings:
        app = make_app(tmp_path, settings)
        runner = app.test_cli_runner()
        with app.app_context():
            assert runner.invoke(args=["init-db"]).exit_code == 0
            assert runner.invoke(args=["seed-demo"]).exit_code == 0
            before = db.session.scalars(select(User.email).order_by(User.email)).all()
            db.session.remove()
            assert runner.invoke(args=["init-db"]).exit_code == 0  # re-running is harmless
            assert db.session.scalars(select(User.email).order_by(User.email)).all() == before
            db.session.remove()
            downgrade(revision="base")
            assert "users" not in inspect(db.engine).get_table_names()
            upgrade()
            assert schema_differences() == []
            db.engine.dispose()
