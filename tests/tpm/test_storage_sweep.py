"""Files of uploads whose transaction rolled back are swept away; files with rows stay."""

import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from projects.work import services as work_services
from tests.projects.route_expectations_work import assigned_task
from tpm import storage_sweep, tasks
from tpm.models_collab import Attachment

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.ATTACHMENT_CONTENT_TYPES = ["text/plain"]
    return tmp_path


def _attach(world, name):
    task = assigned_task(world)
    upload = SimpleUploadedFile(name, b"hello", content_type="text/plain")
    return work_services.task_attachment_create(task=task, actor=world.member, upload=upload)


def _files():
    return set(storage_sweep.stored_names(default_storage, "attachments"))


def _written_now(folder):
    """The file system stamps files with the machine's clock; give them the test's (which
    LINCHPIN_TEST_TODAY may have moved), as the sweep compares them with timezone.now()."""
    stamp = timezone.now().timestamp()
    for path in folder.rglob("*"):
        os.utime(path, (stamp, stamp))


def test_a_rolled_back_upload_is_swept_once_old_and_a_kept_one_stays(world, monkeypatch, _media):
    # given one attachment saved, and one whose transaction rolled back after the file was stored
    kept = _attach(world, "kept.txt")
    with pytest.raises(Rollback), transaction.atomic():
        _attach(world, "lost.txt")
        raise Rollback
    assert len(_files()) == 2 and Attachment.objects.count() == 1
    _written_now(_media)
    # when the sweep runs while the orphan is young, nothing goes
    assert tasks.sweep_orphan_attachments() == 0
    # and when it runs after the grace period
    later = timezone.now() + storage_sweep.GRACE + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    removed = tasks.sweep_orphan_attachments()
    # then only the orphan is removed
    assert removed == 1
    assert _files() == {kept.file.name}


def test_an_empty_or_missing_folder_sweeps_nothing():
    assert storage_sweep.sweep_orphans(default_storage, "attachments", lambda names: set()) == []
