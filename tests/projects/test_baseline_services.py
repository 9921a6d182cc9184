"""Saving, comparing and deleting baselines through the services and the selector."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from projects.baselines import services as baseline_services
from projects.baselines.compare import RowKind
from projects.baselines.selectors import baseline_comparison
from projects.models import Baseline, BaselineTask
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.factories import (
    BaselineFactory,
    BaselineTaskFactory,
    ProjectFactory,
    TaskFactory,
    member_of,
)
from tpm.models import HistoryEntry
from tpm.roles import OrgRole

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def project():
    return ProjectFactory(start_date=MONDAY)


@pytest.fixture
def tpm(project):
    return member_of(project.organisation, OrgRole.ADMIN)


def chain(project, tpm, count: int, *, milestone_at_end: bool = True):
    """`count` one-day tasks in a row, then a milestone after the last."""
    tasks = [
        task_services.task_create(
            project=project, actor=tpm, name=f"Step {n}", duration_minutes=DAY
        )
        for n in range(1, count + 1)
    ]
    if milestone_at_end:
        tasks.append(
            task_services.task_create(
                project=project, actor=tpm, name="Done", duration_minutes=0, is_milestone=True
            )
        )
    for before, after in pairwise(tasks):
        task_services.dependency_create(predecessor=before, successor=after, actor=tpm)
    return tasks


def test_saving_a_baseline_snapshots_every_live_task(project, tpm):
    # given a scheduled plan of three tasks and a milestone, one more task deleted
    tasks = chain(project, tpm, 3)
    doomed = task_services.task_create(project=project, actor=tpm, name="Dropped")
    task_services.task_delete(task=doomed, actor=tpm)
    # when the TPM saves a baseline
    with CaptureQueriesContext(connection) as captured:
        baseline = baseline_services.baseline_save(
            project=project, actor=tpm, name="Approved plan", note=" Signed off by the board "
        )
    # then it holds the live tasks with their dates, in one insert, and the plan's span
    rows = list(baseline.tasks.order_by("outline_key"))
    assert [row.task_name for row in rows] == ["Step 1", "Step 2", "Step 3", "Done"]
    assert [row.task_id for row in rows] == [task.pk for task in tasks]
    fresh = tasks[2]
    fresh.refresh_from_db()
    assert (rows[2].start, rows[2].finish, rows[2].duration_minutes) == (
        fresh.start,
        fresh.finish,
        DAY,
    )
    assert rows[3].is_milestone and rows[3].cost is None
    assert baseline.task_count == 4 and baseline.note == "Signed off by the board"
    assert baseline.project_finish == max(row.finish for row in rows)
    inserts = [
        q for q in captured.captured_queries if 'INSERT INTO "projects_baselinetask"' in q["sql"]
    ]
    assert len(inserts) == 1
    # and the history says who saved it
    entry = HistoryEntry.objects.get(
        target_type__model="baseline", target_id=str(baseline.pk), action="created"
    )
    assert entry.actor == tpm and entry.scope == f"project:{project.pk}"


def test_a_summary_is_baselined_with_the_working_time_it_spans(project, tpm):
    # given a phase with two one-day tasks in a row
    phase = task_services.task_create(project=project, actor=tpm, name="Build")
    first = task_services.task_create(project=project, actor=tpm, name="A", parent=phase)
    second = task_services.task_create(project=project, actor=tpm, name="B", parent=phase)
    task_services.dependency_create(predecessor=first, successor=second, actor=tpm)
    # when a baseline is saved
    baseline = baseline_services.baseline_save(project=project, actor=tpm, name="v1")
    # then the phase's row lasts two days
    row = baseline.tasks.get(task=phase)
    assert row.is_summary and row.duration_minutes == 2 * DAY


def test_a_baseline_keeps_each_tasks_planned_cost_and_the_phases_total(project, tpm):
    phase = task_services.task_create(project=project, actor=tpm, name="Build")
    task_services.task_create(
        project=project, actor=tpm, name="A", parent=phase, cost=Decimal("1200.00")
    )
    task_services.task_create(
        project=project, actor=tpm, name="B", parent=phase, cost=Decimal("300.50")
    )
    baseline = baseline_services.baseline_save(project=project, actor=tpm, name="v1")
    costs = dict(baseline.tasks.values_list("task_name", "cost"))
    assert costs == {"Build": Decimal("1500.50"), "A": Decimal("1200.00"), "B": Decimal("300.50")}


def test_a_second_baseline_with_the_same_name_is_refused(project, tpm):
    # given a baseline named "Approved plan"
    chain(project, tpm, 1)
    baseline_services.baseline_save(project=project, actor=tpm, name="Approved plan")
    # when another is saved under the same name (in other letters' case)
    with pytest.raises(ValidationError) as error:
        baseline_services.baseline_save(project=project, actor=tpm, name="approved PLAN ")
    # then the name is refused and only one exists
    assert "already has a baseline" in error.value.message_dict["name"][0]
    assert Baseline.objects.filter(project=project).count() == 1


def test_several_baselines_are_kept_side_by_side(project, tpm):
    chain(project, tpm, 2)
    baseline_services.baseline_save(project=project, actor=tpm, name="Approved plan")
    baseline_services.baseline_save(project=project, actor=tpm, name="Re-plan after audit")
    assert project.baselines.count() == 2
    assert BaselineTask.objects.filter(baseline__project=project).count() == 6


def test_an_empty_plan_cannot_be_baselined(project, tpm):
    with pytest.raises(ValidationError, match="no schedule yet"):
        baseline_services.baseline_save(project=project, actor=tpm, name="Too early")
    assert not Baseline.objects.exists()


def test_a_blank_name_is_refused(project, tpm):
    chain(project, tpm, 1)
    with pytest.raises(ValidationError) as error:
        baseline_services.baseline_save(project=project, actor=tpm, name="  ")
    assert "name" in error.value.message_dict


def test_the_database_keeps_one_name_per_project():
    # given a baseline, when a row with the same project and name is forced in
    baseline = BaselineFactory(name="v1")
    with pytest.raises(IntegrityError), transaction.atomic():
        BaselineFactory(project=baseline.project, name="v1")


def test_deleting_a_baseline_keeps_the_plan_and_records_it(project, tpm):
    # given a baseline of a plan
    tasks = chain(project, tpm, 2)
    baseline = baseline_services.baseline_save(project=project, actor=tpm, name="v1")
    pk = baseline.pk
    # when it is deleted
    baseline_services.baseline_delete(baseline=baseline, actor=tpm)
    # then it and its rows are gone, the tasks stay, and the history says so
    assert not Baseline.objects.filter(pk=pk).exists()
    assert not BaselineTask.objects.filter(baseline_id=pk).exists()
    assert project.tasks.count() == len(tasks)
    assert HistoryEntry.objects.filter(
        target_type__model="baseline", target_id=str(pk), action="deleted", actor=tpm
    ).exists()


def test_deleting_a_task_for_good_keeps_its_baseline_row(project, tpm):
    # given a baselined task that is later purged from the database
    tasks = chain(project, tpm, 2, milestone_at_end=False)
    baseline = baseline_services.baseline_save(project=project, actor=tpm, name="v1")
    tasks[1].delete()
    # then its row stays with its name, no longer pointing at a task
    row = baseline.tasks.get(task_name="Step 2")
    assert row.task_id is None


# --- comparison -------------------------------------------------------------------------------


def test_the_comparison_shows_slip_added_and_removed_tasks(project, tpm):
    # given a baseline of Step 1 -> Step 2 -> Step 3 -> Done, and a side task
    tasks = chain(project, tpm, 3)
    side = task_services.task_create(project=project, actor=tpm, name="Side task")
    baseline_services.baseline_save(project=project, actor=tpm, name="v1")
    # when Step 2 grows to three days, the side task is deleted and a new task is added
    step2 = tasks[1]
    step2.refresh_from_db()
    task_services.task_update(
        task=step2, actor=tpm, version=step2.version, changes=TaskChanges(duration_minutes=3 * DAY)
    )
    side.refresh_from_db()
    task_services.task_delete(task=side, actor=tpm)
    task_services.task_create(project=project, actor=tpm, name="Extra review")
    comparison = baseline_comparison(baseline=Baseline.objects.select_related("project").get())
    # then Step 2 started on time, is two days longer and finishes two days late
    rows = {row.entry.name: row for row in comparison.result.rows}
    assert (rows["Step 2"].start_days, rows["Step 2"].finish_days) == (0, 2)
    assert rows["Step 2"].duration_days == 2
    assert (rows["Step 3"].start_days, rows["Step 3"].duration_days) == (2, 0)
    # and the side task is removed, the review added
    assert rows["Side task"].kind == RowKind.REMOVED
    assert rows["Extra review"].kind == RowKind.ADDED
    # and the milestone slipped two days, as did the project
    assert [row.entry.name for row in comparison.result.slipped_milestones] == ["Done"]
    assert rows["Done"].finish_days == 2
    assert comparison.result.project_finish_days == 2
    assert comparison.minutes_per_day == DAY


def test_a_weekend_between_the_dates_is_not_slip(project, tpm):
    # given a one-day task on Friday, baselined
    task = task_services.task_create(project=project, actor=tpm, name="Friday job")
    baseline = baseline_services.baseline_save(project=project, actor=tpm, name="v1")
    BaselineTask.objects.filter(baseline=baseline).update(
        start=task.start.replace(day=8), finish=task.finish.replace(day=8)
    )
    # when the task now falls on the Monday after (one working day later)
    task.refresh_from_db()
    task_services.task_update(
        task=task, actor=tpm, version=task.version, changes=TaskChanges(duration_minutes=DAY)
    )
    baseline.refresh_from_db()
    comparison = baseline_comparison(baseline=baseline)
    # then Monday 4th against Friday 8th is four working days early, not six calendar days
    (row,) = comparison.result.rows
    assert row.start_days == -4


def test_the_comparison_costs_the_same_queries_for_5_or_50_tasks(tpm):
    def measure(count: int) -> int:
        project = ProjectFactory(
            organisation=tpm.memberships.first().organisation, start_date=MONDAY
        )
        TaskFactory.create_batch(count, project=project)
        schedule_services.renumber(project)
        schedule_services.project_reschedule(project=project)
        baseline = baseline_services.baseline_save(project=project, actor=tpm, name="v1")
        BaselineTaskFactory(baseline=baseline, task=None, task_name="Gone")
        baseline = Baseline.objects.select_related("project").get(pk=baseline.pk)
        with CaptureQueriesContext(connection) as captured:
            baseline_comparison(baseline=baseline)
        return len(captured)

    assert measure(5) == measure(50)
