"""Plan edits say what they change with a typed dataclass (projects/plan/changes.py), and the
reschedule behind them reports which tasks it moved or rewrote (projects/schedule/services.py).

The project starts on Monday 4 January 2027 on the standard calendar (Mon-Fri, 8 h a day, UTC).
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from projects.models import Task
from projects.plan import services as task_services
from projects.plan.changes import (
    NOT_GIVEN,
    PLAN_FIELDS,
    LinkChanges,
    ProgressChanges,
    TaskChanges,
)
from projects.schedule import services as schedule_services
from tests.factories import ProjectFactory, member_of
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


def add(project, tpm, name, days=1, **fields) -> Task:
    return task_services.task_create(
        project=project, actor=tpm, name=name, duration_minutes=days * DAY, **fields
    )


# --- the dataclasses --------------------------------------------------------------------------


def test_changes_name_only_what_was_given():
    # given an edit of the name and a cleared deadline
    changes = TaskChanges(name="Design", deadline=None)
    # then only those two are changes: None is a value, NOT_GIVEN is not
    assert changes.given() == {"name": "Design", "deadline": None}
    assert changes.duration_minutes is NOT_GIVEN
    assert TaskChanges().given() == {}


def test_from_dict_refuses_a_field_the_edit_does_not_change():
    # when parsed input carries a field outside the edit
    with pytest.raises(ValidationError) as error:
        TaskChanges.from_dict({"name": "Design", "wbs_code": "9"})
    # then it is named, as before the dataclasses
    assert error.value.message_dict == {"wbs_code": ["This field cannot be changed here."]}
    assert ProgressChanges.from_dict({"percent_complete": 5}).given() == {"percent_complete": 5}


def test_the_plan_fields_are_the_task_changes_but_the_people():
    assert PLAN_FIELDS[0] == "name"
    assert set(PLAN_FIELDS) == set(TaskChanges.names()) - {"assignees"}


# --- the services with them -------------------------------------------------------------------


def test_a_partial_link_change_keeps_what_was_not_given(project, tpm):
    # given Design -> Build, finish-to-start with no lag
    design, build = add(project, tpm, "Design", 2), add(project, tpm, "Build")
    link = task_services.dependency_create(predecessor=design, successor=build, actor=tpm)
    # when only the lag changes
    updated = task_services.dependency_update(
        link=link, actor=tpm, version=link.version, changes=LinkChanges(lag_minutes=DAY)
    )
    # then the type stays, and the history names the lag alone
    assert (updated.type, updated.lag_minutes) == ("FS", DAY)
    entry = HistoryEntry.objects.filter(target_id=str(link.pk), action="updated").get()
    assert entry.changes == {"lag": [0, DAY]}


def test_a_task_update_reports_what_its_reschedule_moved(project, tpm):
    # given Design (2 days) -> Build, and Review beside them, longer than both
    design, build = add(project, tpm, "Design", 2), add(project, tpm, "Build")
    review = add(project, tpm, "Review", 5)
    task_services.dependency_create(predecessor=design, successor=build, actor=tpm)
    design.refresh_from_db()
    # when Design takes a day longer
    updated = task_services.task_update(
        task=design,
        actor=tpm,
        version=design.version,
        changes=TaskChanges(duration_minutes=3 * DAY),
    )
    # then Design and Build moved (their floats changed too); Review, untouched, is not named
    assert updated.task.duration_minutes == 3 * DAY
    assert updated.moved_ids == {design.pk, build.pk}
    assert updated.changed_ids == {design.pk, build.pk}
    assert review.pk not in updated.changed_ids


def test_a_task_update_that_changes_nothing_reports_nothing(project, tpm):
    design = add(project, tpm, "Design")
    updated = task_services.task_update(
        task=design, actor=tpm, version=design.version, changes=TaskChanges(name="Design")
    )
    assert (updated.moved_ids, updated.changed_ids) == (frozenset(), frozenset())
    assert updated.task.version == design.version + 1


def test_a_summary_whose_progress_rolls_up_is_reported_changed(project, tpm):
    # given a phase of two tasks, one given 16 hours of effort behind the services' back
    phase = add(project, tpm, "Phase")
    first = add(project, tpm, "First", parent=phase)
    add(project, tpm, "Second", parent=phase)
    Task.objects.filter(pk=first.pk).update(effort_hours=16)
    # when the project is rescheduled
    rescheduled = schedule_services.project_reschedule(project=project)
    # then nothing moved, but the phase's rolled-up effort was rewritten and is reported
    assert rescheduled.moved == frozenset()
    assert rescheduled.changed == {phase.pk}
    phase.refresh_from_db()
    assert phase.effort_hours == 16
