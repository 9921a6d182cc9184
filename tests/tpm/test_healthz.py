from unittest import mock

from django.db.utils import OperationalError


def test_healthz_reports_database_and_broker(client, db):
    # when the health check is called with everything up
    response = client.get("/healthz")
    # then both parts are reported healthy
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_is_503_when_the_database_is_down(client, db):
    # given a database that refuses connections
    with mock.patch("tpm.system_views.connection.cursor", side_effect=OperationalError("down")):
        # when the health check is called
        response = client.get("/healthz")
    # then it says which part failed
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "OperationalError: down"}
    assert response.json()["broker"]["ok"] is True
