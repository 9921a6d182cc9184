"""Importing a Microsoft Project file stores its resources, rates and assignments with their
costs (projects.signals.mspdi_imported -> resources/mspdi/costs.py)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from projects.models import BaselineTask, Project, Task
from projects.mspdi.importer import project_import_mspdi
from resources.models import Assignment, CostRate, Resource, ResourceKind
from tests.factories import OrganisationFactory, member_of
from tpm.models import HistoryEntry
from tpm.roles import OrgRole

from .factories import CostRateFactory, ResourceFactory
from .mspdi_money_samples import money_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Acme", slug="acme")


@pytest.fixture
def admin(organisation):
    return member_of(organisation, OrgRole.ADMIN, email="admin@acme.test")


def _import(organisation, admin, data=None, key="OFF"):
    return project_import_mspdi(
        organisation=organisation, actor=admin, key=key, data=data or money_document()
    )


def test_the_pool_gets_the_files_resources_with_their_kinds(organisation, admin):
    # given Ana is a member of the organisation (her e-mail differs only in case)
    ana = member_of(organisation, email="ana@example.com", full_name="Ana Lopez")
    # when the file is imported
    report = _import(organisation, admin)
    # then each resource of the file is in the pool, Ana linked to her account
    pool = {r.name: r for r in Resource.objects.filter(organisation=organisation)}
    assert set(pool) == {"Ana Lopez", "Ben Okoro", "Cable", "Travel"}
    assert pool["Ana Lopez"].user == ana
    assert pool["Ana Lopez"].role.name == "Design"
    assert pool["Ben Okoro"].user is None and pool["Ben Okoro"].is_placeholder
    assert pool["Ben Okoro"].hours_per_day == Decimal("4.00")  # MaxUnits 0.5 of 8 h
    assert (pool["Cable"].kind, pool["Cable"].unit_cost, pool["Cable"].unit_label) == (
        ResourceKind.EQUIPMENT,
        Decimal("2.50"),
        "m",
    )
    # and the report says so
    assert "Resources: 4 (4 new in the pool), 3 cost rates and 4 assignments" in (report.summary())


def test_rates_are_effective_dated_in_the_files_currency(organisation, admin):
    # when the file (in EUR, Ana's rate rising on 1 February) is imported
    report = _import(organisation, admin)
    project = Project.objects.get(pk=report.project.pk)
    # then the project counts in euros
    assert project.currency == "EUR"
    # and Ana's rate changes on its date, never rewriting the one before
    rates = CostRate.objects.filter(resource__name="Ana Lopez").order_by("effective_from")
    assert [(r.effective_from, r.hourly_rate, r.currency) for r in rates] == [
        (date(2027, 1, 4), Decimal("50.00"), "EUR"),  # "from the beginning": the plan's start
        (date(2027, 2, 1), Decimal("60.00"), "EUR"),
    ]
    ben = CostRate.objects.get(resource__name="Ben Okoro")
    assert ben.hourly_rate == Decimal("40.00")
    # (material and cost resources have no hourly rate)
    assert not CostRate.objects.filter(resource__name__in=["Cable", "Travel"]).exists()


def test_assignments_keep_units_work_and_the_files_costs(organisation, admin):
    # when the file is imported
    report = _import(organisation, admin)
    build = Task.objects.get(project=report.project, name="Build")
    # then Ben works half time on Build: 12 hours, 480.00 planned, 240.00 spent
    ben = Assignment.objects.get(task=build, resource__name="Ben Okoro")
    assert (ben.units, ben.work_hours, ben.actual_work_hours) == (
        Decimal("50.00"),
        Decimal("12.00"),
        Decimal("6.00"),
    )
    assert (ben.cost, ben.actual_cost) == (Decimal("480.00"), Decimal("240.00"))
    cable = Assignment.objects.get(task=build, resource__name="Cable")
    assert (cable.units, cable.work_hours, cable.cost) == (Decimal("100"), None, Decimal("50.00"))
    # and the plan keeps the file's percent complete, actual cost and baseline cost per task
    assert (build.percent_complete, build.actual_cost) == (50, Decimal("265.00"))
    assert BaselineTask.objects.get(task=build).cost == Decimal("530.00")


def test_a_second_plan_reuses_the_pool_and_keeps_existing_rates(organisation, admin):
    # given Ben is already in the pool with his own rate from the same day
    ben = ResourceFactory(organisation=organisation, name="Ben Okoro", email="")
    CostRateFactory(
        resource=ben, effective_from=date(2027, 1, 4), hourly_rate=Decimal("45.00"), currency="EUR"
    )
    # when the file is imported twice, as two projects
    _import(organisation, admin, key="OFF")
    report = _import(organisation, admin, key="OFF2")
    # then the pool has each resource once, and Ben's rate was not rewritten
    assert Resource.objects.filter(organisation=organisation).count() == 4
    assert list(CostRate.objects.filter(resource=ben).values_list("hourly_rate", flat=True)) == [
        Decimal("45.00")
    ]
    assert "(0 new in the pool)" in report.summary()
    assert Assignment.objects.filter(task__project=report.project).count() == 4


def test_the_import_is_recorded_in_the_projects_history(organisation, admin):
    report = _import(organisation, admin)
    entry = HistoryEntry.objects.get(
        scope=f"project:{report.project.pk}", changes__has_key="resources"
    )
    assert "3 cost rates" in entry.changes["resources"][1]


def test_a_bad_rate_leaves_nothing_behind(organisation, admin):
    # given a file whose resource has a negative rate
    data = money_document().replace(
        b"<StandardRate>40</StandardRate>", b"<StandardRate>-40</StandardRate>"
    )
    # when it is imported, then the error names the resource and nothing is created
    with pytest.raises(ValidationError) as caught:
        _import(organisation, admin, data=data)
    assert "Resource UID 2 (Ben Okoro): <StandardRate> -40 is negative" in str(caught.value)
    assert not Project.objects.filter(key="OFF").exists()
    assert not Resource.objects.exists()


def test_a_plan_without_resources_imports_as_before(organisation, admin):
    from tests.projects import mspdi_samples as samples

    report = _import(organisation, admin, data=samples.document())
    assert "Resources:" not in report.summary()
    assert not Resource.objects.exists()


def test_earned_value_of_the_imported_plan_matches_what_project_saved(organisation, admin):
    # given the file Project saved at its status date (BCWS 1,453.33, BCWP 1,365, ACWP 1,365)
    from resources.evm.selectors import project_evm
    from resources.mspdi.read import file_earned_value, read_costs

    data = money_document()
    expected = file_earned_value(read_costs(data))
    # when it is imported and its earned value computed at the file's status date
    report = _import(organisation, admin, data=data)
    project = Project.objects.get(pk=report.project.pk)
    figures = project_evm(project, status_date=date(2027, 1, 7)).figures
    # then PV, EV, AC, CV and SV are Project's own figures, and BAC its baseline cost
    assert (figures["pv"], figures["ev"], figures["ac"]) == (
        expected.bcws,
        expected.bcwp,
        expected.acwp,
    )
    assert (figures["cv"], figures["sv"], figures["bac"]) == (
        expected.cv,
        expected.sv,
        expected.budget,
    )


SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "mspdi"


@pytest.mark.skipif(
    not (SHARED / "sample.xml").is_file(), reason=f"the shared conformance file {SHARED} is absent"
)
def test_the_shared_sample_brings_its_resources_rates_and_assignments(organisation, admin):
    # given the MPXJ sample Microsoft Project saved: two work resources with rates, two
    # assignments (its earned-value fields are all zero: Project had no baseline or status)
    data = (SHARED / "sample.xml").read_bytes()
    # when it is imported
    report = _import(organisation, admin, data=data, key="SMP")
    # then both resources are in the pool with their hourly rate from the plan's start
    rates = {
        rate.resource.name: (rate.hourly_rate, rate.effective_from)
        for rate in CostRate.objects.filter(resource__organisation=organisation)
    }
    start = Project.objects.get(pk=report.project.pk).start_date
    assert rates == {
        "First Resource": (Decimal("10.00"), start),
        "Second Resource": (Decimal("5.00"), start),
    }
    # and the assignments keep Project's units, work and cost
    rows = {
        a.resource.name: (a.units, a.work_hours, a.cost)
        for a in Assignment.objects.filter(task__project=report.project)
    }
    assert rows == {
        "First Resource": (Decimal("50.00"), Decimal("200.00"), Decimal("2015.00")),
        "Second Resource": (Decimal("75.00"), Decimal("300.00"), Decimal("1511.25")),
    }
