"""A stale change of an organisation's risk settings through the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from risks import services

pytestmark = pytest.mark.django_db


def test_a_stale_settings_change_answers_409_with_the_settings_as_they_are_now(world):
    # given settings another admin changed after the caller read them
    settings = services.settings_for(world.organisation)
    read_version = settings.version
    services.risk_settings_update(
        organisation=world.organisation, actor=world.admin, version=read_version, appetite=7
    )
    client = APIClient()
    client.force_login(world.admin)
    # when the caller sends a change with the version they read
    response = client.patch(
        reverse("api:risk-settings", args=[world.organisation.pk]),
        {"appetite": 3, "version": read_version},
        format="json",
    )
    # then nothing is overwritten and the answer carries the current settings
    assert response.status_code == 409
    assert response.json()["current"]["appetite"] == 7
    assert services.settings_for(world.organisation).appetite == 7
