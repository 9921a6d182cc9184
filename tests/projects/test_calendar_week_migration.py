"""Migration 0004: calendars stored as one set of hours for listed weekdays become a week with
each day's own hours, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import migrate_to as _migrate

BEFORE = [("projects", "0003_baselines")]
AFTER = [("projects", "0004_calendar_hours_per_weekday")]


@pytest.mark.django_db(transaction=True)
def test_existing_calendars_keep_their_days_and_hours():
    try:
        # given calendars saved before each weekday had its own hours
        apps = _migrate(BEFORE)
        organisation = apps.get_model("tpm", "Organisation").objects.create(name="A", slug="a")
        calendars = apps.get_model("projects", "WorkCalendar").objects
        calendars.create(
            organisation=organisation,
            name="Four days",
            working_weekdays=[0, 1, 2, 3],
            working_times=[["09:00", "12:00"], ["13:00", "15:00"]],
        )
        calendars.create(organisation=organisation, name="Standard")

        # when the migration runs
        apps = _migrate(AFTER)

        # then each listed weekday has the hours, the others are off
        week = dict(
            apps.get_model("projects", "WorkCalendar").objects.values_list("name", "working_week")
        )
        short = [["09:00", "12:00"], ["13:00", "15:00"]]
        full = [["08:00", "12:00"], ["13:00", "17:00"]]
        assert week == {
            "Four days": [short, short, short, short, [], [], []],
            "Standard": [full] * 5 + [[], []],
        }

        # and going back restores the weekdays
        apps = _migrate(BEFORE)
        rows = apps.get_model("projects", "WorkCalendar").objects.values_list(
            "name", "working_weekdays", "working_times"
        )
        assert sorted(rows) == [
            ("Four days", [0, 1, 2, 3], short),
            ("Standard", [0, 1, 2, 3, 4], full),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
