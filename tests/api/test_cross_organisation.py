"""Another organisation's objects do not exist for you: every detail route answers 404.

Acme's admin (the most powerful person in Acme) tries each route on Globex's objects, with a
valid version so that nothing but the scope can stop them.
"""

import pytest
from django.utils import timezone

from projects.models import Project, ProjectMembership
from tests.factories import ProjectFactory
from tpm.models import Invitation, Membership, Organisation

GLOBEX_OBJECTS = {
    "organisations": lambda w: w.other_organisation,
    "memberships": lambda w: Membership.objects.get(user=w.outsider),
    "invitations": lambda w: w.other_invitation,
    "projects": lambda w: w.other_project,
    "project-members": lambda w: ProjectMembership.objects.get(project=w.other_project),
}
BODIES = {
    "organisations": {"name": "Taken over"},
    "memberships": {"role": "member"},
    "projects": {"name": "Taken over"},
    "project-members": {"role": "viewer"},
}
CALLS = [
    (resource, method)
    for resource in GLOBEX_OBJECTS
    for method in ("get", "patch", "put", "delete")
    if not (resource == "organisations" and method == "delete")
    and not (resource == "invitations" and method in ("patch", "put"))
]


def _state():
    return (
        list(Organisation.objects.values_list("name", "version")),
        list(Membership.objects.values_list("role", "version")),
        list(Invitation.objects.values_list("revoked_at", flat=True)),
        list(Project.objects.values_list("name", "version", "deleted_at")),
        list(ProjectMembership.objects.values_list("role", "version")),
    )


@pytest.mark.parametrize(("resource", "method"), CALLS, ids=lambda v: v)
def test_every_detail_route_on_another_organisation_is_404(world, api, resource, method):
    # given one of Globex's objects and how everything stands
    target = GLOBEX_OBJECTS[resource](world)
    before = _state()
    url = f"/api/v1/{resource}/{target.pk}/"
    # when Acme's admin calls the route
    response = getattr(api(world.admin), method)(
        url, BODIES.get(resource), headers={"If-Match": f'"{getattr(target, "version", 1)}"'}
    )
    # then it does not exist for them, and nothing changed
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert _state() == before


def test_restoring_another_organisations_project_is_404(world, api):
    # given a project in Globex's trash
    trashed = ProjectFactory(organisation=world.other_organisation, deleted_at=timezone.now())
    # when Acme's admin tries to restore it
    response = api(world.admin).post(f"/api/v1/projects/{trashed.pk}/restore/")
    # then it does not exist for them and stays in the trash
    assert response.status_code == 404
    trashed.refresh_from_db()
    assert trashed.is_deleted


def test_ids_that_do_not_exist_are_404_like_invisible_ones(world, api):
    # when the admin asks for an id nobody has
    response = api(world.admin).get("/api/v1/projects/999999/")
    # then the answer is the same as for another organisation's project
    assert response.status_code == 404
