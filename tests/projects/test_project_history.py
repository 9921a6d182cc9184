"""A project's history: who changed what, from what to what, and when."""

from django.urls import reverse

from projects import services
from projects.models import Project, ProjectMembership
from tests.conftest import client_for
from tests.projects.helpers import assert_same_count, queries_for, text


def _url(world):
    return reverse("project-history", args=[world.project.pk])


def test_history_shows_an_edit_with_from_and_to(world):
    # given the manager renamed WEB through the settings page
    client_for(world.manager).post(
        reverse("project-settings", args=[world.project.pk]),
        {
            "name": "Website relaunch",
            "description": world.project.description,
            "methodology": "hybrid",
            "status": "active",
            "currency": "USD",
            "target_date": "2026-09-30",
            "version": world.project.version,
        },
    )
    # when a viewer opens the history
    response = client_for(world.viewer).get(_url(world))
    # then the edit is listed with who made it and each field's old and new value
    assert response.status_code == 200
    entry = response.context["entries"][0]
    assert entry["who"] == world.manager.display_name
    assert entry["action"] == "Updated"
    changes = {change["field"]: (change["old"], change["new"]) for change in entry["changes"]}
    assert changes == {
        "Name": ("Website", "Website relaunch"),
        "Target date": (None, "2026-09-30"),
    }
    body = text(response)
    assert "Website" in body and "Website relaunch" in body and "→" in body


def test_member_changes_are_in_the_project_history(world):
    # given the manager removed the viewer
    membership = ProjectMembership.objects.get(project=world.project, user=world.viewer)
    client_for(world.manager).post(reverse("project-member-remove", args=[membership.pk]))
    # when the manager opens the history
    body = text(client_for(world.manager).get(_url(world)))
    # then the removal is there
    assert "Deleted" in body
    assert "viewer@acme.test" in body


def test_history_query_count_does_not_grow(world):
    # given three edits
    def edit(count: int):
        for n in range(count):
            project = Project.objects.get(pk=world.project.pk)
            services.project_update(
                project=project, actor=world.manager, version=project.version, name=f"Name {n}"
            )

    client = client_for(world.viewer)
    edit(3)
    few = queries_for(client, "get", _url(world))
    # when there are thirty
    edit(27)
    many = queries_for(client, "get", _url(world))
    # then the page costs the same
    assert len(many.response.context["entries"]) == 30
    assert_same_count(few, many)
