"""Headers and sessions (issue 22): a Content Security Policy everywhere, no-store for signed-in
pages, idle and absolute session timeouts, and 12-character passwords."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import PASSWORD, OrganisationFactory, member_of
from tpm.demo import DEMO_PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_every_page_carries_a_csp_without_inline_scripts(world):
    for client, url in ((client_for(None), "/accounts/login/"), (client_for(world.manager), "/")):
        policy = client.get(url, follow=True).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in directives["script-src"]
        assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_event_handler():
    # scripts come from static files only, as the policy demands
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}")
    assert offenders == []


def test_signed_in_pages_are_not_stored_by_caches(world):
    response = client_for(world.manager).get(reverse("project-list"))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.fixture
def timeouts(settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * 3600
    settings.SESSION_ABSOLUTE_TIMEOUT = 12 * 3600


def _signed_in(client, password):
    user = member_of(OrganisationFactory(), email="ann@example.com")
    response = client.post("/accounts/login/", {"email": user.email, "password": password})
    assert response.status_code == 302
    return user


def test_a_session_idle_for_longer_than_the_timeout_is_signed_out(client, db, timeouts, password):
    with time_machine.travel(START, tick=False) as clock:
        _signed_in(client, password)
        assert client.get(reverse("project-list")).status_code == 200
        # when two hours and a minute pass without a request
        clock.shift(timedelta(hours=2, minutes=1))
        response = client.get(reverse("project-list"))
    # then the next page asks them to sign in again
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_session_but_only_up_to_the_absolute_age(client, db, timeouts, password):
    with time_machine.travel(START, tick=False) as clock:
        _signed_in(client, password)
        # a page every hour keeps them signed in
        for _ in range(11):
            clock.shift(timedelta(hours=1))
            assert client.get(reverse("project-list")).status_code == 200
        # but twelve hours after signing in they must sign in again, however busy
        clock.shift(timedelta(hours=1, minutes=1))
        assert client.get(reverse("project-list")).status_code == 302


def test_the_notification_poll_alone_does_not_keep_a_session_alive(client, db, timeouts, password):
    with time_machine.travel(START, tick=False) as clock:
        _signed_in(client, password)
        # an open tab polls the bell every minute for two hours
        for _ in range(121):
            clock.shift(timedelta(minutes=1))
            client.get(reverse("notification-bell"))
        assert client.get(reverse("project-list")).status_code == 302


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Ab3$efgh-jk")  # 11
    validate_password("Ab3$efgh-jkl")  # 12
    # the demo's and the factories' passwords still pass
    validate_password(DEMO_PASSWORD)
    validate_password(PASSWORD)
