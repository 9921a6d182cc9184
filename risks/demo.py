"""A realistic register and RAID log for `manage.py seed_demo`: about 20 risks with their review
history, some issues, decisions, assumptions and dependencies on outside parties."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from projects.models import Project, Task
from tpm.demo import DemoPeople
from tpm.models import User

from . import services
from .models import (
    Assumption,
    Decision,
    ExternalDependency,
    Issue,
)
from .raid import services as raid_services

# (title, category, kind, P, (schedule, cost, scope, quality), cost, days, strategy,
#  raised days ago, [(days ago, P, residual P, residual I)] reviews, cause, event, effect)
Spec = tuple[Any, ...]

PAY_RISKS: list[Spec] = [
    (
        "Card vendor sandbox arrives late",
        "Vendor",
        "threat",
        4,
        (5, 2, 1, 1),
        30000,
        15,
        "mitigate",
        55,
        [(40, 4, 3, 4), (20, 3, 2, 3), (5, 3, 1, 3)],
        "The vendor is short of integration engineers",
        "The sandbox is not ready when integration starts",
        "The card flow cannot be tested and go-live slips",
    ),
    (
        "PCI DSS re-certification finds gaps",
        "Compliance",
        "threat",
        3,
        (4, 4, 2, 3),
        80000,
        20,
        "mitigate",
        50,
        [(30, 3, 2, 3), (10, 4, 2, 3)],
        "Tokenisation is new to the team",
        "The assessor finds control gaps",
        "Go-live is blocked until remediation",
    ),
    (
        "Holiday-peak change freeze starts early",
        "Schedule",
        "threat",
        2,
        (5, 1, 2, 1),
        0,
        25,
        "accept",
        45,
        [(15, 3, None, None)],
        "Retail operations set the freeze date",
        "The freeze is brought forward",
        "The cut-over window disappears",
    ),
    (
        "Legacy settlement batch undocumented",
        "Technical",
        "threat",
        4,
        (3, 2, 3, 4),
        25000,
        10,
        "mitigate",
        58,
        [(35, 4, 2, 2), (12, 3, 2, 2)],
        "The author left the company",
        "Reconciliation rules are missed in the new service",
        "Merchants are paid wrong amounts",
    ),
    (
        "Key payments engineer on parental leave",
        "Resource",
        "threat",
        5,
        (3, 2, 1, 2),
        15000,
        8,
        "mitigate",
        40,
        [(20, 5, 2, 2)],
        "Leave planned for the peak months",
        "Knowledge sits with one person",
        "Progress slows",
    ),
    (
        "Fraud-scoring API rate limits",
        "Vendor",
        "threat",
        2,
        (2, 3, 1, 3),
        12000,
        3,
        "transfer",
        30,
        [(8, 2, 1, 2)],
        "The contract caps calls per second",
        "Peak traffic exceeds the cap",
        "Payments are declined",
    ),
    (
        "Cloud costs above estimate",
        "Cost",
        "threat",
        3,
        (1, 3, 1, 1),
        40000,
        0,
        "mitigate",
        35,
        [(14, 3, 2, 2)],
        "Estimates used list prices",
        "Reserved capacity is not bought in time",
        "Budget overrun",
    ),
    (
        "Tokenisation library vulnerability",
        "Security",
        "threat",
        2,
        (2, 2, 1, 5),
        20000,
        5,
        "avoid",
        25,
        [],
        "Third-party cryptography",
        "A CVE is published during the project",
        "Emergency patching",
    ),
    (
        "Reuse wallet SDK from mobile team",
        "Technical",
        "opportunity",
        3,
        (3, 2, 1, 1),
        18000,
        10,
        "exploit",
        20,
        [(6, 4, None, None)],
        "Mobile 3.0 built the same flow",
        "We adopt their SDK",
        "Weeks of work saved",
    ),
    (
        "Acquirer fee renegotiation",
        "Cost",
        "opportunity",
        2,
        (1, 4, 1, 1),
        60000,
        0,
        "enhance",
        15,
        [],
        "The acquirer contract renews",
        "Volume discount agreed",
        "Lower running cost",
    ),
]

MOB_RISKS: list[Spec] = [
    (
        "App store review rejects offline mode",
        "Compliance",
        "threat",
        3,
        (4, 1, 3, 2),
        5000,
        10,
        "mitigate",
        25,
        [(10, 3, 2, 2)],
        "New background sync",
        "Review guidelines are interpreted strictly",
        "Release slips by a sprint",
    ),
    (
        "Design system not ready for Android",
        "Schedule",
        "threat",
        4,
        (4, 1, 2, 3),
        8000,
        12,
        "mitigate",
        28,
        [(14, 4, 2, 3), (3, 3, 2, 2)],
        "The design team is shared",
        "Android components lag",
        "Android ships later than iOS",
    ),
    (
        "Sync conflicts corrupt offline edits",
        "Technical",
        "threat",
        3,
        (3, 2, 2, 5),
        10000,
        8,
        "mitigate",
        22,
        [(7, 3, 1, 4)],
        "Two devices edit the same record",
        "Conflict resolution loses data",
        "Customer trust drops",
    ),
    (
        "QA device lab capacity",
        "Resource",
        "threat",
        2,
        (3, 1, 1, 2),
        3000,
        5,
        "accept",
        18,
        [],
        "The lab is shared with web",
        "Test runs queue",
        "Feedback slows",
    ),
    (
        "Crash analytics vendor price rise",
        "Vendor",
        "threat",
        3,
        (1, 2, 1, 1),
        6000,
        0,
        "transfer",
        12,
        [],
        "The contract renews",
        "Prices rise 30%",
        "Budget pressure",
    ),
    (
        "Shared components speed up web",
        "Technical",
        "opportunity",
        3,
        (2, 2, 1, 1),
        9000,
        6,
        "share",
        10,
        [],
        "Components are platform neutral",
        "Web adopts them",
        "Less duplicate work",
    ),
]

DC_RISKS: list[Spec] = [
    (
        "Colocation contract auto-renews",
        "Cost",
        "threat",
        3,
        (2, 5, 1, 1),
        250000,
        0,
        "avoid",
        14,
        [(4, 3, 1, 5)],
        "The notice period is 9 months",
        "Notice is not given in time",
        "Another year of rent",
    ),
    (
        "Unknown dependencies on mainframe",
        "Technical",
        "threat",
        4,
        (5, 3, 3, 2),
        90000,
        30,
        "mitigate",
        12,
        [],
        "Decades of integrations",
        "Services fail after migration",
        "Rollbacks and delays",
    ),
    (
        "Data residency rules for customer data",
        "Compliance",
        "threat",
        2,
        (3, 2, 4, 1),
        30000,
        15,
        "mitigate",
        10,
        [],
        "Some customers are public bodies",
        "Cloud regions are not approved",
        "Scope is cut",
    ),
    (
        "Hardware resale offsets costs",
        "Cost",
        "opportunity",
        3,
        (1, 3, 1, 1),
        40000,
        0,
        "enhance",
        8,
        [],
        "Servers are recent",
        "A reseller buys them",
        "Lower project cost",
    ),
]


def _risks(
    project: Project, actor: User, owners: list[User], specs: list[Spec], today: date
) -> int:
    categories = {c.name: c for c in services.categories_ensure(organisation=project.organisation)}
    count = 0
    for index, spec in enumerate(specs):
        (
            title,
            category,
            kind,
            p,
            impacts,
            cost,
            days,
            strategy,
            raised,
            reviews,
            cause,
            event,
            effect,
        ) = spec
        risk = services.risk_create(
            project=project,
            actor=actor,
            title=title,
            kind=kind,
            category=categories[category],
            owner=owners[index % len(owners)],
            probability=p,
            impact_schedule=impacts[0],
            impact_cost=impacts[1],
            impact_scope=impacts[2],
            impact_quality=impacts[3],
            cost_impact=Decimal(cost),
            schedule_impact_days=days,
            strategy=strategy,
            cause=cause,
            event=event,
            effect=effect,
            raised_on=today - timedelta(days=raised),
            proximity=today + timedelta(days=20 + 7 * index),
            next_review_on=today + timedelta(days=(index % 4) * 7 - 3),
        )
        for ago, prob, res_p, res_i in reviews:
            risk.refresh_from_db()
            risk = services.risk_reassess(
                risk=risk,
                actor=actor,
                version=risk.version,
                reviewed_on=today - timedelta(days=ago),
                probability=prob,
                residual_probability=res_p,
                residual_impact=res_i,
                note="Reviewed at the weekly risk meeting.",
            ).risk
        count += 1
    return count


def _raid(project: Project, actor: User, owners: list[User], today: date) -> None:
    create = raid_services.raid_create
    create(
        model=Assumption,
        project=project,
        actor=actor,
        owner=owners[0],
        title="The acquirer keeps the current API version until March",
        validate_by=today - timedelta(days=2),
    )
    create(
        model=Assumption,
        project=project,
        actor=actor,
        owner=owners[1],
        title="Merchants need no changes on their side",
        validate_by=today + timedelta(days=14),
    )
    create(
        model=Assumption,
        project=project,
        actor=actor,
        owner=owners[0],
        status="validated",
        title="Peak traffic stays under 400 payments per second",
    )
    create(
        model=Decision,
        project=project,
        actor=actor,
        owner=actor,
        title="Tokenise cards with the vault service, not in the monolith",
        rationale="Takes the monolith out of PCI scope.",
        alternatives="Encrypt in place; buy a gateway's tokenisation",
        decided_by="Architecture board",
        decided_on=today - timedelta(days=40),
    )
    create(
        model=Decision,
        project=project,
        actor=actor,
        owner=actor,
        title="Migrate merchants in waves of 10%",
        rationale="Limits the blast radius of a defect.",
        alternatives="Big-bang cut-over",
        decided_by="Priya Natarajan and the payments lead",
        decided_on=today - timedelta(days=21),
    )
    create(
        model=Issue,
        project=project,
        actor=actor,
        owner=owners[2],
        priority="high",
        title="Staging database refresh failed",
        raised_on=today - timedelta(days=3),
        due_on=today + timedelta(days=2),
        status="in_progress",
    )
    create(
        model=Issue,
        project=project,
        actor=actor,
        owner=owners[1],
        priority="medium",
        title="Load-test environment shared with another team",
        raised_on=today - timedelta(days=9),
        status="resolved",
        resolution="Booked exclusive slots on Tuesdays and Thursdays.",
    )
    create(
        model=ExternalDependency,
        project=project,
        actor=actor,
        owner=owners[0],
        title="Production API credentials",
        party="Card acquirer",
        party_kind="vendor",
        due_on=today + timedelta(days=10),
    )
    create(
        model=ExternalDependency,
        project=project,
        actor=actor,
        owner=owners[1],
        title="Firewall rules for the new service",
        party="Network team",
        party_kind="team",
        due_on=today - timedelta(days=1),
        status="at_risk",
    )


@transaction.atomic
def seed_risks(projects: list[Project], people: DemoPeople, today: date) -> int:
    """The register of each demo project; returns the number of risks."""
    specs = {"PAY": PAY_RISKS, "MOB": MOB_RISKS, "DC": DC_RISKS}
    total = 0
    for index, project in enumerate(projects):
        manager = people.manager if index != 1 else people.second_manager
        owners = [manager, *people.engineers]
        total += _risks(project, manager, owners, specs.get(project.key, []), today)
        if project.key == "PAY":
            _raid(project, manager, owners, today)
        _respond(project, manager)
    return total


def _respond(project: Project, manager: User) -> None:
    """Links, responses and an occurred risk. Payments has an approved baseline, so its plan
    gets no new task here; the mobile project's Android risk gets a response task instead."""
    if project.key == "PAY":
        risk = project.risks.get(title="Card vendor sandbox arrives late")
        milestone = Task.objects.alive().filter(project=project, is_milestone=True).first()
        if milestone is not None:
            services.risk_link_task(risk=risk, actor=manager, task=milestone)
        limits = project.risks.get(title="Fraud-scoring API rate limits")
        services.risk_mark_occurred(
            risk=limits,
            actor=manager,
            version=limits.version,
            note="Declines spiked during the load test.",
        )
    elif project.key == "MOB":
        risk = project.risks.get(title="Design system not ready for Android")
        services.risk_add_response(
            risk=risk,
            actor=manager,
            name="Pair a designer with the Android team",
            duration_minutes=5 * 480,
        )
