"""An MSPDI import runs inside the web request, so a plan over MSPDI_MAX_TASKS is refused before
any task is read, with an error naming the limit (issue 22; background imports come later)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Project
from projects.mspdi import read as mspdi_read
from tests.conftest import client_for
from tests.factories import OrganisationFactory, member_of
from tests.projects import mspdi_samples as samples
from tpm.roles import OrgRole


def _plan(count: int) -> bytes:
    return samples.document([samples.task(n, f"Task {n}", 1) for n in range(1, count + 1)])


@pytest.fixture
def admin(db):
    return member_of(OrganisationFactory(), OrgRole.ADMIN, email="admin@acme.test")


def test_a_plan_over_the_cap_is_refused_on_the_page_naming_the_limit(admin, settings, monkeypatch):
    # given a cap of 50 tasks, and a file of 51
    settings.MSPDI_MAX_TASKS = 50
    read_tasks = []
    original = mspdi_read._task
    monkeypatch.setattr(mspdi_read, "_task", lambda *a: read_tasks.append(a) or original(*a))
    response = client_for(admin).post(
        reverse("project-import-mspdi"),
        {"key": "BIG", "file": SimpleUploadedFile("big.xml", _plan(51))},
    )
    # then the form says why, no project exists, and no task was read at all
    assert response.status_code == 422
    message = response.context["form"].errors["file"][0]
    assert message == (
        "The file has 51 tasks; at most 50 can be imported at a time (MSPDI_MAX_TASKS)."
    )
    assert not Project.objects.filter(key="BIG").exists()
    assert read_tasks == []


def test_a_plan_at_the_cap_is_imported(admin, settings):
    settings.MSPDI_MAX_TASKS = 50
    response = client_for(admin).post(
        reverse("project-import-mspdi"),
        {"key": "OK", "file": SimpleUploadedFile("ok.xml", _plan(50))},
    )
    assert response.status_code == 302
    assert Project.objects.get(key="OK").tasks.count() == 50


def test_the_default_cap_is_ten_thousand():
    from tpm import settings as production

    assert production.MSPDI_MAX_TASKS == 10_000
