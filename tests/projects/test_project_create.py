"""Creating a project: the creator manages it; a taken key or impossible dates are refused."""

from django.urls import reverse

from projects.models import Project, ProjectMembership
from tests.conftest import client_for
from tests.projects.helpers import text
from tpm.roles import ProjectRole

URL = reverse("project-create")


def _data(**overrides):
    data = {
        "key": "api",
        "name": "Public API",
        "description": "REST API for partners",
        "methodology": "agile",
        "status": "active",
        "start_date": "2026-01-05",
        "target_date": "2026-06-30",
        "currency": "EUR",
    }
    return {**data, **overrides}


def test_form_has_labelled_fields(world):
    # given an organisation member
    # when they open the form
    response = client_for(world.bystander).get(URL)
    # then every field has a label
    assert response.status_code == 200
    body = text(response)
    for field in ("key", "name", "description", "methodology", "status", "currency"):
        assert f'for="id_{field}"' in body
    assert 'type="date"' in body


def test_create_uppercases_the_key_and_makes_the_creator_manager(world):
    # given an organisation member
    client = client_for(world.bystander)
    # when they create a project with a lower-case key
    response = client.post(URL, _data())
    # then it exists in their organisation with key API and they manage it
    project = Project.objects.get(organisation=world.organisation, key="API")
    assert response.status_code == 302
    assert response["Location"] == reverse("project-detail", args=[project.pk])
    assert project.name == "Public API"
    assert project.currency == "EUR"
    assert ProjectMembership.objects.get(project=project, user=world.bystander).role == (
        ProjectRole.MANAGER
    )
    # and the overview greets them
    page = client.get(response["Location"])
    assert "Created Public API (API)." in text(page)


def test_duplicate_key_is_an_error_on_the_key_field(world):
    # given WEB exists in the organisation
    before = Project.objects.count()
    # when someone creates another project with key web
    response = client_for(world.manager).post(URL, _data(key="web", name="Another website"))
    # then the form comes back with a 422 and the error next to the key; nothing is created
    assert response.status_code == 422
    form = response.context["form"]
    assert "already used by Website" in form.errors["key"][0]
    assert 'id="id_key_error"' in text(response)
    assert Project.objects.count() == before


def test_key_of_a_project_in_the_trash_is_taken_too(world):
    # given OLD is in the trash
    # when someone reuses its key
    response = client_for(world.manager).post(URL, _data(key="OLD"))
    # then the error says where the key is
    assert response.status_code == 422
    assert "in the trash" in response.context["form"].errors["key"][0]


def test_badly_formed_key_is_a_field_error(world):
    # when the key does not start with a letter
    response = client_for(world.manager).post(URL, _data(key="1AB"))
    # then the key field explains the format
    assert response.status_code == 422
    assert "capital letters or digits" in response.context["form"].errors["key"][0]


def test_target_before_start_is_an_error_on_the_target_date(world):
    # when the target date is before the start date
    response = client_for(world.manager).post(
        URL, _data(start_date="2026-06-01", target_date="2026-05-01")
    )
    # then the error sits on the target date and nothing is created
    assert response.status_code == 422
    assert response.context["form"].errors["target_date"] == [
        "The target date is before the start date."
    ]
    assert not Project.objects.filter(key="API").exists()


def test_missing_name_is_a_field_error(world):
    # when the name is left empty
    response = client_for(world.manager).post(URL, _data(name=""))
    # then the form says so next to the name
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
