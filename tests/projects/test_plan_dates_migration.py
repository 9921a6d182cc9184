"""Migration projects 0011: status and target dates outside 1900-2200, saved before the bounds,
are cleared; dates inside stay."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import migrate_to as _migrate

BEFORE = [("projects", "0010_summary_duration_is_the_span_of_its_tasks")]
AFTER = [("projects", "0011_plan_dates_within_bounds")]


@pytest.mark.django_db(transaction=True)
def test_dates_outside_the_bounds_are_cleared():
    try:
        apps = _migrate(BEFORE)
        org = apps.get_model("tpm", "Organisation").objects.create(name="Old", slug="old")
        projects = apps.get_model("projects", "Project").objects
        broken = projects.create(
            organisation=org,
            key="BAD",
            name="Bad",
            start_date=date(2027, 1, 4),
            status_date=date(1, 1, 1),
            target_date=date(9999, 12, 31),
        )
        fine = projects.create(
            organisation=org,
            key="OK",
            name="Fine",
            start_date=date(2027, 1, 4),
            status_date=date(2027, 2, 1),
            target_date=date(2027, 6, 30),
        )
        apps = _migrate(AFTER)
        projects = apps.get_model("projects", "Project").objects
        assert projects.values_list("status_date", "target_date").get(pk=broken.pk) == (None, None)
        assert projects.values_list("status_date", "target_date").get(pk=fine.pk) == (
            date(2027, 2, 1),
            date(2027, 6, 30),
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
