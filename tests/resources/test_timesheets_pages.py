"""The timesheet page and the approvals page, as people use them."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Task
from projects.plan import services as task_services
from resources.models import TimeEntry
from tests.conftest import client_for
from tests.tpm.querycount import assert_same_count, queries_for_get

from .timesheet_helpers import MONDAY, approve, day, log, rate, submit, task

pytestmark = pytest.mark.django_db

WEEK = f"?week={MONDAY.isoformat()}"


def _assigned(world, name: str = "Build adapter") -> Task:
    return task_services.task_create(
        project=world.project, actor=world.manager, name=name, assignees=[world.member]
    )


def test_the_week_lists_my_open_tasks_with_a_cell_per_day(world):
    # given a task assigned to the member and one that is not
    _assigned(world)
    task(world, "Someone else's")
    # when they open the timesheet for the week
    response = client_for(world.member).get(reverse("timesheet") + WEEK)
    # then their task has a row with seven labelled cells; the other is in the picker only
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hours on 1 Build adapter, Mon 1 Mar" in html
    assert "Hours on 1 Build adapter, Sun 7 Mar" in html
    assert "Hours on 2 Someone else" not in html
    assert '<option value="' in html and "Someone else&#x27;s" in html


def test_filling_and_submitting_the_week(world):
    build = _assigned(world)
    client = client_for(world.member)
    # when the member types hours and a note and submits
    response = client.post(
        reverse("timesheet"),
        {
            "week": MONDAY.isoformat(),
            "rows": [build.pk],
            f"h-{build.pk}-2027-03-01": "7,5",
            f"n-{build.pk}-2027-03-01": "Adapter skeleton",
            f"h-{build.pk}-2027-03-02": "1:30",
            "action": "submit",
        },
        follow=True,
    )
    # then the week is stored, submitted, and the page says so
    assert "Submitted 9 h for the week of 1 Mar 2027 for approval (WEB)." in (
        response.content.decode()
    )
    assert sorted(TimeEntry.objects.values_list("hours", "status", "note")) == [
        (Decimal("1.5"), "submitted", ""),
        (Decimal("7.5"), "submitted", "Adapter skeleton"),
    ]


def test_bad_hours_come_back_with_what_was_typed_and_why(world):
    build = _assigned(world)
    # when the member types a negative number and a word
    response = client_for(world.member).post(
        reverse("timesheet"),
        {
            "week": MONDAY.isoformat(),
            "rows": [build.pk],
            f"h-{build.pk}-2027-03-01": "-3",
            f"h-{build.pk}-2027-03-02": "lots",
        },
    )
    # then nothing is stored and each cell says what is wrong, keeping the typed text
    html = response.content.decode()
    assert response.status_code == 422
    assert "Tue 2 Mar: “lots” is not a number of hours" in html
    assert 'value="lots"' in html
    assert not TimeEntry.objects.exists()


def test_a_negative_number_alone_is_refused_by_the_service(world):
    build = _assigned(world)
    response = client_for(world.member).post(
        reverse("timesheet"),
        {"week": MONDAY.isoformat(), "rows": [build.pk], f"h-{build.pk}-2027-03-01": "-3"},
    )
    assert response.status_code == 422
    assert "Build adapter, Mon 1 Mar: hours cannot be negative." in response.content.decode()


def test_a_member_logs_time_without_seeing_money(world):
    # given a member with a rate and approved time on a task with a cost
    rate(world, world.member, "123.45")
    build = _assigned(world)
    log(world, world.member, {(build, 0): "2"})
    submit(world, world.member)
    approve(world, world.member)
    # when they open their timesheet
    html = client_for(world.member).get(reverse("timesheet") + WEEK).content.decode()
    # then hours show, but no rate, cost or currency
    assert "approved" in html
    for money in ("123.45", "246.9", "USD", "$", "cost", "rate"):
        assert money not in html.lower().replace("accurate", ""), money


def test_approved_time_is_shown_locked(world):
    build = _assigned(world)
    log(world, world.member, {(build, 0): "2"})
    submit(world, world.member)
    approve(world, world.member)
    html = client_for(world.member).get(reverse("timesheet") + WEEK).content.decode()
    assert f'name="h-{build.pk}-2027-03-01"' not in html
    assert f'name="h-{build.pk}-2027-03-02"' in html


def test_the_manager_sees_who_waits_and_approves(world):
    build = _assigned(world)
    log(world, world.member, {(build, 0): "8"})
    submit(world, world.member)
    client = client_for(world.manager)
    # the timesheet page points the manager at the approvals
    assert "Waiting for your approval" in client.get(reverse("timesheet")).content.decode()
    page = client.get(reverse("time-approvals", args=[world.project.pk])).content.decode()
    assert "week of 1 Mar 2027 · 8 h" in page
    entry = TimeEntry.objects.get()
    response = client.post(
        reverse("time-decision", args=[world.project.pk]),
        {
            "decision": "approve",
            "person": world.member.pk,
            "week": "2027-03-01",
            "entries": str(entry.pk),
        },
        follow=True,
    )
    assert "Approved 8 h of" in response.content.decode()
    assert TimeEntry.objects.get().status == "approved"


def test_sending_back_without_a_reason_is_refused(world):
    build = _assigned(world)
    log(world, world.member, {(build, 0): "8"})
    submit(world, world.member)
    response = client_for(world.manager).post(
        reverse("time-decision", args=[world.project.pk]),
        {"decision": "reject", "person": world.member.pk, "week": "2027-03-01", "reason": ""},
    )
    assert response.status_code == 422
    assert "Say why" in response.content.decode()
    assert TimeEntry.objects.get().status == "submitted"


def test_the_manager_reopens_approved_time_from_the_approved_tab(world, time_machine):
    # the approved tab shows the last 12 weeks: read it in the week after the one logged
    time_machine.move_to(datetime(2027, 3, 10, 10, tzinfo=UTC), tick=False)
    build = _assigned(world)
    log(world, world.member, {(build, 0): "8"})
    submit(world, world.member)
    approve(world, world.member)
    client = client_for(world.manager)
    url = reverse("time-approvals", args=[world.project.pk])
    assert "Reason for reopening" in client.get(url + "?status=approved").content.decode()
    response = client.post(
        reverse("time-decision", args=[world.project.pk]),
        {
            "decision": "reopen",
            "person": world.member.pk,
            "week": "2027-03-01",
            "reason": "Wrong task",
        },
        follow=True,
    )
    assert "Reopened 8 h of" in response.content.decode()
    assert TimeEntry.objects.get().status == "draft"


def test_a_member_cannot_open_the_approvals(world):
    response = client_for(world.member).get(reverse("time-approvals", args=[world.project.pk]))
    assert response.status_code == 403


# Query counts ------------------------------------------------------------------------------


def _tasks_with_time(world, count: int) -> None:
    for n in range(count):
        build = _assigned(world, f"Task {Task.objects.count()}")
        log(world, world.member, {(build, n % 7): "1"})


def test_the_timesheet_costs_the_same_for_few_and_many_tasks(world):
    client = client_for(world.member)
    url = reverse("timesheet") + WEEK
    _tasks_with_time(world, 2)
    client.get(url)
    few = queries_for_get(client, url)
    _tasks_with_time(world, 12)
    many = queries_for_get(client, url)
    assert_same_count(few, many)


def test_the_approvals_cost_the_same_for_few_and_many_people(world):
    from tests.factories import on_project
    from tpm.roles import ProjectRole

    def people_submit(count: int) -> None:
        for _ in range(count):
            person = on_project(world.project, ProjectRole.MEMBER)
            work = task(world, f"Work {Task.objects.count()}")
            log(world, person, {(work, 0): "2", (work, 1): "3"})
            submit(world, person)

    client = client_for(world.manager)
    url = reverse("time-approvals", args=[world.project.pk])
    people_submit(2)
    client.get(url)
    few = queries_for_get(client, url)
    people_submit(8)
    many = queries_for_get(client, url)
    assert_same_count(few, many)
    assert day(0)  # the week of the test


def test_a_member_does_not_see_the_cost_of_a_task_they_log_time_on(world):
    # given approved time at 123.45/h on the member's task
    rate(world, world.member, "123.45")
    build = _assigned(world)
    log(world, world.member, {(build, 0): "2"})
    submit(world, world.member)
    approve(world, world.member)
    # when they open the task
    html = (
        client_for(world.member)
        .get(reverse("task-detail", args=[world.project.pk, build.pk]))
        .content.decode()
    )
    # then its actual cost (which gives their rate away) is not shown
    assert "246.90" not in html
