"""Soft delete and restore: a deleted project vanishes everywhere until an org admin restores it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.projects.helpers import assert_same_count, queries_for, text

TRASH = reverse("project-trash")


def test_confirm_page_before_deleting(world):
    # when the manager opens the delete page
    response = client_for(world.manager).get(reverse("project-delete", args=[world.project.pk]))
    # then it asks for confirmation and nothing is deleted yet
    assert response.status_code == 200
    assert "Move to trash" in text(response)
    assert Project.objects.get(pk=world.project.pk).deleted_at is None


def test_delete_hides_the_project_everywhere(world):
    # given the manager
    client = client_for(world.manager)
    # when they delete WEB
    response = client.post(reverse("project-delete", args=[world.project.pk]))
    # then they land on the list with a message saying until when it can be restored
    assert response.status_code == 302
    assert response["Location"] == reverse("project-list")
    listing = client.get(response["Location"])
    until = timezone.localtime(timezone.now() + timedelta(days=30))
    assert (
        f"Website (WEB) moved to trash; an organisation admin can restore it until "
        f"{until.day} {until:%B %Y}." in text(listing)
    )
    assert list(listing.context["projects"]) == []
    # and its pages are gone, even for the org admin
    admin = client_for(world.admin)
    for name in ("project-detail", "project-members", "project-history", "project-settings"):
        assert client.get(reverse(name, args=[world.project.pk])).status_code == 404
        assert admin.get(reverse(name, args=[world.project.pk])).status_code == 404


def test_members_cannot_delete(world):
    # when a member tries to delete
    response = client_for(world.member).post(reverse("project-delete", args=[world.project.pk]))
    # then they are refused and the project stays
    assert response.status_code == 403
    assert Project.objects.get(pk=world.project.pk).deleted_at is None


def test_admin_sees_the_trash_and_restores(world):
    # given WEB was deleted by its manager
    client_for(world.manager).post(reverse("project-delete", args=[world.project.pk]))
    admin = client_for(world.admin)
    # when the admin opens the trash
    trash = admin.get(TRASH)
    # then both deleted projects are listed, with who deleted WEB
    assert trash.status_code == 200
    assert [p.key for p in trash.context["projects"]] == ["WEB", "OLD"]
    assert world.manager.display_name in text(trash)
    # when they restore WEB
    response = admin.post(reverse("project-restore", args=[world.project.pk]))
    # then it is back for its members, with its roles intact
    assert response.status_code == 302
    assert response["Location"] == reverse("project-detail", args=[world.project.pk])
    assert "Restored Website (WEB)" in text(admin.get(response["Location"]))
    manager = client_for(world.manager)
    assert manager.get(reverse("project-detail", args=[world.project.pk])).status_code == 200
    assert [p.key for p in manager.get(reverse("project-list")).context["projects"]] == ["WEB"]


def test_non_admins_get_403_on_the_trash(world):
    # when a project manager (not an org admin) opens the trash
    # then they are refused
    assert client_for(world.manager).get(TRASH).status_code == 403
    assert client_for(world.bystander).get(TRASH).status_code == 403


def test_restore_outside_the_users_admin_organisations_is_404(world):
    # given the admin of another organisation, and a manager of the project's organisation
    url = reverse("project-restore", args=[world.deleted_project.pk])
    # when either tries to restore OLD
    # then it does not exist for them and stays deleted
    assert client_for(world.outsider).post(url).status_code == 404
    assert client_for(world.manager).post(url).status_code == 404
    assert Project.objects.get(pk=world.deleted_project.pk).deleted_at is not None


def test_restore_of_a_live_project_is_404(world):
    # when the admin "restores" a project that is not in the trash
    response = client_for(world.admin).post(reverse("project-restore", args=[world.project.pk]))
    # then there is no such deleted project
    assert response.status_code == 404


def test_trash_query_count_does_not_grow(world):
    # given three deleted projects, each deleted by someone
    def trash(count: int, start: int):
        for n in range(start, start + count):
            ProjectFactory(
                organisation=world.organisation,
                key=f"T{n:03d}",
                deleted_at=timezone.now(),
                deleted_by=world.manager,
            )

    client = client_for(world.admin)
    trash(3, 0)
    few = queries_for(client, "get", TRASH)
    # when there are thirty
    trash(27, 3)
    many = queries_for(client, "get", TRASH)
    # then the page costs the same
    assert len(many.response.context["projects"]) == 31
    assert_same_count(few, many)
