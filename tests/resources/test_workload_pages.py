"""The workload heat map, its drill-down, and the levelling preview and apply."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import ConstraintType, Project, Task
from projects.plan import services as task_services
from resources.models import Resource
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.resources.factories import (
    AssignmentFactory,
    ResourceFactory,
    ResourceRoleFactory,
    TimeOffFactory,
)
from tests.tpm.querycount import assert_same_count, queries_for_get


def _next_monday(weeks_ahead: int = 2) -> date:
    today = date.today()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 * weeks_ahead)


def _plan(project: Project, actor) -> tuple[Task, Task, Task]:
    """Two one-week tasks (float: two weeks) beside a three-week one, from a Monday ahead."""
    project.start_date = _next_monday()
    project.save()
    week = 5 * 480
    first = task_services.task_create(
        project=project, actor=actor, name="API", duration_minutes=week
    )
    second = task_services.task_create(
        project=project, actor=actor, name="UI", duration_minutes=week
    )
    long = task_services.task_create(
        project=project, actor=actor, name="Docs", duration_minutes=3 * week
    )
    return first, second, long


def _over_allocated(world) -> tuple[Resource, Task, Task]:
    first, second, _ = _plan(world.project, world.manager)
    alice = ResourceFactory(organisation=world.organisation, name="Alice")
    AssignmentFactory(task=first, resource=alice, work_hours=Decimal(40))
    AssignmentFactory(task=second, resource=alice, work_hours=Decimal(40))
    return alice, first, second


@pytest.mark.django_db
def test_the_heat_map_flags_an_over_allocated_person(world):
    # given Alice with two full-time tasks in the same week, and Bob with nothing
    alice, _, _ = _over_allocated(world)
    ResourceFactory(organisation=world.organisation, name="Bob")
    # when a member of the organisation opens the workload from that week on
    start = _next_monday().isoformat()
    response = client_for(world.member).get(reverse("workload"), {"start": start, "weeks": 4})
    # then Alice's first week shows 200 % and over-allocated, with a link to level her work
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>1</strong> over-allocated" in html
    assert "Alice, week of" in html and "80.0 of 40.0 hours, over-allocated" in html
    assert reverse("workload-levelling", args=[alice.pk]) in html
    assert "Bob" in html


@pytest.mark.django_db
def test_filters_by_role_and_project(world):
    _alice, _, _ = _over_allocated(world)
    engineer = ResourceRoleFactory(organisation=world.organisation, name="Engineer")
    ResourceFactory(organisation=world.organisation, name="Bob", role=engineer)
    client = client_for(world.manager)
    by_role = client.get(reverse("workload"), {"role": engineer.pk}).content.decode()
    assert "Bob" in by_role and "Alice" not in by_role
    by_project = client.get(reverse("workload"), {"project": world.project.pk}).content.decode()
    assert "Alice" in by_project and "Bob" not in by_project


@pytest.mark.django_db
def test_the_heat_map_costs_the_same_queries_for_more_people_and_work(world):
    _over_allocated(world)
    client = client_for(world.manager)
    url = reverse("workload") + f"?start={_next_monday().isoformat()}"
    few = queries_for_get(client, url)
    tasks = list(Task.objects.filter(project=world.project, is_summary=False))
    for n in range(6):
        person = ResourceFactory(organisation=world.organisation, name=f"Person {n}")
        TimeOffFactory(resource=person, start_date=_next_monday(), end_date=_next_monday())
        for task in tasks:
            AssignmentFactory(task=task, resource=person, units=Decimal(50))
    many = queries_for_get(client, url)
    assert_same_count(few, many)


@pytest.mark.django_db
def test_a_cell_drills_down_to_the_tasks_and_hides_names_of_projects_not_visible(world):
    # given Alice also works on a project the member has no role in
    alice, _first, _ = _over_allocated(world)
    hidden = ProjectFactory(
        organisation=world.organisation, key="SEC", name="Secret", start_date=_next_monday()
    )
    secret = task_services.task_create(
        project=hidden, actor=world.admin, name="Classified", duration_minutes=480
    )
    AssignmentFactory(task=secret, resource=alice, work_hours=Decimal(8))
    url = reverse("workload-cell", args=[alice.pk, _next_monday().isoformat()])
    # when the member drills down (htmx)
    response = client_for(world.member).get(url, headers={"HX-Request": "true"})
    # then the visible tasks are named, the other project's only summed
    html = response.content.decode()
    assert response.status_code == 200
    assert "WEB" in html and "API" in html and "UI" in html
    assert "Classified" not in html and "Tasks in projects you cannot see" in html
    assert "88.0 h assigned of 40.0 h capacity" in html and "over-allocated" in html
    # while the admin sees every task
    admin_html = client_for(world.admin).get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Classified" in admin_html


@pytest.mark.django_db
def test_the_levelling_preview_resolves_the_over_allocation_within_float(world):
    alice, _first, second = _over_allocated(world)
    response = client_for(world.manager).get(reverse("workload-levelling", args=[alice.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # UI (placed second) moves one week later, within its two weeks of float
    proposal = next(p for p in response.context["preview"].result.proposals)
    assert proposal.task_id == second.pk and proposal.delay_days == 5
    assert proposal.new_start == _next_monday() + timedelta(days=7)
    assert "within its total float of 10" in html
    assert response.context["preview"].result.resolved


@pytest.mark.django_db
def test_applying_goes_through_the_scheduling_service(world):
    alice, _first, second = _over_allocated(world)
    client = client_for(world.manager)
    preview = client.get(reverse("workload-levelling", args=[alice.pk])).context
    row = preview["proposals"][0]
    # when the manager applies the ticked change
    response = client.post(
        reverse("workload-levelling-apply", args=[alice.pk]),
        {"change": row["value"], f"version-{second.pk}": row["version"]},
    )
    # then UI starts the next week, by a start-no-earlier-than constraint, and Alice fits
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.constraint_type == ConstraintType.SNET
    assert second.start.date() == _next_monday() + timedelta(days=7)
    page = client.get(reverse("workload"), {"start": _next_monday().isoformat()}).content.decode()
    assert "<strong>0</strong> over-allocated" in page


@pytest.mark.django_db
def test_a_stale_proposal_is_refused_and_shown_again(world):
    alice, _, second = _over_allocated(world)
    client = client_for(world.manager)
    wrong_day = (_next_monday() + timedelta(days=21)).isoformat()
    response = client.post(
        reverse("workload-levelling-apply", args=[alice.pk]),
        {"change": f"{second.pk}:{wrong_day}", f"version-{second.pk}": second.version},
    )
    assert response.status_code == 422
    assert "The plan changed since the proposal was shown" in response.content.decode()
    second.refresh_from_db()
    assert second.constraint_type == ConstraintType.ASAP


@pytest.mark.django_db
def test_a_member_cannot_apply_levelling(world):
    alice, _, second = _over_allocated(world)
    response = client_for(world.member).post(
        reverse("workload-levelling-apply", args=[alice.pk]),
        {"change": f"{second.pk}:{_next_monday().isoformat()}", f"version-{second.pk}": 1},
    )
    assert response.status_code == 403
    # and their preview proposes nothing (they plan no project), saying the tasks keep their dates
    preview = client_for(world.member).get(reverse("workload-levelling", args=[alice.pk]))
    assert preview.context["preview"].result.proposals == ()
    assert "keep their dates" in preview.content.decode()


@pytest.mark.django_db
def test_another_organisations_person_is_not_found(world):
    alice, _, _ = _over_allocated(world)
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("workload-levelling", args=[alice.pk])).status_code == 404
    cell = reverse("workload-cell", args=[alice.pk, _next_monday().isoformat()])
    assert outsider.get(cell).status_code == 404
    assert (
        client_for(world.member).get(reverse("workload-cell", args=[alice.pk, "soon"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_drill_down_and_the_preview_cost_the_same_queries_for_more_tasks(world):
    alice, _, _ = _over_allocated(world)
    client = client_for(world.manager)
    cell = reverse("workload-cell", args=[alice.pk, _next_monday().isoformat()])
    levelling = reverse("workload-levelling", args=[alice.pk])
    few_cell, few_levelling = queries_for_get(client, cell), queries_for_get(client, levelling)
    for n in range(5):
        task = task_services.task_create(
            project=world.project, actor=world.manager, name=f"Extra {n}", duration_minutes=480
        )
        AssignmentFactory(task=task, resource=alice, work_hours=Decimal(8))
    assert_same_count(few_cell, queries_for_get(client, cell))
    assert_same_count(few_levelling, queries_for_get(client, levelling))
