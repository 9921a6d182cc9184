"""What changed between two snapshots (reports/changes.py), and the two audience variants."""

import copy

from django.core import mail
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reports import delivery, rendering, services
from reports.changes import what_changed
from reports.models import Audience
from tests.reports.helpers import plan

colours = st.sampled_from(["green", "amber", "red", None])


def _snapshot(overall, schedule_colour, percent):
    return {
        "health": {
            "overall": {"colour": overall},
            "dimensions": [{"key": "schedule", "colour": schedule_colour}],
        },
        "sections": {
            "schedule": {
                "percent_complete": percent,
                "finish": "2027-03-01",
                "milestones": [],
                "late_critical_count": 0,
            }
        },
    }


@given(colours, colours, st.integers(0, 100))
def test_a_snapshot_compared_with_itself_has_nothing_to_say(overall, schedule, percent):
    snapshot = _snapshot(overall, schedule, percent)
    assert what_changed(snapshot, copy.deepcopy(snapshot)) == [
        "Nothing in the measures changed since the last report."
    ]


@given(colours, colours, st.integers(0, 100), st.integers(0, 100))
def test_every_change_is_named(before, after, old_percent, new_percent):
    changes = what_changed(
        _snapshot(before, before, old_percent), _snapshot(after, after, new_percent)
    )
    if before != after:
        assert any(change.startswith("Overall health") for change in changes)
    if old_percent != new_percent:
        assert any(change.startswith("Progress") for change in changes)


def test_the_executive_variant_leaves_out_the_detail(world):
    plan(world.project, today=timezone.localdate(), late_critical=1)
    report = services.report_create(
        project=world.project,
        actor=world.manager,
        summary="Short version.",
        accomplishments="A long list of things we did.",
        asks="Approve the budget.",
    )
    report = services.report_publish(report=report, actor=world.manager, version=report.version)
    executive = rendering.render_document(
        snapshot=report.snapshot, audience=Audience.EXECUTIVE, report=report
    )
    full = rendering.render_document(
        snapshot=report.snapshot, audience=Audience.FULL, report=report
    )
    for html in (executive, full):
        assert "Short version." in html and "Approve the budget." in html
    assert (
        "A long list of things we did." not in executive and "Late critical tasks" not in executive
    )
    assert "A long list of things we did." in full and "Late critical tasks" in full


def test_narrative_is_escaped_in_the_email(world):
    report = services.report_create(
        project=world.project, actor=world.manager, summary="<script>alert(1)</script>"
    )
    report = services.report_publish(report=report, actor=world.manager, version=report.version)
    row = report.deliveries.create(email="cfo@example.org", audience=Audience.FULL)
    assert delivery.delivery_send(row.pk, final=True) == delivery.SendOutcome.SENT
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
