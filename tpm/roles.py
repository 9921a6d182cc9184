"""What each role may do. The one place that states it; everything else asks here.

Organisation roles decide who runs the organisation; project roles decide what a person may do
inside one project. An organisation admin acts as a manager on every project of the organisation.
"""

from enum import StrEnum

from django.db import models


class OrgRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


class ProjectRole(models.TextChoices):
    MANAGER = "manager", "Manager"
    MEMBER = "member", "Member"
    STAKEHOLDER = "stakeholder", "Stakeholder"
    VIEWER = "viewer", "Viewer"


class OrgAction(StrEnum):
    VIEW = "org.view"
    EDIT = "org.edit"
    MANAGE_MEMBERS = "org.manage_members"
    CREATE_PROJECT = "org.create_project"
    RESTORE_PROJECT = "org.restore_project"
    # The resource pool (resources/): every member sees who is in it (names, roles, skills,
    # capacity, time off); admins add, edit and deactivate resources, roles and skills, and
    # they alone see and set people's cost rates (a person's rate is pay-sensitive; projects
    # see costs through ProjectAction.VIEW_MONEY, not the rates).
    MANAGE_RESOURCES = "org.manage_resources"
    VIEW_RATES = "org.view_rates"


class ProjectAction(StrEnum):
    VIEW = "project.view"
    VIEW_MEMBERS = "project.view_members"
    UPDATE_OWN_WORK = "project.update_own_work"
    PLAN = "project.plan"
    EDIT = "project.edit"
    MANAGE_MEMBERS = "project.manage_members"
    DELETE = "project.delete"
    # The risk register and RAID log (risks/): everyone with a role reads it; the people doing
    # the work (members) raise and reassess risks and keep the RAID log; managers do too.
    # Turning a response into a task of the plan still needs PLAN.
    VIEW_RISKS = "risks.view"
    EDIT_RISKS = "risks.edit"
    # The board (projects/agile/services/board.py): the team moves any card of the project, as in
    # Jira (a card is shared work; the history says who moved it). Workflow and sprints: PLAN.
    MOVE_CARDS = "board.move_cards"
    # Resources and money (resources/). VIEW_MONEY: costs, budgets, expenses, EVM and the
    # rates a project's costs use: managers, and stakeholders too (sponsors read budget burn
    # and EVM on dashboards and own the budget), never members or viewers; members log time
    # without seeing rates or costs. Allocating people and assigning resources to tasks is
    # PLAN. LOG_TIME: members and managers log time on the project's tasks. APPROVE_TIME
    # (approve and reopen timesheets) and EDIT_BUDGET (budget lines, expenses, reserves):
    # managers.
    VIEW_MONEY = "money.view"
    LOG_TIME = "time.log"
    APPROVE_TIME = "time.approve"
    EDIT_BUDGET = "budget.edit"
    # Scope and quality (issue 7). Managers write the charter, objectives, deliverables and
    # gates (EDIT_SCOPE) and waive gates; the team records measurements (objective values,
    # test pass rate, coverage), checks gate criteria with evidence and gives the reviews its
    # role is asked for (RECORD_QUALITY). Accepting a deliverable needs ACCEPT_DELIVERABLES and
    # being its named acceptor (or a manager); approving the charter needs being its sponsor.
    EDIT_SCOPE = "scope.edit"
    RECORD_QUALITY = "quality.record"
    WAIVE_GATES = "quality.waive_gates"
    ACCEPT_DELIVERABLES = "scope.accept_deliverables"
    # Change requests: the team raises and submits them; managers approve or reject (a request
    # may also name other roles as approvers, checked by the change-request services).
    SUBMIT_CHANGES = "changes.submit"
    APPROVE_CHANGES = "changes.approve"


ORG_PERMISSIONS: dict[str, frozenset[OrgAction]] = {
    OrgRole.ADMIN: frozenset(OrgAction),
    OrgRole.MEMBER: frozenset({OrgAction.VIEW, OrgAction.CREATE_PROJECT}),
}

_READ = frozenset(
    {
        ProjectAction.VIEW,
        ProjectAction.VIEW_MEMBERS,
        ProjectAction.VIEW_RISKS,
    }
)
PROJECT_PERMISSIONS: dict[str, frozenset[ProjectAction]] = {
    ProjectRole.MANAGER: frozenset(ProjectAction),
    ProjectRole.MEMBER: _READ
    | {
        ProjectAction.UPDATE_OWN_WORK,
        ProjectAction.EDIT_RISKS,
        ProjectAction.MOVE_CARDS,
        ProjectAction.RECORD_QUALITY,
        ProjectAction.ACCEPT_DELIVERABLES,
        ProjectAction.SUBMIT_CHANGES,
        ProjectAction.LOG_TIME,
    },
    ProjectRole.STAKEHOLDER: _READ | {ProjectAction.ACCEPT_DELIVERABLES, ProjectAction.VIEW_MONEY},
    ProjectRole.VIEWER: _READ,
}


def org_role_can(role: str | None, action: OrgAction) -> bool:
    return role is not None and action in ORG_PERMISSIONS.get(role, frozenset())


def effective_project_role(*, org_role: str | None, project_role: str | None) -> str | None:
    """The role a person acts with in a project: their own, raised to manager for org admins."""
    if org_role is None:
        return None
    if org_role == OrgRole.ADMIN:
        return ProjectRole.MANAGER
    return project_role


def project_role_can(role: str | None, action: ProjectAction) -> bool:
    return role is not None and action in PROJECT_PERMISSIONS.get(role, frozenset())
