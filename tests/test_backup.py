"""Backup and restore: the demo data goes out as JSON and comes back row for row."""

import json

from portal import backup
from portal.extensions import db
from tests.conftest import fresh_database, make_app


def test_demo_data_round_trips_row_for_row(tmp_path):
    path = tmp_path / "backup.json"
    with fresh_database(tmp_path, "source") as source:
        app = make_app(tmp_path, source)
        runner = app.test_cli_runner()
        with app.app_context():
            assert runner.invoke(args=["init-db"]).exit_code == 0
            assert runner.invoke(args=["seed-demo"]).exit_code == 0
            result = runner.invoke(args=["export", "--output", str(path)])
            assert result.exit_code == 0, result.output
            original = backup.export_data()
            db.session.remove()
            db.engine.dispose()
    document = json.loads(path.read_text())
    assert document["tables"]["users"] and document["tables"]["feedback_scores"]
    assert document["tables"]["survey_answers"] and document["tables"]["session_participants"]

    with fresh_database(tmp_path, "target") as target:
        app = make_app(tmp_path, target)
        runner = app.test_cli_runner()
        with app.app_context():
            assert runner.invoke(args=["init-db"]).exit_code == 0  # a fresh install
            result = runner.invoke(args=["import", str(path)])
            assert result.exit_code == 0, result.output
            restored = backup.export_data()
            assert restored == original  # every row of every table
            again = runner.invoke(args=["import", str(path)])
            assert again.exit_code != 0 and "not empty" in again.output
            # new rows after an import get fresh ids (PostgreSQL sequences follow the data)
            assert (
                runner.invoke(
                    args=[
                        "create-user",
                        "--email",
                        "new@example.org",
                        "--name",
                        "New",
                        "--password",
                        "a long new secret",
                    ]
                ).exit_code
                == 0
            )
            db.session.remove()
            db.engine.dispose()


def test_import_refuses_other_files(tmp_path, app):
    runner = app.test_cli_runner()
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something-else", "tables": {}}))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0 and "not a Flipside backup" in result.output
    path.write_text("{not json")
    assert runner.invoke(args=["import", str(path)]).exit_code != 0
