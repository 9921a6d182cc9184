"""Raising, editing and reassessing risks: rules, history and the review trail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import Task
from risks import services
from risks.models import Issue, Risk, RiskCategory, RiskReview, RiskStatus
from tests.factories import ProjectFactory, UserFactory
from tpm.concurrency import StaleVersionError
from tpm.models import HistoryEntry

from .helpers import raise_risk

pytestmark = pytest.mark.django_db


def test_raising_a_risk_scores_it_records_a_review_and_history(world):
    # when the manager raises a risk rated P3, worst impact 4 (schedule)
    risk = raise_risk(world)
    # then it is R-1 with score 12, the first review says so, and history has it
    assert (risk.ref, risk.score, risk.impact) == ("R-1", 12, 4)
    review = RiskReview.objects.get(risk=risk)
    assert (review.score, review.reviewed_on) == (12, timezone.localdate())
    assert HistoryEntry.objects.filter(target_id=str(risk.pk), action="created").exists()
    assert risk.emv() == Decimal("5000.00")


def test_numbers_count_per_project(world):
    first, second = raise_risk(world), raise_risk(world, title="Second")
    assert (first.number, second.number) == (1, 2)


def test_the_organisation_gets_the_default_categories(world):
    raise_risk(world)
    names = list(
        RiskCategory.objects.filter(organisation=world.organisation).values_list("name", flat=True)
    )
    assert names[:3] == ["Technical", "Schedule", "Cost"] and "Other" in names


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"probability": 6}, "probability", "Probability must be a whole number from 1 to 5."),
        ({"impact_cost": 0}, "impact_cost", "Cost impact must be a whole number from 1 to 5."),
        ({"residual_probability": 2}, "residual_impact", "both"),
        ({"cost_impact": "-5"}, "cost_impact", "cannot be negative"),
        ({"strategy": "exploit"}, "strategy", "not for a threat"),
    ],
)
def test_bad_ratings_are_refused_by_name_and_nothing_is_saved(world, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        raise_risk(world, **fields)
    assert any(message in m for m in caught.value.message_dict[field])
    assert not Risk.objects.exists() and not RiskReview.objects.exists()


def test_an_owner_outside_the_project_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        raise_risk(world, owner=world.bystander)
    assert "no role in WEB" in caught.value.message_dict["owner"][0]


def test_a_category_of_another_organisation_is_refused(world):
    other = RiskCategory.objects.create(organisation=world.other_organisation, name="Theirs")
    with pytest.raises(ValidationError, match="category of this organisation"):
        raise_risk(world, category=other)


def test_reassessing_records_a_review_and_lowers_the_residual(world):
    risk = raise_risk(world)
    # when the owner reassesses it with a residual after mitigation
    review = services.risk_reassess(
        risk=risk,
        actor=world.member,
        version=risk.version,
        probability=2,
        residual_probability=1,
        residual_impact=2,
        note="Vendor committed to a date.",
    )
    risk.refresh_from_db()
    # then the risk and its new review say score 8, residual 2, and it is assessed
    assert (risk.score, risk.residual_score, risk.status) == (8, 2, RiskStatus.ASSESSED)
    assert review.residual_score == 2
    assert list(risk.reviews.values_list("score", flat=True)) == [12, 8]


def test_a_review_before_the_risk_was_raised_is_refused(world):
    risk = raise_risk(world, raised_on=timezone.localdate() - timedelta(days=3))
    with pytest.raises(ValidationError) as caught:
        services.risk_reassess(
            risk=risk,
            actor=world.member,
            version=risk.version,
            reviewed_on=timezone.localdate() - timedelta(days=10),
        )
    assert "before the risk was raised" in caught.value.message_dict["reviewed_on"][0]
    assert risk.reviews.count() == 1


def test_a_stale_edit_is_refused(world):
    risk = raise_risk(world)
    services.risk_update(risk=risk, actor=world.manager, version=1, title="Renamed")
    with pytest.raises(StaleVersionError):
        services.risk_update(risk=risk, actor=world.member, version=1, title="Other name")


def test_changing_ratings_in_an_edit_is_a_reassessment(world):
    risk = raise_risk(world)
    services.risk_update(risk=risk, actor=world.manager, version=1, impact_scope=5)
    assert list(risk.reviews.values_list("score", flat=True)) == [12, 15]
    # while a wording change leaves no review
    services.risk_update(risk=risk, actor=world.manager, version=2, title="Vendor API very late")
    assert risk.reviews.count() == 2


def test_a_risk_that_occurs_becomes_a_linked_issue(world):
    risk = raise_risk(world)
    issue = services.risk_mark_occurred(risk=risk, actor=world.manager, version=1)
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OCCURRED and risk.closed_on == timezone.localdate()
    assert (issue.risk, issue.ref, issue.priority) == (risk, "I-1", "high")
    with pytest.raises(ValidationError, match="already"):
        services.risk_mark_occurred(risk=risk, actor=world.manager, version=risk.version)
    assert Issue.objects.count() == 1


def test_a_response_action_is_a_task_of_the_plan(world):
    risk = raise_risk(world)
    response = services.risk_add_response(risk=risk, actor=world.manager, name="Build a stub API")
    task = Task.objects.get(pk=response.task_id)
    assert task.project == world.project and task.name == "R-1: Build a stub API"
    assert task.wbs_code and task.start is not None  # numbered and scheduled like any task
    risk.refresh_from_db()
    assert risk.status == RiskStatus.RESPONDING


def test_linking_a_task_of_another_project_is_refused(world):
    risk = raise_risk(world)
    foreign = Task.objects.create(project=ProjectFactory(organisation=world.organisation), name="X")
    with pytest.raises(ValidationError, match="same project"):
        services.risk_link_task(risk=risk, actor=world.manager, task=foreign)


def test_thresholds_that_do_not_rise_are_refused(world):
    with pytest.raises(ValidationError, match="must rise"):
        services.risk_settings_update(
            organisation=world.organisation,
            actor=world.admin,
            version=1,
            medium_from=12,
            high_from=10,
        )


def test_an_unknown_owner_user_is_refused(world):
    with pytest.raises(ValidationError):
        raise_risk(world, owner=UserFactory())
