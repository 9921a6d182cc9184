"""An MSPDI file with numbers or dates out of range is refused naming the element, on the
import page (422) and through the API (400), instead of crashing the import (issue 22)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Project
from projects.mspdi.document import MspdiError
from projects.mspdi.read import read_mspdi
from tests.conftest import client_for
from tests.projects import mspdi_samples as samples

TOO_BIG = str(2**31)  # one past what a PostgreSQL integer holds


def _plan(*tasks):
    return samples.document([samples.task(0, "Plan", 0, "PT0H0M0S"), *tasks])


HOSTILE = {
    # a lag of 2e10 tenths of a minute (about 3,800 years)
    "a lag": (
        _plan(
            samples.task(1, "A", 1),
            samples.task(2, "B", 1, links=[(1, 1, 20_000_000_000)]),
        ),
        "<LinkLag>",
    ),
    # a lag that fits a column but is longer than a hundred years (60 million minutes)
    "a long lag": (
        _plan(samples.task(1, "A", 1), samples.task(2, "B", 1, links=[(1, 1, 600_000_000)])),
        "<LinkLag>",
    ),
    "a duration": (_plan(samples.task(1, "A", 1, duration="PT2000000000H0M0S")), "<Duration>"),
    "a UID": (_plan(samples.task(int(TOO_BIG), "A", 1)), "<UID>"),
    "a percentage": (
        _plan(samples.task(1, "A", 1, extra=f"<PercentComplete>{TOO_BIG}</PercentComplete>")),
        "<PercentComplete>",
    ),
    "a constraint date": (
        _plan(
            samples.task(
                1,
                "A",
                1,
                extra="<ConstraintType>4</ConstraintType>"
                "<ConstraintDate>9999-12-31T08:00:00</ConstraintDate>",
            )
        ),
        "<ConstraintDate>",
    ),
    "the start date": (
        samples.document().replace(
            b"2027-01-04T08:00:00</StartDate>", b"9999-12-31T08:00:00</StartDate>"
        ),
        "<StartDate>",
    ),
    "the status date": (
        samples.document().replace(
            b"2027-01-06T17:00:00</StatusDate>", b"0001-01-01T17:00:00</StatusDate>"
        ),
        "<StatusDate>",
    ),
    "minutes per day": (
        samples.document().replace(b"<MinutesPerDay>480<", b"<MinutesPerDay>99999999<"),
        "<MinutesPerDay>",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_the_reader_names_the_element_out_of_range(case):
    data, element = HOSTILE[case]
    with pytest.raises(MspdiError) as raised:
        read_mspdi(data)
    assert element in str(raised.value)


def test_a_plan_inside_the_ranges_still_reads():
    plan = read_mspdi(_plan(samples.task(1, "A", 1, links=()), samples.task(2, "B", 1)))
    assert len(plan.tasks) >= 2


@pytest.mark.parametrize("case", ["a lag", "a duration", "the start date"])
def test_the_api_import_answers_400_on_file_and_creates_nothing(world, api, case):
    data, element = HOSTILE[case]
    upload = SimpleUploadedFile("plan.xml", data, "application/xml")
    response = api(world.member).post(
        "/api/v1/projects/import-mspdi/",
        {"file": upload, "organisation": world.organisation.pk, "key": "MOVE"},
        format="multipart",
    )
    assert response.status_code == 400
    assert element in response.json()["errors"]["file"][0]
    assert not Project.objects.filter(key="MOVE").exists()


@pytest.mark.parametrize("case", ["a long lag", "the status date"])
def test_the_import_page_shows_the_element_with_422(world, case):
    data, element = HOSTILE[case]
    upload = SimpleUploadedFile("plan.xml", data, "application/xml")
    response = client_for(world.member).post(
        reverse("project-import-mspdi"), {"file": upload, "key": "MOVE"}
    )
    assert response.status_code == 422
    assert element.replace("<", "&lt;").replace(">", "&gt;").encode() in response.content
    assert not Project.objects.filter(key="MOVE").exists()
