"""Input the API used to answer with a server error is a 400 naming the field, or a 404
(issue 22): bodies that are not objects, ids past what a key holds, ids with leading zeros."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import StatusReportFactory
from tests.resources.factories import BudgetLineFactory


@pytest.fixture
def manager(world) -> APIClient:
    client = APIClient()
    client.force_login(world.manager)
    return client


def test_no_write_answers_500_to_a_body_that_is_not_an_object(world):
    # given every operation of the description that takes a body
    client = Client(raise_request_exception=False)
    client.force_login(world.manager)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    writes = [
        (method, path.replace("{id}", str(world.project.pk)))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert len(writes) > 100
    # when each is sent `null` or a list instead of an object
    crashed = [
        (method, path, body)
        for method, path in writes
        for body in ("null", "[1]")
        if client.generic(method.upper(), path, body, content_type="application/json").status_code
        >= 500
    ]
    # then none crashes
    assert crashed == []


def test_a_feed_token_asked_for_with_a_null_body_is_a_400(manager):
    response = manager.generic("POST", "/api/v1/feed-tokens/", "null", "application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Send a JSON object."]}


def test_notification_preferences_with_a_null_body_are_a_400(manager):
    for method in ("PUT", "PATCH"):
        response = manager.generic(
            method, "/api/v1/notification-preferences/", "null", "application/json"
        )
        assert response.status_code == 400


def test_a_budget_line_patch_without_a_reason_is_a_400_naming_reason(world, manager):
    line = BudgetLineFactory(project=world.project)
    response = manager.patch(
        f"/api/v1/budget-lines/{line.pk}/", {"name": "Licences"}, HTTP_IF_MATCH=f'"{line.version}"'
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    line.refresh_from_db()
    assert line.name != "Licences"


def test_an_empty_budget_line_patch_is_a_400_naming_reason(world, manager):
    line = BudgetLineFactory(project=world.project)
    response = manager.patch(f"/api/v1/budget-lines/{line.pk}/", {})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_a_status_report_id_with_leading_zeros_is_the_same_report(world, manager):
    report = StatusReportFactory(project=world.project, created_by=world.manager)
    padded = f"/api/v1/status-reports/00{report.pk}/"
    # reading, editing and publishing through the padded id all reach the report
    assert manager.get(padded).json()["id"] == report.pk
    edited = manager.patch(padded, {"summary": "On track."}, HTTP_IF_MATCH='"1"')
    assert edited.status_code == 200, edited.json()
    published = manager.post(padded + "publish/", {"version": 2})
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"


@pytest.mark.parametrize("pk", ["\u0661", "0", "99999999999999999999999"])
def test_a_status_report_id_that_names_nothing_is_a_404(manager, pk):
    # an Arabic-Indic one, zero, and a number no key holds
    for method, suffix in (("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "publish/")):
        response = manager.generic(method, f"/api/v1/status-reports/{pk}/{suffix}")
        assert response.status_code == 404, (method, pk)
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("value", ["-1", "0", "1.5", "1e300", "99999999999999999999"])
def test_an_id_filter_a_key_cannot_hold_is_a_400_naming_it(manager, value):
    for path in ("/api/v1/tasks/", "/api/v1/assignments/", "/api/v1/status-reports/"):
        response = manager.get(path, {"project": value})
        assert response.status_code == 400, (path, value)
        assert list(response.json()["errors"]) == ["project"]


def test_an_id_filter_still_filters(world, manager):
    response = manager.get("/api/v1/status-reports/", {"project": str(world.project.pk)})
    assert response.status_code == 200


def test_marking_notifications_read_with_ids_no_key_holds_is_a_400(manager):
    response = manager.post("/api/v1/notifications/read-all/", {"ids": [2**70, -3]}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ids"]


def test_a_session_cookie_holding_a_nul_byte_is_no_session(db):
    # PostgreSQL refuses a NUL in a query: the key must never reach it (tpm/sessions.py)
    from django.contrib.sessions.backends.base import SessionBase

    from tpm.sessions import SessionStore

    assert SessionStore("abcdefgh\x00ijklmnop").session_key is None
    assert SessionStore("ABC-not-ours-XYZ").session_key is None
    issued = SessionStore()
    issued.create()
    assert SessionStore(issued.session_key).session_key == issued.session_key
    assert isinstance(issued, SessionBase)


def test_the_api_answers_a_nul_session_cookie_with_401(db):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
