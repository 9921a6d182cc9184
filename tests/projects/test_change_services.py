"""The change-request workflow through its services: every transition, allowed and refused,
the analysis stored on submit, approval applying the change to the plan (and re-baselining),
the change log, and the scope-creep measure.

The plan: Design (3d) -> Build (2d) -> Launch (milestone), starting Monday 4 January 2027.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.baselines import services as baseline_services
from projects.changes import selectors as change_selectors
from projects.changes import services as change_services
from projects.models import Baseline, ChangeRequestEvent, ChangeStatus, Dependency, Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from tests.factories import on_project
from tpm.concurrency import StaleVersionError
from tpm.models import HistoryEntry
from tpm.roles import ProjectRole

pytestmark = pytest.mark.django_db

DAY = 480
MONDAY = date(2027, 1, 4)


@pytest.fixture
def plan(world):
    world.project.start_date = MONDAY
    world.project.save()
    make = task_services.task_create
    design = make(
        project=world.project,
        actor=world.manager,
        name="Design",
        duration_minutes=3 * DAY,
        effort_hours=Decimal("24"),
    )
    build = make(
        project=world.project,
        actor=world.manager,
        name="Build",
        duration_minutes=2 * DAY,
        effort_hours=Decimal("16"),
    )
    launch = make(project=world.project, actor=world.manager, name="Launch", is_milestone=True)
    task_services.dependency_create(predecessor=design, successor=build, actor=world.manager)
    task_services.dependency_create(predecessor=build, successor=launch, actor=world.manager)
    return {"design": design, "build": build, "launch": launch}


def draft(world, plan, *, actor=None, proposal=None, **fields):
    return change_services.change_request_create(
        project=world.project,
        actor=actor or world.member,
        title=fields.pop("title", "Add load testing"),
        reason="The launch must survive the marketing push.",
        proposal=proposal
        if proposal is not None
        else [{"op": "change_duration", "task": plan["build"].pk, "duration_minutes": 4 * DAY}],
        **fields,
    )


def submitted(world, plan, **fields):
    change = draft(world, plan, **fields)
    return change_services.change_request_submit(
        change_request=change, actor=world.member, version=change.version
    )


def statuses(change):
    return [(e.from_status, e.to_status) for e in change.events.order_by("at", "pk")]


# -- drafting ----------------------------------------------------------------------------------


def test_a_member_drafts_a_numbered_change_request(world, plan):
    # given / when
    first = draft(world, plan)
    second = draft(world, plan, title="Drop the blog")

    # then
    assert (first.key, second.key) == ("CR-1", "CR-2")
    assert first.status == ChangeStatus.DRAFT
    assert first.requested_by == world.member
    assert first.required_approver_roles == ["manager"]
    assert statuses(first) == [("", "draft")]


@pytest.mark.parametrize("kind", ["viewer", "stakeholder"])
def test_viewers_and_stakeholders_cannot_raise_change_requests(world, plan, kind):
    with pytest.raises(PermissionDenied):
        draft(world, plan, actor=world.user(kind))


def test_a_malformed_proposal_is_refused_when_drafting(world, plan):
    with pytest.raises(ValidationError) as refused:
        draft(world, plan, proposal=[{"op": "rename", "task": 1}])
    assert "“rename” is not an operation" in str(refused.value)


def test_the_requester_edits_the_draft_and_a_stale_edit_is_refused(world, plan):
    # given
    change = draft(world, plan)

    # when
    edited = change_services.change_request_update(
        change_request=change, actor=world.member, version=change.version, priority="high"
    )

    # then
    assert (edited.priority, edited.version) == ("high", change.version + 1)
    with pytest.raises(StaleVersionError):
        change_services.change_request_update(
            change_request=change, actor=world.member, version=change.version, title="Again"
        )


def test_another_member_cannot_edit_someone_elses_draft(world, plan):
    # given
    change = draft(world, plan)
    other = on_project(world.project, ProjectRole.MEMBER, email="other@acme.test")

    # when / then
    with pytest.raises(PermissionDenied, match="Only the person who raised CR-1"):
        change_services.change_request_update(
            change_request=change, actor=other, version=change.version, title="Mine now"
        )


# -- submit and analysis -----------------------------------------------------------------------


def test_submitting_computes_and_stores_the_impact(world, plan):
    # given / when: Build grows from two to four days
    change = submitted(world, plan)

    # then
    assert change.status == ChangeStatus.SUBMITTED
    assert change.submitted_at is not None and change.analysed_at is not None
    assert change.impact["finish_slip_days"] == "2.00"
    assert change.impact["milestones"][0]["name"] == "Launch"
    assert statuses(change) == [("", "draft"), ("draft", "submitted")]


def test_a_proposal_with_a_loop_is_refused_at_submission_naming_the_loop(world, plan):
    # given: Design would follow Launch
    loop = [{"op": "add_link", "predecessor": plan["launch"].pk, "successor": plan["design"].pk}]
    change = draft(world, plan, proposal=loop)

    # when
    with pytest.raises(ValidationError) as refused:
        change_services.change_request_submit(
            change_request=change, actor=world.member, version=change.version
        )

    # then
    message = str(refused.value)
    assert "loop" in message
    for name in ("Design", "Build", "Launch"):
        assert name in message
    change.refresh_from_db()
    assert change.status == ChangeStatus.DRAFT


def test_a_proposal_naming_unknown_tasks_is_refused_naming_them(world, plan):
    change = draft(world, plan, proposal=[{"op": "remove_task", "task": 987654}])
    with pytest.raises(ValidationError, match="987654"):
        change_services.change_request_submit(
            change_request=change, actor=world.member, version=change.version
        )


def test_the_analysis_is_recomputed_on_demand_against_the_plan_now(world, plan):
    # given: submitted, then Design grows by a day in the plan itself
    change = submitted(world, plan)
    design = Task.objects.get(pk=plan["design"].pk)
    task_services.task_update(
        task=design,
        actor=world.manager,
        version=design.version,
        changes=TaskChanges(duration_minutes=4 * DAY),
    )

    # when
    again = change_services.change_request_analyse(change_request=change, actor=world.member)

    # then: the slip of the change itself is the same, from a later finish
    assert again.impact["finish_slip_days"] == "2.00"
    assert again.impact["finish_before"] > change.impact["finish_before"]


# -- review, approve, reject, implement --------------------------------------------------------


def test_the_manager_moves_a_submitted_request_under_review(world, plan):
    change = submitted(world, plan)
    reviewed = change_services.change_request_start_review(
        change_request=change, actor=world.manager, version=change.version
    )
    assert reviewed.status == ChangeStatus.UNDER_REVIEW


def test_approving_applies_the_change_to_the_plan_and_implements_it(world, plan):
    # given
    change = submitted(world, plan)
    before = Task.objects.get(pk=plan["launch"].pk).finish

    # when
    approved = change_services.change_request_approve(
        change_request=change, actor=world.manager, version=change.version, comment="Go"
    )

    # then
    assert approved.status == ChangeStatus.IMPLEMENTED
    assert approved.decided_by == world.manager and approved.implemented_by == world.manager
    assert Task.objects.get(pk=plan["build"].pk).duration_minutes == 4 * DAY
    after = Task.objects.get(pk=plan["launch"].pk).finish
    assert (after.date() - before.date()).days == 4  # Thursday -> Monday over the weekend
    assert statuses(approved)[-2:] == [("submitted", "approved"), ("approved", "implemented")]
    assert HistoryEntry.objects.filter(target_repr__startswith="CR-1", action="approve").exists()


def test_approving_with_a_rebaseline_saves_a_new_baseline_in_the_same_step(world, plan):
    # given
    change = submitted(world, plan)

    # when
    approved = change_services.change_request_approve(
        change_request=change, actor=world.manager, version=change.version, rebaseline=True
    )

    # then: the baseline holds the plan after the change
    baseline = Baseline.objects.get(project=world.project)
    assert approved.baseline == baseline
    assert baseline.name.startswith("CR-1 ")
    assert baseline.tasks.get(task=plan["build"]).duration_minutes == 4 * DAY


def test_approving_without_applying_leaves_it_approved_until_implemented(world, plan):
    # given
    change = submitted(world, plan)
    approved = change_services.change_request_approve(
        change_request=change, actor=world.manager, version=change.version, apply=False
    )
    assert approved.status == ChangeStatus.APPROVED
    assert Task.objects.get(pk=plan["build"].pk).duration_minutes == 2 * DAY

    # when
    done = change_services.change_request_implement(
        change_request=approved, actor=world.manager, version=approved.version
    )

    # then
    assert done.status == ChangeStatus.IMPLEMENTED
    assert Task.objects.get(pk=plan["build"].pk).duration_minutes == 4 * DAY


def test_an_added_task_with_links_lands_in_the_plan(world, plan):
    # given: load testing between Build and Launch
    proposal = [
        {
            "op": "add_task",
            "key": "new-1",
            "name": "Load testing",
            "duration_minutes": 2 * DAY,
            "effort_hours": "12",
            "cost": "900",
            "predecessors": [{"task": plan["build"].pk}],
            "successors": [{"task": plan["launch"].pk}],
        },
        {"op": "remove_link", "predecessor": plan["build"].pk, "successor": plan["launch"].pk},
    ]
    change = submitted(world, plan, proposal=proposal)

    # when
    change_services.change_request_approve(
        change_request=change, actor=world.manager, version=change.version
    )

    # then
    added = Task.objects.get(project=world.project, name="Load testing")
    assert added.effort_hours == Decimal("12.00")
    assert Dependency.objects.filter(predecessor=plan["build"], successor=added).exists()
    assert Dependency.objects.filter(predecessor=added, successor=plan["launch"]).exists()
    assert not Dependency.objects.filter(
        predecessor=plan["build"], successor=plan["launch"]
    ).exists()
    event = ChangeRequestEvent.objects.get(change_request=change, to_status="implemented")
    assert event.data["created_tasks"] == {"new-1": added.pk}


def test_rejecting_needs_a_reason_and_leaves_the_plan_alone(world, plan):
    # given
    change = submitted(world, plan)

    # when / then
    with pytest.raises(ValidationError, match="Say why"):
        change_services.change_request_reject(
            change_request=change, actor=world.manager, version=change.version, comment=" "
        )
    rejected = change_services.change_request_reject(
        change_request=change, actor=world.manager, version=change.version, comment="Not now"
    )
    assert rejected.status == ChangeStatus.REJECTED
    assert rejected.decision_comment == "Not now"
    assert Task.objects.get(pk=plan["build"].pk).duration_minutes == 2 * DAY


@pytest.mark.parametrize("kind", ["member", "stakeholder", "viewer"])
def test_only_an_approver_role_may_approve_or_reject(world, plan, kind):
    change = submitted(world, plan)
    for decide in (change_services.change_request_approve, change_services.change_request_reject):
        with pytest.raises(PermissionDenied, match="Only a project manager can approve"):
            decide(
                change_request=change, actor=world.user(kind), version=change.version, comment="x"
            )
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_an_organisation_admin_approves_as_a_manager(world, plan):
    change = submitted(world, plan)
    approved = change_services.change_request_approve(
        change_request=change, actor=world.admin, version=change.version
    )
    assert approved.status == ChangeStatus.IMPLEMENTED


@pytest.mark.parametrize(
    ("setup", "transition", "message"),
    [
        ("draft", "review", "only submitted requests can be taken under review"),
        ("draft", "approve", "only submitted or under review requests can be approved"),
        ("draft", "reject", "only submitted or under review requests can be rejected"),
        ("draft", "implement", "only approved requests can be implemented"),
        ("submitted", "submit", "only draft requests can be submitted"),
        ("submitted", "implement", "only approved requests can be implemented"),
        ("rejected", "approve", "CR-1 is rejected"),
        ("rejected", "submit", "CR-1 is rejected"),
        ("implemented", "approve", "CR-1 is implemented"),
        ("implemented", "reject", "CR-1 is implemented"),
        ("implemented", "implement", "CR-1 is implemented"),
    ],
)
def test_transitions_from_the_wrong_status_are_refused(world, plan, setup, transition, message):
    # given
    change = draft(world, plan)
    if setup != "draft":
        change = change_services.change_request_submit(
            change_request=change, actor=world.member, version=change.version
        )
    if setup == "rejected":
        change = change_services.change_request_reject(
            change_request=change, actor=world.manager, version=change.version, comment="No"
        )
    if setup == "implemented":
        change = change_services.change_request_approve(
            change_request=change, actor=world.manager, version=change.version
        )
    services = {
        "submit": (change_services.change_request_submit, world.member),
        "review": (change_services.change_request_start_review, world.manager),
        "approve": (change_services.change_request_approve, world.manager),
        "reject": (change_services.change_request_reject, world.manager),
        "implement": (change_services.change_request_implement, world.manager),
    }
    service, actor = services[transition]
    extra = {"comment": "why"} if transition == "reject" else {}

    # when / then
    with pytest.raises(ValidationError, match=message):
        service(change_request=change, actor=actor, version=change.version, **extra)


def test_editing_is_refused_once_submitted(world, plan):
    change = submitted(world, plan)
    with pytest.raises(ValidationError, match="only a draft can be edited"):
        change_services.change_request_update(
            change_request=change, actor=world.member, version=change.version, title="Later"
        )


def test_approval_is_refused_when_the_plan_no_longer_fits_the_proposal(world, plan):
    # given: submitted, then the task it changes is deleted from the plan
    change = submitted(world, plan)
    task_services.task_delete(task=plan["build"], actor=world.manager)

    # when / then
    with pytest.raises(ValidationError, match=str(plan["build"].pk)):
        change_services.change_request_approve(
            change_request=change, actor=world.manager, version=change.version
        )


# -- the scope-creep measure -------------------------------------------------------------------


def test_scope_creep_compares_work_added_since_the_first_baseline_with_approved_changes(
    world, plan
):
    # given: a first baseline, then one task added through a change and one added directly
    baseline_services.baseline_save(project=world.project, actor=world.manager, name="Plan")
    assert change_selectors.scope_creep(project=world.project).added_tasks == 0
    proposal = [
        {"op": "add_task", "key": "new-1", "name": "Load testing", "duration_minutes": DAY,
         "effort_hours": "12"}
    ]  # fmt: skip
    change = submitted(world, plan, proposal=proposal)
    change_services.change_request_approve(
        change_request=change, actor=world.manager, version=change.version
    )
    task_services.task_create(
        project=world.project, actor=world.member, name="Gold plating", effort_hours=Decimal("30")
    )

    # when
    creep = change_selectors.scope_creep(project=world.project)

    # then
    assert (creep.added_tasks, creep.added_effort) == (2, Decimal("42.00"))
    assert (creep.approved_tasks, creep.approved_effort) == (1, Decimal("12.00"))
    assert (creep.unapproved_tasks, creep.unapproved_effort) == (1, Decimal("30.00"))
    assert creep.creep_share == Decimal("71")


def test_scope_creep_needs_a_first_baseline(world, plan):
    creep = change_selectors.scope_creep(project=world.project)
    assert creep.baseline is None and creep.creep_share is None


def test_only_a_manager_chooses_the_approvers_and_a_manager_stays_among_them(world, plan):
    # given
    change = draft(world, plan)

    # when / then: a member cannot hand approval to members
    with pytest.raises(PermissionDenied, match="Only a project manager chooses"):
        change_services.change_request_update(
            change_request=change,
            actor=world.member,
            version=change.version,
            required_approver_roles=["member"],
        )
    with pytest.raises(ValidationError, match="add manager"):
        change_services.change_request_update(
            change_request=change,
            actor=world.manager,
            version=change.version,
            required_approver_roles=["stakeholder"],
        )
    edited = change_services.change_request_update(
        change_request=change,
        actor=world.manager,
        version=change.version,
        required_approver_roles=["manager", "stakeholder"],
    )
    assert edited.required_approver_roles == ["manager", "stakeholder"]
