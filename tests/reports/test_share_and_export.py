"""Share links (signed, expiring, revocable, one project) and exports (CSV, XLSX, PDF, iCal)."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ShareLink
from reports.share import token_for
from tests.conftest import client_for
from tests.projects.helpers import text
from tests.reports.helpers import milestone, plan


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_share_link_opens_the_dashboard_without_an_account_until_revoked(world, today):
    # given a plan and a link the manager created on the page
    plan(world.project, today=today)
    manager = client_for(world.manager)
    response = manager.post(
        reverse("report-share-links", args=[world.project.pk]), {"label": "Board", "days": 7}
    )
    assert response.status_code == 302
    link = ShareLink.objects.get(project=world.project)
    url = reverse("report-share", args=[token_for(link.pk)])
    # when someone without an account opens it
    response = Client().get(url)
    # then they read the dashboard, and nothing to edit
    assert response.status_code == 200
    body = text(response)
    assert "Website" in body and "Health" in body and "Override" not in body
    assert "Globex" not in body
    # when the manager revokes it, the same link is refused
    manager.post(reverse("report-share-revoke", args=[world.project.pk, link.pk]))
    response = Client().get(url)
    assert response.status_code == 410
    assert "revoked" in text(response)


def test_an_expired_or_forged_link_is_refused(world):
    link = services.share_link_create(project=world.project, actor=world.manager, days=1)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(reverse("report-share", args=[token_for(link.pk)])).status_code == 410
    forged = token_for(link.pk)[:-2] + "xx"
    assert Client().get(reverse("report-share", args=[forged])).status_code == 404
    assert Client().get(reverse("report-share", args=[str(link.pk)])).status_code == 404


def test_a_link_lives_at_most_ninety_days(world):
    response = client_for(world.manager).post(
        reverse("report-share-links", args=[world.project.pk]), {"label": "x", "days": 400}
    )
    assert response.status_code == 422


def test_tasks_export_as_csv_and_xlsx(world, today):
    plan(world.project, today=today)
    client = client_for(world.viewer)
    response = client.get(reverse("export-tasks-csv", args=[world.project.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["WBS", "Name", "Status"]
    assert [row[1] for row in rows[1:]] == ["Work 0", "Work 1", "Work 2"]
    response = client.get(reverse("export-tasks-xlsx", args=[world.project.pk]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 2).value == "Work 0"


def test_a_formula_in_a_task_name_stays_text(world, today):
    plan(world.project, today=today, tasks=1)
    world.project.tasks.update(name='=HYPERLINK("http://evil")')
    body = client_for(world.viewer).get(reverse("export-tasks-csv", args=[world.project.pk]))
    assert "'=HYPERLINK" in body.content.decode("utf-8-sig")


def test_milestones_export_as_icalendar(world, today):
    milestone(world.project, "Go, live; now", forecast=today + timedelta(days=3))
    response = client_for(world.stakeholder).get(
        reverse("export-milestones-ics", args=[world.project.pk])
    )
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith(
        "END:VCALENDAR\r\n"
    )
    day = (today + timedelta(days=3)).strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{day}" in body
    assert "SUMMARY:WEB: Go\\, live\\; now" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_the_dashboard_downloads_as_pdf(world, today):
    plan(world.project, today=today)
    response = client_for(world.stakeholder).get(
        reverse("project-dashboard-pdf", args=[world.project.pk])
    )
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
