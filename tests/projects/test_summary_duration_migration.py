"""Migration projects 0010: summaries scheduled before it get the span of their tasks as their
stored duration (issue 22), in working minutes of their calendar; other tasks keep theirs."""

from datetime import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.migrating import migrate_to as _migrate

BEFORE = [("projects", "0009_defaults_for_every_project_and_organisation")]
AFTER = [("projects", "0010_summary_duration_is_the_span_of_its_tasks")]
SHORT_DAY = [["08:00", "12:00"], ["12:30", "16:00"]]  # 450 minutes


def _at(day: int, hour: int) -> datetime:
    """January 2027 on the site's wall clock (the zone working hours are read in)."""
    return timezone.make_aware(datetime(2027, 1, day, hour))


@pytest.mark.django_db(transaction=True)
def test_summaries_get_the_span_of_their_tasks():
    try:
        # given a phase stored with 480 minutes that spans Monday 4 to Thursday 14 January
        # 2027 (9 working days) on a 7.5-hour calendar, and one on the standard calendar
        apps = _migrate(BEFORE)
        org = apps.get_model("tpm", "Organisation").objects.create(name="Old", slug="old")
        calendar = apps.get_model("projects", "WorkCalendar").objects.create(
            organisation=org,
            name="Short",
            working_week=[SHORT_DAY] * 5 + [[], []],
            working_times=SHORT_DAY,
        )
        projects = apps.get_model("projects", "Project").objects
        short = projects.create(organisation=org, key="OLD", name="Old", calendar=calendar)
        standard = projects.create(organisation=org, key="STD", name="Standard")
        tasks = apps.get_model("projects", "Task").objects

        def phase(project, finish_hour):
            return tasks.create(
                project=project,
                name="Phase",
                is_summary=True,
                duration_minutes=480,
                start=_at(4, 8),
                finish=_at(14, finish_hour),
            )

        on_short, on_standard = phase(short, 16), phase(standard, 17)
        leaf = tasks.create(
            project=short,
            name="Leaf",
            duration_minutes=480,
            start=_at(4, 8),
            finish=_at(14, 16),
        )

        # when the migration runs
        apps = _migrate(AFTER)

        # then each phase lasts 9 days of its calendar, and the leaf keeps its own duration
        tasks = apps.get_model("projects", "Task").objects
        assert tasks.get(pk=on_short.pk).duration_minutes == 9 * 450
        assert tasks.get(pk=on_standard.pk).duration_minutes == 9 * 480
        assert tasks.get(pk=leaf.pk).duration_minutes == 480
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
