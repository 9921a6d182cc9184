"""Scope and quality of the demo's first project (PAY), for `manage.py seed_demo` (issue 7).

Runs after the plans and the board are seeded: a charter approved by its sponsor (and a newer
version waiting), three objectives with a history of measurements, deliverables (one accepted,
one waiting on its criteria), quality gates on milestones (one passed, one failed, one waived,
one pending) and four weeks of test pass rate and coverage. Every organisation's default gate
templates are seeded too. Writes go through the services, so the history reads naturally.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from projects.models import Project, Task, TaskStatus
from projects.quality import gate_templates as template_services
from projects.quality import services as quality_services
from projects.scope.services import charter as scope_services
from projects.scope.services import deliverables as deliverable_services
from tpm.demo import DemoPeople


def _at(day: date) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(9))), timezone.now())


def _charter(project: Project, people: DemoPeople) -> None:
    charter = scope_services.charter_save(
        project=project,
        actor=people.manager,
        version=None,
        note="First draft agreed in the kick-off.",
        sponsor=people.stakeholder,
        stakeholders=[people.second_manager, people.engineers[0]],
        problem_statement=(
            "Card and wallet payments run in the legacy monolith: releases are monthly, "
            "outages hit checkout and the PCI DSS certificate expires before the holiday peak."
        ),
        goals="Move every payment flow to the payments service with zero downtime.",
        in_scope="Card and wallet payments, refunds, the PCI DSS re-certification.",
        out_of_scope="Invoicing, the loyalty programme, the mobile apps' UI.",
        assumptions="The payments service team has two engineers free from week 3.",
        constraints="No change freeze may be broken; go-live before the holiday peak.",
        success_criteria="Checkout p95 under 600 ms, error rate under 0.1 %, certificate renewed.",
    )
    scope_services.charter_approve(
        charter=charter, actor=people.stakeholder, version_number=1, comment="Approved. Go."
    )
    charter.refresh_from_db()
    scope_services.charter_save(
        project=project,
        actor=people.manager,
        version=charter.version,
        note="Wallets moved into scope after the steering committee.",
        sponsor=people.stakeholder,
        stakeholders=[people.second_manager, people.engineers[0]],
        in_scope="Card and wallet payments (Apple Pay, Google Pay), refunds, PCI DSS.",
    )


OBJECTIVES = (
    # title, metric, unit, baseline, target, direction, measured values (oldest first)
    (
        "Faster checkout",
        "Checkout p95 latency",
        "ms",
        1200,
        600,
        "lower",
        (1180, 1120, 1010, 940, 860, 790),
    ),
    (
        "Fewer failed payments",
        "Payment error rate",
        "%",
        "0.80",
        "0.10",
        "lower",
        ("0.78", "0.74", "0.61", "0.52", "0.41", "0.33"),
    ),
    (
        "Wallet adoption",
        "Share of payments by wallet",
        "%",
        12,
        30,
        "higher",
        (12, 13, "14.5", 16, "18.2", 19),
    ),
)


def _objectives(project: Project, people: DemoPeople, today: date, deliverables: list) -> None:
    for index, (title, metric, unit, base, target, direction, values) in enumerate(OBJECTIVES):
        objective = scope_services.objective_create(
            project=project,
            actor=people.manager,
            title=title,
            metric=metric,
            unit=unit,
            baseline_value=Decimal(str(base)),
            target_value=Decimal(str(target)),
            direction=direction,
            target_date=project.target_date,
            owner=people.manager if index else people.engineers[0],
            deliverables=deliverables[: index + 1],
        )
        for weeks_ago, value in zip(range(len(values) * 2 - 2, -1, -2), values, strict=True):
            scope_services.objective_measure(
                objective=objective,
                actor=people.engineers[0],
                value=Decimal(str(value)),
                measured_at=_at(today - timedelta(weeks=weeks_ago)),
                source="api" if index == 0 else "manual",
            )


def _milestones(project: Project) -> dict[str, Task]:
    return {t.name: t for t in Task.objects.alive().filter(project=project, is_milestone=True)}


def _deliverables(project: Project, people: DemoPeople, today: date) -> list:
    milestones = _milestones(project)
    design = deliverable_services.deliverable_create(
        project=project,
        actor=people.manager,
        name="Target architecture and migration design",
        owner=people.engineers[0],
        acceptor=people.stakeholder,
        due_date=today - timedelta(days=20),
        status="delivered",
        milestone=milestones.get("Design approved"),
        criteria=["Reviewed by security", "Rollback path for every flow", "Costed"],
    )
    for criterion in design.criteria.all():
        deliverable_services.acceptance_criterion_set(
            criterion=criterion, actor=people.engineers[0], version=criterion.version, is_met=True
        )
    design.refresh_from_db()
    deliverable_services.deliverable_accept(
        deliverable=design,
        actor=people.stakeholder,
        version=design.version,
        comment="Clear and complete.",
    )
    service = deliverable_services.deliverable_create(
        project=project,
        actor=people.manager,
        name="Payments service in production",
        owner=people.engineers[1] if len(people.engineers) > 1 else people.engineers[0],
        acceptor=people.stakeholder,
        due_date=project.target_date,
        status="in_progress",
        milestone=milestones.get("Go-live before the holiday peak"),
        criteria=["All card flows migrated", "Wallets live", "Error rate under 0.1 %"],
    )
    first = service.criteria.first()
    if first is not None:
        deliverable_services.acceptance_criterion_set(
            criterion=first, actor=people.engineers[0], version=first.version, is_met=True
        )
    runbook = deliverable_services.deliverable_create(
        project=project,
        actor=people.manager,
        name="Operations runbook",
        owner=people.engineers[0],
        acceptor=people.second_manager,
        due_date=(project.target_date or today) - timedelta(days=14),
        criteria=["On-call rota agreed", "Alerts documented"],
    )
    return [service, design, runbook]


def _check(gate, actor, results: dict[str, tuple[str, str]]) -> None:
    for criterion in gate.criteria.all():
        if criterion.text in results:
            result, comment = results[criterion.text]
            quality_services.gate_criterion_check(
                criterion=criterion,
                actor=actor,
                version=criterion.version,
                result=result,
                evidence_comment=comment,
            )


def _gates(project: Project, people: DemoPeople, deliverables: list) -> None:
    templates = {
        t.name: t
        for t in template_services.gate_templates_ensure(organisation=project.organisation)
    }
    milestones = _milestones(project)
    done = [m for m in milestones.values() if m.status == TaskStatus.COMPLETED]
    open_ = [m for m in milestones.values() if m.status != TaskStatus.COMPLETED]
    engineer, manager = people.engineers[0], people.manager
    if done:  # passed: a design review of a milestone already reached
        passed = quality_services.gate_create(
            project=project, actor=manager, task=done[0], template=templates["Design review"]
        )
        _check(
            passed,
            engineer,
            {c.text: ("pass", "See the design doc, v3.") for c in passed.criteria.all()},
        )
        for review in passed.reviews.all():
            quality_services.gate_review_give(
                review=review,
                actor=manager,
                actor_role=review.required_role,
                version=review.version,
                verdict="approved",
            )
    if open_:  # failed: the security review ahead of the next milestone
        failed = quality_services.gate_create(
            project=project, actor=manager, task=open_[0], template=templates["Security review"]
        )
        _check(
            failed,
            engineer,
            {
                "Threat model updated": ("pass", "Threat model v2 in the wiki."),
                "Penetration test findings fixed or accepted": (
                    "fail",
                    "Two high findings open in the refund API (PEN-14, PEN-15).",
                ),
            },
        )
    if len(open_) > 1:  # pending: go-live readiness on the last milestone
        quality_services.gate_create(
            project=project, actor=manager, task=open_[-1], template=templates["Go-live readiness"]
        )
    waived = quality_services.gate_create(
        project=project,
        actor=manager,
        deliverable=deliverables[2],
        name="Runbook review",
        criteria=["Reviewed by the support team"],
        reviewer_roles=["manager"],
    )
    quality_services.gate_waive(
        gate=waived,
        actor=manager,
        version=waived.version,
        reason="Support team reorganised; the review moves to after go-live (agreed with ops).",
    )


def _measures(project: Project, people: DemoPeople, today: date) -> None:
    for days_ago in range(27, -1, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() >= 5:
            continue
        progress = (27 - days_ago) / 27
        quality_services.quality_measure_record(
            project=project,
            actor=people.engineers[0],
            on=day,
            test_pass_rate=Decimal("91.5") + Decimal(str(round(progress * 6, 2))),
            coverage=Decimal("68.0") + Decimal(str(round(progress * 9, 2))),
            source="api",
        )


def seed_scope(projects: list[Project], people: DemoPeople, today: date) -> None:
    """Scope and quality of the first (hybrid) project; the default gate templates for all."""
    if not projects:
        return
    project = projects[0]
    template_services.gate_templates_ensure(organisation=project.organisation)
    _charter(project, people)
    deliverables = _deliverables(project, people, today)
    _objectives(project, people, today, deliverables)
    _gates(project, people, deliverables)
    _measures(project, people, today)
