"""Organisation settings: admins rename it; a stale edit is refused with 409."""

from django.urls import reverse

from tests.conftest import client_for
from tpm import services

SETTINGS = "/org/settings/"


def test_admin_renames_the_organisation(world):
    # when the admin saves a new name from version 1
    response = client_for(world.admin).post(SETTINGS, {"name": "Acme Ltd", "version": 1})
    # then it is saved and the version moves on
    assert response.url == reverse("org-settings")
    world.organisation.refresh_from_db()
    assert (world.organisation.name, world.organisation.version) == ("Acme Ltd", 2)


def test_stale_version_is_409_with_current_values_and_nothing_overwritten(world):
    # given the admin opened the form at version 1, then someone else renamed it
    client = client_for(world.admin)
    form_version = client.get(SETTINGS).context["form"]["version"].value()
    services.organisation_update(
        organisation=world.organisation, actor=world.admin, version=1, name="Acme Group"
    )
    # when the admin saves their own rename
    response = client.post(SETTINGS, {"name": "Acme Ltd", "version": form_version})
    # then it is refused, showing what is saved now and what was not applied
    assert response.status_code == 409
    form = response.context["form"]
    assert form["name"].value() == "Acme Group"
    assert int(form["version"].value()) == 2
    assert "Someone saved these settings while you were editing" in response.text
    assert "Acme Ltd" in form.non_field_errors()[0]
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Acme Group"


def test_empty_name_is_422_next_to_the_field(world):
    response = client_for(world.admin).post(SETTINGS, {"name": "", "version": 1})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]


def test_member_cannot_rename(world):
    response = client_for(world.manager).post(SETTINGS, {"name": "Mine", "version": 1})
    assert response.status_code == 403
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Acme"
