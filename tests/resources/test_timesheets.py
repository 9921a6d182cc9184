"""Timesheets through the services: fill a week, submit, approve, send back, reopen; actual cost
and (when the project chooses) progress follow the approved time."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import Task
from resources.models import TimeEntry, TimeEntryStatus, Timesheet
from resources.timesheets import services as time_services
from resources.timesheets.grid import CellInput
from tests.factories import ProjectFactory, on_project
from tests.resources.factories import ProjectFinanceFactory
from tpm.models import HistoryEntry, Notification
from tpm.roles import ProjectRole

from .timesheet_helpers import MONDAY, approve, day, log, rate, submit, task

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [m for ms in exc.value.message_dict.values() for m in ms]


def test_a_member_logs_draft_time_on_a_task_of_their_project(world):
    # given a task of the member's project
    build = task(world)
    # when they log 3.5 hours on Monday with a note
    time_services.timesheet_save(
        person=world.member,
        organisation=world.organisation,
        monday=MONDAY,
        cells=[CellInput(build.pk, day(0), Decimal("3.5"), "adapter skeleton")],
        actor=world.member,
    )
    # then it is stored as a draft, and the week has a timesheet
    entry = TimeEntry.objects.get()
    assert (entry.hours, entry.note, entry.status) == (Decimal("3.5"), "adapter skeleton", "draft")
    assert Timesheet.objects.filter(user=world.member, week_start=MONDAY).exists()


def test_negative_hours_are_refused(world):
    build = task(world)
    with pytest.raises(ValidationError) as exc:
        log(world, world.member, {(build, 1): "-2"})
    assert _errors(exc) == ["Build adapter, Tue 2 Mar: hours cannot be negative."]
    assert not TimeEntry.objects.exists()


def test_a_day_over_24_hours_across_projects_is_refused(world):
    # given 20 hours on Tuesday in another project of the organisation
    other = ProjectFactory(organisation=world.organisation, key="OPS")
    from tests.factories import ProjectMembershipFactory

    ProjectMembershipFactory(project=other, user=world.member, role=ProjectRole.MEMBER)
    from projects.plan import services as task_services

    ops = task_services.task_create(project=other, actor=world.admin, name="On call")
    log(world, world.member, {(ops, 1): "20"})
    # when 5 more hours go on a task of WEB that day
    with pytest.raises(ValidationError) as exc:
        log(world, world.member, {(task(world), 1): "5"})
    # then the day is refused with its total
    assert _errors(exc) == [
        "Tue 2 Mar: 25 hours in one day across all your tasks; a day has at most 24 hours."
    ]


def test_time_on_a_task_of_a_project_the_person_is_not_in_is_refused(world):
    # given a task in a project of the organisation the member has no role in
    other = ProjectFactory(organisation=world.organisation, key="HR")
    hr_manager = on_project(other, ProjectRole.MANAGER)
    from projects.plan import services as task_services

    hiring = task_services.task_create(project=other, actor=hr_manager, name="Hiring")
    # when the member logs time on it
    with pytest.raises(ValidationError) as exc:
        log(world, world.member, {(hiring, 0): "2"})
    # then it is refused, saying why
    assert "You are not in the project of this task" in _errors(exc)[0]
    assert not TimeEntry.objects.exists()


def test_viewers_do_not_log_time_and_summaries_take_no_time(world):
    # given a summary with a task under it
    summary = task(world, "Phase 1")
    task(world, "Design", parent=summary)
    # when a viewer logs time, or the member logs on the summary
    with pytest.raises(ValidationError) as viewer:
        log(world, world.viewer, {(task(world, "Docs"), 0): "1"})
    with pytest.raises(ValidationError) as member:
        log(world, world.member, {(Task.objects.get(pk=summary.pk), 0): "1"})
    # then both are refused
    assert "your role there does not log time" in _errors(viewer)[0]
    assert _errors(member) == ["“Phase 1” is a summary: log time on the tasks under it."]


def test_submitting_tells_the_managers_and_locks_the_time(world):
    # given a draft week
    build = task(world)
    log(world, world.member, {(build, 0): "8", (build, 1): "4"})
    # when the member submits it
    submit(world, world.member)
    # then the entries wait for approval and the manager is told
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"submitted"}
    note = Notification.objects.get(recipient=world.manager, kind="timesheet_submitted")
    assert "12 h on WEB" in note.title
    # and the submitted time cannot be changed any more
    with pytest.raises(ValidationError) as exc:
        log(world, world.member, {(build, 0): "6"})
    assert "submitted for approval and locked" in _errors(exc)[0]


def test_an_empty_week_cannot_be_submitted(world):
    with pytest.raises(ValidationError, match="Nothing to submit for the week of 1 Mar 2027"):
        submit(world, world.member)


def test_approval_locks_the_time_and_sets_the_tasks_actual_cost(world):
    # given a member paid 80/h who logged 12 hours on a task under a summary
    rate(world, world.member, "80")
    phase = task(world, "Phase 1")
    build = task(world, "Build adapter", parent=phase)
    log(world, world.member, {(build, 0): "8", (build, 1): "4"})
    submit(world, world.member)
    # when the manager approves
    decision = approve(world, world.member)
    # then the time is approved and the task and its summary cost 960
    assert decision.hours == Decimal(12)
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"approved"}
    assert Task.objects.get(pk=build.pk).actual_cost == Decimal("960.00")
    assert Task.objects.get(pk=phase.pk).actual_cost == Decimal("960.00")
    # and the person is told, and the approval is in the project's history
    assert Notification.objects.filter(recipient=world.member, kind="timesheet_approved").exists()
    assert HistoryEntry.objects.filter(scope=f"project:{world.project.pk}", action="approved")
    # and changing approved time is refused with what to do
    with pytest.raises(ValidationError) as exc:
        log(world, world.member, {(build, 0): "6"})
    assert "approved and locked; ask the project manager to reopen it" in _errors(exc)[0]


def test_a_rate_change_applies_from_its_date_only(world):
    # given 60/h until Wednesday and 90/h from then
    rate(world, world.member, "60", since=day(-30))
    from tests.resources.factories import CostRateFactory

    resource = world.member.resources.get()
    CostRateFactory(
        resource=resource, hourly_rate=Decimal(90), effective_from=day(2), currency="USD"
    )
    build = task(world)
    log(world, world.member, {(build, 1): "2", (build, 2): "2"})
    submit(world, world.member)
    # when approved
    approve(world, world.member)
    # then Tuesday costs 60/h and Wednesday 90/h
    assert Task.objects.get(pk=build.pk).actual_cost == Decimal("300.00")


def test_sending_back_with_a_reason_lets_the_person_correct_and_resubmit(world):
    build = task(world)
    log(world, world.member, {(build, 0): "10"})
    submit(world, world.member)
    # when the manager sends it back
    time_services.time_reject(
        project=world.project,
        person=world.member,
        monday=MONDAY,
        reason="Monday was a bank holiday",
        actor=world.manager,
    )
    # then the person hears why and may change it again
    entry = TimeEntry.objects.get()
    assert (entry.status, entry.review_note) == ("rejected", "Monday was a bank holiday")
    note = Notification.objects.get(recipient=world.member, kind="timesheet_rejected")
    assert "Monday was a bank holiday" in note.body
    log(world, world.member, {(build, 0): "0", (build, 1): "10"})
    submit(world, world.member)
    assert list(TimeEntry.objects.values_list("date", "status")) == [(day(1), "submitted")]


def test_a_rejection_needs_a_reason(world):
    build = task(world)
    log(world, world.member, {(build, 0): "1"})
    submit(world, world.member)
    with pytest.raises(ValidationError, match="Say why"):
        time_services.time_reject(
            project=world.project,
            person=world.member,
            monday=MONDAY,
            reason=" ",
            actor=world.manager,
        )


def test_reopening_is_recorded_tells_the_person_and_takes_the_cost_back(world):
    # given approved time worth 400
    rate(world, world.member, "100")
    build = task(world)
    log(world, world.member, {(build, 0): "4"})
    submit(world, world.member)
    approve(world, world.member)
    # when the manager reopens it
    time_services.time_reopen(
        project=world.project,
        person=world.member,
        monday=MONDAY,
        reason="Hours belong to OPS",
        actor=world.manager,
    )
    # then it is a draft again, the task costs nothing, and the reopen is in the history
    assert TimeEntry.objects.get().status == TimeEntryStatus.DRAFT
    assert Task.objects.get(pk=build.pk).actual_cost == Decimal("0.00")
    entry = HistoryEntry.objects.get(action="reopened")
    assert entry.changes["reason"] == [None, "Hours belong to OPS"]
    assert entry.actor == world.manager
    assert Notification.objects.filter(recipient=world.member, kind="timesheet_reopened")
    # and the person can change it
    log(world, world.member, {(build, 0): "3"})


def test_approving_what_changed_since_the_page_was_opened_is_refused(world):
    build = task(world)
    log(world, world.member, {(build, 0): "1"})
    submit(world, world.member)
    with pytest.raises(ValidationError, match="changed since the page was opened"):
        time_services.time_approve(
            project=world.project,
            person=world.member,
            monday=MONDAY,
            actor=world.manager,
            entry_ids=[999999],
        )
    assert TimeEntry.objects.get().status == "submitted"


def test_progress_follows_approved_work_when_the_project_chooses(world):
    # given a project whose progress comes from timesheets, and a 40-hour task
    ProjectFinanceFactory(project=world.project, progress_from_timesheets=True)
    build = task(world, effort_hours=Decimal(40))
    log(world, world.member, {(build, 0): "8", (build, 1): "2"})
    submit(world, world.member)
    # when 10 hours are approved
    approve(world, world.member)
    # then the task is 25 % complete (10 / (10 + 30)) and in progress
    build.refresh_from_db()
    assert (build.percent_complete, build.status) == (25, "in_progress")


def test_progress_stays_put_when_the_project_does_not_choose_it(world):
    build = task(world, effort_hours=Decimal(40))
    log(world, world.member, {(build, 0): "8"})
    submit(world, world.member)
    approve(world, world.member)
    assert Task.objects.get(pk=build.pk).percent_complete == 0


@pytest.mark.parametrize(
    ("actual", "planned", "remaining", "percent"),
    [
        ("10", "40", None, 25),
        ("50", "40", None, 99),  # over the estimate: not done until someone says so
        ("10", "40", "10", 50),  # the assignee's remaining work wins
        ("10", None, "0", 100),
        ("0", None, None, None),
        ("0", "0", None, None),
    ],
)
def test_progress_percent(actual, planned, remaining, percent):
    def dec(value):
        return Decimal(value) if value is not None else None

    assert (
        time_services.progress_percent(
            actual=Decimal(actual), planned=dec(planned), remaining=dec(remaining)
        )
        == percent
    )
