"""Editing a project's settings: managers only, with a version against lost updates."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from projects import services
from projects.models import Project
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from tests.conftest import client_for
from tests.projects.helpers import text


def _url(world):
    return reverse("project-settings", args=[world.project.pk])


def _data(project, **overrides):
    data = {
        "name": project.name,
        "description": project.description,
        "methodology": project.methodology,
        "status": project.status,
        "start_date": "",
        "target_date": "",
        "currency": project.currency,
        "version": project.version,
    }
    return {**data, **overrides}


def test_form_starts_from_the_current_values_and_version(world):
    # given the manager
    # when they open the settings
    response = client_for(world.manager).get(_url(world))
    # then the form holds the project's values and its version, and offers deletion
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "Website"
    assert form.initial["version"] == world.project.version
    body = text(response)
    assert 'name="version"' in body
    assert reverse("project-delete", args=[world.project.pk]) in body


def test_manager_saves_changes(world):
    # given the manager
    client = client_for(world.manager)
    # when they rename the project and change its status
    response = client.post(_url(world), _data(world.project, name="Website 2", status="on_hold"))
    # then it is saved and the version moves on
    assert response.status_code == 302
    project = Project.objects.get(pk=world.project.pk)
    assert (project.name, project.status) == ("Website 2", "on_hold")
    assert project.version == world.project.version + 1
    assert "Saved the project" in text(client.get(response["Location"]))


def test_org_admin_may_edit_too(world):
    # when an org admin without a project role saves
    response = client_for(world.admin).post(_url(world), _data(world.project, currency="GBP"))
    # then it is saved
    assert response.status_code == 302
    assert Project.objects.get(pk=world.project.pk).currency == "GBP"


def test_stale_version_is_a_409_that_overwrites_nothing(world):
    # given the manager opened the form, then a colleague renamed the project
    client = client_for(world.manager)
    stale = _data(world.project, name="My name", currency="CHF")
    services.project_update(
        project=world.project, actor=world.admin, version=world.project.version, name="Their name"
    )
    # when the manager saves their old copy
    response = client.post(_url(world), stale)
    # then they get a 409 explaining it, with the current values in the form
    assert response.status_code == 409
    body = text(response)
    assert "changed by someone else" in body
    form = response.context["form"]
    assert form.initial["name"] == "Their name"
    assert form.initial["version"] == world.project.version + 1
    conflicts = {c["label"]: (c["current"], c["yours"]) for c in response.context["conflicts"]}
    assert conflicts["Name"] == ("Their name", "My name")
    assert conflicts["Currency"] == ("US dollar", "Swiss franc")
    # and nothing of theirs was written
    project = Project.objects.get(pk=world.project.pk)
    assert (project.name, project.currency) == ("Their name", "USD")


def test_target_before_start_is_a_field_error(world):
    # when the manager sets the target before the start
    response = client_for(world.manager).post(
        _url(world), _data(world.project, start_date="2026-03-01", target_date="2026-02-01")
    )
    # then the form shows the error on the target date with a 422
    assert response.status_code == 422
    assert "target_date" in response.context["form"].errors


def test_viewer_and_member_cannot_edit(world):
    # given a viewer and a member
    for user in (world.viewer, world.member, world.stakeholder):
        client = client_for(user)
        # when they open or post the settings
        # then they are refused and nothing changes
        assert client.get(_url(world)).status_code == 403
        assert client.post(_url(world), _data(world.project, name="Hacked")).status_code == 403
    assert Project.objects.get(pk=world.project.pk).name == "Website"


def test_edit_of_a_project_whose_creator_was_deleted(world):
    # given a project whose creator account is gone (created_by is null)
    assert world.project.created_by is None
    # when the manager edits it
    response = client_for(world.manager).post(_url(world), _data(world.project, name="Still ok"))
    # then it saves
    assert response.status_code == 302


def _plan(world):
    """A phase with a 4-day task done and a 1-day task needing much more work."""
    world.project.start_date = date(2027, 1, 4)
    world.project.save()
    phase = task_services.task_create(project=world.project, actor=world.admin, name="Phase")
    long = task_services.task_create(
        project=world.project,
        actor=world.admin,
        name="Long",
        parent=phase,
        duration_minutes=4 * 480,
        effort_hours=Decimal(8),
    )
    short = task_services.task_create(
        project=world.project,
        actor=world.admin,
        name="Short",
        parent=phase,
        effort_hours=Decimal(72),
    )
    task_services.task_update_progress(
        task=long,
        actor=world.admin,
        version=long.version,
        changes=ProgressChanges(percent_complete=100),
    )
    return phase, long, short


def test_the_manager_weighs_summary_progress_by_effort_and_the_plan_follows(world, time_machine):
    # while the plan runs: reported progress takes the scheduled start as the actual start
    time_machine.move_to("2027-01-06T12:00:00+00:00", tick=False)
    phase, _, _ = _plan(world)
    phase.refresh_from_db()
    assert phase.percent_complete == 80  # by duration: 4 of 5 days done
    world.project.refresh_from_db()
    response = client_for(world.manager).post(
        _url(world), _data(world.project, progress_weighting="effort")
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.percent_complete == 10  # by effort: 8 of 80 hours done


def test_moving_the_status_date_reschedules_the_remaining_work(world, time_machine):
    # while the plan runs: reported progress takes the scheduled start as the actual start
    time_machine.move_to("2027-01-06T12:00:00+00:00", tick=False)
    _, _, short = _plan(world)
    # given Short half done, with nothing reported after the status date
    short.refresh_from_db()
    task_services.task_update_progress(
        task=short,
        actor=world.admin,
        version=short.version,
        changes=ProgressChanges(percent_complete=50),
    )
    world.project.refresh_from_db()
    client_for(world.manager).post(_url(world), _data(world.project, status_date="2027-01-20"))
    # then its remaining half is scheduled after the status date
    short.refresh_from_db()
    assert short.finish.date() == date(2027, 1, 21)
    world.project.refresh_from_db()
    assert world.project.status_date == date(2027, 1, 20)
