"""Every list endpoint costs the same number of queries for 3 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    DependencyFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectMembershipFactory,
    TaskFactory,
    member_of,
    on_project,
)
from tpm.roles import OrgRole, ProjectRole


def _more_organisations(world, n):
    for _ in range(n):
        MembershipFactory(organisation=OrganisationFactory(), user=world.admin, role=OrgRole.ADMIN)


def _more_memberships(world, n):
    for _ in range(n):
        member_of(world.organisation)


def _more_invitations(world, n):
    for _ in range(n):
        InvitationFactory(organisation=world.organisation, invited_by=world.manager)


def _more_projects(world, n):
    for _ in range(n):
        project = ProjectFactory(organisation=world.organisation)
        ProjectMembershipFactory(project=project, user=world.manager, role=ProjectRole.MANAGER)


def _more_project_members(world, n):
    for _ in range(n):
        on_project(world.project, ProjectRole.MEMBER)


def _more_tasks(world, n):
    """n links, each between two new tasks with a person assigned (what the rows show)."""
    for _ in range(n):
        predecessor = TaskFactory(project=world.project)
        successor = TaskFactory(project=world.project)
        for task in (predecessor, successor):
            task.assignees.add(world.member)
        DependencyFactory(predecessor=predecessor, successor=successor)


PREFETCHES = {"tasks": 2}

GROW = {
    "organisations": _more_organisations,
    "memberships": _more_memberships,
    "invitations": _more_invitations,
    "projects": _more_projects,
    "project-members": _more_project_members,
    "tasks": _more_tasks,
    "dependencies": _more_tasks,
}


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"], [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("resource", list(GROW))
def test_list_endpoints_cost_the_same_for_3_or_30_rows(world, api, resource):
    # given the admin's list holds at least 3 rows
    client = api(world.admin)
    url = f"/api/v1/{resource}/?page_size=100"
    GROW[resource](world, 3)
    few, few_rows, _ = _count(client, url)
    # when it grows by 27 rows
    GROW[resource](world, 27)
    many, many_rows, sql = _count(client, url)
    # then the list is longer and costs the same
    assert many_rows >= few_rows + 27
    assert many == few, "\n".join(sql)
    # session, user, count, rows, +1 for a prefetch (tasks: 2, their people and their links)
    assert many <= PREFETCHES.get(resource, 1) + 4, "\n".join(sql)
