"""Deliverables: a checklist of acceptance criteria, and acceptance by the named stakeholder
once every criterion is met (refused with the open criteria listed otherwise) (issue 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import DeliverableStatus
from projects.plan import services as task_services
from projects.quality import services as quality_services
from projects.scope.services import deliverables as deliverable_services
from tests.conftest import client_for

from .factories_scope import AcceptanceCriterionFactory, DeliverableFactory
from .helpers import assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db


def deliverable(world, **fields):
    return deliverable_services.deliverable_create(
        project=world.project,
        actor=world.manager,
        name="New checkout",
        acceptor=world.stakeholder,
        criteria=["Works on mobile", "Accessible (WCAG AA)"],
        **fields,
    )


def tick(world, criterion):
    criterion.refresh_from_db()
    return deliverable_services.acceptance_criterion_set(
        criterion=criterion, actor=world.member, version=criterion.version, is_met=True
    )


def test_acceptance_is_refused_listing_the_open_criteria(world):
    # given a deliverable with one of two criteria met
    item = deliverable(world)
    tick(world, item.criteria.first())
    # when its acceptor accepts it
    with pytest.raises(ValidationError) as refused:
        deliverable_services.deliverable_accept(
            deliverable=item, actor=world.stakeholder, version=item.version
        )
    # then it is refused naming the criterion still open
    assert "criteria not met: “Accessible (WCAG AA)”" in " ".join(refused.value.messages)


def test_the_named_acceptor_accepts_once_every_criterion_is_met(world):
    item = deliverable(world)
    for criterion in item.criteria.all():
        tick(world, criterion)
    item.refresh_from_db()
    accepted = deliverable_services.deliverable_accept(
        deliverable=item, actor=world.stakeholder, version=item.version, comment="Lovely"
    )
    assert accepted.status == DeliverableStatus.ACCEPTED
    assert (accepted.accepted_by, accepted.acceptance_comment) == (world.stakeholder, "Lovely")


def test_only_the_named_acceptor_accepts(world):
    item = deliverable(world)
    with pytest.raises(ValidationError) as refused:
        deliverable_services.deliverable_accept(
            deliverable=item, actor=world.manager, version=item.version
        )
    assert "Only the named acceptor" in " ".join(refused.value.messages)


def test_an_open_gate_on_the_deliverable_holds_acceptance_back(world):
    item = deliverable(world)
    quality_services.gate_create(
        project=world.project,
        actor=world.manager,
        deliverable=item,
        name="UX review",
        criteria=["Usability test done"],
    )
    for criterion in item.criteria.all():
        tick(world, criterion)
    item.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        deliverable_services.deliverable_accept(
            deliverable=item, actor=world.stakeholder, version=item.version
        )
    assert "“Usability test done” (not checked)" in " ".join(refused.value.messages)


def test_the_milestone_must_be_a_milestone_of_the_project(world):
    plain = task_services.task_create(project=world.project, actor=world.manager, name="Code")
    with pytest.raises(ValidationError) as refused:
        deliverable(world, milestone=plain)
    assert "is not a milestone" in " ".join(refused.value.messages)


def test_the_page_refuses_acceptance_with_the_open_criteria_and_422(world):
    item = deliverable(world)
    response = client_for(world.stakeholder).post(
        reverse("deliverable-accept", args=[world.project.pk, item.pk]),
        {"version": item.version},
    )
    assert response.status_code == 422
    assert "criteria not met" in text(response)


def test_ticking_a_criterion_on_the_page(world):
    item = deliverable(world)
    criterion = item.criteria.first()
    client = client_for(world.member)
    response = client.post(
        reverse("deliverable-criterion-set", args=[world.project.pk, item.pk, criterion.pk]),
        {"version": criterion.version, "is_met": "on"},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.is_met and criterion.checked_by == world.member


def test_the_api_refuses_acceptance_with_a_400_naming_the_criteria(world):
    item = deliverable(world)
    response = client_for(world.stakeholder).post(
        reverse("api:deliverable-accept", args=[item.pk]),
        {"version": item.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Works on mobile" in str(response.json()["errors"])


def test_the_deliverables_endpoint_and_page_cost_the_same_for_many(world):
    client = client_for(world.manager)
    api = reverse("api:deliverable-list")
    AcceptanceCriterionFactory(deliverable=DeliverableFactory(project=world.project))
    few = queries_for(client, "get", api)
    for _ in range(5):
        AcceptanceCriterionFactory(deliverable=DeliverableFactory(project=world.project))
    many = queries_for(client, "get", api)
    assert_same_count(few, many)


def test_the_deliverable_page_costs_the_same_for_many_criteria(world):
    client = client_for(world.manager)
    item = DeliverableFactory(project=world.project)
    AcceptanceCriterionFactory(deliverable=item)
    url = reverse("deliverable-detail", args=[world.project.pk, item.pk])
    few = queries_for(client, "get", url)
    for _ in range(5):
        AcceptanceCriterionFactory(deliverable=item)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)
