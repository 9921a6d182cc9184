"""Migration 0002: time logged twice at the same moment (before issue 22's fix) becomes one
entry per person, task and day, before the database starts refusing a second one."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import migrate_to as _migrate

BEFORE = [("resources", "0001_resource_pool_time_budgets")]
AFTER = [("resources", "0002_one_time_entry_per_task_and_day")]
DAY = date(2027, 1, 5)


@pytest.mark.django_db(transaction=True)
def test_duplicate_entries_are_merged_into_one():
    try:
        # given a task on which one person's time was stored three times, and another day once
        apps = _migrate(BEFORE)
        organisation = apps.get_model("tpm", "Organisation").objects.create(name="A", slug="a")
        project = apps.get_model("projects", "Project").objects.create(
            organisation=organisation, key="OLD", name="Old"
        )
        task = apps.get_model("projects", "Task").objects.create(project=project, name="Build")
        user = apps.get_model("tpm", "User").objects.create(email="ann@a.test")
        entries = apps.get_model("resources", "TimeEntry").objects
        for hours, note, status in [
            ("5", "morning", "draft"),
            ("5", "", "submitted"),
            ("20", "morning", "draft"),
        ]:
            fields = {"hours": Decimal(hours), "note": note, "status": status}
            entries.create(task=task, user=user, date=DAY, **fields)
        alone = entries.create(task=task, user=user, date=date(2027, 1, 6), hours=Decimal(3))

        # when the migration runs
        apps = _migrate(AFTER)

        # then one entry is left for the day: the furthest status, the hours (at most 24, what
        # one entry may hold) and each note once; the other day is untouched
        left = apps.get_model("resources", "TimeEntry").objects.filter(date=DAY)
        assert list(left.values_list("hours", "note", "status")) == [
            (Decimal("24.00"), "morning", "submitted")
        ]
        kept = apps.get_model("resources", "TimeEntry").objects.get(pk=alone.pk)
        assert kept.hours == Decimal("3.00")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
