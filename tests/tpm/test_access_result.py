"""The typed result every fetcher returns: the object and the caller's role, asked with `can`."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from projects.access import access_project
from tests.factories import TaskFactory
from tpm.access import Access, Level, access_organisation, org_access
from tpm.roles import OrgAction, OrgRole, ProjectAction, ProjectRole


def test_a_project_role_answers_project_actions_as_the_roles_module_says():
    # given a stakeholder's and a member's access to the same object
    stakeholder = Access("a task", ProjectRole.STAKEHOLDER)
    member = Access("a task", ProjectRole.MEMBER)
    # then money is the stakeholder's to see, logging time the member's
    assert stakeholder.can(ProjectAction.VIEW_MONEY)
    assert not stakeholder.can(ProjectAction.LOG_TIME)
    assert member.can(ProjectAction.LOG_TIME)
    assert not member.can(ProjectAction.VIEW_MONEY)


def test_an_organisation_role_answers_organisation_actions():
    # given an organisation member's and an admin's access
    member = org_access("the pool", OrgRole.MEMBER)
    admin = org_access("the pool", OrgRole.ADMIN)
    # then only the admin sees rates
    assert member.level is Level.ORGANISATION
    assert not member.can(OrgAction.VIEW_RATES)
    assert admin.can(OrgAction.VIEW_RATES)


def test_asking_the_wrong_kind_of_action_is_a_bug_not_a_no():
    # given a project member and an organisation member ("member" names both roles)
    project_member = Access("a task", ProjectRole.MEMBER)
    org_member = org_access("the pool", OrgRole.MEMBER)
    # then mixing them up raises instead of answering
    with pytest.raises(TypeError):
        project_member.can(OrgAction.VIEW)
    with pytest.raises(TypeError):
        org_member.can(ProjectAction.VIEW)


def test_the_same_role_carries_over_to_a_related_record():
    # given a manager's access to a project
    access = Access("project", ProjectRole.MANAGER)
    # when it is carried to a record of that project
    child = access.on("status report")
    # then the role and level stay, the object changes
    assert (child.obj, child.role, child.level) == ("status report", "manager", Level.PROJECT)


def test_fetchers_return_the_object_with_the_role_in_one_query(world, django_assert_num_queries):
    # given a task of the project
    TaskFactory(project=world.project)
    # when the stakeholder and an org admin fetch the project
    with django_assert_num_queries(1):
        stakeholder = access_project(world.stakeholder, world.project.pk)
    admin = access_project(world.admin, world.project.pk)
    # then each gets the project with their own role (an org admin acts as manager)
    assert (stakeholder.obj, stakeholder.role) == (world.project, ProjectRole.STAKEHOLDER)
    assert admin.role == ProjectRole.MANAGER
    assert stakeholder.can(ProjectAction.VIEW_MONEY)


def test_fetchers_still_answer_404_outside_and_403_when_not_allowed(world):
    # then an outsider does not learn the project exists; a viewer may not edit it
    with pytest.raises(Http404):
        access_project(world.outsider, world.project.pk)
    with pytest.raises(PermissionDenied):
        access_project(world.viewer, world.project.pk, write=True)


def test_the_organisation_fetcher_carries_the_organisation_role(world):
    # when a member and an admin fetch their organisation
    member = access_organisation(world.member, world.organisation.pk)
    admin = access_organisation(world.admin, world.organisation.pk)
    # then each carries their organisation role
    assert (member.obj, member.role, member.level) == (
        world.organisation,
        OrgRole.MEMBER,
        Level.ORGANISATION,
    )
    assert admin.can(OrgAction.MANAGE_MEMBERS) and not member.can(OrgAction.MANAGE_MEMBERS)
