"""Time logged at the same moment (issue 22): one entry per person, task and day, and never
more than 24 hours in a day. The API's create and the week's page both write under the lock of
the person's timesheet row for that week (resources/timesheets/services.py `_lock_week`); the
database refuses a second entry for the same task and day whatever the path.

The threaded tests need PostgreSQL (SQLite lets one writer in at a time).
"""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from resources.models import TimeEntry
from resources.timesheets import services as time_services
from resources.timesheets.grid import CellInput
from tests.factories import TaskFactory
from tests.threads import needs_postgresql, run_together, unexpected

MONDAY = date(2027, 1, 4)
TUESDAY = date(2027, 1, 5)


def _create(world, task, hours="5", day=TUESDAY):
    return partial(
        time_services.time_entry_create,
        task=task,
        day=day,
        hours=Decimal(hours),
        note="",
        actor=world.member,
    )


def _save_cell(world, task, hours="5", day=TUESDAY):
    return partial(
        time_services.timesheet_save,
        person=world.member,
        organisation=world.organisation,
        monday=MONDAY,
        cells=[CellInput(task.pk, day, Decimal(hours))],
        actor=world.member,
    )


def _day_total(world, day=TUESDAY) -> Decimal:
    return TimeEntry.objects.filter(user=world.member, date=day).aggregate(h=Sum("hours"))["h"]


@pytest.mark.django_db(transaction=True)
def test_the_same_entry_sent_at_once_is_stored_once(world):
    needs_postgresql()
    task = TaskFactory(project=world.project, name="Build API")

    outcomes = run_together([_create(world, task) for _ in range(6)])

    assert unexpected(outcomes, ValidationError) == []
    assert sum(outcome.ok for outcome in outcomes) == 1
    refusals = [" ".join(o.error.messages) for o in outcomes if not o.ok]
    assert all("logged time on this task that day already" in text for text in refusals)
    assert TimeEntry.objects.filter(task=task, user=world.member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_times_five_hours_at_once_stop_at_24_hours_a_day(world):
    needs_postgresql()
    tasks = [TaskFactory(project=world.project, name=f"Ticket {n}") for n in range(8)]
    # half through the API's create, half through the week's page
    calls = [_create(world, task) for task in tasks[:4]] + [
        _save_cell(world, task) for task in tasks[4:]
    ]

    outcomes = run_together(calls)

    assert unexpected(outcomes, ValidationError) == []
    assert sum(outcome.ok for outcome in outcomes) == 4  # 4 x 5 h; a fifth would make 25
    refusals = [" ".join(o.error.messages) for o in outcomes if not o.ok]
    assert all("24 hours" in text for text in refusals), refusals
    assert _day_total(world) == Decimal(20)


@pytest.mark.django_db
def test_the_database_refuses_a_second_entry_for_a_task_and_day(world):
    task = TaskFactory(project=world.project, name="Build API")
    fields = {"task": task, "user": world.member, "date": TUESDAY, "hours": Decimal(2)}
    TimeEntry.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(**fields)
