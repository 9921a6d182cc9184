"""Demo organisation and one user per role, for `manage.py seed_demo`."""

from dataclasses import dataclass

from django.db import transaction

from . import services
from .models import Membership, Organisation, User
from .roles import OrgRole

DEMO_PASSWORD = "linchpin-demo"
DEMO_ORG_SLUG = "northwind"


@dataclass
class DemoPeople:
    admin: User
    manager: User
    second_manager: User
    engineers: list[User]
    stakeholder: User
    viewer: User

    def rows(self) -> list[tuple[str, User]]:
        return [
            ("organisation admin", self.admin),
            ("project manager (TPM)", self.manager),
            ("project manager", self.second_manager),
            ("team member", self.engineers[0]),
            ("stakeholder", self.stakeholder),
            ("viewer", self.viewer),
        ]


PEOPLE = [
    ("admin@example.com", "Alex Admin", OrgRole.ADMIN),
    ("tpm@example.com", "Priya Natarajan", OrgRole.MEMBER),
    ("tpm2@example.com", "Marcus Webb", OrgRole.MEMBER),
    ("dev@example.com", "Sam Okafor", OrgRole.MEMBER),
    ("dev2@example.com", "Lena Fischer", OrgRole.MEMBER),
    ("qa@example.com", "Diego Ramos", OrgRole.MEMBER),
    ("ops@example.com", "Hana Sato", OrgRole.MEMBER),
    ("sponsor@example.com", "Grace Holloway", OrgRole.MEMBER),
    ("viewer@example.com", "Victor Lind", OrgRole.MEMBER),
]


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=DEMO_ORG_SLUG).exists()


@transaction.atomic
def seed_people() -> tuple[Organisation, DemoPeople]:
    users = []
    for email, name, _ in PEOPLE:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name
        )
        users.append(user)
    organisation = services.organisation_create(
        name="Northwind Software", slug=DEMO_ORG_SLUG, actor=users[0]
    )
    for user, (_, _, role) in zip(users[1:], PEOPLE[1:], strict=True):
        Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": role}
        )
    # A second organisation, so the demo TPM has something to switch to.
    partner = services.organisation_create(
        name="Contoso Partner Programme", slug=f"{DEMO_ORG_SLUG}-partners", actor=users[0]
    )
    Membership.objects.create(organisation=partner, user=users[1], role=OrgRole.MEMBER)
    return organisation, DemoPeople(
        admin=users[0],
        manager=users[1],
        second_manager=users[2],
        engineers=users[3:7],
        stakeholder=users[7],
        viewer=users[8],
    )
