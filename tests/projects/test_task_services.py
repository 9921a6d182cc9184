"""Building a plan through the services: WBS codes, links, calendars and rescheduling."""

from datetime import UTC, date, datetime
from itertools import pairwise

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Dependency, Task
from projects.plan import services as task_services
from projects.plan.changes import LinkChanges, ProgressChanges, TaskChanges
from projects.schedule import services as schedule_services
from tests.factories import (
    CalendarExceptionFactory,
    ProjectFactory,
    WorkCalendarFactory,
    member_of,
)
from tpm.concurrency import StaleVersionError
from tpm.models import HistoryEntry
from tpm.roles import OrgRole

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 1, 4)
DAY = 480


def at(day: int, hour: int) -> datetime:
    """January 2027 at an hour, in the site's zone."""
    return timezone.make_aware(datetime(2027, 1, day, hour))


@pytest.fixture
def project():
    return ProjectFactory(start_date=MONDAY)


@pytest.fixture
def tpm(project):
    return member_of(project.organisation, OrgRole.ADMIN)


@pytest.fixture
def under_way():
    """The clock on Wednesday 20 January 2027: the plan (from 4 January) has started, so a
    report of progress takes each task's scheduled start as its actual start."""
    with time_machine.travel(datetime(2027, 1, 20, 12, tzinfo=UTC), tick=False):
        yield


def add(project, tpm, name, days=1, **fields) -> Task:
    return task_services.task_create(
        project=project, actor=tpm, name=name, duration_minutes=days * DAY, **fields
    )


def test_tasks_get_wbs_codes_and_parents_become_summaries(project, tpm):
    # given a phase with two tasks and a second phase
    design = add(project, tpm, "Design")
    wireframes = add(project, tpm, "Wireframes", parent=design)
    review = add(project, tpm, "Review", parent=design)
    build = add(project, tpm, "Build")
    # then the outline is numbered and the phase rolls up its children
    codes = dict(Task.objects.values_list("name", "wbs_code"))
    assert codes == {"Design": "1", "Wireframes": "1.1", "Review": "1.2", "Build": "2"}
    design.refresh_from_db()
    assert design.is_summary
    assert not build.is_summary
    assert wireframes.start == review.start == at(4, 8)


def test_a_finish_to_start_link_moves_the_successor_after_the_predecessor(project, tpm):
    # given two three-day tasks
    spec = add(project, tpm, "Write spec", days=3)
    code = add(project, tpm, "Implement", days=3)
    # when the second waits for the first, with one day of lag
    task_services.dependency_create(
        predecessor=spec, successor=code, actor=tpm, type="FS", lag_minutes=DAY
    )
    # then it starts the working day after the lag, and the chain is critical
    code.refresh_from_db()
    spec.refresh_from_db()
    assert spec.finish == at(6, 17)
    assert code.start == at(8, 8)  # spec works Mon-Wed, the lag takes Thursday
    assert spec.is_critical and code.is_critical
    assert code.total_float_minutes == 0


def test_a_link_that_closes_a_loop_is_refused_naming_the_tasks(project, tpm):
    # given a -> b -> c
    a, b, c = (add(project, tpm, name) for name in ("Alpha", "Bravo", "Charlie"))
    task_services.dependency_create(predecessor=a, successor=b, actor=tpm)
    task_services.dependency_create(predecessor=b, successor=c, actor=tpm)
    # when c -> a is added
    with pytest.raises(ValidationError) as error:
        task_services.dependency_create(predecessor=c, successor=a, actor=tpm)
    # then the message names the loop and nothing was saved
    message = error.value.message_dict["predecessor"][0]
    assert all(name in message for name in ("Alpha", "Bravo", "Charlie"))
    assert Dependency.objects.count() == 2


def test_a_holiday_in_the_project_calendar_pushes_work_out(project, tpm):
    # given the organisation's calendar has Tuesday off
    calendar = WorkCalendarFactory(organisation=project.organisation, is_organisation_default=True)
    CalendarExceptionFactory(calendar=calendar, first_day=date(2027, 1, 5), name="Founders' day")
    # when a three-day task is planned from Monday
    task = add(project, tpm, "Migrate data", days=3)
    # then it works Monday, Wednesday and Thursday
    assert task.start == at(4, 8)
    assert task.finish == at(7, 17)


def test_a_deadline_the_plan_cannot_meet_shows_negative_float(project, tpm):
    # given five days of work due after two
    task = add(project, tpm, "Security review", days=5, deadline=date(2027, 1, 5))
    # then the dates stay where the logic puts them and the float says how late it is
    assert task.finish == at(8, 17)
    assert task.total_float_minutes == -3 * DAY
    assert task.has_negative_float and task.is_critical


def test_a_predecessor_in_another_project_holds_the_successor(project, tpm):
    # given a platform milestone in a sister project, scheduled on the 13th
    platform = ProjectFactory(organisation=project.organisation, start_date=date(2027, 1, 11))
    api_ready = add(platform, tpm, "API ready", days=3)
    # when our task waits for it
    client_work = add(project, tpm, "Client integration", days=2)
    task_services.dependency_create(predecessor=api_ready, successor=client_work, actor=tpm)
    # then our task starts after the other project's task finishes
    client_work.refresh_from_db()
    assert client_work.start == at(14, 8)


def test_a_slip_in_one_project_moves_the_projects_that_follow_it(project, tpm):
    # given three projects chained by cross-project links: platform -> ours -> rollout
    platform = ProjectFactory(organisation=project.organisation, start_date=MONDAY)
    rollout = ProjectFactory(organisation=project.organisation, start_date=MONDAY)
    api_ready = add(platform, tpm, "API ready", days=2)
    client_work = add(project, tpm, "Client integration", days=2)
    launch = add(rollout, tpm, "Launch", days=1)
    task_services.dependency_create(predecessor=api_ready, successor=client_work, actor=tpm)
    task_services.dependency_create(predecessor=client_work, successor=launch, actor=tpm)
    launch.refresh_from_db()
    assert launch.start == at(8, 8)
    # when the platform's task takes three days longer
    api_ready.refresh_from_db()
    task_services.task_update(
        task=api_ready,
        actor=tpm,
        version=api_ready.version,
        changes=TaskChanges(duration_minutes=5 * DAY),
    )
    # then both following projects move, not only the one next to it
    client_work.refresh_from_db()
    launch.refresh_from_db()
    assert client_work.start == at(11, 8)
    assert launch.start == at(13, 8)


def test_a_deleted_project_is_left_alone_by_the_cascade(project, tpm):
    platform = ProjectFactory(organisation=project.organisation, start_date=MONDAY)
    api_ready = add(platform, tpm, "API ready", days=2)
    client_work = add(project, tpm, "Client integration", days=2)
    task_services.dependency_create(predecessor=api_ready, successor=client_work, actor=tpm)
    client_work.refresh_from_db()
    before = client_work.start
    project.deleted_at = timezone.now()
    project.save()
    api_ready.refresh_from_db()
    task_services.task_update(
        task=api_ready,
        actor=tpm,
        version=api_ready.version,
        changes=TaskChanges(duration_minutes=5 * DAY),
    )
    client_work.refresh_from_db()
    assert client_work.start == before


def test_a_loop_through_another_project_is_refused_naming_it(project, tpm):
    # given ours -> platform -> ours: Spec feeds the platform's API, which feeds our Client
    platform = ProjectFactory(organisation=project.organisation, key="PLT", start_date=MONDAY)
    spec = add(project, tpm, "Spec")
    api = add(platform, tpm, "API")
    client = add(project, tpm, "Client")
    task_services.dependency_create(predecessor=spec, successor=api, actor=tpm)
    task_services.dependency_create(predecessor=api, successor=client, actor=tpm)
    # when Client is made to come before Spec, closing the loop through the other project
    with pytest.raises(ValidationError) as error:
        task_services.dependency_create(predecessor=client, successor=spec, actor=tpm)
    # then the refusal names every task of the loop, the other project's with its key
    assert error.value.message_dict["predecessor"] == [
        "This link would close a loop: Spec → PLT: API → Client → Spec."
    ]
    assert Dependency.objects.count() == 2


def test_rescheduling_does_not_query_per_task(project, tpm):
    def queries(n: int) -> int:
        other = ProjectFactory(organisation=project.organisation, start_date=MONDAY)
        tasks = [Task.objects.create(project=other, name=f"T{i}", position=i) for i in range(n)]
        for before, after in pairwise(tasks):
            Dependency.objects.create(predecessor=before, successor=after)
        with CaptureQueriesContext(connection) as ctx:
            schedule_services.project_reschedule(project=other)
        return len(ctx.captured_queries)

    # reads are fixed; the write is batched (SQLite takes fewer rows per statement than PostgreSQL)
    assert queries(200) - queries(20) <= 3


def test_editing_a_duration_reschedules_the_successors(project, tpm):
    # given design -> build
    design = add(project, tpm, "Design", days=2)
    build = add(project, tpm, "Build", days=2)
    task_services.dependency_create(predecessor=design, successor=build, actor=tpm)
    design.refresh_from_db()
    # when design takes a day longer
    task_services.task_update(
        task=design,
        actor=tpm,
        version=design.version,
        changes=TaskChanges(duration_minutes=3 * DAY),
    )
    # then build moves by a day, and the history says from what to what
    build.refresh_from_db()
    assert build.start == at(7, 8)
    entry = HistoryEntry.objects.filter(target_id=str(design.pk), action="updated").first()
    assert entry.changes == {"duration_minutes": [2 * DAY, 3 * DAY]}


def test_a_stale_edit_is_refused_and_nothing_changes(project, tpm):
    task = add(project, tpm, "Design", days=2)
    stale = task.version
    task_services.task_update(
        task=task, actor=tpm, version=stale, changes=TaskChanges(name="Design v2")
    )
    with pytest.raises(StaleVersionError):
        task_services.task_update(
            task=task, actor=tpm, version=stale, changes=TaskChanges(duration_minutes=DAY)
        )
    task.refresh_from_db()
    assert (task.name, task.duration_minutes) == ("Design v2", 2 * DAY)


def test_marking_a_task_done_records_its_actual_finish_and_full_progress(project, tpm, under_way):
    task = add(project, tpm, "Write tests", days=2)
    done = task_services.task_update_progress(
        task=task, actor=tpm, version=task.version, changes=ProgressChanges(status="completed")
    )
    assert done.percent_complete == 100
    assert done.actual_finish is not None and done.actual_start is not None


def test_progress_cannot_finish_before_it_started(project, tpm):
    task = add(project, tpm, "Write tests", days=2)
    with pytest.raises(ValidationError) as error:
        task_services.task_update_progress(
            task=task,
            actor=tpm,
            version=task.version,
            changes=ProgressChanges(actual_start=at(6, 8), actual_finish=at(5, 8)),
        )
    assert "actual_finish" in error.value.message_dict


def test_indenting_a_task_makes_its_new_parent_a_summary(project, tpm):
    # given three tasks in a row
    _plan, second, third = (add(project, tpm, n) for n in ("Plan", "Design", "Build"))
    # when "Build" moves under "Design"
    task_services.task_move(task=third, actor=tpm, parent=second, position=0, version=third.version)
    # then the outline reads 1, 2, 2.1
    codes = dict(Task.objects.values_list("name", "wbs_code"))
    assert codes == {"Plan": "1", "Design": "2", "Build": "2.1"}
    second.refresh_from_db()
    assert second.is_summary


def test_a_task_cannot_move_under_its_own_subtask(project, tpm):
    phase = add(project, tpm, "Phase")
    child = add(project, tpm, "Child", parent=phase)
    with pytest.raises(ValidationError, match="under itself"):
        task_services.task_move(task=phase, actor=tpm, parent=child, position=0, version=1)


def test_deleting_a_predecessor_frees_its_successor(project, tpm):
    design = add(project, tpm, "Design", days=3)
    build = add(project, tpm, "Build", days=1)
    task_services.dependency_create(predecessor=design, successor=build, actor=tpm)
    task_services.task_delete(task=design, actor=tpm)
    build.refresh_from_db()
    assert build.start == at(4, 8)
    assert list(Task.objects.alive().values_list("wbs_code", flat=True)) == ["1"]


def test_changing_a_link_to_start_to_start_pulls_the_successor_in(project, tpm):
    design = add(project, tpm, "Design", days=3)
    build = add(project, tpm, "Build", days=1)
    link = task_services.dependency_create(predecessor=design, successor=build, actor=tpm)
    task_services.dependency_update(
        link=link, actor=tpm, version=link.version, changes=LinkChanges(type="SS", lag_minutes=DAY)
    )
    build.refresh_from_db()
    assert build.start == at(5, 8)


def test_the_outline_keeps_order_past_nine_siblings(project, tpm):
    for n in range(1, 12):
        add(project, tpm, f"Step {n}")
    names = list(Task.objects.alive().values_list("name", flat=True))
    assert names == [f"Step {n}" for n in range(1, 12)]
    assert schedule_services.outline_key("1.10") > schedule_services.outline_key("1.9")


def test_a_phase_shows_the_progress_of_its_tasks(project, tpm, under_way):
    # given a phase of a three-day and a one-day task
    phase = add(project, tpm, "Design")
    long = add(project, tpm, "Wireframes", days=3, parent=phase)
    add(project, tpm, "Review", days=1, parent=phase)
    # when the long one is done
    task_services.task_update_progress(
        task=long, actor=tpm, version=long.version, changes=ProgressChanges(percent_complete=100)
    )
    # then the phase is three quarters done and in progress, and cannot be reported on directly
    phase.refresh_from_db()
    assert (phase.percent_complete, phase.status) == (75, "in_progress")
    with pytest.raises(ValidationError, match="comes from its tasks"):
        task_services.task_update_progress(
            task=phase,
            actor=tpm,
            version=phase.version,
            changes=ProgressChanges(percent_complete=10),
        )
