"""The change-request pages: the list with its filters and scope creep, drafting with the
proposal editor, the computed impact, the workflow buttons per role, and query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.baselines import services as baseline_services
from projects.changes import services as change_services
from projects.models import Baseline, ChangeRequest, ChangeStatus, Task
from projects.plan import services as task_services
from tests.conftest import client_for
from tests.factories import RiskFactory
from tests.projects.factories_scope import ChangeRequestFactory
from tests.projects.helpers import assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db

DAY = 480


@pytest.fixture
def plan(world):
    world.project.start_date = date(2027, 1, 4)
    world.project.save()
    design = task_services.task_create(
        project=world.project, actor=world.manager, name="Design", duration_minutes=3 * DAY
    )
    launch = task_services.task_create(
        project=world.project, actor=world.manager, name="Launch", is_milestone=True
    )
    task_services.dependency_create(predecessor=design, successor=launch, actor=world.manager)
    return {"design": design, "launch": launch}


def raise_change(world, plan, **fields):
    return change_services.change_request_create(
        project=world.project,
        actor=world.member,
        title=fields.pop("title", "Longer design"),
        proposal=[
            {"op": "change_duration", "task": plan["design"].pk, "duration_minutes": 5 * DAY}
        ],
        **fields,
    )


def submit(world, change):
    return change_services.change_request_submit(
        change_request=change, actor=world.member, version=change.version
    )


def detail_url(change):
    return reverse("change-detail", args=[change.project_id, change.number])


def transition_url(change, transition):
    return reverse("change-transition", args=[change.project_id, change.number, transition])


# -- the list --------------------------------------------------------------------------------------


def test_the_changes_tab_lists_requests_and_filters_by_status_and_priority(world, plan):
    # given
    raise_change(world, plan, title="Urgent fix", priority="urgent")
    submit(world, raise_change(world, plan, title="Submitted one"))
    client = client_for(world.viewer)
    url = reverse("project-changes", args=[world.project.pk])

    # when
    everything = text(client.get(url))
    urgent = text(client.get(url, {"priority": "urgent"}))
    pending = text(client.get(url, {"status": "submitted"}))

    # then
    assert "Changes" in everything and "Urgent fix" in everything and "Submitted one" in everything
    assert "Urgent fix" in urgent and "Submitted one" not in urgent
    assert "Submitted one" in pending and "Urgent fix" not in pending
    assert "2.00 working days" in pending and "not analysed" in urgent
    assert "Raise a change request" not in everything  # viewers read only


def test_the_list_shows_the_scope_creep_measure(world, plan):
    # given: a first baseline, then a task added outside any change request
    baseline_services.baseline_save(project=world.project, actor=world.manager, name="Plan")
    task_services.task_create(
        project=world.project, actor=world.manager, name="Extra", effort_hours=Decimal("8")
    )

    # when
    page = text(client_for(world.member).get(reverse("project-changes", args=[world.project.pk])))

    # then
    assert "Without a change request" in page
    assert "1 task, 8.00 h" in page


def test_the_list_costs_the_same_queries_for_few_or_many_requests(world, plan):
    # given
    client = client_for(world.member)
    url = reverse("project-changes", args=[world.project.pk])
    baseline_services.baseline_save(project=world.project, actor=world.manager, name="Plan")
    submit(world, raise_change(world, plan))
    few = queries_for(client, "get", url)

    # when
    for number in range(2, 12):
        ChangeRequestFactory(
            project=world.project,
            number=number,
            requested_by=world.member,
            decided_by=world.manager,
        )
    many = queries_for(client, "get", url)

    # then
    assert_same_count(few, many)


# -- drafting with the proposal editor -------------------------------------------------------------


def test_a_member_raises_a_draft_and_builds_its_proposal(world, plan):
    # given
    client = client_for(world.member)

    # when: the draft, then a new task after Design and a longer Design
    response = client.post(
        reverse("change-create", args=[world.project.pk]),
        {"title": "Add a security review", "priority": "high"},
    )
    change = ChangeRequest.objects.get(project=world.project)
    add = reverse("change-operation-add", args=[world.project.pk, change.number])
    client.post(
        add,
        {
            "op": "add_task",
            "name": "Security review",
            "duration_days": "2",
            "effort_hours": "16",
            "predecessor": str(plan["design"].pk),
            "successor": str(plan["launch"].pk),
            "type": "FS",
        },
    )
    client.post(
        add, {"op": "change_duration", "task": str(plan["design"].pk), "duration_days": "4"}
    )

    # then
    assert response.status_code == 302 and response.url == detail_url(change)
    change.refresh_from_db()
    assert [operation["op"] for operation in change.proposal] == ["add_task", "change_duration"]
    assert change.proposal[0]["duration_minutes"] == 2 * DAY
    page = text(client.get(detail_url(change)))
    assert (
        "Add the task “Security review” (2 days), after “1 Design”, before “2 Launch”, 16.00 h"
        in page
    )
    assert "Change the duration of “1 Design” to 4 days" in page


def test_an_incomplete_operation_re_renders_the_editor_with_422(world, plan):
    # given
    change = raise_change(world, plan)

    # when
    response = client_for(world.member).post(
        reverse("change-operation-add", args=[world.project.pk, change.number]),
        {"op": "change_duration", "task": str(plan["design"].pk)},
    )

    # then
    assert response.status_code == 422
    assert "This is needed for this kind of change." in text(response)


def test_removing_an_operation_from_the_proposal(world, plan):
    change = raise_change(world, plan)
    response = client_for(world.member).post(
        reverse("change-operation-remove", args=[world.project.pk, change.number, 0])
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.proposal == []


def test_a_viewer_cannot_raise_a_change_request(world, plan):
    response = client_for(world.viewer).get(reverse("change-create", args=[world.project.pk]))
    assert response.status_code == 403


# -- impact and the workflow -------------------------------------------------------------------


def test_the_page_shows_the_computed_impact_before_anyone_approves(world, plan):
    # given: Design grows from three to five days
    change = submit(world, raise_change(world, plan))

    # when
    page = text(client_for(world.member).get(detail_url(change)))

    # then
    assert "Impact on the plan" in page
    assert "2 days late" in page
    assert "Affected milestones" in page and "Launch" in page
    assert "Waiting for a decision: only a project manager can approve or reject CR-1." in page
    assert "Approve and apply" not in page


def test_a_member_posting_an_approval_gets_a_403_with_a_clear_message(world, plan):
    # given
    change = submit(world, raise_change(world, plan))

    # when
    response = client_for(world.member).post(
        transition_url(change, "approve"), {"version": change.version}
    )

    # then
    assert response.status_code == 403
    assert "Only a project manager can approve or reject CR-1." in text(response)
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_the_manager_approves_with_a_rebaseline_and_the_plan_follows(world, plan):
    # given
    change = submit(world, raise_change(world, plan))
    client = client_for(world.manager)
    assert "Approve and apply" in text(client.get(detail_url(change)))

    # when
    response = client.post(
        transition_url(change, "approve"),
        {"version": change.version, "rebaseline": "on", "comment": "Agreed"},
        follow=True,
    )

    # then
    page = text(response)
    change.refresh_from_db()
    assert change.status == ChangeStatus.IMPLEMENTED
    assert "Approved CR-1 and applied it to the plan. Saved the baseline" in page
    assert Task.objects.get(pk=plan["design"].pk).duration_minutes == 5 * DAY
    assert Baseline.objects.filter(project=world.project, pk=change.baseline_id).exists()
    assert "Submitted → <strong>Approved</strong>" in page


def test_a_loop_is_refused_on_submit_with_its_names_on_the_page(world, plan):
    # given: Design would follow Launch
    change = change_services.change_request_create(
        project=world.project,
        actor=world.member,
        title="Loop",
        proposal=[
            {"op": "add_link", "predecessor": plan["launch"].pk, "successor": plan["design"].pk}
        ],
    )

    # when
    response = client_for(world.member).post(
        transition_url(change, "submit"), {"version": change.version}
    )

    # then
    assert response.status_code == 422
    page = text(response)
    assert "loop" in page and "Design" in page and "Launch" in page


def test_a_stale_decision_is_a_409(world, plan):
    change = submit(world, raise_change(world, plan))
    response = client_for(world.manager).post(
        transition_url(change, "reject"), {"version": change.version - 1, "comment": "No"}
    )
    assert response.status_code == 409


def test_rejecting_without_a_reason_is_a_422(world, plan):
    change = submit(world, raise_change(world, plan))
    response = client_for(world.manager).post(
        transition_url(change, "reject"), {"version": change.version}
    )
    assert response.status_code == 422
    assert "Say why the change is rejected." in text(response)


def test_an_unknown_transition_is_a_404(world, plan):
    change = raise_change(world, plan)
    response = client_for(world.manager).post(
        transition_url(change, "teleport"), {"version": change.version}
    )
    assert response.status_code == 404


def test_the_detail_page_costs_the_same_queries_with_a_longer_log(world, plan):
    # given
    change = submit(world, raise_change(world, plan))
    client = client_for(world.manager)
    few = queries_for(client, "get", detail_url(change))

    # when
    for _ in range(5):
        change.events.create(actor=world.manager, from_status="submitted", to_status="submitted")
    many = queries_for(client, "get", detail_url(change))

    # then
    assert_same_count(few, many)


def test_the_page_lists_the_risks_linked_to_affected_tasks(world, plan):
    # given: a risk on Launch (which the change moves) and one on nothing the change touches
    on_launch = RiskFactory(project=world.project, title="Launch window closes")
    on_launch.linked_tasks.add(plan["launch"])
    RiskFactory(project=world.project, title="Unrelated vendor risk")
    change = submit(world, raise_change(world, plan))

    # when
    page = text(client_for(world.member).get(detail_url(change)))

    # then
    assert f"{on_launch.ref} Launch window closes" in page
    assert "Unrelated vendor risk" not in page


def test_a_draft_can_be_analysed_before_it_is_submitted(world, plan):
    # given
    change = raise_change(world, plan)
    client = client_for(world.member)
    assert "Analyse the impact" in text(client.get(detail_url(change)))

    # when
    response = client.post(
        reverse("change-analyse", args=[world.project.pk, change.number]), follow=True
    )

    # then
    page = text(response)
    assert "Analysed CR-1 against the plan as it is now." in page
    assert "2 days late" in page
    change.refresh_from_db()
    assert change.status == ChangeStatus.DRAFT and change.impact is not None
