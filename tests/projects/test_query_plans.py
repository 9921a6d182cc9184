"""The access layer's queries keep their shape at scale (issue 14), on PostgreSQL.

`with_my_role` used to add five correlated subqueries to every row (the caller's organisation
and project roles looked up again for each of 5,000 tasks), so the last page of the tasks API
read every row and ran them all: ten seconds. Now the caller's roles are resolved once per
query. These tests fail if a per-row subquery or a whole-table scan of a big table comes back.
"""

import itertools

import pytest

from projects.access import (
    dependencies_for,
    projects_for,
    tasks_for,
    with_my_role,
)
from projects.models import Task
from tests.factories import (
    DependencyFactory,
    OrganisationFactory,
    ProjectFactory,
    TaskFactory,
    member_of,
    on_project,
)
from tests.plans import assert_plan_scales, needs_postgres, per_row_subplans, plan_of
from tpm.access import organisations_for
from tpm.roles import OrgRole, ProjectRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    organisation = OrganisationFactory()
    project = ProjectFactory(organisation=organisation)
    other = ProjectFactory(organisation=organisation)
    tasks = TaskFactory.create_batch(12, project=project)
    TaskFactory.create_batch(3, project=other)
    for a, b in itertools.pairwise(tasks):
        DependencyFactory(predecessor=a, successor=b)
    return project, other, tasks


@needs_postgres
@pytest.mark.parametrize("role", ["admin", "member"])
def test_task_lists_resolve_the_role_once_per_query(plan, role):
    project, _, _ = plan
    user = (
        member_of(project.organisation, OrgRole.ADMIN)
        if role == "admin"
        else on_project(project, ProjectRole.MEMBER)
    )
    # the tasks API's list of one plan, and its deep page (ordered by the outline)
    tasks = tasks_for(user).filter(project=project).order_by("outline_key", "pk")
    assert_plan_scales(tasks)
    assert_plan_scales(tasks[4000:4050])
    assert_plan_scales(dependencies_for(user).filter(successor__project=project))


@needs_postgres
def test_project_and_organisation_lists_have_no_per_row_subquery(plan):
    project, _, _ = plan
    user = on_project(project, ProjectRole.VIEWER)
    assert per_row_subplans(plan_of(projects_for(user))) == []
    assert per_row_subplans(plan_of(organisations_for(user))) == []


@needs_postgres
def test_a_single_task_fetch_uses_the_indexes(plan):
    project, _, tasks = plan
    user = on_project(project, ProjectRole.MEMBER)
    fetch = with_my_role(Task.objects.alive(), user, "project").filter(pk=tasks[5].pk)
    assert_plan_scales(fetch)


def test_roles_are_the_same_as_before(plan):
    """The rewrite keeps who sees what: admins manage all, members see their projects only,
    a project role outside the organisation counts for nothing."""
    project, other, _ = plan
    admin = member_of(project.organisation, OrgRole.ADMIN)
    member = on_project(project, ProjectRole.STAKEHOLDER)
    outsider_org = OrganisationFactory()
    stranger = member_of(outsider_org, OrgRole.ADMIN)
    # a project role kept after leaving the organisation
    left = on_project(project, ProjectRole.MANAGER)
    left.memberships.all().delete()

    assert {p.pk: p.my_role for p in projects_for(admin)} == {
        project.pk: "manager",
        other.pk: "manager",
    }
    assert {p.pk: p.my_role for p in projects_for(member)} == {project.pk: "stakeholder"}
    assert list(projects_for(stranger)) == []
    assert list(projects_for(left)) == []
    assert tasks_for(member).count() == 12
    assert {t.my_role for t in tasks_for(member)} == {"stakeholder"}
    assert tasks_for(admin).count() == 15


@needs_postgres
def test_a_page_of_the_outline_is_read_in_index_order(plan):
    """The outline (plan page, API lists, exports) reads live tasks by (project, outline_key,
    id): an index range, so the 80th page of a big plan does not sort the whole plan."""
    project, _, _ = plan
    page = Task.objects.alive().filter(project=project).order_by("outline_key", "pk")[100:200]
    nodes = plan_of(page, sorts=False)
    assert not [n for n in nodes if "Sort" in n["Node Type"]]  # Sort, Incremental Sort
    assert "task_live_outline_order" in {n.get("Index Name") for n in nodes}


@needs_postgres
def test_the_newest_time_entries_are_an_index_walk(plan):
    """The time-entry API lists newest first over every visible entry (50,000 in the big
    organisation): read in index order and stopped at the page, not sorted whole."""
    from resources.models import TimeEntry

    project, _, tasks = plan
    user = member_of(project.organisation, OrgRole.ADMIN)
    for n, task in enumerate(tasks):
        TimeEntry.objects.create(user=user, task=task, date=f"2026-03-{n + 1:02d}", hours=1)
    page = with_my_role(TimeEntry.objects.all(), user, "task__project").order_by("-date", "pk")
    nodes = plan_of(page[:51], sorts=False)
    assert "time_entry_newest_first" in {n.get("Index Name") for n in nodes}
    assert per_row_subplans(nodes) == []
