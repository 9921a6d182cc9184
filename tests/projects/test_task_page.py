"""A task's page: its figures, links and the forms for planners and for the people doing it.

The project starts on Monday 4 January 2027 on the standard calendar (8 hours a day).
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects.models import Dependency, Task, TaskStatus
from projects.plan import services as task_services
from projects.plan.changes import LinkChanges, ProgressChanges, TaskChanges
from tests.conftest import client_for
from tests.factories import ProjectFactory, ProjectMembershipFactory
from tests.projects.factories_scope import DeliverableFactory, ObjectiveFactory
from tests.projects.helpers import assert_same_count, queries_for, text

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def plan(world):
    world.project.start_date = MONDAY
    world.project.save()
    return world


@pytest.fixture
def under_way():
    """The clock on Wednesday 20 January 2027: the plan (from 4 January) has started, so a
    report of progress takes each task's scheduled start as its actual start."""
    with time_machine.travel(datetime(2027, 1, 20, 12, tzinfo=UTC), tick=False):
        yield


def add(world, name, days=1, project=None, **fields) -> Task:
    return task_services.task_create(
        project=project or world.project,
        actor=world.admin,
        name=name,
        duration_minutes=days * DAY,
        **fields,
    )


def _page(task) -> str:
    return reverse("task-detail", args=[task.project_id, task.pk])


def _url(name, task) -> str:
    return reverse(name, args=[task.project_id, task.pk])


def _plan_data(task, **changes):
    data = {
        "name": task.name,
        "duration_days": str(task.duration_minutes / DAY),
        "effort_hours": "",
        "cost": "",
        "actual_cost": "",
        "deadline": "",
        "constraint_type": "ASAP",
        "constraint_date": "",
        "manual_start": "",
        "manual_finish": "",
        "calendar": "",
        "notes": "",
        "version": task.version,
    }
    return {**data, **changes}


def _progress_data(task, **changes):
    data = {
        "status": task.status,
        "percent_complete": task.percent_complete,
        "actual_start": "",
        "actual_finish": "",
        "version": task.version,
    }
    return {**data, **changes}


def test_the_task_page_shows_plan_dates_floats_and_links_both_ways(plan):
    # given spec -> build (SS, 1 day lag) -> test
    spec = add(plan, "Spec", days=3)
    build = add(plan, "Build", days=2, deadline=date(2027, 1, 5))
    test = add(plan, "Test")
    task_services.dependency_create(
        predecessor=spec, successor=build, actor=plan.admin, type="SS", lag_minutes=DAY
    )
    task_services.dependency_create(predecessor=build, successor=test, actor=plan.admin)
    # when a viewer opens build's page
    response = client_for(plan.viewer).get(_page(build))
    page = text(response)
    # then the computed dates, the negative float and both links are there
    assert response.status_code == 200
    assert "5 Jan 2027 08:00" in page  # start: Tuesday, one day after spec starts
    assert "6 Jan 2027 17:00" in page  # finish
    assert "late by 1 day" in page
    assert response.context["predecessors"][0].label == "1 Spec"
    assert "Start-to-start (SS)" in page
    assert response.context["successors"][0].label == "3 Test"
    # and the viewer gets no forms
    assert _url("task-edit", build) not in page
    assert _url("task-progress", build) not in page
    assert _url("task-link-add", build) not in page


def test_the_task_must_belong_to_the_project_in_the_address(plan):
    # given a task of WEB
    task = add(plan, "Spec")
    sister = ProjectFactory(organisation=plan.organisation, key="SIS")
    # when it is addressed under another project of the organisation
    response = client_for(plan.admin).get(reverse("task-detail", args=[sister.pk, task.pk]))
    # then it is not found
    assert response.status_code == 404


def test_a_planner_changes_the_duration_and_the_successor_moves(plan):
    # given spec -> build
    spec = add(plan, "Spec", days=2)
    build = add(plan, "Build")
    task_services.dependency_create(predecessor=spec, successor=build, actor=plan.admin)
    client = client_for(plan.manager)
    # when the manager makes spec four days long on its page
    response = client.post(_url("task-edit", spec), _plan_data(spec, duration_days="4"))
    # then the page comes back and build starts on Friday
    assert response.status_code == 302
    build.refresh_from_db()
    assert build.start.date() == date(2027, 1, 8)
    assert "Saved the plan" in text(client.get(response["Location"]))


def test_a_planner_assigns_people_of_the_project_from_the_task_page(plan):
    task = add(plan, "Spec")
    client = client_for(plan.manager)
    # the choices are the project's people and the organisation's admins, nobody else
    offered = client.get(_page(task)).context["plan_form"].fields["assignees"].queryset
    assert set(offered) == {
        plan.admin,
        plan.manager,
        plan.member,
        plan.stakeholder,
        plan.viewer,
    }
    # when the manager assigns the member
    response = client.post(_url("task-edit", task), _plan_data(task, assignees=[plan.member.pk]))
    # then the member has the work and the page says so
    assert response.status_code == 302
    assert list(task.assignees.all()) == [plan.member]
    assert plan.member.display_name in text(client.get(_page(task)))


def test_someone_without_a_role_in_the_project_cannot_be_assigned(plan):
    task = add(plan, "Spec")
    response = client_for(plan.manager).post(
        _url("task-edit", task), _plan_data(task, assignees=[plan.bystander.pk])
    )
    assert response.status_code == 422
    assert response.context["plan_form"].errors["assignees"]
    assert not task.assignees.exists()


def test_a_planner_enters_costs_and_the_phase_adds_them_up(plan):
    phase = add(plan, "Phase")
    task = add(plan, "Spec", parent=phase)
    client = client_for(plan.manager)
    response = client.post(
        _url("task-edit", task), _plan_data(task, cost="1250.50", actual_cost="200")
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert (phase.cost, phase.actual_cost) == (Decimal("1250.50"), Decimal("200.00"))
    # a summary's page shows the totals and offers no cost, effort or duration to type over
    page = client.get(_page(phase))
    assert "1250.50 USD" in text(page)
    assert {"cost", "actual_cost", "effort_hours", "duration_days"}.isdisjoint(
        page.context["plan_form"].fields
    )


def test_a_negative_cost_is_a_field_error(plan):
    task = add(plan, "Spec")
    response = client_for(plan.manager).post(_url("task-edit", task), _plan_data(task, cost="-5"))
    assert response.status_code == 422
    assert response.context["plan_form"].errors["cost"]


def test_a_dated_constraint_needs_a_date(plan):
    # given a task
    task = add(plan, "Spec")
    # when the manager picks "start no earlier than" without a date
    response = client_for(plan.manager).post(
        _url("task-edit", task), _plan_data(task, constraint_type="SNET")
    )
    # then the field explains, with a 422
    assert response.status_code == 422
    assert response.context["plan_form"].errors["constraint_date"]


def test_a_stale_plan_edit_is_a_409_and_overwrites_nothing(plan):
    # given someone renamed the task after the manager opened the page
    task = add(plan, "Spec")
    seen = task.version
    task_services.task_update(
        task=task, actor=plan.admin, version=seen, changes=TaskChanges(name="Specification")
    )
    # when the manager saves from the old version
    response = client_for(plan.manager).post(
        _url("task-edit", task), _plan_data(task, name="Spec v2", duration_days="3")
    )
    # then they are told and shown the current values
    assert response.status_code == 409
    assert "changed by someone else" in text(response)
    assert response.context["plan_form"].initial["name"] == "Specification"
    task.refresh_from_db()
    assert task.name == "Specification" and task.duration_minutes == DAY


def test_a_link_that_closes_a_loop_is_refused_naming_the_loop(plan):
    # given design -> build
    design, build = add(plan, "Design"), add(plan, "Build")
    task_services.dependency_create(predecessor=design, successor=build, actor=plan.admin)
    # when the manager makes design follow build
    response = client_for(plan.manager).post(
        _url("task-link-add", design), {"predecessor": build.pk, "type": "FS", "lag_days": ""}
    )
    # then the loop is named next to the field, with a 422, and no link is saved
    assert response.status_code == 422
    errors = response.context["link_form"].errors["predecessor"]
    assert "This link would close a loop" in errors[0]
    assert "Design" in errors[0] and "Build" in errors[0]
    assert "would close a loop" in text(response)
    assert Dependency.objects.count() == 1


def test_a_planner_links_a_task_of_another_project_with_a_lead(plan):
    # given a task in a sister project the manager can see
    sister = ProjectFactory(organisation=plan.organisation, key="SIS", start_date=MONDAY)
    ProjectMembershipFactory(project=sister, user=plan.manager, role="viewer")
    api = add(plan, "API ready", days=3, project=sister)
    client_work = add(plan, "Client work", days=2)
    client = client_for(plan.manager)
    # then the predecessor picker's search offers it, labelled with its project
    search = _url("task-predecessor-search", client_work)
    found = client.get(search, {"q": "API"}).json()["results"]
    assert [task["label"] for task in found] == ["SIS 1 API ready"]
    # when the manager links it with a one-day lead
    response = client.post(
        _url("task-link-add", client_work), {"predecessor": api.pk, "type": "FS", "lag_days": "-1"}
    )
    # then our task starts a day before the other one finishes
    assert response.status_code == 302
    link = Dependency.objects.get()
    assert link.lag_minutes == -DAY
    client_work.refresh_from_db()
    assert client_work.start.date() == date(2027, 1, 6)


def test_a_task_of_a_project_the_user_cannot_see_is_not_offered(plan):
    # given a task in another organisation
    foreign = add(plan, "Secret", project=plan.other_project)
    task = add(plan, "Ours")
    # when the manager tries to link it anyway
    response = client_for(plan.manager).post(
        _url("task-link-add", task), {"predecessor": foreign.pk, "type": "FS"}
    )
    # then it is not a valid choice
    assert response.status_code == 422
    assert not Dependency.objects.exists()


def test_a_planner_removes_a_link(plan):
    # given spec -> build
    spec, build = add(plan, "Spec", days=2), add(plan, "Build")
    link = task_services.dependency_create(predecessor=spec, successor=build, actor=plan.admin)
    # when the manager removes it from build's page
    response = client_for(plan.manager).post(
        reverse("task-link-remove", args=[plan.project.pk, build.pk, link.pk])
    )
    # then build goes back to the project start
    assert response.status_code == 302
    assert not Dependency.objects.exists()
    build.refresh_from_db()
    assert build.start.date() == MONDAY


def _link_edit(link, type_, lag, version=None):
    prefix = f"link{link.pk}"
    return {
        f"{prefix}-type": type_,
        f"{prefix}-lag_days": lag,
        f"{prefix}-version": link.version if version is None else version,
    }


def test_a_planner_changes_a_links_type_and_lag_and_the_dates_follow(plan):
    # given spec (2 days) -> build, finish to start
    spec, build = add(plan, "Spec", days=2), add(plan, "Build")
    link = task_services.dependency_create(predecessor=spec, successor=build, actor=plan.admin)
    # when the manager makes it start-to-start with a one-day lag, from build's page
    manager = client_for(plan.manager)
    response = manager.post(
        reverse("task-link-edit", args=[plan.project.pk, build.pk, link.pk]),
        _link_edit(link, "SS", "1"),
    )
    # then the link says so and build starts a day after spec starts
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.type, link.lag_minutes) == ("SS", DAY)
    build.refresh_from_db()
    assert build.start.date() == date(2027, 1, 5)
    assert "Changed the link with Spec" in text(manager.get(_page(build)))


def test_a_link_edit_from_a_stale_page_is_refused_with_the_current_values(plan):
    spec, build = add(plan, "Spec", days=2), add(plan, "Build")
    link = task_services.dependency_create(predecessor=spec, successor=build, actor=plan.admin)
    seen = link.version
    task_services.dependency_update(
        link=link, actor=plan.admin, version=seen, changes=LinkChanges(type="FF", lag_minutes=0)
    )
    # when the manager saves from the page they loaded before that change
    response = client_for(plan.manager).post(
        reverse("task-link-edit", args=[plan.project.pk, build.pk, link.pk]),
        _link_edit(link, "SS", "2", version=seen),
    )
    # then nothing is overwritten and the row shows what the link says now
    assert response.status_code == 409
    link.refresh_from_db()
    assert (link.type, link.lag_minutes) == ("FF", 0)
    assert '<option value="FF" selected>' in response.content.decode()


def test_a_bad_lag_is_shown_next_to_the_link(plan):
    spec, build = add(plan, "Spec"), add(plan, "Build")
    link = task_services.dependency_create(predecessor=spec, successor=build, actor=plan.admin)
    response = client_for(plan.manager).post(
        reverse("task-link-edit", args=[plan.project.pk, build.pk, link.pk]),
        _link_edit(link, "XX", "lots"),
    )
    assert response.status_code == 422
    body = text(response)
    assert "Select a valid choice" in body and "“lots” is not a duration" in body
    link.refresh_from_db()
    assert (link.type, link.lag_minutes) == ("FS", 0)


def test_a_link_is_removed_only_through_one_of_its_tasks(plan):
    # given a link between two tasks, and a third task
    spec, build, other = add(plan, "Spec"), add(plan, "Build"), add(plan, "Other")
    link = task_services.dependency_create(predecessor=spec, successor=build, actor=plan.admin)
    # when it is addressed through the third task
    response = client_for(plan.manager).post(
        reverse("task-link-remove", args=[plan.project.pk, other.pk, link.pk])
    )
    # then it is not found
    assert response.status_code == 404
    assert Dependency.objects.exists()


def test_an_assigned_member_reports_progress_on_their_task(plan, under_way):
    # given a task assigned to the member
    task = add(plan, "Build", days=4)
    task.assignees.add(plan.member)
    client = client_for(plan.member)
    # then the page offers them the progress form, not the plan form
    page = text(client.get(_page(task)))
    assert _url("task-progress", task) in page
    assert _url("task-edit", task) not in page
    # when they report half done
    response = client.post(_url("task-progress", task), _progress_data(task, percent_complete=50))
    # then the task is in progress with an actual start
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.percent_complete == 50
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.actual_start is not None


def test_completing_a_task_sets_100_percent(plan, under_way):
    # given an assigned task
    task = add(plan, "Build")
    task.assignees.add(plan.member)
    # when the member marks it completed
    response = client_for(plan.member).post(
        _url("task-progress", task), _progress_data(task, status="completed")
    )
    # then it is done
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.percent_complete == 100 and task.actual_finish is not None


def test_a_member_cannot_report_on_a_task_not_assigned_to_them(plan):
    # given a task assigned to nobody
    task = add(plan, "Build")
    client = client_for(plan.member)
    # then the page has no progress form, and posting is refused
    assert _url("task-progress", task) not in text(client.get(_page(task)))
    response = client.post(_url("task-progress", task), _progress_data(task, percent_complete=50))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.percent_complete == 0


def test_a_viewer_gets_403_on_every_write(plan):
    # given two tasks
    spec, build = add(plan, "Spec"), add(plan, "Build")
    client = client_for(plan.viewer)
    # then each form is refused
    assert client.post(_url("task-edit", spec), _plan_data(spec)).status_code == 403
    assert client.post(_url("task-progress", spec), _progress_data(spec)).status_code == 403
    data = {"predecessor": build.pk, "type": "FS"}
    assert client.post(_url("task-link-add", spec), data).status_code == 403
    assert not Dependency.objects.exists()


def test_progress_out_of_range_is_a_422(plan):
    # given a task
    task = add(plan, "Build")
    # when the manager reports 150%
    response = client_for(plan.manager).post(
        _url("task-progress", task), _progress_data(task, percent_complete=150)
    )
    # then the field explains
    assert response.status_code == 422
    assert response.context["progress_form"].errors["percent_complete"]


def test_a_stale_progress_report_is_a_409(plan, under_way):
    # given someone reported progress after the member loaded the page
    task = add(plan, "Build")
    task.assignees.add(plan.member)
    seen = task.version
    task_services.task_update_progress(
        task=task, actor=plan.admin, version=seen, changes=ProgressChanges(percent_complete=30)
    )
    # when the member reports from the old version
    response = client_for(plan.member).post(
        _url("task-progress", task), _progress_data(task, percent_complete=10)
    )
    # then nothing is overwritten and the current figure is in the form
    assert response.status_code == 409
    assert response.context["progress_form"].initial["percent_complete"] == 30
    task.refresh_from_db()
    assert task.percent_complete == 30


def test_the_task_page_costs_the_same_queries_with_few_or_many_links(plan):
    # given a task with one predecessor, one successor and one subtask
    client = client_for(plan.manager)
    phase = add(plan, "Phase")
    add(plan, "Child", parent=phase)
    task = add(plan, "Middle")

    def link_around(index):
        before, after = add(plan, f"Before {index}"), add(plan, f"After {index}")
        task_services.dependency_create(predecessor=before, successor=task, actor=plan.admin)
        task_services.dependency_create(predecessor=task, successor=after, actor=plan.admin)
        # and the task serves one more deliverable, which serves an objective
        deliverable = DeliverableFactory(project=plan.project)
        deliverable.tasks.add(task)
        deliverable.objectives.add(ObjectiveFactory(project=plan.project))

    link_around(0)
    few = queries_for(client, "get", _page(task))
    # when it gains more links and subtasks
    for index in range(1, 6):
        link_around(index)
        add(plan, f"Child {index}", parent=phase)
    many = queries_for(client, "get", _page(task))
    # then the page costs the same
    assert len(many.response.context["predecessors"]) == 6
    assert len(many.response.context["task_deliverables"]) == 6
    assert_same_count(few, many)
