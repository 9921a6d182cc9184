"""Baselines and assignments in MSPDI files, read and written without the database."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import Element, tostring

import pytest

from projects.mspdi.assignments import (
    MspdiResource,
    match_people,
    read_assignments,
    write_resources,
)
from projects.mspdi.baselines import (
    MspdiBaselineTask,
    baseline_name,
    read_task_baselines,
    write_task_baseline,
)
from projects.mspdi.document import MspdiError, parse

NS = "http://schemas.microsoft.com/project"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "mspdi"


def _doc(body: str) -> bytes:
    return f'<Project xmlns="{NS}"><Name>t</Name>{body}</Project>'.encode()


def _task_baselines(task_xml: str, notes: list[str] | None = None):
    root, r = parse(_doc(f"<Tasks>{task_xml}</Tasks>"))
    task = r.all(root, "Tasks/Task")[0]
    return read_task_baselines(r, task, 7, notes if notes is not None else [])


def test_a_tasks_baselines_are_read_in_days_and_currency_units():
    rows = _task_baselines(
        "<Task><UID>7</UID><Baseline><Number>0</Number><Start>2027-01-04T08:00:00</Start>"
        "<Finish>2027-01-05T17:00:00</Finish><Duration>PT16H0M0S</Duration>"
        "<Work>PT32H0M0S</Work><Cost>1255050</Cost></Baseline></Task>"
    )
    assert rows == [
        MspdiBaselineTask(
            task_uid=7,
            number=0,
            start=datetime(2027, 1, 4, 8),
            finish=datetime(2027, 1, 5, 17),
            duration=960,
            work_minutes=1920,
            cost=Decimal("12550.50"),
        )
    ]
    assert baseline_name(0) == "Baseline" and baseline_name(3) == "Baseline 3"


def test_a_baseline_that_ends_before_it_starts_is_skipped_and_named():
    notes: list[str] = []
    rows = _task_baselines(
        "<Task><UID>7</UID><Baseline><Number>2</Number><Start>2027-01-04T08:00:00</Start>"
        "<Finish>2026-01-05T17:00:00</Finish></Baseline></Task>",
        notes,
    )
    assert rows == []
    assert notes == ["Task 7 Baseline 2: skipped (its dates are missing or end before they start)."]


@pytest.mark.parametrize(
    ("baseline", "message"),
    [
        ("<Number>11</Number>", "baseline number 11 is not 0 to 10"),
        ("<Number>1</Number><Start>soon</Start>", "<Start> is not a date and time"),
        (
            "<Number>1</Number><Start>2027-01-04T08:00:00</Start>"
            "<Finish>2027-01-04T17:00:00</Finish><Cost>lots</Cost>",
            "<Cost> is not a number",
        ),
    ],
)
def test_a_broken_baseline_is_refused_naming_the_task(baseline, message):
    with pytest.raises(MspdiError, match=message):
        _task_baselines(f"<Task><UID>7</UID><Baseline>{baseline}</Baseline></Task>")


def test_written_baselines_read_back_the_same():
    row = MspdiBaselineTask(
        7, 4, datetime(2027, 1, 4, 8), datetime(2027, 1, 6, 17), 1440, 600, Decimal("99.95")
    )
    task = Element("Task")
    write_task_baseline(task, row)
    xml = tostring(task, encoding="unicode")
    assert _task_baselines(xml.replace("<Task>", "<Task><UID>7</UID>")) == [row]


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no MSPDI conformance folder at {SHARED}")
def test_the_shared_baselines_file_reads_ten_baselines_and_skips_its_backwards_dates():
    root, r = parse((SHARED / "baselines.xml").read_bytes())
    notes: list[str] = []
    rows = [
        row
        for task in r.all(root, "Tasks/Task")
        for row in read_task_baselines(r, task, int(r.text(task, "UID") or 0), notes)
    ]
    # the file's baselines 1..10 finish a year before they start: each is named, none is kept
    assert rows == [] and len(notes) == 10


def _resources_doc() -> bytes:
    return _doc(
        "<Resources>"
        "<Resource><UID>0</UID><Type>1</Type></Resource>"
        "<Resource><UID>1</UID><Name>Ada Lovelace</Name><Type>1</Type>"
        "<EmailAddress>Ada@Example.com</EmailAddress></Resource>"
        "<Resource><UID>2</UID><Name>Grace Hopper</Name><Type>1</Type></Resource>"
        "<Resource><UID>3</UID><Name>Concrete</Name><Type>0</Type></Resource>"
        "</Resources><Assignments>"
        "<Assignment><UID>1</UID><TaskUID>5</TaskUID><ResourceUID>1</ResourceUID></Assignment>"
        "<Assignment><UID>2</UID><TaskUID>5</TaskUID><ResourceUID>2</ResourceUID></Assignment>"
        "<Assignment><UID>3</UID><TaskUID>5</TaskUID><ResourceUID>3</ResourceUID></Assignment>"
        "<Assignment><UID>4</UID><TaskUID>6</TaskUID><ResourceUID>-65535</ResourceUID></Assignment>"
        "</Assignments>"
    )


def test_work_resources_assigned_to_a_task_are_read_with_their_addresses():
    root, r = parse(_resources_doc())
    assert read_assignments(r, root) == {
        5: [
            MspdiResource("1", "Ada Lovelace", "ada@example.com"),
            MspdiResource("2", "Grace Hopper", ""),
        ]
    }


def test_resources_match_people_by_address_then_by_name():
    ada = MspdiResource("1", "Ada Lovelace", "ada@example.com")
    grace = MspdiResource("2", "Grace Hopper", "")
    nobody = MspdiResource("3", "Contractor #2", "c2@vendor.example")
    matched, unknown = match_people(
        [ada, grace, nobody], {"ada@example.com": 10}, {"Grace Hopper": 20, "Ada Lovelace": 99}
    )
    assert matched == [10, 20] and unknown == [nobody]


def test_written_resources_and_assignments_read_back():
    root = Element("Project", xmlns=NS)
    people = [MspdiResource("1", "Ada Lovelace", "ada@example.com")]
    write_resources(root, people, [(5, "1"), (6, "1")])
    parsed, r = parse(tostring(root))
    assert read_assignments(r, parsed) == {5: people, 6: people}
