"""GET /api/v1/: the API root links every resource, so a client can discover them."""


def test_the_root_links_every_resource(world, api):
    # when a signed-in client opens the API root
    body = api(world.viewer).get("/api/v1/").json()
    # then it links me and each collection
    assert set(body) == {
        "me",
        "organisations",
        "memberships",
        "invitations",
        "projects",
        "project-members",
        "tasks",
        "dependencies",
        "calendars",
        "calendar-exceptions",
        "baselines",
        "risks",
        "risk-categories",
        "assumptions",
        "issues",
        "decisions",
        "external-dependencies",
        "status-reports",
        "report-schedules",
        "health-overrides",
        "comments",
        "attachments",
        "notifications",
        "feed-tokens",
        "workflow-statuses",
        "labels",
        "sprints",
        "resources",
        "resource-roles",
        "skills",
        "time-off",
        "cost-rates",
        "allocations",
        "assignments",
        "time-entries",
        "budget-lines",
        "expenses",
        "budget-changes",
        "change-requests",
        "objectives",
        "deliverables",
        "quality-gates",
        "gate-templates",
        "quality-measures",
    }
    assert body["me"].endswith("/api/v1/me/")
