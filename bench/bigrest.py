"""The rest of the big organisation (bench.bigorg): the pool's roles and skills, a second
calendar, and risks and RAID entries on every project."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any


def pool_extras(big: Any, today: date) -> None:
    """Roles and skills in the pool, and a second calendar (used by no project) with a holiday,
    so their pages and endpoints have rows."""
    from projects.models import CalendarException, WorkCalendar
    from resources.models import Resource, ResourceRole, Skill

    roles = ResourceRole.objects.bulk_create(
        ResourceRole(organisation=big.organisation, name=name)
        for name in ("Engineer", "Designer", "Analyst", "Tester")
    )
    skills = Skill.objects.bulk_create(
        Skill(organisation=big.organisation, name=name) for name in ("Python", "SQL", "UX", "QA")
    )
    for person in big.pool:
        person.role = roles[person.pk % len(roles)]
    Resource.objects.bulk_update(big.pool, ["role"], batch_size=1000)
    Resource.skills.through.objects.bulk_create(
        Resource.skills.through(resource_id=person.pk, skill_id=skills[person.pk % 4].pk)
        for person in big.pool
    )
    calendar = WorkCalendar.objects.create(organisation=big.organisation, name="Site calendar")
    CalendarException.objects.create(
        calendar=calendar, name="Site closed", first_day=today, last_day=today
    )


def risks_and_raid(big: Any, sizes: Any, today: date) -> None:
    from risks.models import (
        Assumption,
        Decision,
        ExternalDependency,
        Issue,
        Risk,
        RiskCategory,
        RiskReview,
    )

    categories = list(RiskCategory.objects.filter(organisation=big.organisation))
    risks = []
    for project in [big.plan, big.board, *big.others]:
        count = sizes.risks_per_project * (12 if project is big.plan else 1)
        for n in range(count):
            risk = Risk(
                project=project,
                number=n + 1,
                title=f"{project.key} risk {n + 1}",
                category=categories[n % len(categories)],
                owner=big.tpm,
                status=("identified", "assessed", "mitigating")[n % 3],
                probability=1 + n % 5,
                impact_schedule=1 + (n * 3) % 5,
                impact_cost=1 + (n * 2) % 5,
                cost_impact=Decimal(5_000 * (1 + n % 10)),
                schedule_impact_days=n % 15,
                raised_on=today - timedelta(days=30 + n),
                next_review_on=today + timedelta(days=n % 20 - 5),
                created_by=big.tpm,
            )
            risk.compute_scores()
            risks.append(risk)
    risks = Risk.objects.bulk_create(risks, batch_size=2000)
    RiskReview.objects.bulk_create(
        (
            RiskReview(
                risk=risk,
                reviewed_on=risk.raised_on,
                reviewed_by=big.tpm,
                status=risk.status,
                probability=risk.probability,
                impact_schedule=risk.impact_schedule,
                impact_cost=risk.impact_cost,
                score=risk.score,
            )
            for risk in risks
        ),
        batch_size=2000,
    )
    projects = (big.plan, big.board)
    Assumption.objects.bulk_create(
        Assumption(project=p, number=n + 1, title=f"Assumption {n + 1}", validate_by=today)
        for p in projects
        for n in range(10)
    )
    ExternalDependency.objects.bulk_create(
        ExternalDependency(
            project=p, number=n + 1, title=f"Delivery {n + 1}", party=f"Vendor {n}", due_on=today
        )
        for p in projects
        for n in range(10)
    )
    Issue.objects.bulk_create(
        Issue(project=p, number=n + 1, title=f"Issue {n + 1}", raised_on=today)
        for p in projects
        for n in range(20)
    )
    Decision.objects.bulk_create(
        Decision(project=p, number=n + 1, title=f"Decision {n + 1}")
        for p in projects
        for n in range(20)
    )
