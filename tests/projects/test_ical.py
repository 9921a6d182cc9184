"""Calendars: a project's month grid, My work's, and the iCal feeds at secret, revocable URLs
(RFC 5545)."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from projects.models import ProjectMembership
from projects.plan import services as task_services
from tests.conftest import client_for
from tests.projects.route_expectations_work import assigned_task
from tpm import ical
from tpm.feeds import feed_token_create, feed_token_revoke
from tpm.models_collab import FeedToken

pytestmark = pytest.mark.django_db


def test_the_writer_escapes_folds_and_uses_crlf():
    text = ical.calendar(
        "Plan, phase; one",
        [
            ical.Event(
                uid="task-1@linchpin",
                summary="Design, review; sign-off\\" + "é" * 60,
                start=date(2031, 3, 3),
                end=date(2031, 3, 5),
            )
        ],
        stamp=datetime(2031, 1, 1, tzinfo=UTC),
    )
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and text.endswith("END:VCALENDAR\r\n")
    assert "X-WR-CALNAME:Plan\\, phase\\; one" in lines
    assert "DTSTART;VALUE=DATE:20310303" in lines
    assert "DTEND;VALUE=DATE:20310306" in lines  # exclusive end of an all-day event
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Design\\, review\\; sign-off\\\\" + "é" * 60 in unfolded
    assert "DTSTAMP:20310101T000000Z" in lines


def test_a_project_feed_lists_its_tasks_at_a_secret_url(world):
    task = assigned_task(world)
    _, raw = feed_token_create(
        user=world.manager, organisation=world.organisation, name="W", project_id=world.project.pk
    )
    response = client_for(None).get(reverse("ical-feed", args=[raw]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:task-{task.pk}@linchpin" in body
    assert "Write copy" in body
    # only a digest is stored
    assert not FeedToken.objects.filter(key_digest=raw).exists()


def test_my_feed_lists_my_tasks_only(world):
    assigned_task(world)
    task_services.task_create(project=world.project, actor=world.manager, name="Someone else's")
    _, raw = feed_token_create(user=world.member, organisation=world.organisation, name="Mine")
    body = client_for(None).get(reverse("ical-feed", args=[raw])).content.decode()
    assert "Write copy" in body and "Someone else" not in body


def test_a_wrong_or_revoked_token_is_a_404(world):
    token, raw = feed_token_create(
        user=world.manager, organisation=world.organisation, name="W", project_id=world.project.pk
    )
    assert client_for(None).get(reverse("ical-feed", args=["cal_wrong"])).status_code == 404
    feed_token_revoke(token=token, actor=world.manager)
    assert client_for(None).get(reverse("ical-feed", args=[raw])).status_code == 404


def test_losing_the_role_closes_the_project_feed(world):
    _, raw = feed_token_create(
        user=world.member, organisation=world.organisation, name="W", project_id=world.project.pk
    )
    assert client_for(None).get(reverse("ical-feed", args=[raw])).status_code == 200
    ProjectMembership.objects.filter(user=world.member).delete()
    assert client_for(None).get(reverse("ical-feed", args=[raw])).status_code == 404


def test_the_feeds_page_shows_a_new_url_once_and_refuses_someone_elses_project(world):
    client = client_for(world.member)
    response = client.post(reverse("feed-tokens"), {"name": "Web", "project": world.project.pk})
    assert response.status_code == 200
    assert "/projects/feeds/cal_" in response.content.decode()
    assert "/projects/feeds/cal_" not in client.get(reverse("feed-tokens")).content.decode()
    refused = client.post(reverse("feed-tokens"), {"project": world.other_project.pk})
    assert refused.status_code == 422
    assert FeedToken.objects.filter(user=world.member).count() == 1


def test_the_project_calendar_shows_tasks_on_their_days(world):
    task = assigned_task(world)
    month = task.finish.strftime("%Y-%m")
    response = client_for(world.viewer).get(
        reverse("project-month", args=[world.project.pk]) + f"?month={month}"
    )
    assert response.status_code == 200
    assert "Write copy" in response.content.decode()


def test_a_malformed_month_falls_back_to_this_month(world):
    response = client_for(world.member).get(reverse("my-work-calendar") + "?month=2031-13")
    assert response.status_code == 200
    response = client_for(world.member).get(reverse("my-work-calendar") + "?month=soon")
    assert response.status_code == 200


def test_the_api_creates_and_revokes_a_feed(world):
    client = client_for(world.member)
    made = client.post(
        reverse("api:feed-token-list"),
        {"name": "Web", "project": world.project.pk},
        content_type="application/json",
    )
    assert made.status_code == 201
    url = made.json()["url"]
    raw = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert client_for(None).get(reverse("ical-feed", args=[raw])).status_code == 200
    gone = client.delete(reverse("api:feed-token-detail", args=[made.json()["id"]]))
    assert gone.status_code == 204
    assert client_for(None).get(reverse("ical-feed", args=[raw])).status_code == 404
    other = client.post(
        reverse("api:feed-token-list"),
        {"project": world.other_project.pk},
        content_type="application/json",
    )
    assert other.status_code == 404
