"""Three realistic projects of a software team, for `manage.py seed_demo`."""

from datetime import date, timedelta
from typing import TypedDict

from django.db import transaction

from projects import services
from projects.models import Methodology, Project, ProjectStatus
from tpm.demo import DemoPeople
from tpm.models import Organisation
from tpm.roles import ProjectRole


class ProjectSpec(TypedDict):
    key: str
    name: str
    description: str
    methodology: str
    status: str
    start: int  # days from today
    weeks: int
    currency: str


PROJECTS: list[ProjectSpec] = [
    {
        "key": "PAY",
        "name": "Payments platform migration",
        "description": (
            "Move card and wallet payments from the legacy monolith to the new payments "
            "service, with zero downtime and PCI DSS re-certification before the holiday peak."
        ),
        "methodology": Methodology.HYBRID,
        "status": ProjectStatus.ACTIVE,
        "start": -60,
        "weeks": 26,
        "currency": "EUR",
    },
    {
        "key": "MOB",
        "name": "Mobile app 3.0",
        "description": (
            "Rebuild the iOS and Android apps on a shared design system, add offline mode "
            "and ship to both stores in fortnightly sprints."
        ),
        "methodology": Methodology.AGILE,
        "status": ProjectStatus.ACTIVE,
        "start": -30,
        "weeks": 20,
        "currency": "EUR",
    },
    {
        "key": "DC",
        "name": "Data centre exit",
        "description": (
            "Retire the Frankfurt data centre: move 140 services to the cloud, decommission "
            "hardware and end the colocation contract by its renewal date."
        ),
        "methodology": Methodology.WATERFALL,
        "status": ProjectStatus.PROPOSED,
        "start": 21,
        "weeks": 40,
        "currency": "EUR",
    },
]


@transaction.atomic
def seed_projects(organisation: Organisation, people: DemoPeople, today: date) -> list[Project]:
    """Create the demo projects with their teams."""
    created = []
    for index, spec in enumerate(PROJECTS):
        manager = people.manager if index != 1 else people.second_manager
        start = today + timedelta(days=spec["start"])
        project = services.project_create(
            organisation=organisation,
            actor=manager,
            key=spec["key"],
            name=spec["name"],
            description=spec["description"],
            methodology=spec["methodology"],
            status=spec["status"],
            start_date=start,
            target_date=start + timedelta(weeks=spec["weeks"]),
            currency=spec["currency"],
        )
        team = [(engineer, ProjectRole.MEMBER) for engineer in people.engineers]
        team += [
            (people.stakeholder, ProjectRole.STAKEHOLDER),
            (people.viewer, ProjectRole.VIEWER),
        ]
        if index == 0:
            team.append((people.second_manager, ProjectRole.STAKEHOLDER))
        for user, role in team:
            services.project_member_add(project=project, user=user, role=role, actor=manager)
        created.append(project)
    return created
