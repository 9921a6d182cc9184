"""Migration 0007: existing projects get the default workflow; tasks the status matching theirs."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import migrate_to as _migrate

BEFORE = [("projects", "0006_workflow_board_sprints")]
AFTER = [("projects", "0007_default_workflow_statuses")]


@pytest.mark.django_db(transaction=True)
def test_existing_projects_get_the_default_workflow():
    try:
        # given a project with a task of each progress state, saved before workflows existed
        apps = _migrate(BEFORE)
        organisation = apps.get_model("tpm", "Organisation").objects.create(name="A", slug="a")
        project = apps.get_model("projects", "Project").objects.create(
            organisation=organisation, key="OLD", name="Old"
        )
        tasks = apps.get_model("projects", "Task").objects
        for status in ("not_started", "in_progress", "completed"):
            tasks.create(project=project, name=status, status=status)

        # when the migration runs
        apps = _migrate(AFTER)

        # then the project has the four default statuses and each task sits in its category
        statuses = apps.get_model("projects", "WorkflowStatus").objects.filter(project=project.pk)
        assert list(statuses.order_by("position").values_list("name", flat=True)) == [
            "To do",
            "In progress",
            "In review",
            "Done",
        ]
        placed = dict(
            apps.get_model("projects", "Task")
            .objects.filter(project=project.pk)
            .values_list("name", "workflow_status__name")
        )
        assert placed == {"not_started": "To do", "in_progress": "In progress", "completed": "Done"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
