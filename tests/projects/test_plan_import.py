"""A whole plan written at once: numbered, linked and scheduled in one go."""

from datetime import date

import pytest

from projects.models import Dependency, Task, TaskStatus
from projects.plan.importing import PlannedLink, PlannedTask, plan_import, plan_progress_catch_up
from tests.factories import ProjectFactory, member_of
from tpm.models import HistoryEntry
from tpm.roles import OrgRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(start_date=date(2027, 1, 4))


@pytest.fixture
def actor(project):
    return member_of(project.organisation, OrgRole.ADMIN)


def _plan():
    tasks = [
        PlannedTask("p1", "Design"),
        PlannedTask("spec", "Write spec", 2, "p1"),
        PlannedTask("review", "Review spec", 1, "p1"),
        PlannedTask("p2", "Build"),
        PlannedTask("code", "Implement", 5, "p2"),
        PlannedTask("done", "Ready", 0, "p2", milestone=True),
    ]
    links = [
        PlannedLink("spec", "review"),
        PlannedLink("review", "code", lag_days=1),
        PlannedLink("code", "done"),
    ]
    return tasks, links


def test_an_imported_plan_is_numbered_linked_and_scheduled(project, actor):
    # when a plan of two phases arrives
    tasks, links = _plan()
    result = plan_import(project=project, actor=actor, tasks=tasks, links=links)
    # then the outline, links and dates are all there
    codes = dict(Task.objects.values_list("name", "wbs_code"))
    assert codes["Implement"] == "2.1" and codes["Review spec"] == "1.2"
    assert Dependency.objects.count() == 3
    ready = Task.objects.get(pk=result.tasks["done"].pk)
    assert ready.is_milestone and ready.is_critical
    assert ready.finish.date() == date(2027, 1, 14)  # spec 4-5, review 6, lag 7, code 8-14
    # and the history says what happened
    plans = [e.changes["plan"][1] for e in HistoryEntry.objects.filter(changes__has_key="plan")]
    assert plans == ["6 tasks and 3 links added"]


def test_catching_up_reports_work_planned_before_the_date(project, actor):
    tasks, links = _plan()
    plan_import(project=project, actor=actor, tasks=tasks, links=links)
    # when progress is reported as of the Monday of week two
    changed = plan_progress_catch_up(project=project, actor=actor, as_of=date(2027, 1, 11))
    # then finished tasks are complete at their dates and the one under way is part done
    assert changed == 3
    spec = Task.objects.get(name="Write spec")
    assert spec.status == TaskStatus.COMPLETED and spec.actual_finish == spec.finish
    code = Task.objects.get(name="Implement")
    assert code.status == TaskStatus.IN_PROGRESS and 0 < code.percent_complete < 100
    project.refresh_from_db()
    assert project.status_date == date(2027, 1, 11)
