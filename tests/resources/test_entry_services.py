"""One time entry at a time, and a budget line's page save: services that own their transaction.

`time_services.time_entry_create/update/delete` are what the API calls (a cell of the person's
week through `timesheet_save`, so the page's rules hold); `budget_services.budget_line_edit` is
what the budget line's page calls (fields and months, both or neither). Each is durable: a caller
cannot wrap it in a transaction of its own.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from resources.budgets import services as budget_services
from resources.models import BudgetLine, TimeEntry, TimeEntryStatus
from resources.timesheets import services as time_services
from tests.factories import TaskFactory
from tpm.concurrency import StaleVersionError

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 1, 4)
MARCH = date(2027, 3, 1)


@pytest.fixture
def task(world):
    return TaskFactory(project=world.project, name="Build API")


def _log(world, task, hours="6", day=MONDAY) -> TimeEntry:
    return time_services.time_entry_create(
        task=task, day=day, hours=Decimal(hours), note="endpoints", actor=world.member
    )


def test_an_entry_is_a_draft_cell_of_the_persons_week(world, task):
    entry = _log(world, task)
    assert (entry.user, entry.task, entry.hours, entry.status) == (
        world.member,
        task,
        Decimal("6.00"),
        TimeEntryStatus.DRAFT,
    )


def test_a_second_entry_the_same_day_names_the_first(world, task):
    first = _log(world, task)
    with pytest.raises(ValidationError) as refused:
        _log(world, task, hours="2")
    assert f"(entry {first.pk})" in refused.value.message_dict["date"][0]
    assert TimeEntry.objects.get().hours == Decimal("6.00")


@pytest.mark.parametrize(("hours", "words"), [("0", "more than 0"), ("25", "24")])
def test_bad_hours_are_refused_by_the_hours(world, task, hours, words):
    with pytest.raises(ValidationError) as refused:
        _log(world, task, hours=hours)
    assert words in " ".join(refused.value.message_dict["hours"])
    assert not TimeEntry.objects.exists()


def test_an_update_keeps_the_day_and_refuses_a_stale_version(world, task):
    entry = _log(world, task)
    updated = time_services.time_entry_update(
        entry=entry, actor=world.member, version=entry.version, hours=Decimal("5")
    )
    assert (updated.hours, updated.date, updated.note) == (Decimal("5.00"), MONDAY, "endpoints")
    with pytest.raises(StaleVersionError) as stale:
        time_services.time_entry_update(
            entry=entry, actor=world.member, version=entry.version, hours=Decimal("4")
        )
    assert stale.value.current.hours == Decimal("5.00")


def test_an_update_to_no_hours_says_to_delete_instead(world, task):
    entry = _log(world, task)
    with pytest.raises(ValidationError, match="delete the entry"):
        time_services.time_entry_update(
            entry=entry, actor=world.member, version=entry.version, hours=Decimal("0")
        )


def test_deleting_clears_the_cell(world, task):
    entry = _log(world, task)
    time_services.time_entry_delete(entry=entry, actor=world.member)
    assert not TimeEntry.objects.exists()


def test_the_entry_services_cannot_be_wrapped(world, task):
    entry = _log(world, task)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        time_services.time_entry_delete(entry=entry, actor=world.member)


def _line(world) -> BudgetLine:
    return budget_services.budget_line_create(
        project=world.project,
        actor=world.manager,
        category="hardware",
        name="Test rigs",
        amount=Decimal("12000"),
        reason="Initial budget",
    )


def test_a_line_edit_saves_its_fields_and_months_together(world):
    line = _line(world)
    saved = budget_services.budget_line_edit(
        line=line,
        actor=world.manager,
        version=line.version,
        reason="Two more rigs",
        months={MARCH: Decimal("3000")},
        name="Test rigs (4)",
        amount=Decimal("15000"),
    )
    assert (saved.name, saved.amount) == ("Test rigs (4)", Decimal("15000.00"))
    assert list(saved.plan.values_list("month", "amount")) == [(MARCH, Decimal("3000.00"))]


def test_a_refused_month_keeps_the_fields_unchanged(world):
    # given a line, when its edit renames it but plans a month that is not a first day
    line = _line(world)
    with pytest.raises(ValidationError, match="not the first day of a month"):
        budget_services.budget_line_edit(
            line=line,
            actor=world.manager,
            version=line.version,
            reason="Renamed",
            months={date(2027, 3, 2): Decimal("10")},
            name="Renamed rigs",
        )
    # then the rename was not kept either
    line.refresh_from_db()
    assert (line.name, line.version) == ("Test rigs", 1)
    assert not line.plan.exists()


def test_a_line_edit_cannot_be_wrapped(world):
    line = _line(world)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        budget_services.budget_line_edit(
            line=line, actor=world.manager, version=line.version, reason="x", months={}
        )
