"""The OpenAPI description: valid, warning-free, and covering every endpoint.

The schema and its viewers are public (they describe the API, never its data).
"""

import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

EXPECTED_PATHS = {
    "/api/v1/me/": {"get"},
    "/api/v1/organisations/": {"get", "post"},
    "/api/v1/organisations/{id}/": {"get", "put", "patch"},
    "/api/v1/memberships/": {"get"},
    "/api/v1/memberships/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/invitations/": {"get", "post"},
    "/api/v1/invitations/{id}/": {"get", "delete"},
    "/api/v1/projects/": {"get", "post"},
    "/api/v1/projects/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/projects/{id}/restore/": {"post"},
    "/api/v1/project-members/": {"get", "post"},
    "/api/v1/project-members/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/projects/{id}/schedule/": {"get", "post"},
    "/api/v1/tasks/": {"get", "post"},
    "/api/v1/tasks/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/tasks/{id}/progress/": {"post"},
    "/api/v1/tasks/{id}/move/": {"post"},
    "/api/v1/dependencies/": {"get", "post"},
    "/api/v1/dependencies/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/calendars/": {"get", "post"},
    "/api/v1/calendars/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/calendar-exceptions/": {"get", "post"},
    "/api/v1/calendar-exceptions/{id}/": {"get", "delete"},
    "/api/v1/baselines/": {"get", "post"},
    "/api/v1/baselines/{id}/": {"get", "delete"},
    "/api/v1/baselines/{id}/tasks/": {"get"},
    "/api/v1/baselines/{id}/comparison/": {"get"},
    "/api/v1/projects/{id}/calendar/": {"get", "put"},
    "/api/v1/projects/import-mspdi/": {"post"},
    "/api/v1/projects/{id}/mspdi/": {"get"},
}


def test_the_schema_validates_without_warnings_and_has_every_path(tmp_path):
    # given the schema written by drf-spectacular, failing on any warning
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    # when it is read back
    schema = yaml.safe_load(target.read_text())
    # then every endpoint is there with its methods, and both ways to sign in are described
    paths = {
        path: {m for m in ops if m in {"get", "post", "put", "patch", "delete"}}
        for path, ops in schema["paths"].items()
    }
    assert paths == EXPECTED_PATHS
    assert {"personalAccessToken", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_writes_document_if_match_and_the_conflict_answer(tmp_path):
    # given the schema
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    # when we look at a versioned edit
    patch = schema["paths"]["/api/v1/projects/{id}/"]["patch"]
    # then it takes If-Match and documents 409 and 428
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert {"200", "409", "428"} <= set(patch["responses"])


def test_the_schema_and_its_viewers_are_public():
    # when an anonymous caller opens the schema, Swagger UI and ReDoc
    client = APIClient()
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")
    redoc = client.get("/api/redoc/")
    # then each answers
    assert schema.status_code == docs.status_code == redoc.status_code == 200
    assert b"/api/v1/projects/" in schema.content
