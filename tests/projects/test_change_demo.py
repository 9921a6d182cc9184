"""The demo's change requests: one approved with a re-baseline, one waiting, both analysed."""

from django.core.management import call_command

from projects.models import Baseline, ChangeRequest, Task


def test_seed_demo_has_two_change_requests_one_approved_with_a_rebaseline(db):
    # given / when
    call_command("seed_demo", verbosity=0)

    # then
    changes = list(ChangeRequest.objects.filter(project__key="PAY").order_by("number"))
    assert [(c.key, c.status) for c in changes] == [("CR-1", "implemented"), ("CR-2", "submitted")]
    approved, waiting = changes
    assert approved.baseline is not None
    assert Baseline.objects.filter(project__key="PAY").count() == 2
    assert Task.objects.get(project__key="PAY", name="Penetration test").duration_minutes == 3360
    assert float(approved.impact["finish_slip_days"]) > 0
    assert waiting.impact["effort_change"] == "24.00"
    assert not Task.objects.filter(project__key="PAY", name__endswith="rules tuning").exists()
    assert [e.to_status for e in approved.events.order_by("at", "pk")] == [
        "draft",
        "submitted",
        "under_review",
        "approved",
        "implemented",
    ]
