"""Support staff can look at scope, change control and quality in the Django admin; history-like
rows (charter versions, measurements, change-request events, gate reviews) are read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from tpm.models import User

from .factories_scope import (
    AcceptanceCriterionFactory,
    ChangeRequestEventFactory,
    CharterVersionFactory,
    GateCriterionFactory,
    GateReviewFactory,
    GateTemplateCriterionFactory,
    ObjectiveMeasurementFactory,
    QualityMeasureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("support@linchpin.test", "pw"))
    return client


def test_every_scope_and_quality_record_opens_in_the_admin(staff):
    # given one record of every kind, with their history-like rows
    version = CharterVersionFactory()
    measurement = ObjectiveMeasurementFactory()
    criterion = AcceptanceCriterionFactory()
    event = ChangeRequestEventFactory()
    template_criterion = GateTemplateCriterionFactory()
    gate_criterion = GateCriterionFactory()
    review = GateReviewFactory(gate=gate_criterion.gate)
    measure = QualityMeasureFactory()
    records = [
        version.charter,
        measurement.objective,
        criterion.deliverable,
        event.change_request,
        template_criterion.template,
        review.gate,
        measure,
    ]
    for record in records:
        meta = record._meta
        # when support opens the list and the record
        listing = staff.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        page = staff.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        )
        # then both show
        assert listing.status_code == 200, meta.model_name
        assert page.status_code == 200, meta.model_name


def test_history_like_rows_cannot_be_added_or_edited_in_the_admin(staff):
    # given a gate with a review and a change request with an event
    review = GateReviewFactory()
    event = ChangeRequestEventFactory()
    # when support opens them
    gate_page = staff.get(reverse("admin:projects_qualitygate_change", args=[review.gate.pk]))
    change_page = staff.get(
        reverse("admin:projects_changerequest_change", args=[event.change_request.pk])
    )
    # then the review and the event are shown without inputs, and no change request can be added
    assert "reviews-0-verdict" not in gate_page.content.decode()
    assert "reviews-TOTAL_FORMS" in gate_page.content.decode()
    assert "events-0-comment" not in change_page.content.decode()
    assert staff.get(reverse("admin:projects_changerequest_add")).status_code == 403
