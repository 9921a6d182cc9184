from io import StringIO

import pytest
from django.core.management import call_command

from projects.models import Project, ProjectMembership
from tpm.models import Membership, User
from tpm.roles import OrgRole, ProjectRole


@pytest.mark.django_db
def test_seed_demo_creates_one_user_per_role_and_three_projects():
    # when the demo is seeded on an empty database
    out = StringIO()
    call_command("seed_demo", stdout=out)
    # then there is an admin, and a manager, member, stakeholder and viewer on the projects
    admins = Membership.objects.filter(role=OrgRole.ADMIN).values("user").distinct()
    assert admins.count() == 1
    assert Project.objects.count() == 3
    for role in ProjectRole.values:
        assert ProjectMembership.objects.filter(role=role).exists(), role
    # and the printed accounts can sign in with the printed password
    text = out.getvalue()
    password = text.split("password: ")[1].split()[0]
    manager = User.objects.get(email="tpm@example.com")
    assert "tpm@example.com" in text
    assert manager.check_password(password)
    # and the TPM belongs to two organisations, so the switcher has something to show
    assert Membership.objects.filter(user=manager).count() == 2


@pytest.mark.django_db
def test_seed_demo_if_empty_runs_once():
    # given a seeded database
    call_command("seed_demo", stdout=StringIO())
    # when make run seeds again
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    # then nothing is duplicated
    assert Project.objects.count() == 3
    assert "nothing to do" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_projects_have_scheduled_plans_with_progress():
    # when the demo is seeded
    call_command("seed_demo", stdout=StringIO())
    # then each project has a plan, every task has dates, and a critical path exists
    from projects.models import Task, WorkCalendar

    tasks = Task.objects.alive()
    assert tasks.count() > 250
    assert not tasks.filter(start__isnull=True).exists()
    assert tasks.filter(is_critical=True, project__key="PAY").exists()
    # and the running payments project shows work done, on a calendar with public holidays
    assert tasks.filter(project__key="PAY", status="completed").exists()
    calendar = WorkCalendar.objects.get(is_organisation_default=True)
    assert calendar.exceptions.filter(name="Christmas").exists()
