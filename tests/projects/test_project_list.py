"""The project list: who sees which projects, filters, and its cost in queries."""

from django.urls import reverse

from tests.conftest import client_for
from tests.factories import ProjectFactory, ProjectMembershipFactory, UserFactory, on_project
from tests.projects.helpers import assert_same_count, queries_for, text
from tpm.roles import ProjectRole

URL = reverse("project-list")


def test_members_see_their_projects_with_role_and_member_count(world):
    # given the manager of WEB
    client = client_for(world.manager)
    # when they open the list
    response = client.get(URL)
    # then WEB is listed with their role and its four members, but not the other org's project
    assert response.status_code == 200
    projects = list(response.context["projects"])
    assert [p.key for p in projects] == ["WEB"]
    assert projects[0].my_role == ProjectRole.MANAGER
    assert projects[0].member_count == 4
    body = text(response)
    assert "Website" in body
    assert "Globex app" not in body


def test_bystander_sees_none_of_the_projects_they_have_no_role_in(world):
    # given someone in the organisation without a project role
    client = client_for(world.bystander)
    # when they open the list
    response = client.get(URL)
    # then WEB is not there
    assert response.status_code == 200
    assert list(response.context["projects"]) == []
    assert "Website" not in text(response)
    assert "No projects yet." in text(response)


def test_org_admin_sees_every_live_project_of_the_organisation(world):
    # given an org admin and a second project they have no explicit role in
    ProjectFactory(organisation=world.organisation, key="API", name="Public API")
    # when they open the list
    response = client_for(world.admin).get(URL)
    # then both live projects are listed as manager, and neither deleted nor foreign ones are
    keys = {p.key: p.my_role for p in response.context["projects"]}
    assert keys == {"API": ProjectRole.MANAGER, "WEB": ProjectRole.MANAGER}


def test_another_organisations_projects_never_show(world):
    # given the admin of another organisation
    # when they open their list
    response = client_for(world.outsider).get(URL)
    # then they see only their own organisation's project
    assert [p.key for p in response.context["projects"]] == ["GLX"]
    assert "Website" not in text(response)


def test_filters_by_status_methodology_and_search(world):
    # given three projects the admin can see
    ProjectFactory(organisation=world.organisation, key="API", name="Public API", status="on_hold")
    ProjectFactory(organisation=world.organisation, key="MOB", name="Mobile", methodology="agile")
    client = client_for(world.admin)

    def keys(**params):
        return sorted(p.key for p in client.get(URL, params).context["projects"])

    # when / then each filter narrows the list
    assert keys() == ["API", "MOB", "WEB"]
    assert keys(status="on_hold") == ["API"]
    assert keys(methodology="agile") == ["MOB"]
    assert keys(q="web") == ["WEB"]
    assert keys(q="mob", status="active") == ["MOB"]
    assert keys(q="nothing-like-this") == []


def test_an_unknown_filter_value_is_ignored(world):
    # given a hand-edited query string
    # when the status is not a real status
    response = client_for(world.admin).get(URL, {"status": "bogus"})
    # then the page still works and lists everything
    assert response.status_code == 200
    assert [p.key for p in response.context["projects"]] == ["WEB"]


def test_new_project_button_for_those_allowed_to_create(world):
    # given an organisation member (members may create projects)
    # when they open the list
    body = text(client_for(world.bystander).get(URL))
    # then the button is there
    assert reverse("project-create") in body
    assert "New project" in body


def test_trash_link_only_for_org_admins(world):
    # given the admin and a manager
    # when each opens the list
    admin_body = text(client_for(world.admin).get(URL))
    manager_body = text(client_for(world.manager).get(URL))
    # then only the admin gets the link to the trash
    assert reverse("project-trash") in admin_body
    assert reverse("project-trash") not in manager_body


def test_someone_without_an_organisation_is_sent_to_create_one(db):
    # given a user who belongs to no organisation
    client = client_for(UserFactory())
    # when they open the list
    response = client.get(URL)
    # then they are redirected to create an organisation
    assert response.status_code == 302
    assert response["Location"] == reverse("org-create")


def test_query_count_does_not_grow_with_projects(world):
    # given a manager with three projects, each with a few members
    def add_projects(count: int, start: int):
        for n in range(start, start + count):
            project = ProjectFactory(organisation=world.organisation, key=f"Q{n:03d}")
            on_project(project, ProjectRole.MANAGER)
            ProjectMembershipFactory(project=project, user=world.manager, role="member")

    client = client_for(world.manager)
    add_projects(3, 0)
    few = queries_for(client, "get", URL)
    # when there are thirty
    add_projects(27, 3)
    many = queries_for(client, "get", URL)
    # then the page costs the same number of queries
    assert len(many.response.context["projects"]) == 31
    assert_same_count(few, many)


def test_long_lists_are_paged_and_keep_the_filters(world):
    # given 60 active projects besides the world's own
    for n in range(60):
        ProjectFactory(organisation=world.organisation, name=f"Zeta {n:02d}", status="active")
    client = client_for(world.admin)
    # when the admin filters on active projects
    first = client.get(reverse("project-list"), {"status": "active"})
    # then the first page holds 50 and links to the next with the same filter
    assert len(first.context["projects"]) == 50
    assert 'href="?status=active&amp;page=2"' in first.content.decode()
    second = client.get(reverse("project-list"), {"status": "active", "page": 2})
    assert len(second.context["projects"]) == 61 - 50  # WEB is active too
    assert "Page 2 of 2" in text(second)
