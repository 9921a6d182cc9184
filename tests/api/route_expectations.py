"""Permission-matrix entries for the REST API (see tests/permission_matrix.py).

Anonymous callers get 401 everywhere under /api/v1/. The OpenAPI schema and its two viewers
(/api/schema/, /api/docs/, /api/redoc/) are public: they describe the API's shape, never data,
and client generators fetch the schema without credentials.

Objects used: `world.project` (WEB), the viewer's role on it, the bystander's organisation
membership, the organisation's pending invitation and its trashed project. Writes send a valid
version (If-Match) so they reach the permission check rather than the 428.
"""

from projects.models import ProjectMembership
from tests.factories import (
    CalendarExceptionFactory,
    DependencyFactory,
    TaskFactory,
    WorkCalendarFactory,
)
from tests.permission_matrix import Case, expect, project_manage, project_read
from tpm.models import Membership

SIGNED_IN = expect(200, anonymous=401)
ORG_READ = expect(200, anonymous=401, outsider=404)
ORG_ADMIN = expect(403, anonymous=401, outsider=404, admin=200)
PROJECT_READ = project_read(anonymous=401)
PROJECT_MANAGE = project_manage(anonymous=401)


def _if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


def _organisation(world):
    return {"pk": world.organisation.pk}


def _bystander_membership(world):
    return {"pk": Membership.objects.get(user=world.bystander).pk}


def _invitation(world):
    return {"pk": world.invitation.pk}


def _project(world):
    return {"pk": world.project.pk}


def _viewer_role(world):
    return {"pk": ProjectMembership.objects.get(user=world.viewer, project=world.project).pk}


def _org_version(world):
    return _if_match(world.organisation.version)


def _membership_version(world):
    return _if_match(Membership.objects.get(user=world.bystander).version)


def _project_version(world):
    return _if_match(world.project.version)


def _viewer_role_version(world):
    return _if_match(ProjectMembership.objects.get(user=world.viewer).version)


ROUTES: list[Case] = [
    # --- root, me, documentation ---
    Case("api:api-root", "get", SIGNED_IN, json=True),
    Case("api:me", "get", SIGNED_IN, json=True),
    Case("api-schema", "get", expect(200), json=True),
    Case("api-docs", "get", expect(200), json=True),
    Case("api-redoc", "get", expect(200), json=True),
    # --- organisations (outsiders list their own) ---
    Case("api:organisation-list", "get", SIGNED_IN, json=True),
    Case(
        "api:organisation-list",
        "post",
        expect(201, anonymous=401),
        data=lambda w: {"name": "Initech"},
        json=True,
    ),
    Case("api:organisation-detail", "get", ORG_READ, kwargs=_organisation, json=True),
    Case(
        "api:organisation-detail",
        "patch",
        ORG_ADMIN,
        kwargs=_organisation,
        data=lambda w: {"name": "Acme Ltd"},
        headers=_org_version,
        json=True,
    ),
    Case(
        "api:organisation-detail",
        "put",
        ORG_ADMIN,
        kwargs=_organisation,
        data=lambda w: {"name": "Acme Ltd"},
        headers=_org_version,
        json=True,
    ),
    # --- organisation memberships ---
    Case("api:membership-list", "get", SIGNED_IN, json=True),
    Case("api:membership-detail", "get", ORG_READ, kwargs=_bystander_membership, json=True),
    Case(
        "api:membership-detail",
        "patch",
        ORG_ADMIN,
        kwargs=_bystander_membership,
        data=lambda w: {"role": "admin"},
        headers=_membership_version,
        json=True,
    ),
    Case(
        "api:membership-detail",
        "put",
        ORG_ADMIN,
        kwargs=_bystander_membership,
        data=lambda w: {"role": "admin"},
        headers=_membership_version,
        json=True,
    ),
    Case(
        "api:membership-detail",
        "delete",
        expect(403, anonymous=401, outsider=404, admin=204),
        kwargs=_bystander_membership,
        json=True,
    ),
    # --- invitations: the admins' business (members 403 on detail, outsiders 404) ---
    Case("api:invitation-list", "get", SIGNED_IN, json=True),
    Case(
        "api:invitation-list",
        "post",
        expect(403, anonymous=401, outsider=404, admin=201),
        data=lambda w: {"organisation": w.organisation.pk, "email": "dana@acme.test"},
        json=True,
    ),
    Case("api:invitation-detail", "get", ORG_ADMIN, kwargs=_invitation, json=True),
    Case(
        "api:invitation-detail",
        "delete",
        expect(403, anonymous=401, outsider=404, admin=204),
        kwargs=_invitation,
        json=True,
    ),
    # --- projects: any organisation member may start one ---
    Case("api:project-list", "get", SIGNED_IN, json=True),
    Case(
        "api:project-list",
        "post",
        expect(201, anonymous=401, outsider=404),
        data=lambda w: {"organisation": w.organisation.pk, "key": "NEW", "name": "New thing"},
        json=True,
    ),
    Case("api:project-detail", "get", PROJECT_READ, kwargs=_project, json=True),
    Case(
        "api:project-detail",
        "patch",
        PROJECT_MANAGE,
        kwargs=_project,
        data=lambda w: {"status": "on_hold"},
        headers=_project_version,
        json=True,
    ),
    Case(
        "api:project-detail",
        "put",
        PROJECT_MANAGE,
        kwargs=_project,
        data=lambda w: {"name": "Website relaunch", "status": "active"},
        headers=_project_version,
        json=True,
    ),
    Case(
        "api:project-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_project,
        json=True,
    ),
    # Only the organisation's admins see the trash; for everyone else it is not there.
    Case(
        "api:project-restore",
        "post",
        expect(404, anonymous=401, admin=200),
        kwargs=lambda w: {"pk": w.deleted_project.pk},
        json=True,
    ),
    # --- project members ---
    Case("api:project-member-list", "get", SIGNED_IN, json=True),
    Case(
        "api:project-member-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda w: {"project": w.project.pk, "user": w.bystander.pk, "role": "viewer"},
        json=True,
    ),
    Case("api:project-member-detail", "get", PROJECT_READ, kwargs=_viewer_role, json=True),
    Case(
        "api:project-member-detail",
        "patch",
        PROJECT_MANAGE,
        kwargs=_viewer_role,
        data=lambda w: {"role": "stakeholder"},
        headers=_viewer_role_version,
        json=True,
    ),
    Case(
        "api:project-member-detail",
        "put",
        PROJECT_MANAGE,
        kwargs=_viewer_role,
        data=lambda w: {"role": "stakeholder"},
        headers=_viewer_role_version,
        json=True,
    ),
    Case(
        "api:project-member-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_viewer_role,
        json=True,
    ),
]


# --- the plan: tasks, links, schedule (the world has no tasks; each case makes its own) ---
# Fresh tasks and links are at version 1, so writes send If-Match "1".


def _task(world):
    return {"pk": TaskFactory(project=world.project).pk}


def _members_task(world):
    """A task assigned to the world's member: they may report on it (others on the team not)."""
    task = TaskFactory(project=world.project)
    task.assignees.add(world.member)
    return {"pk": task.pk}


def _link(world):
    return {"pk": DependencyFactory(predecessor=TaskFactory(project=world.project)).pk}


def _two_tasks(world):
    return {
        "predecessor": TaskFactory(project=world.project).pk,
        "successor": TaskFactory(project=world.project).pk,
    }


def _version_1(world):
    return _if_match(1)


ROUTES += [
    Case("api:task-list", "get", SIGNED_IN, json=True),
    Case(
        "api:task-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda w: {"project": w.project.pk, "name": "Wireframes", "duration_days": 2},
        json=True,
    ),
    Case("api:task-detail", "get", PROJECT_READ, kwargs=_task, json=True),
    Case(
        "api:task-detail",
        "patch",
        PROJECT_MANAGE,
        kwargs=_task,
        data=lambda w: {"duration_minutes": 960},
        headers=_version_1,
        json=True,
    ),
    Case(
        "api:task-detail",
        "put",
        PROJECT_MANAGE,
        kwargs=_task,
        data=lambda w: {"name": "Wireframes", "notes": "Mobile first"},
        headers=_version_1,
        json=True,
    ),
    Case(
        "api:task-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_task,
        json=True,
    ),
    Case(
        "api:task-progress",
        "post",
        expect(403, anonymous=401, outsider=404, bystander=404, member=200, manager=200, admin=200),
        kwargs=_members_task,
        data=lambda w: {"percent_complete": 50},
        headers=_version_1,
        json=True,
    ),
    Case(
        "api:task-move",
        "post",
        PROJECT_MANAGE,
        kwargs=_task,
        data=lambda w: {"parent": None, "position": 0},
        headers=_version_1,
        json=True,
    ),
    Case("api:dependency-list", "get", SIGNED_IN, json=True),
    Case(
        "api:dependency-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=_two_tasks,
        json=True,
    ),
    Case("api:dependency-detail", "get", PROJECT_READ, kwargs=_link, json=True),
    Case(
        "api:dependency-detail",
        "patch",
        PROJECT_MANAGE,
        kwargs=_link,
        data=lambda w: {"lag_minutes": -120},
        headers=_version_1,
        json=True,
    ),
    Case(
        "api:dependency-detail",
        "put",
        PROJECT_MANAGE,
        kwargs=_link,
        data=lambda w: {"type": "SS", "lag_minutes": 0},
        headers=_version_1,
        json=True,
    ),
    Case(
        "api:dependency-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_link,
        json=True,
    ),
    Case("api:project-schedule", "get", PROJECT_READ, kwargs=_project, json=True),
    Case("api:project-schedule", "post", PROJECT_MANAGE, kwargs=_project, json=True),
]


# --- calendars: everyone in the organisation reads; admins manage the organisation's,
# a project's managers also that project's own calendars ---
ORG_CREATED = expect(403, anonymous=401, outsider=404, admin=201)
PROJECT_CALENDAR_MANAGE = expect(403, anonymous=401, outsider=404, manager=200, admin=200)


def _org_calendar(world):
    return {"pk": WorkCalendarFactory(organisation=world.organisation).pk}


def _project_calendar(world):
    return {"pk": WorkCalendarFactory(organisation=world.organisation, project=world.project).pk}


def _project_holiday(world):
    calendar = WorkCalendarFactory(organisation=world.organisation, project=world.project)
    return {"pk": CalendarExceptionFactory(calendar=calendar).pk}


def _new_project_calendar(world):
    return {"calendar": WorkCalendarFactory(organisation=world.organisation).pk}


ROUTES += [
    Case("api:calendar-list", "get", SIGNED_IN, json=True),
    Case(
        "api:calendar-list",
        "post",
        ORG_CREATED,
        data=lambda w: {"organisation": w.organisation.pk, "name": "Night shift"},
        json=True,
    ),
    Case("api:calendar-detail", "get", ORG_READ, kwargs=_org_calendar, json=True),
    Case(
        "api:calendar-detail",
        "patch",
        PROJECT_CALENDAR_MANAGE,
        kwargs=_project_calendar,
        data=lambda w: {"working_weekdays": [0, 1, 2, 3]},
        headers=_version_1,
        json=True,
    ),
    Case(
        "api:calendar-detail",
        "put",
        PROJECT_CALENDAR_MANAGE,
        kwargs=_project_calendar,
        data=lambda w: {
            "name": "Crunch",
            "is_organisation_default": False,
            "working_weekdays": [0, 1, 2, 3, 4, 5],
            "working_times": [["08:00", "18:00"]],
        },
        headers=_version_1,
        json=True,
    ),
    Case(
        "api:calendar-detail",
        "delete",
        expect(403, anonymous=401, outsider=404, admin=204),
        kwargs=_org_calendar,
        json=True,
    ),
    Case("api:calendar-exception-list", "get", SIGNED_IN, json=True),
    Case(
        "api:calendar-exception-list",
        "post",
        expect(403, anonymous=401, outsider=404, manager=201, admin=201),
        data=lambda w: {
            "calendar": _project_calendar(w)["pk"],
            "name": "Launch party",
            "first_day": "2030-05-02",
        },
        json=True,
    ),
    Case("api:calendar-exception-detail", "get", ORG_READ, kwargs=_project_holiday, json=True),
    Case(
        "api:calendar-exception-detail",
        "delete",
        expect(403, anonymous=401, outsider=404, manager=204, admin=204),
        kwargs=_project_holiday,
        json=True,
    ),
    Case("api:project-calendar", "get", PROJECT_READ, kwargs=_project, json=True),
    Case(
        "api:project-calendar",
        "put",
        PROJECT_MANAGE,
        kwargs=_project,
        data=_new_project_calendar,
        headers=_project_version,
        json=True,
    ),
]
