"""Reading the money side of an MSPDI file: resources, rate tables, assignments, and the
earned-value figures Project saved (resources/mspdi/read.py, pure)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from projects.mspdi.document import MspdiError
from resources.mspdi.read import (
    MspdiResourceKind,
    file_earned_value,
    read_costs,
)

from .mspdi_money_samples import money_document

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "mspdi"


def test_resources_are_read_with_their_kind_and_rate_tables():
    # when the sample is read
    costs = read_costs(money_document())
    # then Project's placeholder (UID 0) is left out and each kind is recognised
    kinds = {r.name: r.kind for r in costs.resources}
    assert kinds == {
        "Ana Lopez": MspdiResourceKind.WORK,
        "Ben Okoro": MspdiResourceKind.WORK,
        "Cable": MspdiResourceKind.MATERIAL,
        "Travel": MspdiResourceKind.COST,
    }
    ana = costs.resource("1")
    assert ana is not None
    assert (ana.email, ana.initials, ana.group) == ("ana@example.com", "AL", "Design")
    # and her table A is effective-dated: "NA" is from the beginning, the raise from its date
    assert [(r.effective_from, r.standard_rate) for r in ana.rates] == [
        (None, Decimal("50")),
        (date(2027, 2, 1), Decimal("60")),
    ]
    # (a rate is per hour whatever format Project displays it in: 60 shown per day is 60/h)
    assert ana.rate_on(date(2027, 1, 31)).standard_rate == Decimal("50")
    assert ana.rate_on(date(2027, 2, 1)).standard_rate == Decimal("60")
    assert ana.rate_on(date(2027, 1, 4), table=1).standard_rate == Decimal("70")


def test_a_resource_without_a_rate_table_has_its_standard_rate_from_the_beginning():
    costs = read_costs(money_document())
    ben = costs.resource("2")
    assert [(r.effective_from, r.standard_rate) for r in ben.rates] == [(None, Decimal("40"))]
    assert ben.max_units == Decimal("0.5")
    cable = costs.resource("3")
    assert (cable.material_label, cable.rates[0].standard_rate) == ("m", Decimal("2.5"))


def test_assignments_carry_units_work_and_costs_in_currency_units():
    # when the sample is read
    costs = read_costs(money_document())
    # then the unassigned row is left out and each assignment has its figures
    by_uid = {a.uid: a for a in costs.assignments}
    assert set(by_uid) == {"1", "2", "3", "4"}
    ben = by_uid["3"]
    assert (ben.task_uid, ben.resource_uid, ben.units) == (2, "2", Decimal("0.5"))
    assert (ben.work_minutes, ben.actual_work_minutes) == (720, 360)
    assert (ben.cost, ben.actual_cost, ben.baseline_cost) == (
        Decimal("480.00"),
        Decimal("240.00"),
        Decimal("480.00"),
    )
    cable = by_uid["4"]
    assert (cable.units, cable.cost) == (Decimal("20"), Decimal("50.00"))


def test_task_money_and_the_figures_project_saved_at_the_status_date():
    # when the sample is read
    costs = read_costs(money_document())
    # then each task's costs, baseline cost and percent complete are there
    build = costs.tasks[2]
    assert (build.percent_complete, build.baseline_cost, build.actual_cost) == (
        50,
        Decimal("530.00"),
        Decimal("265.00"),
    )
    # and Project's own earned value for the plan comes from its summary row
    figures = file_earned_value(costs)
    assert figures is not None
    assert (figures.bcws, figures.bcwp, figures.acwp, figures.budget) == (
        Decimal("1453.33"),
        Decimal("1365.00"),
        Decimal("1365.00"),
        Decimal("1630.00"),
    )
    assert (figures.cv, figures.sv) == (Decimal("0.00"), Decimal("-88.33"))
    assert (costs.currency, costs.status_date.date()) == ("EUR", date(2027, 1, 7))
    assert costs.has_costs


@pytest.mark.parametrize(
    ("resources", "words"),
    [
        (
            "<Resources><Resource><UID>7</UID><Name>X</Name><Type>5</Type></Resource></Resources>",
            "Resource UID 7 (X): unknown <Type> 5",
        ),
        (
            "<Resources><Resource><UID>7</UID><Name>X</Name><StandardRate>-3</StandardRate>"
            "</Resource></Resources>",
            "Resource UID 7 (X): <StandardRate> -3 is negative",
        ),
        (
            "<Resources><Resource><UID>7</UID><Name>X</Name><StandardRate>ten</StandardRate>"
            "</Resource></Resources>",
            "<StandardRate> is not a number",
        ),
        (
            "<Resources><Resource><UID>7</UID><Name>X</Name></Resource>"
            "<Resource><UID>7</UID><Name>Y</Name></Resource></Resources>",
            "Two resources have UID 7",
        ),
    ],
)
def test_bad_resources_are_refused_naming_the_resource(resources, words):
    with pytest.raises(MspdiError) as caught:
        read_costs(money_document(resources=resources, assignments=""))
    assert words in str(caught.value)


def test_negative_units_are_refused_naming_the_assignment():
    assignments = (
        "<Assignments><Assignment><UID>9</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        "<Units>-1</Units></Assignment></Assignments>"
    )
    with pytest.raises(MspdiError, match="Assignment UID 9: <Units> -1 is negative"):
        read_costs(money_document(assignments=assignments))


def test_assignments_to_tasks_not_in_the_file_are_skipped_and_said():
    assignments = (
        "<Assignments><Assignment><UID>9</UID><TaskUID>77</TaskUID><ResourceUID>1</ResourceUID>"
        "<Units>1</Units></Assignment></Assignments>"
    )
    costs = read_costs(money_document(assignments=assignments))
    assert costs.assignments == []
    assert "UIDs 77" in costs.notes[0]


def test_a_file_without_resources_or_money_has_no_costs():
    costs = read_costs(money_document(resources="", assignments=""))
    assert costs.resources == [] and costs.assignments == []


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared conformance folder {SHARED} is absent")
def test_the_shared_sample_resources_and_their_assignments():
    # given the MPXJ sample Project saved (two work resources with rates, two assignments)
    costs = read_costs((SHARED / "sample.xml").read_bytes())
    # then their rates (per hour) and cost per use are read
    first = costs.resource("1")
    assert (first.name, first.rates[0].standard_rate, first.rates[0].cost_per_use) == (
        "First Resource",
        Decimal("10"),
        Decimal("30.00"),
    )
    assert len(costs.assignments) == 2
    assignment = next(a for a in costs.assignments if a.resource_uid == "1")
    assert (assignment.units, assignment.work_minutes, assignment.cost) == (
        Decimal("0.5"),
        200 * 60,
        Decimal("2015.00"),
    )
    # and the shared files carry no earned value (Project saved zeros): nothing to compare
    figures = file_earned_value(costs)
    assert figures is not None and figures.bcws == figures.bcwp == figures.acwp == 0
