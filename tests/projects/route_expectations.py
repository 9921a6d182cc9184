"""Permission-matrix entries for this app's routes (see tests/permission_matrix.py)."""

from projects.models import ProjectMembership
from tests.permission_matrix import Case, expect, project_manage, project_read


def _web(world):
    return {"project_id": world.project.pk}


def _membership_of(kind: str):
    def kwargs(world):
        membership = ProjectMembership.objects.get(project=world.project, user=getattr(world, kind))
        return {"membership_id": membership.pk}

    return kwargs


def _settings_data(world):
    return {
        "name": "Website relaunch",
        "description": "New site",
        "methodology": "agile",
        "status": "active",
        "start_date": "",
        "target_date": "",
        "currency": "EUR",
        "version": world.project.version,
    }


ROUTES: list[Case] = [
    # The list and creation act in the user's current organisation (the outsider's is Globex).
    Case("project-list", "get", expect(200, anonymous=302)),
    Case("project-create", "get", expect(200, anonymous=302)),
    Case(
        "project-create",
        "post",
        expect(302),
        data=lambda world: {
            "key": "new1",
            "name": "New thing",
            "methodology": "hybrid",
            "status": "proposed",
            "currency": "USD",
        },
    ),
    Case("project-detail", "get", project_read(), kwargs=_web),
    Case("project-settings", "get", project_manage(), kwargs=_web),
    Case("project-settings", "post", project_manage(302), kwargs=_web, data=_settings_data),
    Case("project-delete", "get", project_manage(), kwargs=_web),
    Case("project-delete", "post", project_manage(302), kwargs=_web, data=lambda world: {}),
    Case("project-history", "get", project_read(), kwargs=_web),
    Case("project-members", "get", project_read(), kwargs=_web),
    Case(
        "project-member-add",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"email": "newcomer@example.com", "role": "member"},
    ),
    Case(
        "project-member-role",
        "post",
        project_manage(302),
        kwargs=_membership_of("member"),
        data=lambda world: {"role": "stakeholder", "version": 1},
    ),
    Case(
        "project-member-remove",
        "post",
        project_manage(302),
        kwargs=_membership_of("viewer"),
        data=lambda world: {},
    ),
    # Org admins see their current organisation's trash (the outsider sees Globex's).
    Case("project-trash", "get", expect(403, anonymous=302, outsider=200, admin=200)),
    # Restoring needs admin rights in the project's own organisation; anyone else gets a 404.
    Case(
        "project-restore",
        "post",
        expect(404, anonymous=302, admin=302),
        kwargs=lambda world: {"project_id": world.deleted_project.pk},
        data=lambda world: {},
    ),
]
