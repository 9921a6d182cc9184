"""The project overview: description, key facts, team summary and the tabs a role may open."""

from django.urls import reverse

from tests.conftest import client_for
from tests.projects.helpers import text


def _url(world):
    return reverse("project-detail", args=[world.project.pk])


def test_overview_shows_description_facts_and_team(world):
    # given a viewer of WEB
    # when they open the overview
    response = client_for(world.viewer).get(_url(world))
    # then they see the description, the key facts and who manages it
    assert response.status_code == 200
    body = text(response)
    assert "A project used in tests." in body
    assert "<code>WEB</code>" in body
    assert "Hybrid" in body
    assert "4 people have a role in this project." in body
    assert world.manager.display_name in body


def test_tabs_follow_the_role(world):
    # given a viewer and a manager
    settings_url = reverse("project-settings", args=[world.project.pk])
    members_url = reverse("project-members", args=[world.project.pk])
    history_url = reverse("project-history", args=[world.project.pk])
    # when each opens the overview
    viewer_body = text(client_for(world.viewer).get(_url(world)))
    manager_body = text(client_for(world.manager).get(_url(world)))
    # then both get Members and History, only the manager gets Settings
    assert members_url in viewer_body and history_url in viewer_body
    assert settings_url not in viewer_body
    assert settings_url in manager_body


def test_other_organisations_and_roleless_users_get_404(world):
    # given the outsider and a bystander
    # when they open WEB
    # then it does not exist for them
    assert client_for(world.outsider).get(_url(world)).status_code == 404
    assert client_for(world.bystander).get(_url(world)).status_code == 404


def test_a_deleted_project_is_404(world):
    # given a project in the trash
    url = reverse("project-detail", args=[world.deleted_project.pk])
    # when even the org admin opens it
    response = client_for(world.admin).get(url)
    # then it is gone
    assert response.status_code == 404


def test_the_header_groups_tabs_into_sections_and_shows_the_current_sections_pages(world):
    # when the manager opens the Gantt chart
    page = text(client_for(world.manager).get(reverse("project-gantt", args=[world.project.pk])))
    sections = page.split('aria-label="Project sections"')[1].split("</nav>")[0]
    pages = page.split('aria-label="Plan pages"')[1].split("</nav>")[0]
    # then the header lists the sections, the Plan section marked current
    for label in ("Dashboard", "Plan", "Work", "Risks", "Project"):
        assert f">{label}</a>" in sections
    assert 'aria-current="true" class="active">Plan</a>' in sections
    # and under it the Plan section's pages, the Gantt chart current; other sections' pages not
    gantt = reverse("project-gantt", args=[world.project.pk])
    assert f'href="{gantt}" aria-current="page">Gantt</a>' in pages
    assert reverse("project-baselines", args=[world.project.pk]) in pages
    assert reverse("raid-log", args=[world.project.pk]) not in page
