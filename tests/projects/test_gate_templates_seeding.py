"""Every new organisation starts with the default gate templates (issue 7): the tenancy core
announces `organisation_created` and the projects app seeds them; organisations made before
that got them in migration 0009. The pages that show templates only read."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import GateTemplate, GateTemplateCriterion
from projects.quality import gate_templates as template_services
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory
from tpm import services as tpm_services
from tpm.models import Organisation

pytestmark = pytest.mark.django_db

DEFAULTS = ["Design review", "Go-live readiness", "Security review"]


def test_creating_an_organisation_seeds_the_default_gate_templates():
    # given someone starting an organisation
    founder = UserFactory()
    # when the organisation is created
    organisation = tpm_services.organisation_create(name="Acme", actor=founder)
    # then its three default templates are there, with their criteria and reviewers
    templates = list(GateTemplate.objects.filter(organisation=organisation).order_by("name"))
    assert [t.name for t in templates] == DEFAULTS
    assert all(t.criteria.exists() for t in templates)
    go_live = templates[1]
    assert go_live.required_reviewer_roles == ["manager", "stakeholder"]


def test_an_organisation_started_from_the_page_has_its_templates_before_first_use(client):
    # given a signed-in user
    founder = UserFactory()
    client.force_login(founder)
    # when they start an organisation from the page
    response = client.post(reverse("org-create"), {"name": "Beta Works"})
    # then the organisation exists with its templates, without anyone opening the templates page
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Beta Works")
    names = sorted(
        GateTemplate.objects.filter(organisation=organisation).values_list("name", flat=True)
    )
    assert names == DEFAULTS


def test_each_organisation_gets_its_own_copies():
    # given two organisations created one after the other
    first = tpm_services.organisation_create(name="One", actor=UserFactory())
    second = tpm_services.organisation_create(name="Two", actor=UserFactory())
    # then each holds three templates of its own
    assert GateTemplate.objects.filter(organisation=first).count() == 3
    assert GateTemplate.objects.filter(organisation=second).count() == 3
    first_criteria = GateTemplateCriterion.objects.filter(template__organisation=first).count()
    assert first_criteria > 0
    assert (
        GateTemplateCriterion.objects.filter(template__organisation=second).count()
        == first_criteria
    )


def test_seeding_the_templates_twice_makes_them_once():
    # given an organisation made before the seeding existed (no templates)
    organisation = OrganisationFactory(defaults=False)
    assert not GateTemplate.objects.filter(organisation=organisation).exists()
    # when its templates are seeded, twice
    template_services.gate_templates_ensure(organisation=organisation)
    template_services.gate_templates_ensure(organisation=organisation)
    # then it has the three defaults once
    assert GateTemplate.objects.filter(organisation=organisation).count() == 3


def test_a_factory_organisation_has_its_templates_like_a_created_one():
    # the test factory announces the new organisation as organisation_create does
    organisation = OrganisationFactory()
    assert GateTemplate.objects.filter(organisation=organisation).count() == 3


def test_a_refused_organisation_leaves_no_templates_behind():
    # given a name that is refused
    # when the organisation cannot be created
    with pytest.raises(ValidationError):
        tpm_services.organisation_create(name="   ", actor=UserFactory())
    # then no templates were seeded for anyone
    assert not GateTemplate.objects.exists()


def test_the_template_and_new_gate_pages_only_read(world):
    # given an organisation whose templates are all gone
    GateTemplate.objects.filter(organisation=world.organisation).delete()
    client = client_for(world.admin)
    # when its templates page and a new gate's form are opened
    for url in (
        reverse("gate-templates"),
        reverse("gate-create", args=[world.project.pk]),
    ):
        assert client.get(url).status_code == 200
    # then nothing was seeded on the way
    assert not GateTemplate.objects.filter(organisation=world.organisation).exists()
