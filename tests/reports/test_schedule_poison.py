"""One report schedule with a date at the edge of the calendar (starting 9999-12-31, stored past
validation) used to raise OverflowError in the due job and stop every organisation's reports.
Far dates mean "never due"; a schedule that still cannot be worked out is logged and skipped."""

import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reports import delivery, services
from reports.models import ReportSchedule
from reports.periods import MONTHLY, WEEKLY, Rule, latest_period, next_period
from reports.tasks import send_due_reports
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.projects.helpers import text
from tests.reports.helpers import plan

END = date(9999, 12, 31)  # a Friday


@pytest.mark.parametrize("frequency", [WEEKLY, "fortnightly", MONTHLY])
@pytest.mark.parametrize("weekday", [0, 4, 6])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_a_schedule_starting_at_the_end_of_the_calendar_is_never_due(frequency, weekday, zone):
    rule = Rule(frequency, weekday, time(23, 59), zone, END)
    now = datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert latest_period(rule, now) is None
    assert next_period(rule, now) is None
    # even asked at the very end of time
    assert latest_period(rule, datetime(9999, 12, 31, 12, tzinfo=UTC)) in (None, END)


def test_a_schedule_from_year_one_is_due_as_usual():
    rule = Rule(WEEKLY, 0, time(9), "UTC", date(1, 1, 1))
    now = datetime(2027, 3, 3, 12, tzinfo=UTC)  # a Wednesday
    assert latest_period(rule, now) == date(2027, 3, 1)
    assert next_period(rule, now) == datetime(2027, 3, 8, 9, tzinfo=UTC)


def _due(project, manager, **changes):
    """A weekly schedule of `project` whose period came round an hour ago."""
    now = timezone.now()
    sent_at = now - timedelta(hours=1)
    schedule = services.schedule_create(
        project=project,
        actor=manager,
        name=f"Weekly {project.key}",
        frequency="weekly",
        weekday=sent_at.weekday(),
        time_of_day=time(sent_at.hour, sent_at.minute),
        time_zone="UTC",
        starts_on=sent_at.date() - timedelta(days=7),
        recipient_roles=[],
        external_emails=f"board@{project.key.lower()}.example.org",
    )
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        created_at=now - timedelta(days=1), **changes
    )
    return schedule


def test_one_poisoned_schedule_does_not_stop_the_others(world, caplog):
    # given due schedules in two organisations, and beside them three poisoned ones: starting
    # at the end of the calendar (weekly on a Monday, monthly) and one with a zone that no
    # longer exists, all written past validation
    plan(world.project, today=timezone.localdate())
    plan(world.other_project, today=timezone.localdate())
    healthy = [_due(world.project, world.manager), _due(world.other_project, world.outsider)]
    third = ProjectFactory(organisation=world.organisation, key="BAD", name="Poisoned")
    poisoned = [
        _due(third, world.admin, starts_on=END, weekday=0),
        _due(third, world.admin, starts_on=END, frequency="monthly"),
        _due(third, world.admin, time_zone="Mars/Olympus_Mons"),
    ]
    # when the beat job runs
    with caplog.at_level(logging.ERROR):
        queued = send_due_reports.delay().get()
    # then the healthy schedules' reports went out
    assert queued == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "board@glx.example.org",
        "board@web.example.org",
    ]
    assert {due.schedule_id for due in delivery.due_schedules(timezone.now())} == set()
    # and the one that cannot be worked out is logged by id
    logged = [record.getMessage() for record in caplog.records]
    assert any(f"Report schedule {poisoned[2].pk} skipped" in line for line in logged)
    assert not any(f"Report schedule {s.pk} " in line for s in healthy for line in logged)
    # and the schedules page of the poisoned project answers, "never" for the far ones
    response = client_for(world.admin).get(reverse("report-schedules", args=[third.pk]))
    assert response.status_code == 200
    assert "Weekly BAD" in text(response)
