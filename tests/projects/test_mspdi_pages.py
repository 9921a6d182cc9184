"""The "Import from Microsoft Project" page and the plan's export link."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Project
from tests.conftest import client_for
from tests.projects import mspdi_samples as samples


def _post(client, data=None, key="MOVE"):
    upload = SimpleUploadedFile("plan.xml", data or samples.document(), "application/xml")
    return client.post(reverse("project-import-mspdi"), {"file": upload, "key": key}, follow=True)


def test_the_project_list_links_the_import_page(world):
    response = client_for(world.member).get(reverse("project-list"))
    assert reverse("project-import-mspdi").encode() in response.content


def test_importing_a_file_opens_the_new_plan_with_what_was_read(world):
    # when a member imports a file
    response = _post(client_for(world.member))
    # then they land on the new project's plan, told what was imported
    project = Project.objects.get(key="MOVE", organisation=world.organisation)
    assert response.redirect_chain[-1][0] == reverse("project-plan", args=[project.pk])
    assert b"5 tasks, 3 links" in response.content
    assert reverse("project-export-mspdi", args=[project.pk]).encode() in response.content


def test_a_bad_file_is_shown_on_the_form_with_422(world):
    # when the file is not XML
    response = _post(client_for(world.member), b"not xml at all")
    # then the form says why, and nothing was created
    assert response.status_code == 422
    assert b"not well-formed XML" in response.content
    assert not Project.objects.filter(key="MOVE").exists()


def test_a_taken_key_is_shown_on_the_key_field(world):
    response = _post(client_for(world.member), key="WEB")
    assert response.status_code == 422
    assert b"already used" in response.content


def test_a_viewer_downloads_the_plan(world):
    response = client_for(world.viewer).get(
        reverse("project-export-mspdi", args=[world.project.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="WEB.xml"'
    assert response.content.startswith(b"<?xml")
