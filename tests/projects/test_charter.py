"""The charter: versioned on every save, approved by its sponsor only (issue 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import CharterVersion
from projects.scope.services import charter as scope_services
from tests.conftest import client_for

from .helpers import assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db


def write(world, version=None, **texts):
    return scope_services.charter_save(
        project=world.project,
        actor=world.manager,
        version=version,
        sponsor=world.stakeholder,
        stakeholders=[world.member],
        **texts,
    )


def test_every_save_keeps_a_version_and_an_unchanged_save_does_not(world):
    # given a charter written once
    charter = write(world, problem_statement="Checkout is slow")
    # when it is saved again with a change, then once more without one
    charter = write(world, version=charter.version, problem_statement="Checkout loses buyers")
    write(world, version=charter.version, problem_statement="Checkout loses buyers")
    # then there are two versions, the first keeping the old text
    versions = list(CharterVersion.objects.filter(charter=charter).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["problem_statement"] == "Checkout is slow"
    assert versions[1].content["stakeholders"] == [world.member.pk]


def test_only_the_sponsor_approves_and_the_approval_is_recorded(world):
    charter = write(world, goals="Halve checkout time")
    # when the manager tries, then the sponsor does
    with pytest.raises(ValidationError) as refused:
        scope_services.charter_approve(charter=charter, actor=world.manager, version_number=1)
    assert "Only the charter's sponsor" in " ".join(refused.value.messages)
    approved = scope_services.charter_approve(
        charter=charter, actor=world.stakeholder, version_number=1, comment="Go"
    )
    # then who and when are kept on the version, and the charter is approved
    assert approved.approved_by == world.stakeholder and approved.approved_at is not None
    charter.refresh_from_db()
    assert charter.is_approved


def test_a_change_after_approval_needs_a_new_approval(world):
    charter = write(world, goals="A")
    scope_services.charter_approve(charter=charter, actor=world.stakeholder, version_number=1)
    charter.refresh_from_db()
    charter = write(world, version=charter.version, goals="B")
    assert not charter.is_approved
    with pytest.raises(ValidationError) as refused:
        scope_services.charter_approve(charter=charter, actor=world.stakeholder, version_number=1)
    assert "at version 2 now" in " ".join(refused.value.messages)


def test_a_stale_edit_is_refused_with_409_on_the_page(world):
    # given a charter someone saved after the editor loaded it
    charter = write(world, goals="A")
    write(world, version=charter.version, goals="B")
    # when the editor posts with the old version
    response = client_for(world.manager).post(
        reverse("charter-edit", args=[world.project.pk]),
        {"goals": "C", "version": charter.version},
    )
    # then nothing is overwritten
    assert response.status_code == 409
    charter.refresh_from_db()
    assert charter.goals == "B"


def test_the_sponsor_approves_from_the_scope_page(world):
    # given a charter whose sponsor opens the scope page
    write(world, problem_statement="Checkout is slow")
    client = client_for(world.stakeholder)
    page = text(client.get(reverse("project-scope", args=[world.project.pk])))
    assert "Approve version 1 as sponsor" in page
    # when they approve
    response = client.post(
        reverse("charter-approve", args=[world.project.pk]), {"version_number": 1}, follow=True
    )
    # then the page says so
    assert "You approved version 1 of the charter." in text(response)
    assert "Approved</span> by" in text(response)


def test_the_manager_writes_the_charter_and_sees_the_versions(world):
    client = client_for(world.manager)
    response = client.post(
        reverse("charter-edit", args=[world.project.pk]),
        {"problem_statement": "Slow", "goals": "Fast", "sponsor": world.stakeholder.pk},
    )
    assert response.status_code == 302
    history = text(client.get(reverse("charter-history", args=[world.project.pk])))
    assert "Version 1" in history and "Slow" in history


def test_api_writes_and_approves_the_charter(world):
    # given the manager's API client
    client = client_for(world.manager)
    url = reverse("api:project-charter", args=[world.project.pk])
    assert client.get(url).status_code == 404
    # when the charter is written, then written again without a version
    created = client.put(
        url,
        {"goals": "Fast checkout", "sponsor": world.stakeholder.pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["current_version"]["number"] == 1
    again = client.put(url, {"goals": "x"}, content_type="application/json")
    # then a missing version is a 428 and the sponsor approves
    assert again.status_code == 428
    approved = client_for(world.stakeholder).post(
        reverse("api:project-charter-approve", args=[world.project.pk]),
        {"version_number": 1},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["is_approved"] is True


def test_the_versions_page_costs_the_same_for_many_versions(world):
    client = client_for(world.manager)
    url = reverse("charter-history", args=[world.project.pk])
    charter = write(world, goals="v1")
    few = queries_for(client, "get", url)
    for n in range(2, 7):
        charter = write(world, version=charter.version, goals=f"v{n}")
    many = queries_for(client, "get", url)
    assert_same_count(few, many)
    assert "Version 6" in text(many.response)
