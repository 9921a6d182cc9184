"""A TPM moves between deliverables, the milestones that produce them, the objectives they serve
and the gates on them from any of those pages; the pages say what is missing (issue 7)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import TaskStatus
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from projects.quality import services as quality_services
from projects.scope.services import charter as scope_services
from projects.scope.services import deliverables as deliverable_services
from tests.conftest import client_for

from .factories_scope import DeliverableFactory, ObjectiveFactory, QualityGateFactory
from .helpers import assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db


def scope_url(world) -> str:
    return reverse("project-scope", args=[world.project.pk])


def test_the_deliverables_list_links_the_milestone_and_shows_the_gates_on_each(world):
    # given a deliverable produced at a milestone with a gate on it
    go_live = task_services.task_create(
        project=world.project, actor=world.manager, name="Go live", is_milestone=True
    )
    item = DeliverableFactory(project=world.project, milestone=go_live)
    gate = quality_services.gate_create(
        project=world.project,
        actor=world.manager,
        name="Security review",
        deliverable=item,
        criteria=["Pen test passed"],
    )
    # when the Scope tab is shown
    body = text(client_for(world.viewer).get(scope_url(world)))
    # then the milestone and the gate are links, with the gate's outcome
    assert reverse("task-detail", args=[world.project.pk, go_live.pk]) in body
    assert reverse("gate-detail", args=[world.project.pk, gate.pk]) in body
    assert "outcome-pending" in body


def test_the_scope_tab_costs_the_same_for_many_gated_deliverables(world):
    # given one deliverable with a gate
    client = client_for(world.manager)
    item = DeliverableFactory(project=world.project)
    QualityGateFactory(project=world.project, deliverable=item, task=None)
    few = queries_for(client, "get", scope_url(world))
    # when there are many, each with two gates
    for _ in range(5):
        item = DeliverableFactory(project=world.project)
        QualityGateFactory(project=world.project, deliverable=item, task=None)
        QualityGateFactory(project=world.project, deliverable=item, task=None)
    many = queries_for(client, "get", scope_url(world))
    # then the page costs the same
    assert_same_count(few, many)


def test_the_quality_tab_links_what_each_gate_guards(world):
    # given a gate on a milestone and one on a deliverable
    go_live = task_services.task_create(
        project=world.project, actor=world.manager, name="Go live", is_milestone=True
    )
    item = DeliverableFactory(project=world.project, name="Runbook")
    QualityGateFactory(project=world.project, task=go_live)
    QualityGateFactory(project=world.project, deliverable=item, task=None)
    # when the Quality tab is shown
    body = text(client_for(world.member).get(reverse("project-quality", args=[world.project.pk])))
    # then both the milestone and the deliverable are links
    assert reverse("task-detail", args=[world.project.pk, go_live.pk]) in body
    assert reverse("deliverable-detail", args=[world.project.pk, item.pk]) in body


def test_the_acceptor_sees_which_gates_still_hold_acceptance_back(world):
    # given a deliverable whose criterion is met but whose gate is pending
    item = deliverable_services.deliverable_create(
        project=world.project,
        actor=world.manager,
        name="New checkout",
        acceptor=world.stakeholder,
        criteria=["Works on mobile"],
    )
    criterion = item.criteria.get()
    deliverable_services.acceptance_criterion_set(
        criterion=criterion, actor=world.member, version=criterion.version, is_met=True
    )
    gate = quality_services.gate_create(
        project=world.project,
        actor=world.manager,
        name="Security review",
        deliverable=item,
        criteria=["Pen test passed"],
    )
    # when the named acceptor opens it
    url = reverse("deliverable-detail", args=[world.project.pk, item.pk])
    body = text(client_for(world.stakeholder).get(url))
    # then the accept section names the open gate, linked, before they try
    assert 'id="accept-open-gates"' in body
    assert f"{gate.key} Security review" in body


def test_a_deliverable_without_an_acceptor_tells_the_manager_to_name_one(world):
    # given a deliverable nobody has been named to accept
    item = DeliverableFactory(project=world.project, acceptor=None)
    url = reverse("deliverable-detail", args=[world.project.pk, item.pk])
    # when the manager and a member open it
    as_manager = text(client_for(world.manager).get(url))
    as_member = text(client_for(world.member).get(url))
    # then only the manager is told how to name one
    hint = "edit the deliverable to name the stakeholder who accepts it"
    assert hint in as_manager
    assert hint not in as_member


def test_a_charter_without_a_sponsor_says_it_cannot_be_approved_yet(world):
    # given a charter written without a sponsor
    scope_services.charter_save(
        project=world.project, actor=world.manager, version=None, problem_statement="Slow"
    )
    # when the manager opens the Scope tab
    body = text(client_for(world.manager).get(scope_url(world)))
    # then it says a sponsor must be named for approval
    assert 'id="charter-needs-sponsor"' in body


def test_an_objective_not_met_by_its_target_date_is_flagged(world):
    # given an objective whose target date has passed without being met, and one still running
    late = ObjectiveFactory(
        project=world.project,
        title="Late one",
        target_date=timezone.localdate() - timedelta(days=1),
    )
    ObjectiveFactory(
        project=world.project,
        title="Running",
        target_date=timezone.localdate() + timedelta(days=30),
    )
    # when the Scope tab is shown
    body = text(client_for(world.viewer).get(scope_url(world)))
    # then only the late one says its target date has passed
    row = body.split(f'id="objective-{late.pk}"')[1].split("</tr>")[0]
    assert "Target date passed" in row
    assert body.count("Target date passed") == 1


def test_the_deliverable_page_shows_how_far_its_tasks_are(world):
    # given a deliverable with a task half done and one completed
    half = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    done = task_services.task_create(project=world.project, actor=world.manager, name="Design")
    task_services.task_update_progress(
        task=half,
        actor=world.manager,
        version=half.version,
        changes=ProgressChanges(percent_complete=50),
    )
    task_services.task_update_progress(
        task=done,
        actor=world.manager,
        version=done.version,
        changes=ProgressChanges(status=TaskStatus.COMPLETED),
    )
    item = DeliverableFactory(project=world.project)
    item.tasks.add(half, done)
    # when its page is shown
    url = reverse("deliverable-detail", args=[world.project.pk, item.pk])
    body = text(client_for(world.member).get(url))
    # then each linked task shows its progress
    assert 'Build</a> <span class="muted">(50%)' in body
    assert 'Design</a> <span class="muted">(done)' in body
