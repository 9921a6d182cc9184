"""POST /api/v1/projects/import-mspdi/ and GET /api/v1/projects/{id}/mspdi/."""

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Project
from projects.mspdi.read import read_mspdi
from tests.projects import mspdi_samples as samples


def _upload(world, data=None, key="MOVE"):
    return {
        "file": SimpleUploadedFile("plan.xml", data or samples.document(), "application/xml"),
        "organisation": world.organisation.pk,
        "key": key,
    }


def test_an_upload_creates_the_project_and_reports_what_it_read(world, api):
    # when a member uploads a file
    response = api(world.member).post(
        "/api/v1/projects/import-mspdi/", _upload(world), format="multipart"
    )
    # then the project is created, with the counts
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["project"]["key"], body["project"]["name"]) == ("MOVE", "Office move")
    assert body["report"] | {"skipped": []} == {
        "tasks": 5,
        "links": 3,
        "calendars": 1,
        "exceptions": 1,
        "skipped": [],
    }


def test_a_hostile_file_is_a_400_naming_the_problem_and_creates_nothing(world, api):
    # when the file declares entities
    response = api(world.member).post(
        "/api/v1/projects/import-mspdi/",
        _upload(world, samples.BILLION_LAUGHS),
        format="multipart",
    )
    # then
    assert response.status_code == 400
    assert "DTD" in response.json()["errors"]["file"][0]
    assert not Project.objects.filter(key="MOVE").exists()


def test_a_duplicate_key_is_a_400_on_key(world, api):
    # when the key is taken (WEB is the world's project)
    response = api(world.member).post(
        "/api/v1/projects/import-mspdi/", _upload(world, key="WEB"), format="multipart"
    )
    # then
    assert response.status_code == 400
    assert "already used" in response.json()["errors"]["key"][0]


def test_a_viewer_downloads_the_plan_as_mspdi(world, api):
    # when a viewer of WEB asks for the file
    response = api(world.viewer).get(f"/api/v1/projects/{world.project.pk}/mspdi/")
    # then it is an attachment named after the key, and reads back
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="WEB.xml"'
    assert read_mspdi(response.content).name == world.project.name


def test_someone_without_a_role_cannot_download(world, api):
    response = api(world.bystander).get(f"/api/v1/projects/{world.project.pk}/mspdi/")
    assert response.status_code == 404
