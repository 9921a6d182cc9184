"""A status report over a big plan: the document given to WeasyPrint lists the top rows of each
long list, says how many more there are and links to the report in Linchpin, so its size does not
grow with the plan (reports/rendering.py `capped_sections`). Rows are counted in the HTML, never
timed."""

import copy
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from projects.models import Baseline, BaselineTask, Task
from reports import rendering, services
from reports.changes import what_changed
from reports.models import ReportDocument, ReportStatus, StatusReport
from tests.conftest import client_for
from tests.factories import StatusReportFactory
from tests.reports.helpers import at

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)  # the report's moment: nothing here reads the clock
TODAY = NOW.date()
LIMIT = rendering.DOCUMENT_ROWS


def _milestones(project, count: int, *, first: int = 0, slipped: int | None = None) -> None:
    """`count` milestones a week apart, baselined where they are; number `slipped` is 30 days
    behind its baseline. Late critical work too: one late task per milestone."""
    tasks = Task.objects.bulk_create(
        [
            Task(
                project=project,
                name=f"Gate {n:03d}",
                position=n,
                wbs_code=f"{n + 1}",
                outline_key=f"{n + 1:05d}",
                is_milestone=True,
                duration_minutes=0,
                start=at(TODAY + timedelta(weeks=n + 1)),
                finish=at(TODAY + timedelta(weeks=n + 1)),
                total_float_minutes=0,
            )
            for n in range(first, first + count)
        ]
        + [
            Task(
                project=project,
                name=f"Late work {n:03d}",
                position=1000 + n,
                wbs_code=f"9.{n}",
                outline_key=f"09000.{n:05d}",
                start=at(TODAY - timedelta(days=20), 8),
                finish=at(TODAY - timedelta(days=2 + n % 7)),
                is_critical=True,
                total_float_minutes=0,
            )
            for n in range(first, first + count)
        ]
    )
    baseline = Baseline.objects.filter(project=project).first() or Baseline.objects.create(
        project=project,
        name="Approved plan",
        project_start=at(TODAY),
        project_finish=at(TODAY + timedelta(weeks=200)),
        task_count=0,
    )

    def baselined(n: int) -> datetime:
        return at(TODAY + timedelta(weeks=n + 1, days=-30 if n == slipped else 0))

    BaselineTask.objects.bulk_create(
        BaselineTask(
            baseline=baseline,
            task=task,
            task_name=task.name,
            start=baselined(n),
            finish=baselined(n),
            duration_minutes=0,
            is_milestone=True,
        )
        for n, task in enumerate(tasks[:count], start=first)
    )


@pytest.fixture
def pdf_html(monkeypatch):
    """The HTML each PDF download hands to WeasyPrint (no layout is done)."""
    given: list[str] = []

    def render_pdf(html: str) -> bytes:
        given.append(html)
        return b"%PDF-1.7 test"

    monkeypatch.setattr(rendering, "render_pdf", render_pdf)
    return given


def _download(world, report: StatusReport, pdf_html: list[str], user=None) -> str:
    ReportDocument.objects.all().delete()  # a published report's PDF is rendered once, then kept
    url = reverse("report-pdf", args=[world.project.pk, report.pk])
    rendered = len(pdf_html)
    response = client_for(user or world.manager).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(pdf_html) == rendered + 1
    return pdf_html[-1]


def _published(world) -> StatusReport:
    report = services.report_create(
        project=world.project, actor=world.manager, summary="Week 9", now=NOW
    )
    return services.report_publish(
        report=report, actor=world.manager, version=report.version, now=NOW
    )


def _rows(html: str) -> int:
    return html.count("<tr")


def test_the_pdf_of_a_bigger_plan_has_no_more_rows(world, pdf_html):
    # given a plan of 40 milestones (and 40 late critical tasks)
    _milestones(world.project, 40)
    smaller = _download(world, _published(world), pdf_html)
    # when the plan grows to 160 milestones, one far down the list slipping by 30 days
    _milestones(world.project, 120, first=40, slipped=150)
    report = _published(world)
    bigger = _download(world, report, pdf_html)
    # then the PDF's document has exactly as many table rows as before, and few list items
    assert _rows(bigger) == _rows(smaller) <= 40
    assert bigger.count("<li") <= 30
    # it says how many milestones and late tasks it left out, with a link to the whole report
    link = rendering.report_link(report)
    assert f"… and {160 - LIMIT} more milestones" in bigger
    assert f"… and {160 - LIMIT} more late critical tasks" in bigger
    assert f"… and {40 - LIMIT} more milestones" in smaller
    assert f'<a href="{link}">open the report in Linchpin</a>' in bigger
    # and the rows shown are the ones that matter: the slipped milestone first, then the next due
    # (shown by date)
    shown = re.findall(r"<td>(Gate \d+)", bigger)
    assert shown == [f"Gate {n:03d}" for n in range(LIMIT - 1)] + ["Gate 150"]


def test_the_report_page_still_lists_every_milestone(world, pdf_html):
    # given a published report over 60 milestones
    _milestones(world.project, 60)
    report = _published(world)
    # then the page the PDF links to lists them all, with no "and more" line
    url = reverse("report-detail", args=[world.project.pk, report.pk])
    body = client_for(world.stakeholder).get(url).content.decode()
    assert len(re.findall(r"<td>Gate \d+", body)) == 60
    assert "more milestones" not in body
    # while its PDF lists the top ones
    assert len(re.findall(r"<td>Gate \d+", _download(world, report, pdf_html))) == LIMIT


def _old_snapshot() -> dict:
    """A snapshot frozen with long lists, as a source might once have stored them."""
    return {
        "version": 1,
        "as_of": "2027-02-22",
        "project": {"key": "WEB", "name": "Website", "currency": "USD"},
        "health": {"overall": {"colour": "amber", "reasons": []}, "dimensions": []},
        "sections": {
            "schedule": {
                "percent_complete": 40,
                "completed": 2,
                "task_count": 5,
                "finish": "2027-06-01",
                "milestones": [
                    {"task_id": n, "name": f"Old gate {n}", "forecast": "2027-04-01"}
                    for n in range(300)
                ],
                "late_critical": [
                    {"wbs_code": str(n), "name": f"Old task {n}", "due": "2027-02-01"}
                    for n in range(200)
                ],
                "late_critical_count": 4812,
            },
            "cost": {
                "currency": "USD",
                "status_date": "2027-02-22",
                "figures": {},
                "budget_lines": [
                    {"name": f"Line {n}", "category_label": "Labour", "amount": "98765.43"}
                    for n in range(30)
                ],
                "committed": "0.00",
            },
            "risk": {
                "open_count": 40,
                "top_risks": [{"ref": f"R-{n}", "title": f"Risk {n}"} for n in range(40)],
                "overdue_count": 40,
                "overdue": [{"ref": f"R-{n}", "title": f"Risk {n}"} for n in range(40)],
                "heat_maps": [],
            },
        },
    }


def test_a_report_published_long_ago_renders_capped_and_stays_as_frozen(world, pdf_html):
    # given a report published with a snapshot that froze hundreds of rows
    snapshot = _old_snapshot()
    report = StatusReportFactory(
        project=world.project,
        snapshot=copy.deepcopy(snapshot),
        status=ReportStatus.PUBLISHED,
        published_at=NOW,
        summary="Old",
    )
    # when its PDF is downloaded
    html = _download(world, report, pdf_html)
    # then each list shows its top rows and counts the rest (late work: from the frozen count)
    assert html.count("Old gate") == LIMIT and html.count("Old task") == LIMIT
    assert "… and 290 more milestones" in html
    assert "… and 4,802 more late critical tasks" in html
    assert html.count("<td>Line ") == LIMIT and "… and 20 more budget lines" in html
    assert "… and 30 more open risks" in html and "… and 30 more overdue reviews" in html
    assert _rows(html) <= 60
    # and the published snapshot is unchanged
    report.refresh_from_db()
    assert report.snapshot == snapshot


def test_a_member_reading_the_pdf_sees_no_amounts_and_no_count_of_budget_lines(world, pdf_html):
    report = StatusReportFactory(
        project=world.project,
        snapshot=_old_snapshot(),
        status=ReportStatus.PUBLISHED,
        published_at=NOW,
        summary="Old",
    )
    for user in (world.member, world.viewer):
        html = _download(world, report, pdf_html, user=user)
        assert "98765" not in html and "98,765" not in html
        assert "budget lines" not in html
        assert "… and 290 more milestones" in html
    assert "98,765.43" in _download(world, report, pdf_html, user=world.stakeholder)


def _moved(count: int, *, big: int) -> tuple[dict, dict]:
    """Two snapshots where `count` milestones moved by a day, number `big` by 20 days."""

    def snapshot(shift: int, extra: int) -> dict:
        milestones = [
            {
                "task_id": n,
                "name": f"Gate {n}",
                "forecast": (
                    date(2027, 5, 1) + timedelta(days=shift + (extra if n == big else 0))
                ).isoformat(),
            }
            for n in range(count)
        ]
        schedule = {"percent_complete": 10, "milestones": milestones, "late_critical_count": 0}
        return {"health": {}, "sections": {"schedule": schedule}}

    return snapshot(0, 0), snapshot(1, 19)


def test_what_changed_in_a_document_names_the_biggest_moves_and_counts_the_rest():
    before, after = _moved(30, big=25)
    changes = what_changed(before, after, milestone_limit=3)
    assert changes == [
        "Milestone “Gate 0” moved from 2027-05-01 to 2027-05-02.",
        "Milestone “Gate 1” moved from 2027-05-01 to 2027-05-02.",
        "Milestone “Gate 25” moved from 2027-05-01 to 2027-05-21.",
        "… and 27 more milestones moved or reached.",
    ]
    # without a limit (the report's page), every milestone is named as before
    assert len(what_changed(before, after)) == 30


def test_what_changed_under_the_limit_is_unchanged():
    before, after = _moved(3, big=1)
    assert what_changed(before, after, milestone_limit=3) == what_changed(before, after)
