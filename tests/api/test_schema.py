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
    # The risk register and RAID log (risks/api/).
    "/api/v1/assumptions/": {"get", "post"},
    "/api/v1/assumptions/{id}/": {"get", "put", "patch"},
    "/api/v1/decisions/": {"get", "post"},
    "/api/v1/decisions/{id}/": {"get", "put", "patch"},
    "/api/v1/external-dependencies/": {"get", "post"},
    "/api/v1/external-dependencies/{id}/": {"get", "put", "patch"},
    "/api/v1/issues/": {"get", "post"},
    "/api/v1/issues/{id}/": {"get", "put", "patch"},
    "/api/v1/organisations/{id}/risk-settings/": {"get", "patch"},
    "/api/v1/projects/{id}/risk-export/": {"get"},
    "/api/v1/projects/{id}/risk-register/": {"get"},
    "/api/v1/projects/{id}/risk-summary/": {"get"},
    "/api/v1/risk-categories/": {"get", "post"},
    "/api/v1/risk-categories/{id}/": {"get"},
    "/api/v1/risks/": {"get", "post"},
    "/api/v1/risks/import/": {"post"},
    "/api/v1/risks/{id}/": {"get", "put", "patch"},
    "/api/v1/risks/{id}/links/": {"post"},
    "/api/v1/risks/{id}/occurred/": {"post"},
    "/api/v1/risks/{id}/reassess/": {"post"},
    "/api/v1/risks/{id}/responses/": {"post"},
    "/api/v1/risks/{id}/reviews/": {"get"},
    # Health, status reports and their delivery (reports/api/).
    "/api/v1/health-overrides/": {"get", "post"},
    "/api/v1/health-overrides/{id}/": {"get", "delete"},
    "/api/v1/organisations/{id}/health-thresholds/": {"get", "patch"},
    "/api/v1/projects/{id}/health/": {"get"},
    "/api/v1/report-schedules/": {"get", "post"},
    "/api/v1/report-schedules/{id}/": {"get", "patch", "delete"},
    "/api/v1/report-schedules/{id}/deliveries/": {"get"},
    "/api/v1/status-reports/": {"get", "post"},
    "/api/v1/status-reports/{id}/": {"get", "patch", "delete"},
    "/api/v1/status-reports/{id}/publish/": {"post"},
    # Comments, attachments, notifications, My work and calendar feeds (issue 4).
    "/api/v1/comments/": {"get", "post"},
    "/api/v1/comments/{id}/": {"get", "patch", "delete"},
    "/api/v1/attachments/": {"get", "post"},
    "/api/v1/attachments/{id}/": {"get", "delete"},
    "/api/v1/notifications/": {"get"},
    "/api/v1/notifications/{id}/": {"get"},
    "/api/v1/notifications/{id}/read/": {"post"},
    "/api/v1/notifications/read-all/": {"post"},
    "/api/v1/notifications/unread-count/": {"get"},
    "/api/v1/notification-preferences/": {"get", "patch", "put"},
    "/api/v1/my-work/": {"get"},
    "/api/v1/feed-tokens/": {"get", "post"},
    "/api/v1/feed-tokens/{id}/": {"get", "delete"},
    # The workflow, the board, the backlog and sprints (issue 4, projects/agile/api/views.py).
    "/api/v1/workflow-statuses/": {"get", "post"},
    "/api/v1/workflow-statuses/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/labels/": {"get", "post"},
    "/api/v1/labels/{id}/": {"get"},
    "/api/v1/sprints/": {"get", "post"},
    "/api/v1/sprints/{id}/": {"get", "put", "patch"},
    "/api/v1/sprints/{id}/start/": {"post"},
    "/api/v1/sprints/{id}/close/": {"post"},
    "/api/v1/sprints/{id}/plan/": {"post"},
    "/api/v1/sprints/{id}/charts/": {"get"},
    "/api/v1/projects/{id}/board/": {"get"},
    "/api/v1/board-moves/": {"post"},
    "/api/v1/backlog-moves/": {"post"},
    "/api/v1/tasks/{id}/agile/": {"patch"},
    # Resources and money (issue 5, resources/api/).
    "/api/v1/resources/": {"get", "post"},
    "/api/v1/resources/{id}/": {"get", "put", "patch"},
    "/api/v1/resource-roles/": {"get", "post"},
    "/api/v1/resource-roles/{id}/": {"get"},
    "/api/v1/skills/": {"get", "post"},
    "/api/v1/skills/{id}/": {"get"},
    "/api/v1/time-off/": {"get", "post"},
    "/api/v1/time-off/{id}/": {"get", "delete"},
    "/api/v1/cost-rates/": {"get", "post"},
    "/api/v1/cost-rates/{id}/": {"get", "delete"},
    "/api/v1/allocations/": {"get", "post"},
    "/api/v1/allocations/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/assignments/": {"get", "post"},
    "/api/v1/assignments/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/time-entries/": {"get", "post"},
    "/api/v1/time-entries/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/time-entries/submit/": {"post"},
    "/api/v1/time-entries/approve/": {"post"},
    "/api/v1/time-entries/reject/": {"post"},
    "/api/v1/time-entries/reopen/": {"post"},
    "/api/v1/budget-lines/": {"get", "post"},
    "/api/v1/budget-lines/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/budget-lines/{id}/plan/": {"post"},
    "/api/v1/expenses/": {"get", "post"},
    "/api/v1/expenses/{id}/": {"get", "put", "patch"},
    "/api/v1/budget-changes/": {"get"},
    "/api/v1/budget-changes/{id}/": {"get"},
    "/api/v1/projects/{id}/evm/": {"get"},
    "/api/v1/organisations/{id}/workload/": {"get"},
    # Scope and quality (issue 7, projects/scope/api/views.py and quality.py).
    "/api/v1/projects/{id}/charter/": {"get", "put"},
    "/api/v1/projects/{id}/charter/approve/": {"post"},
    "/api/v1/projects/{id}/quality/": {"get"},
    "/api/v1/objectives/": {"get", "post"},
    "/api/v1/objectives/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/objectives/{id}/measurements/": {"get", "post"},
    "/api/v1/deliverables/": {"get", "post"},
    "/api/v1/deliverables/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/deliverables/{id}/criteria/": {"post"},
    "/api/v1/deliverables/{id}/accept/": {"post"},
    "/api/v1/acceptance-criteria/{id}/": {"get", "put", "patch"},
    "/api/v1/quality-gates/": {"get", "post"},
    "/api/v1/quality-gates/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/quality-gates/{id}/waive/": {"post"},
    "/api/v1/quality-gates/{id}/revoke-waiver/": {"post"},
    "/api/v1/gate-criteria/{id}/": {"get", "put", "patch"},
    "/api/v1/gate-reviews/{id}/": {"get", "put", "patch"},
    "/api/v1/gate-templates/": {"get", "post"},
    "/api/v1/gate-templates/{id}/": {"get", "put", "patch"},
    "/api/v1/quality-measures/": {"get", "post"},
    "/api/v1/quality-measures/{id}/": {"get"},
    # Change requests (issue 7, projects/changes/api/views.py).
    "/api/v1/change-requests/": {"get", "post"},
    "/api/v1/change-requests/{id}/": {"get", "put", "patch"},
    "/api/v1/change-requests/{id}/submit/": {"post"},
    "/api/v1/change-requests/{id}/review/": {"post"},
    "/api/v1/change-requests/{id}/approve/": {"post"},
    "/api/v1/change-requests/{id}/reject/": {"post"},
    "/api/v1/change-requests/{id}/implement/": {"post"},
    "/api/v1/change-requests/{id}/analyse/": {"post"},
    "/api/v1/change-requests/{id}/events/": {"get"},
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
