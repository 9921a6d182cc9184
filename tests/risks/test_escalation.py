"""Escalations and reminders: one notification per event, however often the jobs run."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from risks import services
from risks.models import Assumption
from risks.raid import services as raid_services
from risks.tasks import escalate_risks, flag_overdue_assumptions, remind_overdue_reviews
from tpm.models import Notification

from .helpers import raise_risk

pytestmark = pytest.mark.django_db


def test_escalation_sends_one_notification_across_two_runs(
    world, django_capture_on_commit_callbacks
):
    # given a risk at the default escalation score (15)
    risk = raise_risk(world, probability=5, impact_schedule=3)
    # when the periodic job runs twice
    with django_capture_on_commit_callbacks(execute=True):
        first = escalate_risks.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = escalate_risks.delay().get()
    # then the manager got one notification and one email, and the second run did nothing
    assert (first, second) == (1, 0)
    notes = Notification.objects.filter(kind="risk.escalated")
    assert [n.recipient for n in notes] == [world.manager]
    assert notes[0].url.endswith(f"/risks/{risk.pk}/")
    assert len(mail.outbox) == 1 and "needs attention" in mail.outbox[0].subject


def test_a_risk_below_the_threshold_is_not_escalated(world):
    raise_risk(world, probability=2, impact_schedule=3)
    assert escalate_risks.delay().get() == 0
    assert not Notification.objects.exists()


def test_dropping_below_and_crossing_again_escalates_again(world):
    risk = raise_risk(world, probability=5, impact_schedule=3)
    escalate_risks.delay().get()
    risk.refresh_from_db()
    review = services.risk_reassess(
        risk=risk, actor=world.member, version=risk.version, probability=2
    )
    risk.refresh_from_db()
    assert risk.escalated_at is None and review.score == 6
    services.risk_reassess(risk=risk, actor=world.member, version=risk.version, probability=5)
    escalate_risks.delay().get()
    escalate_risks.delay().get()
    assert Notification.objects.filter(kind="risk.escalated").count() == 2


def test_stakeholders_are_told_when_the_organisation_chooses(world):
    services.risk_settings_update(
        organisation=world.organisation, actor=world.admin, version=1, notify_stakeholders=True
    )
    raise_risk(world, probability=5, impact_schedule=4)
    escalate_risks.delay().get()
    recipients = set(Notification.objects.values_list("recipient__email", flat=True))
    assert recipients == {world.manager.email, world.stakeholder.email}


def test_the_organisations_threshold_decides(world):
    services.risk_settings_update(
        organisation=world.organisation, actor=world.admin, version=1, escalation_from=6
    )
    raise_risk(world, probability=2, impact_schedule=3)
    assert escalate_risks.delay().get() == 1


def test_an_overdue_review_reminds_the_owner_once(world):
    raise_risk(
        world,
        raised_on=timezone.localdate() - timedelta(days=20),
        next_review_on=timezone.localdate() - timedelta(days=1),
    )
    assert remind_overdue_reviews.delay().get() == 1
    assert remind_overdue_reviews.delay().get() == 0
    note = Notification.objects.get()
    assert note.recipient == world.member and note.kind == "risk.review_overdue"


def test_an_assumption_past_its_validate_by_date_is_flagged_once(world):
    assumption = raid_services.raid_create(
        model=Assumption,
        project=world.project,
        actor=world.manager,
        title="The vendor keeps its prices",
        owner=world.member,
        validate_by=timezone.localdate() - timedelta(days=2),
    )
    assert flag_overdue_assumptions.delay().get() == 1
    assert flag_overdue_assumptions.delay().get() == 0
    assumption.refresh_from_db()
    assert assumption.flagged_at is not None
    assert Notification.objects.get().recipient == world.member
