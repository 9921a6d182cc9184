"""Files on tasks: stored through Django's storage API, limits from settings, nothing stored
on refusal, downloads only for people who can see the task."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import client_for
from tests.projects.route_expectations_work import assigned_task
from tpm.models_collab import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.ATTACHMENT_CONTENT_TYPES = ["text/plain", "application/pdf"]
    return tmp_path


def _post(client, task, name, content, content_type):
    return client.post(
        reverse("task-attachment-add", args=[task.project_id, task.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        headers={"HX-Request": "true"},
    )


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_member_attaches_a_file_and_a_reader_downloads_it(world, _media):
    task = assigned_task(world)
    response = _post(client_for(world.member), task, "notes.txt", b"hello", "text/plain")
    assert response.status_code == 200
    assert "notes.txt" in response.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.size == 5 and attachment.uploaded_by == world.member
    assert default_storage.exists(attachment.file.name)
    # the stored name is ours, not the user's
    assert "notes" not in attachment.file.name
    url = reverse("task-attachment-download", args=[task.project_id, task.pk, attachment.pk])
    download = client_for(world.viewer).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"hello"
    assert 'filename="notes.txt"' in download["Content-Disposition"]
    assert client_for(world.bystander).get(url).status_code == 404


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(world, _media):
    task = assigned_task(world)
    response = _post(client_for(world.member), task, "big.txt", b"x" * 2048, "text/plain")
    assert response.status_code == 422
    assert "at most 1.0 KB" in response.content.decode()
    assert not Attachment.objects.exists()
    assert _stored_files(_media) == []


def test_a_refused_type_is_named_and_nothing_is_stored(world, _media):
    task = assigned_task(world)
    response = _post(client_for(world.member), task, "run.exe", b"MZ", "application/x-msdownload")
    assert response.status_code == 422
    body = response.content.decode()
    assert "application/x-msdownload" in body and "not accepted" in body
    assert not Attachment.objects.exists()
    assert _stored_files(_media) == []


def test_an_empty_or_missing_file_is_a_clear_error(world):
    task = assigned_task(world)
    assert _post(client_for(world.member), task, "e.txt", b"", "text/plain").status_code == 422
    response = client_for(world.member).post(
        reverse("task-attachment-add", args=[task.project_id, task.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Choose a file" in response.content.decode()


def test_readers_cannot_attach(world):
    task = assigned_task(world)
    response = _post(client_for(world.viewer), task, "n.txt", b"n", "text/plain")
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_removing_a_file_deletes_it_from_storage(world, _media, django_capture_on_commit_callbacks):
    task = assigned_task(world)
    _post(client_for(world.member), task, "notes.txt", b"hello", "text/plain")
    attachment = Attachment.objects.get()
    url = reverse("task-attachment-delete", args=[task.project_id, task.pk, attachment.pk])
    # another member may not remove it; the uploader may
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.member).post(url).status_code == 302
    assert not Attachment.objects.exists()
    assert _stored_files(_media) == []


def test_the_api_refuses_an_oversized_file_with_400(world, _media):
    task = assigned_task(world)
    response = client_for(world.member).post(
        reverse("api:attachment-list"),
        {"task": task.pk, "file": SimpleUploadedFile("b.txt", b"x" * 5000, "text/plain")},
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    assert _stored_files(_media) == []


def test_the_api_list_costs_the_same_queries_for_few_and_many(world):
    from tests.tpm.querycount import assert_same_count, queries_for_get

    task = assigned_task(world)
    client = client_for(world.member)

    def attach(count):
        for i in range(count):
            _post(client, task, f"f{i}.txt", b"x", "text/plain")

    attach(1)
    few = queries_for_get(client, reverse("api:attachment-list"))
    attach(10)
    many = queries_for_get(client, reverse("api:attachment-list"))
    assert_same_count(few, many)
