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


@pytest.mark.django_db
def test_the_payments_project_has_slipped_against_its_approved_baseline():
    # when the demo is seeded
    call_command("seed_demo", stdout=StringIO())
    # then payments and the data centre have an approved baseline of their whole plan
    from projects.baselines.selectors import baseline_comparison
    from projects.models import Baseline

    pay = Baseline.objects.select_related("project").get(project__key="PAY", name="Approved plan")
    dc = Baseline.objects.get(project__key="DC", name="Approved plan")
    assert pay.task_count == pay.project.tasks.count() and dc.task_count > 200
    # and the payments plan now finishes later than approved, with slipped milestones
    result = baseline_comparison(baseline=pay).result
    assert result.project_finish_days is not None and result.project_finish_days > 0
    assert {row.entry.name for row in result.slipped_milestones} >= {"Feature complete"}
    # and the data centre plan has not moved
    dc_result = baseline_comparison(
        baseline=Baseline.objects.select_related("project").get(pk=dc.pk)
    )
    assert dc_result.result.project_finish_days == 0


@pytest.mark.django_db
def test_each_demo_project_has_three_published_reports_and_a_schedule():
    # when the demo is seeded
    call_command("seed_demo", stdout=StringIO())
    # then each project has three published reports, a week apart, and a weekly schedule
    from reports.changes import what_changed
    from reports.models import ReportSchedule, StatusReport

    for project in Project.objects.all():
        reports = list(
            StatusReport.objects.filter(project=project, status="published").order_by(
                "published_at"
            )
        )
        assert len(reports) == 3, project.key
        assert ReportSchedule.objects.filter(project=project, is_active=True).count() == 1
    # and in the running payments project "what changed" has something to say
    pay = list(StatusReport.objects.filter(project__key="PAY").order_by("published_at"))
    changes = what_changed(pay[1].snapshot, pay[2].snapshot)
    assert any(change.startswith("Progress rose") for change in changes), changes


@pytest.mark.django_db
def test_the_demo_reports_carry_the_risk_section():
    # when the demo is seeded (risks are seeded before the reports snapshot them)
    call_command("seed_demo", stdout=StringIO())
    from reports.models import StatusReport

    # then every project's latest report has a risk section with top risks and a heat map
    for project in Project.objects.all():
        latest = StatusReport.objects.filter(project=project).order_by("-published_at").first()
        assert latest is not None
        risk = latest.snapshot["sections"]["risk"]
        assert risk is not None, project.key
        assert risk["top_risks"] and risk["heat_maps"][0]["total"] == risk["open_count"]
        colour = {d["key"]: d["colour"] for d in latest.snapshot["health"]["dimensions"]}["risk"]
        assert colour in ("green", "amber", "red")


@pytest.mark.django_db
def test_the_demo_team_member_finds_work_and_the_agile_board_real_stories():
    # when the demo is seeded
    call_command("seed_demo", stdout=StringIO())
    from projects.models import Task
    from projects.work import selectors as work

    # then the team member's My work lists open tasks in each running project
    member = User.objects.get(email="dev@example.com")
    mine = work.my_work(member)
    assert mine.count > 5
    assert {item.task.project.key for _, _, items in mine.groups() for item in items} >= {
        "PAY",
        "MOB",
    }
    # and the mobile board holds user stories under epics, not one card per sprint
    stories = Task.objects.alive().filter(project__key="MOB", is_summary=False)
    assert stories.filter(name="Sign in with Apple and Google").exists()
    assert not stories.filter(name__startswith="Sprint ").exists()
    assert Task.objects.filter(project__key="MOB", is_summary=True, name="Offline mode").exists()
