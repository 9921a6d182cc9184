"""Shared fixtures: a small world of named users around one project, and an outsider; the
session's clock (LINCHPIN_TEST_TODAY) and the hypothesis profile."""

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from projects.models import Project
from tests.factories import (
    PASSWORD,
    InvitationFactory,
    OrganisationFactory,
    PersonalAccessTokenFactory,
    ProjectFactory,
    member_of,
    on_project,
)
from tpm.models import Invitation, Organisation, PersonalAccessToken, User
from tpm.roles import OrgRole, ProjectRole

# Reproducible and independent of machine speed: the same examples on every run (derandomize,
# no example database), no deadline and no "too slow" health check on a loaded CI runner.
# HYPOTHESIS_PROFILE=explore searches afresh with the usual random examples.
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def session_clock(value: str) -> datetime:
    """LINCHPIN_TEST_TODAY as an aware instant: a date keeps the time of day it is now, a naive
    date-time is read in TIME_ZONE, and an explicit offset is taken as given."""
    zone = ZoneInfo(django_settings.TIME_ZONE)
    if len(value) == 10:
        now = datetime.now(zone)
        moment = datetime.combine(date.fromisoformat(value), now.time(), tzinfo=zone)
    else:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
    # in UTC, so that time-machine leaves the process's TZ (set by Django) alone
    return moment.astimezone(UTC)


_session_travel: time_machine.travel | None = None


def pytest_configure(config):
    """LINCHPIN_TEST_TODAY=2027-01-04 (or 2027-03-28T01:30) runs the whole session with the
    clock moved there and ticking, to show the suite holds on a Monday, a Sunday, 31 December
    or the night the clocks change."""
    global _session_travel
    value = os.environ.get("LINCHPIN_TEST_TODAY", "").strip()
    if value and _session_travel is None:
        _session_travel = time_machine.travel(session_clock(value), tick=True)
        _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config):
    value = os.environ.get("LINCHPIN_TEST_TODAY", "").strip()
    if value:
        return f"clock moved to {session_clock(value).isoformat()} (LINCHPIN_TEST_TODAY={value})"
    return None


@dataclass
class World:
    organisation: Organisation
    project: Project
    admin: User
    manager: User
    member: User
    stakeholder: User
    viewer: User
    bystander: User  # in the organisation, no role in the project
    outsider: User  # admin of another organisation
    other_organisation: Organisation
    other_project: Project
    invitation: Invitation  # pending, to the organisation
    other_invitation: Invitation  # pending, to the other organisation
    deleted_project: Project  # in the organisation's trash
    manager_token: PersonalAccessToken

    def user(self, kind: str) -> User | None:
        return None if kind == "anonymous" else getattr(self, kind)


@pytest.fixture
def world(db) -> World:
    organisation = OrganisationFactory(name="Acme")
    project = ProjectFactory(organisation=organisation, key="WEB", name="Website")
    admin = member_of(organisation, OrgRole.ADMIN, email="admin@acme.test")
    other_organisation = OrganisationFactory(name="Globex")
    other_project = ProjectFactory(organisation=other_organisation, key="GLX", name="Globex app")
    outsider = member_of(other_organisation, OrgRole.ADMIN, email="outsider@globex.test")
    on_project(other_project, ProjectRole.MANAGER, email="manager@globex.test")
    manager = on_project(project, ProjectRole.MANAGER, email="manager@acme.test")
    deleted_project = ProjectFactory(
        organisation=organisation, key="OLD", name="Old intranet", deleted_at=timezone.now()
    )
    return World(
        organisation=organisation,
        project=project,
        admin=admin,
        manager=manager,
        member=on_project(project, ProjectRole.MEMBER, email="member@acme.test"),
        stakeholder=on_project(project, ProjectRole.STAKEHOLDER, email="stakeholder@acme.test"),
        viewer=on_project(project, ProjectRole.VIEWER, email="viewer@acme.test"),
        bystander=member_of(organisation, email="bystander@acme.test"),
        outsider=outsider,
        other_organisation=other_organisation,
        other_project=other_project,
        invitation=InvitationFactory(organisation=organisation, email="new@acme.test"),
        other_invitation=InvitationFactory(organisation=other_organisation),
        deleted_project=deleted_project,
        manager_token=PersonalAccessTokenFactory(user=manager),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that check it use the production list explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_runs_inline():
    """Tasks run in-process by default (mail lands in mail.outbox); the worker test opts out."""
    from tpm.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttle counters live in the cache; one test's requests must not throttle the next.
    from django.core.cache import cache

    cache.clear()
