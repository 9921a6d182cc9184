"""Migrations projects 0009 and risks 0002: rows made before the defaults were made at creation
get them (a workflow per project; gate templates and risk categories per organisation), and
rows that have their own keep them untouched."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import migrate_to as _migrate

BEFORE = [
    ("projects", "0008_scope_quality_change_requests"),
    ("risks", "0001_initial"),
]
AFTER = [
    ("projects", "0009_defaults_for_every_project_and_organisation"),
    ("risks", "0002_default_categories_for_every_organisation"),
]


@pytest.mark.django_db(transaction=True)
def test_rows_without_defaults_get_them_and_others_keep_theirs():
    try:
        # given an organisation and project with none of the defaults, and one with its own
        apps = _migrate(BEFORE)
        organisations = apps.get_model("tpm", "Organisation").objects
        projects = apps.get_model("projects", "Project").objects
        bare = organisations.create(name="Bare", slug="bare")
        bare_project = projects.create(organisation=bare, key="OLD", name="Old")
        own = organisations.create(name="Own", slug="own")
        own_project = projects.create(organisation=own, key="OWN", name="Own")
        apps.get_model("projects", "WorkflowStatus").objects.create(
            project=own_project, name="Open", category="to_do"
        )
        apps.get_model("projects", "GateTemplate").objects.create(organisation=own, name="Ours")
        apps.get_model("risks", "RiskCategory").objects.create(organisation=own, name="Ours")

        # when the migrations run
        apps = _migrate(AFTER)

        # then the bare rows have the defaults
        statuses = apps.get_model("projects", "WorkflowStatus").objects
        templates = apps.get_model("projects", "GateTemplate").objects
        categories = apps.get_model("risks", "RiskCategory").objects
        assert list(
            statuses.filter(project=bare_project.pk)
            .order_by("position")
            .values_list("name", "category")
        ) == [
            ("To do", "to_do"),
            ("In progress", "in_progress"),
            ("In review", "in_progress"),
            ("Done", "done"),
        ]
        go_live = templates.get(organisation=bare.pk, name="Go-live readiness")
        assert go_live.required_reviewer_roles == ["manager", "stakeholder"]
        assert go_live.criteria.count() == 5
        assert templates.filter(organisation=bare.pk).count() == 3
        assert list(
            categories.filter(organisation=bare.pk).order_by("position").values_list("name")
        )[:2] == [("Technical",), ("Schedule",)]
        assert categories.filter(organisation=bare.pk).count() == 8
        # and the rows with their own are left as they were
        assert list(statuses.filter(project=own_project.pk).values_list("name", flat=True)) == [
            "Open"
        ]
        assert list(templates.filter(organisation=own.pk).values_list("name", flat=True)) == [
            "Ours"
        ]
        assert list(categories.filter(organisation=own.pk).values_list("name", flat=True)) == [
            "Ours"
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
