"""The task page shows the quality gates on a milestone or phase (outcome, open criteria, a
link to each gate) and the deliverables the task serves with their objectives (issue 7)."""

import pytest
from django.urls import reverse

from projects.models import CriterionResult
from projects.plan import services as task_services
from projects.quality import services as quality_services
from tests.conftest import client_for

from .factories_scope import DeliverableFactory, ObjectiveFactory
from .helpers import assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db


def page(task) -> str:
    return reverse("task-detail", args=[task.project_id, task.pk])


def milestone(world, name="Go live"):
    return task_services.task_create(
        project=world.project, actor=world.manager, name=name, is_milestone=True
    )


def gate_on(world, task, name="Go-live readiness", criteria=("Pen test passed", "Runbook")):
    return quality_services.gate_create(
        project=world.project,
        actor=world.manager,
        name=name,
        task=task,
        criteria=criteria,
        reviewer_roles=["manager"],
    )


def check(world, criterion, result):
    criterion.refresh_from_db()
    quality_services.gate_criterion_check(
        criterion=criterion,
        actor=world.manager,
        version=criterion.version,
        result=result,
        evidence_comment="checked",
    )


def test_a_milestone_page_lists_its_gates_with_outcome_and_open_criteria(world):
    # given a milestone behind a gate with one of two criteria passed
    go_live = milestone(world)
    gate = gate_on(world, go_live)
    check(world, gate.criteria.order_by("position").first(), CriterionResult.PASS)
    # when a member opens the milestone
    response = client_for(world.member).get(page(go_live))
    # then the gate is listed with its outcome, the open criteria and a link to it
    body = text(response)
    assert response.status_code == 200
    assert [gate.criteria_open for gate in response.context["task_gates"]] == [1]
    assert f"{gate.key} Go-live readiness" in body
    assert reverse("gate-detail", args=[world.project.pk, gate.pk]) in body
    assert "1 of 2" in body
    assert "can be completed once its open gate has passed or been waived" in body


def test_a_passed_gate_no_longer_holds_the_milestone(world):
    # given a gate whose criteria all passed and whose review approved
    go_live = milestone(world)
    gate = gate_on(world, go_live, criteria=("Pen test passed",))
    check(world, gate.criteria.get(), CriterionResult.PASS)
    review = gate.reviews.get()
    quality_services.gate_review_give(
        review=review,
        actor=world.manager,
        actor_role="manager",
        version=review.version,
        verdict="approved",
    )
    # when the milestone's page is shown
    response = client_for(world.manager).get(page(go_live))
    # then the gate shows as passed, with nothing open and no holding note
    body = text(response)
    assert "outcome-passed" in body
    assert "0 of 1" in body
    assert "task-gates-holding" not in body


def test_a_milestone_without_gates_says_so_and_offers_managers_to_add_one(world):
    # given a milestone without gates
    go_live = milestone(world)
    # when a manager and a member look at it
    as_manager = text(client_for(world.manager).get(page(go_live)))
    as_member = text(client_for(world.member).get(page(go_live)))
    # then both read that there is none; only the manager is offered to add one for it
    add_link = reverse("gate-create", args=[world.project.pk]) + f"?task={go_live.pk}"
    assert "No quality gate on this milestone." in as_manager
    assert add_link in as_manager
    assert "No quality gate on this milestone." in as_member
    assert add_link not in as_member


def test_the_task_page_lists_the_deliverables_it_serves_and_their_objectives(world):
    # given a task linked to one deliverable and a milestone producing another
    build = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    go_live = milestone(world)
    api = DeliverableFactory(project=world.project, name="Payments API")
    api.tasks.add(build)
    handbook = DeliverableFactory(project=world.project, name="Runbook", milestone=go_live)
    DeliverableFactory(project=world.project, name="Unrelated")
    objective = ObjectiveFactory(project=world.project, title="Faster checkout")
    objective.deliverables.add(api)
    # when the task and the milestone are shown
    task_body = text(client_for(world.member).get(page(build)))
    milestone_body = text(client_for(world.member).get(page(go_live)))
    # then each lists its own deliverable, linked, with the objectives it serves
    assert f"{api.key} Payments API" in task_body
    assert reverse("deliverable-detail", args=[world.project.pk, api.pk]) in task_body
    assert "Faster checkout" in task_body
    assert reverse("objective-detail", args=[world.project.pk, objective.pk]) in task_body
    assert "Runbook" not in task_body and "Unrelated" not in task_body
    assert f"{handbook.key} Runbook" in milestone_body
    assert "produced at this milestone" in milestone_body


def test_a_task_serving_no_deliverable_says_so(world):
    # given a plain task
    build = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    # when it is shown
    body = text(client_for(world.viewer).get(page(build)))
    # then the section has an empty state and no gate list (only milestones and phases have gates)
    assert "This task serves no deliverable yet." in body
    assert "No quality gate" not in body


def test_the_gates_and_deliverables_cost_the_same_queries_however_many(world):
    # given a milestone with one gate and one deliverable
    client = client_for(world.manager)
    go_live = milestone(world)
    gate_on(world, go_live, name="Gate 0")
    DeliverableFactory(project=world.project, milestone=go_live).objectives.add(
        ObjectiveFactory(project=world.project)
    )
    few = queries_for(client, "get", page(go_live))
    # when it gains more gates and deliverables, each with objectives
    for index in range(1, 5):
        gate_on(world, go_live, name=f"Gate {index}")
        deliverable = DeliverableFactory(project=world.project, milestone=go_live)
        deliverable.objectives.add(ObjectiveFactory(project=world.project))
    many = queries_for(client, "get", page(go_live))
    # then the page costs the same
    assert len(many.response.context["task_gates"]) == 5
    assert len(many.response.context["task_deliverables"]) == 5
    assert_same_count(few, many)
