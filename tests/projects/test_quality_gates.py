"""Quality gates: criteria with evidence, reviews by role, outcomes, waivers, templates, and a
gate that has not passed holding back its milestone or phase (issue 7)."""

import pytest
from django.core.exceptions import ValidationError

from projects.models import GateOutcome, GateTemplate, TaskStatus
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from projects.quality import gate_templates as template_services
from projects.quality import services as qs
from tests.factories import OrganisationFactory

from .factories_scope import GateTemplateCriterionFactory, GateTemplateFactory

pytestmark = pytest.mark.django_db


def milestone(world, name="Go live"):
    return task_services.task_create(
        project=world.project, actor=world.manager, name=name, is_milestone=True
    )


def gate_on(world, task, criteria=("Pen test passed", "Runbook published"), roles=("manager",)):
    return qs.gate_create(
        project=world.project,
        actor=world.manager,
        name="Go-live readiness",
        task=task,
        criteria=criteria,
        reviewer_roles=roles,
    )


def complete(world, task):
    task.refresh_from_db()
    return task_services.task_update_progress(
        task=task,
        actor=world.manager,
        version=task.version,
        changes=ProgressChanges(status=TaskStatus.COMPLETED),
    )


def check(world, criterion, result, **evidence):
    criterion.refresh_from_db()
    return qs.gate_criterion_check(
        criterion=criterion,
        actor=world.member,
        version=criterion.version,
        result=result,
        **evidence,
    )


def approve(world, gate):
    review = gate.reviews.get()
    return qs.gate_review_give(
        review=review,
        actor=world.manager,
        actor_role="manager",
        version=review.version,
        verdict="approved",
    )


def test_a_failed_criterion_fails_the_gate_and_blocks_the_milestone_naming_open_criteria(world):
    # given a milestone behind a gate whose first criterion failed
    go_live = milestone(world)
    gate = gate_on(world, go_live)
    pen_test, _runbook = gate.criteria.all()
    check(world, pen_test, "fail", evidence_comment="Two high findings open")
    gate.refresh_from_db()
    assert gate.outcome == GateOutcome.FAILED
    # when the milestone is completed
    with pytest.raises(ValidationError) as refused:
        complete(world, go_live)
    # then it is refused, naming the open criteria and the pending review
    message = " ".join(refused.value.messages)
    assert "“Go live” cannot be completed" in message
    assert "“Pen test passed” (failed)" in message
    assert "“Runbook published” (not checked)" in message
    assert "manager review (pending)" in message
    go_live.refresh_from_db()
    assert go_live.status == TaskStatus.NOT_STARTED


def test_once_every_criterion_passes_and_reviews_approve_the_milestone_completes(world):
    # given a gate with its criteria passed (one not applicable) and the manager's approval
    go_live = milestone(world)
    gate = gate_on(world, go_live)
    pen_test, runbook = gate.criteria.all()
    check(world, pen_test, "pass", evidence_url="https://ci.example.com/pentest/42")
    check(world, runbook, "not_applicable", evidence_comment="No on-call for this release")
    approve(world, gate)
    gate.refresh_from_db()
    assert gate.outcome == GateOutcome.PASSED
    assert gate.decided_by == world.manager
    # when the milestone is completed
    done = complete(world, go_live)
    # then it is
    assert done.status == TaskStatus.COMPLETED


def test_a_passed_gate_returns_to_failed_when_a_criterion_fails_again(world):
    # given a passed gate
    gate = gate_on(world, milestone(world), criteria=("Smoke tests",), roles=())
    (smoke,) = gate.criteria.all()
    check(world, smoke, "pass", evidence_comment="green")
    gate.refresh_from_db()
    assert gate.outcome == GateOutcome.PASSED
    # when the criterion fails
    check(world, smoke, "fail", evidence_comment="red again")
    # then the gate failed
    gate.refresh_from_db()
    assert gate.outcome == GateOutcome.FAILED


def test_failing_a_criterion_needs_evidence(world):
    gate = gate_on(world, milestone(world))
    with pytest.raises(ValidationError) as refused:
        check(world, gate.criteria.first(), "fail")
    assert "Say why it fails" in " ".join(refused.value.messages)


def test_a_review_is_given_only_by_the_required_role(world):
    # given a gate that needs a stakeholder's review
    gate = gate_on(world, milestone(world), roles=("stakeholder",))
    review = gate.reviews.get()
    # when a member tries to give it
    with pytest.raises(ValidationError) as refused:
        qs.gate_review_give(
            review=review,
            actor=world.member,
            actor_role="member",
            version=review.version,
            verdict="approved",
        )
    # then it is refused naming the role
    assert "stakeholder role" in " ".join(refused.value.messages)


def test_a_rejecting_review_fails_the_gate_and_needs_a_reason(world):
    gate = gate_on(world, milestone(world))
    review = gate.reviews.get()
    with pytest.raises(ValidationError):
        qs.gate_review_give(
            review=review, actor=world.manager, actor_role="manager", version=1, verdict="rejected"
        )
    qs.gate_review_give(
        review=review,
        actor=world.manager,
        actor_role="manager",
        version=1,
        verdict="rejected",
        comment="Not ready",
    )
    gate.refresh_from_db()
    assert gate.outcome == GateOutcome.FAILED


def test_a_waiver_needs_a_reason_and_then_lets_the_milestone_complete(world):
    # given a failed gate
    go_live = milestone(world)
    gate = gate_on(world, go_live)
    check(world, gate.criteria.first(), "fail", evidence_comment="Vendor late")
    gate.refresh_from_db()
    # when a manager waives it without a reason, then with one
    with pytest.raises(ValidationError) as refused:
        qs.gate_waive(gate=gate, actor=world.manager, version=gate.version, reason=" ")
    assert "needs a reason" in " ".join(refused.value.messages)
    waived = qs.gate_waive(
        gate=gate, actor=world.manager, version=gate.version, reason="Accepted by the board"
    )
    # then it is waived by that manager, and the milestone completes
    assert (waived.outcome, waived.waived_by) == (GateOutcome.WAIVED, world.manager)
    assert complete(world, go_live).status == TaskStatus.COMPLETED


def test_a_gate_on_a_phase_blocks_completing_its_last_open_task(world):
    # given a phase with two tasks, the first already done, and a pending gate on the phase
    phase = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    first = task_services.task_create(
        project=world.project, actor=world.manager, name="Code", parent=phase
    )
    last = task_services.task_create(
        project=world.project, actor=world.manager, name="Test", parent=phase
    )
    phase.refresh_from_db()
    complete(world, first)
    qs.gate_create(
        project=world.project,
        actor=world.manager,
        name="Build exit",
        task=phase,
        criteria=["Code reviewed"],
    )
    # when the last task is completed
    with pytest.raises(ValidationError) as refused:
        complete(world, last)
    # then it is refused: it would complete the phase behind the gate
    message = " ".join(refused.value.messages)
    assert "“Test” cannot be completed" in message
    assert "on “Build”" in message and "“Code reviewed” (not checked)" in message


def test_a_gate_on_a_phase_lets_other_tasks_complete_while_work_remains(world):
    phase = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    first = task_services.task_create(
        project=world.project, actor=world.manager, name="Code", parent=phase
    )
    task_services.task_create(project=world.project, actor=world.manager, name="Test", parent=phase)
    phase.refresh_from_db()
    qs.gate_create(
        project=world.project, actor=world.manager, name="Exit", task=phase, criteria=["x"]
    )
    assert complete(world, first).status == TaskStatus.COMPLETED


def test_gates_go_only_on_milestones_phases_or_deliverables(world):
    plain = task_services.task_create(project=world.project, actor=world.manager, name="Code")
    with pytest.raises(ValidationError) as refused:
        gate_on(world, plain)
    assert "neither a milestone nor a phase" in " ".join(refused.value.messages)


def test_a_gate_from_a_template_copies_its_criteria_and_reviewers(world):
    # given a template of the organisation
    template = GateTemplateFactory(
        organisation=world.organisation, name="API review", required_reviewer_roles=["member"]
    )
    GateTemplateCriterionFactory(template=template, text="Interfaces agreed")
    # when a gate is made from it
    gate = qs.gate_create(
        project=world.project, actor=world.manager, task=milestone(world), template=template
    )
    # then it carries the template's name, criteria and reviewers
    assert gate.name == "API review"
    assert [c.text for c in gate.criteria.all()] == ["Interfaces agreed"]
    assert [r.required_role for r in gate.reviews.all()] == ["member"]


def test_an_organisation_starts_with_three_gate_templates_once():
    organisation = OrganisationFactory(defaults=False)
    names = sorted(
        t.name for t in template_services.gate_templates_ensure(organisation=organisation)
    )
    assert names == ["Design review", "Go-live readiness", "Security review"]
    template_services.gate_templates_ensure(organisation=organisation)
    assert GateTemplate.objects.filter(organisation=organisation).count() == 3


def test_quality_measures_are_one_per_day_and_percentages(world):
    first = qs.quality_measure_record(
        project=world.project, actor=world.member, test_pass_rate="97.5", coverage=80
    )
    again = qs.quality_measure_record(project=world.project, actor=world.member, coverage="82.25")
    assert again.pk == first.pk
    assert (str(again.test_pass_rate), str(again.coverage)) == ("97.50", "82.25")
    with pytest.raises(ValidationError) as refused:
        qs.quality_measure_record(project=world.project, actor=world.member, coverage=120)
    assert "from 0 to 100" in " ".join(refused.value.messages)
