"""Organisation admins set where amber and red start; every project is judged by them."""

from django.urls import reverse
from django.utils import timezone

from reports.health import Thresholds
from reports.models import THRESHOLD_FIELDS, HealthThresholds
from tests.conftest import client_for
from tests.factories import DeliveryFactory, HealthThresholdsFactory, ShareLinkFactory
from tests.projects.helpers import text
from tests.reports.helpers import plan


def _form(**changes):
    values = {name: str(getattr(Thresholds(), name)) for name in THRESHOLD_FIELDS}
    return {"version": 1, **values, **{k: str(v) for k, v in changes.items()}}


def test_an_admin_tightens_a_threshold_and_the_dashboard_follows(world):
    # given one late critical task: amber by default
    plan(world.project, today=timezone.localdate(), late_critical=1)
    dashboard = reverse("project-dashboard", args=[world.project.pk])
    assert '<h3>Schedule <span class="rag rag-amber">' in text(
        client_for(world.stakeholder).get(dashboard)
    )
    # when the admin says one late critical task is already red
    response = client_for(world.admin).post(
        reverse("health-thresholds"), _form(late_critical_amber=1, late_critical_red=1)
    )
    assert response.status_code == 302
    # then the dashboard shows red
    assert '<h3>Schedule <span class="rag rag-red">' in text(
        client_for(world.stakeholder).get(dashboard)
    )
    assert HealthThresholds.objects.get(organisation=world.organisation).version == 2


def test_red_before_amber_is_a_form_error(world):
    response = client_for(world.admin).post(
        reverse("health-thresholds"), _form(late_critical_amber=5, late_critical_red=2)
    )
    assert response.status_code == 422
    assert "Red must start at or above where amber starts." in text(response)


def test_a_stale_edit_is_refused(world):
    HealthThresholdsFactory(organisation=world.organisation, version=3)
    response = client_for(world.admin).post(reverse("health-thresholds"), _form())
    assert response.status_code == 409


def test_factories_make_valid_rows(world):
    assert DeliveryFactory().status == "pending"
    assert ShareLinkFactory().is_usable(timezone.now())
