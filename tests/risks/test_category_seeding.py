"""Every organisation starts with the default risk categories, made when it is created.

The tenancy core announces `organisation_created` and the risks app seeds the categories (older
organisations got them in migration risks 0002); the pages that list or offer them only read.
"""

import pytest
from django.urls import reverse

from risks import services
from risks.models import DEFAULT_CATEGORIES, RiskCategory
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory
from tpm import services as tpm_services

pytestmark = pytest.mark.django_db


def _names(organisation) -> list[str]:
    return list(
        RiskCategory.objects.filter(organisation=organisation).values_list("name", flat=True)
    )


def test_creating_an_organisation_seeds_the_default_categories():
    # when someone starts an organisation
    organisation = tpm_services.organisation_create(name="Acme", actor=UserFactory())
    # then it has the default categories, in order
    assert _names(organisation) == list(DEFAULT_CATEGORIES)


def test_a_factory_organisation_has_its_categories_like_a_created_one():
    assert _names(OrganisationFactory()) == list(DEFAULT_CATEGORIES)


def test_seeding_twice_makes_the_categories_once():
    # given an organisation made before the seeding existed
    organisation = OrganisationFactory(defaults=False)
    assert _names(organisation) == []
    # when its categories are seeded twice
    services.categories_ensure(organisation=organisation)
    services.categories_ensure(organisation=organisation)
    # then it has each default once
    assert _names(organisation) == list(DEFAULT_CATEGORIES)


def test_the_risk_form_and_settings_pages_only_read(world):
    # given an organisation whose categories are all gone
    RiskCategory.objects.filter(organisation=world.organisation).delete()
    client = client_for(world.admin)
    # when the new-risk form and the risk settings are opened
    for url in (reverse("risk-create", args=[world.project.pk]), reverse("risk-settings")):
        assert client.get(url).status_code == 200
    # then no category was made on the way
    assert _names(world.organisation) == []
