"""/healthz tells a load balancer whether the database answers."""

from tests.conftest import make_app


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


def test_database_down_is_503(tmp_path, database):
    broken = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-dir/nothing.db"}
    app = make_app(tmp_path, broken)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()
